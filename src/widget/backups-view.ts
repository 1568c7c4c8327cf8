// What the popup shows of backups and cluster health (issue 13, item 7):
// a badge per guest row (age of the last good backup, coloured by state),
// snooze/maintenance chips on guests and nodes, the Backups section
// (failed, overdue, never, not in a job, due), header badges for HA and
// Ceph, and "Recent problems". Pure: state in, plain objects and
// translated texts out; QML draws them and decides nothing.

import type { BackupState, GuestBackup } from "../backups/coverage";
import type { CephStatus, HaStatus } from "../backups/decode";
import { isHaProblem } from "../backups/decode";
import { describeHealthEvent } from "../backups/events";
import { featureLabel, type FeatureStatus } from "../backups/features";
import { isInMaintenance, snoozeFor, type SnoozeEntry } from "../backups/snooze";
import type { GuestInfo, NodeInfo } from "../model/types";
import { formatAge } from "../view/format";
import type { StatusColor } from "../view/view-model";
import type { HealthState } from "./health-session";
import { ageText, type Tr } from "./texts";

export interface Chip {
  text: string;
  /** A StatusColor; the façade maps it to the theme. */
  color: StatusColor;
  tip: string;
  icon: string;
}

export interface SectionRow {
  key: string;
  vmid: number;
  text: string;
  detail: string;
}

export interface SectionGroup {
  key: "failed" | "overdue" | "never" | "uncovered" | "due";
  title: string;
  color: StatusColor;
  rows: SectionRow[];
}

export interface ProblemRow {
  key: string;
  title: string;
  detail: string;
  color: StatusColor;
  when: string;
}

export interface BackupsView {
  /** Backups are read at all (setting on and a cluster shown). */
  enabled: boolean;
  /** Chips per guest VMID (as a string key): backup age first, then snooze/maintenance. */
  guestChips: { [vmid: string]: Chip[] };
  /** Snooze/maintenance chips per node name. */
  nodeChips: { [node: string]: Chip[] };
  sectionVisible: boolean;
  /** Whether the section starts open: only while its list is short. */
  sectionOpen: boolean;
  sectionTitle: string;
  /** "3 need attention · 12 ok" or why nothing can be told. */
  sectionSummary: string;
  groups: SectionGroup[];
  /** One line per part the token cannot read (privilege and path named). */
  notices: string[];
  /** HA and Ceph, only where the cluster has them. */
  headerBadges: Chip[];
  problemsTitle: string;
  problems: ProblemRow[];
  /** Problems not in maintenance: failed tasks, HA errors, Ceph not OK, backups failed/overdue/never. */
  problemCount: number;
}

export interface BackupsViewInput {
  enabled: boolean;
  state: HealthState | null;
  guests: readonly GuestInfo[];
  nodes: readonly NodeInfo[];
  snoozes: readonly SnoozeEntry[];
  /** Epoch seconds. */
  now: number;
  /** Developer mode: guest names are not shown. */
  anonymise: boolean;
}

const MAX_SECTION_ROWS = 50;
/** Rows (guests and group titles) up to which the section starts open. */
const OPEN_SECTION_LINES = 12;
/** "Recent problems" sits above the node list: a few lines, then "and N more". */
const MAX_PROBLEMS = 5;

export function emptyBackupsView(): BackupsView {
  return {
    enabled: false,
    guestChips: {},
    nodeChips: {},
    sectionVisible: false,
    sectionOpen: false,
    sectionTitle: "",
    sectionSummary: "",
    groups: [],
    notices: [],
    headerBadges: [],
    problemsTitle: "",
    problems: [],
    problemCount: 0,
  };
}

/** "3 d", "5 h", "12 min" (the age of the last good backup, compact). */
export function compactAge(t: Tr, seconds: number): string {
  const a = formatAge(seconds * 1000);
  switch (a.unit) {
    case "seconds":
    case "minutes":
      return t.trc("backup age", "%1 min", a.unit === "minutes" ? a.value : 1);
    case "hours":
      return t.trc("backup age", "%1 h", a.value);
    default:
      return t.trc("backup age", "%1 d", a.value);
  }
}

