// The simulated cluster: what pmxcfs and pvestatd would know at a given
// simulated second. Metrics move every tick from the scenario's seeded
// random source, so a run is repeatable; actions (from the timeline or the
// control endpoint) change states the way PVE would, refusing what PVE
// refuses. Rendering into API shapes is render.ts's job.

import type { Failer } from "./api";
import type { FaultBoard } from "./faults";
import { createFaultBoard } from "./faults";
import type { Random } from "./random";
import type { SimTask, TaskSettings } from "./tasks";
import { createRandom, randomBetween, randomHex, randomInt } from "./random";
import { recordRrd, type SimRrd } from "./rrd";
import type { ApiReply } from "./reply";
import type {
  ApiQuirks,
  AppliedEvent,
  GuestPowerAction,
  GuestSpec,
  GuestType,
  Scenario,
  SimAction,
  TimelineEntry,
  TokenSpec,
  VersionSpec,
} from "./spec";

/** pmxcfs forgets RRD data older than this (src/pmxcfs/status.c). */
export const RRD_STALE_SECONDS = 300;

export interface SimNode {
  name: string;
  nodeid: number;
  ip: string;
  level: string;
  online: boolean;
  /** Simulated second it went offline; null while online. */
  offlineSince: number | null;
  /** Whether it comes back rebooted ("crash") or as it was ("network"). */
  offlineReason: "crash" | "network";
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  cpu: number;
  mem: number;
  disk: number;
  wait: number;
  loadavg: [number, number, number];
  /** Simulated second of the last boot (negative: before the run started). */
  bootedAt: number;
  hostCpu: number;
  hostMem: number;
  pinnedCpu: number | null;
  pinnedMem: number | null;
  sslFingerprint: string;
  cpuModel: string;
  sockets: number;
  cores: number;
}

export interface SimGuest {
  vmid: number;
  type: GuestType;
  name: string;
  node: string;
  /** qmpstatus-like: running, stopped, paused, suspended, prelaunch, io-error, ... */
  status: string;
  template: boolean;
  tags: string[];
  pool: string | null;
  lock: string | null;
  hastate: string | null;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  cpu: number;
  mem: number;
  disk: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
  /** Simulated second the guest's process started; null when stopped. */
  startedAt: number | null;
  pid: number | null;
  /** A container frozen by "pause"/"suspend": PVE still calls it running. */
  frozen: boolean;
  baseCpu: number;
  baseMem: number;
  pinnedCpu: number | null;
  pinnedMem: number | null;
}

export interface SimStorage {
  storage: string;
  node: string;
  plugintype: string;
  content: string[];
  shared: boolean;
  maxdisk: number;
  disk: number;
  /** "local" on the root file system: its usage is the node's disk usage. */
  onRootfs: boolean;
  /** Scenario "growth" (issue 12): fraction of maxdisk added per simulated day. */
  growthPerDay?: number;
}

export interface TimelineState {
  entries: TimelineEntry[];
  /** Next due second per entry; null when done. */
  next: (number | null)[];
  counts: number[];
}

/** A follow-up an action scheduled, e.g. the end of a timed backup lock. */
export type PendingEvent =
  | { at: number; op: "end-lock"; vmid: number; lock: string }
  | { at: number; op: "end-migrate"; vmid: number; to: string }
  | { at: number; op: "task-end"; upid: string }
  | { at: number; op: "ha-apply"; vmid: number; action: GuestPowerAction };

export interface SimCluster {
  readonly scenario: Scenario;
  name: string | null;
  version: VersionSpec;
  api: ApiQuirks;
  localNode: string;
  nodes: SimNode[];
  guests: SimGuest[];
  storage: SimStorage[];
  sdn: string[];
  pools: string[];
  /** The token of the request being answered (handleApiRequest sets it for the call); the scenario's otherwise. */
  token: TokenSpec | null;
  /** Every token pveproxy accepts: the scenario's `token` first, then its `tokens`. */
  tokens: TokenSpec[];
  faults: FaultBoard;
  /** Set by "quorum-lost"; null: quorum follows the online majority. */
  quorumOverride: boolean | null;
  configVersion: number;
  /** Simulated seconds since the start that the model has reached. */
  elapsed: number;
  /** Second of the last metrics tick. */
  metricsAt: number;
  tickSeconds: number;
  random: Random;
  timeline: TimelineState;
  pending: PendingEvent[];
  /** The last events applied (bounded), for the control endpoint and logs. */
  log: AppliedEvent[];
  /** Worker tasks started by power-action POSTs (bounded). */
  tasks: SimTask[];
  taskCounter: number;
  taskSettings: TaskSettings;
  /** Backups (issue 13): epoch second of simulated second 0 for backup/task times; null: SIM_EPOCH. */
  backupEpoch: number | null;
  /** History and storage (issue 12): what …/rrddata serves; made by the first tick. */
  rrd?: SimRrd;
}

