import { describe, expect, it } from "vitest";

import {
  applySnoozes,
  expireSnoozes,
  isInMaintenance,
  parseSnoozes,
  removeSnooze,
  serialiseSnoozes,
  setSnooze,
  snoozeUntilTomorrow,
  type SnoozeEntry,
} from "../../src/backups/snooze";

const events = [
  { key: "qemu/101", vmid: 101, node: "pve1" },
  { key: "qemu/102", vmid: 102, node: "pve2" },
  { key: "node/pve2", node: "pve2" },
];

describe("snooze model", () => {
  it("round-trips through the config string list and drops bad entries", () => {
    const entries: SnoozeEntry[] = [
      { kind: "guest", vmid: 101, mode: "until", until: 1000 },
      { kind: "node", node: "pve2", mode: "maintenance" },
      { kind: "guest", vmid: 104, mode: "until-change", state: "stopped" },
    ];
    const list = serialiseSnoozes(entries);
    expect(list).toEqual([
      "guest:101=until:1000",
      "node:pve2=maintenance",
      "guest:104=change:stopped",
    ]);
    expect(
      parseSnoozes([...list, "guest:12=until:5", "node:bad name=maintenance", 7, "x"]),
    ).toEqual(entries);
  });

  it("expires over time and on change", () => {
    let entries: readonly SnoozeEntry[] = [
      { kind: "guest", vmid: 101, mode: "until", until: 1000 },
      { kind: "guest", vmid: 102, mode: "until-change", state: "stopped" },
      { kind: "node", node: "pve3", mode: "maintenance" },
    ];
    let state = "stopped";
    const stateOf = () => state;
    expect(expireSnoozes(entries, 999, stateOf)).toBe(entries);
    entries = expireSnoozes(entries, 1000, stateOf);
    expect(entries.map((e) => e.kind === "guest" && e.vmid)).toEqual([102, false]);
    state = "running";
    entries = expireSnoozes(entries, 5000, stateOf);
    expect(entries).toEqual([{ kind: "node", node: "pve3", mode: "maintenance" }]);
    expect(expireSnoozes(entries, 1e12, stateOf)).toHaveLength(1);
  });

  it("silences matching events until it ends; maintenance covers a node's events", () => {
    let entries = setSnooze([], { kind: "guest", vmid: 101, mode: "until", until: 100 });
    entries = setSnooze(entries, { kind: "node", node: "pve2", mode: "maintenance" });
    expect(applySnoozes(entries, events, 50)).toEqual([]);
    expect(applySnoozes(entries, events, 100).map((e) => e.key)).toEqual(["qemu/101"]);
    expect(isInMaintenance(entries, { vmid: 102, node: "pve2" })).toBe(true);
    entries = removeSnooze(entries, { kind: "node", node: "pve2" });
    expect(applySnoozes(entries, events, 100)).toHaveLength(3);
  });

  it("until tomorrow is the next local midnight", () => {
    const now = Date.parse("2026-12-01T22:30:00Z") / 1000;
    expect(new Date(snoozeUntilTomorrow(now, 0) * 1000).toISOString()).toBe(
      "2026-12-02T00:00:00.000Z",
    );
    // 23:30 at UTC+1 → midnight local is 23:00 UTC.
    expect(new Date(snoozeUntilTomorrow(now, 60) * 1000).toISOString()).toBe(
      "2026-12-01T23:00:00.000Z",
    );
  });
});
