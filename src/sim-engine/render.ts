// The model rendered in PVE's own wire shapes (pve-manager's Cluster.pm,
// Nodes.pm, API2Tools.pm; qemu-server and pve-container vmstatus): 0/1 for
// booleans, optional fields left out rather than null, fields appearing with
// the PVE version that introduced them. Each function returns the value of
// the envelope's `data`.

import type { Acl } from "./acl";
import { normaliseAclPath } from "./acl";
import type { SimCluster, SimGuest, SimNode, SimStorage } from "./cluster-model";
import {
  findNode,
  guestUptime,
  hasFreshRrd,
  isAliveStatus,
  isQuorate,
  nodeUptime,
} from "./cluster-model";
import { versionAtLeast, versionParts } from "./scenario";

export type Entry = Record<string, unknown>;

export const RESOURCE_TYPES = ["vm", "storage", "node", "sdn"] as const;
export type ResourceTypeFilter = (typeof RESOURCE_TYPES)[number];

function flag(value: boolean): number {
  return value ? 1 : 0;
}

function atLeast(cluster: SimCluster, major: number, minor: number, patch = 0): boolean {
  return versionAtLeast(cluster.version.version, major, minor, patch);
}

export function canAuditGuest(acl: Acl, guest: SimGuest): boolean {
  if (acl.has(`/vms/${guest.vmid}`, "VM.Audit")) return true;
  return guest.pool !== null && acl.has(`/pool/${guest.pool}`, "VM.Audit");
}

/** Tags as /cluster/resources has them since PVE 7.3: unique, sorted, ';'-joined. */
function resourceTags(tags: string[]): string {
  return tags
    .filter((t, i) => tags.indexOf(t) === i)
    .sort()
    .join(";");
}

// ---------------------------------------------------------------------------
// /cluster/resources

/** A guest as extract_vm_stats sees it: name and numbers only while its node's RRD data is fresh. */
export function renderGuestResource(cluster: SimCluster, guest: SimGuest): Entry {
  const entry: Entry = {
    id: `${guest.type}/${guest.vmid}`,
    vmid: guest.vmid,
    node: guest.node,
    type: guest.type,
    status: "unknown",
  };
  if (hasFreshRrd(cluster, findNode(cluster, guest.node))) {
    const alive = isAliveStatus(guest.status);
    entry.uptime = guestUptime(cluster, guest);
    entry.name = guest.name;
    entry.status = guest.type === "lxc" ? (alive ? "running" : "stopped") : guest.status;
    entry.template = flag(guest.template);
    entry.maxcpu = guest.maxcpu;
    entry.cpu = alive ? guest.cpu : 0;
    entry.maxmem = guest.maxmem;
    entry.mem = alive ? guest.mem : 0;
    entry.maxdisk = guest.maxdisk;
    entry.disk = guest.disk;
    entry.netin = guest.netin;
    entry.netout = guest.netout;
    entry.diskread = guest.diskread;
    entry.diskwrite = guest.diskwrite;
    if (guest.type === "qemu" && atLeast(cluster, 9, 0)) entry.memhost = alive ? guest.mem : 0;
  }
  // These come from the guest's config and user.cfg, not from RRD data.
  if (guest.pool !== null) entry.pool = guest.pool;
  if (guest.lock !== null) entry.lock = guest.lock;
  if (guest.tags.length > 0 && atLeast(cluster, 7, 3)) entry.tags = resourceTags(guest.tags);
  if (guest.hastate !== null) entry.hastate = guest.hastate;
  return entry;
}

/**
 * PVE::API2Tools::extract_node_stats: without Sys.Audit only
 * id/node/type/status/level; an offline node loses uptime/cpu/mem/disk at
 * once and everything but id/node/type/status when its RRD data expires.
 */
export function renderNodeEntry(cluster: SimCluster, node: SimNode, canAudit: boolean): Entry {
  const entry: Entry = {
    id: `node/${node.name}`,
    node: node.name,
    type: "node",
    status: "unknown",
  };
  if (hasFreshRrd(cluster, node)) {
    if (node.online) {
      if (canAudit) {
        entry.uptime = nodeUptime(cluster, node);
        entry.cpu = node.cpu;
        entry.mem = node.mem;
        entry.disk = node.disk;
      }
      entry.status = "online";
    }
    entry.level = node.level;
    if (canAudit) {
      entry.maxcpu = node.maxcpu;
      entry.maxmem = node.maxmem;
      entry.maxdisk = node.maxdisk;
    }
  }
  if (cluster.name !== null && !node.online) entry.status = "offline";
  return entry;
}

function renderStorageEntry(cluster: SimCluster, s: SimStorage): Entry {
  const entry: Entry = {
    id: `storage/${s.node}/${s.storage}`,
    storage: s.storage,
    node: s.node,
    type: "storage",
    plugintype: s.plugintype,
    status: "unknown",
    shared: flag(s.shared),
    content: s.content.join(","),
  };
  if (hasFreshRrd(cluster, findNode(cluster, s.node))) {
    entry.maxdisk = s.maxdisk;
    entry.disk = s.disk;
    entry.status = "available";
  }
  return entry;
}

export function renderClusterResources(
  cluster: SimCluster,
  acl: Acl,
  type: ResourceTypeFilter | null = null,
): Entry[] {
  const out: Entry[] = [];
  const pools: Record<string, Entry> = {};
  if (type === null) {
    for (const pool of cluster.pools.slice().sort()) {
      if (!acl.has(`/pool/${pool}`, "Pool.Audit")) continue;
      const entry: Entry = { id: `/pool/${pool}`, pool, type: "pool" };
      pools[pool] = entry;
      out.push(entry);
    }
  }

  if (type === null || type === "vm") {
    const guests = cluster.guests.slice().sort((a, b) => a.vmid - b.vmid);
    for (const guest of guests) {
      if (!canAuditGuest(acl, guest)) continue;
      const entry = renderGuestResource(cluster, guest);
      out.push(entry);
      const pe = guest.pool !== null ? pools[guest.pool] : undefined;
      if (pe && typeof entry.uptime === "number" && entry.uptime > 0) addToPool(pe, entry);
    }
  }

  if (type === null || type === "node") {
    const ha = atLeast(cluster, 8, 3) && cluster.guests.some((g) => g.hastate !== null);
    for (const node of cluster.nodes) {
      const canAudit = acl.has(`/nodes/${node.name}`, "Sys.Audit");
      const entry = renderNodeEntry(cluster, node, canAudit);
      if (canAudit && node.online && atLeast(cluster, 7, 3)) entry["cgroup-mode"] = 2;
      if (canAudit && ha) entry.hastate = node.online ? "online" : "unknown";
      out.push(entry);
    }
  }

  if (type === null || type === "storage") {
    const ids: string[] = [];
    for (const s of cluster.storage) if (ids.indexOf(s.storage) < 0) ids.push(s.storage);
    for (const id of ids) {
      if (!acl.hasAny(`/storage/${id}`, ["Datastore.Audit", "Datastore.AllocateSpace"])) continue;
      for (const s of cluster.storage)
        if (s.storage === id) out.push(renderStorageEntry(cluster, s));
    }
  }

  if (type === null || type === "sdn") {
    for (const zone of cluster.sdn) {
      if (!acl.has(`/sdn/zones/${zone}`, "SDN.Audit")) continue;
      for (const node of cluster.nodes) {
        out.push({
          id: `sdn/${node.name}/${zone}`,
          sdn: zone,
          node: node.name,
          type: "sdn",
          status: "ok",
        });
      }
    }
  }
  return out;
}

function addToPool(pe: Entry, e: Entry): void {
  const num = (v: unknown): number => (typeof v === "number" ? v : 0);
  const uptime = num(e.uptime);
  if (pe.uptime === undefined || uptime > num(pe.uptime)) pe.uptime = uptime;
  const maxcpu = num(pe.maxcpu);
  const addCpu = num(e.maxcpu);
  pe.cpu =
    maxcpu + addCpu > 0 ? (num(pe.cpu) * maxcpu + num(e.cpu) * addCpu) / (maxcpu + addCpu) : 0;
  pe.maxcpu = maxcpu + addCpu;
  pe.mem = num(pe.mem) + num(e.mem);
  pe.maxmem = num(pe.maxmem) + num(e.maxmem);
}

// ---------------------------------------------------------------------------
// /cluster/status, /version, /nodes

export function renderClusterStatus(cluster: SimCluster): Entry[] {
  if (cluster.name === null) {
    const node = cluster.nodes[0];
    if (!node) return [];
    return [
      {
        type: "node",
        id: `node/${node.name}`,
        name: node.name,
        nodeid: 0,
        ip: node.ip,
        local: 1,
        online: 1,
        level: node.level,
      },
    ];
  }
  const out: Entry[] = [
    {
      type: "cluster",
      id: "cluster",
      name: cluster.name,
      nodes: cluster.nodes.length,
      version: cluster.configVersion,
      quorate: flag(isQuorate(cluster)),
    },
  ];
  for (const node of cluster.nodes) {
    out.push({
      type: "node",
      id: `node/${node.name}`,
      name: node.name,
      nodeid: node.nodeid,
      local: flag(node.name === cluster.localNode),
      online: flag(node.online),
      ip: node.ip,
      level: node.level,
    });
  }
  return out;
}

