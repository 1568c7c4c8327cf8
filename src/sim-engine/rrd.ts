// History and storage (issue 12): the simulator's RRD, so …/rrddata follows
// the scenario's metrics over time, in two rings per item: 60-second buckets (the "hour" timeframe, 70 rows
// like PVE) and 30-minute buckets (a week of 336 rows; "day" serves the
// last 48 of them, the spacing of a pre-9 file's week). An item's rings
// are made at its first request — items nobody asks for cost nothing —
// backfilled with its reading then and a little noise from a random source
// of their own (so the scenario's seeded story is unchanged); a storage's
// backfill runs its growth backwards, so its week already shows the slope
// the forecast needs. From then on every tick feeds them.
//
// As in PVE, a bucket without data leaves its fields out: a stopped
// guest's rows carry only time, maxcpu, maxmem, maxdisk and disk, an
// offline node's and its storages' rows only time, and the newest,
// unfinished bucket is not served.

import type { Acl } from "./acl";
import type { Failer } from "./api";
import type { SimCluster, SimGuest, SimNode, SimStorage } from "./cluster-model";
import { findNode, guestOnNode } from "./cluster-model";
import { createRandom, type Random } from "./random";
import { dataReply, type ApiReply } from "./reply";
import { SIM_EPOCH } from "./tasks";

type Row = { [field: string]: number };

interface Ring {
  step: number;
  size: number;
  /** Bucket start (epoch s) → accumulated sums; only the last `size` kept. */
  times: number[];
  sums: Row[];
  counts: number[];
}

interface ItemRrd {
  minute: Ring;
  halfHour: Ring;
}

export interface SimRrd {
  items: { [key: string]: ItemRrd | undefined };
  random: Random;
}

const HOUR_ROWS = 70;
const WEEK_ROWS = 336;
const DAY_ROWS = 48;

function ring(step: number, size: number): Ring {
  return { step, size, times: [], sums: [], counts: [] };
}

function add(r: Ring, epoch: number, row: Row | null): void {
  const t = Math.floor(epoch / r.step) * r.step;
  const n = r.times.length;
  if (n === 0 || (r.times[n - 1] as number) < t) {
    r.times.push(t);
    r.sums.push({});
    r.counts.push(0);
    if (r.times.length > r.size + 1) {
      r.times.shift();
      r.sums.shift();
      r.counts.shift();
    }
  }
  if (row === null) return;
  const i = r.times.length - 1;
  const sum = r.sums[i] as Row;
  for (const k in row) sum[k] = (sum[k] ?? 0) + (row[k] as number);
  r.counts[i] = (r.counts[i] as number) + 1;
}

function nodeRow(n: SimNode): Row {
  return {
    cpu: n.cpu,
    maxcpu: n.maxcpu,
    iowait: n.wait,
    loadavg: n.loadavg[0],
    memused: n.mem,
    memtotal: n.maxmem,
    rootused: n.disk,
    roottotal: n.maxdisk,
    netin: 20000 + n.cpu * 900000,
    netout: 12000 + n.cpu * 600000,
  };
}

function guestRow(g: SimGuest): Row {
  const base: Row = { maxcpu: g.maxcpu, maxmem: g.maxmem, maxdisk: g.maxdisk, disk: g.disk };
  if (g.status !== "running") return base;
  const activity = 0.3 + g.cpu * 4;
  base.cpu = g.cpu;
  base.mem = g.mem;
  base.netin = activity * 31000;
  base.netout = activity * 10000;
  base.diskread = activity * 20000;
  base.diskwrite = activity * 30000;
  return base;
}

function storageRow(s: SimStorage): Row {
  return { used: s.disk, total: s.maxdisk };
}

