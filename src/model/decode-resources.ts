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
  return decodeGuest(o, type, isPlain(o, prototypeClean()), newDecodeState());
}

/**
 * What one decodeResources call shares between its entries: the list for
 * guests without tags (never changed by anyone: snapshots are read-only)
 * and the last node name seen, since PVE lists a node's guests together.
 */
interface DecodeState {
  noTags: string[];
  rawNode: unknown;
  node: string | null;
}

function newDecodeState(): DecodeState {
  return { noTags: Object.freeze([]) as unknown as string[], rawNode: undefined, node: null };
}

/** Whether o.field is own(o, field) for the guest fields (see prototypeClean). */
function isPlain(o: JsonRecord, clean: boolean): boolean {
  return clean && Object.getPrototypeOf(o) === Object.prototype;
}

function decodeGuest(
  o: JsonRecord,
  type: GuestType,
  plain: boolean,
  state: DecodeState,
): GuestInfo | null {
  if (!plain) return decodeGuestFields(o, type);
  // The usual well-typed values are taken as they are, in line: in V4 a
  // call per field costs more than the checks. Anything else goes through
  // the same coercion as before.
  const e = o as GuestFields;
  const vmidRaw = e.vmid;
  const vmid =
    typeof vmidRaw === "number" && vmidRaw > 0 && vmidRaw <= MAX_VMID && vmidRaw % 1 === 0
      ? vmidRaw
      : (toVmid(vmidRaw) ?? vmidFromId(e.id, type));
  if (vmid === null) return null;
  const rawNode = e.node;
  let node: string | null;
  if (rawNode === state.rawNode) {
    node = state.node;
  } else {
    node = toText(rawNode);
    state.rawNode = rawNode;
    state.node = node;
  }
  if (node === null) return null;
  const name = e.name;
  const status = e.status;
  const template = e.template;
  const cpu = e.cpu;
  const maxcpu = e.maxcpu;
  const mem = e.mem;
  const maxmem = e.maxmem;
  const disk = e.disk;
  const maxdisk = e.maxdisk;
  const uptime = e.uptime;
  const tags = e.tags;
  const pool = e.pool;
  const lock = e.lock;
  const hastate = e.hastate;
  return {
    vmid,
    type,
    name: (name === undefined ? null : toText(name)) ?? defaultGuestName(type, vmid),
    node,
    status: status === "running" || status === "stopped" ? status : toGuestStatus(status),
    template: template === 1 || template === true || template === "1",
    cpu: typeof cpu === "number" && cpu > 0 && cpu <= 1 ? cpu : toFraction(cpu),
    maxcpu:
      typeof maxcpu === "number" && maxcpu > 0 && maxcpu - maxcpu === 0
        ? maxcpu
        : toNonNegative(maxcpu),
    mem: typeof mem === "number" && mem > 0 && mem - mem === 0 ? mem : toNonNegative(mem),
    maxmem:
      typeof maxmem === "number" && maxmem > 0 && maxmem - maxmem === 0
        ? maxmem
        : toNonNegative(maxmem),
    disk: typeof disk === "number" && disk > 0 && disk - disk === 0 ? disk : toNonNegative(disk),
    maxdisk:
      typeof maxdisk === "number" && maxdisk > 0 && maxdisk - maxdisk === 0
        ? maxdisk
        : toNonNegative(maxdisk),
    uptime:
      typeof uptime === "number" && uptime > 0 && uptime - uptime === 0
        ? uptime
        : toNonNegative(uptime),
    tags:
      tags === undefined || tags === ""
        ? state.noTags
        : splitList(tags, TAG_SEPARATORS, MAX_TAGS, MAX_TAG_LENGTH),
    pool: pool === undefined ? null : toText(pool),
    lock: lock === undefined ? null : toText(lock),
    hastate: hastate === undefined ? null : toText(hastate),
  };
}

/** The fields of a guest entry, read directly when plainFields allows. */
interface GuestFields {
  readonly id?: unknown;
  readonly vmid?: unknown;
  readonly node?: unknown;
  readonly name?: unknown;
  readonly status?: unknown;
  readonly template?: unknown;
  readonly cpu?: unknown;
  readonly maxcpu?: unknown;
  readonly mem?: unknown;
  readonly maxmem?: unknown;
  readonly disk?: unknown;
  readonly maxdisk?: unknown;
  readonly uptime?: unknown;
  readonly tags?: unknown;
  readonly pool?: unknown;
  readonly lock?: unknown;
  readonly hastate?: unknown;
}

const GUEST_FIELD_NAMES = [
  "id",
  "type",
  "vmid",
  "node",
  "name",
  "status",
  "template",
  "cpu",
  "maxcpu",
  "mem",
  "maxmem",
  "disk",
  "maxdisk",
  "uptime",
  "tags",
  "pool",
  "lock",
  "hastate",
];

/**
 * Whether `o.field` is exactly own(o, "field") for every guest field of an
 * object JSON.parse made (its prototype is Object.prototype): true as long
 * as nobody added one of these names to Object.prototype. Asked once per
 * decode, because another widget in the same engine could do that.
 */
function prototypeClean(): boolean {
  const proto = Object.prototype as { [key: string]: unknown };
  for (let i = 0; i < GUEST_FIELD_NAMES.length; i++)
    if ((GUEST_FIELD_NAMES[i] as string) in proto) return false;
  return true;
}

/** decodeGuestEntry by own-property look-ups, for any object. */
function decodeGuestFields(o: JsonRecord, type: GuestType): GuestInfo | null {
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

function entryKind(o: JsonRecord, plain: boolean): EntryKind {
  const type = plain ? (o as { readonly type?: unknown }).type : own(o, "type");
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
  const clean = prototypeClean();
  const state = newDecodeState();
  for (let i = 0; i < n; i++) {
    try {
      const entry: unknown = data[i];
      if (!isRecord(entry)) continue;
      const plain = isPlain(entry, clean);
      const kind = entryKind(entry, plain);
      if (kind === "qemu" || kind === "lxc") {
        const guest = decodeGuest(entry, kind, plain, state);
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
