// Which jobs cover each guest, when its last backup succeeded or failed,
// and the resulting state. Pure: the reader gathers the inputs, this turns
// them into one row per guest.
//
// Decisions:
// - A job covers a guest by `vmid` list, or with `all` (minus `exclude`),
//   or by `pool`; `node` restricts either to guests on that node. Disabled
//   jobs count as coverage, as PVE's not-backed-up list does; a guest only
//   in disabled jobs is marked `onlyDisabled`.
// - State (most severe last): excluded (user exclusion list, templates,
//   guests in no job when the user asks) · ok · due · overdue · never ·
//   unknown (the token could not read enough to tell).
// - Against an enabled job's schedule: ok when the last success is after
//   the latest scheduled run (or that run is still within the grace time
//   and the run before it succeeded), due when only the latest run was
//   missed, overdue when more were. With no readable schedule, a disabled
//   job, no job, or an unknown calendar form: the max-age thresholds (warn
//   → due, critical → overdue). Several jobs: the best state wins, since
//   any of them keeps the guest safe.

import type { GuestInfo } from "../model/types";
import { matchesFilter, parseFilter, type CompiledFilter } from "../notify/filter";
import type { BackupJob } from "./decode";
import { parseCalendarEvent, previousRun, UTC_OFFSET, type LocalOffset } from "./schedule";

export type BackupState = "ok" | "due" | "overdue" | "never" | "excluded" | "unknown";

export const DEFAULT_WARN_DAYS = 7;
export const DEFAULT_CRITICAL_DAYS = 14;
/** A backup run may take this long before its guests count as due. */
export const DEFAULT_GRACE_SEC = 6 * 3600;

export interface BackupThresholds {
  warnSec: number;
  criticalSec: number;
  graceSec: number;
}

export const DEFAULT_THRESHOLDS: Readonly<BackupThresholds> = Object.freeze({
  warnSec: DEFAULT_WARN_DAYS * 86400,
  criticalSec: DEFAULT_CRITICAL_DAYS * 86400,
  graceSec: DEFAULT_GRACE_SEC,
});

/** A --max-age of N days: warn at N, critical at twice N. */
export function thresholdsForMaxAge(days: number): BackupThresholds {
  return { warnSec: days * 86400, criticalSec: 2 * days * 86400, graceSec: DEFAULT_GRACE_SEC };
}

export interface BackupEvidence {
  /** Epoch seconds the last successful backup of this guest finished. */
  lastOk: number | null;
  lastFailure: number | null;
  /** PVE's text for the last failure (exit status or the log's error). */
  failureText: string | null;
}

export interface GuestBackup {
  vmid: number;
  type: "qemu" | "lxc";
  name: string;
  node: string;
  /** Every job covering the guest, disabled ones too. */
  jobs: string[];
  onlyDisabled: boolean;
  lastOk: number | null;
  lastFailure: number | null;
  failureText: string | null;
  state: BackupState;
  /** Why excluded/unknown, for tooltips; an untranslated code. */
  reason:
    | "template"
    | "excluded"
    | "no-job"
    | "only-disabled"
    | "jobs-unreadable"
    | "tasks-unreadable"
    | null;
}

export interface CoverageInput {
  guests: readonly GuestInfo[];
  /** null: /cluster/backup could not be read. */
  jobs: readonly BackupJob[] | null;
  /** VMIDs in no job per PVE (null: unreadable). Used when jobs are unreadable. */
  notBackedUp: readonly number[] | null;
  /** null: no task list could be read at all. */
  evidence: Readonly<Record<string, BackupEvidence>> | null;
  now: number;
  thresholds?: BackupThresholds;
  /** The user's exclusion list in the notification filter's syntax ("100-199, tag:nobackup"). */
  exclude?: string | CompiledFilter;
  /** Guests in no job never nag. */
  ignoreUncovered?: boolean;
  offset?: LocalOffset;
}

export function jobCovers(job: BackupJob, guest: GuestInfo): boolean {
  if (job.node !== null && job.node !== guest.node) return false;
  if (job.all) return job.exclude.indexOf(guest.vmid) < 0;
  if (job.pool !== null) return guest.pool === job.pool;
  return job.vmids.indexOf(guest.vmid) >= 0;
}