export interface SimClusterOptions {
  /** SHA-256 fingerprint of the certificate the local node really serves. */
  localFingerprint?: string;
  /** Epoch of simulated second 0 for backup and task times (the HTTPS simulator: its start). */
  epoch?: number;
}

const GIB = 1024 * 1024 * 1024;
/** Catching up after a long pause moves metrics over at most this much time. */
const MAX_CATCH_UP_SECONDS = 3600;

const CPU_MODELS = [
  "AMD Ryzen 9 5950X 16-Core Processor",
  "Intel(R) Xeon(R) E-2288G CPU @ 3.70GHz",
  "AMD EPYC 7302P 16-Core Processor",
  "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz",
  "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz",
];

export function createSimCluster(scenario: Scenario, options: SimClusterOptions = {}): SimCluster {
  const random = createRandom(scenario.seed);
  const nodes: SimNode[] = scenario.cluster.nodes.map((spec, index) => {
    const uptime = spec.uptime ?? randomInt(random, 2 * 86400, 90 * 86400);
    const hostMem =
      spec.mem ?? Math.round(Math.min(spec.maxmem * 0.3, 1.5 * GIB + spec.maxmem * 0.04));
    const threads = Math.max(1, spec.maxcpu);
    const sockets = threads >= 32 ? 2 : 1;
    const node: SimNode = {
      name: spec.name,
      nodeid: index + 1,
      ip: spec.ip,
      level: spec.level,
      online: spec.online,
      offlineSince: spec.online ? null : -10 * RRD_STALE_SECONDS,
      offlineReason: "crash",
      maxcpu: spec.maxcpu,
      maxmem: spec.maxmem,
      maxdisk: spec.maxdisk,
      cpu: 0,
      mem: hostMem,
      disk: Math.round(spec.maxdisk * randomBetween(random, 0.05, 0.3)),
      wait: 0,
      loadavg: [0, 0, 0],
      bootedAt: -uptime,
      hostCpu: spec.cpu ?? randomBetween(random, 0.004, 0.03),
      hostMem,
      pinnedCpu: null,
      pinnedMem: null,
      sslFingerprint: fingerprint(random),
      cpuModel: CPU_MODELS[index % CPU_MODELS.length] ?? "QEMU Virtual CPU",
      sockets,
      cores: Math.max(1, Math.floor(threads / sockets / (threads >= 4 ? 2 : 1))),
    };
    if (spec.name === scenario.cluster.localNode && options.localFingerprint) {
      node.sslFingerprint = options.localFingerprint;
    }
    return node;
  });

  const cluster: SimCluster = {
    scenario,
    name: scenario.cluster.name,
    version: {
      version: scenario.version.version,
      release: scenario.version.release,
      repoid: scenario.version.repoid,
    },
    api: {
      errorMessageInBody: scenario.api.errorMessageInBody,
      authFailure: scenario.api.authFailure,
    },
    localNode: scenario.cluster.localNode,
    nodes,
    guests: [],
    storage: [],
    sdn: scenario.sdn.slice(),
    pools: scenario.pools.slice(),
    token: scenario.token,
    tokens: scenario.token ? [scenario.token].concat(scenario.tokens ?? []) : [],
    faults: createFaultBoard(),
    quorumOverride: null,
    configVersion: nodes.length + 2,
    elapsed: 0,
    metricsAt: 0,
    tickSeconds: scenario.tickSeconds,
    random,
    timeline: {
      entries: scenario.timeline,
      next: scenario.timeline.map((e) => e.at),
      counts: scenario.timeline.map(() => 0),
    },
    pending: [],
    log: [],
    tasks: [],
    taskCounter: 0,
    taskSettings: scenario.tasks,
    backupEpoch: options.epoch ?? null,
  };

  for (const spec of scenario.guests) cluster.guests.push(createGuest(cluster, spec));

  for (const spec of scenario.storage) {
    const sharedDisk = spec.disk;
    for (const node of nodes) {
      if (spec.nodes !== null && spec.nodes.indexOf(node.name) < 0) continue;
      const onRootfs = spec.maxdisk === null && spec.plugintype === "dir";
      const maxdisk = spec.maxdisk ?? (onRootfs ? node.maxdisk : node.maxdisk * 3);
      cluster.storage.push({
        storage: spec.storage,
        node: node.name,
        plugintype: spec.plugintype,
        content: spec.content.slice(),
        shared: spec.shared,
        maxdisk,
        disk: onRootfs
          ? node.disk
          : (sharedDisk ?? Math.round(maxdisk * randomBetween(random, 0.1, 0.6))),
        onRootfs,
        growthPerDay: spec.growth ?? 0,
      });
    }
    if (spec.shared) syncShared(cluster, spec.storage);
  }

  // Settle the metrics so the very first answer already looks lived-in.
  for (let i = 0; i < 6; i++) tick(cluster, cluster.tickSeconds);
  for (const node of nodes) {
    const load = node.cpu * node.maxcpu;
    node.loadavg = [load, load * 0.95, load * 0.9];
  }
  return cluster;
}

