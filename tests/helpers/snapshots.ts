// Builders for the decoded model and for raw /cluster/resources entries.
// Every reading defaults to null, the decoders' "unknown", so a test states
// only the fields it is about and an expected value reads as "this, and
// nothing else known".

import type {
  ClusterInfo,
  GuestInfo,
  NodeInfo,
  Snapshot,
  StorageInfo,
} from "../../src/model/types";

const UNKNOWN_READINGS = {
  cpu: null,
  maxcpu: null,
  mem: null,
  maxmem: null,
  disk: null,
  maxdisk: null,
  uptime: null,
} as const;

export function nodeInfo(name: string, patch: Partial<NodeInfo> = {}): NodeInfo {
  return {
    name,
    status: "online",
    ...UNKNOWN_READINGS,
    hastate: null,
    ...patch,
  };
}

/** The name defaults to the one PVE (and the decoder) gives a nameless guest. */
export function guestInfo(vmid: number, patch: Partial<GuestInfo> = {}): GuestInfo {
  const type = patch.type ?? "qemu";
  return {
    vmid,
    type,
    name: type === "lxc" ? "CT" + vmid : "VM " + vmid,
    node: "pve1",
    status: "running",
    template: false,
    ...UNKNOWN_READINGS,
    tags: [],
    pool: null,
    lock: null,
    hastate: null,
    ...patch,
  };
}

export function storageInfo(
  storage: string,
  node: string,
  patch: Partial<StorageInfo> = {},
): StorageInfo {
  return {
    storage,
    node,
    status: "available",
    shared: false,
    plugintype: null,
    content: [],
    used: null,
    total: null,
    ...patch,
  };
}

export interface SnapshotPatch {
  cluster?: Partial<ClusterInfo>;
  nodes?: NodeInfo[];
  guests?: GuestInfo[];
  storage?: StorageInfo[];
}

export function snapshot(patch: SnapshotPatch = {}): Snapshot {
  return {
    cluster: { name: null, quorate: null, version: null, ...patch.cluster },
    nodes: patch.nodes ?? [],
    guests: patch.guests ?? [],
    storage: patch.storage ?? [],
  };
}

// Wire shapes: only the identifying keys every entry of its kind carries,
// so the sample keeps exactly the other fields a test hands over.

export function pveNode(node: string, fields: Record<string, unknown> = {}) {
  return { id: "node/" + node, node, type: "node", ...fields };
}

export function pveGuest(
  type: string,
  vmid: number,
  node: string,
  fields: Record<string, unknown> = {},
) {
  return { id: type + "/" + vmid, vmid, node, type, ...fields };
}

export function pveStorage(node: string, storage: string, fields: Record<string, unknown> = {}) {
  return { id: "storage/" + node + "/" + storage, storage, node, type: "storage", ...fields };
}