const RANK: Record<BackupState, number> = {
  excluded: 0,
  ok: 1,
  due: 2,
  overdue: 3,
  never: 4,
  unknown: 5,
};

export function stateRank(state: BackupState): number {
  return RANK[state];
}

function byAge(lastOk: number | null, now: number, t: BackupThresholds): BackupState {
  if (lastOk === null) return "never";
  const age = now - lastOk;
  if (age >= t.criticalSec) return "overdue";
  if (age >= t.warnSec) return "due";
  return "ok";
}

function bySchedule(
  job: BackupJob,
  lastOk: number | null,
  now: number,
  t: BackupThresholds,
  offset: LocalOffset,
): BackupState {
  if (lastOk === null) return "never";
  const event = job.enabled ? parseCalendarEvent(job.schedule ?? "daily") : null;
  const r1 = event ? previousRun(event, now, offset) : null;
  if (event === null || r1 === null) return byAge(lastOk, now, t);
  if (lastOk >= r1) return "ok";
  const r2 = previousRun(event, r1 - 60, offset);
  if (r2 === null || lastOk >= r2) return now - r1 < t.graceSec ? "ok" : "due";
  const r3 = previousRun(event, r2 - 60, offset);
  // Still within the grace time of the latest run, having missed only one before it.
  if (now - r1 < t.graceSec && (r3 === null || lastOk >= r3)) return "due";
  return "overdue";
}

function compileExclude(exclude: string | CompiledFilter | undefined): CompiledFilter | null {
  if (exclude === undefined) return null;
  return typeof exclude === "string" ? parseFilter(exclude) : exclude;
}

export function isExcluded(guest: GuestInfo, compiled: CompiledFilter | null): boolean {
  if (compiled === null || compiled.patterns.length === 0) return false;
  return matchesFilter(
    {
      kind: "guest-added",
      key: guest.type + "/" + guest.vmid,
      vmid: guest.vmid,
      guestType: guest.type,
      name: guest.name,
      node: guest.node,
      tags: guest.tags,
    },
    compiled,
  );
}

export function computeCoverage(input: CoverageInput): GuestBackup[] {
  const t = input.thresholds ?? DEFAULT_THRESHOLDS;
  const offset = input.offset ?? UTC_OFFSET;
  const compiled = compileExclude(input.exclude);
  const out: GuestBackup[] = [];
  for (const guest of input.guests) {
    const covering = input.jobs ? input.jobs.filter((j) => jobCovers(j, guest)) : [];
    const enabled = covering.filter((j) => j.enabled);
    const ev = input.evidence ? input.evidence[String(guest.vmid)] : undefined;
    const lastOk = ev ? ev.lastOk : null;
    const row: GuestBackup = {
      vmid: guest.vmid,
      type: guest.type,
      name: guest.name,
      node: guest.node,
      jobs: covering.map((j) => j.id),
      onlyDisabled: covering.length > 0 && enabled.length === 0,
      lastOk,
      lastFailure: ev ? ev.lastFailure : null,
      failureText: ev ? ev.failureText : null,
      state: "unknown",
      reason: null,
    };
    const uncovered =
      input.jobs !== null
        ? covering.length === 0
        : input.notBackedUp !== null
          ? input.notBackedUp.indexOf(guest.vmid) >= 0
          : false;
    if (guest.template) {
      row.state = "excluded";
      row.reason = "template";
    } else if (isExcluded(guest, compiled)) {
      row.state = "excluded";
      row.reason = "excluded";
    } else if (uncovered && input.ignoreUncovered === true) {
      row.state = "excluded";
      row.reason = "no-job";
    } else if (input.evidence === null) {
      row.reason = "tasks-unreadable";
    } else if (input.jobs === null) {
      row.state = byAge(lastOk, input.now, t);
      if (uncovered) row.reason = "no-job";
      else if (input.notBackedUp === null) row.reason = "jobs-unreadable";
    } else if (enabled.length === 0) {
      row.state = byAge(lastOk, input.now, t);
      row.reason = covering.length > 0 ? "only-disabled" : "no-job";
    } else {
      let best: BackupState | null = null;
      for (const job of enabled) {
        const s = bySchedule(job, lastOk, input.now, t, offset);
        if (best === null || RANK[s] < RANK[best]) best = s;
      }
      row.state = best ?? "unknown";
    }
    out.push(row);
  }
  return out;
}
