// The one request that starts a power action, and the UPID it answers with.

import type { ActionGuest, PowerAction } from "./rules";

export interface PowerOptions {
  /** Shutdown and reboot: seconds PVE waits for the guest (PVE's `timeout`). */
  timeoutSeconds?: number;
  /** Shutdown: hard stop when the timeout passes (PVE's `forceStop`). */
  forceStop?: boolean;
}

export interface PowerRequest {
  /** "/nodes/pve1/qemu/100/status/shutdown" */
  path: string;
  /** Form fields of the POST body. */
  params: Record<string, string>;
}

function seconds(value: number | undefined): string | null {
  if (value === undefined || !isFinite(value) || value < 0) return null;
  return String(Math.floor(value));
}

/** POST /nodes/{node}/{qemu|lxc}/{vmid}/status/{action} with only the parameters PVE knows for it. */
export function powerRequest(
  guest: Pick<ActionGuest, "vmid" | "type" | "node">,
  action: PowerAction,
  options: PowerOptions = {},
): PowerRequest {
  const params: Record<string, string> = {};
  if (action === "shutdown" || action === "reboot") {
    const timeout = seconds(options.timeoutSeconds);
    if (timeout !== null) params.timeout = timeout;
  }
  if (action === "shutdown" && options.forceStop) params.forceStop = "1";
  return {
    path:
      "/nodes/" +
      encodeURIComponent(guest.node) +
      "/" +
      guest.type +
      "/" +
      String(guest.vmid) +
      "/status/" +
      action,
    params,
  };
}

export interface Upid {
  /** The node the task runs on: its status is read there. */
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  /** Task type: qmstart, vzshutdown, hastart, … */
  type: string;
  /** Usually the VMID; may be empty. */
  id: string;
  /** user@realm, or user@realm!token for a token's task. */
  user: string;
  /** The text as received, for the status path. */
  text: string;
}

const MAX_UPID_LENGTH = 512;

function isHex(text: string, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const hex = (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    if (!digit && !hex) return false;
  }
  return true;
}

/** [^:\s/] as pve-common's regex has it; `allowEmpty` for the id field. */
function isField(text: string, allowEmpty: boolean): boolean {
  if (text.length === 0) return allowEmpty;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x2f || c === 0x3a || c === 0x85 || c === 0xa0) {
      return false;
    }
  }
  return true;
}

function isNodeName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    const dash = c === 45 && i > 0 && i < text.length - 1;
    if (!alnum && !dash) return false;
  }
  return true;
}

/**
 * pve-common's UPID format, checked without a regex over untrusted text:
 * UPID:node:pid(8 hex):pstart(8-9 hex):starttime(8 hex):type:id:user:
 */
export function parseUpid(value: unknown): Upid | null {
  if (typeof value !== "string" || value.length > MAX_UPID_LENGTH) return null;
  const parts = value.split(":");
  // "UPID", 7 fields, and the empty string after the trailing colon.
  if (parts.length !== 9 || parts[0] !== "UPID" || parts[8] !== "") return null;
  const [, node, pid, pstart, starttime, type, id, user] = parts as string[] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!isNodeName(node)) return null;
  if (!isHex(pid, 8, 8) || !isHex(pstart, 8, 9) || !isHex(starttime, 8, 8)) return null;
  if (!isField(type, false) || !isField(id, true) || !isField(user, false)) return null;
  return {
    node,
    pid: parseInt(pid, 16),
    pstart: parseInt(pstart, 16),
    starttime: parseInt(starttime, 16),
    type,
    id,
    user,
    text: value,
  };
}

/** The HA manager's tasks: they only queue a request and end at once. */
export function isHaTask(upid: Upid): boolean {
  return upid.type === "hastart" || upid.type === "hastop";
}

export function taskStatusPath(upid: Upid): string {
  return (
    "/nodes/" +
    encodeURIComponent(upid.node) +
    "/tasks/" +
    encodeURIComponent(upid.text) +
    "/status"
  );
}

export type TaskState = { running: true } | { running: false; exitstatus: string };

/**
 * GET /nodes/{node}/tasks/{upid}/status → running, or stopped with its exit
 * status (PVE leaves `exitstatus` out while running). null when the answer
 * is not that shape.
 */
export function decodeTaskStatus(data: unknown): TaskState | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const o = data as Record<string, unknown>;
  if (o.status === "running") return { running: true };
  if (o.status !== "stopped") return null;
  const exit = o.exitstatus;
  return { running: false, exitstatus: typeof exit === "string" ? exit : "unexpected status" };
}

export type ExitOutcome =
  { outcome: "ok" } | { outcome: "warnings"; warnings: number } | { outcome: "failed" };

/** pve-common's status_is_error: only "OK" and "WARNINGS: n" are success. */
export function classifyExitStatus(exitstatus: string): ExitOutcome {
  if (exitstatus === "OK") return { outcome: "ok" };
  const prefix = "WARNINGS: ";
  if (exitstatus.indexOf(prefix) === 0) {
    const count = exitstatus.slice(prefix.length);
    if (count.length > 0 && count.length <= 9 && /^[0-9]+$/.test(count)) {
      return { outcome: "warnings", warnings: parseInt(count, 10) };
    }
  }
  return { outcome: "failed" };
}
