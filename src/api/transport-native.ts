// Transport over the native TLS module (native/, QML module
// org.kde.proxmon.tls): the widget's way to enforce "pin", "ca" and
// "insecure", which QML's XMLHttpRequest cannot. The C++ side only moves
// bytes and reports what happened; this adapter turns its plain result maps
// into the same TransportResult the Node transport gives, so one classifier
// (errors.ts) words both, and the pin is normalised by the same code
// (tls-policy.ts) the CLI uses for --fingerprint.
//
// The module is optional: when it is not installed the widget uses the XHR
// transport. Wiring in QML:
//
//   import org.kde.proxmon.tls as ProxmonTls        // in a file behind a Loader
//   ProxmonTls.NativeTransport { id: nativeTls }
//   Proxmon.createNativeTransport({ nativeRequest: nativeTls.request, policy })

import { BODY_ERROR_HEADER, WIRE_DETAIL } from "./errors";
import { normaliseFingerprint, type TlsPolicy } from "./tls-policy";
import type {
  CertificateInfo,
  HttpMethod,
  PendingRequest,
  Transport,
  TransportRequest,
  TransportResult,
  WireFailure,
} from "./transport";

/** The `tls` part of a native request: what TlsClient.request() reads. */
export interface NativeTlsSpec {
  mode: "system" | "pin" | "ca" | "insecure";
  /** Canonical "AA:BB:…"; "" for a pin that is not a SHA-256 (then nothing matches). */
  fingerprint256?: string;
  caPem?: string;
}

export interface NativeRequestSpec {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  tls: NativeTlsSpec;
}

/** What the native side reports; read defensively (it crosses a language boundary). */
export interface NativeResult {
  ok?: unknown;
  status?: unknown;
  reason?: unknown;
  body?: unknown;
  headers?: unknown;
  bodyError?: unknown;
  kind?: unknown;
  detail?: unknown;
  networkError?: unknown;
  tlsErrors?: unknown;
  pinMismatch?: unknown;
  expectedFingerprint256?: unknown;
  certificate?: unknown;
}

export interface NativeHandle {
  abort(): void;
}

export interface NativeTransportDeps {
  /**
   * Starts one request; calls onDone exactly once (also after abort()).
   * In QML: `nativeTls.request` of a NativeTransport (native/qml/NativeTransport.qml).
   */
  nativeRequest: (spec: NativeRequestSpec, onDone: (result: NativeResult) => void) => NativeHandle;
  policy: TlsPolicy;
}

/** The policy as the native module takes it; the pin in canonical form. */
export function nativeTlsSpec(policy: TlsPolicy): NativeTlsSpec {
  switch (policy.mode) {
    case "pin":
      return { mode: "pin", fingerprint256: normaliseFingerprint(policy.fingerprint256) ?? "" };
    case "ca":
      return { mode: "ca", caPem: policy.caPem };
    case "insecure":
      return { mode: "insecure" };
    case "system":
    default:
      return { mode: "system" };
  }
}

/** Qt's QSslError names → the OpenSSL/Node codes errors.ts explains. */
const TLS_CODES: Record<string, string> = {
  SelfSignedCertificate: "DEPTH_ZERO_SELF_SIGNED_CERT",
  SelfSignedCertificateInChain: "SELF_SIGNED_CERT_IN_CHAIN",
  UnableToGetIssuerCertificate: "UNABLE_TO_GET_ISSUER_CERT",
  UnableToGetLocalIssuerCertificate: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  UnableToVerifyFirstCertificate: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  CertificateUntrusted: "CERT_UNTRUSTED",
  CertificateExpired: "CERT_HAS_EXPIRED",
  CertificateNotYetValid: "CERT_NOT_YET_VALID",
  CertificateRevoked: "CERT_REVOKED",
  CertificateSignatureFailed: "CERT_SIGNATURE_FAILURE",
  CertificateRejected: "CERT_REJECTED",
  InvalidCaCertificate: "INVALID_CA",
  HostNameMismatch: "ERR_TLS_CERT_ALTNAME_INVALID",
};

/** QNetworkReply::NetworkError names → the Node error codes errors.ts explains. */
const NETWORK_CODES: Record<string, string> = {
  ConnectionRefusedError: "ECONNREFUSED",
  HostNotFoundError: "ENOTFOUND",
  RemoteHostClosedError: "ECONNRESET",
  TimeoutError: "ETIMEDOUT",
  TemporaryNetworkFailureError: "ENETUNREACH",
  NetworkSessionFailedError: "ENETDOWN",
};

/**
 * The items of an array, or of an array-like: Qt hands a QVariantList inside
 * a QVariantMap to JavaScript as a sequence object, which has `length` and
 * indices but is not an Array.
 */
