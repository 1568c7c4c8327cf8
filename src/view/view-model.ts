// Everything the popup and the panel show, computed in one pure step so
// QML only binds and the same result can be checked in a unit test.
//
// Rows are flat: strings, numbers and booleans only, never null or arrays,
// because they go into QML ListModels, which take a role's type from the
// first row and turn arrays into nested models. So in rows an unknown
// number is -1, an absent text is "", and tags are one ";"-joined string
// (PVE's own separator; QML splits it). The top-level object is bound as a
// plain `var` and does use null for "unknown".
//
// Colours are Kirigami.Theme role names (positiveTextColor, ...), picked in
// QML, so the widget follows the colour scheme. Icon names are Breeze /
// freedesktop names and are kept together in ICONS.

import type { ErrorClass, ProxmonError } from "../api/errors";
import type { GuestInfo, NodeInfo, Snapshot } from "../model/types";
import { plainTranslator, type Translator } from "../notify/message";
import { aggregate, type Aggregate } from "./aggregate";
import { createAnonymiser } from "./anonymise";
import {
  bytesCode,
  bytesText,
  formatAge,
  formatBytes,
  formatPercent,
  formatUptime,
  formatUsage,
  UNCODED_BYTES,
  UNKNOWN_TEXT,
  type AgeParts,
} from "./format";
import { sortGuests, sortNodes, type SortBy, type SortKeyCache } from "./sort";

export type Phase = "unconfigured" | "loading" | "ok" | "error";
export type StatusColor = "positive" | "neutral" | "warning" | "negative";

export const ICONS = Object.freeze({
  node: "network-server",
  vm: "computer",
  container: "package-x-generic",
  nodeOnline: "network-connect",
  nodeOffline: "network-disconnect",
  unknown: "dialog-question",
  running: "media-playback-start",
  stopped: "media-playback-stop",
  paused: "media-playback-pause",
  error: "dialog-error",
  attention: "dialog-warning",
});

/** The fields of RefreshState the view needs. */
export interface RefreshFields {
  refreshing: boolean;
  lastSuccessAt: number | null;
  error: ProxmonError | null;
  stale: boolean;
}

export interface ViewModelInput {
  snapshot: Snapshot | null;
  refresh: RefreshFields;
  now: number;
  sortBy: SortBy;
  anonymise: boolean;
  /** False when no host/token is set up yet; defaults to true. */
  configured?: boolean;
  /** The configured host, so anonymise can remove it from error messages. */
  host?: string | null;
  /** Node names (as shown, i.e. anonymised when anonymising) or row keys. */
  expandedNodes?: ReadonlyArray<string>;
  /**
   * Which nodes get guest rows: "all" (the default) or only "expanded"
   * ones, whose guests the popup actually shows; the others then get an
   * empty list. "none" while nobody can see a guest (the popup is closed).
   * Node rows (and their counts) are built for every node.
   */
  guestRowsFor?: "all" | "expanded" | "none";
  /**
   * Sort keys kept from earlier refreshes (createSortKeyCache). Optional;
   * a caller that builds a view on every refresh should pass the same one
   * each time, since building the keys is most of the cost of sorting.
   */
  sortKeys?: SortKeyCache;
  /** Texts of the rows (the lock badge); English without it. */
  tr?: Translator;
  /**
   * Guest rows and orders kept from the previous view (createRowCache).
   * With it, a guest whose values did not change keeps its row object, and
   * a node whose guests kept their order and values keeps its row array, so
   * list sync sees them as unchanged at once.
   */
  rowCache?: RowCache;
}

export interface NodeRow {
  /** "node/<name>" */
  key: string;
  name: string;
  status: string;
  statusColor: StatusColor;
  statusIcon: string;
  icon: string;
  online: boolean;
  /** 0..1 for bars; -1 unknown. */
  cpuFraction: number;
  cpuText: string;
  /** -1 unknown */
  maxcpu: number;
  memUsed: number;
  memTotal: number;
  memFraction: number;
  memText: string;
  diskFraction: number;
  diskText: string;
  /** -1 unknown or offline */
  uptimeSeconds: number;
  uptimeText: string;
  hastate: string;
  guestsRunning: number;
  guestsTotal: number;
  templates: number;
  expanded: boolean;
}

