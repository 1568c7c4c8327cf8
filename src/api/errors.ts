// Every failure is a value with a class and a message a person can act on.
// The class decides what the widget shows (badge, hint, next step); the
// message is already readable. None of these ever carry the token secret.

import { plainTranslator, type Translator } from "../notify/message";
import { codePointAt, isFormatCodePoint, replaceLoosely } from "./redact";
import type { CertificateInfo, TransportResponse, WireFailure } from "./transport";

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
  /** For a pin mismatch: the fingerprint that was pinned, shown next to the new one. */
  pinnedFingerprint256?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProxmonError };

// ---------------------------------------------------------------------------
// Classification. Pure functions: a transport reports what happened on the
// wire, these turn it into a class and a sentence. Everything a server sends
// (reason phrase, body) is untrusted: a hostile or confused server may echo
// our Authorization header back, so every message passes through
// redactSecret before it leaves this module.

/** What the classifiers need to know about the request that failed. */
export interface RequestContext {
  host: string;
  port: number;
  /** API path, e.g. "/cluster/resources". */
  path: string;
  /** The request's timeout, for "did not answer within 10 s". */
  timeoutMs?: number;
  /** The token secret, so that text echoed by the server can be scrubbed of it. */
  secret?: string;
  /** The widget's i18n; English (plainTranslator) by default, as in the CLI. */
  tr?: Translator;
}

function translator(ctx: RequestContext): Translator {
  return ctx.tr ?? plainTranslator;
}

/**
 * Fixed `WireFailure.detail` values that transports use to tell the
 * classifier about cases the failure kinds alone cannot express.
 */
export const WIRE_DETAIL = {
  /** "pin" policy: the leaf certificate's SHA-256 was not the pinned one. */
  pinMismatch: "certificate fingerprint mismatch",
  /** XMLHttpRequest status 0: refused, unreachable and untrusted TLS all look the same. */
  noResponse: "no response (connection refused, or a certificate the system does not trust)",
} as const;

/**
 * Response header a transport adds when it got a status line but could not
 * deliver the body (over its size limit, undecodable compression). Its value
 * says why; the body is then empty. Transports drop a server-sent header of
 * this name so only they can set it.
 */
export const BODY_ERROR_HEADER = "x-proxmon-body-error";

export const REDACTED = "[redacted]";
/** How much of a server's text is looked at; the rest can never reach a message. */
const SCAN_LIMIT = 64 * 1024;
const REASON_LIMIT = 200;
const PREVIEW_LIMIT = 80;

const TOKEN_HEADER_PATTERN = /PVEAPIToken(?:%3D|[=:\s])+[^\s;,"'<>]*/gi;
const UUID_AFTER_EQUALS =
  /(=|%3D)\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Removes the token secret (any case, even with invisible format characters
 * inserted into it), anything shaped like a PVEAPIToken
 * header value, and UUIDs written after '=' (how a secret looks when echoed
 * out of context).
 */
export function redactSecret(text: string, secret: string): string {
  let out = text;
  const trimmed = secret.trim();
  if (trimmed !== "") {
    out = replaceLoosely(out, trimmed, REDACTED);
  }
  out = out.replace(TOKEN_HEADER_PATTERN, "PVEAPIToken=" + REDACTED);
  return out.replace(UUID_AFTER_EQUALS, (_match, eq: string) => eq + REDACTED);
}

function isInvisible(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    isFormatCodePoint(code)
  );
}

/**
 * Line breaks and tabs become spaces: messages are one line. Other control
 * characters and every format character (bidi marks, zero-width ones, the
 * soft hyphen, tag characters: Unicode category Cf, see redact.ts) are
 * dropped, so they can neither reorder what is shown nor split a secret
 * into halves that redaction would miss.
 */
function blankInvisible(text: string): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length;) {
    const code = codePointAt(text, i);
    const size = code > 0xffff ? 2 : 1;
    if (isInvisible(code)) {
      parts.push(text.slice(start, i));
      if ((code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029) {
        parts.push(" ");
      }
      start = i + size;
    }
    i += size;
  }
  if (start === 0) {
    return text;
  }
  parts.push(text.slice(start));
  return parts.join("");
}

