// Problems PVE itself reports — failed tasks, HA errors and fencing, Ceph
// health — as events, and those events as notifications in the shape the
// existing pipeline delivers (src/notify/limiter.ts `Notification`), so QML
// and `proxmon watch` show them the same way. Trackers remember what they
// have seen; the first read is the baseline and produces nothing.

import type { Notification } from "../notify/limiter";
import {
  capText,
  DEFAULT_MAX_LINES,
  MAX_LINE_LENGTH,
  MAX_TITLE_LENGTH,
  plainTranslator,
  type Translator,
} from "../notify/message";
import type { CephHealth, CephStatus, HaStatus, TaskRow } from "./decode";
import { isHaProblem } from "./decode";
import { isTaskFailed, taskVmid } from "./evidence";
import type { FlappingHealth, HealthAdmission } from "./health-limiter";

export type HealthEventKind = "task-failed" | "ha-problem" | "ha-recovered" | "ceph-health";

export interface HealthEvent {
  kind: HealthEventKind;
  /** Stable subject: "task/<upid>", "ha/vm:100", "cluster/ceph". */
  key: string;
  vmid?: number;
  node?: string;
  /** Task type, HA state or Ceph health. */
  what: string;
  /** PVE's exit status, the HA state, or the Ceph check summaries joined. */
  detail: string;
  /** Epoch seconds, when known. */
  at?: number;
}

export interface HealthNotification extends Notification {
  /** The problems this notification is about (Notification.events stays empty). */
  health: HealthEvent[];
}

export interface FailedTask {
  upid: string;
  node: string;
  type: string;
  id: string | null;
  endtime: number | null;
  exitstatus: string;
}

/** Failed tasks of any type that ended at or after `since` (epoch seconds). */
export function failedTasks(tasks: readonly TaskRow[], since: number): FailedTask[] {
  const out: FailedTask[] = [];
  const seen: Record<string, true> = {};
  for (const t of tasks) {
    if (!isTaskFailed(t) || seen[t.upid] === true) continue;
    seen[t.upid] = true;
    const end = t.endtime ?? t.starttime;
    if (end < since) continue;
    out.push({
      upid: t.upid,
      node: t.node,
      type: t.type,
      id: t.id,
      endtime: t.endtime,
      exitstatus: t.status as string,
    });
  }
  out.sort((a, b) => (b.endtime ?? 0) - (a.endtime ?? 0));
  return out;
}

export interface FailedTaskTracker {
  /** New failures since the last call; the first call only learns. */
  update(tasks: readonly TaskRow[]): HealthEvent[];
  reset(): void;
}

export function createFailedTaskTracker(): FailedTaskTracker {
  let seen: Record<string, true> | null = null;
  return {
    update(tasks) {
      const failed = failedTasks(tasks, 0);
      const next: Record<string, true> = {};
      const events: HealthEvent[] = [];
      for (const f of failed) {
        next[f.upid] = true;
        if (seen === null || seen[f.upid] === true) continue;
        const vmid = taskVmid({ ...f, user: "", starttime: 0, status: f.exitstatus });
        const e: HealthEvent = {
          kind: "task-failed",
          key: "task/" + f.upid,
          node: f.node,
          what: f.type,
          detail: f.exitstatus,
        };
        if (vmid !== null) e.vmid = vmid;
        if (f.endtime !== null) e.at = f.endtime;
        events.push(e);
      }
      // Only the current list is kept: a task that left it never returns.
      seen = next;
      return events.reverse();
    },
    reset() {
      seen = null;
    },
  };
}

export interface HealthTracker {
  /** HA: errors/fencing on entry, recovery on leaving; first call learns. */
  updateHa(status: HaStatus | null): HealthEvent[];
  /** Ceph: any change of the overall health after the first read. */
  updateCeph(status: CephStatus | null): HealthEvent[];
  reset(): void;
}

export function cephSummary(status: CephStatus): string {
  return status.checks.map((c) => c.code + ": " + c.summary).join("; ");
}

