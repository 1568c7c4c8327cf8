import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  createChangeTracker,
  diffSnapshots,
  statusPhase,
  type ChangeEvent,
} from "../../src/notify/diff";
import { brief, snap, type GuestSpec, type SnapSpec } from "./helpers";

/** Feeds a timeline and returns the events of each step (the first is the baseline). */
function run(steps: SnapSpec[], options?: { backupGraceRefreshes?: number }): ChangeEvent[][] {
  const tracker = createChangeTracker(options);
  return steps.map((s) => tracker.update(snap(s)));
}

function one(vmid: number, status: string, extra: Partial<GuestSpec> = {}): SnapSpec {
  return { guests: [{ vmid, status, ...extra }] };
}

describe("baseline and reset", () => {
  it("reports nothing for the first snapshot", () => {
    const t = createChangeTracker();
    expect(
      t.update(
        snap({
          quorate: false,
          nodes: { pve1: "offline" },
          guests: [{ vmid: 1, status: "running" }],
        }),
      ),
    ).toEqual([]);
  });

  it("diffSnapshots(null, x) is a baseline", () => {
    expect(diffSnapshots(null, snap(one(101, "running")))).toEqual([]);
  });

  it("diffSnapshots reports a plain change", () => {
    expect(brief(diffSnapshots(snap(one(101, "running")), snap(one(101, "stopped"))))).toEqual([
      "guest-stopped qemu/101",
    ]);
  });

  it("reset() makes the next snapshot a baseline again", () => {
    const t = createChangeTracker();
    t.update(snap(one(101, "running")));
    t.reset();
    expect(t.update(snap({ quorate: false, nodes: { pve1: "offline" }, guests: [] }))).toEqual([]);
    expect(brief(t.update(snap({ guests: [{ vmid: 102, status: "running" }] })))).toEqual([
      "quorum-regained cluster/quorum",
      "node-online node/pve1",
      "guest-added qemu/102",
    ]);
  });
});

