// GET /cluster/resources: the one call a refresh really needs. It is the
// hot path (up to ~10,000 guests every few seconds, in V4), so each entry is
// decoded in one pass straight into its result object, and a bad field only
// degrades that field (pve-api.md §5 for what PVE omits and when).

import type { GuestInfo, GuestStatus, GuestType, NodeInfo, StorageInfo } from "./types";
import { decodeNodeEntry, idSuffix } from "./decode-nodes";
import {
  isRecord,
  own,
  splitList,
  toBool,
  toFraction,
  toInteger,
  toKeyword,
  toNonNegative,
  toText,
  type JsonRecord,
} from "./decode-values";

export interface DecodedResources {
  nodes: NodeInfo[];
  guests: GuestInfo[];
  storage: StorageInfo[];
}

// PVE writes tags joined by ";" since 7.3; older configs and hand edits use
// "," or spaces, and the GUI splits on all three.
const TAG_SEPARATORS = /[;,\s]+/;
const CONTENT_SEPARATORS = /,/;
const MAX_TAGS = 64;
const MAX_TAG_LENGTH = 64;
const MAX_CONTENT_TYPES = 32;

// PVE's pve-vmid range; a larger number is not an id we could act on.
const MAX_VMID = 999999999;

export function toGuestStatus(v: unknown): GuestStatus {
  // The two answers nearly every guest gives skip all normalisation.
  if (v === "running" || v === "stopped") return v;
  return toKeyword(v) ?? "unknown";
}

export function toVmid(v: unknown): number | null {
  const n = toInteger(v);
  return n !== null && n > 0 && n <= MAX_VMID ? n : null;
}

function guestTypeFromId(id: unknown): GuestType | null {
  if (typeof id !== "string") return null;
  if (id.indexOf("qemu/") === 0) return "qemu";
  if (id.indexOf("lxc/") === 0) return "lxc";
  return null;
}

function vmidFromId(id: unknown, type: GuestType): number | null {
  const digits = idSuffix(id, type === "qemu" ? "qemu/" : "lxc/");
  return digits === null ? null : toVmid(digits);
}

/** PVE's own names for a guest without one (qemu-server and pve-container). */
export function defaultGuestName(type: GuestType, vmid: number): string {
  return type === "qemu" ? "VM " + vmid : "CT" + vmid;
}

/**
 * One guest entry of a known type. Null when it has no usable vmid or node:
 * without them the guest can be neither told apart nor acted on.
 */
export function decodeGuestEntry(o: JsonRecord, type: GuestType): GuestInfo | null {
  const id = own(o, "id");
  const vmid = toVmid(own(o, "vmid")) ?? vmidFromId(id, type);
  if (vmid === null) return null;
  const node = toText(own(o, "node"));
  if (node === null) return null;
  const tags = own(o, "tags");
  return {
    vmid,
    type,
    name: toText(own(o, "name")) ?? defaultGuestName(type, vmid),
    node,
    status: toGuestStatus(own(o, "status")),
    template: toBool(own(o, "template")) === true,
    cpu: toFraction(own(o, "cpu")),
    maxcpu: toNonNegative(own(o, "maxcpu")),
    mem: toNonNegative(own(o, "mem")),
    maxmem: toNonNegative(own(o, "maxmem")),
    disk: toNonNegative(own(o, "disk")),
    maxdisk: toNonNegative(own(o, "maxdisk")),
    uptime: toNonNegative(own(o, "uptime")),
    tags: tags === undefined ? [] : splitList(tags, TAG_SEPARATORS, MAX_TAGS, MAX_TAG_LENGTH),
    pool: toText(own(o, "pool")),
    lock: toText(own(o, "lock")),
    hastate: toText(own(o, "hastate")),
  };
}

/** One storage entry; null when the storage or its node cannot be named. */
export function decodeStorageEntry(o: JsonRecord): StorageInfo | null {
  let storage = toText(own(o, "storage"));
  let node = toText(own(o, "node"));
  if (storage === null || node === null) {
    // "storage/<node>/<storage>"; storage ids cannot contain "/", node names neither.
    const rest = idSuffix(own(o, "id"), "storage/");
    const slash = rest === null ? -1 : rest.indexOf("/");
    if (rest === null || slash <= 0) return null;
    node = node ?? toText(rest.slice(0, slash));
    storage = storage ?? toText(rest.slice(slash + 1));
    if (storage === null || node === null) return null;
  }
  const content = own(o, "content");
  return {
    storage,
    node,
    status: toText(own(o, "status")) ?? "unknown",
    shared: toBool(own(o, "shared")) === true,
    plugintype: toText(own(o, "plugintype")),
    content:
      content === undefined
        ? []
        : splitList(content, CONTENT_SEPARATORS, MAX_CONTENT_TYPES, MAX_TAG_LENGTH),
    used: toNonNegative(own(o, "disk")),
    total: toNonNegative(own(o, "maxdisk")),
  };
}

type EntryKind = GuestType | "node" | "storage" | "skip";

function entryKind(o: JsonRecord): EntryKind {
  const type = own(o, "type");
  if (typeof type === "string") {
    // A present type is authoritative: pool, sdn, network, openvz and
    // anything newer are not ours to show.
    switch (type) {
      case "qemu":
      case "lxc":
      case "node":
      case "storage":
        return type;
      default:
        return "skip";
    }
  }
  // No usable type: the id still says what the entry is.
  const id = own(o, "id");
  const guestType = guestTypeFromId(id);
  if (guestType !== null) return guestType;
  if (typeof id === "string") {
    if (id.indexOf("node/") === 0) return "node";
    if (id.indexOf("storage/") === 0) return "storage";
  }
  return "skip";
}

/**
 * The `data` of GET /cluster/resources (no type filter). Null only when it
 * is not a list, which the caller reports as a bad response; everything
 * else degrades entry by entry.
 */
export function decodeResources(data: unknown): DecodedResources | null {
  if (!Array.isArray(data)) return null;
  const nodes: NodeInfo[] = [];
  const guests: GuestInfo[] = [];
  const storage: StorageInfo[] = [];
  const n = data.length;
  for (let i = 0; i < n; i++) {
    try {
      const entry: unknown = data[i];
      if (!isRecord(entry)) continue;
      const kind = entryKind(entry);
      if (kind === "qemu" || kind === "lxc") {
        const guest = decodeGuestEntry(entry, kind);
        if (guest !== null) guests.push(guest);
      } else if (kind === "node") {
        const node = decodeNodeEntry(entry);
        if (node !== null) nodes.push(node);
      } else if (kind === "storage") {
        const store = decodeStorageEntry(entry);
        if (store !== null) storage.push(store);
      }
    } catch {
      // Only reachable with exotic input (a throwing getter or proxy); losing
      // that one entry beats losing the refresh.
    }
  }
  return { nodes, guests, storage };
}
