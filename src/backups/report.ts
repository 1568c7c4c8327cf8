// One read's data turned into what the CLI prints and the widget shows:
// jobs, a row per guest, failed tasks of the window. Plain objects only.

import type { GuestInfo } from "../model/types";
import type { CompiledFilter } from "../notify/filter";
import { computeCoverage, type BackupThresholds, type GuestBackup } from "./coverage";
import { addVolumes, collectEvidence } from "./evidence";
import { failedTasks, type FailedTask } from "./events";
import type { FeatureStatus } from "./features";
import type { BackupData } from "./reader";
import { UTC_OFFSET, type LocalOffset } from "./schedule";

export interface JobRow {
  id: string;
  enabled: boolean;
  schedule: string | null;
  nextRun: number | null;
}

export interface BackupReport {
  jobs: JobRow[];
  guests: GuestBackup[];
  failedTasks: FailedTask[];
  features: FeatureStatus[];
  /** Jobs, not-backed-up and every node's task list unreadable: nothing to show. */
  nothingReadable: boolean;
}

export interface ReportOptions {
  thresholds?: BackupThresholds;
  exclude?: string | CompiledFilter;
  ignoreUncovered?: boolean;
  /** Failed tasks ending within this many seconds before the read (default 24 h). */
  sinceSec?: number;
  offset?: LocalOffset;
}

export const DEFAULT_FAILED_WINDOW_SEC = 86400;

export function buildReport(
  data: BackupData,
  guests: readonly GuestInfo[],
  options: ReportOptions = {},
): BackupReport {
  const offset = options.offset ?? UTC_OFFSET;
  let evidence = null;
  if (data.vzdumpTasks !== null || data.volumes.length > 0) {
    evidence = collectEvidence(data.vzdumpTasks ?? [], data.logs, offset);
    addVolumes(evidence, data.volumes);
  }
  const rows = computeCoverage({
    guests,
    jobs: data.jobs,
    notBackedUp: data.notBackedUp ? data.notBackedUp.map((n) => n.vmid) : null,
    evidence,
    now: data.at,
    thresholds: options.thresholds,
    exclude: options.exclude,
    ignoreUncovered: options.ignoreUncovered,
    offset,
  });
  const since = data.at - (options.sinceSec ?? DEFAULT_FAILED_WINDOW_SEC);
  const allTasks = (data.recentTasks ?? []).concat(data.vzdumpTasks ?? []);
  return {
    jobs: (data.jobs ?? []).map((j) => ({
      id: j.id,
      enabled: j.enabled,
      schedule: j.schedule,
      nextRun: j.nextRun,
    })),
    guests: rows,
    failedTasks: failedTasks(allTasks, since),
    features: data.features,
    // /cluster/tasks always answers (with the token's own tasks only), so it does not count.
    nothingReadable: data.jobs === null && data.notBackedUp === null && data.vzdumpTasks === null,
  };
}

/** The `proxmon backups --json` contract (README, docs/cli.md). */
export function toBackupsJson(report: BackupReport): {
  jobs: JobRow[];
  guests: Array<{
    vmid: number;
    type: "qemu" | "lxc";
    name: string;
    jobs: string[];
    lastOk: number | null;
    lastFailure: number | null;
    state: string;
  }>;
  failedTasks: FailedTask[];
} {
  return {
    jobs: report.jobs,
    guests: report.guests.map((g) => ({
      vmid: g.vmid,
      type: g.type,
      name: g.name,
      jobs: g.jobs,
      lastOk: g.lastOk,
      lastFailure: g.lastFailure,
      state: g.state,
    })),
    failedTasks: report.failedTasks.map((f) => ({
      upid: f.upid,
      node: f.node,
      type: f.type,
      id: f.id,
      endtime: f.endtime,
      exitstatus: f.exitstatus,
    })),
  };
}
