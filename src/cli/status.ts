// `proxmon status`: one refresh, exactly as the widget does it (same loader,
// same decoders), printed as a table or as the JSON contract in
// docs/cli.md. The JSON is built by a pure function so scripts can rely on
// its shape independently of how the table looks.

import { trimEnd } from "../api/errors";
import type { GuestInfo, NodeInfo, Snapshot, StorageInfo } from "../model/types";
import { SNAPSHOT_DECODERS } from "../monitor";
import { createSnapshotLoader } from "../refresh/snapshot-loader";
import { formatBytes, formatPercent, formatUptime } from "../view/format";
import { compareNatural, guestStatusRank, sortGuests, sortNodes } from "../view/sort";
import { booleanFlag, formatFlagHelp, parseArgs, rejectPositionals, type FlagSpec } from "./args";
import { CONNECTION_FLAGS, apiError, openApi, tlsAdvice, type Connection } from "./connection";
import { CliError, EXIT_FAILURE, EXIT_OK, formatError, oneLine, type CliIo } from "./io";
import type { ProxmonError } from "../api/errors";
import { formatAddress } from "../connections/model";
import {
  CONFIG_FLAGS,
  connectionOf,
  openTargetApi,
  readSecrets,
  resolveTargets,
  warnInsecureTargets,
  type Target,
} from "./targets";
// History and storage (issue 12): the FULL IN column and `full_in_days`.
import { forecastText, loadForecasts, type ForecastMap } from "./history";
import { storageKey } from "../history/storage";

export interface StatusJson {
  cluster: { name: string | null; quorate: boolean | null };
  nodes: Array<{
    name: string;
    status: "online" | "offline" | "unknown";
    cpu: number | null;
    maxcpu: number | null;
    mem: number | null;
    maxmem: number | null;
    uptime: number | null;
  }>;
  guests: Array<{
    vmid: number;
    type: "qemu" | "lxc";
    name: string;
    node: string;
    status: string;
    template: boolean;
    cpu: number | null;
    mem: number | null;
    maxmem: number | null;
    uptime: number | null;
    tags: string[];
    pool: string | null;
    lock: string | null;
  }>;
  storage: Array<{
    storage: string;
    node: string;
    status: string;
    shared: boolean;
    used: number | null;
    total: number | null;
    /** Optional (issue 12): days until full when within 30 days, else null; absent when not read. */
    full_in_days?: number | null;
  }>;
}

/** Decoders already turn unknowns into null; this keeps NaN/Infinity from slipping through JSON as null by accident. */
function num(value: number | null): number | null {
  return typeof value === "number" && isFinite(value) ? value : null;
}

/** The `status --json` contract; sorted (nodes by name, guests by vmid, storage by node and name) so output diffs cleanly. */
export function toStatusJson(snapshot: Snapshot, forecasts?: ForecastMap): StatusJson {
  const nodes = snapshot.nodes.slice().sort((a, b) => compareNatural(a.name, b.name));
  const guests = snapshot.guests.slice().sort((a, b) => a.vmid - b.vmid);
  const storage = snapshot.storage
    .slice()
    .sort((a, b) => compareNatural(a.node, b.node) || compareNatural(a.storage, b.storage));
  return {
    cluster: { name: snapshot.cluster.name, quorate: snapshot.cluster.quorate },
    nodes: nodes.map((n) => ({
      name: n.name,
      status: n.status,
      cpu: num(n.cpu),
      maxcpu: num(n.maxcpu),
      mem: num(n.mem),
      maxmem: num(n.maxmem),
      uptime: num(n.uptime),
    })),
    guests: guests.map((g) => ({
      vmid: g.vmid,
      type: g.type,
      name: g.name,
      node: g.node,
      status: String(g.status),
      template: g.template,
      cpu: num(g.cpu),
      mem: num(g.mem),
      maxmem: num(g.maxmem),
      uptime: num(g.uptime),
      tags: g.tags.slice(),
      pool: g.pool,
      lock: g.lock,
    })),
    storage: storage.map((s) => ({
      storage: s.storage,
      node: s.node,
      status: s.status,
      shared: s.shared,
      used: num(s.used),
      total: num(s.total),
      ...(forecasts ? { full_in_days: forecasts[storageKey(s)]?.days ?? null } : {}),
    })),
  };
}

