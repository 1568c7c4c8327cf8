// History and storage (issue 12): `proxmon history NODE|VMID` prints an
// item's RRD history — a compact sparkline per metric, or the JSON
// contract with --json — and loadForecasts gives `status` its FULL IN
// column. A VMID's node and type are found in /cluster/resources.

import type { Snapshot } from "../model/types";
import { forecastFull, type StorageForecast } from "../history/forecast";
import {
  decodeResourceRrd,
  decodeStorageRrd,
  isTimeframe,
  rrdPath,
  rrdQuery,
  targetKey,
  TIMEFRAMES,
  type HistoryTarget,
  type ResourcePoint,
  type Timeframe,
} from "../history/rrd";
import { storageRows } from "../history/storage";
import { formatBytes, formatPercent } from "../view/format";
import { booleanFlag, formatFlagHelp, parseArgs, stringFlag, type FlagSpec } from "./args";
import { CONNECTION_FLAGS, apiError, openApi, type Connection } from "./connection";
import { CONFIG_FLAGS, resolveOneConnection } from "./targets";
import { CliError, EXIT_OK, oneLine, usageError, type CliIo } from "./io";
import { lookupGuest } from "./guest-lookup";

export const HISTORY_FLAGS: FlagSpec[] = [
  ...CONNECTION_FLAGS,
  ...CONFIG_FLAGS,
  {
    name: "timeframe",
    kind: "string",
    value: "hour|day|week",
    help: "how far back (default hour)",
  },
  { name: "json", kind: "boolean", help: "print the JSON contract (docs/cli.md)" },
];

export const HISTORY_HELP =
  "Usage: proxmon history NODE|VMID [--timeframe hour|day|week] [--json] --host HOST --token-id ID\n\n" +
  "Reads GET /nodes/{node}/rrddata or /nodes/{node}/{qemu|lxc}/{vmid}/rrddata (cf AVERAGE) once.\n" +
  "A VMID's node comes from /cluster/resources. Needs Sys.Audit on the node, VM.Audit on a guest.\n\nOptions:\n" +
  formatFlagHelp(HISTORY_FLAGS) +
  "\n";

/** The `--json` contract: every point PVE sent, in its order; left-out fields are null. */
export interface HistoryJson {
  target: string;
  timeframe: Timeframe;
  points: Array<{
    time: number;
    cpu: number | null;
    mem: number | null;
    maxmem: number | null;
    netin: number | null;
    netout: number | null;
  }>;
}

export function toHistoryJson(
  target: HistoryTarget,
  timeframe: Timeframe,
  points: ReadonlyArray<ResourcePoint>,
): HistoryJson {
  return {
    target: targetKey(target),
    timeframe,
    points: points.map((p) => ({
      time: p.time,
      cpu: p.cpu,
      mem: p.mem,
      maxmem: p.maxmem,
      netin: p.netin,
      netout: p.netout,
    })),
  };
}

const BLOCKS = "▁▂▃▄▅▆▇█";
export const SPARK_WIDTH = 60;

/**
 * One character per column: the mean of the known values that fall in it,
 * scaled to [0, max]; a column with no value at all is a space (a gap).
 */
export function sparkline(
  values: ReadonlyArray<number | null>,
  max: number,
  width: number = SPARK_WIDTH,
): string {
  const n = values.length;
  if (n === 0) return "";
  const cols = Math.min(width, n);
  let out = "";
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * n) / cols);
    const to = Math.floor(((c + 1) * n) / cols);
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      sum += v;
      count++;
    }
    if (count === 0) {
      out += " ";
      continue;
    }
    const f = max > 0 ? sum / count / max : 0;
    const k = Math.max(0, Math.min(BLOCKS.length - 1, Math.round(f * (BLOCKS.length - 1))));
    out += BLOCKS.charAt(k);
  }
  return out;
}

function lastKnown(values: ReadonlyArray<number | null>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function maxKnown(values: ReadonlyArray<number | null>): number | null {
  let m: number | null = null;
  for (const v of values) if (v !== null && (m === null || v > m)) m = v;
  return m;
}

export function renderHistory(json: HistoryJson): string {
  const p = json.points;
  const lines = [`${json.target} — last ${json.timeframe}, ${p.length} points`];
  if (p.length === 0) return lines[0] + "\n(no data)\n";
  const cpu = p.map((x) => x.cpu);
  const memFraction = p.map((x) =>
    x.mem !== null && x.maxmem !== null && x.maxmem > 0 ? x.mem / x.maxmem : null,
  );
  const netin = p.map((x) => x.netin);
  const netout = p.map((x) => x.netout);
  const netMax = Math.max(maxKnown(netin) ?? 0, maxKnown(netout) ?? 0);
  const mem = lastKnown(p.map((x) => x.mem));
  const maxmem = lastKnown(p.map((x) => x.maxmem));
  const rate = (v: number | null): string => (v === null ? "–" : formatBytes(v) + "/s");
  lines.push(`CPU     ${sparkline(cpu, 1)}  ${formatPercent(lastKnown(cpu))}`);
  lines.push(`MEMORY  ${sparkline(memFraction, 1)}  ${formatBytes(mem)} / ${formatBytes(maxmem)}`);
  lines.push(`NET IN  ${sparkline(netin, netMax)}  ${rate(lastKnown(netin))}`);
  lines.push(`NET OUT ${sparkline(netout, netMax)}  ${rate(lastKnown(netout))}`);
  const gaps = p.filter((x) => x.cpu === null).length;
  if (gaps > 0) lines.push(`(${gaps} of ${p.length} points without CPU data: shown as gaps)`);
  return lines.join("\n") + "\n";
}

const NODE_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

export async function runHistory(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, HISTORY_FLAGS);
  if (args.help) {
    io.out(HISTORY_HELP);
    return EXIT_OK;
  }
  if (args.positionals.length !== 1) {
    throw usageError("history takes exactly one NODE or VMID (see proxmon history --help)");
  }
  const what = (args.positionals[0] as string).trim();
  const tfText = stringFlag(args, "timeframe");
  const timeframe = tfText === undefined ? "hour" : tfText.trim().toLowerCase();
  // Refused before anything is read or sent.
  if (!isTimeframe(timeframe)) {
    throw usageError(`--timeframe must be one of ${TIMEFRAMES.join(", ")}`);
  }
  const isVmid = /^\d{1,9}$/.test(what);
  if (!isVmid && !NODE_NAME.test(what)) {
    throw usageError("history needs a node name or a VMID (see proxmon history --help)");
  }
  const json = booleanFlag(args, "json");
  const { connection, secret } = await resolveOneConnection(args, io, "history");
  const api = openApi(connection, secret);
  try {
    let target: HistoryTarget;
    if (isVmid) {
      const vmid = parseInt(what, 10);
      const guest = await lookupGuest(api.client, connection, vmid);
      target = { kind: guest.type, node: guest.node, vmid };
    } else {
      target = { kind: "node", node: what };
    }
    const answer = await api.client.get(rrdPath(target), rrdQuery(timeframe)).result;
    if (!answer.ok) throw apiError(answer.error, connection);
    const decoded = decodeResourceRrd(answer.value, target.kind === "node" ? "node" : target.kind);
    if (decoded === null) {
      throw new CliError("bad-response", `GET ${oneLine(rrdPath(target))} did not answer a list`);
    }
    const out = toHistoryJson(target, timeframe, decoded.points);
    io.out(json ? JSON.stringify(out) + "\n" : renderHistory(out));
    return EXIT_OK;
  } finally {
    api.transport.close();
  }
}

// ---- status: the forecast column

/** Forecast per storage row key (storage/NAME or storage/NODE/NAME); a failed read is simply absent. */
export type ForecastMap = { [key: string]: StorageForecast | null | undefined };

/**
 * Reads every storage's week rrddata once (a shared storage once, from the
 * node whose reading the snapshot uses) and fits the forecast. Failures
 * (403 without Datastore.Audit, an unreachable node) leave the entry out.
 */
export async function loadForecasts(
  connection: Connection,
  secret: string,
  snapshot: Snapshot,
): Promise<ForecastMap> {
  const rows = storageRows(snapshot.storage).filter((r) => r.state === "available");
  const map: ForecastMap = Object.create(null) as ForecastMap;
  if (rows.length === 0) return map;
  const api = openApi(connection, secret);
  try {
    await Promise.all(
      rows.map(async (r) => {
        const target: HistoryTarget = { kind: "storage", node: r.node, storage: r.storage };
        const answer = await api.client.get(rrdPath(target), rrdQuery("week")).result;
        if (!answer.ok) return;
        const decoded = decodeStorageRrd(answer.value);
        if (decoded === null) return;
        map[r.key] = forecastFull(decoded.points, { used: r.used, total: r.total });
      }),
    );
  } finally {
    api.transport.close();
  }
  return map;
}

/** "~12 d" for the table; "" when there is no forecast within the horizon. */
export function forecastText(f: StorageForecast | null | undefined): string {
  if (!f) return "";
  return f.days === 0 ? "full" : "~" + f.days + " d";
}
