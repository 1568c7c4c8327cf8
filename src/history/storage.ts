// Storage for the popup and the alerts (issue 12): /cluster/resources lists
// a shared storage once per node that can see it, but it is one pool of
// bytes, so it becomes one row; a local storage stays under its node. Rows
// are sorted by fullness (fullest first; unknown usage last). Pure.

import type { Snapshot, StorageInfo } from "../model/types";
import { compareNatural } from "../view/sort";

export type StorageState = "available" | "inactive" | "unknown" | "disabled";

export interface StorageRow {
  /** "storage/NAME" for a shared storage, "storage/NODE/NAME" for a local one. */
  key: string;
  storage: string;
  /** The node of a local storage; for a shared one the node whose reading is used. */
  node: string;
  /** Every node that lists it (one for a local storage), in snapshot order. */
  nodes: string[];
  shared: boolean;
  /** Storage plugin (dir, lvmthin, zfspool, nfs, rbd, pbs, …); null when not reported. */
  type: string | null;
  state: StorageState;
  used: number | null;
  total: number | null;
  /** used/total clamped to 0..1; null when either is unknown or total is 0. */
  fraction: number | null;
}

export interface NodeStorage {
  node: string;
  storages: StorageRow[];
}

export interface StorageGroups {
  /** Shared storages, once each, fullest first. */
  shared: StorageRow[];
  /** Local storages under their node (nodes in natural order), fullest first. */
  byNode: NodeStorage[];
  /** Every row, shared and local, fullest first. */
  all: StorageRow[];
}

export function storageState(status: string): StorageState {
  switch (status) {
    case "available":
    case "active":
      return "available";
    case "inactive":
    case "not active":
      return "inactive";
    case "disabled":
      return "disabled";
    default:
      return "unknown";
  }
}

export function usageFraction(used: number | null, total: number | null): number | null {
  if (used === null || total === null || !(total > 0)) return null;
  const f = used / total;
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

export function storageKey(s: Pick<StorageInfo, "storage" | "node" | "shared">): string {
  return s.shared ? "storage/" + s.storage : "storage/" + s.node + "/" + s.storage;
}

function row(s: StorageInfo): StorageRow {
  return {
    key: storageKey(s),
    storage: s.storage,
    node: s.node,
    nodes: [s.node],
    shared: s.shared,
    type: s.plugintype,
    state: storageState(s.status),
    used: s.used,
    total: s.total,
    fraction: usageFraction(s.used, s.total),
  };
}

/** Fullest first; unknown usage after every known one; then by name and node. */
export function compareFullness(a: StorageRow, b: StorageRow): number {
  if (a.fraction !== b.fraction) {
    if (a.fraction === null) return 1;
    if (b.fraction === null) return -1;
    return b.fraction - a.fraction;
  }
  return compareNatural(a.storage, b.storage) || compareNatural(a.node, b.node);
}

/** Rows per storage: shared ones merged (the first available reading wins). */
export function storageRows(storage: ReadonlyArray<StorageInfo>): StorageRow[] {
  const out: StorageRow[] = [];
  const shared: { [key: string]: StorageRow | undefined } = Object.create(null) as {
    [key: string]: StorageRow | undefined;
  };
  for (let i = 0; i < storage.length; i++) {
    const s = storage[i] as StorageInfo;
    if (!s.shared) {
      out.push(row(s));
      continue;
    }
    const key = storageKey(s);
    const seen = shared[key];
    if (seen === undefined) {
      const r = row(s);
      shared[key] = r;
      out.push(r);
      continue;
    }
    if (seen.nodes.indexOf(s.node) === -1) seen.nodes.push(s.node);
    // A node that cannot reach the share says "unknown"; one that can wins.
    const better = row(s);
    if (
      (seen.state !== "available" && better.state === "available") ||
      (seen.fraction === null && better.fraction !== null && better.state === seen.state)
    ) {
      seen.node = better.node;
      seen.state = better.state;
      seen.used = better.used;
      seen.total = better.total;
      seen.fraction = better.fraction;
      if (better.type !== null) seen.type = better.type;
    }
  }
  return out;
}

export function groupStorage(snapshot: Pick<Snapshot, "storage">): StorageGroups {
  const all = storageRows(snapshot.storage).sort(compareFullness);
  const shared: StorageRow[] = [];
  const byName: { [node: string]: NodeStorage | undefined } = Object.create(null) as {
    [node: string]: NodeStorage | undefined;
  };
  const byNode: NodeStorage[] = [];
  for (const r of all) {
    if (r.shared) {
      shared.push(r);
      continue;
    }
    let group = byName[r.node];
    if (group === undefined) {
      group = { node: r.node, storages: [] };
      byName[r.node] = group;
      byNode.push(group);
    }
    group.storages.push(r);
  }
  byNode.sort((a, b) => compareNatural(a.node, b.node));
  return { shared, byNode, all };
}

/** The fullest storage with a known usage, or null. */
export function fullestStorage(snapshot: Pick<Snapshot, "storage">): StorageRow | null {
  const rows = storageRows(snapshot.storage);
  let best: StorageRow | null = null;
  for (const r of rows) {
    if (r.fraction === null || r.state !== "available") continue;
    if (best === null || compareFullness(r, best) < 0) best = r;
  }
  return best;
}