export interface GuestRow {
  /** "<type>/<vmid>", e.g. "qemu/101" */
  key: string;
  /**
   * "guest" (issue 12: the card's list also holds the open guest detail,
   * rowKind "guestDetail"; a ListModel learns its roles from the first row,
   * so every row carries the role the delegate is chosen by).
   */
  rowKind: string;
  vmid: number;
  type: string;
  /** "VM" or "CT" */
  typeText: string;
  /** "Virtual machine" or "Container", for screen readers. */
  typeName: string;
  name: string;
  /** The name, or "(no name)" when PVE sent none. */
  displayName: string;
  node: string;
  status: string;
  statusColor: StatusColor;
  statusIcon: string;
  icon: string;
  running: boolean;
  isTemplate: boolean;
  /** "" when not locked */
  lock: string;
  /** The badge of a lock: its kind in a word or two ("backup"); "" when not locked. */
  lockText: string;
  /** The badge's tooltip: what the lock means, with PVE's own name of it. */
  lockDescription: string;
  /**
   * The one state badge beside the name: "template", or a guest's state when
   * it is neither running nor plainly stopped ("paused", "io-error"…); "" for none.
   */
  stateBadge: string;
  stateBadgeColor: StatusColor;
  hastate: string;
  pool: string;
  /** ";"-joined */
  tags: string;
  tagCount: number;
  /**
   * What the CPU and RAM columns show: the figures while running ("12%",
   * "1.5 GiB / 4 GiB"), "stopped" or nothing otherwise. A row carries no
   * other reading: values that move on every refresh but are not shown
   * would make every row a change for list sync and the ListModel.
   */
  cpuColumn: string;
  memColumn: string;
}

export interface Summary extends Aggregate {
  nodesText: string;
  guestsText: string;
  cpuText: string;
  memText: string;
}

export interface PanelView {
  /** Rounded 0..100; null when unknown. */
  averageCpuPercent: number | null;
  label: string;
  hasError: boolean;
  statusColor: StatusColor;
}

export interface ViewModel {
  phase: Phase;
  refreshing: boolean;
  stale: boolean;
  /** Whole seconds since the last success; null before the first. */
  ageSeconds: number | null;
  age: AgeParts | null;
  errorKind: ErrorClass | null;
  errorMessage: string | null;
  errorPath: string | null;
  errorAclPath: string | null;
  errorPrivilege: string | null;
  clusterName: string | null;
  quorate: boolean | null;
  version: string | null;
  panel: PanelView;
  summary: Summary | null;
  nodes: NodeRow[];
  guestsByNode: { [node: string]: GuestRow[] };
}

function num(n: number | null | undefined): number {
  return typeof n === "number" && isFinite(n) ? n : -1;
}

/** For bars: clamped to 0..1, -1 when unknown. */
function barFraction(n: number | null | undefined): number {
  if (typeof n !== "number" || !isFinite(n)) return -1;
  return Math.min(1, Math.max(0, n));
}

function ratio(used: number | null, total: number | null): number | null {
  if (used === null || total === null || !isFinite(used) || !isFinite(total) || total <= 0)
    return null;
  return used / total;
}

export function nodeStatusColor(status: string): StatusColor {
  if (status === "online") return "positive";
  if (status === "offline") return "negative";
  return "warning";
}

export function guestStatusColor(status: string, template: boolean): StatusColor {
  if (template || status === "stopped" || status === "unknown") return "neutral";
  if (status === "running") return "positive";
  if (status === "io-error") return "negative";
  return "warning";
}

function nodeStatusIcon(status: string): string {
  if (status === "online") return ICONS.nodeOnline;
  if (status === "offline") return ICONS.nodeOffline;
  return ICONS.unknown;
}

function guestStatusIcon(status: string): string {
  switch (status) {
    case "running":
      return ICONS.running;
    case "stopped":
      return ICONS.stopped;
    case "paused":
    case "suspended":
    case "prelaunch":
      return ICONS.paused;
    case "io-error":
      return ICONS.error;
    case "unknown":
      return ICONS.unknown;
    default:
      return ICONS.attention;
  }
}

export function guestKey(guest: { type: string; vmid: number }): string {
  return guest.type + "/" + guest.vmid;
}

export function nodeKey(name: string): string {
  return "node/" + name;
}

