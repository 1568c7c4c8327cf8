import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  computeCoverage,
  thresholdsForMaxAge,
  type CoverageInput,
} from "../../src/backups/coverage";
import type { BackupJob } from "../../src/backups/decode";
import { parseCalendarEvent, previousRun } from "../../src/backups/schedule";
import type { GuestInfo } from "../../src/model/types";
import { guestInfo } from "../helpers/snapshots";

const T = (iso: string): number => Date.parse(iso) / 1000;

function guest(vmid: number, extra: Partial<GuestInfo> = {}): GuestInfo {
  return guestInfo(vmid, { name: "vm" + vmid, node: "pve1", status: "running", ...extra });
}

function job(id: string, schedule: string, extra: Partial<BackupJob> = {}): BackupJob {
  return {
    id,
    enabled: true,
    schedule,
    nextRun: null,
    vmids: [],
    all: false,
    exclude: [],
    pool: null,
    node: null,
    storage: null,
    comment: null,
    ...extra,
  };
}

describe("calendar events", () => {
  const at = (spec: string, iso: string): string | null => {
    const e = parseCalendarEvent(spec);
    if (e === null) return "unparsed";
    const r = previousRun(e, T(iso));
    return r === null ? null : new Date(r * 1000).toISOString();
  };

  it("resolves the forms PVE uses (UTC)", () => {
    // 2026-12-01 is a Tuesday.
    expect(at("daily", "2026-12-01T10:00:00Z")).toBe("2026-12-01T00:00:00.000Z");
    expect(at("02:00", "2026-12-01T01:00:00Z")).toBe("2026-11-30T02:00:00.000Z");
    expect(at("weekly", "2026-12-01T10:00:00Z")).toBe("2026-11-30T00:00:00.000Z");
    expect(at("sat 02:00", "2026-12-01T10:00:00Z")).toBe("2026-11-28T02:00:00.000Z");
    expect(at("mon..fri 21:00", "2026-11-29T10:00:00Z")).toBe("2026-11-27T21:00:00.000Z");
    expect(at("mon,wed 03:30", "2026-12-01T10:00:00Z")).toBe("2026-11-30T03:30:00.000Z");
    expect(at("sat..mon 01:00", "2026-12-01T10:00:00Z")).toBe("2026-11-30T01:00:00.000Z");
    expect(at("*-*-* 00:00", "2026-12-01T10:00:00Z")).toBe("2026-12-01T00:00:00.000Z");
    expect(at("*-*-01 04:00", "2026-11-30T10:00:00Z")).toBe("2026-11-01T04:00:00.000Z");
    expect(at("0/6:00", "2026-12-01T10:00:00Z")).toBe("2026-12-01T06:00:00.000Z");
    expect(at("*:0/15", "2026-12-01T10:07:00Z")).toBe("2026-12-01T10:00:00.000Z");
    expect(at("2,22:30", "2026-12-01T10:00:00Z")).toBe("2026-12-01T02:30:00.000Z");
    expect(at("monthly", "2026-12-01T10:00:00Z")).toBe("2026-12-01T00:00:00.000Z");
  });

  it("applies the node's offset", () => {
    const e = parseCalendarEvent("02:00");
    expect(e).not.toBeNull();
    // 02:00 at UTC+1 is 01:00 UTC.
    const r = previousRun(e!, T("2026-12-01T10:00:00Z"), () => 60);
    expect(new Date(r! * 1000).toISOString()).toBe("2026-12-01T01:00:00.000Z");
  });

  it("does not guess unknown forms", () => {
    for (const s of ["every day", "25:00", "mon..xyz 02:00", "1..", "*/0", "a b c d", ""]) {
      expect(parseCalendarEvent(s)).toBeNull();
    }
  });

  it("parses hostile text in bounded time without throwing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const e = parseCalendarEvent(s);
        if (e !== null) previousRun(e, T("2026-12-01T10:00:00Z"));
      }),
      { numRuns: 300 },
    );
  });
});