function fingerprint(random: Random): string {
  const hex = randomHex(random, 64).toUpperCase();
  const pairs: string[] = [];
  for (let i = 0; i < hex.length; i += 2) pairs.push(hex.slice(i, i + 2));
  return pairs.join(":");
}

export function createGuest(cluster: SimCluster, spec: GuestSpec): SimGuest {
  const random = cluster.random;
  const node = findNode(cluster, spec.node);
  const alive = isAliveStatus(spec.status);
  const baseCpu = spec.cpu ?? randomBetween(random, 0.01, 0.25);
  const baseMem = spec.mem ?? Math.round(spec.maxmem * randomBetween(random, 0.3, 0.8));
  let uptime = spec.uptime ?? randomInt(random, 3600, 40 * 86400);
  if (node) uptime = Math.min(uptime, Math.max(0, cluster.elapsed - node.bootedAt));
  const guest: SimGuest = {
    vmid: spec.vmid,
    type: spec.type,
    name: spec.name ?? defaultGuestName(spec.type, spec.vmid),
    node: spec.node,
    status: spec.status,
    template: spec.template,
    tags: spec.tags.slice(),
    pool: spec.pool,
    lock: spec.lock,
    hastate: spec.hastate,
    maxcpu: spec.maxcpu,
    maxmem: spec.maxmem,
    maxdisk: spec.maxdisk,
    cpu: 0,
    mem: 0,
    disk: spec.type === "lxc" ? Math.round(spec.maxdisk * randomBetween(random, 0.15, 0.6)) : 0,
    netin: 0,
    netout: 0,
    diskread: 0,
    diskwrite: 0,
    startedAt: alive ? cluster.elapsed - uptime : null,
    pid: alive ? randomInt(random, 1200, 4000000) : null,
    frozen: false,
    baseCpu,
    baseMem,
    pinnedCpu: null,
    pinnedMem: null,
  };
  if (alive) {
    guest.cpu = guest.status === "running" ? baseCpu : 0;
    guest.mem = baseMem;
    // Counters grow with uptime; rough per-second rates of a quiet guest.
    guest.netin = Math.round(uptime * randomBetween(random, 2000, 60000));
    guest.netout = Math.round(uptime * randomBetween(random, 500, 20000));
    guest.diskread = Math.round(uptime * randomBetween(random, 1000, 50000));
    guest.diskwrite = Math.round(uptime * randomBetween(random, 2000, 80000));
  }
  if (spec.pool !== null && cluster.pools.indexOf(spec.pool) < 0) cluster.pools.push(spec.pool);
  return guest;
}

export function defaultGuestName(type: GuestType, vmid: number): string {
  return type === "qemu" ? `VM ${vmid}` : `CT${vmid}`;
}

/** The process exists: QEMU states other than stopped, any running container. */
export function isAliveStatus(status: string): boolean {
  return status !== "stopped" && status !== "unknown";
}

export function findNode(cluster: SimCluster, name: string): SimNode | undefined {
  for (const n of cluster.nodes) if (n.name === name) return n;
  return undefined;
}

export function findGuest(cluster: SimCluster, vmid: number): SimGuest | undefined {
  for (const g of cluster.guests) if (g.vmid === vmid) return g;
  return undefined;
}

