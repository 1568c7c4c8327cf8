import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageText,
  bytesCode,
  bytesText,
  formatAge,
  formatBytes,
  formatPercent,
  formatUptime,
  formatUsage,
  UNCODED_BYTES,
  uptimeParts,
} from "../../src/view/format";

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

describe("formatBytes", () => {
  it.each([
    [null, "\u2014"],
    [undefined, "\u2014"],
    [NaN, "\u2014"],
    [-1, "\u2014"],
    [0, "0 B"],
    [1, "1 B"],
    [1023, "1023 B"],
    [1023.6, "1 KiB"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [512 * MiB, "512 MiB"],
    [1.5 * GiB, "1.5 GiB"],
    [9.96 * GiB, "10 GiB"],
    [12.4 * GiB, "12 GiB"],
    [1023.7 * MiB, "1 GiB"],
    [2.25 * TiB, "2.3 TiB"],
    [100 * KiB, "100 KiB"],
    [1024 ** 7, "1024 EiB"],
  ])("%s → %s", (n, text) => {
    expect(formatBytes(n as number | null)).toBe(text);
  });

  it("formatUsage puts both sides together", () => {
    expect(formatUsage(16 * GiB, 64 * GiB)).toBe("16 GiB / 64 GiB");
    expect(formatUsage(null, 64 * GiB)).toBe("\u2014 / 64 GiB");
  });
});

describe("formatPercent", () => {
  it.each([
    [null, "\u2014"],
    [Infinity, "\u2014"],
    [0, "0%"],
    [0.042, "4.2%"],
    [0.05, "5%"],
    [0.0996, "10%"],
    [0.12, "12%"],
    [0.125, "13%"],
    [1, "100%"],
    [1.5, "150%"],
    [-0.1, "0%"],
  ])("%s → %s", (n, text) => {
    expect(formatPercent(n as number | null)).toBe(text);
  });
});

describe("uptime", () => {
  it.each([
    [null, "\u2014"],
    [-5, "\u2014"],
    [0, "0s"],
    [45, "45s"],
    [12 * 60 + 30, "12m"],
    [4 * 3600 + 12 * 60 + 59, "4h 12m"],
    [3 * 3600, "3h 0m"],
    [3 * 86400 + 4 * 3600 + 59 * 60, "3d 4h"],
    [400 * 86400, "400d 0h"],
  ])("%s s → %s", (s, text) => {
    expect(formatUptime(s as number | null)).toBe(text);
  });

  it("exposes the parts for translation", () => {
    expect(uptimeParts(90061.9)).toEqual({ days: 1, hours: 1, minutes: 1, seconds: 1 });
    expect(uptimeParts(null)).toBeNull();
  });
});

describe("formatAge", () => {
  it.each([
    [-3000, { unit: "seconds", value: 0 }, "0 s ago"],
    [0, { unit: "seconds", value: 0 }, "0 s ago"],
    [12_900, { unit: "seconds", value: 12 }, "12 s ago"],
    [59_999, { unit: "seconds", value: 59 }, "59 s ago"],
    [60_000, { unit: "minutes", value: 1 }, "1 min ago"],
    [3 * 60_000 + 59_000, { unit: "minutes", value: 3 }, "3 min ago"],
    [5 * 3_600_000, { unit: "hours", value: 5 }, "5 h ago"],
    [49 * 3_600_000, { unit: "days", value: 2 }, "2 d ago"],
  ])("%s ms → %j", (ms, parts, text) => {
    expect(formatAge(ms)).toEqual(parts);
    expect(ageText(formatAge(ms))).toBe(text);
  });
});

describe("number texts from the look-up tables", () => {
  // The formatting before the tables, spelled out: the tables must give
  // exactly this for every value.
  function reference(value: number): string {
    if (value >= 10) return String(Math.round(value));
    const text = value.toFixed(1);
    return text.endsWith(".0") ? text.slice(0, -2) : text;
  }
  const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  function referenceBytes(n: number): string {
    const whole = Math.round(n);
    if (whole < 1024) return whole + " B";
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (value >= 10 && Math.round(value) >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return reference(value) + " " + UNITS[unit];
  }

  it("formatPercent and formatBytes agree with toFixed everywhere, ties included", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 0, max: 2, noNaN: true }),
          // Exact ties of one decimal (x.x5) and their neighbours.
          fc.integer({ min: 0, max: 2000 }).map((k) => (k + 0.5) / 1000),
          fc.integer({ min: 0, max: 2000 }).map((k) => (k * 5 + 0.5) / 10000),
        ),
        (fraction) => {
          expect(formatPercent(fraction)).toBe(reference(fraction * 100) + "%");
        },
      ),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 0, max: 2 ** 50, noNaN: true }),
          fc.integer({ min: 0, max: 100000 }).map((k) => (k + 0.5) * 102.4),
        ),
        (n) => {
          expect(formatBytes(n)).toBe(referenceBytes(n));
        },
      ),
      { numRuns: 5000 },
    );
  });

  // The row cache keeps a RAM text while the code of the reading stays
  // the same, so equal codes must mean equal texts, always.
  it("bytesCode: equal codes, equal texts; bytesText(code) is formatBytes", () => {
    const reading = fc.oneof(
      fc.double({ min: 0, max: 2 ** 70, noNaN: true }),
      fc.integer({ min: 0, max: 100000 }).map((k) => (k + 0.5) * 102.4),
      fc.integer({ min: 0, max: 60 }).map((e) => 2 ** e),
      fc.integer({ min: 0, max: 60 }).map((e) => 2 ** e - 0.5),
      fc.integer({ min: 90, max: 110 }).map((k) => (k / 10) * 1024 ** 2),
      fc.constantFrom(null, undefined, NaN, -1, Infinity, 1024 ** 7, 1024 ** 8),
    );
    fc.assert(
      fc.property(reading, reading, (a, b) => {
        const ca = bytesCode(a);
        const cb = bytesCode(b);
        if (ca !== UNCODED_BYTES) expect(bytesText(ca)).toBe(formatBytes(a));
        if (ca !== UNCODED_BYTES && ca === cb) expect(formatBytes(b)).toBe(formatBytes(a));
        // Different codes are different texts too, so a change is never missed twice over.
        if (ca !== UNCODED_BYTES && cb !== UNCODED_BYTES && ca !== cb)
          expect(formatBytes(b)).not.toBe(formatBytes(a));
      }),
      { numRuns: 10000 },
    );
    expect(bytesCode(9.96 * 1024)).toBe(bytesCode(10.2 * 1024));
    expect(bytesCode(1024 ** 7)).toBe(UNCODED_BYTES);
    expect(formatBytes(1024 ** 8)).toBe("1048576 EiB");
  });

  it("formatPercent past 100 %", () => {
    expect(formatPercent(10.234)).toBe("1023%");
    expect(formatPercent(1e6)).toBe("100000000%");
  });

  it("uptimes of any length", () => {
    for (const s of [59.9, 60, 3599, 3600, 86399, 86400, 1023 * 86400, 1024 * 86400 + 7]) {
      const whole = Math.floor(s);
      const d = Math.floor(whole / 86400);
      const h = Math.floor((whole % 86400) / 3600);
      const m = Math.floor((whole % 3600) / 60);
      const expected =
        d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m` : `${whole % 60}s`;
      expect(formatUptime(s)).toBe(expected);
    }
  });
});
