// Backups and cluster health inside one widget session (issue 13, items
// 2-5): the slow-cadence backup reader (src/backups/reader.ts) beside the
// monitor, driven by the monitor's refreshes but reading only when due —
// a full read every `intervalSec` (default 10 min) and soon after a vzdump
// ends (a guest's `lock: backup` goes away), plus a light /cluster/tasks
// read every `tasksEverySec` for failed tasks. A refresh that finds
// nothing due costs no request: HA states come free with
// /cluster/resources. New problems become notifications through the
// notification filter's guest entries, the snooze list and the same
// delivery (`notify`) as the monitor's, scrubbed of the token like them.
// Everything is injected; the scheduler gives the time.

import { closableClient } from "../api/closable-client";
import type { ChangeEvent } from "../notify/diff";
import { matchesFilter, parseFilter, type CompiledFilter, type NotifyMode } from "../notify/filter";
import { DEFAULT_MIN_INTERVAL_SEC, type Notification } from "../notify/limiter";
import { plainTranslator, redactTokenId, type Translator } from "../notify/message";
import type { GuestInfo, Snapshot } from "../model/types";
import type { Logger, Scheduler } from "../scheduler";
import type { BackupThresholds } from "../backups/coverage";
import { DEFAULT_THRESHOLDS } from "../backups/coverage";
import type { CephStatus, HaStatus } from "../backups/decode";
import {
  composeAdmittedHealth,
  createFailedTaskTracker,
  createHealthTracker,
  type HealthEvent,
} from "../backups/events";
import type { FeatureStatus } from "../backups/features";
import {
  createBackupReader,
  DEFAULT_READ_INTERVAL_SEC,
  type ReaderClient,
} from "../backups/reader";
import { buildReport, type BackupReport } from "../backups/report";
import { UTC_OFFSET, type LocalOffset } from "../backups/schedule";
import { createHealthLimiter } from "../backups/health-limiter";
import { haFromSnapshot } from "../backups/watcher";
import {
  applySnoozes,
  expireSnoozes,
  type SnoozeEntry,
  type SnoozeTarget,
} from "../backups/snooze";

export const DEFAULT_TASKS_EVERY_SEC = 120;
export const MIN_BACKUP_INTERVAL_SEC = 60;

export interface HealthSettings {
  /** Read backups and cluster health at all. */
  enabled: boolean;
  /** Notify failed tasks, HA errors/fencing and Ceph changes. */
  notify: boolean;
  /** The notification filter (guest entries apply to events about a guest). */
  mode: NotifyMode;
  patterns: string;
  thresholds: BackupThresholds;
  /** Guests that never nag (notification filter syntax). */
  exclude: string;
  ignoreUncovered: boolean;
  intervalSec: number;
  tasksEverySec: number;
  /** The notifications' rate limit (Settings → Notifications), 0 = off; flapping detection as for guests. */
  rateLimitSec: number;
  /** For scrubbing texts, as the monitor's pipeline does. */
  tokenId: string;
  secret: string;
}

export const DEFAULT_HEALTH_SETTINGS: Readonly<HealthSettings> = Object.freeze({
  enabled: true,
  notify: true,
  mode: "all" as NotifyMode,
  patterns: "",
  thresholds: DEFAULT_THRESHOLDS,
  exclude: "",
  ignoreUncovered: false,
  intervalSec: DEFAULT_READ_INTERVAL_SEC,
  tasksEverySec: DEFAULT_TASKS_EVERY_SEC,
  rateLimitSec: DEFAULT_MIN_INTERVAL_SEC,
  tokenId: "",
  secret: "",
});

export interface HealthSessionDeps {
  scheduler: Scheduler;
  client: ReaderClient;
  settings: HealthSettings;
  tr?: Translator;
  log?: Logger;
  notify?: (n: Notification) => void;
  /** The current snooze list (the widget's settings). */
  snoozes(): readonly SnoozeEntry[];
  /** Called with the list after entries ran out. */
  saveSnoozes?(entries: readonly SnoozeEntry[]): void;
  offset?: LocalOffset;
}

export interface HealthState {
  /** The last full read turned into rows; null before the first. */
  report: BackupReport | null;
  ha: HaStatus | null;
  ceph: CephStatus | null;
  features: FeatureStatus[];
  /** Epoch seconds of the last full read, or null. */
  readAt: number | null;
  reading: boolean;
}

