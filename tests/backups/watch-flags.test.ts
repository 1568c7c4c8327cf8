import { describe, expect, it } from "vitest";

import { filterSnoozed, parseSnoozeFlags } from "../../src/cli/watch-health";
import type { Notification } from "../../src/notify/limiter";

describe("watch --snooze / --maintenance", () => {
  it("parses VMID[:SECONDS], node:NAME[:SECONDS] and maintenance entries", () => {
    expect(parseSnoozeFlags("101:600, node:pve2, 102", "node:pve3,104", 1000)).toEqual([
      { kind: "guest", vmid: 101, mode: "until", until: 1600 },
      { kind: "node", node: "pve2", mode: "until", until: 4600 },
      { kind: "guest", vmid: 102, mode: "until", until: 4600 },
      { kind: "node", node: "pve3", mode: "maintenance" },
      { kind: "guest", vmid: 104, mode: "maintenance" },
    ]);
    expect(parseSnoozeFlags("node:pve2:60", undefined, 0)).toEqual([
      { kind: "node", node: "pve2", mode: "until", until: 60 },
    ]);
    expect(() => parseSnoozeFlags("web-01", undefined, 0)).toThrow(/--snooze/);
    expect(() => parseSnoozeFlags(undefined, "12", 0)).toThrow(/--maintenance/);
  });

  it("drops a monitor notification only when all its changes are snoozed", () => {
    const n = (vmids: number[]): Notification => ({
      kind: vmids.length > 1 ? "group" : "single",
      urgency: "normal",
      title: "t",
      body: "b",
      events: vmids.map((vmid) => ({
        kind: "guest-stopped",
        key: "qemu/" + vmid,
        vmid,
        node: "pve1",
      })),
      suppressedCount: 0,
      suppressed: [],
      guests: vmids,
    });
    const entries = parseSnoozeFlags("101", "node:pve9", 0);
    expect(filterSnoozed(n([101]), entries, 10)).toBe(false);
    expect(filterSnoozed(n([101, 102]), entries, 10)).toBe(true);
    expect(filterSnoozed(n([101]), entries, 4000)).toBe(true);
  });
});