// ---- table

const DASH = "-";
/** Beyond this a name is cut with "…": one long guest name must not push every other column off screen. */
const MAX_TEXT_COLUMN = 32;

type Align = "left" | "right";
interface Column {
  title: string;
  align: Align;
  max?: number;
}

function cut(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  return text.slice(0, max - 1) + "…";
}

function known(text: string): string {
  // The shared formatters use an em dash for unknown; a plain dash keeps
  // the table readable on consoles without Unicode.
  return text === "\u2014" ? DASH : text;
}

export function renderTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((row) => row.map((cell, i) => cut(cell, columns[i]?.max)));
  const widths = columns.map((c, i) =>
    Math.max(c.title.length, ...cells.map((r) => (r[i] ?? "").length)),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        const pad = " ".repeat(Math.max(0, w - cell.length));
        return columns[i]?.align === "right" ? pad + cell : cell + pad;
      })
      .join("  ");
  return [line(columns.map((c) => c.title)), ...cells.map(line)].map(trimEnd).join("\n") + "\n";
}

function usage(used: number | null, total: number | null): string {
  if (used === null && total === null) return DASH;
  return known(formatBytes(used)) + " / " + known(formatBytes(total));
}

function share(used: number | null, total: number | null): string {
  if (used === null || total === null || !(total > 0)) return DASH;
  return known(formatPercent(used / total));
}

function uptime(seconds: number | null, running: boolean): string {
  return running ? known(formatUptime(seconds)) : DASH;
}

function nodeRows(nodes: NodeInfo[]): string[][] {
  return sortNodes(nodes, "name").map((n) => [
    n.name,
    n.status,
    known(formatPercent(n.cpu)) + (n.maxcpu !== null ? " of " + n.maxcpu : ""),
    usage(n.mem, n.maxmem),
    uptime(n.uptime, n.status === "online"),
  ]);
}

function sortForTable(guests: GuestInfo[]): GuestInfo[] {
  // sortGuests orders by status then name (templates last); the stable
  // re-sort by node groups that order per node.
  return sortGuests(guests, "status").sort((a, b) => compareNatural(a.node, b.node));
}

function guestRows(guests: GuestInfo[]): string[][] {
  return sortForTable(guests).map((g) => {
    const running = guestStatusRank(g.status) === 0;
    const status = g.template ? "template" : String(g.status) + (g.lock ? " (" + g.lock + ")" : "");
    return [
      String(g.vmid),
      g.type === "qemu" ? "vm" : "ct",
      g.name,
      g.node,
      status,
      // A stopped guest reports 0 CPU and 0 memory; "-" says "not running", not "idle".
      running ? known(formatPercent(g.cpu)) : DASH,
      g.template
        ? DASH
        : running
          ? usage(g.mem, g.maxmem)
          : DASH + " / " + known(formatBytes(g.maxmem)),
      uptime(g.uptime, running),
      g.tags.join(","),
    ];
  });
}

function storageRows(storage: StorageInfo[], forecasts?: ForecastMap): string[][] {
  return storage
    .slice()
    .sort((a, b) => compareNatural(a.node, b.node) || compareNatural(a.storage, b.storage))
    .map((s) => [
      s.storage,
      s.node,
      s.status,
      s.shared ? "yes" : "no",
      usage(s.used, s.total),
      share(s.used, s.total),
      ...(forecasts ? [forecastText(forecasts[storageKey(s)])] : []),
    ]);
}

