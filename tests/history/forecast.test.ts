import { describe, expect, it } from "vitest";

import { forecastFull, FORECAST_HORIZON_DAYS } from "../../src/history/forecast";
import type { StoragePoint } from "../../src/history/rrd";

const DAY = 86400;
const TOTAL = 1000;
const T0 = 1_767_225_600;

/** A week of 30-minute buckets whose fraction follows f(days since start). */
function week(f: (days: number) => number | null): StoragePoint[] {
  const out: StoragePoint[] = [];
  for (let i = 0; i < 336; i++) {
    const t = T0 + i * 1800;
    const y = f((i * 1800) / DAY);
    out.push({ time: t, used: y === null ? null : y * TOTAL, total: y === null ? null : TOTAL });
  }
  return out;
}

describe("forecastFull", () => {
  it("a steady 1 %/day from 70 % is full in ~24 days (from the last point at 76.98 %)", () => {
    const f = forecastFull(week((d) => 0.7 + 0.01 * d))!;
    expect(f).not.toBeNull();
    expect(f.perDay).toBeCloseTo(0.01, 6);
    // 1 - 0.7698 = 0.2302 → 23.02 days → ~24 (rounded up).
    expect(f.days).toBe(24);
  });

  it("uses the caller's current reading as now", () => {
    const f = forecastFull(
      week((d) => 0.7 + 0.01 * d),
      { used: 900, total: 1000 },
    )!;
    expect(f.days).toBe(10);
    expect(f.fraction).toBeCloseTo(0.9);
  });

  it("says nothing for flat, falling or slow series (beyond 30 days)", () => {
    expect(forecastFull(week(() => 0.5))).toBeNull();
    expect(forecastFull(week((d) => 0.9 - 0.02 * d))).toBeNull();
    // 0.2 %/day from ~51 %: ~245 days.
    expect(forecastFull(week((d) => 0.5 + 0.002 * d))).toBeNull();
    const edge = forecastFull(week((d) => 0.5 + 0.02 * d));
    expect(edge).not.toBeNull();
    expect(edge!.days).toBeLessThanOrEqual(FORECAST_HORIZON_DAYS);
  });

  it("ignores gaps (rows without used/total) instead of reading them as 0", () => {
    const withGaps = week((d) => (Math.floor(d * 48) % 3 === 0 ? null : 0.7 + 0.01 * d));
    const f = forecastFull(withGaps)!;
    expect(f.perDay).toBeCloseTo(0.01, 6);
  });

  it("follows the last three days, not a week-old change of pace", () => {
    // Flat for four days, then 2 %/day.
    const f = forecastFull(week((d) => (d < 4 ? 0.5 : 0.5 + 0.02 * (d - 4))))!;
    expect(f).not.toBeNull();
    expect(f.perDay).toBeGreaterThan(0.015);
  });

  it("a single spike (a backup parked for half an hour) barely moves the line", () => {
    const spiky = week((d) => (Math.abs(d - 6.5) < 0.02 ? 0.99 : 0.7 + 0.01 * d));
    const f = forecastFull(spiky)!;
    expect(f.perDay).toBeCloseTo(0.01, 3);
  });

  it("needs enough points over enough time, and a known total", () => {
    expect(forecastFull([])).toBeNull();
    const short = week((d) => 0.7 + 0.05 * d).slice(0, 8); // 4 hours
    expect(forecastFull(short)).toBeNull();
    const noTotal = week((d) => 0.7 + 0.01 * d).map((p) => ({ ...p, total: 0 }));
    expect(forecastFull(noTotal)).toBeNull();
  });

  it("an already full storage says 0 days", () => {
    const f = forecastFull(
      week((d) => 0.9 + 0.02 * d),
      { used: 1000, total: 1000 },
    )!;
    expect(f.days).toBe(0);
  });
});