export interface HealthSession {
  /** Every successful refresh's snapshot: reads only when something is due. */
  onSnapshot(snapshot: Snapshot): Promise<void>;
  state(): HealthState;
  onChange(listener: () => void): void;
  stats(): { reads: number; taskReads: number; requests: number; refreshes: number };
  dispose(): void;
}

function pseudoEvent(g: GuestInfo): ChangeEvent {
  return {
    kind: "guest-added",
    key: g.type + "/" + g.vmid,
    vmid: g.vmid,
    guestType: g.type,
    name: g.name,
    node: g.node,
    tags: g.tags,
  } as ChangeEvent;
}

/** The notification filter's guest entries over events about a guest; others pass. */
export function passesHealthFilter(
  e: HealthEvent,
  guests: readonly GuestInfo[],
  mode: NotifyMode,
  compiled: CompiledFilter,
): boolean {
  if (mode === "all" || e.vmid === undefined) return true;
  const g = guests.filter((x) => x.vmid === e.vmid)[0];
  const hit = g
    ? matchesFilter(pseudoEvent(g), compiled)
    : matchesFilter(
        { kind: "guest-added", key: "?/" + e.vmid, vmid: e.vmid } as ChangeEvent,
        compiled,
      );
  return mode === "whitelist" ? hit : !hit;
}

function stateOf(snapshot: Snapshot | null): (t: SnoozeTarget) => string | null {
  return (t) => {
    if (snapshot === null) return null;
    if (t.kind === "guest") {
      const g = snapshot.guests.filter((x) => x.vmid === t.vmid)[0];
      return g ? g.status : "absent";
    }
    const n = snapshot.nodes.filter((x) => x.name === t.node)[0];
    return n ? n.status : "absent";
  };
}

