// Every failure is a value with a class and a message a person can act on.
// The class decides what the widget shows (badge, hint, next step); the
// message is already readable. None of these ever carry the token secret.

import type { CertificateInfo } from "./transport";

export type ErrorClass =
  | "tls"
  | "unreachable"
  | "timeout"
  | "auth"
  | "permission"
  | "node-unreachable"
  | "server"
  | "bad-response"
  | "aborted"
  | "config";

export interface ProxmonError {
  kind: ErrorClass;
  /** One line, actionable, safe to show and log. */
  message: string;
  /** HTTP status when there was one. */
  status?: number;
  /** API path of the request that failed, e.g. "/cluster/resources". */
  path?: string;
  /** For "permission": the ACL path and privilege PVE named, e.g. "/nodes/pve", "Sys.Audit". */
  aclPath?: string;
  privilege?: string;
  /** For "tls": what the server presented, so the user can compare and pin it. */
  certificate?: CertificateInfo;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProxmonError };
