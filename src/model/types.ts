// The decoded, trusted shape of what the widget knows about a cluster.
// Decoders turn untrusted API JSON into these; everything downstream (diff,
// view, CLI) relies on them. Unknown numbers are null, never 0, so a missing
// reading is never shown as "0 %".

export type NodeStatus = "online" | "offline" | "unknown";

/** PVE sends more than running/stopped for QEMU (qmpstatus) — keep them. */
export type GuestStatus =
  | "running"
  | "stopped"
  | "paused"
  | "suspended"
  | "prelaunch"
  | "io-error"
  | "unknown"
  | (string & { readonly __otherGuestStatus?: never });

export type GuestType = "qemu" | "lxc";

export interface ClusterInfo {
  /** Cluster name; null for a standalone node or when /cluster/status was not readable. */
  name: string | null;
  /** null when unknown (not read yet, 403, standalone node reports no cluster entry). */
  quorate: boolean | null;
  /** PVE version string from /version, e.g. "8.4.14"; null when unknown. */
  version: string | null;
}

export interface NodeInfo {
  name: string;
  status: NodeStatus;
  /** CPU load as a fraction of maxcpu (0..1), clamped at 0. */
  cpu: number | null;
  maxcpu: number | null;
  mem: number | null;
  maxmem: number | null;
  disk: number | null;
  maxdisk: number | null;
  uptime: number | null;
  /** HA node state (PVE 8.3+), when present. */
  hastate: string | null;
}

export interface GuestInfo {
  vmid: number;
  type: GuestType;
  /** Always non-empty: falls back to PVE's own defaults "VM <id>" / "CT<id>". */
  name: string;
  node: string;
  status: GuestStatus;
  template: boolean;
  cpu: number | null;
  maxcpu: number | null;
  mem: number | null;
  maxmem: number | null;
  disk: number | null;
  maxdisk: number | null;
  uptime: number | null;
  tags: string[];
  pool: string | null;
  lock: string | null;
  hastate: string | null;
}

export interface StorageInfo {
  storage: string;
  node: string;
  status: string;
  shared: boolean;
  plugintype: string | null;
  content: string[];
  used: number | null;
  total: number | null;
}

export interface Snapshot {
  cluster: ClusterInfo;
  nodes: NodeInfo[];
  guests: GuestInfo[];
  storage: StorageInfo[];
}
