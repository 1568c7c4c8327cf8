// The slow-cadence reader: everything backups need, read every
// `intervalSec` (default 10 minutes) and soon after a vzdump ends (a
// guest's `lock: backup` in /cluster/resources goes away — seen for free
// in the normal refresh), never on every refresh. The log of a multi-guest
// vzdump task is read once and remembered; vzdump task rows are kept
// across reads so the last good backup is not forgotten when PVE's task
// list rolls over. A 403 on one part degrades that part only.
//
// Requests per full read: /access/permissions, /cluster/backup, /cluster/backup-info/not-backed-up,
// /cluster/tasks, one /nodes/{n}/tasks?typefilter=vzdump per online node,
// one log per new multi-guest task, one content list per backup storage
// (shared ones once), /cluster/ha/status/current only when a guest has an
// HA state, /cluster/ceph/status only when a storage is rbd/cephfs.

import type { ProxmonError, Result } from "../api/errors";
import type { GuestInfo, StorageInfo } from "../model/types";
import {
  decodeBackupJobs,
  decodeBackupVolumes,
  decodeCephStatus,
  decodeHaStatus,
  decodeNotBackedUp,
  decodeTaskLog,
  decodeTasks,
  type BackupJob,
  type BackupVolume,
  type CephStatus,
  type HaStatus,
  type NotBackedUp,
  type TaskRow,
} from "./decode";
import { decodePermissions, type PermissionMap } from "../actions/permissions";
import { needsLog } from "./evidence";
import { initialFeatures, noteFeature, type FeatureId, type FeatureStatus } from "./features";
import { parseVzdumpLog, type GuestBackupResult } from "./log";

export interface ReaderClient {
  get(path: string, query?: Record<string, string>): { result: Promise<Result<unknown>> };
}

export interface BackupReaderOptions {
  client: ReaderClient;
  /** Milliseconds since the epoch (the injected scheduler's now). */
  clock: () => number;
  intervalSec?: number;
  /** Rows asked of each node's vzdump task list (default 50). */
  taskLimit?: number;
  /** Read backup volumes on storage (needs more than PVEAuditor; default true). */
  readStorage?: boolean;
  /** Bounds the remembered logs and vzdump rows. */
  maxRemembered?: number;
}

export interface BackupInputs {
  guests: readonly GuestInfo[];
  /** Online nodes (tasks are read per node). */
  nodes: readonly string[];
  storage?: readonly StorageInfo[];
}

export interface BackupData {
  /** Epoch seconds of the read. */
  at: number;
  jobs: BackupJob[] | null;
  notBackedUp: NotBackedUp[] | null;
  /** Recent tasks of any type (/cluster/tasks); null when unreadable. */
  recentTasks: TaskRow[] | null;
  /** Every vzdump task known (this read and remembered); null when no list was readable. */
  vzdumpTasks: TaskRow[] | null;
  /** Per multi-guest task UPID: its guests' results. */
  logs: Record<string, GuestBackupResult[]>;
  volumes: BackupVolume[];
  ha: HaStatus | null;
  ceph: CephStatus | null;
  features: FeatureStatus[];
  /** Requests this read made. */
  requests: number;
}

export interface BackupReader {
  /** Feed every normal refresh's guests: notices a vzdump that ended. */
  observe(guests: readonly GuestInfo[]): void;
  /** Time for a full read? (interval elapsed, never read, or a backup ended) */
  isDue(): boolean;
  read(inputs: BackupInputs): Promise<BackupData>;
  /** Only /cluster/tasks, for faster failed-task notices between full reads. */
  readRecentTasks(): Promise<TaskRow[] | null>;
  /** Accounting for the benchmark. */
  stats(): { reads: number; taskReads: number; requests: number };
  reset(): void;
}

export const DEFAULT_READ_INTERVAL_SEC = 600;
/** After a backup lock goes away, wait this long so the task row has its status. */
const AFTER_BACKUP_DELAY_MS = 15000;

const CEPH_PLUGINS = ["rbd", "cephfs"];

