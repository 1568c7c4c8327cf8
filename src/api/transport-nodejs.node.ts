// Transport over Node's https, for the CLI, the bench and the tests. Unlike
// QML's XMLHttpRequest it can enforce every TlsPolicy and report what the
// server presented, so a refusal can be shown with the fingerprint to compare.
//
// Trust is decided before the socket is handed to the HTTP layer: a custom
// Agent opens the TLS connection itself and only gives it to the request once
// the policy accepted the certificate. On a connection that fails the policy
// no request line, no header and in particular no Authorization header is
// ever written.

import { X509Certificate } from "node:crypto";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import net from "node:net";
import type { Duplex, Readable } from "node:stream";
import tls from "node:tls";
import zlib from "node:zlib";

import { BODY_ERROR_HEADER, WIRE_DETAIL } from "./errors";
import { fingerprintsEqual, normaliseFingerprint, type TlsPolicy } from "./tls-policy";
import type {
  CertificateInfo,
  PendingRequest,
  Transport,
  TransportRequest,
  TransportResult,
  WireFailure,
  WireFailureKind,
} from "./transport";

export interface NodejsTransportOptions {
  tls: TlsPolicy;
  /** Name sent as SNI and checked against the certificate; the URL's host by default. */
  servername?: string;
  /** Largest decoded body accepted; 64 MiB by default. */
  maxBodyBytes?: number;
}

export interface NodejsTransportStats {
  /** HTTP requests sent (a retry on a stale kept-alive connection counts again). */
  requests: number;
  /** TLS connections opened; stays at 1 while keep-alive reuses the connection. */
  connections: number;
  /** Body bytes as they arrived (compressed when the server compressed). */
  bytesReceived: number;
  /** Body bytes after decompression. */
  bytesDecoded: number;
}

