import { describe, it, expect } from "vitest";
import {
  decodeGuestEntry,
  decodeResources,
  defaultGuestName,
  toGuestStatus,
} from "../../src/model/decode-resources";
import {
  guestInfo,
  nodeInfo,
  pveGuest,
  pveNode,
  pveStorage,
  storageInfo,
} from "../helpers/snapshots";
import { expectValidResources, fixtureData } from "./helpers";

describe("decodeResources on the PVE 7.x capture (go-proxmox)", () => {
  const decoded = decodeResources(fixtureData("go-proxmox__pve7x_cluster_resources.json"));
  if (decoded === null) throw new Error("fixture did not decode");
  const { nodes, guests, storage } = decoded;

  it("finds every entry, keeping PVE's order", () => {
    expect(guests.map((g) => g.vmid)).toEqual([100, 101, 102, 200]);
    expect(nodes.map((n) => n.name)).toEqual(["node3", "node2", "node1", "node4"]);
    expect(storage).toHaveLength(12);
    expectValidResources(decoded);
  });

  it("decodes a running VM with all its readings", () => {
    expect(guests[0]).toEqual(
      guestInfo(100, {
        type: "qemu",
        name: "server1",
        node: "node2",
        status: "running",
        template: false,
        cpu: 0.0249060195469461,
        maxcpu: 1,
        mem: 842551296,
        maxmem: 1073741824,
        disk: 0,
        maxdisk: 34359738368,
        uptime: 874350,
      }),
    );
  });

  it("recognises the template and keeps 0 readings as 0, not null", () => {
    const template = guests.find((g) => g.vmid === 101);
    expect(template?.template).toBe(true);
    expect(template?.name).toBe("leap154");
    expect(template?.status).toBe("stopped");
    expect(template?.cpu).toBe(0);
    expect(template?.mem).toBe(0);
    expect(guests.filter((g) => g.template)).toHaveLength(1);
  });

  it("keeps a '+' inside a tag (PVE allows it), splitting only on ; , and spaces", () => {
    expect(guests.find((g) => g.vmid === 102)?.tags).toEqual(["go-proxmox+cloud-init"]);
  });

  it("keeps a name that looks like PVE's default", () => {
    expect(guests.find((g) => g.vmid === 200)?.name).toBe("VM 200");
  });

  it("decodes node entries", () => {
    expect(nodes.find((n) => n.name === "node2")).toEqual(
      nodeInfo("node2", {
        status: "online",
        cpu: 0.00365387809333998,
        maxcpu: 12,
        mem: 8127873024,
        maxmem: 33567911936,
        disk: 2797338624,
        maxdisk: 940166742016,
        uptime: 874373,
      }),
    );
  });

  it("decodes storage entries: disk is used, maxdisk is total, content is a list", () => {
    expect(storage[0]).toEqual(
      storageInfo("local-zfs", "node3", {
        status: "available",
        shared: false,
        plugintype: "zfspool",
        content: ["images", "rootdir"],
        used: 98304,
        total: 479730032640,
      }),
    );
    const local = storage.find((s) => s.node === "node1" && s.storage === "local");
    expect(local?.content).toEqual(["backup", "vztmpl", "iso"]);
    expect(storage.filter((s) => s.storage === "cloud-init").map((s) => s.node)).toEqual([
      "node3",
      "node2",
      "node1",
      "node4",
    ]);
  });
});