export function createHealthTracker(): HealthTracker {
  let ha: Record<string, string> | null = null;
  let ceph: CephHealth | null = null;
  let cephKnown = false;
  return {
    updateHa(status) {
      if (status === null) return [];
      const now: Record<string, string> = {};
      const events: HealthEvent[] = [];
      for (const s of status.services) {
        now[s.sid] = s.state;
        if (ha === null) continue;
        const before = ha[s.sid];
        if (before === s.state) continue;
        const base = { key: "ha/" + s.sid, what: s.state, detail: s.crmState ?? s.state };
        const extra: Partial<HealthEvent> = {};
        if (s.vmid !== null) extra.vmid = s.vmid;
        if (s.node !== null) extra.node = s.node;
        if (isHaProblem(s.state)) events.push({ kind: "ha-problem", ...base, ...extra });
        else if (before !== undefined && isHaProblem(before))
          events.push({ kind: "ha-recovered", ...base, ...extra });
      }
      ha = now;
      return events;
    },
    updateCeph(status) {
      if (status === null) return [];
      const before = ceph;
      const first = !cephKnown;
      ceph = status.health;
      cephKnown = true;
      if (first || before === status.health) return [];
      return [
        {
          kind: "ceph-health",
          key: "cluster/ceph",
          what: status.health,
          detail: cephSummary(status),
        },
      ];
    },
    reset() {
      ha = null;
      ceph = null;
      cephKnown = false;
    },
  };
}

function subject(e: HealthEvent, tr: Translator): string {
  if (e.vmid !== undefined) return tr("guest %1", e.vmid);
  if (e.node !== undefined) return tr("node %1", e.node);
  return tr("the cluster");
}

/** One line about one event, translated and bounded. */
export function describeHealthEvent(e: HealthEvent, tr: Translator = plainTranslator): string {
  let text: string;
  switch (e.kind) {
    case "task-failed":
      text =
        e.vmid !== undefined
          ? tr("Task %1 of guest %2 on %3 failed: %4", e.what, e.vmid, e.node ?? "?", e.detail)
          : tr("Task %1 on %2 failed: %3", e.what, e.node ?? "?", e.detail);
      break;
    case "ha-problem":
      text = tr("HA: %1 is in state %2", subject(e, tr), e.what);
      break;
    case "ha-recovered":
      text = tr("HA: %1 recovered (%2)", subject(e, tr), e.what);
      break;
    case "ceph-health":
      text =
        e.detail !== ""
          ? tr("Ceph health is now %1: %2", e.what, e.detail)
          : tr("Ceph health is now %1", e.what);
      break;
  }
  return capText(text, MAX_LINE_LENGTH);
}

function titleOf(e: HealthEvent, tr: Translator): string {
  switch (e.kind) {
    case "task-failed":
      return tr("Proxmox task failed");
    case "ha-problem":
      return e.what === "fence" ? tr("HA fencing") : tr("HA error");
    case "ha-recovered":
      return tr("HA recovered");
    case "ceph-health":
      return tr("Ceph %1", e.what);
  }
}

/** An HA error or fencing, or Ceph HEALTH_ERR: told at once, never held back. */
export function isUrgentHealth(e: HealthEvent): boolean {
  return e.kind === "ha-problem" || (e.kind === "ceph-health" && e.what === "HEALTH_ERR");
}

function isLoud(e: HealthEvent): boolean {
  return isUrgentHealth(e) || e.kind === "task-failed";
}

/** A flapping subject, told once: what it is doing and that it is muted. */
function flappingLine(f: FlappingHealth, tr: Translator): string {
  const minutes = Math.max(1, Math.round(f.windowSec / 60));
  const e = f.event;
  const text =
    e.kind === "task-failed"
      ? e.vmid !== undefined
        ? tr(
            "Task %1 of guest %2 keeps failing (%3 times in %4 min); muted until it stops",
            e.what,
            e.vmid,
            f.changes,
            minutes,
          )
        : tr(
            "Task %1 on %2 keeps failing (%3 times in %4 min); muted until it stops",
            e.what,
            e.node ?? "?",
            f.changes,
            minutes,
          )
      : e.kind === "ceph-health"
        ? tr(
            "Ceph health keeps changing (%1 times in %2 min); muted until it settles",
            f.changes,
            minutes,
          )
        : tr(
            "HA: %1 keeps changing state (%2 times in %3 min); muted until it settles",
            subject(e, tr),
            f.changes,
            minutes,
          );
  return capText(text, MAX_LINE_LENGTH);
}

