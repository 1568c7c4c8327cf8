// RRD history (issue 12): decoders for GET …/rrddata, as untrusted input.
//
// PVE answers an array of `{time, <field>…}` rows. A bucket the RRD has no
// value for is left out of the row (not null, not 0), so every field but
// `time` is optional, and a row with only `time` is a real, empty bucket:
// it is kept, with every field null, so a graph shows a gap there instead
// of a drop to zero. Rows are kept in PVE's order. Numbers go through the
// same coercions as /cluster/resources (strings, NaN, Infinity, negatives).
// A row without a usable `time` cannot be placed on a time axis: it is
// dropped and counted. Linear in the size of the answer.

import {
  isRecord,
  own,
  toFraction,
  toInteger,
  toNonNegative,
  type JsonRecord,
} from "../model/decode-values";

export type Timeframe = "hour" | "day" | "week";
export const TIMEFRAMES: ReadonlyArray<Timeframe> = ["hour", "day", "week"];

export function isTimeframe(v: unknown): v is Timeframe {
  return v === "hour" || v === "day" || v === "week";
}

/**
 * The RRD step we expect before seeing data (PVE 9 files; pre-9 "day" is
 * 30 min and "week" 3 h, which the reader learns from the answer's spacing).
 */
export const DEFAULT_STEP_SECONDS: Readonly<Record<Timeframe, number>> = Object.freeze({
  hour: 60,
  day: 60,
  week: 1800,
});

/** PVE's largest answer is 1440 rows; more than this is not an RRD. */
export const MAX_RRD_POINTS = 5000;

export type RrdKind = "node" | "qemu" | "lxc" | "storage";

/** One bucket of a node or guest. null: PVE left the field out (a gap). */
export interface ResourcePoint {
  /** Seconds since the epoch (bucket start). */
  time: number;
  /** Fraction 0..1 of maxcpu. */
  cpu: number | null;
  maxcpu: number | null;
  /** Bytes; a node's memused on every PVE version. */
  mem: number | null;
  maxmem: number | null;
  /** Bytes per second. */
  netin: number | null;
  netout: number | null;
  /** Guests only (null for nodes): bytes per second. */
  diskread: number | null;
  diskwrite: number | null;
  /** Guest disk, or a node's root file system; bytes. */
  disk: number | null;
  maxdisk: number | null;
  /** Nodes only: I/O wait fraction and 1-minute load average. */
  iowait: number | null;
  loadavg: number | null;
}

export interface StoragePoint {
  time: number;
  used: number | null;
  total: number | null;
}

export interface RrdDecoded<P> {
  points: P[];
  /** Rows dropped: not an object, or no usable time. */
  dropped: number;
}

function rows(raw: unknown): unknown[] | null {
  return Array.isArray(raw) ? raw : null;
}

function pointTime(row: JsonRecord): number | null {
  const t = toInteger(own(row, "time"));
  return t !== null && t >= 0 ? t : null;
}

/** First field present wins: PVE 9 node memory is memused/memtotal, and so is pve2-node. */
function either(row: JsonRecord, a: string, b: string): number | null {
  const v = toNonNegative(own(row, a));
  return v !== null ? v : toNonNegative(own(row, b));
}

function decodeResourceRow(row: JsonRecord, time: number, node: boolean): ResourcePoint {
  return {
    time,
    cpu: toFraction(own(row, "cpu")),
    maxcpu: toNonNegative(own(row, "maxcpu")),
    mem: node ? either(row, "memused", "mem") : toNonNegative(own(row, "mem")),
    maxmem: node ? either(row, "memtotal", "maxmem") : toNonNegative(own(row, "maxmem")),
    netin: toNonNegative(own(row, "netin")),
    netout: toNonNegative(own(row, "netout")),
    diskread: node ? null : toNonNegative(own(row, "diskread")),
    diskwrite: node ? null : toNonNegative(own(row, "diskwrite")),
    disk: node ? toNonNegative(own(row, "rootused")) : toNonNegative(own(row, "disk")),
    maxdisk: node ? toNonNegative(own(row, "roottotal")) : toNonNegative(own(row, "maxdisk")),
    iowait: node ? toFraction(own(row, "iowait")) : null,
    loadavg: node ? toNonNegative(own(row, "loadavg")) : null,
  };
}

/** The shared row loop: objects with a usable time are decoded, the rest counted. */
function decodeRows<P>(
  raw: unknown,
  decodeRow: (row: JsonRecord, time: number) => P,
): RrdDecoded<P> | null {
  const list = rows(raw);
  if (list === null) return null;
  const points: P[] = [];
  let dropped = 0;
  const n = list.length;
  for (let i = 0; i < n; i++) {
    const row = list[i];
    const time = points.length < MAX_RRD_POINTS && isRecord(row) ? pointTime(row) : null;
    if (time === null) {
      dropped++;
      continue;
    }
    points.push(decodeRow(row as JsonRecord, time));
  }
  return { points, dropped };
}

/** Decodes a node's or guest's rrddata; null when the answer is not an array. */
export function decodeResourceRrd(
  raw: unknown,
  kind: "node" | "qemu" | "lxc",
): RrdDecoded<ResourcePoint> | null {
  const node = kind === "node";
  return decodeRows(raw, (row, time) => decodeResourceRow(row, time, node));
}

/** Decodes a storage's rrddata (fields used, total). */
export function decodeStorageRrd(raw: unknown): RrdDecoded<StoragePoint> | null {
  return decodeRows(raw, (row, time) => ({
    time,
    used: toNonNegative(own(row, "used")),
    total: toNonNegative(own(row, "total")),
  }));
}

// ---- Targets: what a history is about, and where PVE serves it.

export type HistoryTarget =
  | { kind: "node"; node: string }
  | { kind: "qemu" | "lxc"; node: string; vmid: number }
  | { kind: "storage"; node: string; storage: string };

/** "node/pve1", "qemu/101", "lxc/200", "storage/pve1/local" — stable across refreshes. */
export function targetKey(target: HistoryTarget): string {
  switch (target.kind) {
    case "node":
      return "node/" + target.node;
    case "storage":
      return "storage/" + target.node + "/" + target.storage;
    default:
      return target.kind + "/" + target.vmid;
  }
}

/** The API path (without /api2/json) of the target's rrddata. */
export function rrdPath(target: HistoryTarget): string {
  const node = "/nodes/" + encodeURIComponent(target.node);
  switch (target.kind) {
    case "node":
      return node + "/rrddata";
    case "storage":
      return node + "/storage/" + encodeURIComponent(target.storage) + "/rrddata";
    default:
      return node + "/" + target.kind + "/" + target.vmid + "/rrddata";
  }
}

export function rrdQuery(timeframe: Timeframe): Record<string, string> {
  return { timeframe, cf: "AVERAGE" };
}

/** The spacing of the last two points, or null when there are fewer. */
export function observedStep(points: ReadonlyArray<{ time: number }>): number | null {
  const n = points.length;
  if (n < 2) return null;
  const a = (points[n - 2] as { time: number }).time;
  const b = (points[n - 1] as { time: number }).time;
  return b > a ? b - a : null;
}