export interface NodejsTransport extends Transport {
  stats(): NodejsTransportStats;
  /** Closes kept-alive connections; later requests open new ones. */
  close(): void;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Carries a policy refusal from the Agent to the request's 'error' handler. */
class PolicyRefusal extends Error {
  readonly failure: WireFailure;
  constructor(failure: WireFailure) {
    super(failure.detail);
    this.failure = failure;
  }
}

/** What fetchPeerCertificate rejects with. */
export class PeerCertificateError extends Error {
  readonly failure: WireFailure;
  constructor(failure: WireFailure) {
    super(failure.detail);
    this.name = "PeerCertificateError";
    this.failure = failure;
  }
}

const NETWORK_CODES = [
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ETIMEDOUT",
  "EADDRNOTAVAIL",
];

function stripBrackets(host: string): string {
  return host.charAt(0) === "[" && host.charAt(host.length - 1) === "]" ? host.slice(1, -1) : host;
}

function formatName(name: tls.Certificate | undefined): string {
  if (!name) {
    return "";
  }
  const record = name as unknown as Record<string, string | string[] | undefined>;
  return Object.keys(record)
    .map((key) => {
      const value = record[key];
      return key + "=" + (Array.isArray(value) ? value.join("+") : String(value ?? ""));
    })
    .join(", ");
}

function isoDate(text: string | undefined): string {
  if (!text) {
    return "";
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

function certificateInfo(cert: tls.PeerCertificate | undefined): CertificateInfo | undefined {
  if (!cert || !cert.fingerprint256) {
    return undefined;
  }
  let fingerprint256 = cert.fingerprint256;
  if (cert.raw) {
    // Same value, computed from the DER itself rather than trusting the summary.
    fingerprint256 = new X509Certificate(cert.raw).fingerprint256;
  }
  return {
    fingerprint256,
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
  };
}

/** null when the policy accepts what the socket presented. */
function judge(policy: TlsPolicy, socket: tls.TLSSocket, identity: string): WireFailure | null {
  if (policy.mode === "insecure") {
    return null;
  }
  const cert = socket.getPeerCertificate();
  const certificate = certificateInfo(cert);
  const refuse = (detail: string): WireFailure => {
    const failure: WireFailure = { kind: "tls", detail };
    if (certificate) failure.certificate = certificate;
    if (policy.mode === "ca") failure.caMode = true;
    return failure;
  };
  if (policy.mode === "pin") {
    // Exactly the pinned leaf, whoever issued it and whatever names it carries.
    if (certificate && fingerprintsEqual(certificate.fingerprint256, policy.fingerprint256)) {
      return null;
    }
    const failure = refuse(WIRE_DETAIL.pinMismatch);
    const pinned = normaliseFingerprint(policy.fingerprint256);
    if (pinned) failure.pinnedFingerprint256 = pinned;
    return failure;
  }
  if (!certificate) {
    return refuse("no certificate presented");
  }
  if (!socket.authorized) {
    return refuse(String(socket.authorizationError || "certificate not trusted"));
  }
  const mismatch = tls.checkServerIdentity(identity, cert);
  if (mismatch) {
    const code = (mismatch as NodeJS.ErrnoException).code ?? "ERR_TLS_CERT_ALTNAME_INVALID";
    return refuse(code + ": " + mismatch.message);
  }
  return null;
}

function failureFromError(err: unknown): WireFailure {
  if (err instanceof PolicyRefusal) {
    return err.failure;
  }
  const e = (err ?? {}) as NodeJS.ErrnoException & { reason?: string; library?: string };
  const code = typeof e.code === "string" ? e.code : "";
  if (code.indexOf("HPE_") === 0) {
    // llhttp refused what the server sent: it answered, but not in HTTP.
    return { kind: "protocol", detail: code };
  }
  if (NETWORK_CODES.indexOf(code) >= 0) {
    return { kind: "unreachable", detail: code };
  }
  if (
    code.indexOf("ERR_SSL_") === 0 ||
    code.indexOf("ERR_TLS_") === 0 ||
    code === "EPROTO" ||
    e.library === "SSL routines"
  ) {
    return { kind: "tls", detail: e.reason || code || String(e.message) };
  }
  return {
    kind: "unreachable",
    detail: code || (e.message ? String(e.message) : "connection failed"),
  };
}

type RequestOptionsWithGuard = https.RequestOptions & { proxmonHandshakeMs?: number };
type SocketCallback = (err: Error | null, stream: Duplex) => void;

/**
 * An https.Agent whose connections are only handed out after the TLS policy
 * accepted them. Session resumption is off so every connection presents its
 * certificate and is judged again.
 */
class PolicyAgent extends https.Agent {
  private readonly policy: TlsPolicy;
  private readonly servername: string | undefined;
  private readonly onConnection: () => void;

  constructor(
    policy: TlsPolicy,
    servername: string | undefined,
    onConnection: () => void,
    keepAlive = true,
  ) {
    super({ keepAlive, maxCachedSessions: 0 });
    this.policy = policy;
    this.servername = servername;
    this.onConnection = onConnection;
  }

  override createConnection(
    options: RequestOptionsWithGuard,
    callback?: SocketCallback,
  ): Duplex | null | undefined {
    const host = stripBrackets(String(options.host || "localhost"));
    const port = Number(options.port) || 443;
    const servername = this.servername ?? (net.isIP(host) ? undefined : host);
    const policy = this.policy;
    const connectOptions: tls.ConnectionOptions = {
      host,
      port,
      rejectUnauthorized: false,
      // The identity is checked in judge() so that the refusal carries the certificate.
      checkServerIdentity: () => undefined,
    };
    if (servername) {
      connectOptions.servername = servername;
    }
    if (policy.mode === "ca") {
      connectOptions.ca = policy.caPem;
    }
    this.onConnection();
    const socket = tls.connect(connectOptions);
    let decided = false;
    const onStall = (): void =>
      decide(Object.assign(new Error("TLS handshake timed out"), { code: "ETIMEDOUT" }));
    const decide = (err: Error | null): void => {
      if (decided) {
        return;
      }
      decided = true;
      socket.setTimeout(0);
      socket.removeListener("timeout", onStall);
      if (err) {
        socket.destroy();
        callback?.(err, socket);
      } else {
        callback?.(null, socket);
      }
    };
    // The request's own deadline normally ends things first; this only makes
    // sure a server that never finishes the handshake does not leak a socket.
    const guard = options.proxmonHandshakeMs;
    if (guard !== undefined && guard > 0 && guard < Infinity) {
      socket.setTimeout(guard + 1000);
      socket.once("timeout", onStall);
    }
    socket.once("secureConnect", () => {
      const failure = judge(policy, socket, this.servername ?? host);
      decide(failure ? new PolicyRefusal(failure) : null);
    });
    socket.on("error", (err) => decide(err));
    socket.once("close", () =>
      decide(
        Object.assign(new Error("connection closed during the TLS handshake"), {
          code: "ECONNRESET",
        }),
      ),
    );
    return undefined;
  }
}

function decodeReason(statusMessage: string | undefined): string {
  // Node hands the reason phrase over byte-for-byte as latin1; PVE writes UTF-8.
  return statusMessage ? Buffer.from(statusMessage, "latin1").toString("utf8") : "";
}

function flattenHeaders(res: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(res.headers)) {
    const value = res.headers[name];
    if (value !== undefined && name !== BODY_ERROR_HEADER) {
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return headers;
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Math.round(mib * 10) / 10} MiB` : `${bytes} bytes`;
}

export function createNodejsTransport(options: NodejsTransportOptions): NodejsTransport {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const counters: NodejsTransportStats = {
    requests: 0,
    connections: 0,
    bytesReceived: 0,
    bytesDecoded: 0,
  };
  const countConnection = (): void => {
    counters.connections++;
  };
  const agent = new PolicyAgent(options.tls, options.servername, countConnection);
  // A retry goes out on a connection of its own, never on another kept-alive
  // one that may have gone stale the same way.
  let freshAgent: PolicyAgent | null = null;
  const retryAgent = (): PolicyAgent => {
    if (!freshAgent) {
      freshAgent = new PolicyAgent(options.tls, options.servername, countConnection, false);
    }
    return freshAgent;
  };

  function send(request: TransportRequest): PendingRequest {
    let done = false;
    let current: ReturnType<typeof https.request> | null = null;
    let timer: NodeJS.Timeout | null = null;
    let resolve: (result: TransportResult) => void = () => undefined;
    const result = new Promise<TransportResult>((r) => {
      resolve = r;
    });

    const finish = (outcome: TransportResult): void => {
      if (done) {
        return;
      }
      done = true;
      if (timer) {
        clearTimeout(timer);
      }
      resolve(outcome);
    };
    const failWith = (failure: WireFailure): void => finish({ ok: false, failure });
    const stop = (kind: WireFailureKind, detail: string): void => {
      if (done) {
        return;
      }
      failWith({ kind, detail });
      current?.destroy();
    };

    /**
     * One HTTP exchange. Only the live attempt may settle the result: once it
     * failed (or was replaced by its retry), its late events are ignored, so
     * a retry's answer is never thrown away for the first attempt's error.
     */
    const attempt = (retry: boolean): void => {
      let live = true;
      const settle = (outcome: TransportResult): void => {
        if (live) {
          live = false;
          finish(outcome);
        }
      };
      let req: ReturnType<typeof https.request>;
      // The connection broke before the whole answer was in. A GET on a
      // reused kept-alive connection (the server may have closed it while
      // idle, or dropped it mid-body) is safe to send once more, on a fresh
      // connection; the retry's outcome is the result.
      const broken = (failure: WireFailure, reset: boolean): void => {
        if (!live || done) {
          return;
        }
        if (reset && !retry && req.reusedSocket && request.method === "GET") {
          live = false;
          req.destroy();
          attempt(true);
          return;
        }
        settle({ ok: false, failure });
      };

      const readBody = (res: IncomingMessage): void => {
        const status = res.statusCode ?? 0;
        const reason = decodeReason(res.statusMessage);
        const headers = flattenHeaders(res);
        const encoding = (headers["content-encoding"] ?? "").trim().toLowerCase();
        const chunks: Buffer[] = [];
        let size = 0;
        // The body could not be delivered, but the status line was real:
        // report a response so the classifier calls it a bad response.
        const unreadable = (why: string): void => {
          headers[BODY_ERROR_HEADER] = why;
          settle({ ok: true, response: { status, reason, body: "", headers } });
          res.destroy();
        };
        let stream: Readable = res;
        if (encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate") {
          // Unzip detects gzip and zlib-wrapped deflate by their headers.
          const decoder = zlib.createUnzip();
          decoder.on("error", (err: NodeJS.ErrnoException) => {
            if (live) {
              unreadable(`could not decompress the ${encoding} body (${err.code ?? err.message})`);
            }
          });
          stream = res.pipe(decoder);
        }
        res.on("data", (chunk: Buffer) => {
          counters.bytesReceived += chunk.length;
        });
        stream.on("data", (chunk: Buffer) => {
          if (!live) {
            return;
          }
          size += chunk.length;
          if (size > maxBody) {
            unreadable(`response larger than ${formatMiB(maxBody)}`);
            return;
          }
          chunks.push(chunk);
        });
        stream.on("end", () => {
          if (!live) {
            return;
          }
          counters.bytesDecoded += size;
          settle({
            ok: true,
            response: {
              status,
              reason,
              body: Buffer.concat(chunks, size).toString("utf8"),
              headers,
            },
          });
        });
        res.on("close", () => {
          if (!res.complete) {
            broken(
              {
                kind: "unreachable",
                detail: "ECONNRESET (connection closed while reading the response)",
              },
              true,
            );
          }
        });
        res.on("error", () => undefined);
      };

      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        failWith({ kind: "unreachable", detail: "invalid URL" });
        return;
      }
      if (url.protocol !== "https:") {
        failWith({ kind: "unreachable", detail: "only https:// URLs are supported" });
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of Object.keys(request.headers)) {
        if (name.toLowerCase() !== "accept-encoding") {
          headers[name] = request.headers[name] as string;
        }
      }
      headers["Accept-Encoding"] = "gzip, deflate";
      if (request.body !== undefined) {
        headers["Content-Length"] = String(Buffer.byteLength(request.body));
      }
      const requestOptions: RequestOptionsWithGuard = {
        agent: retry ? retryAgent() : agent,
        host: stripBrackets(url.hostname),
        port: url.port ? Number(url.port) : 443,
        path: url.pathname + url.search,
        method: request.method,
        headers,
        proxmonHandshakeMs: request.timeoutMs,
      };
      try {
        req = https.request(requestOptions);
      } catch (e) {
        // Node refuses header values with forbidden characters before sending anything.
        failWith({
          kind: "unreachable",
          detail: e instanceof Error ? e.message : "request rejected",
        });
        return;
      }
      current = req;
      counters.requests++;
      req.on("response", readBody);
      req.on("error", (err: NodeJS.ErrnoException) => {
        broken(failureFromError(err), err.code === "ECONNRESET");
      });
      req.end(request.body);
    };

    if (request.timeoutMs > 0 && request.timeoutMs < Infinity) {
      timer = setTimeout(
        () => stop("timeout", `no answer within ${request.timeoutMs} ms`),
        request.timeoutMs,
      );
    }
    attempt(false);
    return { result, abort: () => stop("aborted", "aborted by the caller") };
  }

  return {
    send,
    stats: () => ({
      requests: counters.requests,
      connections: counters.connections,
      bytesReceived: counters.bytesReceived,
      bytesDecoded: counters.bytesDecoded,
    }),
    close: () => {
      agent.destroy();
      freshAgent?.destroy();
    },
  };
}

/**
 * Connects without verification, reads the leaf certificate and hangs up
 * before any HTTP is spoken; for `proxmon doctor` and trust-on-first-use.
 * Rejects with a PeerCertificateError carrying a WireFailure.
 */
export function fetchPeerCertificate(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<CertificateInfo> {
  return new Promise<CertificateInfo>((resolve, reject) => {
    const name = stripBrackets(host.trim());
    const connectOptions: tls.ConnectionOptions = { host: name, port, rejectUnauthorized: false };
    if (!net.isIP(name)) {
      connectOptions.servername = name;
    }
    const socket = tls.connect(connectOptions);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new PeerCertificateError({
          kind: "timeout",
          detail: `no TLS handshake within ${timeoutMs} ms`,
        }),
      );
    }, timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const info = certificateInfo(socket.getPeerCertificate());
      socket.destroy();
      if (info) {
        resolve(info);
      } else {
        reject(new PeerCertificateError({ kind: "tls", detail: "no certificate presented" }));
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new PeerCertificateError(failureFromError(err)));
    });
  });
}
