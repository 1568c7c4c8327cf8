import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { parseVzdumpLog, readWallClock, startedVmids } from "../../src/backups/log";

const LOG = [
  "INFO: starting new backup job: vzdump 100 101 111 --mode snapshot --storage nas",
  "INFO: Starting Backup of VM 100 (qemu)",
  "INFO: Backup started at 2026-12-01 02:00:01",
  "INFO: Finished Backup of VM 100 (00:00:12)",
  "INFO: Backup finished at 2026-12-01 02:00:13",
  "INFO: Starting Backup of VM 101 (lxc)",
  "INFO: Backup started at 2026-12-01 02:00:14",
  "INFO: Finished Backup of VM 101 (01:02:03)",
  "INFO: Backup finished at 2026-12-01 03:02:17",
  "INFO: Starting Backup of VM 111 (qemu)",
  "ERROR: Backup of VM 111 failed - unable to find VM '111'",
  "INFO: Failed at 2026-12-01 03:02:18",
  "INFO: Backup job finished with errors",
  "TASK ERROR: job errors",
];

describe("parseVzdumpLog", () => {
  it("reads each guest's outcome, duration and finish time", () => {
    expect(parseVzdumpLog(LOG)).toEqual([
      {
        vmid: 100,
        ok: true,
        durationSec: 12,
        error: null,
        finishedLocal: Date.UTC(2026, 11, 1, 2, 0, 13) / 1000,
      },
      {
        vmid: 101,
        ok: true,
        durationSec: 3723,
        error: null,
        finishedLocal: Date.UTC(2026, 11, 1, 3, 2, 17) / 1000,
      },
      {
        vmid: 111,
        ok: false,
        durationSec: null,
        error: "unable to find VM '111'",
        finishedLocal: Date.UTC(2026, 11, 1, 3, 2, 18) / 1000,
      },
    ]);
    expect(startedVmids(LOG)).toEqual([100, 101, 111]);
  });

  it("leaves out a guest still running and ignores look-alike lines", () => {
    expect(
      parseVzdumpLog([
        "INFO: Starting Backup of VM 200 (qemu)",
        "INFO: Backup of VM 201 failed - not an ERROR line",
        "INFO: hook says ERROR: Backup of VM 203 failed - fake",
        "ERROR: Backup of VM 99 failed - below the VMID range",
        "ERROR: Backup of VM 202 crashed",
      ]),
    ).toEqual([]);
  });

  it("rejects bad wall clocks", () => {
    expect(readWallClock("2026-13-01 00:00:00", 0)).toBeNull();
    expect(readWallClock("2026-12-01 00:00", 0)).toBeNull();
  });

  it("never throws and only reports VMIDs from outcome lines (hostile input)", () => {
    const piece = fc.constantFrom(
      "INFO: ",
      "ERROR: ",
      "Starting Backup of VM ",
      "Finished Backup of VM ",
      "Backup of VM ",
      " failed - ",
      "Backup finished at ",
      "2026-12-01 02:00:13",
      "(00:00:12)",
      "101",
      "9",
      ":",
      "(",
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
          { maxLength: 30 },
        ),
        (lines) => {
          for (const r of parseVzdumpLog(lines)) {
            expect(r.vmid).toBeGreaterThanOrEqual(100);
            expect(r.ok ? r.error === null : typeof r.error === "string").toBe(true);
          }
        },
      ),
    );
  });

  it("runs in linear time on pathological lines", () => {
    const n = 200000;
    const hostile = [
      "ERROR: " + "Backup of VM ".repeat(n / 10),
      "Finished Backup of VM " + "1".repeat(n),
      "INFO: Backup finished at " + "2026-".repeat(n / 5),
      "(" + "00:".repeat(n / 3),
    ];
    const many: string[] = [];
    for (let i = 0; i < 20000; i++) many.push(`INFO: Finished Backup of VM ${100 + i} (00:00:01)`);
    const t0 = Date.now();
    parseVzdumpLog(hostile);
    const results = parseVzdumpLog(many);
    expect(results).toHaveLength(20000);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