export function renderVersion(cluster: SimCluster): Entry {
  return {
    version: cluster.version.version,
    release: cluster.version.release,
    repoid: cluster.version.repoid,
  };
}

export function renderNodes(cluster: SimCluster, acl: Acl): Entry[] {
  return cluster.nodes.map((node) => {
    const entry = renderNodeEntry(cluster, node, acl.has(`/nodes/${node.name}`, "Sys.Audit"));
    entry.ssl_fingerprint = node.sslFingerprint;
    return entry;
  });
}

// ---------------------------------------------------------------------------
// /nodes/{node}/status

interface KernelInfo {
  release: string;
  version: string;
}

function kernelFor(cluster: SimCluster): KernelInfo {
  const major = versionParts(cluster.version.version)[0];
  if (major <= 7)
    return { release: "5.15.158-2-pve", version: "#1 SMP PVE 5.15.158-2 (2024-07-26T10:20Z)" };
  if (major === 8)
    return {
      release: "6.8.12-9-pve",
      version: "#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-9 (2025-03-16T19:18Z)",
    };
  return {
    release: "6.14.11-4-pve",
    version: "#1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4 (2025-10-10T08:04Z)",
  };
}

const CPU_FLAGS =
  "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx " +
  "mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid aperfmperf pni pclmulqdq monitor " +
  "ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch svm vmx " +
  "fsgsbase bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap clflushopt sha_ni xsaveopt xsavec xgetbv1 xsaves";

export function renderNodeStatus(cluster: SimCluster, node: SimNode): Entry {
  const kernel = kernelFor(cluster);
  const memFree = Math.max(0, node.maxmem - node.mem);
  const rootFree = Math.max(0, node.maxdisk - node.disk);
  const swapTotal = 8 * 1024 * 1024 * 1024;
  const swapUsed = Math.round(Math.min(swapTotal, node.mem * 0.002));
  const memory: Entry = { total: node.maxmem, used: node.mem, free: memFree };
  if (atLeast(cluster, 9, 0))
    memory.available = Math.min(node.maxmem, memFree + Math.round(node.maxmem * 0.08));
  const status: Entry = {
    uptime: nodeUptime(cluster, node),
    idle: 0,
    loadavg: node.loadavg.map((l) => l.toFixed(2)),
    kversion: `Linux ${kernel.release} ${kernel.version}`,
    cpuinfo: {
      model: node.cpuModel,
      sockets: node.sockets,
      cores: node.cores,
      cpus: node.maxcpu,
      mhz: "3400.000",
      hvm: "1",
      flags: CPU_FLAGS,
      user_hz: 100,
    },
    cpu: node.cpu,
    wait: node.wait,
    memory,
    ksm: { shared: 0 },
    swap: { total: swapTotal, used: swapUsed, free: swapTotal - swapUsed },
    pveversion: `pve-manager/${cluster.version.version}/${cluster.version.repoid}`,
    rootfs: { total: node.maxdisk, used: node.disk, free: rootFree, avail: rootFree },
  };
  if (atLeast(cluster, 8, 1)) {
    status["current-kernel"] = {
      sysname: "Linux",
      release: kernel.release,
      version: kernel.version,
      machine: "x86_64",
    };
    status["boot-info"] = { mode: "efi", secureboot: 0 };
  }
  return status;
}

// ---------------------------------------------------------------------------
// /access/permissions

const ALL_PRIVILEGES = [
  "Datastore.Allocate",
  "Datastore.AllocateSpace",
  "Datastore.AllocateTemplate",
  "Datastore.Audit",
  "Pool.Allocate",
  "Pool.Audit",
  "SDN.Allocate",
  "SDN.Audit",
  "SDN.Use",
  "Sys.Audit",
  "Sys.Console",
  "Sys.Modify",
  "Sys.PowerMgmt",
  "Sys.Syslog",
  "VM.Allocate",
  "VM.Audit",
  "VM.Backup",
  "VM.Console",
  "VM.Migrate",
  "VM.PowerMgmt",
  "VM.Snapshot",
];

/** path -> privilege -> 1 (propagates) / 0, for the token itself. */
export function renderPermissions(
  cluster: SimCluster,
  acl: Acl,
  path: string | null,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (acl.unrestricted) {
    const all: Record<string, number> = {};
    for (const p of ALL_PRIVILEGES) all[p] = 1;
    out[path === null ? "/" : normaliseAclPath(path)] = all;
    return out;
  }
  if (path !== null) {
    out[normaliseAclPath(path)] = acl.effective(path);
    return out;
  }
  const privileges = cluster.token ? cluster.token.privileges : {};
  for (const p of Object.keys(privileges)) out[p] = acl.effective(p);
  return out;
}

