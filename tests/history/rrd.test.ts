import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  decodeResourceRrd,
  decodeStorageRrd,
  observedStep,
  rrdPath,
  rrdQuery,
  targetKey,
} from "../../src/history/rrd";

// PVE's decimal spellings (the decoders refuse hex, "Infinity" and friends).
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const ROOT = resolve(__dirname, "../..");

function fixture(name: string): unknown {
  return (
    JSON.parse(readFileSync(resolve(ROOT, "tests/fixtures", name), "utf8")) as { data: unknown }
  ).data;
}

describe("rrddata decoders", () => {
  it("keeps every row of the real PVE 7 capture, and a stopped VM's missing fields are null, not 0", () => {
    const raw = fixture("go-proxmox__pve7x_qemu_rrddata_hour.json") as unknown[];
    const d = decodeResourceRrd(raw, "qemu");
    expect(d).not.toBeNull();
    expect(d!.points).toHaveLength(raw.length);
    expect(d!.dropped).toBe(0);
    const first = d!.points[0]!;
    expect(first.time).toBe(1693110660);
    expect(first.maxmem).toBe(16777216000);
    expect(first.maxcpu).toBe(4);
    expect(first.disk).toBe(0);
    for (const p of d!.points) {
      expect(p.cpu).toBeNull();
      expect(p.mem).toBeNull();
      expect(p.netin).toBeNull();
      expect(p.netout).toBeNull();
      expect(p.diskread).toBeNull();
    }
    expect(observedStep(d!.points)).toBe(60);
  });

  it("reads a PVE 9 node row (memused/memtotal, pressure fields ignored) and falls back to mem/maxmem", () => {
    const d = decodeResourceRrd(
      [
        {
          time: 1767225600,
          cpu: 0.25,
          maxcpu: 8,
          memused: "1024",
          memtotal: 4096,
          memavailable: 3000,
          netin: 12.5,
          netout: 3,
          iowait: 0.01,
          loadavg: 1.5,
          rootused: 10,
          roottotal: 100,
          pressurecpusome: 0.1,
        },
        { time: 1767225660, mem: 2048, maxmem: 4096 },
        { time: 1767225720 },
      ],
      "node",
    )!;
    expect(d.points[0]).toEqual({
      time: 1767225600,
      cpu: 0.25,
      maxcpu: 8,
      mem: 1024,
      maxmem: 4096,
      netin: 12.5,
      netout: 3,
      diskread: null,
      diskwrite: null,
      disk: 10,
      maxdisk: 100,
      iowait: 0.01,
      loadavg: 1.5,
    });
    expect(d.points[1]!.mem).toBe(2048);
    // A row with only time is an empty bucket: kept, every field null.
    const empty = d.points[2]!;
    expect(empty.time).toBe(1767225720);
    for (const [k, v] of Object.entries(empty)) if (k !== "time") expect(v, k).toBeNull();
  });

  it("handles hostile numbers like the snapshot decoders: strings, NaN, Infinity, negatives", () => {
    const d = decodeResourceRrd(
      [
        { time: "100", cpu: "0.5", mem: -5, maxmem: "1e999", netin: Infinity, netout: "0x10" },
        { time: 160, cpu: 7, mem: NaN },
        { time: -1, cpu: 0.1 },
        { time: 1.5 },
        null,
        [1, 2],
        "row",
        { cpu: 0.3 },
      ],
      "lxc",
    )!;
    expect(d.points.map((p) => p.time)).toEqual([100, 160]);
    expect(d.dropped).toBe(6);
    expect(d.points[0]).toMatchObject({
      cpu: 0.5,
      mem: null,
      maxmem: null,
      netin: null,
      netout: null,
    });
    expect(d.points[1]!.cpu).toBe(1);
    expect(decodeResourceRrd({ data: [] }, "node")).toBeNull();
    expect(decodeStorageRrd("nope")).toBeNull();
  });

  it("keeps PVE's order (no sorting) and storage rows' used/total", () => {
    const d = decodeStorageRrd([
      { time: 300, used: 5, total: 10 },
      { time: 100, used: "4", total: 10 },
      { time: 200 },
    ])!;
    expect(d.points).toEqual([
      { time: 300, used: 5, total: 10 },
      { time: 100, used: 4, total: 10 },
      { time: 200, used: null, total: null },
    ]);
  });

  it("property: any input decodes without throwing; every row with a valid time is kept, in order; values are finite or null", () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(null, undefined, true, "1e999", "-0", " 42 ", "NaN"),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const row = fc.oneof(
      fc.record(
        {
          time: fc.oneof(fc.integer({ min: -10, max: 2_000_000_000 }), value),
          cpu: value,
          mem: value,
          maxmem: value,
          memused: value,
          memtotal: value,
          netin: value,
          netout: value,
          diskread: value,
          used: value,
          total: value,
        },
        { requiredKeys: [] },
      ),
      value,
    );
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.constantFrom("node", "qemu", "lxc"),
        (rows, kind) => {
          const d = decodeResourceRrd(rows, kind as "node")!;
          const s = decodeStorageRrd(rows)!;
          const valid = rows.filter((r) => {
            if (typeof r !== "object" || r === null || Array.isArray(r)) return false;
            const t = (r as { time?: unknown }).time;
            const n =
              typeof t === "number"
                ? t
                : typeof t === "string" && t.length <= 64 && DECIMAL.test(t.trim())
                  ? +t.trim()
                  : NaN;
            return Number.isSafeInteger(n) && n >= 0;
          });
          expect(d.points.length).toBe(valid.length);
          expect(s.points.length).toBe(valid.length);
          expect(d.points.length + d.dropped).toBe(rows.length);
          for (const p of d.points) {
            for (const [k, v] of Object.entries(p)) {
              expect(v === null || (typeof v === "number" && Number.isFinite(v)), k).toBe(true);
              if (k !== "time" && v !== null) expect(v as number).toBeGreaterThanOrEqual(0);
            }
            if (p.cpu !== null) expect(p.cpu).toBeLessThanOrEqual(1);
          }
          for (const p of s.points) {
            expect(p.used === null || Number.isFinite(p.used)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("names targets and paths the way PVE does", () => {
    expect(rrdPath({ kind: "node", node: "pve1" })).toBe("/nodes/pve1/rrddata");
    expect(rrdPath({ kind: "lxc", node: "pve1", vmid: 200 })).toBe("/nodes/pve1/lxc/200/rrddata");
    expect(rrdPath({ kind: "storage", node: "pve 1", storage: "a/b" })).toBe(
      "/nodes/pve%201/storage/a%2Fb/rrddata",
    );
    expect(targetKey({ kind: "qemu", node: "x", vmid: 101 })).toBe("qemu/101");
    expect(rrdQuery("week")).toEqual({ timeframe: "week", cf: "AVERAGE" });
  });
});