/**
 * The short word and the sentence for a guest's lock. PVE's lock names
 * (qemu-server and pct config `lock`) get their own words; any other is
 * shown as PVE sent it. Called only for locked guests, a handful at a time.
 */
export function describeLock(
  lock: string,
  tr: Translator = plainTranslator,
): { text: string; description: string } {
  let text: string;
  let what: string;
  switch (lock) {
    case "backup":
      text = tr("backup");
      what = tr("a backup is running");
      break;
    case "clone":
      text = tr("clone");
      what = tr("it is being cloned");
      break;
    case "create":
      text = tr("create");
      what = tr("it is being created or restored");
      break;
    case "migrate":
      text = tr("migrate");
      what = tr("it is being migrated");
      break;
    case "rollback":
      text = tr("rollback");
      what = tr("a snapshot is being rolled back");
      break;
    case "snapshot":
      text = tr("snapshot");
      what = tr("a snapshot is being taken");
      break;
    case "snapshot-delete":
      text = tr("snapshot delete");
      what = tr("a snapshot is being deleted");
      break;
    case "suspending":
      text = tr("suspending");
      what = tr("it is being suspended to disk");
      break;
    case "suspended":
      text = tr("suspended");
      what = tr("it is suspended to disk");
      break;
    case "disk":
      text = tr("disk");
      what = tr("a disk is being changed");
      break;
    case "fstrim":
      text = tr("fstrim");
      what = tr("its file systems are being trimmed");
      break;
    case "mounted":
      text = tr("mounted");
      what = tr("its file systems are mounted on the host");
      break;
    case "destroyed":
      text = tr("destroyed");
      what = tr("it is being destroyed");
      break;
    default:
      return { text: lock, description: tr("Locked (%1)", lock) };
  }
  return { text, description: tr("Locked (%1): %2", lock, what) };
}

function stateBadgeOf(guest: GuestInfo, running: boolean, t: Translator): string {
  if (guest.template) return t("template");
  return running || guest.status === "stopped" ? "" : guest.status;
}

/** The RAM column: the usage while running, "stopped" for a stopped guest, else nothing. */
function memColumnOf(running: boolean, status: string, memText: string, t: Translator): string {
  if (running) return memText;
  return status === "stopped" ? t("stopped") : "";
}

export function buildGuestRow(guest: GuestInfo, tr?: Translator): GuestRow {
  const t = tr ?? plainTranslator;
  const running = guest.status === "running";
  const lock = guest.lock ? describeLock(guest.lock, tr) : null;
  return {
    key: guestKey(guest),
    rowKind: "guest",
    vmid: guest.vmid,
    type: guest.type,
    typeText: guest.type === "lxc" ? "CT" : "VM",
    typeName: guest.type === "lxc" ? t("Container") : t("Virtual machine"),
    name: guest.name,
    displayName: guest.name !== "" ? guest.name : t("(no name)"),
    node: guest.node,
    status: guest.status,
    statusColor: guestStatusColor(guest.status, guest.template),
    statusIcon: guestStatusIcon(guest.status),
    icon: guest.type === "lxc" ? ICONS.container : ICONS.vm,
    running,
    isTemplate: guest.template,
    lock: guest.lock || "",
    lockText: lock ? lock.text : "",
    lockDescription: lock ? lock.description : "",
    stateBadge: stateBadgeOf(guest, running, t),
    stateBadgeColor: guest.template ? "neutral" : guestStatusColor(guest.status, guest.template),
    hastate: guest.hastate || "",
    pool: guest.pool || "",
    tags: guest.tags.join(";"),
    tagCount: guest.tags.length,
    cpuColumn: running ? formatPercent(guest.cpu) : "",
    memColumn: memColumnOf(running, guest.status, formatUsage(guest.mem, guest.maxmem), t),
  };
}

/** row with other CPU and RAM columns; everything else as it was. */
function withColumns(row: GuestRow, cpuColumn: string, memColumn: string): GuestRow {
  return {
    key: row.key,
    rowKind: "guest",
    vmid: row.vmid,
    type: row.type,
    typeText: row.typeText,
    typeName: row.typeName,
    name: row.name,
    displayName: row.displayName,
    node: row.node,
    status: row.status,
    statusColor: row.statusColor,
    statusIcon: row.statusIcon,
    icon: row.icon,
    running: row.running,
    isTemplate: row.isTemplate,
    lock: row.lock,
    lockText: row.lockText,
    lockDescription: row.lockDescription,
    stateBadge: row.stateBadge,
    stateBadgeColor: row.stateBadgeColor,
    hastate: row.hastate,
    pool: row.pool,
    tags: row.tags,
    tagCount: row.tagCount,
    cpuColumn,
    memColumn,
  };
}

