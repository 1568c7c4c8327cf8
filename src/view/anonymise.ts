// Developer mode: names safe to show in a screenshot. The mapping depends
// only on the snapshot's content (names sorted naturally, then numbered),
// so it is the same on every refresh as long as the set of names is; VMIDs
// are kept because guest names are derived from them ("vm-101") and they
// say nothing about the owner. Numbers, states and versions are kept: they
// are what a screenshot is meant to show.

import type { GuestInfo, GuestType, Snapshot } from "../model/types";
import { compareNatural } from "./sort";

export const ANONYMOUS_HOST = "pve.example.com";
export const ANONYMOUS_CLUSTER = "cluster";

export interface Anonymiser {
  node(name: string): string;
  guestName(guest: { type: GuestType; vmid: number }): string;
  tag(tag: string): string;
  pool(pool: string): string;
  storage(name: string): string;
  cluster(name: string): string;
  /** Replaces the host and every known name in free text (error messages). */
  text(message: string, host?: string | null): string;
  snapshot(): Snapshot;
}

function numbered(names: string[], prefix: string): Map<string, string> {
  const unique: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (seen.has(name)) continue;
    seen.add(name);
    unique.push(name);
  }
  unique.sort(compareNatural);
  const map = new Map<string, string>();
  for (let i = 0; i < unique.length; i++) map.set(unique[i] as string, prefix + "-" + (i + 1));
  return map;
}

// For names the snapshot does not contain (an error about a node that has
// since vanished): still deterministic, still not the real name.
function hashed(name: string, prefix: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return prefix + "-x" + (h >>> 0).toString(16).padStart(8, "0").slice(0, 4);
}

function lookup(map: Map<string, string>, name: string, prefix: string): string {
  const found = map.get(name);
  return found !== undefined ? found : hashed(name, prefix);
}

function isNameChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 45 ||
    code === 95
  );
}

export function anonymousGuestName(guest: { type: GuestType; vmid: number }): string {
  return (guest.type === "lxc" ? "ct-" : "vm-") + guest.vmid;
}

export function createAnonymiser(source: Snapshot): Anonymiser {
  const nodeNames: string[] = [];
  const tags: string[] = [];
  const pools: string[] = [];
  const storages: string[] = [];
  for (let i = 0; i < source.nodes.length; i++)
    nodeNames.push((source.nodes[i] as { name: string }).name);
  for (let i = 0; i < source.guests.length; i++) {
    const g = source.guests[i] as GuestInfo;
    nodeNames.push(g.node);
    for (let t = 0; t < g.tags.length; t++) tags.push(g.tags[t] as string);
    if (g.pool !== null) pools.push(g.pool);
  }
  for (let i = 0; i < source.storage.length; i++) {
    const s = source.storage[i] as { node: string; storage: string };
    nodeNames.push(s.node);
    storages.push(s.storage);
  }
  const nodeMap = numbered(nodeNames, "node");
  const tagMap = numbered(tags, "tag");
  const poolMap = numbered(pools, "pool");
  const storageMap = numbered(storages, "storage");

  const node = (name: string): string => lookup(nodeMap, name, "node");
  const tag = (name: string): string => lookup(tagMap, name, "tag");
  const pool = (name: string): string => lookup(poolMap, name, "pool");
  const storage = (name: string): string => lookup(storageMap, name, "storage");
  const cluster = (): string => ANONYMOUS_CLUSTER;

  function text(message: string, host?: string | null): string {
    const secrets: Array<{ from: string; to: string }> = [];
    if (host) secrets.push({ from: host, to: ANONYMOUS_HOST });
    if (source.cluster.name) secrets.push({ from: source.cluster.name, to: ANONYMOUS_CLUSTER });
    nodeMap.forEach(function (to, from) {
      secrets.push({ from, to });
    });
    for (let i = 0; i < source.guests.length; i++) {
      const g = source.guests[i] as GuestInfo;
      secrets.push({ from: g.name, to: anonymousGuestName(g) });
    }
    storageMap.forEach(function (to, from) {
      secrets.push({ from, to });
    });
    // Longest first, one pass: "pve1" must not be found inside "pve10", and
    // a replacement must never be searched again.
    secrets.sort(function (a, b) {
      return b.from.length - a.from.length;
    });
    let out = "";
    let i = 0;
    while (i < message.length) {
      let replaced = false;
      const before = i > 0 ? message.charCodeAt(i - 1) : -1;
      if (!isNameChar(before)) {
        for (let s = 0; s < secrets.length; s++) {
          const secret = secrets[s] as { from: string; to: string };
          const len = secret.from.length;
          if (len === 0 || !message.startsWith(secret.from, i)) continue;
          const after = i + len < message.length ? message.charCodeAt(i + len) : -1;
          if (isNameChar(after)) continue;
          out += secret.to;
          i += len;
          replaced = true;
          break;
        }
      }
      if (!replaced) {
        out += message.charAt(i);
        i++;
      }
    }
    return out;
  }

  function snapshot(): Snapshot {
    return {
      cluster: {
        name: source.cluster.name === null ? null : ANONYMOUS_CLUSTER,
        quorate: source.cluster.quorate,
        version: source.cluster.version,
      },
      nodes: source.nodes.map(function (n) {
        return {
          name: node(n.name),
          status: n.status,
          cpu: n.cpu,
          maxcpu: n.maxcpu,
          mem: n.mem,
          maxmem: n.maxmem,
          disk: n.disk,
          maxdisk: n.maxdisk,
          uptime: n.uptime,
          hastate: n.hastate,
        };
      }),
      guests: source.guests.map(function (g) {
        return {
          vmid: g.vmid,
          type: g.type,
          name: anonymousGuestName(g),
          node: node(g.node),
          status: g.status,
          template: g.template,
          cpu: g.cpu,
          maxcpu: g.maxcpu,
          mem: g.mem,
          maxmem: g.maxmem,
          disk: g.disk,
          maxdisk: g.maxdisk,
          uptime: g.uptime,
          tags: g.tags.map(tag),
          pool: g.pool === null ? null : pool(g.pool),
          lock: g.lock,
          hastate: g.hastate,
        };
      }),
      storage: source.storage.map(function (s) {
        return {
          storage: storage(s.storage),
          node: node(s.node),
          status: s.status,
          shared: s.shared,
          plugintype: s.plugintype,
          content: s.content.slice(),
          used: s.used,
          total: s.total,
        };
      }),
    };
  }

  return { node, guestName: anonymousGuestName, tag, pool, storage, cluster, text, snapshot };
}

export function anonymiseSnapshot(snapshot: Snapshot): Snapshot {
  return createAnonymiser(snapshot).snapshot();
}