/** The guest's config on this node, or PVE's 500 when it is not there. */
export function guestOnNode(
  cl: SimCluster,
  node: SimNode,
  type: "qemu" | "lxc",
  vmid: number,
  fail: Failer,
): SimGuest | ApiReply {
  const guest = findGuest(cl, vmid);
  if (guest && guest.node === node.name && guest.type === type) return guest;
  const dir = type === "qemu" ? "qemu-server" : "lxc";
  return fail.error(
    500,
    `Configuration file 'nodes/${node.name}/${dir}/${vmid}.conf' does not exist`,
  );
}

export function isQuorate(cluster: SimCluster): boolean {
  if (cluster.name === null) return true;
  if (cluster.quorumOverride !== null) return cluster.quorumOverride;
  const online = cluster.nodes.filter((n) => n.online).length;
  return online * 2 > cluster.nodes.length;
}

/** pvestatd data of this node is still known (online, or offline for less than 5 minutes). */
export function hasFreshRrd(cluster: SimCluster, node: SimNode | undefined): boolean {
  if (!node) return false;
  return (
    node.online ||
    (node.offlineSince !== null && cluster.elapsed - node.offlineSince < RRD_STALE_SECONDS)
  );
}

/** The second the node's data stopped moving (now while online). */
export function nodeClock(cluster: SimCluster, node: SimNode | undefined): number {
  if (!node || node.online || node.offlineSince === null) return cluster.elapsed;
  return Math.min(cluster.elapsed, node.offlineSince);
}

export function nodeUptime(cluster: SimCluster, node: SimNode): number {
  return Math.max(0, Math.floor(nodeClock(cluster, node) - node.bootedAt));
}

export function guestUptime(cluster: SimCluster, guest: SimGuest): number {
  if (guest.startedAt === null) return 0;
  return Math.max(
    0,
    Math.floor(nodeClock(cluster, findNode(cluster, guest.node)) - guest.startedAt),
  );
}

// ---------------------------------------------------------------------------
// Metrics