/**
 * The row for `guest` when only its readings (cpu, mem, maxmem, uptime)
 * differ from entry.guest: the same object while the columns would show
 * the same texts, else a copy with the new columns. Updates the entry's
 * memory text keys.
 */
function metricsRow(guest: GuestInfo, entry: CachedRow): GuestRow {
  const row = entry.row;
  // The status is unchanged, so a row that is not running shows no reading.
  if (!row.running) return row;
  const was = entry.guest;
  const cpuColumn = guest.cpu === was.cpu ? row.cpuColumn : formatPercent(guest.cpu);
  let memColumn = row.memColumn;
  const mem = guest.mem;
  const maxmem = guest.maxmem;
  if (mem !== was.mem || maxmem !== was.maxmem) {
    const memCode = bytesCode(mem);
    if (maxmem !== entry.maxmem) {
      entry.maxmem = maxmem;
      entry.memSuffix = " / " + formatBytes(maxmem);
      entry.memCode = UNCODED_BYTES;
    }
    if (memCode === UNCODED_BYTES || memCode !== entry.memCode) {
      memColumn =
        (memCode === UNCODED_BYTES ? formatBytes(mem) : bytesText(memCode)) + entry.memSuffix;
      entry.memCode = memCode;
    }
  }
  return cpuColumn === row.cpuColumn && memColumn === row.memColumn
    ? row
    : withColumns(row, cpuColumn, memColumn);
}

/** Values that only change the metrics columns of a row. */
function sameStaticInputs(a: GuestInfo, b: GuestInfo): boolean {
  return (
    a.status === b.status &&
    a.vmid === b.vmid &&
    a.name === b.name &&
    a.node === b.node &&
    a.type === b.type &&
    a.template === b.template &&
    a.lock === b.lock &&
    a.hastate === b.hastate &&
    a.pool === b.pool &&
    sameStrings(a.tags, b.tags)
  );
}