function truncate(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit - 1).trim() + "…" : text;
}

/**
 * Server text made safe to show: bounded, secret-free, one line. When the
 * text is longer than what is scanned, the word cut at the scan boundary is
 * dropped, since it could be the start of a secret the scan cannot see whole.
 */
function untrusted(text: string, ctx: RequestContext, limit: number): string {
  const cut = text.length > SCAN_LIMIT;
  let out = blankInvisible(cut ? text.slice(0, SCAN_LIMIT) : text);
  out = redactSecret(out, ctx.secret ?? "");
  if (cut) {
    // Drop the last word, by hand: /\S+$/ backtracks quadratically over a
    // long word that is followed by a space.
    let end = out.length;
    while (end > 0 && !isSpaceCode(out.charCodeAt(end - 1))) end--;
    out = out.slice(0, end);
  }
  return truncate(out.replace(/\s+/g, " ").trim(), limit);
}

function firstLine(text: string): string {
  const trimmed = text.replace(/^\s+/, "");
  const end = trimmed.search(/[\r\n]/);
  return end >= 0 ? trimmed.slice(0, end) : trimmed;
}

/**
 * The last defence: whatever was assembled, it is one line without the
 * secret. Server text was already scrubbed with any secret; here a secret too
 * short to be real (the client refuses those) would only mangle our own words.
 */
function finalMessage(message: string, ctx: RequestContext): string {
  const secret = ctx.secret !== undefined && ctx.secret.trim().length >= 8 ? ctx.secret : "";
  return redactSecret(blankInvisible(message), secret).replace(/\s+/g, " ").trim();
}

function fail(error: ProxmonError, ctx: RequestContext): ProxmonError {
  error.message = finalMessage(error.message, ctx);
  return error;
}

/** "pve.lan:8006", "[fe80::1]:8006" */
export function formatHostPort(host: string, port: number): string {
  const bare = host.charAt(0) === "[" ? host : host.indexOf(":") >= 0 ? "[" + host + "]" : host;
  return bare + ":" + String(port);
}

function formatDuration(ms: number): string {
  if (ms < 1000) {
    return String(Math.round(ms)) + " ms";
  }
  const tenths = Math.round(ms / 100);
  return (tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)) + " s";
}

// ---- wire failures --------------------------------------------------------

/** Network error codes, as words a person understands (templates stay literal for extraction). */
function networkDetail(code: string, tr: Translator): string | undefined {
  switch (code) {
    case "ECONNREFUSED":
      return tr("connection refused");
    case "ENOTFOUND":
      return tr("host name not found");
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return tr("host name lookup failed");
    case "ECONNRESET":
      return tr("connection reset");
    case "ECONNABORTED":
      return tr("connection aborted");
    case "EPIPE":
      return tr("connection closed");
    case "EHOSTUNREACH":
      return tr("no route to host");
    case "EHOSTDOWN":
      return tr("host is down");
    case "ENETUNREACH":
      return tr("network unreachable");
    case "ENETDOWN":
      return tr("network is down");
    case "ETIMEDOUT":
      return tr("connection timed out");
    case "EADDRNOTAVAIL":
      return tr("address not available");
    default:
      return undefined;
  }
}

/** Node's HTTP parser (llhttp) codes: the server answered, but wrongly. */
function protocolDetail(code: string, tr: Translator): string | undefined {
  switch (code) {
    case "HPE_INVALID_CONTENT_LENGTH":
      return tr("invalid Content-Length");
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return tr("Content-Length together with chunked encoding");
    case "HPE_INVALID_CHUNK_SIZE":
      return tr("invalid chunk size");
    case "HPE_INVALID_CONSTANT":
      return tr("invalid status line");
    case "HPE_INVALID_VERSION":
      return tr("invalid HTTP version in the status line");
    case "HPE_INVALID_STATUS":
      return tr("invalid status code");
    case "HPE_INVALID_HEADER_TOKEN":
      return tr("invalid header");
    case "HPE_HEADER_OVERFLOW":
      return tr("headers too large");
    case "HPE_INVALID_TRANSFER_ENCODING":
      return tr("invalid Transfer-Encoding");
    case "HPE_CR_EXPECTED":
    case "HPE_LF_EXPECTED":
      return tr("malformed line ending");
    case "HPE_INVALID_EOF_STATE":
      return tr("the body ended early");
    default:
      return undefined;
  }
}

