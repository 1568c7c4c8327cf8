// Worker tasks as pvedaemon runs them for guest power actions: a POST
// answers at once with a UPID, the task runs for a few simulated seconds,
// then ends with an exit status ("OK", "WARNINGS: n" or the error text) and
// the guest's state changes. For an HA-managed guest the task is hastart or
// hastop, which only queues a request and ends at once; the HA manager moves
// the guest a few seconds later (pve-ha-manager's CRM/LRM cycle).

import type { PendingEvent, SimCluster, SimGuest } from "./cluster-model";
import { findGuest, performAction } from "./cluster-model";
import type { GuestPowerAction, SimAction } from "./spec";

/** The API's action names, as in POST …/status/{action}. */
export type ApiPowerAction =
  "start" | "stop" | "shutdown" | "reboot" | "reset" | "suspend" | "resume";

export interface SimTask {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  vmid: number;
  action: ApiPowerAction;
  /** Simulated second it ends. */
  endsAt: number;
  /** null while running. */
  exitstatus: string | null;
}

export interface TaskSettings {
  /** How long a worker task runs (simulated seconds). */
  seconds: number;
  /** How long the HA manager takes to act on a queued request. */
  haSeconds: number;
  /** Forced exit statuses by "vmid" or "vmid:action", e.g. {"101": "WARNINGS: 2"}. */
  exitstatus: Record<string, string>;
}

export const DEFAULT_TASK_SETTINGS: TaskSettings = Object.freeze({
  seconds: 2,
  haSeconds: 5,
  exitstatus: Object.freeze({}) as Record<string, string>,
});

/** 2026-01-01T00:00:00Z: simulated second 0, for task start times. */
export const SIM_EPOCH = 1767225600;

const TASK_TYPES: Record<string, Record<ApiPowerAction, string>> = {
  qemu: {
    start: "qmstart",
    stop: "qmstop",
    shutdown: "qmshutdown",
    reboot: "qmreboot",
    reset: "qmreset",
    suspend: "qmpause",
    resume: "qmresume",
  },
  lxc: {
    start: "vzstart",
    stop: "vzstop",
    shutdown: "vzshutdown",
    reboot: "vzreboot",
    reset: "vzreset",
    suspend: "vzsuspend",
    resume: "vzresume",
  },
};

/** Upper-case hex, zero-padded to `width` (UPID fields). */
export function hex(value: number, width: number): string {
  let s = Math.floor(value).toString(16).toUpperCase();
  while (s.length < width) s = "0" + s;
  return s;
}

export function isHaManaged(guest: SimGuest): boolean {
  return guest.hastate !== null && guest.hastate !== "ignored";
}

/** The model's action for an API action (QEMU's suspend without todisk is a pause). */
function modelAction(guest: SimGuest, action: ApiPowerAction): GuestPowerAction {
  if (action === "suspend") return guest.type === "qemu" ? "pause" : "suspend";
  if (action === "reset") return "reset";
  return action;
}

/** Starts a task for `action` on `guest`; the guest changes when it ends. */
export function startTask(cluster: SimCluster, guest: SimGuest, action: ApiPowerAction): SimTask {
  cluster.taskCounter += 1;
  const ha =
    isHaManaged(guest) && (action === "start" || action === "stop" || action === "shutdown");
  const type = ha
    ? action === "start"
      ? "hastart"
      : "hastop"
    : (TASK_TYPES[guest.type] as Record<ApiPowerAction, string>)[action];
  const pid = 100000 + cluster.taskCounter * 17;
  // pstart is in clock ticks since boot; a long-running node needs 9 hex digits.
  const pstart = 0x100000000 + cluster.taskCounter * 1000 + Math.floor(cluster.elapsed * 100);
  const starttime = SIM_EPOCH + Math.floor(cluster.elapsed);
  const user = cluster.token ? cluster.token.id : "root@pam";
  const upid = `UPID:${guest.node}:${hex(pid, 8)}:${hex(pstart, 9)}:${hex(starttime, 8)}:${type}:${guest.vmid}:${user}:`;
  const task: SimTask = {
    upid,
    node: guest.node,
    pid,
    pstart,
    starttime,
    type,
    id: String(guest.vmid),
    user,
    vmid: guest.vmid,
    action,
    endsAt: cluster.elapsed + (ha ? 0 : cluster.taskSettings.seconds),
    exitstatus: null,
  };
  cluster.tasks.push(task);
  if (cluster.tasks.length > 500) cluster.tasks.splice(0, cluster.tasks.length - 500);
  if (ha) {
    // The HA task only writes the request; it is over right away.
    task.exitstatus = "OK";
    cluster.pending.push({
      at: cluster.elapsed + cluster.taskSettings.haSeconds,
      op: "ha-apply",
      vmid: guest.vmid,
      action: modelAction(guest, action),
    });
    guest.hastate = action === "start" ? "started" : "stopped";
  } else {
    cluster.pending.push({ at: task.endsAt, op: "task-end", upid });
  }
  return task;
}

export function findTask(cluster: SimCluster, upid: string): SimTask | undefined {
  for (const t of cluster.tasks) if (t.upid === upid) return t;
  return undefined;
}

/** Ends a task: the forced exit status if the scenario has one, else what the action did. */
export function endTask(
  cluster: SimCluster,
  event: Extract<PendingEvent, { op: "task-end" }>,
): { action: SimAction; error: string | null } {
  const task = findTask(cluster, event.upid);
  if (!task) return { action: { action: "unlock", vmid: 0 }, error: "task is gone" };
  const guest = findGuest(cluster, task.vmid);
  const action: SimAction = {
    action: guest ? modelAction(guest, task.action) : (task.action as GuestPowerAction),
    vmid: task.vmid,
  };
  const forced =
    cluster.taskSettings.exitstatus[`${task.vmid}:${task.action}`] ??
    cluster.taskSettings.exitstatus[String(task.vmid)];
  const succeeds = forced === undefined || forced === "OK" || /^WARNINGS: \d+$/.test(forced);
  const error = succeeds ? performAction(cluster, action) : null;
  task.exitstatus = error !== null ? error : (forced ?? "OK");
  return { action, error: succeeds ? error : (forced ?? null) };
}

/** GET /nodes/{node}/tasks/{upid}/status */
export function renderTaskStatus(task: SimTask): Record<string, unknown> {
  const out: Record<string, unknown> = {
    upid: task.upid,
    node: task.node,
    pid: task.pid,
    pstart: task.pstart,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    user: task.user.split("!")[0],
    status: task.exitstatus === null ? "running" : "stopped",
  };
  if (task.user.indexOf("!") >= 0) out.tokenid = task.user.split("!")[1];
  if (task.exitstatus !== null) out.exitstatus = task.exitstatus;
  return out;
}