// Shaped after pve-api.md §5 for PVE 8.3+/9.x: entry kinds the 7.x capture
// lacks, an offline node in both of its phases, and the odd values PVE sends.
const pve9Sample: unknown[] = [
  pveNode("pve1", {
    status: "online",
    cpu: 0.12,
    maxcpu: 16,
    mem: 1000,
    maxmem: 64000,
    disk: 5,
    maxdisk: 100,
    uptime: 3600,
    level: "c",
    "cgroup-mode": 2,
    hastate: "online",
    "host-arch": "x86_64",
  }),
  // Offline, RRD data still fresh: capacities stay, live stats are gone.
  pveNode("pve2", { status: "offline", level: "", maxcpu: 8, maxmem: 32000, maxdisk: 50 }),
  // Offline after the RRD data expired.
  pveNode("pve3", { status: "offline" }),
  pveGuest("qemu", 100, "pve1", {
    status: "io-error",
    name: "db",
    cpu: 0.5,
    maxcpu: 2,
    mem: 10,
    maxmem: 20,
    disk: 0,
    maxdisk: 30,
    uptime: 12,
    template: 0,
    tags: "prod;db;prod",
    pool: "production",
    hastate: "started",
    lock: "backup",
    netin: 1,
    netout: 2,
    diskread: 3,
    diskwrite: 4,
    memhost: 11,
  }),
  pveGuest("lxc", 101, "pve1", {
    status: "running",
    name: "web",
    cpu: -5.75e-5,
    maxcpu: 1,
    mem: "1024",
    maxmem: "2048",
    disk: "744189952",
    maxdisk: "5217320960",
    uptime: "99",
    tags: "b, a ;c",
  }),
  // Guests on the long-offline node: no RRD data, so no name and no metrics.
  pveGuest("qemu", 102, "pve3", { status: "unknown" }),
  pveGuest("lxc", 103, "pve3", { status: "unknown" }),
  pveGuest("qemu", 104, "pve1", { status: "paused", name: "" }),
  pveGuest("qemu", 105, "pve1", { status: "suspended", name: "s", template: 1 }),
  pveGuest("qemu", 106, "pve1", { status: "prelaunch", name: "p" }),
  pveStorage("pve1", "local", {
    plugintype: "dir",
    status: "available",
    shared: 0,
    content: "iso,vztmpl,backup",
    disk: 10,
    maxdisk: 100,
  }),
  pveStorage("pve3", "ceph", {
    plugintype: "rbd",
    status: "unknown",
    shared: 1,
    content: "images,rootdir",
  }),
  { id: "/pool/production", pool: "production", type: "pool", cpu: 0.5, mem: 10 },
  { id: "sdn/pve1/localnetwork", sdn: "localnetwork", node: "pve1", type: "sdn", status: "ok" },
  {
    id: "network/pve1/zone/z1",
    network: "z1",
    "network-type": "zone",
    node: "pve1",
    type: "network",
    status: "ok",
  },
  { id: "openvz/107", vmid: 107, node: "pve1", type: "openvz", status: "running" },
];

describe("decodeResources on a PVE 9 style sample", () => {
  const decoded = decodeResources(pve9Sample);
  if (decoded === null) throw new Error("sample did not decode");
  const guest = (vmid: number) => decoded.guests.find((g) => g.vmid === vmid);

  it("skips pool, sdn, network and openvz entries", () => {
    expect(decoded.guests.map((g) => g.vmid)).toEqual([100, 101, 102, 103, 104, 105, 106]);
    expect(decoded.nodes.map((n) => n.name)).toEqual(["pve1", "pve2", "pve3"]);
    expect(decoded.storage.map((s) => s.storage)).toEqual(["local", "ceph"]);
    expectValidResources(decoded);
  });

  it("keeps QEMU run states beyond running/stopped", () => {
    expect(guest(100)?.status).toBe("io-error");
    expect(guest(104)?.status).toBe("paused");
    expect(guest(105)?.status).toBe("suspended");
    expect(guest(106)?.status).toBe("prelaunch");
  });

  it("decodes the optional guest fields", () => {
    expect(guest(100)).toMatchObject({
      tags: ["prod", "db"],
      pool: "production",
      hastate: "started",
      lock: "backup",
      template: false,
    });
    expect(guest(105)?.template).toBe(true);
    expect(guest(106)).toMatchObject({ tags: [], pool: null, lock: null, hastate: null });
  });

  it("clamps slightly negative CPU to 0 and reads numbers sent as strings", () => {
    expect(guest(101)).toMatchObject({
      cpu: 0,
      mem: 1024,
      maxmem: 2048,
      disk: 744189952,
      maxdisk: 5217320960,
      uptime: 99,
      tags: ["b", "a", "c"],
    });
  });

  it("gives nameless guests PVE's default names and leaves unknown readings null", () => {
    expect(guest(102)).toEqual(
      guestInfo(102, { type: "qemu", name: "VM 102", node: "pve3", status: "unknown" }),
    );
    expect(guest(103)?.name).toBe("CT103");
    expect(guest(104)?.name).toBe("VM 104");
  });

  it("leaves an offline node's missing stats null, keeping what PVE still sends", () => {
    const [pve1, pve2, pve3] = decoded.nodes;
    expect(pve1?.hastate).toBe("online");
    expect(pve2).toEqual(
      nodeInfo("pve2", { status: "offline", maxcpu: 8, maxmem: 32000, maxdisk: 50 }),
    );
    expect(pve3).toMatchObject({ status: "offline", cpu: null, maxcpu: null, uptime: null });
  });

  it("leaves an unreachable storage's sizes null", () => {
    expect(decoded.storage[1]).toEqual(
      storageInfo("ceph", "pve3", {
        status: "unknown",
        shared: true,
        plugintype: "rbd",
        content: ["images", "rootdir"],
      }),
    );
  });
});

