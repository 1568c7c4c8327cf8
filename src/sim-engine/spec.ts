// What a scenario file describes, as types and fixed values: the cluster,
// its guests, the token and the timeline's actions. Kept apart from parsing
// and running (scenario.ts) so that the cluster model can use the shapes
// without importing the code that drives it.

import type { PrivilegeMap } from "./acl";
import type { FaultSpec } from "./faults";
import type { TaskSettings } from "./tasks";
import type { BackupScenario } from "./backups";

export type GuestType = "qemu" | "lxc";

/** QEMU run states (qmpstatus) PVE reports in /cluster/resources; containers only run or stop. */
export const QEMU_STATES = [
  "running",
  "stopped",
  "paused",
  "suspended",
  "prelaunch",
  "io-error",
  "internal-error",
] as const;

export interface VersionSpec {
  /** pve-manager version: "9.1.4", "8.4.14", "7.4-16". */
  version: string;
  /** "x.y" */
  release: string;
  /** Short git revision: 8 hex digits up to PVE 7, 16 from PVE 8. */
  repoid: string;
}

export interface ApiQuirks {
  /** pve-http-server >= 5.2 (PVE 8.4, 9.x) puts `message` into JSON error bodies. */
  errorMessageInBody: boolean;
  /** "unified": PVE >= 9.1.4 says "Authentication failed!" for every bad token; "legacy" says what was wrong. */
  authFailure: "unified" | "legacy";
}

export interface NodeSpec {
  name: string;
  online: boolean;
  maxcpu: number;
  maxmem: number;
  /** Root file system size. */
  maxdisk: number;
  /** Host's own CPU load (fraction), before guests; null = picked from the seed. */
  cpu: number | null;
  /** Host's own memory use in bytes, before guests; null = picked from the seed. */
  mem: number | null;
  /** Seconds since boot at t=0; null = picked from the seed. */
  uptime: number | null;
  ip: string;
  /** Subscription level: "" (none), "c", "b", "s", "p". */
  level: string;
}

export interface GuestSpec {
  vmid: number;
  type: GuestType;
  /** null: PVE's default "VM <vmid>" / "CT<vmid>". */
  name: string | null;
  node: string;
  status: string;
  template: boolean;
  tags: string[];
  pool: string | null;
  lock: string | null;
  /** HA state ("started", "stopped", ...) when HA-managed. */
  hastate: string | null;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  /** Typical CPU load (fraction of maxcpu); null = picked from the seed. */
  cpu: number | null;
  /** Typical memory use in bytes; null = picked from the seed. */
  mem: number | null;
  /** Seconds since start at t=0 for a running guest; null = picked from the seed. */
  uptime: number | null;
}

export interface StorageSpec {
  storage: string;
  /** Storage plugin: dir, lvmthin, zfspool, nfs, cifs, rbd, cephfs, pbs, ... */
  plugintype: string;
  content: string[];
  shared: boolean;
  /** Nodes it is enabled on; null = all. */
  nodes: string[] | null;
  /** null: the node's root file system (for "dir" on /) or three times it. */
  maxdisk: number | null;
  /** Used bytes at t=0; null = picked from the seed. */
  disk: number | null;
  /** History and storage (issue 12): fraction of maxdisk it fills per day (0..1); null = the usual drift. */
  growth?: number | null;
}

export interface TokenSpec {
  /** "user@realm!tokenname" */
  id: string;
  secret: string;
  /** Effective privileges per ACL path; 1 = propagates to sub-paths. */
  privileges: PrivilegeMap;
}

export const GUEST_POWER_ACTIONS = [
  "start",
  "stop",
  "shutdown",
  "reboot",
  "pause",
  "resume",
  "suspend",
  "hibernate",
  "reset",
] as const;
export type GuestPowerAction = (typeof GUEST_POWER_ACTIONS)[number];

export type SimAction =
  | { action: GuestPowerAction; vmid: number }
  | { action: "node-offline"; node: string; reason: "crash" | "network" }
  | { action: "node-online"; node: string }
  | { action: "migrate"; vmid: number; to: string; duration: number }
  | { action: "lock"; vmid: number; lock: string; duration: number | null }
  | { action: "unlock"; vmid: number }
  | { action: "quorum-lost" }
  | { action: "quorum-regained" }
  | { action: "add-guest"; guest: GuestSpec }
  | { action: "remove-guest"; vmid: number }
  | {
      action: "set";
      vmid: number | null;
      node: string | null;
      /** Pins the CPU load (fraction); null releases it. */
      cpu?: number | null;
      /** Pins memory use (fraction of maxmem); null releases it. */
      mem?: number | null;
      name?: string;
      tags?: string[];
      hastate?: string | null;
      status?: string;
    }
  | { action: "fault"; fault: FaultSpec; id: string | null }
  | { action: "clear-faults"; id: string | null };

export type ActionName = SimAction["action"];

export const ACTION_NAMES: readonly ActionName[] = [
  "start",
  "stop",
  "shutdown",
  "reboot",
  "pause",
  "resume",
  "suspend",
  "hibernate",
  "reset",
  "node-offline",
  "node-online",
  "migrate",
  "lock",
  "unlock",
  "quorum-lost",
  "quorum-regained",
  "add-guest",
  "remove-guest",
  "set",
  "fault",
  "clear-faults",
];

export interface TimelineEntry {
  /** Seconds after start. */
  at: number;
  /** Repeat every so many seconds; null = once. */
  every: number | null;
  /** Total number of occurrences when repeating; null = no limit. */
  repeat: number | null;
  /** No occurrence after this second; null = no limit. */
  until: number | null;
  action: SimAction;
}

export interface Scenario {
  seed: number;
  version: VersionSpec;
  api: ApiQuirks;
  cluster: {
    /** null: a standalone node (no corosync cluster). */
    name: string | null;
    /** The node that answers the API (local:1; its certificate is the one served). */
    localNode: string;
    nodes: NodeSpec[];
  };
  storage: StorageSpec[];
  sdn: string[];
  pools: string[];
  guests: GuestSpec[];
  /** null: no authentication, every request sees everything. */
  token: TokenSpec | null;
  /**
   * Further tokens pveproxy accepts besides `token` (a power-actions token
   * of another user, say), each with its own privileges; [] when none.
   * Ignored when `token` is null.
   */
  tokens?: TokenSpec[];
  timeline: TimelineEntry[];
  /** How often metrics move (pvestatd's cycle is 10 s). */
  tickSeconds: number;
  /** How power-action tasks run: duration, HA delay, forced exit statuses. */
  tasks: TaskSettings;
  /** Backups (issue 13): jobs, vzdump runs, other tasks, Ceph; null when absent. */
  backups?: BackupScenario | null;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export const DEFAULT_VERSION = "9.1.4";

/** Used when a scenario names no token; the secret is obviously fake on purpose. */
export const DEFAULT_TOKEN: TokenSpec = Object.freeze({
  id: "monitor@pve!proxmon",
  secret: "00000000-0000-4000-8000-000000000001",
  // Frozen: shared by every widget instance on plasmashell's one engine.
  privileges: Object.freeze({
    "/": Object.freeze({
      "Sys.Audit": 1,
      "VM.Audit": 1,
      "Datastore.Audit": 1,
      "Pool.Audit": 1,
      "SDN.Audit": 1,
    }),
  }),
});

export interface AppliedEvent {
  /** Simulated second it happened at. */
  at: number;
  action: SimAction;
  /** Why it could not be done (e.g. starting a template), else null. */
  error: string | null;
}
