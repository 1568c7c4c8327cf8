import { describe, expect, it } from "vitest";
import { createAcl } from "../../src/sim-engine/acl";
import { createSimCluster, findGuest } from "../../src/sim-engine/cluster-model";
import type { Entry } from "../../src/sim-engine/render";
import {
  renderClusterResources,
  renderClusterStatus,
  renderNodes,
} from "../../src/sim-engine/render";
import type { Scenario } from "../../src/sim-engine/scenario";
import { applyActionNow, applyTimeline, mustParseScenario } from "../../src/sim-engine/scenario";

const ALL = createAcl(null);

function scenario(timeline: unknown[], extra: Record<string, unknown> = {}): Scenario {
  return mustParseScenario({
    seed: 3,
    cluster: { name: "lab", nodes: [{ name: "pve1" }, { name: "pve2" }, { name: "pve3" }] },
    guests: [
      { vmid: 100, name: "web", node: "pve1" },
      { vmid: 101, name: "db", node: "pve2" },
      { vmid: 102, name: "app", node: "pve2", pool: "prod", tags: ["b", "a"] },
      { vmid: 103, name: "ct", node: "pve3", type: "lxc" },
    ],
    timeline,
    ...extra,
  });
}

function resource(cluster: ReturnType<typeof createSimCluster>, id: string): Entry | undefined {
  return renderClusterResources(cluster, ALL).find((e) => e.id === id);
}

describe("timeline", () => {
  it("makes a stop at t=30 visible once the clock passes 30 s", () => {
    const c = createSimCluster(scenario([{ at: 30, action: "stop", vmid: 101 }]));
    applyTimeline(c, 29);
    expect(resource(c, "qemu/101")?.status).toBe("running");
    const events = applyTimeline(c, 31);
    expect(events.map((e) => [e.at, e.action.action, e.error])).toEqual([[30, "stop", null]]);
    const entry = resource(c, "qemu/101");
    expect(entry).toMatchObject({ status: "stopped", uptime: 0, cpu: 0, mem: 0 });
  });

  it("repeats entries with every/repeat/until and ends timed locks", () => {
    const c = createSimCluster(
      scenario([
        { at: 10, every: 100, repeat: 3, action: "lock", vmid: 100, lock: "backup", duration: 20 },
        { at: 0, every: 50, until: 120, action: "set", vmid: 102, name: "renamed" },
      ]),
    );
    const events = applyTimeline(c, 1000);
    const summary = events.map((e) => `${e.at}:${e.action.action}`);
    expect(summary).toEqual([
      "0:set",
      "10:lock",
      "30:unlock",
      "50:set",
      "100:set",
      "110:lock",
      "130:unlock",
      "210:lock",
      "230:unlock",
    ]);
    expect(findGuest(c, 100)?.lock).toBeNull();
  });

  it("shows a lock in the middle of its window", () => {
    const c = createSimCluster(
      scenario([{ at: 10, action: "lock", vmid: 100, lock: "backup", duration: 60 }]),
    );
    applyTimeline(c, 40);
    expect(resource(c, "qemu/100")?.lock).toBe("backup");
    applyTimeline(c, 71);
    expect(resource(c, "qemu/100")).not.toHaveProperty("lock");
  });

  it("gives the same story however often it is asked", () => {
    const s = scenario([
      { at: 15, action: "stop", vmid: 100 },
      { at: 33, every: 17, action: "reboot", vmid: 101 },
    ]);
    const once = createSimCluster(s);
    applyTimeline(once, 400);
    const often = createSimCluster(s);
    for (let t = 1; t <= 400; t += 7) applyTimeline(often, t);
    applyTimeline(often, 400);
    expect(renderClusterResources(often, ALL)).toEqual(renderClusterResources(once, ALL));
  });

  it("refuses what PVE refuses and says why", () => {
    const c = createSimCluster(
      mustParseScenario({
        cluster: { nodes: [{ name: "pve1" }, { name: "pve2" }] },
        guests: [
          { vmid: 100, node: "pve1", status: "stopped" },
          { vmid: 9000, node: "pve1", template: true },
          { vmid: 101, node: "pve1", type: "lxc" },
        ],
      }),
    );
    expect(applyActionNow(c, { action: "stop", vmid: 100 }).error).toBe("VM 100 not running");
    expect(applyActionNow(c, { action: "start", vmid: 9000 }).error).toBe(
      "you can't start a vm if it's a template",
    );
    expect(applyActionNow(c, { action: "start", vmid: 101 }).error).toBe("CT 101 already running");
    expect(
      applyActionNow(c, { action: "lock", vmid: 101, lock: "backup", duration: null }).error,
    ).toBeNull();
    expect(applyActionNow(c, { action: "stop", vmid: 101 }).error).toBe("CT is locked (backup)");
    expect(applyActionNow(c, { action: "migrate", vmid: 100, to: "pve1", duration: 0 }).error).toBe(
      "target is local node.",
    );
  });

  it("pauses a VM (status paused) but a container stays 'running'", () => {
    const c = createSimCluster(scenario([]));
    applyActionNow(c, { action: "pause", vmid: 100 });
    applyActionNow(c, { action: "pause", vmid: 103 });
    applyTimeline(c, 60);
    expect(resource(c, "qemu/100")).toMatchObject({ status: "paused", cpu: 0 });
    expect(resource(c, "lxc/103")).toMatchObject({ status: "running", cpu: 0 });
    applyActionNow(c, { action: "suspend", vmid: 101 });
    expect(resource(c, "qemu/101")?.status).toBe("suspended");
    applyActionNow(c, { action: "hibernate", vmid: 102 });
    expect(resource(c, "qemu/102")).toMatchObject({ status: "stopped", lock: "suspended" });
    expect(applyActionNow(c, { action: "start", vmid: 102 }).error).toBeNull();
    expect(resource(c, "qemu/102")).not.toHaveProperty("lock");
  });

  it("migrates: locked 'migrate' while it runs, then on the new node with a fresh uptime", () => {
    const c = createSimCluster(
      scenario([{ at: 10, action: "migrate", vmid: 100, to: "pve3", duration: 20 }]),
    );
    applyTimeline(c, 20);
    expect(resource(c, "qemu/100")).toMatchObject({ node: "pve1", lock: "migrate" });
    applyTimeline(c, 35);
    const e = resource(c, "qemu/100");
    expect(e).toMatchObject({ node: "pve3", status: "running", uptime: 5 });
    expect(e).not.toHaveProperty("lock");
  });

  it("shrinks an offline node and its guests the way pmxcfs does", () => {
    const c = createSimCluster(scenario([{ at: 100, action: "node-offline", node: "pve2" }]));
    applyTimeline(c, 100);
    const before = resource(c, "qemu/101");
    expect(Object.keys(resource(c, "node/pve1") ?? {}).sort()).toEqual([
      "cgroup-mode",
      "cpu",
      "disk",
      "id",
      "level",
      "maxcpu",
      "maxdisk",
      "maxmem",
      "mem",
      "node",
      "status",
      "type",
      "uptime",
    ]);

    applyTimeline(c, 200);
    const node = resource(c, "node/pve2");
    expect(node).toEqual({
      id: "node/pve2",
      node: "pve2",
      type: "node",
      status: "offline",
      level: "",
      maxcpu: c.nodes[1]?.maxcpu,
      maxmem: c.nodes[1]?.maxmem,
      maxdisk: c.nodes[1]?.maxdisk,
    });
    // Guests keep their last (stale, frozen) values for a while...
    const stale = resource(c, "qemu/101");
    expect(stale).toEqual(before);
    expect(stale).toMatchObject({ status: "running", name: "db" });
    expect(resource(c, "storage/pve2/local")?.status).toBe("available");

    // ...then are only known by id after 5 minutes.
    applyTimeline(c, 401);
    expect(resource(c, "node/pve2")).toEqual({
      id: "node/pve2",
      node: "pve2",
      type: "node",
      status: "offline",
    });
    expect(resource(c, "qemu/101")).toEqual({
      id: "qemu/101",
      vmid: 101,
      node: "pve2",
      type: "qemu",
      status: "unknown",
    });
    expect(resource(c, "qemu/102")).toEqual({
      id: "qemu/102",
      vmid: 102,
      node: "pve2",
      type: "qemu",
      status: "unknown",
      pool: "prod",
      tags: "a;b",
    });
    const storage = resource(c, "storage/pve2/local");
    expect(storage?.status).toBe("unknown");
    expect(storage).not.toHaveProperty("disk");
    expect(storage).not.toHaveProperty("maxdisk");
    const status = renderClusterStatus(c);
    expect(status.find((e) => e.id === "node/pve2")?.online).toBe(0);
    expect(status[0]?.quorate).toBe(1);
    expect(renderNodes(c, ALL).find((e) => e.node === "pve2")).toEqual({
      id: "node/pve2",
      node: "pve2",
      type: "node",
      status: "offline",
      ssl_fingerprint: c.nodes[1]?.sslFingerprint,
    });
  });

  it("brings a crashed node back rebooted, its guests restarted", () => {
    const c = createSimCluster(
      scenario([
        { at: 10, action: "node-offline", node: "pve3" },
        { at: 500, action: "node-online", node: "pve3" },
      ]),
    );
    applyTimeline(c, 560);
    expect(resource(c, "node/pve3")).toMatchObject({ status: "online", uptime: 60 });
    expect(resource(c, "lxc/103")).toMatchObject({ status: "running", uptime: 60, name: "ct" });
  });

  it("loses quorum with the majority of nodes, or when told to", () => {
    const c = createSimCluster(
      scenario([
        { at: 10, action: "quorum-lost" },
        { at: 20, action: "quorum-regained" },
        { at: 30, action: "node-offline", node: "pve1" },
        { at: 31, action: "node-offline", node: "pve2", reason: "network" },
      ]),
    );
    const quorate = (t: number): unknown => {
      applyTimeline(c, t);
      return renderClusterStatus(c)[0]?.quorate;
    };
    expect(quorate(5)).toBe(1);
    expect(quorate(15)).toBe(0);
    expect(quorate(25)).toBe(1);
    expect(quorate(30.5)).toBe(1);
    expect(quorate(32)).toBe(0);
  });

  it("adds, changes and removes guests", () => {
    const c = createSimCluster(
      scenario([
        {
          at: 5,
          action: "add-guest",
          guest: { vmid: 200, name: "new", node: "pve1", type: "lxc", tags: "x;y" },
        },
        { at: 6, action: "set", vmid: 200, cpu: 0.75, tags: ["z"] },
        { at: 7, action: "set", node: "pve1", mem: 0.9 },
        { at: 8, action: "set", vmid: 101, status: "io-error" },
        { at: 9, action: "remove-guest", vmid: 100 },
      ]),
    );
    applyTimeline(c, 30);
    expect(resource(c, "lxc/200")).toMatchObject({
      name: "new",
      cpu: 0.75,
      tags: "z",
      status: "running",
    });
    expect(resource(c, "qemu/100")).toBeUndefined();
    expect(resource(c, "qemu/101")?.status).toBe("io-error");
    const node = resource(c, "node/pve1");
    expect((node?.mem as number) / (node?.maxmem as number)).toBeCloseTo(0.9, 5);
  });

  it("keeps metrics plausible as they move", () => {
    const c = createSimCluster(scenario([]));
    for (let t = 10; t <= 3600; t += 10) {
      applyTimeline(c, t);
      for (const e of renderClusterResources(c, ALL)) {
        if (e.type === "qemu" || e.type === "lxc" || e.type === "node") {
          expect(e.cpu as number).toBeGreaterThanOrEqual(0);
          expect(e.cpu as number).toBeLessThanOrEqual(1);
          expect(e.mem as number).toBeLessThanOrEqual(e.maxmem as number);
          expect(Number.isInteger(e.mem)).toBe(true);
          expect(Number.isInteger(e.uptime)).toBe(true);
        }
      }
    }
    const cpu = c.nodes.map((n) => n.cpu);
    expect(new Set(cpu).size).toBe(cpu.length);
  });
});
