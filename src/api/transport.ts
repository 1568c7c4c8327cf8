// One interface for every way the client can move bytes: QML's
// XMLHttpRequest, Node's https (CLI, tests), the native TLS module and the
// in-memory demo. A transport knows nothing about Proxmox; it reports what
// happened on the wire and the client classifies it.

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface TransportRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The transport must give up (and report "timeout") after this long. */
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  /** The HTTP reason phrase; PVE puts its error message there. */
  reason: string;
  body: string;
  /** Lower-cased header names; may be empty where the transport cannot read them. */
  headers: Record<string, string>;
}

/** What a TLS peer presented, for errors and trust-on-first-use. */
export interface CertificateInfo {
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by ':' (as PVE's ssl_fingerprint). */
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

/**
 * "protocol": the server answered, but not in valid HTTP (an invalid status
 * line, Content-Length or chunk size); detail starts with the parser's code,
 * e.g. "HPE_INVALID_CHUNK_SIZE".
 */
export type WireFailureKind = "tls" | "unreachable" | "timeout" | "aborted" | "protocol";

export interface WireFailure {
  kind: WireFailureKind;
  /** Low-level detail (e.g. "ECONNREFUSED", "certificate has expired"); never contains credentials. */
  detail: string;
  certificate?: CertificateInfo;
  /** For a pin mismatch: the fingerprint that was pinned, so both can be shown. */
  pinnedFingerprint256?: string;
  /**
   * For "tls": the certificate was checked against the CA given in the
   * settings (CLI: --ca), not against the system's trust store.
   */
  caMode?: boolean;
}

export type TransportResult =
  { ok: true; response: TransportResponse } | { ok: false; failure: WireFailure };

export interface PendingRequest {
  /** Always resolves, never rejects. After abort() it resolves with kind "aborted". */
  readonly result: Promise<TransportResult>;
  abort(): void;
}

export interface Transport {
  send(request: TransportRequest): PendingRequest;
}
