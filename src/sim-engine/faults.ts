// Injected failures: what a monitor meets in the field (expired token, a
// revoked privilege, a node behind the proxy gone, a captive portal, a
// stalled connection). The board only decides which request is hit; the
// transport carrying the request acts the failure out.

import type { ApiReply } from "./reply";
import { JSON_CONTENT_TYPE, emptyReply, errorReply } from "./reply";
import type { Errors } from "./validate";
import { checkEnum, checkNumber, checkObject, checkString, join } from "./validate";

export const FAULT_KINDS = [
  "401",
  "403",
  "500",
  "595",
  "596",
  "error",
  "hang",
  "reset",
  "html",
  "garbage",
  "huge",
  "slow",
  "delay",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** API path ("/cluster/resources"), a prefix ending in "*" ("/nodes/*"), or null for every API request. */
  path: string | null;
  /** "GET", "POST", ...; null for any. */
  method: string | null;
  /** How many requests it hits; null until cleared. */
  times: number | null;
  /** Status for "error" (default 500) and "html" (default 200). */
  status: number | null;
  /** Reason/message for 401, 403, 500, 595, 596, error. */
  message: string | null;
  /** For 403: the ACL path and privilege named in "Permission check failed (path, priv)". */
  aclPath: string | null;
  privilege: string | null;
  /** For "huge": body size (default 50 MiB). */
  bytes: number | null;
  /** For "slow": time over which the body trickles out; for "delay": wait before answering. */
  delayMs: number | null;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Requests hit so far. */
  hits: number;
}

export interface FaultBoard {
  add(spec: FaultSpec, id?: string): ActiveFault;
  /** Removes the fault with that id, or all of them; returns how many went. */
  clear(id?: string): number;
  list(): ActiveFault[];
  /** The fault for this request, counting the hit; null when none applies. */
  take(method: string, path: string): ActiveFault | null;
}

export const HUGE_DEFAULT_BYTES = 50 * 1024 * 1024;
export const SLOW_DEFAULT_MS = 10000;
export const DELAY_DEFAULT_MS = 5000;

export function createFaultBoard(): FaultBoard {
  let faults: ActiveFault[] = [];
  let counter = 0;
  return {
    add(spec, id) {
      counter += 1;
      const fault: ActiveFault = copyFault(spec, id ?? `f${counter}`);
      faults = faults.filter((f) => f.id !== fault.id);
      faults.push(fault);
      return fault;
    },
    clear(id) {
      const before = faults.length;
      faults = id === undefined ? [] : faults.filter((f) => f.id !== id);
      return before - faults.length;
    },
    list: () => faults.map((f) => copyFault(f, f.id, f.hits)),
    take(method, path) {
      for (const fault of faults) {
        if (fault.method !== null && fault.method !== method.toUpperCase()) continue;
        if (!pathMatches(fault.path, path)) continue;
        fault.hits += 1;
        if (fault.times !== null && fault.hits >= fault.times) {
          faults = faults.filter((f) => f !== fault);
        }
        return fault;
      }
      return null;
    },
  };
}

function copyFault(spec: FaultSpec, id: string, hits = 0): ActiveFault {
  return {
    id,
    hits,
    kind: spec.kind,
    path: spec.path,
    method: spec.method,
    times: spec.times,
    status: spec.status,
    message: spec.message,
    aclPath: spec.aclPath,
    privilege: spec.privilege,
    bytes: spec.bytes,
    delayMs: spec.delayMs,
  };
}

function pathMatches(pattern: string | null, path: string): boolean {
  if (pattern === null || pattern === "*") return true;
  if (pattern.charAt(pattern.length - 1) === "*") {
    return path.indexOf(pattern.slice(0, -1)) === 0;
  }
  return pattern === path;
}

/** "/api2/json/cluster/resources?x" and "cluster/resources" both mean "/cluster/resources". */
export function normaliseApiPath(path: string): string {
  let p = path.split("?")[0] ?? "";
  if (p.indexOf("/api2/json") === 0) p = p.slice("/api2/json".length);
  if (p.charAt(0) !== "/") p = "/" + p;
  if (p.length > 1 && p.charAt(p.length - 1) === "/" && p.charAt(p.length - 2) !== "*")
    p = p.slice(0, -1);
  return p;
}

const FAULT_FIELDS = [
  "kind",
  "path",
  "method",
  "times",
  "status",
  "message",
  "aclPath",
  "privilege",
  "bytes",
  "delayMs",
  "id",
];

