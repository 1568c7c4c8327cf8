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

/** Returns a new array; the input is not changed. */
export function sortGuests(guests: ReadonlyArray<GuestInfo>, by: SortBy): GuestInfo[] {
  return stableSort(guests, compareGuests(by));
}

/** Nodes have no id; "id" sorts by name like "name". Returns a new array. */
export function sortNodes(nodes: ReadonlyArray<NodeInfo>, by: SortBy): NodeInfo[] {
  return stableSort(nodes, function (a, b) {
    if (by === "status") {
      const r = nodeStatusRank(a.status) - nodeStatusRank(b.status);
      if (r !== 0) return r;
    }
    return compareNatural(a.name, b.name);
  });
}