function settledLine(s: { event: HealthEvent; muted: number }, tr: Translator): string {
  return capText(
    tr("Settled (muted changes: %1): %2", s.muted, describeHealthEvent(s.event, tr)),
    MAX_LINE_LENGTH,
  );
}

/**
 * What a health limiter let through (src/backups/health-limiter.ts) as at
 * most one notification: one event alone keeps its own title; several, or
 * any with held-back ones folded in, become a group listing the first
 * `maxLines`; held-back ones alone become a summary.
 */
export function composeAdmittedHealth(
  admitted: HealthAdmission,
  tr: Translator = plainTranslator,
  maxLines: number = DEFAULT_MAX_LINES,
): HealthNotification[] {
  const told = admitted.summary
    ? admitted.held
    : admitted.passing
        .concat(admitted.flapping.map((f) => f.event))
        .concat(admitted.settled.map((s) => s.event));
  if (told.length === 0 && admitted.heldCount === 0) return [];
  const guests: number[] = [];
  for (const e of told) if (e.vmid !== undefined && guests.indexOf(e.vmid) < 0) guests.push(e.vmid);
  const base = {
    events: [],
    suppressedCount: admitted.heldCount,
    suppressed: [],
    guests,
    health: told.slice(),
  };
  const loud = admitted.passing.some(isLoud) || (admitted.summary && admitted.held.some(isLoud));
  const onlySettled =
    !admitted.summary && admitted.passing.length === 0 && admitted.flapping.length === 0;
  const urgency = loud ? "high" : onlySettled ? "low" : "normal";
  if (admitted.summary) {
    const lines = admitted.held.slice(0, maxLines).map((e) => describeHealthEvent(e, tr));
    if (admitted.heldCount > lines.length)
      lines.push(tr("and %1 more", admitted.heldCount - lines.length));
    return [
      {
        ...base,
        kind: "summary",
        urgency,
        title: capText(
          tr("Repeated cluster problems held back: %1", admitted.heldCount),
          MAX_TITLE_LENGTH,
        ),
        body: lines.join("\n"),
      },
    ];
  }
  const lines = admitted.passing
    .map((e) => describeHealthEvent(e, tr))
    .concat(admitted.flapping.map((f) => flappingLine(f, tr)))
    .concat(admitted.settled.map((x) => settledLine(x, tr)));
  if (lines.length === 1 && admitted.heldCount === 0) {
    const e = told[0] as HealthEvent;
    const kind =
      admitted.passing.length === 1
        ? "single"
        : admitted.flapping.length === 1
          ? "flapping"
          : "stable";
    const title =
      kind === "single"
        ? titleOf(e, tr)
        : kind === "flapping"
          ? tr("Keeps changing: %1", titleOf(e, tr))
          : tr("Settled: %1", titleOf(e, tr));
    return [
      {
        ...base,
        kind,
        urgency: kind === "single" && isLoud(e) ? "high" : urgency,
        title: capText(title, MAX_TITLE_LENGTH),
        body: lines[0] as string,
      },
    ];
  }
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(tr("and %1 more", lines.length - maxLines));
  if (admitted.heldCount > 0) shown.push(tr("+%1 repeated, held back", admitted.heldCount));
  const allTasks = told.length > 0 && told.every((e) => e.kind === "task-failed");
  return [
    {
      ...base,
      kind: "group",
      urgency,
      title: capText(
        allTasks
          ? tr("%1 Proxmox tasks failed", told.length)
          : tr("%1 cluster problems", told.length),
        MAX_TITLE_LENGTH,
      ),
      body: shown.join("\n"),
    },
  ];
}

/**
 * One notification per event; several at once become one group listing the
 * first `maxLines` and "and N more". (No limiter: every event is told.)
 */
export function composeHealthNotifications(
  events: readonly HealthEvent[],
  tr: Translator = plainTranslator,
  maxLines: number = DEFAULT_MAX_LINES,
): HealthNotification[] {
  return composeAdmittedHealth(
    { passing: events.slice(), flapping: [], settled: [], heldCount: 0, held: [], summary: false },
    tr,
    maxLines,
  );
}
