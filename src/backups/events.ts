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

function isUrgent(e: HealthEvent): boolean {
  return e.kind === "ha-problem" || (e.kind === "ceph-health" && e.what === "HEALTH_ERR");
}

/**
 * One notification per event; several at once become one group listing the
 * first `maxLines` and "and N more".
 */
export function composeHealthNotifications(
  events: readonly HealthEvent[],
  tr: Translator = plainTranslator,
  maxLines: number = DEFAULT_MAX_LINES,
): HealthNotification[] {
  if (events.length === 0) return [];
  const guests: number[] = [];
  for (const e of events)
    if (e.vmid !== undefined && guests.indexOf(e.vmid) < 0) guests.push(e.vmid);
  const urgency =
    events.some(isUrgent) || events.some((e) => e.kind === "task-failed") ? "high" : "normal";
  const base = { events: [], suppressedCount: 0, suppressed: [], guests, health: events.slice() };
  if (events.length === 1) {
    const e = events[0] as HealthEvent;
    return [
      {
        ...base,
        kind: "single",
        urgency: isUrgent(e) || e.kind === "task-failed" ? "high" : "normal",
        title: capText(titleOf(e, tr), MAX_TITLE_LENGTH),
        body: describeHealthEvent(e, tr),
      },
    ];
  }
  const lines = events.slice(0, maxLines).map((e) => describeHealthEvent(e, tr));
  if (events.length > maxLines) lines.push(tr("and %1 more", events.length - maxLines));
  const allTasks = events.every((e) => e.kind === "task-failed");
  return [
    {
      ...base,
      kind: "group",
      urgency,
      title: capText(
        allTasks
          ? tr("%1 Proxmox tasks failed", events.length)
          : tr("%1 cluster problems", events.length),
        MAX_TITLE_LENGTH,
      ),
      body: lines.join("\n"),
    },
  ];
}