describe("backup states over scripted time", () => {
  const daily = job("daily", "02:00", { vmids: [100, 101] });
  const base = (now: string, lastOk: number | null, extra: Partial<CoverageInput> = {}): string =>
    computeCoverage({
      guests: [guest(100)],
      jobs: [daily],
      notBackedUp: null,
      evidence: { "100": { lastOk, lastFailure: null, failureText: null } },
      now: T(now),
      ...extra,
    })[0]!.state;

  it("ok → (grace) ok → due → overdue as runs are missed", () => {
    const ok = T("2026-12-01T02:10:00Z");
    expect(base("2026-12-01T12:00:00Z", ok)).toBe("ok");
    // Next run at 02:00 on the 2nd: within the grace time it stays ok.
    expect(base("2026-12-02T03:00:00Z", ok)).toBe("ok");
    expect(base("2026-12-02T09:00:00Z", ok)).toBe("due");
    expect(base("2026-12-03T03:00:00Z", ok)).toBe("due");
    expect(base("2026-12-03T09:00:00Z", ok)).toBe("overdue");
    expect(base("2026-12-03T09:00:00Z", null)).toBe("never");
  });

  it("uses max age for a disabled job, no job or an unknown schedule", () => {
    const ok = T("2026-12-01T00:00:00Z");
    const disabled = job("off", "02:00", { vmids: [100], enabled: false });
    const weird = job("weird", "every full moon", { vmids: [100] });
    for (const jobs of [[disabled], [], [weird]]) {
      expect(base("2026-12-05T00:00:00Z", ok, { jobs })).toBe("ok");
      expect(base("2026-12-09T00:00:00Z", ok, { jobs })).toBe("due");
      expect(base("2026-12-16T00:00:00Z", ok, { jobs })).toBe("overdue");
    }
    expect(base("2026-12-02T12:00:00Z", ok, { jobs: [], thresholds: thresholdsForMaxAge(1) })).toBe(
      "due",
    );
  });

  it("marks coverage: all/exclude, pool, node, only in a disabled job, templates, exclusions, unknown", () => {
    const guests = [
      guest(100),
      guest(101, { pool: "prod" }),
      guest(102, { node: "pve2" }),
      guest(103, { tags: ["nobackup"] }),
      guest(104, { template: true }),
      guest(105),
      guest(106),
    ];
    const jobs = [
      job("all", "daily", { all: true, exclude: [105, 106], node: "pve1" }),
      job("pool", "daily", { pool: "prod" }),
      job("off", "daily", { vmids: [105], enabled: false }),
    ];
    const rows = computeCoverage({
      guests,
      jobs,
      notBackedUp: null,
      evidence: {},
      now: T("2026-12-01T12:00:00Z"),
      exclude: "tag:nobackup",
    });
    const by = (v: number) => rows.filter((r) => r.vmid === v)[0]!;
    expect(by(100).jobs).toEqual(["all"]);
    expect(by(101).jobs).toEqual(["all", "pool"]);
    expect(by(102).jobs).toEqual([]);
    expect(by(102).state).toBe("never");
    expect(by(103).state).toBe("excluded");
    expect(by(104)).toMatchObject({ state: "excluded", reason: "template" });
    expect(by(105)).toMatchObject({ jobs: ["off"], onlyDisabled: true, reason: "only-disabled" });
    expect(by(106).reason).toBe("no-job");
    const ignoring = computeCoverage({
      guests,
      jobs,
      notBackedUp: null,
      evidence: {},
      now: 0,
      ignoreUncovered: true,
    });
    expect(ignoring.filter((r) => r.vmid === 106)[0]!.state).toBe("excluded");
    const blind = computeCoverage({
      guests,
      jobs: null,
      notBackedUp: null,
      evidence: null,
      now: 0,
    });
    expect(blind.filter((r) => r.vmid === 100)[0]!.state).toBe("unknown");
  });
});