function sameStrings(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface CachedRow {
  /** The guest whose values `row` shows (readings may differ where the texts are equal). */
  guest: GuestInfo;
  row: GuestRow;
  /**
   * What the RAM column was built from, while running: the total, its
   * " / <total>" text and the bytesCode of the used memory (UNCODED_BYTES
   * when it has to be built again).
   */
  maxmem: number | null;
  memSuffix: string;
  memCode: number;
}

function newEntry(guest: GuestInfo, tr: Translator | undefined): CachedRow {
  const row = buildGuestRow(guest, tr);
  const running = row.running;
  return {
    guest,
    row,
    maxmem: guest.maxmem,
    memSuffix: running ? " / " + formatBytes(guest.maxmem) : "",
    memCode: running ? bytesCode(guest.mem) : UNCODED_BYTES,
  };
}

interface CachedOrder {
  by: SortBy;
  /** The node's guests as the snapshot listed them. */
  input: GuestInfo[];
  /** Positions in `input`, in display order. */
  order: number[];
  rows: GuestRow[];
  /** The entry of each guest, by its position in `input`. */
  entries: CachedRow[];
}

/**
 * What the previous view built, per widget (never module state: plasmashell
 * shares one engine between widgets). Only ever used to skip work: a row or
 * an order is reused only when everything it was built from is equal.
 *
 * Kept per node and by position in the node's list, not in one index by
 * vmid: a refresh usually lists every guest where it was, so the entry is
 * found without a look-up, and no index of every guest is built again on
 * every refresh. A guest's node is one of its row's inputs, so a guest that
 * moved to another node gets a new row anyway.
 */
export interface RowCache {
  orders: { [node: string]: CachedOrder | undefined };
}

export function createRowCache(): RowCache {
  return { orders: Object.create(null) as RowCache["orders"] };
}

/**
 * The entry that shows `guest`: `entry` itself (brought up to date) when only
 * its readings differ, a new one when anything else does. Sets *changed*
 * when the row is not the entry's previous row.
 */
function refreshEntry(
  entry: CachedRow | undefined,
  guest: GuestInfo,
  tr: Translator | undefined,
  changed: { row: boolean },
): CachedRow {
  if (entry === undefined || !sameStaticInputs(entry.guest, guest)) {
    changed.row = true;
    return newEntry(guest, tr);
  }
  const was = entry.guest;
  if (
    was !== guest &&
    (guest.cpu !== was.cpu || guest.mem !== was.mem || guest.maxmem !== was.maxmem)
  ) {
    const row = metricsRow(guest, entry);
    if (row !== entry.row) {
      entry.row = row;
      changed.row = true;
    }
  }
  // The entry now describes this guest; its row is still exact.
  entry.guest = guest;
  return entry;
}

/**
 * The rows when every guest is listed where it was with the same vmid,
 * name, status and template flag (the fields the order depends on), in the
 * previous order; null as soon as one is not. Entries it has brought up to
 * date stay exact, so the caller may go on from the same entries.
 */
function rowsInPreviousOrder(
  previous: CachedOrder,
  guests: GuestInfo[],
  tr: Translator | undefined,
  changed: { row: boolean },
): { rows: GuestRow[]; entries: CachedRow[] } | null {
  const order = previous.order;
  const known = previous.entries;
  const rows: GuestRow[] = new Array(order.length);
  const entries: CachedRow[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const at = order[i] as number;
    const guest = guests[at] as GuestInfo;
    const entry = known[at] as CachedRow;
    const was = entry.guest;
    if (
      was !== guest &&
      (was.vmid !== guest.vmid ||
        was.name !== guest.name ||
        was.status !== guest.status ||
        was.template !== guest.template)
    )
      return null;
    const now = refreshEntry(entry, guest, tr, changed);
    rows[i] = now.row;
    entries[at] = now;
  }
  return { rows, entries };
}

/**
 * A node's guest rows in display order, reusing what `cache` holds: the
 * order when no guest changed name, status or position, each row whose
 * inputs are all equal, and the whole array when nothing changed at all.
 * What it used goes into `next`, so guests that vanished are forgotten.
 */
function cachedGuestRows(
  nodeName: string,
  guests: GuestInfo[],
  by: SortBy,
  sortKeys: SortKeyCache | undefined,
  cache: RowCache,
  next: RowCache,
  tr: Translator | undefined,
): GuestRow[] {
  const previous = cache.orders[nodeName];
  const changed = { row: false };
  if (previous !== undefined && previous.by === by && previous.input.length === guests.length) {
    const same = rowsInPreviousOrder(previous, guests, tr, changed);
    if (same !== null) {
      const rows = changed.row ? same.rows : previous.rows;
      next.orders[nodeName] = {
        by,
        input: guests,
        order: previous.order,
        rows,
        entries: same.entries,
      };
      return rows;
    }
  }
  const sorted = sortGuests(guests, by, sortKeys);
  const position: { [vmid: number]: number | undefined } = {};
  for (let i = 0; i < guests.length; i++) {
    const vmid = (guests[i] as GuestInfo).vmid;
    // assembleSnapshot removes repeats; a hand-made snapshot may not have.
    if (position[vmid] !== undefined) return buildGuestRows(sorted, tr);
    position[vmid] = i;
  }
  const order: number[] = new Array(sorted.length);
  for (let i = 0; i < sorted.length; i++)
    order[i] = position[(sorted[i] as GuestInfo).vmid] as number;
  const known: { [vmid: number]: CachedRow | undefined } = {};
  if (previous !== undefined)
    for (let i = 0; i < previous.entries.length; i++) {
      const entry = previous.entries[i] as CachedRow;
      known[entry.guest.vmid] = entry;
    }
  const rows: GuestRow[] = new Array(order.length);
  const entries: CachedRow[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const at = order[i] as number;
    const guest = guests[at] as GuestInfo;
    const entry = refreshEntry(known[guest.vmid], guest, tr, changed);
    rows[i] = entry.row;
    entries[at] = entry;
  }
  next.orders[nodeName] = { by, input: guests, order, rows, entries };
  return rows;
}

export function buildNodeRow(
  node: NodeInfo,
  guests: ReadonlyArray<GuestInfo>,
  expanded: boolean,
): NodeRow {
  let running = 0;
  let total = 0;
  let templates = 0;
  for (let i = 0; i < guests.length; i++) {
    const g = guests[i] as GuestInfo;
    if (g.template) {
      templates++;
    } else {
      total++;
      if (g.status === "running") running++;
    }
  }
  const online = node.status === "online";
  const uptime = online ? node.uptime : null;
  return {
    key: nodeKey(node.name),
    name: node.name,
    status: node.status,
    statusColor: nodeStatusColor(node.status),
    statusIcon: nodeStatusIcon(node.status),
    icon: ICONS.node,
    online,
    cpuFraction: barFraction(node.cpu),
    cpuText: formatPercent(node.cpu),
    maxcpu: num(node.maxcpu),
    memUsed: num(node.mem),
    memTotal: num(node.maxmem),
    memFraction: barFraction(ratio(node.mem, node.maxmem)),
    memText: formatUsage(node.mem, node.maxmem),
    diskFraction: barFraction(ratio(node.disk, node.maxdisk)),
    diskText: formatUsage(node.disk, node.maxdisk),
    uptimeSeconds: num(uptime),
    uptimeText: formatUptime(uptime),
    hastate: node.hastate || "",
    guestsRunning: running,
    guestsTotal: total,
    templates,
    expanded,
  };
}

function buildGuestRows(guests: ReadonlyArray<GuestInfo>, tr?: Translator): GuestRow[] {
  const rows: GuestRow[] = new Array(guests.length);
  for (let i = 0; i < guests.length; i++) rows[i] = buildGuestRow(guests[i] as GuestInfo, tr);
  return rows;
}

function isExpanded(expanded: ReadonlyArray<string>, name: string): boolean {
  return expanded.indexOf(name) >= 0 || expanded.indexOf(nodeKey(name)) >= 0;
}

function buildSummary(a: Aggregate): Summary {
  return {
    nodesOnline: a.nodesOnline,
    nodesTotal: a.nodesTotal,
    guestsRunning: a.guestsRunning,
    guestsTotal: a.guestsTotal,
    templates: a.templates,
    vmsRunning: a.vmsRunning,
    vmsTotal: a.vmsTotal,
    ctsRunning: a.ctsRunning,
    ctsTotal: a.ctsTotal,
    averageCpu: a.averageCpu,
    memUsed: a.memUsed,
    memTotal: a.memTotal,
    memFraction: a.memFraction,
    nodesText: a.nodesOnline + "/" + a.nodesTotal,
    guestsText: a.guestsRunning + "/" + a.guestsTotal,
    cpuText: formatPercent(a.averageCpu),
    memText:
      a.memUsed === null ? UNKNOWN_TEXT : formatBytes(a.memUsed) + " / " + formatBytes(a.memTotal),
  };
}

function phaseOf(input: ViewModelInput): Phase {
  if (input.configured === false) return "unconfigured";
  if (input.snapshot !== null) return "ok";
  if (input.refresh.error !== null) return "error";
  return "loading";
}

export function buildViewModel(input: ViewModelInput): ViewModel {
  const phase = phaseOf(input);
  const error = phase === "unconfigured" ? null : input.refresh.error;
  const emptySnapshot: Snapshot = {
    cluster: { name: null, quorate: null, version: null },
    nodes: [],
    guests: [],
    storage: [],
  };
  const source = input.snapshot !== null && phase === "ok" ? input.snapshot : null;
  const anonymiser = input.anonymise ? createAnonymiser(source || emptySnapshot) : null;
  const snapshot = source !== null && anonymiser !== null ? anonymiser.snapshot() : source;

  const lastSuccessAt = input.refresh.lastSuccessAt;
  const ageMs = lastSuccessAt === null ? null : Math.max(0, input.now - lastSuccessAt);

  let errorMessage = error ? error.message : null;
  let errorAclPath = error && error.aclPath !== undefined ? error.aclPath : null;
  if (anonymiser !== null) {
    if (errorMessage !== null) errorMessage = anonymiser.text(errorMessage, input.host);
    if (errorAclPath !== null) errorAclPath = anonymiser.text(errorAclPath, input.host);
  }

  const nodes: NodeRow[] = [];
  const guestsByNode: { [node: string]: GuestRow[] } = {};
  let summary: Summary | null = null;
  let anyNodeDown = false;
  if (snapshot !== null) {
    let expanded = input.expandedNodes || [];
    if (anonymiser !== null) {
      // Settings remember real node names; rows show stand-ins. Translate the
      // setting so open nodes stay open in developer mode, without putting a
      // real name into the view model.
      const shown: string[] = expanded.slice();
      for (let i = 0; i < expanded.length; i++) {
        const entry = expanded[i] as string;
        const real = entry.indexOf("node/") === 0 ? entry.slice(5) : entry;
        shown.push(anonymiser.node(real));
      }
      expanded = shown;
    }
    const onlyExpanded = input.guestRowsFor === "expanded";
    const noRows = input.guestRowsFor === "none";
    // A null-prototype object, not a Map: V4's Map slows down as it grows.
    const guestsOf: { [node: string]: GuestInfo[] | undefined } = Object.create(null);
    const nodeOrder: string[] = [];
    for (let i = 0; i < snapshot.guests.length; i++) {
      const g = snapshot.guests[i] as GuestInfo;
      const list = guestsOf[g.node];
      if (list) {
        list.push(g);
      } else {
        guestsOf[g.node] = [g];
        nodeOrder.push(g.node);
      }
    }
    const sortedNodes = sortNodes(snapshot.nodes, input.sortBy, input.sortKeys);
    for (let i = 0; i < sortedNodes.length; i++) {
      const node = sortedNodes[i] as NodeInfo;
      if (node.status !== "online") anyNodeDown = true;
      nodes.push(buildNodeRow(node, guestsOf[node.name] || [], isExpanded(expanded, node.name)));
    }
    // Guests of a node /cluster/resources did not list still get a list,
    // so nothing silently disappears.
    const cache = input.rowCache;
    const next = createRowCache();
    for (let i = 0; i < nodeOrder.length; i++) {
      const nodeName = nodeOrder[i] as string;
      const list = guestsOf[nodeName] as GuestInfo[];
      if (noRows || (onlyExpanded && !isExpanded(expanded, nodeName))) {
        guestsByNode[nodeName] = [];
      } else if (cache !== undefined) {
        guestsByNode[nodeName] = cachedGuestRows(
          nodeName,
          list,
          input.sortBy,
          input.sortKeys,
          cache,
          next,
          input.tr,
        );
      } else {
        guestsByNode[nodeName] = buildGuestRows(
          sortGuests(list, input.sortBy, input.sortKeys),
          input.tr,
        );
      }
    }
    if (cache !== undefined) cache.orders = next.orders;
    for (let i = 0; i < nodes.length; i++) {
      const name = (nodes[i] as NodeRow).name;
      if (!guestsByNode[name]) guestsByNode[name] = [];
    }
    summary = buildSummary(aggregate(snapshot));
  }

  const averageCpu = summary !== null ? summary.averageCpu : null;
  let panelColor: StatusColor = "neutral";
  if (error !== null && snapshot === null) panelColor = "negative";
  else if (
    input.refresh.stale ||
    anyNodeDown ||
    (snapshot !== null && snapshot.cluster.quorate === false)
  )
    panelColor = "warning";

  return {
    phase,
    refreshing: input.refresh.refreshing,
    stale: phase === "ok" && input.refresh.stale,
    ageSeconds: ageMs === null ? null : Math.floor(ageMs / 1000),
    age: ageMs === null ? null : formatAge(ageMs),
    errorKind: error ? error.kind : null,
    errorMessage,
    errorPath: error && error.path !== undefined ? error.path : null,
    errorAclPath,
    errorPrivilege: error && error.privilege !== undefined ? error.privilege : null,
    clusterName: snapshot !== null ? snapshot.cluster.name : null,
    quorate: snapshot !== null ? snapshot.cluster.quorate : null,
    version: snapshot !== null ? snapshot.cluster.version : null,
    panel: {
      averageCpuPercent: averageCpu === null ? null : Math.round(averageCpu * 100),
      label: averageCpu === null ? UNKNOWN_TEXT : formatPercent(averageCpu),
      hasError: error !== null,
      statusColor: panelColor,
    },
    summary,
    nodes,
    guestsByNode,
  };
}