/** The current reading of one item (null: its node is offline, nothing is known); undefined: no such item. */
function currentRow(cluster: SimCluster, key: string): Row | null | undefined {
  const slash = key.indexOf("/");
  const kind = key.slice(0, slash);
  const rest = key.slice(slash + 1);
  if (kind === "node") {
    const n = findNode(cluster, rest);
    return n ? (n.online ? nodeRow(n) : null) : undefined;
  }
  if (kind === "storage") {
    const cut = rest.indexOf("/");
    const nodeName = rest.slice(0, cut);
    const id = rest.slice(cut + 1);
    const st = cluster.storage.filter((x) => x.node === nodeName && x.storage === id)[0];
    if (!st) return undefined;
    const node = findNode(cluster, nodeName);
    return node && node.online ? storageRow(st) : null;
  }
  const vmid = parseInt(rest, 10);
  const g = cluster.guests.filter((x) => x.vmid === vmid && x.type === kind)[0];
  if (!g) return undefined;
  const node = findNode(cluster, g.node);
  return node && node.online ? guestRow(g) : null;
}

function wobble(random: Random, row: Row, amount: number): Row {
  const out: Row = {};
  for (const k in row) {
    const v = row[k] as number;
    const varies =
      k === "cpu" ||
      k === "mem" ||
      k === "memused" ||
      k.indexOf("net") === 0 ||
      k.indexOf("disk") === 0;
    out[k] = varies && k !== "maxdisk" ? Math.max(0, v * (1 + (random() * 2 - 1) * amount)) : v;
  }
  if (out.cpu !== undefined && out.cpu > 1) out.cpu = 1;
  return out;
}

function backfill(rrd: SimRrd, row: Row | null, epoch: number, growthPerSecond: number): ItemRrd {
  const item: ItemRrd = { minute: ring(60, HOUR_ROWS), halfHour: ring(1800, WEEK_ROWS) };
  for (const r of [item.halfHour, item.minute]) {
    const start = Math.floor(epoch / r.step) * r.step - r.size * r.step;
    for (let t = start; t < Math.floor(epoch / r.step) * r.step; t += r.step) {
      if (row === null) {
        add(r, t, null);
        continue;
      }
      const past = wobble(rrd.random, row, 0.15);
      if (past.used !== undefined && growthPerSecond > 0) {
        past.used = Math.max(0, (row.used as number) - growthPerSecond * (epoch - t));
      }
      add(r, t, past);
    }
  }
  return item;
}

/** The scenario's growth in bytes per second; the backfill runs it backwards (the small live drift is left out). */
function growthOf(cluster: SimCluster, key: string): number {
  for (const s of cluster.storage) {
    if ("storage/" + s.node + "/" + s.storage !== key) continue;
    return ((s.growthPerDay ?? 0) * s.maxdisk) / 86400;
  }
  return 0;
}

/**
 * Called after every metrics tick: the readings of this second go into the
 * buckets of every item asked for so far. Items nobody asked for cost
 * nothing (a 10,000-guest benchmark cluster keeps no history).
 */
export function recordRrd(cluster: SimCluster): void {
  const rrd = cluster.rrd;
  if (!rrd) return;
  const epoch = SIM_EPOCH + Math.floor(cluster.metricsAt);
  for (const key in rrd.items) {
    const item = rrd.items[key];
    const row = currentRow(cluster, key);
    if (!item || row === undefined) continue;
    add(item.minute, epoch, row);
    add(item.halfHour, epoch, row);
  }
}

/** The item's rings, made at its first request: backfilled from its reading now. */
function itemRrd(cluster: SimCluster, key: string): ItemRrd | null {
  let rrd = cluster.rrd;
  if (!rrd) {
    rrd = { items: Object.create(null) as SimRrd["items"], random: createRandom(0x5eed1212) };
    cluster.rrd = rrd;
  }
  const known = rrd.items[key];
  if (known) return known;
  const row = currentRow(cluster, key);
  if (row === undefined) return null;
  const epoch = SIM_EPOCH + Math.floor(cluster.metricsAt);
  const item = backfill(rrd, row, epoch, growthOf(cluster, key));
  add(item.minute, epoch, row);
  add(item.halfHour, epoch, row);
  rrd.items[key] = item;
  return item;
}