export function createHealthSession(deps: HealthSessionDeps): HealthSession {
  const tr = deps.tr ?? plainTranslator;
  const log: Logger = deps.log ?? function () {};
  const settings = deps.settings;
  const offset = deps.offset ?? UTC_OFFSET;
  // Closed by dispose(): a full read is many requests in a row, and none of
  // them may start once the widget is gone.
  const link = closableClient(deps.client);
  const reader = createBackupReader({
    client: link.client,
    clock: () => deps.scheduler.now(),
    intervalSec: Math.max(MIN_BACKUP_INTERVAL_SEC, settings.intervalSec),
  });
  const failed = createFailedTaskTracker();
  const health = createHealthTracker();
  const limiter = createHealthLimiter({ minIntervalSec: settings.rateLimitSec });
  const compiled = parseFilter(settings.patterns, tr);
  const excluded = parseFilter(settings.exclude, tr);
  const listeners: Array<() => void> = [];
  let state: HealthState = {
    report: null,
    ha: null,
    ceph: null,
    features: [],
    readAt: null,
    reading: false,
  };
  let lastTasksMs: number | null = null;
  let busy = false;
  let disposed = false;
  let refreshes = 0;

  function changed(): void {
    for (const l of listeners.slice()) {
      try {
        l();
      } catch (err) {
        log("warn", "health listener failed: " + String(err));
      }
    }
  }

  function scrub(n: Notification): Notification {
    if (settings.tokenId === "") return n;
    n.title = redactTokenId(n.title, settings.tokenId, settings.secret);
    n.body = redactTokenId(n.body, settings.tokenId, settings.secret);
    return n;
  }

  function deliver(events: HealthEvent[], snapshot: Snapshot): void {
    const nowSec = Math.floor(deps.scheduler.now() / 1000);
    const before = deps.snoozes();
    const entries = expireSnoozes(before, nowSec, stateOf(snapshot));
    if (entries !== before && deps.saveSnoozes) deps.saveSnoozes(entries);
    if (!settings.notify || !deps.notify) return;
    const wanted = applySnoozes(entries, events, nowSec).filter((e) =>
      passesHealthFilter(e, snapshot.guests, settings.mode, compiled),
    );
    // Called on every cycle, with no events too: held-back ones and
    // settled flapping come due with time.
    const admitted = limiter.admit(wanted, deps.scheduler.now());
    for (const n of composeAdmittedHealth(admitted, tr)) {
      log("debug", "notify [health " + n.kind + "] " + n.title);
      try {
        deps.notify(scrub(n));
      } catch (err) {
        log("warn", "notification delivery failed: " + String(err));
      }
    }
  }

  async function cycle(snapshot: Snapshot): Promise<void> {
    let events: HealthEvent[] = [];
    const now = deps.scheduler.now();
    if (reader.isDue()) {
      state = { ...state, reading: true };
      changed();
      const data = await reader.read({
        guests: snapshot.guests,
        nodes: snapshot.nodes.filter((n) => n.status === "online").map((n) => n.name),
        storage: snapshot.storage,
      });
      if (disposed) return;
      lastTasksMs = now;
      const ha = data.ha ?? haFromSnapshot(snapshot);
      // An unreadable task list must not make the tracker forget what it saw.
      if (data.recentTasks !== null) events = events.concat(failed.update(data.recentTasks));
      events = events.concat(health.updateHa(ha)).concat(health.updateCeph(data.ceph));
      state = {
        report: buildReport(data, snapshot.guests, {
          thresholds: settings.thresholds,
          exclude: excluded,
          ignoreUncovered: settings.ignoreUncovered,
          offset,
        }),
        ha,
        ceph: data.ceph,
        features: data.features,
        readAt: data.at,
        reading: false,
      };
      log("debug", "backups: full read, " + data.requests + " requests");
    } else if (lastTasksMs === null || now - lastTasksMs >= settings.tasksEverySec * 1000) {
      lastTasksMs = now;
      const tasks = await reader.readRecentTasks();
      if (disposed) return;
      if (tasks !== null) events = events.concat(failed.update(tasks));
      const ha = haFromSnapshot(snapshot);
      events = events.concat(health.updateHa(ha));
      if (state.report !== null) state = { ...state, ha: mergeHa(state.ha, ha) };
      if (tasks !== null && state.report !== null) {
        // New failures show in "Recent problems" before the next full read.
        const known: Record<string, true> = {};
        for (const f of state.report.failedTasks) known[f.upid] = true;
        const fresh = events
          .filter((e) => e.kind === "task-failed" && known[e.key.slice(5)] !== true)
          .map((e) => {
            const t = tasks.filter((x) => "task/" + x.upid === e.key)[0];
            return {
              upid: e.key.slice(5),
              node: e.node ?? "",
              type: e.what,
              id: t ? t.id : null,
              endtime: e.at ?? null,
              exitstatus: e.detail,
            };
          });
        if (fresh.length > 0)
          state = {
            ...state,
            report: { ...state.report, failedTasks: fresh.concat(state.report.failedTasks) },
          };
      }
    } else {
      const ha = haFromSnapshot(snapshot);
      events = events.concat(health.updateHa(ha));
      // The HA badge follows every refresh (no request: hastate is in /cluster/resources).
      if (state.report !== null) state = { ...state, ha: mergeHa(state.ha, ha) };
    }
    deliver(events, snapshot);
    changed();
  }

  return {
    async onSnapshot(snapshot) {
      if (disposed || !settings.enabled) return;
      refreshes++;
      reader.observe(snapshot.guests);
      // Reads never overlap: a slow full read just skips the refreshes it spans.
      if (busy) return;
      busy = true;
      try {
        await cycle(snapshot);
      } catch (err) {
        if (disposed) return;
        // Where it broke, for a bug report (the stack names only bundle lines).
        const where = err instanceof Error && typeof err.stack === "string" ? err.stack : "";
        log(
          "warn",
          "backups: read failed: " +
            String(err) +
            (where ? " at " + where.split("\n").slice(0, 3).join(" < ") : ""),
        );
        state = { ...state, reading: false };
      } finally {
        busy = false;
      }
    },
    state: () => state,
    onChange(listener) {
      listeners.push(listener);
    },
    stats() {
      return { ...reader.stats(), refreshes };
    },
    dispose() {
      disposed = true;
      link.close();
      listeners.length = 0;
    },
  };
}

/** HA details from the full read, states from the latest refresh. */
function mergeHa(full: HaStatus | null, fresh: HaStatus): HaStatus {
  if (full === null) return fresh;
  const crm: Record<string, string | null> = {};
  for (const s of full.services) crm[s.sid] = s.crmState;
  return {
    ...full,
    services: fresh.services.map((s) => ({ ...s, crmState: crm[s.sid] ?? null })),
  };
}