function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value as unknown[];
  }
  if (value === null || typeof value !== "object") {
    return [];
  }
  const length = (value as { length?: unknown }).length;
  if (typeof length !== "number" || !(length >= 0) || length > 1000) {
    return [];
  }
  const items: unknown[] = [];
  for (let i = 0; i < length; i++) {
    items.push((value as Record<number, unknown>)[i]);
  }
  return items;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function certificateOf(value: unknown): CertificateInfo | undefined {
  if (value === null || typeof value !== "object") {
    return undefined;
  }
  const c = value as Record<string, unknown>;
  const fingerprint256 = normaliseFingerprint(text(c.fingerprint256));
  if (fingerprint256 === null) {
    return undefined;
  }
  return {
    fingerprint256,
    subject: text(c.subject),
    issuer: text(c.issuer),
    validFrom: text(c.validFrom),
    validTo: text(c.validTo),
  };
}

/** The first verification error the classifier can explain; chain problems before the name, as Node checks them. */
function tlsDetail(result: NativeResult): string {
  const raw = itemsOf(result.tlsErrors);
  let hostError = "";
  for (let i = 0; i < raw.length; i++) {
    const entry = raw[i];
    if (entry === null || typeof entry !== "object") {
      continue;
    }
    const e = entry as Record<string, unknown>;
    const name = text(e.name);
    const code = TLS_CODES[name];
    if (!code) {
      continue;
    }
    const message = text(e.message);
    const detail = message ? code + ": " + message : code;
    if (name === "HostNameMismatch") {
      hostError = hostError || detail;
    } else {
      return detail;
    }
  }
  return hostError || text(result.detail) || "handshake failed";
}

function failureOf(result: NativeResult): WireFailure {
  const kind = text(result.kind);
  const detail = text(result.detail);
  if (kind === "timeout" || kind === "aborted") {
    return { kind, detail: detail || kind };
  }
  if (kind === "tls") {
    const failure: WireFailure = {
      kind: "tls",
      detail: result.pinMismatch === true ? WIRE_DETAIL.pinMismatch : tlsDetail(result),
    };
    const certificate = certificateOf(result.certificate);
    if (certificate) {
      failure.certificate = certificate;
    }
    const pinned =
      result.pinMismatch === true
        ? normaliseFingerprint(text(result.expectedFingerprint256))
        : null;
    if (pinned) {
      failure.pinnedFingerprint256 = pinned;
    }
    return failure;
  }
  const code = NETWORK_CODES[text(result.networkError)];
  return {
    kind: "unreachable",
    detail: code ? code + (detail ? " (" + detail + ")" : "") : detail || "connection failed",
  };
}

/** Maps one native result map onto the transport contract. Exported for tests. */
export function fromNativeResult(result: NativeResult | null | undefined): TransportResult {
  if (result === null || typeof result !== "object") {
    return {
      ok: false,
      failure: { kind: "unreachable", detail: "no result from the native module" },
    };
  }
  if (result.ok !== true) {
    return { ok: false, failure: failureOf(result) };
  }
  const status = typeof result.status === "number" ? result.status : 0;
  if (status <= 0) {
    return { ok: false, failure: { kind: "unreachable", detail: "no HTTP status in the answer" } };
  }
  const headers: Record<string, string> = {};
  if (result.headers !== null && typeof result.headers === "object") {
    const source = result.headers as Record<string, unknown>;
    const names = Object.keys(source);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value = source[name];
      if (typeof value === "string" && name.toLowerCase() !== BODY_ERROR_HEADER) {
        headers[name.toLowerCase()] = value;
      }
    }
  }
  const bodyError = text(result.bodyError);
  if (bodyError !== "") {
    headers[BODY_ERROR_HEADER] = bodyError;
  }
  return {
    ok: true,
    response: {
      status,
      reason: text(result.reason),
      body: bodyError !== "" ? "" : text(result.body),
      headers,
    },
  };
}

function sendOne(deps: NativeTransportDeps, request: TransportRequest): PendingRequest {
  let done = false;
  let handle: NativeHandle | null = null;
  let resolve: (result: TransportResult) => void = () => undefined;
  const result = new Promise<TransportResult>((r) => {
    resolve = r;
  });

  function finish(outcome: TransportResult): void {
    if (done) {
      return;
    }
    done = true;
    resolve(outcome);
  }

  const spec: NativeRequestSpec = {
    method: request.method,
    url: request.url,
    headers: request.headers,
    timeoutMs: request.timeoutMs > 0 && request.timeoutMs < Infinity ? request.timeoutMs : 0,
    tls: nativeTlsSpec(deps.policy),
  };
  if (request.body !== undefined) {
    spec.body = request.body;
  }

  try {
    handle = deps.nativeRequest(spec, (native) => {
      const outcome = fromNativeResult(native);
      if (!outcome.ok && outcome.failure.kind === "tls" && deps.policy.mode === "ca") {
        outcome.failure.caMode = true;
      }
      finish(outcome);
    });
  } catch (e) {
    const detail = e instanceof Error && e.message ? e.message : "the request could not be sent";
    finish({ ok: false, failure: { kind: "unreachable", detail } });
  }

  return {
    result,
    abort: () => {
      if (done) {
        return;
      }
      finish({ ok: false, failure: { kind: "aborted", detail: "aborted by the caller" } });
      try {
        handle?.abort();
      } catch {
        // The request is over for the caller either way.
      }
    },
  };
}

export function createNativeTransport(deps: NativeTransportDeps): Transport {
  return { send: (request) => sendOne(deps, request) };
}