describe("guest power changes", () => {
  it("reports started, stopped, paused and resumed with statuses", () => {
    const r = run([
      one(101, "stopped"),
      one(101, "running"),
      one(101, "paused"),
      one(101, "running"),
      one(101, "stopped"),
    ]);
    expect(r.map(brief)).toEqual([
      [],
      ["guest-started qemu/101"],
      ["guest-paused qemu/101"],
      ["guest-resumed qemu/101"],
      ["guest-stopped qemu/101"],
    ]);
    expect(r[1]?.[0]).toMatchObject({
      vmid: 101,
      guestType: "qemu",
      name: "vm101",
      node: "pve1",
      status: "running",
      previousStatus: "stopped",
      tags: [],
    });
  });

  it("treats suspended and io-error as paused, and suspended -> running as resumed", () => {
    const r = run([
      one(101, "running"),
      one(101, "io-error"),
      one(101, "paused"),
      one(101, "suspended"),
      one(101, "running"),
    ]);
    expect(r.map(brief)).toEqual([
      [],
      ["guest-paused qemu/101"],
      [],
      [],
      ["guest-resumed qemu/101"],
    ]);
    expect(r[1]?.[0]?.status).toBe("io-error");
    expect(r[4]?.[0]?.previousStatus).toBe("suspended");
  });

  it("reports a restart across consecutive refreshes as stopped, then started", () => {
    const r = run([one(101, "running"), one(101, "stopped"), one(101, "running")]);
    expect(r.map(brief)).toEqual([[], ["guest-stopped qemu/101"], ["guest-started qemu/101"]]);
  });

  it("does not report transitional states (prelaunch) and reports the start once", () => {
    const r = run([one(101, "stopped"), one(101, "prelaunch"), one(101, "running")]);
    expect(r.map(brief)).toEqual([[], [], ["guest-started qemu/101"]]);
  });

  it("never reports a transition to or from unknown", () => {
    const r = run([
      one(101, "running"),
      one(101, "unknown"),
      one(101, "running"),
      one(101, "unknown"),
      one(101, "stopped"),
    ]);
    expect(r.map(brief)).toEqual([[], [], [], [], ["guest-stopped qemu/101"]]);
  });

  it("emits a flip on every refresh when a guest flaps (the limiter handles the noise)", () => {
    const statuses = ["running", "stopped", "running", "stopped", "running", "stopped"];
    const r = run(statuses.map((s) => one(101, s)));
    expect(r.slice(1).map((e) => e.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it("learns a guest first seen as unknown silently", () => {
    const r = run([one(101, "unknown"), one(101, "running"), one(101, "stopped")]);
    expect(r.map(brief)).toEqual([[], [], ["guest-stopped qemu/101"]]);
  });
});

describe("backup lock", () => {
  it("a stopped guest that a backup briefly runs yields no events", () => {
    const r = run([
      one(101, "stopped"),
      one(101, "stopped", { lock: "backup" }),
      one(101, "running", { lock: "backup" }),
      one(101, "running", { lock: "backup" }),
      one(101, "stopped"),
      one(101, "stopped"),
    ]);
    expect(r.map(brief)).toEqual([[], [], [], [], [], []]);
  });

  it("tolerates the status trailing the cleared lock by one refresh", () => {
    const r = run([
      one(101, "stopped"),
      one(101, "running", { lock: "backup" }),
      one(101, "running"),
      one(101, "stopped"),
    ]);
    expect(r.map(brief)).toEqual([[], [], [], []]);
  });

  it("still reports a real start that persists past the grace", () => {
    const r = run([
      one(101, "stopped"),
      one(101, "running", { lock: "backup" }),
      one(101, "running"),
      one(101, "running"),
    ]);
    expect(r.map(brief)).toEqual([[], [], [], ["guest-started qemu/101"]]);
  });

  it("grace can be widened for fast refresh intervals", () => {
    const r = run(
      [
        one(101, "stopped"),
        one(101, "running", { lock: "backup" }),
        one(101, "running"),
        one(101, "running"),
        one(101, "stopped"),
      ],
      { backupGraceRefreshes: 2 },
    );
    expect(r.map(brief)).toEqual([[], [], [], [], []]);
  });

  it("a running guest backed up in stop or suspend mode yields no events", () => {
    const r = run([
      one(101, "running"),
      one(101, "running", { lock: "backup" }),
      one(101, "stopped", { lock: "backup" }),
      one(101, "paused", { lock: "backup" }),
      one(101, "running", { lock: "backup" }),
      one(101, "running"),
    ]);
    expect(r.map(brief)).toEqual([[], [], [], [], [], []]);
  });

  it("reports a guest that is stopped after its backup although it ran before", () => {
    const r = run([
      one(101, "running"),
      one(101, "stopped", { lock: "backup" }),
      one(101, "stopped"),
      one(101, "stopped"),
    ]);
    expect(r.map(brief)).toEqual([[], [], [], ["guest-stopped qemu/101"]]);
    expect(r[3]?.[0]?.previousStatus).toBe("running");
  });

  it("other locks do not suppress changes", () => {
    const r = run([
      one(101, "running", { lock: "snapshot" }),
      one(101, "stopped", { lock: "snapshot" }),
      one(101, "running", { lock: "migrate" }),
    ]);
    expect(r.map(brief)).toEqual([[], ["guest-stopped qemu/101"], ["guest-started qemu/101"]]);
  });

  it("a guest already locked at baseline is learned after its backup", () => {
    const r = run([
      one(101, "running", { lock: "backup" }),
      one(101, "stopped"),
      one(101, "stopped"),
      one(101, "running"),
    ]);
    expect(r.map(brief)).toEqual([[], [], [], ["guest-started qemu/101"]]);
  });
});

describe("migration", () => {
  it("reports one migrated event, not stop + start", () => {
    const r = run([
      one(101, "running", { node: "pve1" }),
      one(101, "running", { node: "pve1", lock: "migrate" }),
      one(101, "running", { node: "pve2" }),
    ]);
    expect(r.map(brief)).toEqual([[], [], ["guest-migrated qemu/101"]]);
    expect(r[2]?.[0]).toMatchObject({
      fromNode: "pve1",
      toNode: "pve2",
      node: "pve2",
      status: "running",
      previousStatus: "running",
    });
  });

  it("carries a status change made during the move on the migrated event", () => {
    const r = run([
      one(101, "running", { node: "pve1" }),
      one(101, "stopped", { node: "pve2" }),
      one(101, "stopped", { node: "pve2" }),
    ]);
    expect(r.map(brief)).toEqual([[], ["guest-migrated qemu/101"], []]);
    expect(r[1]?.[0]).toMatchObject({ status: "stopped", previousStatus: "running" });
  });

  it("learns a status still unknown after the move later, and only reports a real change", () => {
    const r = run([
      one(101, "running", { node: "pve1" }),
      one(101, "prelaunch", { node: "pve2" }),
      one(101, "running", { node: "pve2" }),
      one(101, "stopped", { node: "pve2" }),
    ]);
    expect(r.map(brief)).toEqual([[], ["guest-migrated qemu/101"], [], ["guest-stopped qemu/101"]]);
    expect(r[1]?.[0]?.status).toBeUndefined();
    expect(r[1]?.[0]?.previousStatus).toBe("running");
  });

  it("sees an HA recovery from an offline node as a move", () => {
    const r = run([
      {
        nodes: { pve1: "online", pve2: "online" },
        guests: [{ vmid: 101, status: "running", node: "pve2" }],
      },
      {
        nodes: { pve1: "online", pve2: "offline" },
        guests: [{ vmid: 101, status: "unknown", node: "pve2" }],
      },
      {
        nodes: { pve1: "online", pve2: "offline" },
        guests: [{ vmid: 101, status: "running", node: "pve1" }],
      },
    ]);
    expect(r.map(brief)).toEqual([[], ["node-offline node/pve2"], ["guest-migrated qemu/101"]]);
  });
});

describe("offline nodes", () => {
  const guests = (status: string, name?: string) => [
    { vmid: 101, status: "running", node: "pve1" },
    { vmid: 201, status, node: "pve2", name },
  ];

  it("reports the node, not its guests, and no spurious start when it is back", () => {
    const r = run([
      { nodes: { pve1: "online", pve2: "online" }, guests: guests("running", "db") },
      // stale values first, then PVE's "unknown" without a name
      { nodes: { pve1: "online", pve2: "offline" }, guests: guests("stopped", "db") },
      { nodes: { pve1: "online", pve2: "offline" }, guests: guests("unknown", "VM 201") },
      { nodes: { pve1: "online", pve2: "online" }, guests: guests("unknown", "VM 201") },
      { nodes: { pve1: "online", pve2: "online" }, guests: guests("running", "db") },
    ]);
    expect(r.map(brief)).toEqual([
      [],
      ["node-offline node/pve2"],
      [],
      ["node-online node/pve2"],
      [],
    ]);
    expect(r[1]?.[0]).toMatchObject({ name: "pve2", status: "offline", previousStatus: "online" });
  });

  it("reports a guest whose status really differs once its node is back, under its real name", () => {
    const r = run([
      { nodes: { pve1: "online", pve2: "online" }, guests: guests("running", "db") },
      { nodes: { pve1: "online", pve2: "offline" }, guests: guests("unknown", "VM 201") },
      { nodes: { pve1: "online", pve2: "online" }, guests: guests("unknown", "VM 201") },
      { nodes: { pve1: "online", pve2: "online" }, guests: guests("stopped", "db") },
    ]);
    expect(r.map(brief)).toEqual([
      [],
      ["node-offline node/pve2"],
      ["node-online node/pve2"],
      ["guest-stopped qemu/201"],
    ]);
    expect(r[3]?.[0]).toMatchObject({ name: "db", previousStatus: "running" });
  });

  it("keeps the real name on events while the API only knows the default one", () => {
    const r = run([
      { guests: [{ vmid: 201, status: "running", name: "db" }] },
      { guests: [{ vmid: 201, status: "unknown", name: "VM 201" }] },
      { guests: [] },
    ]);
    expect(r[2]?.[0]).toMatchObject({
      kind: "guest-removed",
      name: "db",
      previousStatus: "running",
    });
  });

  it("ignores a node status of unknown", () => {
    const r = run([
      { nodes: { pve1: "online" } },
      { nodes: { pve1: "unknown" } },
      { nodes: { pve1: "online" } },
      { nodes: { pve1: "unknown" } },
      { nodes: { pve1: "offline" } },
    ]);
    expect(r.map(brief)).toEqual([[], [], [], [], ["node-offline node/pve1"]]);
  });

  it("learns nodes joining or leaving silently", () => {
    const r = run([
      { nodes: { pve1: "online" } },
      { nodes: { pve1: "online", pve3: "online" } },
      { nodes: { pve1: "online" } },
    ]);
    expect(r.map(brief)).toEqual([[], [], []]);
  });
});

describe("inventory and quorum", () => {
  it("reports added and removed guests", () => {
    const r = run([
      { guests: [{ vmid: 101, status: "running" }] },
      {
        guests: [
          { vmid: 101, status: "running" },
          { vmid: 300, status: "stopped", type: "lxc", name: "cache", tags: ["prod"] },
        ],
      },
      { guests: [{ vmid: 300, status: "stopped", type: "lxc", name: "cache", tags: ["prod"] }] },
    ]);
    expect(r.map(brief)).toEqual([[], ["guest-added lxc/300"], ["guest-removed qemu/101"]]);
    expect(r[1]?.[0]).toMatchObject({
      guestType: "lxc",
      name: "cache",
      status: "stopped",
      tags: ["prod"],
    });
    expect(r[2]?.[0]).toMatchObject({ previousStatus: "running", node: "pve1" });
  });

  it("reports quorum lost and regained, ignoring unknown quorum", () => {
    const r = run([
      { quorate: true },
      { quorate: null },
      { quorate: false },
      { quorate: false },
      { quorate: true, cluster: null },
    ]);
    expect(r.map(brief)).toEqual([
      [],
      [],
      ["quorum-lost cluster/quorum"],
      [],
      ["quorum-regained cluster/quorum"],
    ]);
    expect(r[2]?.[0]?.name).toBe("lab");
    expect(r[4]?.[0]?.name).toBeUndefined();
  });

  it("orders events: quorum, nodes, then guests by VMID", () => {
    const r = run([
      {
        quorate: true,
        nodes: { pve1: "online", pve2: "online" },
        guests: [
          { vmid: 300, status: "running" },
          { vmid: 101, status: "running" },
        ],
      },
      {
        quorate: false,
        nodes: { pve1: "online", pve2: "offline" },
        guests: [
          { vmid: 300, status: "stopped" },
          { vmid: 150, status: "running" },
        ],
      },
    ]);
    expect(brief(r[1] ?? [])).toEqual([
      "quorum-lost cluster/quorum",
      "node-offline node/pve2",
      "guest-removed qemu/101",
      "guest-added qemu/150",
      "guest-stopped qemu/300",
    ]);
  });
});

describe("properties", () => {
  const anyStatus = fc.constantFrom(
    "running",
    "stopped",
    "paused",
    "suspended",
    "unknown",
    "prelaunch",
    "io-error",
  );

  it("reports exactly the changes between known status phases", () => {
    fc.assert(
      fc.property(fc.array(anyStatus, { minLength: 1, maxLength: 30 }), (statuses) => {
        const r = run(statuses.map((s) => one(7, s)));
        const reported = r.reduce((n, e) => n + e.length, 0);
        const phases = statuses.map((s) => statusPhase(s)).filter((p) => p !== null);
        let expected = 0;
        for (let i = 1; i < phases.length; i++) if (phases[i] !== phases[i - 1]) expected++;
        expect(reported).toBe(expected);
        for (const e of r.flat()) {
          expect(statusPhase(e.status)).not.toBeNull();
          expect(statusPhase(e.previousStatus)).not.toBeNull();
          expect(statusPhase(e.status)).not.toBe(statusPhase(e.previousStatus));
        }
      }),
    );
  });

  it("a backup that ends in the status it started from is silent", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("running", "stopped"),
        fc.array(anyStatus, { maxLength: 10 }),
        (before, during) => {
          const r = run([
            one(7, before),
            ...during.map((s) => one(7, s, { lock: "backup" })),
            one(7, before),
            one(7, before),
          ]);
          expect(r.flat()).toEqual([]);
        },
      ),
    );
  });
});
