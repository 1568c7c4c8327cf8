// Shapes are checked against the real captures in tests/fixtures, by keys
// and value kinds only, so the simulator stays honest to the wire format
// without depending on any decoder.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createAcl } from "../../src/sim-engine/acl";
import { createSimCluster } from "../../src/sim-engine/cluster-model";
import type { Entry } from "../../src/sim-engine/render";
import {
  renderClusterResources,
  renderClusterStatus,
  renderGuestCurrent,
  renderGuestList,
  renderNodeStatus,
  renderNodes,
  renderPermissions,
  renderVersion,
} from "../../src/sim-engine/render";
import { applyTimeline, mustParseScenario } from "../../src/sim-engine/scenario";

function fixture(name: string): Entry[] & Entry {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
  return (JSON.parse(text) as { data: Entry[] & Entry }).data;
}

function keys(e: Entry | undefined): string[] {
  return Object.keys(e ?? {}).sort();
}

function union(entries: Entry[]): string[] {
  const all = new Set<string>();
  for (const e of entries) for (const k of Object.keys(e)) all.add(k);
  return [...all].sort();
}

function make(version: string, extra: Record<string, unknown> = {}) {
  return createSimCluster(
    mustParseScenario({
      version,
      cluster: { name: "lab", nodes: [{ name: "pve1" }, { name: "pve2" }] },
      storage: [
        { storage: "local", type: "dir", content: "backup,iso,vztmpl" },
        { storage: "local-zfs", type: "zfspool", content: "images,rootdir" },
        { storage: "nas", type: "nfs", content: "backup", shared: true, maxdisk: "2T" },
      ],
      guests: [
        {
          vmid: 100,
          name: "web",
          node: "pve1",
          tags: ["web", "prod"],
          pool: "prod",
          hastate: "started",
        },
        { vmid: 101, name: "stopped-vm", node: "pve1", status: "stopped" },
        { vmid: 102, name: "tmpl", node: "pve2", template: true },
        { vmid: 103, name: "ct", node: "pve2", type: "lxc", lock: "backup" },
        { vmid: 104, name: "ct-off", node: "pve2", type: "lxc", status: "stopped" },
      ],
      ...extra,
    }),
  );
}

const ALL = createAcl(null);