// ---------------------------------------------------------------------------
// /nodes/{node}/qemu, /nodes/{node}/lxc and status/current

function tagString(guest: SimGuest): string {
  return guest.tags.join(";");
}

export function renderQemuStatus(cluster: SimCluster, guest: SimGuest, full: boolean): Entry {
  const alive = isAliveStatus(guest.status);
  const running = guest.status === "running";
  const entry: Entry = {
    vmid: guest.vmid,
    status: alive ? "running" : "stopped",
    name: guest.name,
    cpus: guest.maxcpu,
    maxmem: guest.maxmem,
    maxdisk: guest.maxdisk,
    disk: 0,
    uptime: guestUptime(cluster, guest),
    cpu: alive ? guest.cpu : 0,
    mem: alive ? guest.mem : 0,
    netin: guest.netin,
    netout: guest.netout,
  };
  if (alive && guest.pid !== null) entry.pid = guest.pid;
  if (full && alive) entry.qmpstatus = guest.status;
  if (full) {
    entry.diskread = guest.diskread;
    entry.diskwrite = guest.diskwrite;
  }
  if (guest.template) entry.template = 1;
  if (guest.lock !== null) entry.lock = guest.lock;
  if (guest.tags.length > 0) entry.tags = tagString(guest);
  if (atLeast(cluster, 9, 0) && alive) {
    entry.memhost = guest.mem;
    const p = running ? Math.round(guest.cpu * 400) / 100 : 0;
    entry.pressurecpusome = p;
    entry.pressurecpufull = p / 2;
    entry.pressureiosome = 0;
    entry.pressureiofull = 0;
    entry.pressurememorysome = 0;
    entry.pressurememoryfull = 0;
  }
  return entry;
}

export function renderLxcStatus(cluster: SimCluster, guest: SimGuest): Entry {
  const alive = isAliveStatus(guest.status);
  const entry: Entry = {
    // pve-container sent the vmid as a string before 5.0.9 (PVE 8.1).
    vmid: atLeast(cluster, 8, 1) ? guest.vmid : String(guest.vmid),
    type: "lxc",
    status: alive ? "running" : "stopped",
    name: guest.name,
    cpus: guest.maxcpu,
    disk: guest.disk,
    maxdisk: guest.maxdisk,
    mem: alive ? guest.mem : 0,
    swap: 0,
    maxmem: guest.maxmem,
    maxswap: 512 * 1024 * 1024,
    uptime: guestUptime(cluster, guest),
    cpu: alive ? guest.cpu : 0,
    netin: guest.netin,
    netout: guest.netout,
    diskread: guest.diskread,
    diskwrite: guest.diskwrite,
  };
  if (guest.template) entry.template = 1;
  if (guest.lock !== null) entry.lock = guest.lock;
  if (guest.tags.length > 0) entry.tags = tagString(guest);
  if (alive && guest.pid !== null) entry.pid = guest.pid;
  if (atLeast(cluster, 9, 0) && alive) {
    // pve-container reads these from /proc text and does not numify them.
    const p = (Math.round(guest.cpu * 400) / 100).toFixed(2);
    entry.pressurecpusome = p;
    entry.pressurecpufull = "0.00";
    entry.pressureiosome = "0.00";
    entry.pressureiofull = "0.00";
    entry.pressurememorysome = "0.00";
    entry.pressurememoryfull = "0.00";
  }
  return entry;
}

export function renderGuestList(
  cluster: SimCluster,
  node: SimNode,
  acl: Acl,
  type: "qemu" | "lxc",
  full: boolean,
): Entry[] {
  const out: Entry[] = [];
  for (const guest of cluster.guests) {
    if (guest.node !== node.name || guest.type !== type || !canAuditGuest(acl, guest)) continue;
    out.push(
      type === "qemu" ? renderQemuStatus(cluster, guest, full) : renderLxcStatus(cluster, guest),
    );
  }
  return out;
}

export function renderGuestCurrent(cluster: SimCluster, guest: SimGuest): Entry {
  const entry =
    guest.type === "qemu"
      ? renderQemuStatus(cluster, guest, true)
      : renderLxcStatus(cluster, guest);
  const ha: Entry = { managed: flag(guest.hastate !== null) };
  if (guest.hastate !== null) ha.state = guest.hastate;
  entry.ha = ha;
  if (guest.type === "qemu") {
    entry.qmpstatus = guest.status;
    entry.agent = 1;
  }
  return entry;
}