export function stateColor(state: BackupState): StatusColor {
  switch (state) {
    case "ok":
      return "positive";
    case "due":
      return "warning";
    case "overdue":
    case "never":
      return "negative";
    default:
      return "neutral";
  }
}

export function stateText(t: Tr, state: BackupState): string {
  switch (state) {
    case "ok":
      return t.trc("backup state", "ok");
    case "due":
      return t.trc("backup state", "due");
    case "overdue":
      return t.trc("backup state", "overdue");
    case "never":
      return t.trc("backup state", "never backed up");
    case "excluded":
      return t.trc("backup state", "excluded");
    default:
      return t.trc("backup state", "unknown");
  }
}

function failedLast(g: GuestBackup): boolean {
  return g.lastFailure !== null && (g.lastOk === null || g.lastFailure > g.lastOk);
}

function backupTip(t: Tr, g: GuestBackup, now: number): string {
  const lines: string[] = [];
  lines.push(t.tr("Backup: %1", stateText(t, g.state)));
  if (g.lastOk !== null)
    lines.push(t.tr("Last good backup %1", ageText(t, formatAge((now - g.lastOk) * 1000))));
  if (failedLast(g))
    lines.push(
      t.tr(
        "Last backup failed %1: %2",
        ageText(t, formatAge((now - (g.lastFailure as number)) * 1000)),
        g.failureText ?? "",
      ),
    );
  if (g.jobs.length > 0) lines.push(t.tr("Jobs: %1", g.jobs.join(", ")));
  if (g.reason === "no-job") lines.push(t.tr("In no backup job"));
  if (g.reason === "only-disabled") lines.push(t.tr("Only in a disabled backup job"));
  if (g.reason === "template") lines.push(t.tr("Templates are not checked"));
  if (g.reason === "excluded") lines.push(t.tr("Excluded in the settings"));
  if (g.reason === "tasks-unreadable") lines.push(t.tr("The token cannot read the backup tasks"));
  return lines.join("\n");
}

function backupChip(t: Tr, g: GuestBackup, now: number): Chip | null {
  if (g.state === "excluded" || g.state === "unknown") return null;
  const failed = failedLast(g);
  const text =
    g.lastOk !== null ? compactAge(t, Math.max(0, now - g.lastOk)) : t.trc("backup age", "never");
  return {
    text,
    color: failed ? "negative" : stateColor(g.state),
    tip: backupTip(t, g, now),
    icon: failed ? "dialog-error" : "backup",
  };
}

/** "for 45 min" / "for 3 h" / "until it changes". */
function snoozeChip(t: Tr, e: SnoozeEntry, now: number): Chip {
  if (e.mode === "maintenance")
    return {
      text: t.trc("chip", "maintenance"),
      color: "warning",
      tip: t.tr("Maintenance: no notifications, not counted as a problem, until you turn it off"),
      icon: "tools",
    };
  const tip =
    e.mode === "until"
      ? t.tr("Notifications snoozed for %1 more", remaining(t, e.until - now))
      : t.tr("Notifications snoozed until its state changes (now %1)", e.state);
  return { text: t.trc("chip", "snoozed"), color: "neutral", tip, icon: "notifications-disabled" };
}

export function remaining(t: Tr, seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 3600) return t.trc("time left", "%1 min", Math.max(1, Math.ceil(s / 60)));
  if (s < 86400 * 2) return t.trc("time left", "%1 h", Math.ceil(s / 3600));
  return t.trc("time left", "%1 d", Math.ceil(s / 86400));
}

function guestLabel(g: { vmid: number; name: string }, anonymise: boolean): string {
  return anonymise || g.name === "" ? String(g.vmid) : g.vmid + " " + g.name;
}

function featureNotice(t: Tr, f: FeatureStatus): string {
  const label = featureLabel(f.id, t.tr);
  if (f.missing)
    return t.tr("%1: not readable, needs %2 on %3", label, f.missing.privilege, f.missing.path);
  return t.tr("%1: not readable (%2)", label, f.message ?? "");
}