describe("decodeResources with damaged input", () => {
  it("is null only when the payload is not a list", () => {
    for (const v of [null, undefined, {}, { data: [] }, "[]", 5, true]) {
      expect(decodeResources(v)).toBeNull();
    }
    expect(decodeResources([])).toEqual({ nodes: [], guests: [], storage: [] });
  });

  it("skips entries that are not objects or have no usable id", () => {
    const r = decodeResources([
      null,
      5,
      "qemu/100",
      [{ type: "qemu", vmid: 100, node: "a" }],
      { type: "qemu", node: "a" },
      { type: "qemu", vmid: 0, node: "a" },
      { type: "qemu", vmid: -3, node: "a" },
      { type: "qemu", vmid: 1.5, node: "a" },
      { type: "qemu", vmid: "abc", node: "a" },
      { type: "qemu", vmid: 1e12, node: "a" },
      { type: "lxc", vmid: 100 },
      { type: "node", status: "online" },
      { type: "node", node: "  ", status: "online" },
      { type: "storage", node: "a" },
      { type: "storage", id: "storage/a" },
      { type: "QEMU", vmid: 100, node: "a" },
      { type: "", vmid: 100, node: "a" },
    ]);
    expect(r).toEqual({ nodes: [], guests: [], storage: [] });
  });

  it("falls back to the id for a missing vmid, type, node or storage name", () => {
    const r = decodeResources([
      { id: "qemu/300", node: "a", type: "qemu" },
      { id: "lxc/301", node: "a", vmid: "x" },
      { id: "node/n1", type: "node", status: "online" },
      { id: "storage/n1/local", type: "storage" },
      { id: "storage/n1/local-lvm" },
    ]);
    expect(r?.guests.map((g) => [g.vmid, g.type, g.name])).toEqual([
      [300, "qemu", "VM 300"],
      [301, "lxc", "CT301"],
    ]);
    expect(r?.nodes.map((n) => n.name)).toEqual(["n1"]);
    expect(r?.storage.map((s) => [s.node, s.storage, s.status])).toEqual([
      ["n1", "local", "unknown"],
      ["n1", "local-lvm", "unknown"],
    ]);
  });

  it("degrades single fields, never the entry", () => {
    const r = decodeResources([
      {
        id: "qemu/100",
        vmid: "100",
        node: "a",
        type: "qemu",
        name: { x: 1 },
        status: 7,
        template: "yes",
        cpu: "high",
        maxcpu: -1,
        mem: [],
        maxmem: null,
        disk: true,
        maxdisk: "NaN",
        uptime: Infinity,
        tags: 42,
        pool: 1,
        lock: [],
        hastate: {},
      },
    ]);
    expect(r?.guests).toEqual([
      guestInfo(100, { type: "qemu", name: "VM 100", node: "a", status: "unknown" }),
    ]);
  });

  it("normalises odd statuses", () => {
    expect(toGuestStatus(" Running ")).toBe("running");
    expect(toGuestStatus("guest-panicked")).toBe("guest-panicked");
    expect(toGuestStatus("io_error")).toBe("unknown");
    expect(toGuestStatus("<b>x</b>")).toBe("unknown");
    expect(toGuestStatus(null)).toBe("unknown");
    const r = decodeResources([
      { id: "node/a", node: "a", type: "node", status: "ONLINE" },
      { id: "node/b", node: "b", type: "node", status: "maintenance" },
    ]);
    expect(r?.nodes.map((n) => n.status)).toEqual(["online", "unknown"]);
  });

  it("cleans names shown in the UI and in notifications", () => {
    const r = decodeResources([
      { vmid: 100, node: "a\u0000b", type: "qemu", name: "evil\nname\u202e\u0007" },
      { vmid: 101, node: "a", type: "qemu", name: "x".repeat(100000) },
      { vmid: 102, node: "a", type: "qemu", name: "\u0001\u0002" },
    ]);
    expect(r?.guests.map((g) => [g.node, g.name])).toEqual([
      ["ab", "evil name"],
      ["a", "x".repeat(200)],
      ["a", "VM 102"],
    ]);
  });

  it("reads own properties only", () => {
    const polluted = JSON.parse(
      '[{"__proto__":{"vmid":100,"node":"a","type":"qemu"}},' +
        '{"type":"qemu","vmid":101,"node":"a","__proto__":{"name":"inherited"}}]',
    ) as unknown;
    const r = decodeResources(polluted);
    expect(r?.guests.map((g) => [g.vmid, g.name])).toEqual([[101, "VM 101"]]);
  });

  it("survives entries whose properties throw", () => {
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
        has() {
          throw new Error("boom");
        },
        getOwnPropertyDescriptor() {
          throw new Error("boom");
        },
      },
    );
    const getter = {
      type: "qemu",
      node: "a",
      get vmid(): number {
        throw new Error("boom");
      },
    };
    const r = decodeResources([trap, getter, { type: "lxc", vmid: 5, node: "a" }]);
    expect(r?.guests.map((g) => g.vmid)).toEqual([5]);
  });

  it("copes with sparse arrays", () => {
    const sparse: unknown[] = [];
    sparse[3] = { type: "lxc", vmid: 200, node: "a" };
    expect(decodeResources(sparse)?.guests.map((g) => g.vmid)).toEqual([200]);
  });
});

