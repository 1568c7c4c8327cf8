// Node entries, as sent both by GET /cluster/resources (type "node") and by
// GET /nodes, which is the fallback when the resources call is not usable.
// The two share one shape (pve-api.md §5, §6), so one entry decoder serves both.

import type { NodeInfo, NodeStatus } from "./types";
import {
  isRecord,
  own,
  toFraction,
  toNonNegative,
  toKeyword,
  toText,
  type JsonRecord,
} from "./decode-values";

/** The text after `prefix` in an id such as "node/pve1"; null when it does not fit. */
export function idSuffix(id: unknown, prefix: string): string | null {
  if (typeof id !== "string" || id.length <= prefix.length || id.indexOf(prefix) !== 0) {
    return null;
  }
  return toText(id.slice(prefix.length));
}

export function toNodeStatus(v: unknown): NodeStatus {
  if (v === "online" || v === "offline") return v;
  const k = toKeyword(v);
  return k === "online" || k === "offline" ? k : "unknown";
}

/**
 * One node entry; null when it names no node. Stats PVE omitted (offline
 * node, no Sys.Audit) stay null rather than 0 so they are never shown as idle.
 */
export function decodeNodeEntry(o: JsonRecord): NodeInfo | null {
  const name = toText(own(o, "node")) ?? idSuffix(own(o, "id"), "node/");
  if (name === null) return null;
  return {
    name,
    status: toNodeStatus(own(o, "status")),
    cpu: toFraction(own(o, "cpu")),
    maxcpu: toNonNegative(own(o, "maxcpu")),
    mem: toNonNegative(own(o, "mem")),
    maxmem: toNonNegative(own(o, "maxmem")),
    disk: toNonNegative(own(o, "disk")),
    maxdisk: toNonNegative(own(o, "maxdisk")),
    uptime: toNonNegative(own(o, "uptime")),
    hastate: toText(own(o, "hastate")),
  };
}

/** GET /nodes `data`; null only when it is not a list at all. */
export function decodeNodes(data: unknown): NodeInfo[] | null {
  if (!Array.isArray(data)) return null;
  const nodes: NodeInfo[] = [];
  const n = data.length;
  for (let i = 0; i < n; i++) {
    try {
      const entry: unknown = data[i];
      if (!isRecord(entry)) continue;
      const node = decodeNodeEntry(entry);
      if (node !== null) nodes.push(node);
    } catch {
      // A single unreadable entry must not cost the whole list.
    }
  }
  return nodes;
}

const SHA256_HEX_DIGITS = 64;

/**
 * A SHA-256 fingerprint in the one spelling we compare against
 * ("AB:CD:..."), whatever case or separators it came with; null when it is
 * not exactly 32 bytes of hex.
 */
export function normaliseFingerprint(v: unknown): string | null {
  if (typeof v !== "string" || v.length > SHA256_HEX_DIGITS * 3 + 16) return null;
  let out = "";
  let digits = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const isHex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (isHex) {
      if (digits === SHA256_HEX_DIGITS) return null;
      if (digits > 0 && digits % 2 === 0) out += ":";
      out += v.charAt(i);
      digits++;
    } else if (c !== 0x3a && c !== 0x20 && c !== 0x09) {
      return null;
    }
  }
  return digits === SHA256_HEX_DIGITS ? out.toUpperCase() : null;
}

/**
 * Node name → certificate fingerprint from GET /nodes, for trust-on-first-use
 * of the other nodes' certificates. The map has no prototype, so a node
 * called "__proto__" is just a key.
 */
export function decodeNodeFingerprints(data: unknown): Record<string, string> {
  const result = Object.create(null) as Record<string, string>;
  if (!Array.isArray(data)) return result;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    try {
      const entry: unknown = data[i];
      if (!isRecord(entry)) continue;
      const name = toText(own(entry, "node")) ?? idSuffix(own(entry, "id"), "node/");
      const fingerprint = normaliseFingerprint(own(entry, "ssl_fingerprint"));
      // First entry wins: a second one with the same name is not more trustworthy.
      if (name !== null && fingerprint !== null && !(name in result)) {
        result[name] = fingerprint;
      }
    } catch {
      // Skip what cannot be read; the other nodes' fingerprints still count.
    }
  }
  return result;
}