/** Validates a fault written by hand; `id` is returned apart because only the board owns ids. */
export function parseFault(
  value: unknown,
  path: string,
  errors: Errors,
): { spec: FaultSpec; id: string | null } | undefined {
  const before = errors.length;
  const o = checkObject(value, path, errors, FAULT_FIELDS);
  if (!o) return undefined;
  const kind = checkEnum(o.kind, join(path, "kind"), errors, FAULT_KINDS);
  const spec: FaultSpec = {
    kind: kind ?? "500",
    path: null,
    method: null,
    times: null,
    status: null,
    message: null,
    aclPath: null,
    privilege: null,
    bytes: null,
    delayMs: null,
  };
  if (o.path !== undefined && o.path !== null && o.path !== "all") {
    const p = checkString(
      o.path,
      join(path, "path"),
      errors,
      /^\/?[^\s?#]*$/,
      'an API path like "/cluster/resources" or "/nodes/*"',
    );
    if (p !== undefined) spec.path = p === "*" ? null : normaliseApiPath(p);
  }
  if (o.method !== undefined && o.method !== null) {
    const m = checkEnum(o.method, join(path, "method"), errors, [
      "GET",
      "POST",
      "PUT",
      "DELETE",
    ] as const);
    if (m) spec.method = m;
  }
  if (o.times !== undefined && o.times !== null) {
    if (o.times === "once") spec.times = 1;
    else if (o.times !== "always") {
      const t = checkNumber(o.times, join(path, "times"), errors, { min: 1, integer: true });
      if (t !== undefined) spec.times = t;
    }
  }
  if (o.status !== undefined && o.status !== null) {
    const s = checkNumber(o.status, join(path, "status"), errors, {
      min: 100,
      max: 999,
      integer: true,
    });
    if (s !== undefined) spec.status = s;
  }
  if (o.message !== undefined && o.message !== null) {
    const m = checkString(o.message, join(path, "message"), errors);
    if (m !== undefined) spec.message = m;
  }
  if (o.aclPath !== undefined && o.aclPath !== null) {
    const a = checkString(
      o.aclPath,
      join(path, "aclPath"),
      errors,
      /^\//,
      'an ACL path starting with "/"',
    );
    if (a !== undefined) spec.aclPath = a;
  }
  if (o.privilege !== undefined && o.privilege !== null) {
    const p = checkString(
      o.privilege,
      join(path, "privilege"),
      errors,
      /^[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)+$/,
      'a privilege name like "Sys.Audit"',
    );
    if (p !== undefined) spec.privilege = p;
  }
  if (o.bytes !== undefined && o.bytes !== null) {
    const b = checkNumber(o.bytes, join(path, "bytes"), errors, { min: 1, integer: true });
    if (b !== undefined) spec.bytes = b;
  }
  if (o.delayMs !== undefined && o.delayMs !== null) {
    const d = checkNumber(o.delayMs, join(path, "delayMs"), errors, { min: 0 });
    if (d !== undefined) spec.delayMs = d;
  }
  let id: string | null = null;
  if (o.id !== undefined && o.id !== null) {
    const i = checkString(
      o.id,
      join(path, "id"),
      errors,
      /^[A-Za-z0-9_.-]{1,64}$/,
      "a short id (letters, digits, _ . -)",
    );
    if (i !== undefined) id = i;
  }
  return errors.length === before ? { spec, id } : undefined;
}

export const HTML_FAULT_BODY =
  "<!DOCTYPE html>\n<html><head><title>Network Login</title></head>\n" +
  '<body><h1>Sign in to continue</h1><form method="post" action="/login">' +
  '<input name="user"><input name="pass" type="password"></form></body></html>\n';

export const GARBAGE_FAULT_BODY =
  '{"data":[{"id":"qemu/100","type":"qemu","status":"runn\u0007\u0001}]]{{"data"::,,\u007f' +
  "\u00ff\u00fe garbage after truncation ###";

/**
 * What a fault answers when it is a whole reply; null for the kinds the
 * transport must act out itself (hang, reset, slow, delay, huge).
 */
export function faultReply(fault: FaultSpec, messageInBody: boolean): ApiReply | null {
  switch (fault.kind) {
    case "401": {
      const r = emptyReply(401, fault.message ?? "Authentication failed!");
      r.authFailed = true;
      return r;
    }
    case "403":
      return errorReply(
        403,
        fault.message ??
          `Permission check failed (${fault.aclPath ?? "/"}, ${fault.privilege ?? "Sys.Audit"})`,
        { messageInBody },
      );
    case "500":
      return errorReply(fault.status ?? 500, fault.message ?? "simulated internal error", {
        messageInBody,
      });
    case "error":
      return errorReply(fault.status ?? 500, fault.message ?? "simulated error", { messageInBody });
    case "595":
      return emptyReply(595, fault.message ?? "No route to host");
    case "596":
      return emptyReply(596, fault.message ?? "Connection timed out");
    case "html":
      return {
        status: fault.status ?? 200,
        reason: (fault.status ?? 200) === 200 ? "OK" : "Error",
        body: HTML_FAULT_BODY,
        contentType: "text/html; charset=utf-8",
      };
    case "garbage":
      return {
        status: fault.status ?? 200,
        reason: "OK",
        body: GARBAGE_FAULT_BODY,
        contentType: JSON_CONTENT_TYPE,
      };
    default:
      return null;
  }
}

/**
 * A syntactically valid `{"data":[...]}` of about `bytes` bytes, in pieces,
 * so a monitor without a size limit really has to swallow it. A generator so
 * the HTTPS simulator can respect back-pressure.
 */
export function* hugeBodyChunks(
  bytes: number,
  chunkBytes: number,
): Generator<string, void, unknown> {
  const head = '{"data":[';
  const tail = "]}";
  const item =
    '{"id":"qemu/100","vmid":100,"type":"qemu","node":"pve1","status":"running","name":"padding-padding-padding"}';
  let sent = head.length + tail.length;
  yield head;
  let piece = "";
  let first = true;
  while (sent + item.length + 1 <= bytes) {
    piece += (first ? "" : ",") + item;
    sent += item.length + (first ? 0 : 1);
    first = false;
    if (piece.length >= chunkBytes) {
      yield piece;
      piece = "";
    }
  }
  if (piece) yield piece;
  yield tail;
}