/** Sys.Audit on /nodes/{node}, as /access/permissions lists it; true when unknown. */
function nodeAudit(map: PermissionMap | null, node: string): boolean {
  if (map === null) return true;
  const direct = map["/nodes/" + node];
  if (direct) return direct["Sys.Audit"] !== undefined;
  const nodes = map["/nodes"];
  if (nodes) return nodes["Sys.Audit"] === 1;
  const root = map["/"];
  return !!root && root["Sys.Audit"] === 1;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

export function createBackupReader(options: BackupReaderOptions): BackupReader {
  const intervalMs = (options.intervalSec ?? DEFAULT_READ_INTERVAL_SEC) * 1000;
  const limit = options.taskLimit ?? 50;
  const maxRemembered = options.maxRemembered ?? 1000;
  let lastReadMs: number | null = null;
  let backupEndedAt: number | null = null;
  let locked: Record<string, true> = {};
  let logs: Record<string, GuestBackupResult[]> = {};
  let logOrder: string[] = [];
  let vzdump: Record<string, TaskRow> = {};
  let vzdumpOrder: string[] = [];
  let reads = 0;
  let taskReads = 0;
  let requests = 0;

  async function get(
    path: string,
    query?: Record<string, string>,
  ): Promise<{ value: unknown; error: ProxmonError | null }> {
    requests++;
    const r = await options.client.get(path, query).result;
    return r.ok ? { value: r.value, error: null } : { value: null, error: r.error };
  }

  function badShape(path: string): ProxmonError {
    return {
      kind: "bad-response",
      message: "GET " + path + " answered in an unexpected format",
      path,
    } as ProxmonError;
  }

  function remember(task: TaskRow): void {
    if (vzdump[task.upid] === undefined) vzdumpOrder.push(task.upid);
    vzdump[task.upid] = task;
    while (vzdumpOrder.length > maxRemembered) {
      const old = vzdumpOrder.shift() as string;
      delete vzdump[old];
    }
  }

  function rememberLog(upid: string, results: GuestBackupResult[]): void {
    if (logs[upid] === undefined) logOrder.push(upid);
    logs[upid] = results;
    while (logOrder.length > maxRemembered) {
      const old = logOrder.shift() as string;
      delete logs[old];
    }
  }

  async function decoded<T>(
    features: FeatureStatus[],
    id: FeatureId,
    path: string,
    decode: (v: unknown) => T | null,
    query?: Record<string, string>,
  ): Promise<T | null> {
    const r = await get(path, query);
    if (r.error !== null) {
      noteFeature(features, id, r.error);
      return null;
    }
    const value = decode(r.value);
    noteFeature(features, id, value === null ? badShape(path) : null);
    return value;
  }

  return {
    observe(guests) {
      const now: Record<string, true> = {};
      for (const g of guests) if (g.lock === "backup") now[String(g.vmid)] = true;
      for (const k of Object.keys(locked)) {
        if (now[k] !== true) backupEndedAt = options.clock();
      }
      locked = now;
    },
    isDue() {
      const now = options.clock();
      if (lastReadMs === null || now - lastReadMs >= intervalMs) return true;
      return backupEndedAt !== null && backupEndedAt > lastReadMs - AFTER_BACKUP_DELAY_MS
        ? now - backupEndedAt >= AFTER_BACKUP_DELAY_MS
        : false;
    },
    async readRecentTasks() {
      taskReads++;
      const r = await get("/cluster/tasks");
      return r.error === null ? decodeTasks(r.value) : null;
    },
    async read(inputs) {
      reads++;
      const before = requests;
      const startedMs = options.clock();
      lastReadMs = startedMs;
      backupEndedAt = null;
      const features = initialFeatures();
      const [perms, jobs, notBackedUp, recentTasks] = await Promise.all([
        get("/access/permissions").then((r) =>
          r.error === null ? decodePermissions(r.value) : null,
        ),
        decoded(features, "jobs", "/cluster/backup", decodeBackupJobs),
        decoded(features, "not-backed-up", "/cluster/backup-info/not-backed-up", decodeNotBackedUp),
        decoded(features, "tasks", "/cluster/tasks", decodeTasks),
      ]);
      // /cluster/tasks without Sys.Audit shows only the token's own tasks, so
      // only a readable node list tells whether a guest was ever backed up.
      let anyList = false;
      for (const t of recentTasks ?? []) if (t.type === "vzdump") remember(t);
      const nodeLists = await Promise.all(
        inputs.nodes.map((node) =>
          get("/nodes/" + enc(node) + "/tasks", {
            typefilter: "vzdump",
            limit: String(limit),
            source: "all",
          }).then((r) => ({ node, r })),
        ),
      );
      for (const { node, r } of nodeLists) {
        const rows = r.error === null ? decodeTasks(r.value) : null;
        // PVE answers 200 with only the token's own tasks when Sys.Audit is missing.
        if (rows !== null && !nodeAudit(perms, node)) {
          noteFeature(features, "tasks", {
            kind: "permission",
            message:
              "the token lacks Sys.Audit on /nodes/" + node + ": only its own tasks are listed",
            privilege: "Sys.Audit",
            aclPath: "/nodes/" + node,
          });
          for (const t of rows) if (t.type === "vzdump") remember(t);
          continue;
        }
        noteFeature(
          features,
          "tasks",
          r.error ?? (rows === null ? badShape("/nodes/" + node + "/tasks") : null),
          true,
        );
        if (rows === null) continue;
        anyList = true;
        for (const t of rows) if (t.type === "vzdump") remember(t);
      }
      // Multi-guest tasks name their guests only in the log: read each once.
      const pending = vzdumpOrder
        .map((u) => vzdump[u] as TaskRow)
        .filter((t) => needsLog(t) && logs[t.upid] === undefined);
      for (const t of pending) {
        const path = "/nodes/" + enc(t.node) + "/tasks/" + enc(t.upid) + "/log";
        const r = await get(path, { start: "0", limit: "100000" });
        const lines = r.error === null ? decodeTaskLog(r.value) : null;
        noteFeature(
          features,
          "task-logs",
          r.error ?? (lines === null ? badShape(path) : null),
          true,
        );
        // A 403 is remembered too (as no results), so it is not asked again every read.
        if (lines !== null || (r.error !== null && r.error.kind === "permission"))
          rememberLog(t.upid, lines !== null ? parseVzdumpLog(lines) : []);
      }
      const volumes: BackupVolume[] = [];
      if (options.readStorage !== false && inputs.storage) {
        const seen: Record<string, true> = {};
        for (const s of inputs.storage) {
          if (s.content.indexOf("backup") < 0 || s.status !== "available") continue;
          if (s.shared && seen[s.storage] === true) continue;
          seen[s.storage] = true;
          const path = "/nodes/" + enc(s.node) + "/storage/" + enc(s.storage) + "/content";
          const rows = await decoded(features, "storage-content", path, decodeBackupVolumes, {
            content: "backup",
          });
          for (const v of rows ?? []) volumes.push(v);
        }
      }
      let ha: HaStatus | null = null;
      if (inputs.guests.some((g) => g.hastate !== null)) {
        ha = await decoded(features, "ha", "/cluster/ha/status/current", decodeHaStatus);
      }
      let ceph: CephStatus | null = null;
      if ((inputs.storage ?? []).some((s) => CEPH_PLUGINS.indexOf(s.plugintype ?? "") >= 0)) {
        ceph = await decoded(features, "ceph", "/cluster/ceph/status", decodeCephStatus);
      }
      return {
        at: Math.floor(startedMs / 1000),
        jobs,
        notBackedUp,
        recentTasks,
        vzdumpTasks: anyList ? vzdumpOrder.map((u) => vzdump[u] as TaskRow) : null,
        logs: { ...logs },
        volumes,
        ha,
        ceph,
        features,
        requests: requests - before,
      };
    },
    stats() {
      return { reads, taskReads, requests };
    },
    reset() {
      lastReadMs = null;
      backupEndedAt = null;
      locked = {};
      logs = {};
      logOrder = [];
      vzdump = {};
      vzdumpOrder = [];
      reads = 0;
      taskReads = 0;
      requests = 0;
    },
  };
}

/**
 * Average requests per refresh with backups on: the normal refresh's
 * requests plus each slow read spread over the refreshes in its interval.
 */
export function averageRequestsPerRefresh(
  baseRequestsPerRefresh: number,
  refreshIntervalSec: number,
  requestsPerBackupRead: number,
  backupIntervalSec: number = DEFAULT_READ_INTERVAL_SEC,
): number {
  const refreshesPerRead = Math.max(1, backupIntervalSec / Math.max(1, refreshIntervalSec));
  return baseRequestsPerRefresh + requestsPerBackupRead / refreshesPerRead;
}