export function renderStatus(snapshot: Snapshot, forecasts?: ForecastMap): string {
  const c = snapshot.cluster;
  const quorum = c.quorate === null ? "quorum unknown" : c.quorate ? "quorate" : "NOT QUORATE";
  const head =
    (c.name !== null
      ? "Cluster " + c.name + ": " + quorum
      : "Cluster: " + (c.quorate === null ? "unknown" : quorum)) +
    (c.version !== null ? " — Proxmox VE " + c.version : "") +
    "\n";
  const parts = [head];
  parts.push(
    "\nNODES\n" +
      renderTable(
        [
          { title: "NAME", align: "left", max: MAX_TEXT_COLUMN },
          { title: "STATUS", align: "left" },
          { title: "CPU", align: "right" },
          { title: "MEMORY", align: "right" },
          { title: "UPTIME", align: "right" },
        ],
        nodeRows(snapshot.nodes),
      ),
  );
  parts.push(
    "\nGUESTS\n" +
      (snapshot.guests.length === 0
        ? "(none visible)\n"
        : renderTable(
            [
              { title: "VMID", align: "right" },
              { title: "TYPE", align: "left" },
              { title: "NAME", align: "left", max: MAX_TEXT_COLUMN },
              { title: "NODE", align: "left", max: MAX_TEXT_COLUMN },
              { title: "STATUS", align: "left", max: 24 },
              { title: "CPU", align: "right" },
              { title: "MEMORY", align: "right" },
              { title: "UPTIME", align: "right" },
              { title: "TAGS", align: "left", max: MAX_TEXT_COLUMN },
            ],
            guestRows(snapshot.guests),
          )),
  );
  if (snapshot.storage.length > 0) {
    parts.push(
      "\nSTORAGE\n" +
        renderTable(
          [
            { title: "STORAGE", align: "left", max: MAX_TEXT_COLUMN },
            { title: "NODE", align: "left", max: MAX_TEXT_COLUMN },
            { title: "STATUS", align: "left" },
            { title: "SHARED", align: "left" },
            { title: "USED", align: "right" },
            { title: "USE%", align: "right" },
            ...(forecasts ? [{ title: "FULL IN", align: "right" as Align }] : []),
          ],
          storageRows(snapshot.storage, forecasts),
        ),
    );
  }
  return parts.join("");
}

// ---- command

export const STATUS_FLAGS: FlagSpec[] = [
  ...CONNECTION_FLAGS,
  ...CONFIG_FLAGS,
  {
    name: "json",
    kind: "boolean",
    help: "print the JSON contract (docs/cli.md) instead of a table",
  },
];

export const STATUS_HELP =
  "Usage: proxmon status [--json] --host HOST --token-id ID [options]\n" +
  "       proxmon status [--json] [--config FILE] [--connection NAME]\n\n" +
  "Reads the cluster once (GET /cluster/resources, /cluster/status, /version) and prints it;\n" +
  "with a config file, every enabled connection (each tries its hosts in turn).\n" +
  "The secret comes from PROXMON_TOKEN_SECRET_<NAME>, PROXMON_TOKEN_SECRET, or stdin.\n\nOptions:\n" +
  formatFlagHelp(STATUS_FLAGS) +
  "\n";

/** Loads one snapshot with the widget's own loader; throws the classified error. */
export async function loadOnce(connection: Connection, secret: string): Promise<Snapshot> {
  const api = openApi(connection, secret);
  try {
    const loader = createSnapshotLoader(api.client, SNAPSHOT_DECODERS);
    const result = await loader.load({ attempt: 1, refreshIndex: 0 }).result;
    if (!result.ok) throw apiError(result.error, connection);
    return result.value;
  } finally {
    api.transport.close();
  }
}

/** What one connection's single refresh gave. */
export type TargetOutcome =
  | {
      ok: true;
      snapshot: Snapshot;
      forecasts: ForecastMap;
      /** The address that answered. */
      address: { host: string; port: number };
    }
  | { ok: false; error: ProxmonError };

/** One refresh of one connection, its addresses tried in turn (failover). Never throws. */
export async function loadTarget(target: Target, secret: string): Promise<TargetOutcome> {
  const api = openTargetApi(target, secret);
  let snapshot: Snapshot;
  let address: { host: string; port: number };
  try {
    const loader = createSnapshotLoader(api.client, SNAPSHOT_DECODERS);
    const result = await loader.load({ attempt: 1, refreshIndex: 0 }).result;
    if (!result.ok) return { ok: false, error: result.error };
    snapshot = result.value;
    address = api.client.answered() ?? api.client.preferred();
  } finally {
    api.close();
  }
  const forecasts = await loadForecasts(connectionOf(target, address), secret, snapshot);
  return { ok: true, snapshot, forecasts, address };
}