describe("decodeGuestEntry on per-node list captures", () => {
  // /nodes/{node}/lxc and /qemu lack "node" and "type" (the caller knows
  // them); these captures show the pre-PVE-8.1 string vmids and
  // pre-PVE-7 string sizes the decoder must take.
  it("reads string vmids and sizes", () => {
    const lxc = fixtureData("telegraf__lxc_list_pve6_strings.json") as Record<string, unknown>[];
    const ct = decodeGuestEntry({ ...lxc[0], node: "pve" }, "lxc");
    expect(ct).toMatchObject({
      vmid: 111,
      name: "container1",
      disk: 744189952,
      maxdisk: 5217320960,
      cpu: 0.00371567669193613,
    });
    const qemu = fixtureData("telegraf__qemu_list_pve6.json") as Record<string, unknown>[];
    expect(decodeGuestEntry({ ...qemu[0], node: "pve" }, "qemu")).toMatchObject({
      vmid: 113,
      name: "qemu1",
      status: "running",
    });
  });

  it("reads the go-proxmox LXC list with its template", () => {
    const lxc = fixtureData("go-proxmox__pve7x_lxc_list.json") as Record<string, unknown>[];
    const cts = lxc.map((e) => decodeGuestEntry({ ...e, node: "node1" }, "lxc"));
    expect(cts.map((c) => [c?.vmid, c?.name, c?.template])).toEqual([
      [106, "test", false],
      [105, "zort", false],
      [101, "test-container", true],
    ]);
  });

  it("reads the ansible qemu list (integer vmids, no template key)", () => {
    const qemu = fixtureData("community.proxmox__vm_info_nodes_qemu.json") as Record<
      string,
      unknown
    >[];
    const vms = qemu.map((e) => decodeGuestEntry({ ...e, node: "pve" }, "qemu"));
    expect(vms.map((v) => [v?.vmid, v?.name, v?.status, v?.template, v?.maxdisk])).toEqual([
      [101, "test1", "stopped", false, 0],
      [100, "pxe.home.arpa", "running", false, 34359738368],
    ]);
  });

  it("names guests like PVE does", () => {
    expect(defaultGuestName("qemu", 100)).toBe("VM 100");
    expect(defaultGuestName("lxc", 100)).toBe("CT100");
  });
});

