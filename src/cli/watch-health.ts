// Backups (issue 13) in `proxmon watch`: --snooze / --maintenance flags and
// the cluster-health loop (failed tasks, HA, Ceph) next to the monitor.

import type { Notification } from "../notify/limiter";
import type { Snapshot } from "../model/types";
import { createHealthWatch, type HealthWatch } from "../backups/watcher";
import { applySnoozes, parseTarget, setSnooze, type SnoozeEntry } from "../backups/snooze";
import { booleanFlag, parseSeconds, stringFlag, type FlagSpec, type ParsedArgs } from "./args";
import { openApi, type Connection } from "./connection";
import { usageError } from "./io";
import { DEFAULT_NOTIFICATION_SETTINGS } from "../notify/pipeline";
import type { Scheduler } from "../scheduler";

export const HEALTH_WATCH_FLAGS: FlagSpec[] = [
  {
    name: "snooze",
    kind: "string",
    value: "VMID[:SECONDS]|node:NAME[:SECONDS]",
    help: "no notifications about it for SECONDS (default 3600); comma separated",
  },
  {
    name: "maintenance",
    kind: "string",
    value: "VMID|node:NAME",
    help: "no notifications about it while watch runs; comma separated",
  },
  {
    name: "health-interval",
    kind: "string",
    value: "SECONDS",
    help: "how often /cluster/tasks is read for failed tasks (default 60, at least 5)",
  },
  {
    name: "no-cluster-health",
    kind: "boolean",
    help: "no notifications for failed tasks, HA errors and Ceph health",
  },
];

/** "101:600,node:pve2" → entries relative to nowSec. */
export function parseSnoozeFlags(
  snooze: string | undefined,
  maintenance: string | undefined,
  nowSec: number,
): SnoozeEntry[] {
  let out: SnoozeEntry[] = [];
  for (const raw of (snooze ?? "").split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const colon = item.lastIndexOf(":");
    const hasSeconds =
      colon > 0 && /^\d+$/.test(item.slice(colon + 1)) && item.slice(0, colon) !== "node";
    const target = parseTarget(hasSeconds ? item.slice(0, colon) : item);
    if (target === null)
      throw usageError("--snooze takes VMID[:SECONDS] or node:NAME[:SECONDS] entries");
    const seconds = hasSeconds
      ? parseSeconds(item.slice(colon + 1), "--snooze SECONDS", 1, 366 * 86400)
      : 3600;
    out = setSnooze(out, { ...target, mode: "until", until: nowSec + Math.floor(seconds) });
  }
  for (const raw of (maintenance ?? "").split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const target = parseTarget(item);
    if (target === null) throw usageError("--maintenance takes VMID or node:NAME entries");
    out = setSnooze(out, { ...target, mode: "maintenance" });
  }
  return out;
}

/** Drops the monitor's notifications whose every change is snoozed; keeps the rest whole. */
export function filterSnoozed(
  n: Notification,
  entries: readonly SnoozeEntry[],
  nowSec: number,
): boolean {
  if (entries.length === 0 || n.events.length === 0) return true;
  return applySnoozes(entries, n.events, nowSec).length > 0;
}

/** `--rate-limit SECONDS` (0 = off): guests' changes and cluster problems alike. */
export function rateLimitFlag(args: ParsedArgs): number {
  const text = stringFlag(args, "rate-limit");
  return text === undefined
    ? DEFAULT_NOTIFICATION_SETTINGS.rateLimitSeconds
    : parseSeconds(text, "--rate-limit", 0, 86400);
}

export interface HealthWatchHandle {
  snoozes(): readonly SnoozeEntry[];
  stop(): void;
}

export function startHealthWatch(
  args: ParsedArgs,
  connection: Connection,
  secret: string,
  snapshot: () => Snapshot | null,
  emit: (n: Notification) => void,
  initial: SnoozeEntry[],
  scheduler: Scheduler,
): HealthWatchHandle {
  let entries: readonly SnoozeEntry[] = initial;
  if (booleanFlag(args, "no-cluster-health")) {
    return { snoozes: () => entries, stop: () => undefined };
  }
  const every = stringFlag(args, "health-interval");
  const tasksEverySec =
    every === undefined ? 60 : parseSeconds(every, "--health-interval", 5, 86400);
  const api = openApi(connection, secret);
  const watch: HealthWatch = createHealthWatch({
    client: api.client,
    scheduler,
    snapshot,
    snoozes: () => entries,
    updateSnoozes: (next) => {
      entries = next;
    },
    emit,
    tasksEverySec,
    rateLimitSec: rateLimitFlag(args),
  });
  return {
    snoozes: () => entries,
    stop() {
      watch.stop();
      api.transport.close();
    },
  };
}
