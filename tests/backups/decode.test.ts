import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  decodeBackupJobs,
  decodeCephStatus,
  decodeHaStatus,
  decodeNotBackedUp,
  decodeTaskLog,
  decodeTasks,
  parseVmidList,
} from "../../src/backups/decode";
import { isTaskFailed } from "../../src/backups/evidence";
import { createFailedTaskTracker, failedTasks } from "../../src/backups/events";

const UPID = (type: string, id: string, start = 0x692d0000): string =>
  `UPID:pve1:0001E240:00A1B2C3:${start.toString(16).toUpperCase()}:${type}:${id}:root@pam:`;

function task(
  type: string,
  id: string,
  status?: string,
  end = 1764600000,
): Record<string, unknown> {
  const row: Record<string, unknown> = {
    upid: UPID(type, id),
    node: "pve1",
    pid: 123456,
    pstart: 10597059,
    starttime: 1764590000,
    type,
    id,
    user: "root@pam",
  };
  if (status !== undefined) {
    row.status = status;
    row.endtime = end;
  }
  return row;
}

describe("decodeBackupJobs", () => {
  it("reads vmid lists, all/exclude, pool, node, enabled and next-run", () => {
    const jobs = decodeBackupJobs([
      {
        id: "backup-a",
        type: "vzdump",
        schedule: "02:00",
        enabled: 1,
        "next-run": 1764640800,
        vmid: "100,101",
      },
      {
        id: "backup-b",
        type: "vzdump",
        schedule: "sat 03:00",
        enabled: 0,
        all: 1,
        exclude: "104 105",
        node: "pve2",
      },
      { id: "backup-c", type: "vzdump", schedule: "daily", pool: "prod" },
      { id: "", type: "vzdump" },
      "junk",
    ]);
    expect(jobs).toEqual([
      expect.objectContaining({
        id: "backup-a",
        enabled: true,
        nextRun: 1764640800,
        vmids: [100, 101],
        all: false,
      }),
      expect.objectContaining({
        id: "backup-b",
        enabled: false,
        nextRun: null,
        all: true,
        exclude: [104, 105],
        node: "pve2",
      }),
      expect.objectContaining({ id: "backup-c", enabled: true, pool: "prod", vmids: [] }),
    ]);
    expect(decodeBackupJobs({})).toBeNull();
  });

  it("parses VMID lists in linear time and never throws", () => {
    expect(parseVmidList("100;101, 102 99 100")).toEqual([100, 101, 102]);
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        const out = parseVmidList(s);
        expect(out.every((n) => Number.isInteger(n) && n >= 100)).toBe(true);
      }),
    );
  });
});

describe("decodeNotBackedUp", () => {
  it("keeps valid rows", () => {
    expect(
      decodeNotBackedUp([
        { vmid: 106, type: "lxc", name: "uptime-kuma" },
        { vmid: 5, type: "qemu" },
        { vmid: 107, type: "x" },
      ]),
    ).toEqual([{ vmid: 106, type: "lxc", name: "uptime-kuma" }]);
  });
});

describe("task exit statuses", () => {
  const rows = decodeTasks([
    task("vzdump", "100", "OK"),
    task("qmigrate", "101", "WARNINGS: 2"),
    task("qmstart", "102", "start failed: QEMU exited with code 1"),
    task("vzdump", "", "unexpected status"),
    task("qmstart", "103"), // running
    { upid: "not a upid" },
  ]);

  it("decodes rows and drops bad UPIDs", () => {
    expect(rows).not.toBeNull();
    expect(rows?.map((r) => r.status)).toEqual([
      "OK",
      "WARNINGS: 2",
      "start failed: QEMU exited with code 1",
      "unexpected status",
      null,
    ]);
    expect(rows?.[3]?.id).toBeNull();
  });

  it("OK and WARNINGS: n are success; errors and unexpected status are failures; running is neither", () => {
    expect(rows?.map(isTaskFailed)).toEqual([false, false, true, true, false]);
    expect(failedTasks(rows ?? [], 0).map((f) => f.exitstatus)).toEqual([
      "start failed: QEMU exited with code 1",
      "unexpected status",
    ]);
  });

  it("reports only new failures after the baseline", () => {
    const tracker = createFailedTaskTracker();
    expect(tracker.update(rows ?? [])).toEqual([]);
    expect(tracker.update(rows ?? [])).toEqual([]);
    const more = decodeTasks([
      task("qmstart", "103", "got timeout"),
      ...(rows ?? []).map((r) => ({ ...r, upid: r.upid })),
    ]);
    const fresh = tracker.update(more ?? []);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({
      kind: "task-failed",
      vmid: 103,
      detail: "got timeout",
      what: "qmstart",
    });
  });

  it("never throws on hostile rows", () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 20 }), (data) => {
        const out = decodeTasks(data);
        expect(Array.isArray(out)).toBe(true);
      }),
    );
  });
});

describe("decodeTaskLog", () => {
  it("keeps the text of each line", () => {
    expect(decodeTaskLog([{ n: 1, t: "INFO: a" }, { n: 2 }, { n: 3, t: "TASK OK" }])).toEqual([
      "INFO: a",
      "TASK OK",
    ]);
    expect(decodeTaskLog(null)).toBeNull();
  });
});

describe("HA and Ceph", () => {
  it("decodes /cluster/ha/status/current", () => {
    const ha = decodeHaStatus([
      { id: "quorum", type: "quorum", status: "OK", quorate: 1, node: "pve1" },
      {
        id: "master",
        type: "master",
        status: "pve1 (active, Tue Dec  1 20:30:01 2026)",
        node: "pve1",
      },
      { id: "lrm:pve2", type: "lrm", node: "pve2", status: "pve2 (old timestamp - dead?)" },
      {
        id: "service:vm:101",
        type: "service",
        sid: "vm:101",
        state: "fence",
        node: "pve2",
        crm_state: "fence",
      },
      { id: "service:ct:104", type: "service", sid: "ct:104", state: "request_stop", node: "pve2" },
    ]);
    expect(ha?.quorate).toBe(true);
    expect(ha?.services).toEqual([
      { sid: "vm:101", vmid: 101, node: "pve2", state: "fence", crmState: "fence" },
      { sid: "ct:104", vmid: 104, node: "pve2", state: "request_stop", crmState: null },
    ]);
    expect(ha?.lrm).toHaveLength(1);
  });

  it("decodes Ceph health with its checks sorted", () => {
    const ceph = decodeCephStatus({
      health: {
        status: "HEALTH_WARN",
        checks: {
          POOL_NEARFULL: { severity: "HEALTH_WARN", summary: { message: "2 pool(s) nearfull" } },
          OSD_NEARFULL: { severity: "HEALTH_WARN", summary: { message: "1 nearfull osd(s)" } },
        },
      },
    });
    expect(ceph).toEqual({
      health: "HEALTH_WARN",
      checks: [
        { code: "OSD_NEARFULL", severity: "HEALTH_WARN", summary: "1 nearfull osd(s)" },
        { code: "POOL_NEARFULL", severity: "HEALTH_WARN", summary: "2 pool(s) nearfull" },
      ],
    });
    expect(decodeCephStatus({ health: { status: "HEALTH_MAYBE" } })).toBeNull();
    expect(decodeCephStatus({ health: { status: "HEALTH_OK", checks: {} } })?.health).toBe(
      "HEALTH_OK",
    );
  });
});
