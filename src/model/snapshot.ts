// Puts the decoded parts of one refresh together. Order is left as PVE sent
// it (the view sorts); the only repairs are duplicates, which the diff and
// the view key on and therefore must not see twice.
//
// The look-up tables are plain objects, not Map/Set: Qt's V4 searches a Map
// linearly (measured on Qt 6.4: 10,000 Map inserts take ~150 ms against
// ~2 ms for an object), which made de-duplication cost more than JSON.parse.

import type { DecodedResources } from "./decode-resources";
import type { GuestInfo, NodeInfo, Snapshot, StorageInfo } from "./types";

export interface SnapshotParts {
  resources: DecodedResources;
  /** From decodeClusterStatus; null/absent when /cluster/status was not readable. */
  cluster?: { name: string | null; quorate: boolean | null } | null;
  /** From decodeVersion; null/absent when /version was not readable. */
  version?: string | null;
}

// Keyed by decoded (untrusted) names: without a prototype, "__proto__" or
// "constructor" are ordinary keys.
type Table<T> = { [key: string]: T | undefined };
function newTable<T>(): Table<T> {
  return Object.create(null) as Table<T>;
}

export function assembleSnapshot(parts: SnapshotParts): Snapshot {
  const resources = parts.resources;
  const cluster = parts.cluster ?? null;

  // Node names are unique in a cluster; a repeat can only be a glitch, and
  // the first entry is as good as any.
  const nodeByName = newTable<NodeInfo>();
  const nodes: NodeInfo[] = [];
  for (let i = 0; i < resources.nodes.length; i++) {
    const node = resources.nodes[i] as NodeInfo;
    if (nodeByName[node.name] !== undefined) continue;
    nodeByName[node.name] = node;
    nodes.push(node);
  }

  // A migrating guest can be listed on both nodes for a moment. The copy on
  // an online node is the live one; otherwise keep the first. Guest status
  // is left as reported even on an offline node: PVE itself turns it into
  // "unknown" once the node's data expires.
  // vmids are positive integers, which no prototype property can shadow,
  // and V4 stores such keys in a fast array-like part of the object.
  const guestIndex: { [vmid: number]: number | undefined } = {};
  const guests: GuestInfo[] = [];
  for (let i = 0; i < resources.guests.length; i++) {
    const guest = resources.guests[i] as GuestInfo;
    const seen = guestIndex[guest.vmid];
    if (seen === undefined) {
      guestIndex[guest.vmid] = guests.length;
      guests.push(guest);
    } else if (
      !isOnline(nodeByName, (guests[seen] as GuestInfo).node) &&
      isOnline(nodeByName, guest.node)
    ) {
      guests[seen] = guest;
    }
  }

  // Same storage on the same node twice would show as two rows with one key.
  const storageSeen = newTable<true>();
  const storage: StorageInfo[] = [];
  for (let i = 0; i < resources.storage.length; i++) {
    const store = resources.storage[i] as StorageInfo;
    // Decoded text never contains control characters, so NUL cannot be
    // part of either name and the key is unambiguous.
    const key = store.node + "\u0000" + store.storage;
    if (storageSeen[key] !== undefined) continue;
    storageSeen[key] = true;
    storage.push(store);
  }

  return {
    cluster: {
      name: cluster === null ? null : cluster.name,
      quorate: cluster === null ? null : cluster.quorate,
      version: parts.version ?? null,
    },
    nodes,
    guests,
    storage,
  };
}

function isOnline(nodeByName: Table<NodeInfo>, name: string): boolean {
  const node = nodeByName[name];
  return node !== undefined && node.status === "online";
}