/** OpenSSL / Node verification codes, as a reason a person understands. */
function certDetail(code: string, tr: Translator): string | undefined {
  switch (code) {
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
      return tr("it is self-signed");
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
      return tr("it is signed by a CA the system does not know");
    case "CERT_UNTRUSTED":
      return tr("it is not trusted for this purpose");
    case "CERT_HAS_EXPIRED":
      return tr("it has expired");
    case "CERT_NOT_YET_VALID":
      return tr("it is not valid yet (check the computer's clock)");
    case "CERT_REVOKED":
      return tr("it has been revoked");
    case "CERT_SIGNATURE_FAILURE":
      return tr("its signature is invalid");
    case "CERT_REJECTED":
      return tr("it was rejected");
    case "INVALID_CA":
      return tr("its issuer is not a valid CA");
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return tr("it is issued for a different host name");
    default:
      return undefined;
  }
}

/** Codes that mean "issued by a CA that is not trusted here". */
const UNKNOWN_ISSUER_CODES = [
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_UNTRUSTED",
];

/** The leading code of a detail such as "ECONNREFUSED" or "ECONNRESET (while reading)". */
function detailCode(detail: string): string {
  const match = /^[A-Z][A-Z0-9_]+/.exec(detail.trim());
  return match ? match[0] : "";
}

function classifyTls(failure: WireFailure, ctx: RequestContext, hp: string): ProxmonError {
  const tr = translator(ctx);
  const cert = failure.certificate;
  const fp = cert ? untrusted(cert.fingerprint256, ctx, 100) : "";
  const code = detailCode(failure.detail);
  const base: ProxmonError = { kind: "tls", message: "", path: ctx.path };
  if (cert) {
    base.certificate = cert;
  }
  if (failure.detail === WIRE_DETAIL.pinMismatch) {
    const pinned = failure.pinnedFingerprint256
      ? untrusted(failure.pinnedFingerprint256, ctx, 100)
      : "";
    if (failure.pinnedFingerprint256) {
      base.pinnedFingerprint256 = pinned;
    }
    const what = fp
      ? pinned
        ? tr(
            "The server's certificate (SHA-256 %1) does not match the pinned fingerprint %2.",
            fp,
            pinned,
          )
        : tr("The server's certificate (SHA-256 %1) does not match the pinned fingerprint.", fp)
      : pinned
        ? tr("The server's certificate does not match the pinned fingerprint %1.", pinned)
        : tr("The server's certificate does not match the pinned fingerprint.");
    base.message =
      what +
      " " +
      tr(
        "If it was renewed, compare it with the fingerprint shown in Proxmox under Node → System → Certificates and pin the new one; otherwise do not trust this connection.",
      );
    return base;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    base.message =
      (fp
        ? tr("The server's certificate is not valid for the name %1 (SHA-256 %2).", ctx.host, fp)
        : tr("The server's certificate is not valid for the name %1.", ctx.host)) +
      " " +
      tr(
        "Connect with a name or address the certificate lists, or compare its fingerprint with Proxmox under Node → System → Certificates and pin it.",
      );
    return base;
  }
  const known = certDetail(code, tr);
  if (failure.caMode && (known === undefined || UNKNOWN_ISSUER_CODES.indexOf(code) >= 0)) {
    // The user named the CA: "a CA the system does not know" would send them
    // to the system trust store, which plays no part here.
    base.message =
      (fp
        ? tr(
            "The server's certificate is not signed by the Proxmox cluster CA given in the settings (or --ca), or it is not issued for the name %1 (SHA-256 %2).",
            ctx.host,
            fp,
          )
        : tr(
            "The server's certificate is not signed by the Proxmox cluster CA given in the settings (or --ca), or it is not issued for the name %1.",
            ctx.host,
          )) +
      " " +
      tr(
        "Check that the CA is this cluster's /etc/pve/pve-root-ca.pem, or compare the fingerprint with Proxmox under Node → System → Certificates and pin it.",
      );
    return base;
  }
  if (cert || known) {
    const why = known ?? untrusted(failure.detail, ctx, REASON_LIMIT);
    const what =
      why !== ""
        ? fp
          ? tr("The server's certificate is not trusted (%1; SHA-256 %2).", why, fp)
          : tr("The server's certificate is not trusted (%1).", why)
        : fp
          ? tr("The server's certificate is not trusted (SHA-256 %1).", fp)
          : tr("The server's certificate is not trusted.");
    base.message =
      what +
      " " +
      tr(
        "Compare it with the fingerprint shown in Proxmox under Node → System → Certificates, then pin it or install the cluster CA.",
      );
    return base;
  }
  const detail = untrusted(failure.detail, ctx, REASON_LIMIT) || tr("handshake failed");
  if (
    /WRONG_VERSION_NUMBER|wrong version number|packet length too long|http request/i.test(detail)
  ) {
    base.message = tr(
      "%1 does not speak HTTPS (TLS: %2). Check the port: the Proxmox API listens on https port 8006.",
      hp,
      detail,
    );
    return base;
  }
  base.message = tr(
    "The secure connection to %1 failed (%2). Check host and port, and the server's certificate setup.",
    hp,
    detail,
  );
  return base;
}