describe("decodeGuestEntry reads fields directly only when that is the same as own()", () => {
  const entry = {
    id: "qemu/100",
    type: "qemu",
    vmid: 100,
    node: "pve1",
    name: "web",
    status: "running",
    cpu: 0.5,
    mem: 1024,
    maxmem: 4096,
  };

  it("ignores a field someone added to Object.prototype", () => {
    const clean = decodeGuestEntry(JSON.parse(JSON.stringify(entry)), "qemu");
    const proto = Object.prototype as Record<string, unknown>;
    proto["lock"] = "backup";
    proto["uptime"] = 99;
    try {
      const polluted = decodeGuestEntry(JSON.parse(JSON.stringify(entry)), "qemu");
      expect(polluted).toEqual(clean);
      expect(polluted).toMatchObject({ lock: null, uptime: null });
      expect(decodeResources(JSON.parse(JSON.stringify([entry])))!.guests).toEqual([clean]);
    } finally {
      delete proto["lock"];
      delete proto["uptime"];
    }
  });

  it("ignores an inherited type, with or without an own one", () => {
    const { type: _type, ...untyped } = { ...entry, type: "qemu" };
    const proto = Object.prototype as Record<string, unknown>;
    proto["type"] = "node";
    try {
      const body = JSON.parse(JSON.stringify([{ ...entry, type: "qemu" }, untyped]));
      expect(decodeResources(body)!.guests.map((g) => g.vmid)).toEqual([100, 100]);
      expect(decodeResources(body)!.nodes).toEqual([]);
    } finally {
      delete proto["type"];
    }
  });

  it("decodes each guest's node, also when the names alternate", () => {
    const nodes = ["pve1", "pve1", "pve2", " pve2 ", "pve1", "bad\u0000", "pve3"];
    const body = nodes.map((node, i) => ({ ...entry, vmid: 100 + i, node }));
    expect(decodeResources(JSON.parse(JSON.stringify(body)))!.guests.map((g) => g.node)).toEqual([
      "pve1",
      "pve1",
      "pve2",
      "pve2",
      "pve1",
      "bad",
      "pve3",
    ]);
  });

  it("gives untagged guests an empty list no one can change", () => {
    const guests = decodeResources([{ ...entry }, { ...entry, vmid: 101, tags: "" }])!.guests;
    expect(guests.map((g) => g.tags)).toEqual([[], []]);
    expect(Object.isFrozen(guests[0]!.tags)).toBe(true);
  });

  it("ignores fields an entry only inherits", () => {
    const inherited = Object.create({ name: "inherited", pool: "p" }) as Record<string, unknown>;
    Object.assign(inherited, entry);
    delete inherited["name"];
    expect(decodeGuestEntry(inherited, "qemu")).toMatchObject({ name: "VM 100", pool: null });
  });

  it("gives the same as the coercions for values that are not the usual ones", () => {
    const odd = decodeGuestEntry(
      {
        ...entry,
        vmid: "100",
        cpu: "1.5",
        mem: -0,
        maxmem: "4096",
        template: "1",
        status: " Paused ",
      },
      "qemu",
    );
    expect(odd).toMatchObject({
      vmid: 100,
      cpu: 1,
      mem: 0,
      maxmem: 4096,
      template: true,
      status: "paused",
    });
    expect(Object.is(odd!.mem, 0)).toBe(true);
  });
});