/** Moves metrics forward in whole ticks up to `toElapsed`. */
export function stepMetrics(cluster: SimCluster, toElapsed: number): void {
  const step = cluster.tickSeconds;
  if (toElapsed - cluster.metricsAt > MAX_CATCH_UP_SECONDS) {
    cluster.metricsAt = toElapsed - MAX_CATCH_UP_SECONDS;
  }
  while (cluster.metricsAt + step <= toElapsed) {
    cluster.metricsAt += step;
    tick(cluster, step);
  }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

function noise(random: Random, amplitude: number): number {
  return (random() * 2 - 1) * amplitude;
}

function tick(cluster: SimCluster, dt: number): void {
  const random = cluster.random;
  for (const guest of cluster.guests) {
    const node = findNode(cluster, guest.node);
    // An unreachable node reports nothing: its guests keep their last values.
    if (!node || !node.online) continue;
    if (!isAliveStatus(guest.status)) {
      guest.cpu = 0;
      guest.mem = 0;
      continue;
    }
    if (guest.status !== "running" || guest.frozen) {
      guest.cpu = 0;
      continue;
    }
    const spike = random() < 0.03 ? randomBetween(random, 2, 4) : 1;
    const target = guest.pinnedCpu ?? clamp(guest.baseCpu * spike, 0, 1);
    guest.cpu =
      guest.pinnedCpu !== null
        ? guest.pinnedCpu
        : clamp(
            guest.cpu + 0.45 * (target - guest.cpu) + noise(random, 0.25 * guest.baseCpu + 0.002),
            0,
            1,
          );
    const memTarget = guest.pinnedMem !== null ? guest.pinnedMem * guest.maxmem : guest.baseMem;
    guest.mem = Math.round(
      guest.pinnedMem !== null
        ? memTarget
        : clamp(
            guest.mem + 0.3 * (memTarget - guest.mem) + noise(random, 0.01 * guest.maxmem),
            0.02 * guest.maxmem,
            guest.maxmem,
          ),
    );
    const activity = 0.3 + guest.cpu * 4;
    guest.netin += Math.round(dt * activity * randomBetween(random, 2000, 60000));
    guest.netout += Math.round(dt * activity * randomBetween(random, 500, 20000));
    guest.diskread += Math.round(dt * activity * randomBetween(random, 500, 40000));
    guest.diskwrite += Math.round(dt * activity * randomBetween(random, 1000, 60000));
    if (guest.type === "lxc" && random() < 0.1) {
      guest.disk = Math.round(
        clamp(guest.disk + noise(random, 2 * 1024 * 1024) + 256 * 1024, 0, guest.maxdisk),
      );
    }
  }

  for (const node of cluster.nodes) {
    if (!node.online) continue;
    let guestCpu = 0;
    let guestMem = 0;
    for (const guest of cluster.guests) {
      if (guest.node !== node.name || !isAliveStatus(guest.status)) continue;
      guestCpu += guest.cpu * guest.maxcpu;
      guestMem += guest.mem;
    }
    const cpu = node.hostCpu + noise(random, node.hostCpu * 0.5) + guestCpu / node.maxcpu;
    node.cpu = node.pinnedCpu ?? clamp(cpu, 0, 1);
    node.mem = Math.round(
      node.pinnedMem !== null
        ? node.pinnedMem * node.maxmem
        : clamp(
            node.hostMem + guestMem + noise(random, 0.002 * node.maxmem),
            0,
            node.maxmem * 0.98,
          ),
    );
    node.disk = Math.round(clamp(node.disk + randomBetween(random, 0, 4096) * dt, 0, node.maxdisk));
    node.wait = clamp(noise(random, 0.004) + 0.004, 0, 1);
    const running = node.cpu * node.maxcpu;
    const decay = (period: number): number => 1 - Math.exp(-dt / period);
    node.loadavg = [
      node.loadavg[0] + decay(60) * (running - node.loadavg[0]),
      node.loadavg[1] + decay(300) * (running - node.loadavg[1]),
      node.loadavg[2] + decay(900) * (running - node.loadavg[2]),
    ];
  }

  const sharedDone: Record<string, boolean> = {};
  for (const s of cluster.storage) {
    const node = findNode(cluster, s.node);
    if (!node || !node.online) continue;
    if (s.onRootfs) {
      s.disk = node.disk;
      continue;
    }
    if (s.shared) {
      if (sharedDone[s.storage]) continue;
      sharedDone[s.storage] = true;
    }
    const growth = ((s.growthPerDay ?? 0) * s.maxdisk * dt) / 86400;
    s.disk = Math.round(
      clamp(
        s.disk + noise(random, 0.0002 * s.maxdisk) + 0.00005 * s.maxdisk + growth,
        0,
        s.maxdisk,
      ),
    );
    if (s.shared) syncShared(cluster, s.storage);
  }
  recordRrd(cluster);
}

/** Shared storage is one pool of bytes, whichever node reports it. */
function syncShared(cluster: SimCluster, storage: string): void {
  let source: SimStorage | undefined;
  for (const s of cluster.storage) {
    if (s.storage !== storage) continue;
    if (!source) source = s;
    else {
      s.disk = source.disk;
      s.maxdisk = source.maxdisk;
    }
  }
}

// ---------------------------------------------------------------------------
// Actions

function label(guest: SimGuest): string {
  return guest.type === "qemu" ? `VM ${guest.vmid}` : `CT ${guest.vmid}`;
}

function lockedError(guest: SimGuest): string {
  return `${guest.type === "qemu" ? "VM" : "CT"} is locked (${guest.lock})`;
}

function startProcess(cluster: SimCluster, guest: SimGuest): void {
  guest.status = "running";
  guest.frozen = false;
  guest.startedAt = cluster.elapsed;
  guest.pid = randomInt(cluster.random, 1200, 4000000);
  guest.cpu = clamp(guest.baseCpu * 3, 0, 1);
  guest.mem = Math.round(guest.baseMem * 0.4);
  guest.netin = 0;
  guest.netout = 0;
  guest.diskread = 0;
  guest.diskwrite = 0;
}

function stopProcess(guest: SimGuest): void {
  guest.status = "stopped";
  guest.frozen = false;
  guest.startedAt = null;
  guest.pid = null;
  guest.cpu = 0;
  guest.mem = 0;
  guest.netin = 0;
  guest.netout = 0;
  guest.diskread = 0;
  guest.diskwrite = 0;
}

/**
 * Does what the action says at the cluster's current second. Returns null,
 * or the error PVE would give (the state is then unchanged).
 */
export function performAction(cluster: SimCluster, action: SimAction): string | null {
  switch (action.action) {
    case "node-offline": {
      const node = findNode(cluster, action.node);
      if (!node) return `no such node '${action.node}'`;
      if (!node.online) return `node '${node.name}' is already offline`;
      node.online = false;
      node.offlineSince = cluster.elapsed;
      node.offlineReason = action.reason;
      return null;
    }
    case "node-online": {
      const node = findNode(cluster, action.node);
      if (!node) return `no such node '${action.node}'`;
      if (node.online) return `node '${node.name}' is already online`;
      node.online = true;
      node.offlineSince = null;
      if (node.offlineReason === "crash") {
        node.bootedAt = cluster.elapsed;
        node.loadavg = [0, 0, 0];
        // A rebooted node brings back what ran before (start at boot).
        for (const guest of cluster.guests) {
          if (guest.node === node.name && isAliveStatus(guest.status)) startProcess(cluster, guest);
        }
      }
      return null;
    }
    case "quorum-lost":
      cluster.quorumOverride = false;
      return null;
    case "quorum-regained":
      cluster.quorumOverride = null;
      return null;
    case "fault":
      cluster.faults.add(action.fault, action.id ?? undefined);
      return null;
    case "clear-faults":
      return cluster.faults.clear(action.id ?? undefined) > 0 || action.id === null
        ? null
        : `no fault '${action.id}'`;
    case "add-guest": {
      if (findGuest(cluster, action.guest.vmid)) return `VM ${action.guest.vmid} already exists`;
      if (!findNode(cluster, action.guest.node)) return `no such node '${action.guest.node}'`;
      cluster.guests.push(createGuest(cluster, action.guest));
      return null;
    }
    case "set":
      return performSet(cluster, action);
    default:
      break;
  }

  const guest = findGuest(cluster, action.vmid);
  if (!guest) return `Configuration file for guest ${action.vmid} does not exist`;
  const node = findNode(cluster, guest.node);
  const reachable = !!node && node.online;
  const qemu = guest.type === "qemu";

  switch (action.action) {
    case "remove-guest":
      cluster.guests = cluster.guests.filter((g) => g !== guest);
      cluster.pending = cluster.pending.filter((p) => !("vmid" in p) || p.vmid !== guest.vmid);
      return null;
    case "lock":
      if (guest.lock !== null) return lockedError(guest);
      guest.lock = action.lock;
      if (action.duration !== null) {
        cluster.pending.push({
          at: cluster.elapsed + action.duration,
          op: "end-lock",
          vmid: guest.vmid,
          lock: action.lock,
        });
      }
      return null;
    case "unlock":
      if (guest.lock === null) return `${label(guest)} is not locked`;
      guest.lock = null;
      return null;
    default:
      break;
  }

  if (!reachable) return `node '${guest.node}' seems to be offline`;

  switch (action.action) {
    case "start":
      if (guest.template) return "you can't start a vm if it's a template";
      if (guest.lock !== null && !(qemu && guest.lock === "suspended")) return lockedError(guest);
      if (isAliveStatus(guest.status)) return `${label(guest)} already running`;
      if (guest.lock === "suspended") guest.lock = null;
      startProcess(cluster, guest);
      return null;
    case "stop":
    case "shutdown":
      if (guest.lock !== null) return lockedError(guest);
      if (!isAliveStatus(guest.status)) return `${label(guest)} not running`;
      stopProcess(guest);
      return null;
    case "reboot":
      if (guest.lock !== null) return lockedError(guest);
      if (!isAliveStatus(guest.status)) return `${label(guest)} not running`;
      startProcess(cluster, guest);
      return null;
    case "reset":
      // The same QEMU process goes on: only the guest's OS starts over.
      if (guest.lock !== null) return lockedError(guest);
      if (!isAliveStatus(guest.status)) return `${label(guest)} not running`;
      guest.status = "running";
      guest.frozen = false;
      return null;
    case "pause":
    case "suspend":
      if (guest.lock !== null) return lockedError(guest);
      if (guest.status !== "running" || guest.frozen) return `${label(guest)} not running`;
      if (qemu) guest.status = action.action === "pause" ? "paused" : "suspended";
      else guest.frozen = true;
      guest.cpu = 0;
      return null;
    case "resume":
      if (qemu ? guest.status !== "paused" && guest.status !== "suspended" : !guest.frozen) {
        return `${label(guest)} is not paused`;
      }
      guest.status = "running";
      guest.frozen = false;
      return null;
    case "hibernate":
      if (!qemu) return "hibernation is only available for VMs";
      if (guest.lock !== null) return lockedError(guest);
      if (!isAliveStatus(guest.status)) return `${label(guest)} not running`;
      stopProcess(guest);
      guest.lock = "suspended";
      return null;
    case "migrate": {
      const target = findNode(cluster, action.to);
      if (!target) return `no such node '${action.to}'`;
      if (target.name === guest.node) return "target is local node.";
      if (!target.online) return `target node '${target.name}' is not online`;
      if (guest.lock !== null) return lockedError(guest);
      if (action.duration > 0) {
        guest.lock = "migrate";
        cluster.pending.push({
          at: cluster.elapsed + action.duration,
          op: "end-migrate",
          vmid: guest.vmid,
          to: target.name,
        });
        return null;
      }
      moveGuest(cluster, guest, target.name);
      return null;
    }
    default:
      return `unknown action`;
  }
}

function moveGuest(cluster: SimCluster, guest: SimGuest, to: string): void {
  guest.node = to;
  // The guest now runs in a new process on the target (a live-migrated VM
  // or a restarted container), so its uptime starts over.
  if (isAliveStatus(guest.status)) {
    guest.startedAt = cluster.elapsed;
    guest.pid = randomInt(cluster.random, 1200, 4000000);
    guest.netin = 0;
    guest.netout = 0;
    guest.diskread = 0;
    guest.diskwrite = 0;
  }
}

function performSet(
  cluster: SimCluster,
  action: Extract<SimAction, { action: "set" }>,
): string | null {
  if (action.node !== null) {
    const node = findNode(cluster, action.node);
    if (!node) return `no such node '${action.node}'`;
    if (action.cpu !== undefined) node.pinnedCpu = action.cpu;
    if (action.mem !== undefined) node.pinnedMem = action.mem;
    if (action.cpu !== undefined && action.cpu !== null && node.online) node.cpu = action.cpu;
    if (action.mem !== undefined && action.mem !== null && node.online)
      node.mem = Math.round(action.mem * node.maxmem);
    return null;
  }
  const guest = action.vmid === null ? undefined : findGuest(cluster, action.vmid);
  if (!guest) return `Configuration file for guest ${action.vmid} does not exist`;
  if (action.status !== undefined) {
    if (guest.type === "lxc" && action.status !== "running" && action.status !== "stopped") {
      return `a container is only "running" or "stopped"`;
    }
    const wasAlive = isAliveStatus(guest.status);
    if (action.status === "stopped") stopProcess(guest);
    else if (!wasAlive) startProcess(cluster, guest);
    guest.status = action.status;
  }
  if (action.cpu !== undefined) {
    guest.pinnedCpu = action.cpu;
    if (action.cpu !== null && guest.status === "running") guest.cpu = action.cpu;
  }
  if (action.mem !== undefined) {
    guest.pinnedMem = action.mem;
    if (action.mem !== null && isAliveStatus(guest.status))
      guest.mem = Math.round(action.mem * guest.maxmem);
  }
  if (action.name !== undefined) guest.name = action.name;
  if (action.tags !== undefined) guest.tags = action.tags.slice();
  if (action.hastate !== undefined) guest.hastate = action.hastate;
  return null;
}

/** Carries out a follow-up; returns what to log. */
export function runPending(
  cluster: SimCluster,
  event: PendingEvent,
): { action: SimAction; error: string | null } {
  if (event.op === "task-end") {
    return { action: { action: "unlock", vmid: 0 }, error: "task ends are run by applyTimeline" };
  }
  const guest = findGuest(cluster, event.vmid);
  if (event.op === "ha-apply") {
    const action: SimAction = { action: event.action, vmid: event.vmid };
    return { action, error: performAction(cluster, action) };
  }
  if (event.op === "end-lock") {
    const action: SimAction = { action: "unlock", vmid: event.vmid };
    // Someone else may have replaced the lock meanwhile; that one stays.
    if (!guest || guest.lock !== event.lock) return { action, error: "lock already released" };
    guest.lock = null;
    return { action, error: null };
  }
  const action: SimAction = { action: "migrate", vmid: event.vmid, to: event.to, duration: 0 };
  if (!guest) return { action, error: `guest ${event.vmid} is gone` };
  if (guest.lock === "migrate") guest.lock = null;
  const target = findNode(cluster, event.to);
  if (!target || !target.online)
    return { action, error: `migration aborted: target node '${event.to}' is not online` };
  moveGuest(cluster, guest, event.to);
  return { action, error: null };
}