export function classifyWireFailure(failure: WireFailure, ctx: RequestContext): ProxmonError {
  const tr = translator(ctx);
  const hp = formatHostPort(ctx.host, ctx.port);
  switch (failure.kind) {
    case "tls":
      return fail(classifyTls(failure, ctx, hp), ctx);
    case "timeout": {
      return fail(
        {
          kind: "timeout",
          message:
            ctx.timeoutMs !== undefined
              ? tr(
                  "%1 did not answer within %2. Check the network and the node's load, or raise the timeout.",
                  hp,
                  formatDuration(ctx.timeoutMs),
                )
              : tr(
                  "%1 did not answer in time. Check the network and the node's load, or raise the timeout.",
                  hp,
                ),
          path: ctx.path,
        },
        ctx,
      );
    }
    case "aborted":
      return fail(
        {
          kind: "aborted",
          message: tr("The request for %1 was cancelled.", ctx.path),
          path: ctx.path,
        },
        ctx,
      );
    case "protocol": {
      const code = detailCode(failure.detail);
      const why =
        protocolDetail(code, tr) ??
        (code !== ""
          ? tr("invalid HTTP: %1", code)
          : untrusted(failure.detail, ctx, REASON_LIMIT) || tr("invalid HTTP"));
      return fail(
        {
          kind: "bad-response",
          message: tr(
            "%1 answered %2 with a broken HTTP response (%3). Check that host and port point at the Proxmox API (port 8006), not another service or a proxy that mangles responses.",
            hp,
            ctx.path,
            why,
          ),
          path: ctx.path,
        },
        ctx,
      );
    }
    case "unreachable":
    default: {
      if (failure.detail === WIRE_DETAIL.noResponse) {
        return fail(
          {
            kind: "unreachable",
            message: tr(
              "No response from %1: the connection was refused, or the server's certificate is not trusted by the system. " +
                "Check host and port and that pveproxy runs; if Proxmox still uses its own certificate, install the cluster CA (/etc/pve/pve-root-ca.pem) in the system trust store — `proxmon doctor` tells which.",
              hp,
            ),
            path: ctx.path,
          },
          ctx,
        );
      }
      const code = detailCode(failure.detail);
      const why =
        networkDetail(code, tr) ??
        (untrusted(failure.detail, ctx, REASON_LIMIT) || tr("no connection"));
      return fail(
        {
          kind: "unreachable",
          message: tr(
            "Cannot reach %1 (%2). Check host and port, and that pveproxy runs.",
            hp,
            why,
          ),
          path: ctx.path,
        },
        ctx,
      );
    }
  }
}

