// Contract of the Proxmox API client (implementation: see below).
import {
  cleanServerText,
  classifyResponse,
  classifyWireFailure,
  type ProxmonError,
  type RequestContext,
  type Result,
} from "./errors";
import { plainTranslator, type Translator } from "../notify/message";
import type { PendingRequest, Transport, TransportRequest } from "./transport";

export interface ClientOptions {
  transport: Transport;
  /** Host name or address, without scheme or port ("pve.example.lan", "10.0.0.2", "[fe80::1]"). */
  host: string;
  port: number;
  /** "user@realm!tokenname" */
  tokenId: string;
  /** The token's UUID secret. Only ever placed in the Authorization header. */
  secret: string;
  timeoutMs: number;
  /** The widget's i18n for every message; English by default (the CLI). */
  tr?: Translator;
}

export interface ApiCall<T> {
  /** Always resolves; failures are classified ProxmonError values. */
  readonly result: Promise<Result<T>>;
  abort(): void;
}

export interface ProxmoxClient {
  /** "https://host:port/api2/json" */
  readonly baseUrl: string;
  /** GET an API path ("/cluster/resources"); resolves with the envelope's `data`, still untrusted. */
  get(path: string, query?: Record<string, string>): ApiCall<unknown>;
  /**
   * POST with the parameters form-encoded in the body (what pveproxy parses
   * for application/x-www-form-urlencoded; token auth needs no CSRF token).
   * Never retried by any transport: a repeated POST would repeat the action.
   */
  post(path: string, params?: Record<string, string>): ApiCall<unknown>;
  /** Server text made safe to show: one line, bounded, scrubbed of this client's secret. */
  cleanText(text: string, limit?: number): string;
}

// ---------------------------------------------------------------------------
// Implementation. The client builds URLs and the token header, hands the
// request to a transport, and classifies what comes back. Bad configuration
// is caught here, before anything is sent: a malformed token ID would only
// earn a 401 after PVE's ~3 s auth-failure delay, and a secret with a line
// break would corrupt the header.

/** PVE's realm and token-name syntax: a letter, then letters, digits, '.', '-', '_'. */
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9._-]+$/;
const EXAMPLE_TOKEN_ID = "monitor@pve!proxmon";
/**
 * PVE's secrets are 36-character UUIDs. The floor is lower so a future format
 * still passes, but high enough that scrubbing the secret from messages
 * cannot hit ordinary words.
 */
const MIN_SECRET_LENGTH = 16;

function hasWhitespaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0x2028 || code === 0x2029) {
      return true;
    }
  }
  return false;
}

/**
 * Checks "user@realm!tokenname" the way PVE splits it (last '!', then last
 * '@'). Returns a message, or null when the shape is right. The input is
 * never echoed: people paste the whole "id=secret" header value here.
 */
export function validateTokenId(id: string, tr: Translator = plainTranslator): string | null {
  const value = id.trim();
  const example = tr("e.g. %1", EXAMPLE_TOKEN_ID);
  if (value === "") {
    return tr("Enter the API token ID (%1).", example);
  }
  if (value.indexOf("=") >= 0) {
    return tr(
      "The token ID contains '=': enter only user@realm!tokenname here and the secret in its own field.",
    );
  }
  if (hasWhitespaceOrControl(value)) {
    return tr("The token ID must not contain spaces (%1).", example);
  }
  const bang = value.lastIndexOf("!");
  if (bang < 0) {
    return tr("The token ID needs the token name after '!': user@realm!tokenname (%1).", example);
  }
  const user = value.slice(0, bang);
  const tokenName = value.slice(bang + 1);
  const at = user.lastIndexOf("@");
  if (at <= 0) {
    return tr(
      "The token ID needs a user with its realm before '!': user@realm!tokenname (%1).",
      example,
    );
  }
  const userName = user.slice(0, at);
  if (userName.indexOf(":") >= 0 || userName.indexOf("/") >= 0) {
    return tr("The user name in the token ID must not contain ':' or '/'.");
  }
  if (!NAME_PATTERN.test(user.slice(at + 1))) {
    return tr(
      "The realm in the token ID is not valid (pam, pve or a realm you created; %1).",
      example,
    );
  }
  if (!NAME_PATTERN.test(tokenName)) {
    return tr(
      "The token name (after '!') must start with a letter and use only letters, digits, '.', '-' and '_'.",
    );
  }
  return null;
}

/** Brackets IPv6 literals (escaping a zone's '%'), leaves names and IPv4 alone. */
function urlHost(host: string): string {
  if (host.charAt(0) === "[" || host.indexOf(":") < 0) {
    return host;
  }
  const zone = host.indexOf("%");
  const literal =
    zone >= 0 && host.slice(zone, zone + 3) !== "%25"
      ? host.slice(0, zone) + "%25" + host.slice(zone + 1)
      : host;
  return "[" + literal + "]";
}

/** "https://pve.lan:8006/api2/json", "https://[fe80::1]:8006/api2/json" */
export function formatBaseUrl(host: string, port: number): string {
  return "https://" + urlHost(host.trim()) + ":" + String(port) + "/api2/json";
}

