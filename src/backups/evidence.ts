// Turns vzdump task rows (and the logs of multi-guest tasks) into the last
// success and last failure per guest. Backup volumes on storage, where the
// token may list them, add successes (their ctime).

import { classifyExitStatus } from "../actions/request";
import type { BackupEvidence } from "./coverage";
import type { TaskRow } from "./decode";
import type { GuestBackupResult } from "./log";
import { UTC_OFFSET, type LocalOffset } from "./schedule";

export type EvidenceMap = Record<string, BackupEvidence>;

/** A task's `id` when it is a VMID (single-guest vzdump), else null. */
export function taskVmid(task: TaskRow): number | null {
  const id = task.id;
  if (id === null || id.length === 0 || id.length > 9) return null;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const n = parseInt(id, 10);
  return n >= 100 ? n : null;
}

export function isTaskFailed(task: TaskRow): boolean {
  return task.status !== null && classifyExitStatus(task.status).outcome === "failed";
}

/** A finished vzdump task without a VMID: its guests are only in the log. */
export function needsLog(task: TaskRow): boolean {
  return task.type === "vzdump" && task.status !== null && taskVmid(task) === null;
}

function note(map: EvidenceMap, vmid: number, ok: boolean, at: number, text: string | null): void {
  const key = String(vmid);
  const e = map[key] ?? { lastOk: null, lastFailure: null, failureText: null };
  if (ok) {
    if (e.lastOk === null || at > e.lastOk) e.lastOk = at;
  } else if (e.lastFailure === null || at > e.lastFailure) {
    e.lastFailure = at;
    e.failureText = text;
  }
  map[key] = e;
}

export function collectEvidence(
  tasks: readonly TaskRow[],
  logs: Readonly<Record<string, readonly GuestBackupResult[]>>,
  offset: LocalOffset = UTC_OFFSET,
): EvidenceMap {
  const map: EvidenceMap = {};
  const done: Record<string, true> = {};
  for (const task of tasks) {
    if (task.type !== "vzdump" || task.status === null) continue;
    // /cluster/tasks and the node lists overlap.
    if (done[task.upid] === true) continue;
    done[task.upid] = true;
    const end = task.endtime ?? task.starttime;
    const vmid = taskVmid(task);
    if (vmid !== null) {
      note(map, vmid, !isTaskFailed(task), end, isTaskFailed(task) ? task.status : null);
      continue;
    }
    const results = logs[task.upid];
    if (!results) continue;
    for (const r of results) {
      const at = r.finishedLocal !== null ? r.finishedLocal - offset(end) * 60 : end;
      note(map, r.vmid, r.ok, at, r.ok ? null : (r.error ?? task.status));
    }
  }
  return map;
}

/** Adds backup volumes (GET …/storage/{s}/content?content=backup rows) as successes. */
export function addVolumes(
  map: EvidenceMap,
  volumes: ReadonlyArray<{ vmid: number; ctime: number }>,
): void {
  for (const v of volumes) note(map, v.vmid, true, v.ctime, null);
}