// ---- HTTP responses -------------------------------------------------------

/** What a 403 reason says was missing. */
export type PermissionDenial =
  | { kind: "privilege"; aclPath: string; privilege: string }
  | { kind: "token-not-allowed"; uri: string }
  | { kind: "other" };

/**
 * Reads PVE's "Permission check failed (/nodes/pve, Sys.Audit)" and
 * "Permission check failed (URI '/x' not available with API token, need
 * proper ticket.)". The values are raw: clean them before showing.
 */
export function parsePermissionReason(reason: string): PermissionDenial {
  const uri = /Permission check failed \(URI '([^']*)' not available with API token/.exec(reason);
  if (uri) {
    return { kind: "token-not-allowed", uri: uri[1] ?? "" };
  }
  const marker = "Permission check failed (";
  for (let at = reason.indexOf(marker); at >= 0; at = reason.indexOf(marker, at + 1)) {
    const denial = privilegeDenial(reason, at + marker.length);
    if (denial) return denial;
  }
  return { kind: "other" };
}

/** JavaScript's `\s`, as a character test. */
export function isSpaceCode(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  return i;
}

/** `text` without trailing whitespace (String.prototype.trimEnd, which V4 lacks). */
export function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isSpaceCode(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** "(/acl/path, Priv.One|Priv.Two)" read from `start` (just after the parenthesis), in one pass. */
function privilegeDenial(text: string, start: number): PermissionDenial | null {
  const pathStart = skipSpaces(text, start);
  if (text.charAt(pathStart) !== "/") return null;
  let i = pathStart;
  while (i < text.length && ",()".indexOf(text.charAt(i)) < 0) i++;
  if (text.charAt(i) !== ",") return null;
  const aclPath = trimEnd(text.slice(pathStart, i));
  const privStart = skipSpaces(text, i + 1);
  i = privStart;
  while (i < text.length && "()".indexOf(text.charAt(i)) < 0) i++;
  if (text.charAt(i) !== ")") return null;
  const privilege = trimEnd(text.slice(privStart, i));
  return privilege !== "" ? { kind: "privilege", aclPath, privilege } : null;
}

type JsonObject = Record<string, unknown>;

function parseObject(body: string): JsonObject | null {
  const start = body.replace(/^[\s\ufeff]+/, "");
  if (start.charAt(0) !== "{") {
    return null;
  }
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as JsonObject)
      : null;
  } catch {
    return null;
  }
}

/** PVE ≥ 8.3 puts the whole error in `message`; older versions only in the reason phrase. */
function serverText(
  response: TransportResponse,
  json: JsonObject | null,
  ctx: RequestContext,
): string {
  const message = json && typeof json.message === "string" ? firstLine(json.message) : "";
  if (message.trim() !== "") {
    return untrusted(message, ctx, REASON_LIMIT);
  }
  if (response.reason.trim() !== "") {
    return untrusted(response.reason, ctx, REASON_LIMIT);
  }
  // pve-http-server ≥ 5.2 writes some messages as plain text into the body.
  const body = response.body.replace(/^\s+/, "");
  if (body !== "" && !json && body.charAt(0) !== "<" && body.charAt(0) !== "{") {
    return untrusted(firstLine(body), ctx, REASON_LIMIT);
  }
  return "";
}

/** "vmid: value must be at least 100; node: invalid format" from a 400's `errors`. */
function parameterErrors(json: JsonObject | null, ctx: RequestContext): string {
  const errors = json ? json.errors : null;
  if (!errors || typeof errors !== "object" || Array.isArray(errors)) {
    return "";
  }
  const parts: string[] = [];
  const record = errors as JsonObject;
  const keys = Object.keys(record).sort();
  for (let i = 0; i < keys.length && i < 3; i++) {
    const key = keys[i] as string;
    const value = record[key];
    parts.push(
      key + ": " + (typeof value === "string" ? firstLine(value) : translator(ctx)("invalid")),
    );
  }
  if (keys.length > 3) {
    parts.push("…");
  }
  return untrusted(parts.join("; "), ctx, REASON_LIMIT);
}