/** The rows PVE would answer: averages per finished bucket, empty fields left out. */
export function renderRrd(cluster: SimCluster, key: string, timeframe: string): Row[] {
  const item = itemRrd(cluster, key);
  if (!item) return [];
  const r = timeframe === "hour" ? item.minute : item.halfHour;
  const limit = timeframe === "hour" ? HOUR_ROWS : timeframe === "day" ? DAY_ROWS : WEEK_ROWS;
  const out: Row[] = [];
  // The last bucket is still filling: PVE does not serve it either.
  const end = r.times.length - 1;
  for (let i = Math.max(0, end - limit); i < end; i++) {
    const row: Row = { time: r.times[i] as number };
    const count = r.counts[i] as number;
    const sum = r.sums[i] as Row;
    if (count > 0) for (const k in sum) row[k] = (sum[k] as number) / count;
    out.push(row);
  }
  return out;
}

const TIMEFRAMES_NODE = ["hour", "day", "week", "month", "year", "decade"];
const TIMEFRAMES_OTHER = ["hour", "day", "week", "month", "year"];

function checkQuery(
  query: Record<string, string>,
  fail: Failer,
  allowed: string[],
): ApiReply | null {
  const tf = query.timeframe;
  if (tf === undefined)
    return fail.param("timeframe", "property is missing and it is not optional");
  if (allowed.indexOf(tf) < 0)
    return fail.param(
      "timeframe",
      `value '${tf}' does not have a value in the enumeration '${allowed.join(", ")}'`,
    );
  if (query.cf !== undefined && query.cf !== "AVERAGE" && query.cf !== "MAX")
    return fail.param(
      "cf",
      `value '${query.cf}' does not have a value in the enumeration 'AVERAGE, MAX'`,
    );
  return null;
}

export interface RrdRoute {
  params: string[];
  handle(
    cluster: SimCluster,
    node: SimNode,
    acl: Acl,
    query: Record<string, string>,
    fail: Failer,
  ): ApiReply;
}

/**
 * The three rrddata routes below /nodes/{node}; null for any other path.
 * Like PVE, answered from the local copy (not proxied): an offline node's
 * history is still there, with gaps.
 */
export function rrdRoute(segments: string[]): RrdRoute | null {
  const [, nodeName, c, d, e] = segments;
  const n = segments.length;
  if (n === 3 && c === "rrddata") {
    return {
      params: ["timeframe", "cf"],
      handle(cl, node, acl, query, fail) {
        if (!acl.has(`/nodes/${node.name}`, "Sys.Audit"))
          return fail.permission(`/nodes/${node.name}`, "Sys.Audit");
        return (
          checkQuery(query, fail, TIMEFRAMES_NODE) ??
          dataReply(renderRrd(cl, "node/" + node.name, query.timeframe ?? "hour"))
        );
      },
    };
  }
  if (n === 5 && (c === "qemu" || c === "lxc") && e === "rrddata") {
    return {
      params: ["timeframe", "cf"],
      handle(cl, node, acl, query, fail) {
        if (!/^\d+$/.test(d ?? ""))
          return fail.param("vmid", `type check ('integer') failed - got '${d}'`);
        const vmid = parseInt(d ?? "0", 10);
        if (!acl.has(`/vms/${vmid}`, "VM.Audit"))
          return fail.permission(`/vms/${vmid}`, "VM.Audit");
        const bad = checkQuery(query, fail, TIMEFRAMES_OTHER);
        if (bad) return bad;
        const guest = guestOnNode(cl, node, c, vmid, fail);
        if ("body" in guest) return guest;
        return dataReply(renderRrd(cl, c + "/" + vmid, query.timeframe ?? "hour"));
      },
    };
  }
  if (n === 5 && c === "storage" && d !== undefined && e === "rrddata") {
    return {
      params: ["timeframe", "cf"],
      handle(cl, node, acl, query, fail) {
        const id = d;
        if (!acl.hasAny(`/storage/${id}`, ["Datastore.Audit", "Datastore.AllocateSpace"]))
          return fail.permission(`/storage/${id}`, "Datastore.Audit|Datastore.AllocateSpace");
        const bad = checkQuery(query, fail, TIMEFRAMES_OTHER);
        if (bad) return bad;
        const s = cl.storage.filter((x) => x.storage === id && x.node === node.name)[0];
        if (!s) return fail.error(500, `storage '${id}' does not exist`);
        return dataReply(
          renderRrd(cl, "storage/" + node.name + "/" + id, query.timeframe ?? "hour"),
        );
      },
    };
  }
  void nodeName;
  return null;
}