describe("/cluster/resources", () => {
  const captured = fixture("go-proxmox__pve7x_cluster_resources.json");
  const c = make("7.4-16");
  const entries = renderClusterResources(c, ALL);
  const byId = (id: string) => entries.find((e) => e.id === id);

  it("renders guests with the captured keys, 0/1 template and no nulls", () => {
    const capturedQemu = union(captured.filter((e) => e.type === "qemu" && !("tags" in e)));
    expect(keys(byId("qemu/101"))).toEqual(capturedQemu);
    expect(keys(byId("qemu/100"))).toEqual([...capturedQemu, "hastate", "pool", "tags"].sort());
    expect(byId("qemu/100")?.tags).toBe("prod;web");
    expect(byId("qemu/100")?.template).toBe(0);
    expect(byId("qemu/102")?.template).toBe(1);
    expect(byId("lxc/103")).toMatchObject({ type: "lxc", lock: "backup", status: "running" });
    for (const e of entries) for (const v of Object.values(e)) expect(v).not.toBeNull();
  });

  it("renders nodes and storage exactly with the captured keys", () => {
    expect(keys(byId("node/pve1"))).toEqual(union(captured.filter((e) => e.type === "node")));
    expect(keys(byId("storage/pve1/local"))).toEqual(
      union(captured.filter((e) => e.type === "storage")),
    );
    expect(byId("storage/pve1/nas")).toMatchObject({
      shared: 1,
      plugintype: "nfs",
      content: "backup",
      status: "available",
    });
    expect(byId("storage/pve2/nas")?.disk).toBe(byId("storage/pve1/nas")?.disk);
    expect(byId("storage/pve1/local-zfs")?.shared).toBe(0);
  });

  it("adds a pool entry with a leading-slash id and an sdn entry per node", () => {
    expect(entries[0]).toMatchObject({ id: "/pool/prod", pool: "prod", type: "pool" });
    expect(entries[0]?.maxcpu).toBe(byId("qemu/100")?.maxcpu);
    expect(byId("sdn/pve2/localnetwork")).toEqual({
      id: "sdn/pve2/localnetwork",
      sdn: "localnetwork",
      node: "pve2",
      type: "sdn",
      status: "ok",
    });
  });

  it("grows fields with the PVE version", () => {
    const v9 = renderClusterResources(make("9.1.4"), ALL);
    const vm = v9.find((e) => e.id === "qemu/100");
    expect(vm).toHaveProperty("memhost");
    expect(v9.find((e) => e.id === "node/pve1")).toMatchObject({
      "cgroup-mode": 2,
      hastate: "online",
    });
    const v72 = renderClusterResources(make("7.2-3"), ALL);
    expect(v72.find((e) => e.id === "qemu/100")).not.toHaveProperty("tags");
    expect(v72.find((e) => e.id === "node/pve1")).not.toHaveProperty("cgroup-mode");
  });

  it("filters by type like PVE (pools only without a filter)", () => {
    const types = (f: "vm" | "node" | "storage" | "sdn") =>
      [...new Set(renderClusterResources(c, ALL, f).map((e) => e.type))].sort();
    expect(types("vm")).toEqual(["lxc", "qemu"]);
    expect(types("node")).toEqual(["node"]);
    expect(types("storage")).toEqual(["storage"]);
    expect(types("sdn")).toEqual(["sdn"]);
  });

  it("filters by the token's privileges like PVE", () => {
    const acl = createAcl({
      "/nodes/pve1": { "Sys.Audit": 1 },
      "/vms/100": { "VM.Audit": 0 },
      "/pool/prod": { "Pool.Audit": 1 },
    });
    const seen = renderClusterResources(c, acl);
    expect(seen.filter((e) => e.type === "qemu" || e.type === "lxc").map((e) => e.id)).toEqual([
      "qemu/100",
    ]);
    expect(seen.find((e) => e.id === "node/pve2")).toEqual({
      id: "node/pve2",
      node: "pve2",
      type: "node",
      status: "online",
      level: "",
    });
    expect(seen.find((e) => e.id === "node/pve1")).toHaveProperty("cpu");
    expect(seen.some((e) => e.type === "storage" || e.type === "sdn")).toBe(false);
    expect(seen.some((e) => e.id === "/pool/prod")).toBe(true);
  });

  it("lets a deeper ACL entry replace what '/' granted", () => {
    const acl = createAcl({
      "/": { "Sys.Audit": 1, "VM.Audit": 1 },
      "/vms/101": { "VM.Console": 1 },
    });
    const ids = renderClusterResources(c, acl, "vm").map((e) => e.id);
    expect(ids).toContain("qemu/100");
    expect(ids).not.toContain("qemu/101");
  });
});