export function buildBackupsView(t: Tr, input: BackupsViewInput): BackupsView {
  const view = emptyBackupsView();
  const now = input.now;
  const active = input.snoozes.filter((e) => e.mode !== "until" || e.until > now);
  for (const g of input.guests) {
    const e = snoozeFor(active, { vmid: g.vmid }, now);
    if (e && e.kind === "guest") view.guestChips[String(g.vmid)] = [snoozeChip(t, e, now)];
  }
  for (const n of input.nodes) {
    const e = snoozeFor(active, { node: n.name }, now);
    if (e && e.kind === "node") view.nodeChips[n.name] = [snoozeChip(t, e, now)];
  }
  if (!input.enabled) return view;
  view.enabled = true;
  const state = input.state;
  const report = state ? state.report : null;
  const maintenance = (vmid: number, node: string | undefined) =>
    isInMaintenance(active, { vmid, node });
  const nodeOf: Record<string, string> = {};
  for (const g of input.guests) nodeOf[String(g.vmid)] = g.node;

  view.sectionTitle = t.tr("Backups");
  view.problemsTitle = t.tr("Recent problems");
  let count = 0;
  if (report === null) {
    view.sectionVisible = true;
    view.sectionSummary = t.tr("Reading backup jobs and tasks…");
  } else {
    const groups: SectionGroup[] = [
      { key: "failed", title: t.tr("Last backup failed"), color: "negative", rows: [] },
      { key: "overdue", title: t.tr("Overdue"), color: "negative", rows: [] },
      { key: "never", title: t.tr("Never backed up"), color: "negative", rows: [] },
      { key: "uncovered", title: t.tr("Not in a backup job"), color: "warning", rows: [] },
      { key: "due", title: t.tr("Due"), color: "warning", rows: [] },
    ];
    const group = (k: SectionGroup["key"]) => groups.filter((x) => x.key === k)[0] as SectionGroup;
    let ok = 0;
    for (const g of report.guests) {
      const chip = backupChip(t, g, now);
      if (chip) {
        const key = String(g.vmid);
        view.guestChips[key] = [chip].concat(view.guestChips[key] ?? []);
      }
      if (g.state === "excluded" || g.state === "unknown") continue;
      if (maintenance(g.vmid, g.node)) continue;
      const label = guestLabel(g, input.anonymise);
      const row = (detail: string): SectionRow => ({
        key: g.type + "/" + g.vmid,
        vmid: g.vmid,
        text: label,
        detail,
      });
      const age =
        g.lastOk !== null
          ? t.tr("last good backup %1", ageText(t, formatAge((now - g.lastOk) * 1000)))
          : t.tr("no good backup known");
      if (failedLast(g)) group("failed").rows.push(row(g.failureText ?? age));
      else if (g.state === "overdue") group("overdue").rows.push(row(age));
      else if (g.state === "never") group("never").rows.push(row(age));
      else if (g.state === "due") group("due").rows.push(row(age));
      if (g.reason === "no-job") group("uncovered").rows.push(row(t.tr("in no backup job")));
      else if (g.reason === "only-disabled")
        group("uncovered").rows.push(row(t.tr("only in a disabled job")));
      if (g.state === "ok" && !failedLast(g)) ok++;
    }
    for (const gr of groups) {
      if (gr.key !== "due" && gr.key !== "uncovered") count += gr.rows.length;
      gr.rows.sort((a, b) => a.vmid - b.vmid);
      if (gr.rows.length > MAX_SECTION_ROWS) {
        const more = gr.rows.length - MAX_SECTION_ROWS;
        gr.rows = gr.rows.slice(0, MAX_SECTION_ROWS);
        gr.rows.push({
          key: gr.key + "/more",
          vmid: 0,
          text: t.tr("and %1 more", more),
          detail: "",
        });
      }
    }
    view.groups = groups.filter((gr) => gr.rows.length > 0);
    const attention = view.groups.reduce((n, gr) => n + gr.rows.length, 0);
    view.sectionOpen = attention > 0 && attention + view.groups.length <= OPEN_SECTION_LINES;
    view.sectionVisible = true;
    view.sectionSummary = report.nothingReadable
      ? t.tr("The token cannot read backup jobs or tasks")
      : attention === 0
        ? t.tr("All %1 checked guests are backed up", ok)
        : t.tr("%1 need attention · %2 ok", attention, ok);
    for (const f of state ? state.features : [])
      if (f.available === false) view.notices.push(featureNotice(t, f));
  }

  // Header badges: HA where guests are HA-managed, Ceph where the cluster has it.
  const ha: HaStatus | null = state ? state.ha : null;
  const haGuests = input.guests.filter((g) => g.hastate !== null);
  const haServices = ha
    ? ha.services
    : haGuests.map((g) => ({
        sid: "vm:" + g.vmid,
        vmid: g.vmid,
        node: g.node,
        state: g.hastate as string,
        crmState: null,
      }));
  if (haServices.length > 0) {
    const bad = haServices.filter(
      (s) => isHaProblem(s.state) && !(s.vmid !== null && maintenance(s.vmid, s.node ?? undefined)),
    );
    view.headerBadges.push({
      text:
        bad.length > 0
          ? t.trc("header badge", "HA: %1 in error", bad.length)
          : t.trc("header badge", "HA ok"),
      color: bad.length > 0 ? "negative" : "positive",
      tip:
        bad.length > 0
          ? bad.map((s) => s.sid + ": " + s.state).join("\n")
          : t.tr("%1 HA services, none in error", haServices.length),
      icon: "",
    });
    for (const s of bad) {
      count++;
      view.problems.push({
        key: "ha/" + s.sid,
        title: describeHealthEvent(
          {
            kind: "ha-problem",
            key: "ha/" + s.sid,
            what: s.state,
            detail: s.state,
            vmid: s.vmid ?? undefined,
          },
          t.tr,
        ),
        detail: s.node !== null ? t.tr("on %1", s.node) : "",
        color: "negative",
        when: "",
      });
    }
  }
  const ceph: CephStatus | null = state ? state.ceph : null;
  if (ceph !== null) {
    const color: StatusColor =
      ceph.health === "HEALTH_OK"
        ? "positive"
        : ceph.health === "HEALTH_WARN"
          ? "warning"
          : "negative";
    view.headerBadges.push({
      text:
        ceph.health === "HEALTH_OK"
          ? t.trc("header badge", "Ceph ok")
          : ceph.health === "HEALTH_WARN"
            ? t.trc("header badge", "Ceph warning")
            : t.trc("header badge", "Ceph error"),
      color,
      tip: ceph.checks.map((c) => c.code + ": " + c.summary).join("\n"),
      icon: "",
    });
    if (ceph.health !== "HEALTH_OK") {
      count++;
      view.problems.push({
        key: "cluster/ceph",
        title: t.tr("Ceph health is %1", ceph.health),
        detail: ceph.checks.map((c) => c.code + ": " + c.summary).join("; "),
        color,
        when: "",
      });
    }
  }
  for (const f of report ? report.failedTasks : []) {
    const vmid = f.id !== null && /^\d{3,9}$/.test(f.id) ? parseInt(f.id, 10) : null;
    if (vmid !== null && maintenance(vmid, nodeOf[String(vmid)])) continue;
    if (isInMaintenance(active, { node: f.node })) continue;
    if (view.problems.length > MAX_PROBLEMS) break;
    count++;
    view.problems.push({
      key: "task/" + f.upid,
      title:
        vmid !== null
          ? t.tr("%1 of guest %2 failed", f.type, vmid)
          : t.tr("%1 on %2 failed", f.type, f.node),
      detail: f.exitstatus,
      color: "negative",
      when: f.endtime !== null ? ageText(t, formatAge((now - f.endtime) * 1000)) : "",
    });
  }
  view.problemCount = count;
  if (view.problems.length > MAX_PROBLEMS) {
    const more = view.problems.length - (MAX_PROBLEMS - 1);
    view.problems = view.problems.slice(0, MAX_PROBLEMS - 1);
    view.problems.push({
      key: "more",
      title: t.tr("and %1 more", more),
      detail: "",
      color: "neutral",
      when: "",
    });
  }
  return view;
}