export interface MultiStatusEntry {
  name: string;
  host: string | null;
  error: { class: string; message: string } | null;
  cluster: StatusJson["cluster"] | null;
  nodes: StatusJson["nodes"];
  guests: StatusJson["guests"];
  storage: StatusJson["storage"];
}

/** The message a failed connection reports: the class's sentence plus the TLS flags or keys to use. */
function failureMessage(error: ProxmonError, target: Target, fromFile: boolean): string {
  const cert = error.certificate;
  if (fromFile && error.kind === "tls" && cert)
    return (
      oneLine(error.message) +
      ` If you have checked it, pin it in the config file: "fingerprints": {"<host as written>": "${cert.fingerprint256}"}, or give "ca" this cluster's /etc/pve/pve-root-ca.pem.`
    );
  return oneLine(error.message) + (fromFile ? "" : tlsAdvice(error, connectionOf(target)));
}

/** The multi-connection `status --json` contract: one entry per connection, in config order. */
export function toMultiStatusJson(
  targets: ReadonlyArray<Target>,
  outcomes: ReadonlyArray<TargetOutcome>,
  fromFile = true,
): { connections: MultiStatusEntry[] } {
  return {
    connections: targets.map((t, i) => {
      const o = outcomes[i] as TargetOutcome;
      if (!o.ok)
        return {
          name: t.name,
          host: null,
          error: { class: o.error.kind, message: failureMessage(o.error, t, fromFile) },
          cluster: null,
          nodes: [],
          guests: [],
          storage: [],
        };
      const j = toStatusJson(o.snapshot, o.forecasts);
      return {
        name: t.name,
        host: formatAddress(o.address),
        error: null,
        cluster: j.cluster,
        nodes: j.nodes,
        guests: j.guests,
        storage: j.storage,
      };
    }),
  };
}

export async function runStatus(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, STATUS_FLAGS);
  if (args.help) {
    io.out(STATUS_HELP);
    return EXIT_OK;
  }
  rejectPositionals(args, "status");
  const targets = resolveTargets(args, io.env);
  warnInsecureTargets(targets, io);
  const secrets = await readSecrets(io, targets);
  const json = booleanFlag(args, "json");
  const list = targets.targets;
  const fromFile = targets.source === "config";
  // Every connection at once: a slow or failing one delays none of the others.
  const outcomes = await Promise.all(list.map((t, i) => loadTarget(t, secrets[i] as string)));
  if (list.length === 1) {
    const only = outcomes[0] as TargetOutcome;
    const target = list[0] as Target;
    if (!only.ok) {
      if (!fromFile) throw apiError(only.error, connectionOf(target));
      throw new CliError(only.error.kind, failureMessage(only.error, target, true));
    }
    if (json) io.json(toStatusJson(only.snapshot, only.forecasts), 2);
    // Scrubbed value by value before the columns are measured.
    else io.render(only, (v) => renderStatus(v.snapshot, v.forecasts));
    return EXIT_OK;
  }
  for (let i = 0; i < list.length; i++) {
    const o = outcomes[i] as TargetOutcome;
    if (!o.ok)
      io.err(
        formatError(
          o.error.kind,
          `connection "${(list[i] as Target).name}": ` +
            failureMessage(o.error, list[i] as Target, fromFile),
        ),
      );
  }
  if (json) {
    io.json(toMultiStatusJson(list, outcomes, fromFile), 2);
  } else {
    for (let i = 0; i < list.length; i++) {
      const o = outcomes[i] as TargetOutcome;
      const name = (list[i] as Target).name;
      if (o.ok) {
        io.out((i > 0 ? "\n" : "") + `== ${name} (${formatAddress(o.address)}) ==\n`);
        io.render(o, (v) => renderStatus(v.snapshot, v.forecasts));
      } else {
        io.out((i > 0 ? "\n" : "") + `== ${name}: ${o.error.kind} (see above) ==\n`);
      }
    }
  }
  return outcomes.every((o) => !o.ok) ? EXIT_FAILURE : EXIT_OK;
}
