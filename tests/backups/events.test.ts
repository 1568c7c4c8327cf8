import { describe, expect, it } from "vitest";

import { decodeCephStatus, decodeHaStatus } from "../../src/backups/decode";
import {
  composeHealthNotifications,
  createHealthTracker,
  type HealthEvent,
} from "../../src/backups/events";

const failed = (vmid: number): HealthEvent => ({
  kind: "task-failed",
  key: "task/" + vmid,
  vmid,
  node: "pve1",
  what: "vzdump",
  detail: "job errors",
});

describe("health notifications", () => {
  it("one event: one single notification in the pipeline's shape", () => {
    const [n, ...rest] = composeHealthNotifications([failed(101)]);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({
      kind: "single",
      urgency: "high",
      title: "Proxmox task failed",
      body: "Task vzdump of guest 101 on pve1 failed: job errors",
      events: [],
      suppressedCount: 0,
      suppressed: [],
      guests: [101],
    });
  });

  it("several: one group with 'and N more'", () => {
    const ns = composeHealthNotifications(
      [100, 101, 102, 103, 104, 105, 106].map(failed),
      undefined,
      5,
    );
    expect(ns).toHaveLength(1);
    expect(ns[0]!.kind).toBe("group");
    expect(ns[0]!.title).toBe("7 Proxmox tasks failed");
    expect(ns[0]!.body.split("\n")).toHaveLength(6);
    expect(ns[0]!.body).toContain("and 2 more");
  });

  it("uses the injected translator for every text", () => {
    const tr = (t: string, ...a: Array<string | number>) =>
      "«" + t.replace(/%(\d)/g, (_m, i) => String(a[Number(i) - 1])) + "»";
    const [n] = composeHealthNotifications([failed(101)], tr);
    expect(n!.title).toBe("«Proxmox task failed»");
    expect(n!.body.charAt(0)).toBe("«");
  });

  it("HA: errors and fencing on entry, recovery after; baseline first", () => {
    const t = createHealthTracker();
    const ha = (state: string) =>
      decodeHaStatus([
        { id: "service:vm:101", type: "service", sid: "vm:101", state, node: "pve1" },
      ]);
    expect(t.updateHa(ha("started"))).toEqual([]);
    expect(t.updateHa(ha("fence")).map((e) => [e.kind, e.vmid, e.what])).toEqual([
      ["ha-problem", 101, "fence"],
    ]);
    expect(t.updateHa(ha("fence"))).toEqual([]);
    expect(t.updateHa(ha("started")).map((e) => e.kind)).toEqual(["ha-recovered"]);
    expect(composeHealthNotifications(t.updateHa(ha("error")))[0]!.title).toBe("HA error");
  });

  it("Ceph: a change of health is notified with the checks", () => {
    const t = createHealthTracker();
    const ceph = (status: string, checks: Record<string, string> = {}) => {
      const c: Record<string, unknown> = {};
      for (const k of Object.keys(checks))
        c[k] = { severity: status, summary: { message: checks[k] } };
      return decodeCephStatus({ health: { status, checks: c } });
    };
    expect(t.updateCeph(ceph("HEALTH_OK"))).toEqual([]);
    const [e] = t.updateCeph(ceph("HEALTH_WARN", { OSD_DOWN: "1 osds down" }));
    expect(e).toMatchObject({
      kind: "ceph-health",
      what: "HEALTH_WARN",
      detail: "OSD_DOWN: 1 osds down",
    });
    expect(composeHealthNotifications([e!])[0]!.body).toBe(
      "Ceph health is now HEALTH_WARN: OSD_DOWN: 1 osds down",
    );
    expect(t.updateCeph(ceph("HEALTH_WARN", { OSD_DOWN: "2 osds down" }))).toEqual([]);
  });
});
