// Row order for the popup and the CLI. Sorting is done by hand-made keys
// instead of localeCompare (V4 has no Intl, so its result is not to be
// trusted) and is made stable by the original index, because V4's
// Array.prototype.sort is not guaranteed to be.
//
// Status order puts what is up first, then what is neither up nor down
// (paused, suspended, prelaunch, io-error and any state PVE adds later:
// those want attention), then what is down, then what cannot be known.
// Templates come last of all: they never run, and listing them among the
// stopped guests would bury the ones that should be running. Nodes follow
// the same idea: online, offline, unknown.

import type { GuestInfo, GuestStatus, NodeInfo, NodeStatus } from "../model/types";

export type SortBy = "status" | "name" | "id";

export function guestStatusRank(status: GuestStatus): number {
  if (status === "running") return 0;
  if (status === "stopped") return 2;
  if (status === "unknown") return 3;
  return 1;
}

export function nodeStatusRank(status: NodeStatus): number {
  if (status === "online") return 0;
  if (status === "offline") return 1;
  return 2;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Case-insensitive, with digit runs compared as numbers: "web-2" < "web-10".
 * Ties fall back to plain code-unit order so distinct names never compare equal.
 */
export function compareNatural(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    if (isDigit(cx) && isDigit(cy)) {
      let ei = i;
      while (ei < x.length && isDigit(x.charCodeAt(ei))) ei++;
      let ej = j;
      while (ej < y.length && isDigit(y.charCodeAt(ej))) ej++;
      // Compare digit runs as numbers without parsing, so any length works.
      let si = i;
      while (si < ei - 1 && x.charCodeAt(si) === 48) si++;
      let sj = j;
      while (sj < ej - 1 && y.charCodeAt(sj) === 48) sj++;
      const lenX = ei - si;
      const lenY = ej - sj;
      if (lenX !== lenY) return lenX - lenY;
      for (let k = 0; k < lenX; k++) {
        const d = x.charCodeAt(si + k) - y.charCodeAt(sj + k);
        if (d !== 0) return d;
      }
      i = ei;
      j = ej;
      continue;
    }
    if (cx !== cy) return cx - cy;
    i++;
    j++;
  }
  const rest = x.length - i - (y.length - j);
  if (rest !== 0) return rest;
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function stableSort<T>(items: ReadonlyArray<T>, compare: (a: T, b: T) => number): T[] {
  const decorated = items.map(function (item, index) {
    return { item, index };
  });
  decorated.sort(function (a, b) {
    return compare(a.item, b.item) || a.index - b.index;
  });
  return decorated.map(function (d) {
    return d.item;
  });
}

// Sorting by comparator costs a call into JS per comparison, and a natural
// comparison lowercases both names each time: at thousands of guests that
// dominates V4's view model. Instead each item gets one string whose plain
// code-unit order is exactly the comparator's order, and the strings are
// sorted natively. Items whose names or ids cannot be encoded faithfully
// take the comparator path.

/** Ends the natural part and the raw tie-breaker; names containing it are not encoded. */
const KEY_END = "\u0000";
const MAX_UNIT = 0xffff;
const RANK_CHARS = ["\u0001", "\u0002", "\u0003", "\u0004", "\u0005"];
// One native call finds the digit runs: walking a name with charCodeAt
// costs V4 a builtin call per character.
const HAS_DIGIT = /[0-9]/;
const DIGIT_RUNS = /([0-9]+)/;

/**
 * compareNatural as a sort key: the lowercased name with each digit run
 * written as "0", its length without leading zeros, then those digits,
 * followed by the name itself for compareNatural's final tie-break. A run
 * thus sorts against other text as its first digit would (all digits lie
 * between the same neighbours) and against another run by value.
 */
function naturalKey(name: string): string | null {
  if (name.indexOf(KEY_END) >= 0) return null;
  const x = name.toLowerCase();
  let key = x;
  if (HAS_DIGIT.test(x)) {
    // Split with a capturing group: digit runs at the odd indexes.
    const parts = x.split(DIGIT_RUNS);
    key = "";
    for (let i = 0; i < parts.length; i++) {
      let part = parts[i] as string;
      if (i % 2 === 0) {
        key += part;
        continue;
      }
      if (part.charCodeAt(0) === 48) {
        let start = 0;
        while (start < part.length - 1 && part.charCodeAt(start) === 48) start++;
        part = part.slice(start);
      }
      if (part.length > MAX_UNIT) return null;
      key += "0" + String.fromCharCode(part.length) + part;
    }
  }
  return key + KEY_END + name + KEY_END;
}

/**
 * Natural sort keys kept between calls. Names barely change between
 * refreshes and building a key costs far more than looking it up, so a
 * caller that sorts on every refresh keeps one of these (per widget: the
 * cache is owned, never module state, since plasmashell shares one engine
 * between widget instances).
 */
export interface SortKeyCache {
  keys: { [name: string]: string | undefined };
  size: number;
}

// Past this many names the cache starts over, so a stream of changing
// names cannot grow it without limit.
const KEY_CACHE_LIMIT = 50000;

export function createSortKeyCache(): SortKeyCache {
  return { keys: Object.create(null) as SortKeyCache["keys"], size: 0 };
}

function cachedNaturalKey(name: string, cache: SortKeyCache | undefined): string | null {
  if (cache === undefined) return naturalKey(name);
  const hit = cache.keys[name];
  if (hit !== undefined) return hit;
  const key = naturalKey(name);
  if (key === null) return null;
  if (cache.size >= KEY_CACHE_LIMIT) {
    cache.keys = Object.create(null) as SortKeyCache["keys"];
    cache.size = 0;
  }
  cache.keys[name] = key;
  cache.size++;
  return key;
}

function indexOfKey(key: string): number {
  return key.charCodeAt(key.length - 2) * 0x10000 + key.charCodeAt(key.length - 1);
}

/** Sorts by keys ending in the item's index, which also makes the sort stable. */
function sortByKeys<T>(items: ReadonlyArray<T>, keys: string[]): T[] {
  keys.sort();
  const out: T[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = items[indexOfKey(keys[i] as string)] as T;
  return out;
}

function guestRank(guest: GuestInfo): number {
  return guest.template ? 4 : guestStatusRank(guest.status);
}

function compareGuests(by: SortBy): (a: GuestInfo, b: GuestInfo) => number {
  return function (a, b) {
    if (by === "id") return a.vmid - b.vmid || compareNatural(a.name, b.name);
    if (by === "status") {
      const r = guestRank(a) - guestRank(b);
      if (r !== 0) return r;
    }
    return compareNatural(a.name, b.name) || a.vmid - b.vmid;
  };
}

// Rank prefixes by status for the "status" order, templates last; a
// null-prototype lookup so any status string PVE sends is safe to index.
const STATUS_RANK_CHAR: { [status: string]: string | undefined } = Object.create(null);
STATUS_RANK_CHAR["running"] = RANK_CHARS[0];
STATUS_RANK_CHAR["stopped"] = RANK_CHARS[2];
STATUS_RANK_CHAR["unknown"] = RANK_CHARS[3];
const OTHER_RANK_CHAR = RANK_CHARS[1] as string;
const TEMPLATE_RANK_CHAR = RANK_CHARS[4] as string;

/** Returns a new array; the input is not changed. */
export function sortGuests(
  guests: ReadonlyArray<GuestInfo>,
  by: SortBy,
  cache?: SortKeyCache,
): GuestInfo[] {
  // One flat loop: in V4 a JS function call per guest costs more than the
  // work it would wrap.
  const keys: string[] = new Array(guests.length);
  for (let i = 0; i < guests.length; i++) {
    const guest = guests[i] as GuestInfo;
    const vmid = guest.vmid;
    const name = cachedNaturalKey(guest.name, cache);
    if (name === null || !(vmid >= 0 && vmid <= 0xffffffff && vmid % 1 === 0) || i > 0xffffffff)
      return stableSort(guests, compareGuests(by));
    const vmidHigh = (vmid - (vmid % 0x10000)) / 0x10000;
    const indexHigh = (i - (i % 0x10000)) / 0x10000;
    if (by === "id") {
      keys[i] =
        String.fromCharCode(vmidHigh, vmid % 0x10000) +
        name +
        String.fromCharCode(indexHigh, i % 0x10000);
      continue;
    }
    const tail = String.fromCharCode(vmidHigh, vmid % 0x10000, indexHigh, i % 0x10000);
    if (by === "status") {
      const rank = guest.template
        ? TEMPLATE_RANK_CHAR
        : STATUS_RANK_CHAR[guest.status] || OTHER_RANK_CHAR;
      keys[i] = rank + name + tail;
    } else {
      keys[i] = name + tail;
    }
  }
  return sortByKeys(guests, keys);
}

function compareNodes(by: SortBy): (a: NodeInfo, b: NodeInfo) => number {
  return function (a, b) {
    if (by === "status") {
      const r = nodeStatusRank(a.status) - nodeStatusRank(b.status);
      if (r !== 0) return r;
    }
    return compareNatural(a.name, b.name);
  };
}

/** Nodes have no id; "id" sorts by name like "name". Returns a new array. */
export function sortNodes(
  nodes: ReadonlyArray<NodeInfo>,
  by: SortBy,
  cache?: SortKeyCache,
): NodeInfo[] {
  const keys: string[] = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as NodeInfo;
    const name = cachedNaturalKey(node.name, cache);
    if (name === null || i > 0xffff) return stableSort(nodes, compareNodes(by));
    keys[i] =
      (by === "status" ? RANK_CHARS[nodeStatusRank(node.status)] : "") +
      name +
      String.fromCharCode(0, i);
  }
  return sortByKeys(nodes, keys);
}