function validateHost(host: string, tr: Translator): string | null {
  if (host === "") {
    return tr("Enter the Proxmox host name or address.");
  }
  if (host.indexOf("://") >= 0 || host.indexOf("/") >= 0) {
    return tr("Enter only the host name or address, without https:// or a path.");
  }
  if (hasWhitespaceOrControl(host)) {
    return tr("The host must not contain spaces.");
  }
  const colons = host.split(":").length - 1;
  if (colons === 1 && host.charAt(0) !== "[") {
    return tr("Enter the port in its own field, not after the host.");
  }
  if (host.charAt(0) === "[" && host.charAt(host.length - 1) !== "]") {
    return tr("Enter an IPv6 address without a port, e.g. fe80::1 or [fe80::1].");
  }
  return null;
}

function validateOptions(options: ClientOptions, tr: Translator): string | null {
  const host = validateHost(options.host.trim(), tr);
  if (host) {
    return host;
  }
  const port = options.port;
  if (typeof port !== "number" || port % 1 !== 0 || port < 1 || port > 65535) {
    return tr("The port must be a number from 1 to 65535 (Proxmox uses 8006).");
  }
  const token = validateTokenId(options.tokenId, tr);
  if (token) {
    return token;
  }
  const secret = options.secret.trim();
  if (secret === "") {
    return tr("Enter the API token secret.");
  }
  if (hasWhitespaceOrControl(secret)) {
    return tr(
      "The token secret must not contain spaces or line breaks; paste only the secret (a UUID).",
    );
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return tr(
      "The token secret is too short: Proxmox shows it once, when the token is created, as a UUID like 4f1c2d3e-….",
    );
  }
  return null;
}

/** "a=1&b=x%20y"; keys in insertion order. Also the form body of a POST. */
export function encodeForm(params: Record<string, string> | undefined): string {
  if (!params) {
    return "";
  }
  const parts: string[] = [];
  const keys = Object.keys(params);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(String(params[key])));
  }
  return parts.join("&");
}

function encodeQuery(query: Record<string, string> | undefined): string {
  const encoded = encodeForm(query);
  return encoded !== "" ? "?" + encoded : "";
}

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/** Paths come from code, not users; anything that could change the URL's meaning is a bug. */
function checkPath(path: string, tr: Translator): string | null {
  if (path.charAt(0) !== "/" || path.charAt(1) === "/") {
    return tr("The API path \"%1\" must start with a single '/'.", path.slice(0, 60));
  }
  if (/[?#\s\\]/.test(path) || hasWhitespaceOrControl(path)) {
    return tr('The API path "%1" contains characters that are not allowed.', path.slice(0, 60));
  }
  return null;
}

function settled(value: Result<unknown>): ApiCall<unknown> {
  return { result: Promise.resolve(value), abort: () => undefined };
}

export function createClient(options: ClientOptions): ProxmoxClient {
  const host = options.host.trim();
  const tokenId = options.tokenId.trim();
  const secret = options.secret.trim();
  const baseUrl = formatBaseUrl(host, options.port);
  const tr = options.tr ?? plainTranslator;
  const configProblem = validateOptions(options, tr);
  const authorization = "PVEAPIToken=" + tokenId + "=" + secret;

  function configError(message: string, path: string): ApiCall<unknown> {
    const error: ProxmonError = { kind: "config", message, path };
    return settled({ ok: false, error });
  }

  function send(
    method: "GET" | "POST",
    path: string,
    query: Record<string, string> | undefined,
    form: Record<string, string> | undefined,
  ): ApiCall<unknown> {
    const problem = configProblem ?? checkPath(path, tr);
    if (problem) {
      return configError(problem, path);
    }
    const ctx: RequestContext = {
      host,
      port: options.port,
      path,
      timeoutMs: options.timeoutMs,
      secret,
      tr,
    };
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: "application/json",
    };
    const request: TransportRequest = {
      method,
      url: baseUrl + path + encodeQuery(query),
      headers,
      timeoutMs: options.timeoutMs,
    };
    if (method === "POST") {
      headers["Content-Type"] = FORM_CONTENT_TYPE;
      request.body = encodeForm(form);
    }
    let pending: PendingRequest;
    try {
      pending = options.transport.send(request);
    } catch (e) {
      return settled({ ok: false, error: unexpected(e, ctx) });
    }
    const result = pending.result.then(
      (outcome) =>
        outcome.ok
          ? classifyResponse(outcome.response, ctx)
          : { ok: false as const, error: classifyWireFailure(outcome.failure, ctx) },
      // A transport must not reject; if one does anyway, it still becomes a value.
      (e: unknown) => ({ ok: false as const, error: unexpected(e, ctx) }),
    );
    return { result, abort: () => pending.abort() };
  }

  return {
    baseUrl,
    get: (path, query) => send("GET", path, query, undefined),
    post: (path, params) => send("POST", path, undefined, params ?? {}),
    cleanText: (text, limit) => cleanServerText(text, secret, limit),
  };
}

function unexpected(e: unknown, ctx: RequestContext): ProxmonError {
  const detail = e instanceof Error ? e.message : String(e);
  return classifyWireFailure(
    {
      kind: "unreachable",
      detail: detail || (ctx.tr ?? plainTranslator)("the request could not be sent"),
    },
    ctx,
  );
}
