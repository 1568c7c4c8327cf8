// The cluster-health loop `proxmon watch` (and later the widget) runs next
// to the normal refresh: /cluster/tasks every `tasksEverySec` (default 60)
// for new failed tasks, HA states from the refresh's own `hastate`, and a full backup read (jobs, node task lists,
// logs, HA, Ceph) when the reader says it is due. New problems become
// pipeline-shaped notifications, minus what a snooze or maintenance
// entry silences. Everything comes in injected; nothing at module level.

import type { Notification } from "../notify/limiter";
import { plainTranslator, type Translator } from "../notify/message";
import type { Scheduler } from "../scheduler";
import type { Snapshot } from "../model/types";
import type { HaStatus } from "./decode";
import {
  composeAdmittedHealth,
  createFailedTaskTracker,
  createHealthTracker,
  type HealthEvent,
} from "./events";
import { createHealthLimiter } from "./health-limiter";
import { createBackupReader, type ReaderClient } from "./reader";
import { applySnoozes, expireSnoozes, type SnoozeEntry, type SnoozeTarget } from "./snooze";

export interface HealthWatchOptions {
  client: ReaderClient;
  scheduler: Scheduler;
  tr?: Translator;
  /** The latest snapshot of the normal refresh (guests, nodes, storage), or null. */
  snapshot(): Snapshot | null;
  /** Current snooze entries; `update` receives the list after expiry. */
  snoozes(): readonly SnoozeEntry[];
  updateSnoozes?(entries: readonly SnoozeEntry[]): void;
  emit(n: Notification): void;
  tasksEverySec?: number;
  backupsEverySec?: number;
  /** Rate limit of repeated problems (as `--rate-limit` for guests); default 120, 0 = off. */
  rateLimitSec?: number;
}

export interface HealthWatch {
  /** One cycle now (tests call it directly); resolves when done. */
  tick(): Promise<void>;
  stop(): void;
  stats(): { reads: number; taskReads: number; requests: number };
}

/** HA states come free with every refresh (`hastate` in /cluster/resources). */
export function haFromSnapshot(snapshot: Snapshot): HaStatus {
  const services: HaStatus["services"] = [];
  for (const g of snapshot.guests) {
    if (g.hastate === null) continue;
    services.push({
      sid: (g.type === "lxc" ? "ct:" : "vm:") + g.vmid,
      vmid: g.vmid,
      node: g.node,
      state: g.hastate,
      crmState: null,
    });
  }
  return { quorate: null, master: null, services, lrm: [] };
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

export function createHealthWatch(options: HealthWatchOptions): HealthWatch {
  const tr = options.tr ?? plainTranslator;
  const reader = createBackupReader({
    client: options.client,
    clock: () => options.scheduler.now(),
    intervalSec: options.backupsEverySec,
    // Watching needs tasks, HA and Ceph; volumes only matter for `backups`.
    readStorage: false,
  });
  const failed = createFailedTaskTracker();
  const health = createHealthTracker();
  const limiter = createHealthLimiter({ minIntervalSec: options.rateLimitSec });
  const everyMs = (options.tasksEverySec ?? 60) * 1000;
  let cancel: (() => void) | null = null;
  let stopped = false;

  // Cycles never overlap: a late full read must not rewind what a newer
  // /cluster/tasks read has already reported.
  let chain: Promise<void> = Promise.resolve();
  function tick(): Promise<void> {
    chain = chain.then(cycle, cycle);
    return chain;
  }

  async function cycle(): Promise<void> {
    const snapshot = options.snapshot();
    let events: HealthEvent[] = [];
    if (snapshot !== null) reader.observe(snapshot.guests);
    if (snapshot !== null && reader.isDue()) {
      const data = await reader.read({
        guests: snapshot.guests,
        nodes: snapshot.nodes.filter((n) => n.status === "online").map((n) => n.name),
        storage: snapshot.storage,
      });
      events = events.concat(failed.update(data.recentTasks ?? []));
      events = events.concat(health.updateHa(data.ha ?? haFromSnapshot(snapshot)));
      events = events.concat(health.updateCeph(data.ceph));
    } else {
      const tasks = await reader.readRecentTasks();
      if (tasks !== null) events = events.concat(failed.update(tasks));
      if (snapshot !== null) events = events.concat(health.updateHa(haFromSnapshot(snapshot)));
    }
    const nowSec = Math.floor(options.scheduler.now() / 1000);
    const before = options.snoozes();
    const entries = expireSnoozes(before, nowSec, stateOf(snapshot));
    if (entries !== before && options.updateSnoozes) options.updateSnoozes(entries);
    const wanted = applySnoozes(entries, events, nowSec);
    const admitted = limiter.admit(wanted, options.scheduler.now());
    for (const n of composeAdmittedHealth(admitted, tr)) options.emit(n);
  }

  function loop(): void {
    if (stopped) return;
    cancel = options.scheduler.schedule(everyMs, () => {
      tick().then(loop, loop);
    });
  }
  // The first cycle is the baseline: it learns what has failed already.
  tick().then(loop, loop);

  return {
    tick,
    stop() {
      stopped = true;
      if (cancel) cancel();
    },
    stats: () => reader.stats(),
  };
}