function withStatus(status: number, text: string): string {
  return text !== "" ? String(status) + " " + text : String(status);
}

function classifyPermission(
  response: TransportResponse,
  json: JsonObject | null,
  ctx: RequestContext,
): ProxmonError {
  const jsonMessage = json && typeof json.message === "string" ? json.message : "";
  const raw =
    response.reason.indexOf("Permission check failed") >= 0
      ? response.reason
      : jsonMessage || response.reason;
  const denial = parsePermissionReason(blankInvisible(raw.slice(0, SCAN_LIMIT)));
  const tr = translator(ctx);
  const error: ProxmonError = { kind: "permission", message: "", status: 403, path: ctx.path };
  if (denial.kind === "privilege") {
    const aclPath = untrusted(denial.aclPath, ctx, 120);
    const privilege = untrusted(denial.privilege, ctx, 120);
    error.aclPath = aclPath;
    error.privilege = privilege;
    const privs = privilege
      .split("|")
      .reduce((all, one) => (all === "" ? one : tr("%1 or %2", all, one)), "");
    error.message = tr(
      "Permission denied for %1: the token lacks %2 on %3 — grant it to the token (or to the user and untick 'Privilege Separation').",
      ctx.path,
      privs,
      aclPath,
    );
  } else if (denial.kind === "token-not-allowed") {
    const uri = untrusted(denial.uri, ctx, 120) || ctx.path;
    error.message = tr(
      "Proxmox does not let API tokens use %1 (it needs a password login); this information cannot be read with a token.",
      uri,
    );
  } else {
    const text = serverText(response, json, ctx);
    error.message =
      (text
        ? tr("Permission denied for %1 (%2).", ctx.path, text)
        : tr("Permission denied for %1.", ctx.path)) +
      " " +
      tr(
        "Check the roles granted to the token (and, with 'Privilege Separation', to the token itself).",
      );
  }
  return error;
}

function badResponse(
  ctx: RequestContext,
  status: number,
  what: string,
  preview?: string,
): ProxmonError {
  const tr = translator(ctx);
  const hp = formatHostPort(ctx.host, ctx.port);
  return {
    kind: "bad-response",
    message:
      (preview !== undefined && preview !== ""
        ? tr('%1 answered %2 with %3 ("%4").', hp, ctx.path, what, preview)
        : tr("%1 answered %2 with %3.", hp, ctx.path, what)) +
      " " +
      tr(
        "Check that host and port point at the Proxmox API (port 8006), not another web server or a proxy's page.",
      ),
    status,
    path: ctx.path,
  };
}

