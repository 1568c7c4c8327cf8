import { describe, it, expect } from "vitest";
import { assembleSnapshot } from "../../src/model/snapshot";
import { decodeResources } from "../../src/model/decode-resources";
import { decodeClusterStatus } from "../../src/model/decode-cluster-status";
import { decodeVersion } from "../../src/model/decode-version";
import { expectValidSnapshot, fixtureData } from "./helpers";

function resourcesOf(data: unknown) {
  const r = decodeResources(data);
  if (r === null) throw new Error("not a list");
  return r;
}

describe("assembleSnapshot", () => {
  it("puts the go-proxmox captures together unchanged", () => {
    const resources = resourcesOf(fixtureData("go-proxmox__pve7x_cluster_resources.json"));
    const cluster = decodeClusterStatus(fixtureData("go-proxmox__pve7x_cluster_status.json"));
    const snapshot = assembleSnapshot({
      resources,
      cluster,
      version: decodeVersion({ version: "7.4-16" }),
    });
    expect(snapshot.cluster).toEqual({ name: "clustername", quorate: true, version: "7.4-16" });
    expect(snapshot.nodes).toEqual(resources.nodes);
    expect(snapshot.guests).toEqual(resources.guests);
    expect(snapshot.storage).toEqual(resources.storage);
    expectValidSnapshot(snapshot);
  });

  it("leaves cluster facts unknown when they were not read", () => {
    const snapshot = assembleSnapshot({ resources: resourcesOf([]) });
    expect(snapshot).toEqual({
      cluster: { name: null, quorate: null, version: null },
      nodes: [],
      guests: [],
      storage: [],
    });
    expect(
      assembleSnapshot({ resources: resourcesOf([]), cluster: null, version: null }).cluster,
    ).toEqual({ name: null, quorate: null, version: null });
  });

  it("passes a standalone node's status through (no name, quorum unknown)", () => {
    const cluster = decodeClusterStatus([{ type: "node", name: "pve", online: 1 }]);
    const snapshot = assembleSnapshot({ resources: resourcesOf([]), cluster, version: "9.1.1" });
    expect(snapshot.cluster).toEqual({ name: null, quorate: null, version: "9.1.1" });
  });

  it("keeps one copy of a migrating guest: the one on an online node", () => {
    const resources = resourcesOf([
      { type: "node", node: "old", status: "offline" },
      { type: "node", node: "new", status: "online" },
      { type: "qemu", vmid: 100, node: "old", status: "running", name: "stale" },
      { type: "qemu", vmid: 101, node: "new", status: "running", name: "other" },
      { type: "qemu", vmid: 100, node: "new", status: "running", name: "live" },
      { type: "qemu", vmid: 100, node: "old", status: "stopped", name: "later" },
    ]);
    const snapshot = assembleSnapshot({ resources });
    expect(snapshot.guests.map((g) => [g.vmid, g.node, g.name])).toEqual([
      [100, "new", "live"],
      [101, "new", "other"],
    ]);
  });

  it("keeps the first copy when neither or both nodes are online", () => {
    const resources = resourcesOf([
      { type: "node", node: "a", status: "online" },
      { type: "node", node: "b", status: "online" },
      { type: "lxc", vmid: 200, node: "a", name: "first" },
      { type: "lxc", vmid: 200, node: "b", name: "second" },
      { type: "qemu", vmid: 300, node: "x", name: "first" },
      { type: "qemu", vmid: 300, node: "y", name: "second" },
    ]);
    const snapshot = assembleSnapshot({ resources });
    expect(snapshot.guests.map((g) => [g.vmid, g.name])).toEqual([
      [200, "first"],
      [300, "first"],
    ]);
  });

  it("does not touch the status of guests on an offline node", () => {
    const resources = resourcesOf([
      { type: "node", node: "down", status: "offline" },
      { type: "qemu", vmid: 100, node: "down", status: "running", name: "stale" },
      { type: "qemu", vmid: 101, node: "down", status: "unknown" },
    ]);
    const snapshot = assembleSnapshot({ resources });
    expect(snapshot.guests.map((g) => [g.status, g.name])).toEqual([
      ["running", "stale"],
      ["unknown", "VM 101"],
    ]);
  });

  it("de-duplicates nodes by name and storage by node and id", () => {
    const resources = resourcesOf([
      { type: "node", node: "a", status: "online", maxcpu: 4 },
      { type: "node", node: "a", status: "offline", maxcpu: 8 },
      { type: "storage", node: "a", storage: "local", disk: 1 },
      { type: "storage", node: "b", storage: "local", disk: 2 },
      { type: "storage", node: "a", storage: "local", disk: 3 },
    ]);
    const snapshot = assembleSnapshot({ resources });
    expect(snapshot.nodes.map((n) => [n.name, n.maxcpu])).toEqual([["a", 4]]);
    expect(snapshot.storage.map((s) => [s.node, s.used])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("treats node names like __proto__ as ordinary keys", () => {
    const resources = resourcesOf([
      { type: "node", node: "__proto__", status: "offline" },
      { type: "node", node: "constructor", status: "online" },
      { type: "node", node: "__proto__", status: "online" },
      { type: "qemu", vmid: 100, node: "__proto__" },
      { type: "qemu", vmid: 100, node: "constructor" },
      { type: "storage", node: "__proto__", storage: "toString" },
      { type: "storage", node: "__proto__", storage: "toString" },
    ]);
    const snapshot = assembleSnapshot({ resources });
    expect(snapshot.nodes.map((n) => [n.name, n.status])).toEqual([
      ["__proto__", "offline"],
      ["constructor", "online"],
    ]);
    expect(snapshot.guests.map((g) => g.node)).toEqual(["constructor"]);
    expect(snapshot.storage).toHaveLength(1);
  });

  it("does not modify its input", () => {
    const resources = resourcesOf([
      { type: "qemu", vmid: 100, node: "a" },
      { type: "qemu", vmid: 100, node: "b" },
    ]);
    const before = JSON.stringify(resources);
    assembleSnapshot({ resources });
    expect(JSON.stringify(resources)).toBe(before);
  });
});