describe("other endpoints", () => {
  it("/cluster/status has the captured shape with 0/1 flags", () => {
    const captured = fixture("go-proxmox__pve7x_cluster_status.json");
    const c = make("7.4-16");
    const status = renderClusterStatus(c);
    expect(keys(status[0])).toEqual(keys(captured[0]));
    expect(keys(status[1])).toEqual(keys(captured[1]));
    expect(status[0]).toMatchObject({
      type: "cluster",
      id: "cluster",
      name: "lab",
      nodes: 2,
      quorate: 1,
    });
    expect(status.map((e) => e.local)).toEqual([undefined, 1, 0]);
    expect(status.slice(1).map((e) => e.online)).toEqual([1, 1]);
  });

  it("/cluster/status of a standalone node is a single node entry", () => {
    const c = createSimCluster(
      mustParseScenario({ cluster: { name: null, nodes: [{ name: "pve" }] }, guests: [] }),
    );
    expect(renderClusterStatus(c)).toEqual([
      {
        type: "node",
        id: "node/pve",
        name: "pve",
        nodeid: 0,
        ip: "192.168.10.11",
        local: 1,
        online: 1,
        level: "",
      },
    ]);
  });

  it("/nodes carries ssl_fingerprint; the local node's is the served certificate's", () => {
    const captured = fixture("go-proxmox__pve7x_nodes.json");
    const c = createSimCluster(mustParseScenario({ cluster: { count: 2 }, guests: [] }), {
      localFingerprint: "AA:BB",
    });
    const nodes = renderNodes(c, ALL);
    expect(keys(nodes[0])).toEqual(union(captured));
    expect(nodes[0]?.ssl_fingerprint).toBe("AA:BB");
    expect(nodes[1]?.ssl_fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("/nodes/{n}/status matches the capture for PVE 7 and grows for 8.1 and 9", () => {
    const captured = fixture("go-proxmox__pve7x_node_status.json");
    const v7 = make("7.4-16");
    const status7 = renderNodeStatus(v7, v7.nodes[0]!);
    expect(keys(status7)).toEqual(keys(captured));
    expect(keys(status7.cpuinfo as Entry)).toEqual(keys(captured.cpuinfo as Entry));
    expect(keys(status7.memory as Entry)).toEqual(keys(captured.memory as Entry));
    expect((status7.loadavg as unknown[]).every((l) => typeof l === "string")).toBe(true);
    expect(status7.pveversion).toMatch(/^pve-manager\/7\.4-16\/[0-9a-f]{8}$/);
    const v9 = make("9.1.4");
    const status9 = renderNodeStatus(v9, v9.nodes[0]!);
    expect(status9).toHaveProperty("current-kernel");
    expect(status9).toHaveProperty("boot-info");
    expect(status9.memory).toHaveProperty("available");
  });

  it("/version", () => {
    const c = make("8.4.14");
    expect(renderVersion(c)).toEqual({
      version: "8.4.14",
      release: "8.4",
      repoid: c.version.repoid,
    });
    expect(c.version.repoid).toMatch(/^[0-9a-f]{16}$/);
  });

  it("/nodes/{n}/lxc and qemu lists follow the captures", () => {
    const v7 = make("7.4-16");
    const lxc = renderGuestList(v7, v7.nodes[1]!, ALL, "lxc", false);
    const capturedLxc = fixture("go-proxmox__pve7x_lxc_list.json");
    expect(keys(lxc.find((e) => e.name === "ct-off"))).toEqual(
      keys(capturedLxc[2]).filter((k) => k !== "template"),
    );
    expect(keys(lxc.find((e) => e.name === "ct"))).toEqual(
      [...keys(capturedLxc[0]), "lock"].sort(),
    );
    expect(lxc[0]?.vmid).toBe("103");
    const v9 = make("9.1.4");
    expect(renderGuestList(v9, v9.nodes[1]!, ALL, "lxc", false)[0]?.vmid).toBe(103);
    expect(renderGuestList(v9, v9.nodes[1]!, ALL, "lxc", false)[0]?.pressurecpusome).toMatch(
      /^\d+\.\d\d$/,
    );

    const qemu = renderGuestList(v7, v7.nodes[0]!, ALL, "qemu", true);
    const capturedQemu = fixture("community.proxmox__vm_info_nodes_qemu.json");
    expect(keys(qemu.find((e) => e.vmid === 101))).toEqual(keys(capturedQemu[0]));
    expect(keys(qemu.find((e) => e.vmid === 100))).toEqual(
      [...keys(capturedQemu[1]), "qmpstatus", "tags"].sort(),
    );
    const templates = renderGuestList(v7, v7.nodes[1]!, ALL, "qemu", false);
    expect(templates[0]).toMatchObject({ vmid: 102, template: 1, status: "stopped" });
  });

  it("a paused VM is 'running' with qmpstatus 'paused' in the node list", () => {
    const c = make("8.4.14");
    const vm = c.guests[0]!;
    vm.status = "paused";
    const [entry] = renderGuestList(c, c.nodes[0]!, ALL, "qemu", true);
    expect(entry).toMatchObject({ status: "running", qmpstatus: "paused" });
    expect(renderGuestCurrent(c, vm)).toMatchObject({
      qmpstatus: "paused",
      ha: { managed: 1, state: "started" },
    });
  });

  it("/access/permissions lists privileges per path with the propagate flag", () => {
    const c = make("9.1.4", {
      token: {
        id: "monitor@pve!proxmon",
        secret: "x",
        privileges: {
          "/": ["Sys.Audit"],
          "/vms": { "VM.Audit": 1 },
          "/nodes/pve1": { "Sys.Console": 0 },
        },
      },
    });
    const acl = createAcl(c.token!.privileges);
    expect(renderPermissions(c, acl, null)).toEqual({
      "/": { "Sys.Audit": 1 },
      "/vms": { "VM.Audit": 1 },
      "/nodes/pve1": { "Sys.Console": 0 },
    });
    expect(renderPermissions(c, acl, "/vms/100")).toEqual({ "/vms/100": { "VM.Audit": 1 } });
    expect(renderPermissions(c, acl, "/nodes/pve2")).toEqual({ "/nodes/pve2": { "Sys.Audit": 1 } });
  });

  it("a stale guest keeps pool, lock and tags (they come from config, not RRD)", () => {
    const c = make("9.1.4", { timeline: [{ at: 1, action: "node-offline", node: "pve2" }] });
    applyTimeline(c, 400);
    expect(renderClusterResources(c, ALL).find((e) => e.id === "lxc/103")).toEqual({
      id: "lxc/103",
      vmid: 103,
      node: "pve2",
      type: "lxc",
      status: "unknown",
      lock: "backup",
    });
  });
});