function classifySuccess(response: TransportResponse, ctx: RequestContext): Result<unknown> {
  const body = response.body;
  // Not body.replace(): that copies a 1,000-guest body (~330 KB, twice that
  // in V4's UTF-16) on every refresh only to drop nothing.
  const start = skipSpaces(body, 0);
  const trimmed = start === 0 ? body : body.slice(start);
  const preview = (): string => untrusted(trimmed, ctx, PREVIEW_LIMIT);
  const tr = translator(ctx);
  if (trimmed === "") {
    return {
      ok: false,
      error: fail(badResponse(ctx, response.status, tr("an empty body instead of JSON")), ctx),
    };
  }
  if (trimmed.charAt(0) === "<") {
    return {
      ok: false,
      error: fail(
        badResponse(ctx, response.status, tr("an HTML page instead of JSON"), preview()),
        ctx,
      ),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return {
      ok: false,
      error: fail(badResponse(ctx, response.status, tr("invalid JSON"), preview()), ctx),
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      error: fail(
        badResponse(ctx, response.status, tr("JSON that is not an object"), preview()),
        ctx,
      ),
    };
  }
  const envelope = value as JsonObject;
  if (!Object.prototype.hasOwnProperty.call(envelope, "data")) {
    return {
      ok: false,
      error: fail(
        badResponse(ctx, response.status, tr('JSON without a "data" field'), preview()),
        ctx,
      ),
    };
  }
  return { ok: true, value: envelope.data };
}

/**
 * 2xx with PVE's `{"data": …}` envelope → the (still untrusted) data;
 * anything else → a classified error.
 */
export function classifyResponse(
  response: TransportResponse,
  ctx: RequestContext,
): Result<unknown> {
  const status = response.status;
  const tr = translator(ctx);
  const bodyError = response.headers[BODY_ERROR_HEADER];
  if (bodyError !== undefined) {
    const why = untrusted(bodyError, ctx, REASON_LIMIT) || tr("unreadable body");
    return {
      ok: false,
      error: fail(badResponse(ctx, status, tr("a response that could not be read (%1)", why)), ctx),
    };
  }
  if (status >= 200 && status < 300) {
    return classifySuccess(response, ctx);
  }
  const json = parseObject(response.body.length > SCAN_LIMIT ? "" : response.body);
  const text = serverText(response, json, ctx);
  const hp = formatHostPort(ctx.host, ctx.port);
  let error: ProxmonError;
  if (status === 401) {
    error = {
      kind: "auth",
      message: tr(
        "Proxmox rejected the API token (%1). Check the token ID format user@realm!tokenname and the secret; the token may be missing, disabled or expired.",
        text || "401",
      ),
      status,
      path: ctx.path,
    };
  } else if (status === 403) {
    error = classifyPermission(response, json, ctx);
  } else if (status >= 595 && status <= 599) {
    // AnyEvent::HTTP pseudo statuses: pveproxy could not reach the node it proxied to.
    error = {
      kind: "node-unreachable",
      message: tr(
        "A cluster node did not answer (%1) for %2. It may be offline or rebooting; check it in Proxmox.",
        withStatus(status, text),
        ctx.path,
      ),
      status,
      path: ctx.path,
    };
  } else if (status < 100 || status > 599) {
    error = badResponse(ctx, status, tr("an invalid HTTP status %1", String(status)));
  } else if (status === 501) {
    error = {
      kind: "server",
      message: tr(
        "Proxmox does not implement %1 (%2). This Proxmox version may be too old for it.",
        ctx.path,
        withStatus(status, text),
      ),
      status,
      path: ctx.path,
    };
  } else if (status >= 500) {
    error = {
      kind: "server",
      message: tr(
        "Proxmox failed on %1 (%2). Details are in the server's log (journalctl -u pveproxy -u pvedaemon).",
        ctx.path,
        withStatus(status, text),
      ),
      status,
      path: ctx.path,
    };
  } else if (status === 400) {
    const params = parameterErrors(json, ctx);
    error = {
      kind: "server",
      message: params
        ? tr(
            "Proxmox rejected the request for %1 (%2 — %3).",
            ctx.path,
            withStatus(status, text),
            params,
          )
        : tr("Proxmox rejected the request for %1 (%2).", ctx.path, withStatus(status, text)),
      status,
      path: ctx.path,
    };
  } else if (status >= 300 && status < 400) {
    error = {
      kind: "server",
      message: tr(
        "%1 redirected %2 (%3). Point host and port at the Proxmox API itself (port 8006).",
        hp,
        ctx.path,
        withStatus(status, text),
      ),
      status,
      path: ctx.path,
    };
  } else {
    error = {
      kind: "server",
      message: tr("Proxmox answered %1 with %2.", ctx.path, withStatus(status, text)),
      status,
      path: ctx.path,
    };
  }
  return { ok: false, error: fail(error, ctx) };
}

/**
 * Server text that is not an error response (a task's exit status, a log
 * line) made safe to show, with the same rules as error messages: bounded,
 * one line, invisible characters dropped, the secret scrubbed.
 */
export function cleanServerText(text: string, secret: string, limit = REASON_LIMIT): string {
  return finalMessage(untrusted(text, { host: "", port: 0, path: "", secret }, limit), {
    host: "",
    port: 0,
    path: "",
    secret,
  });
}
