// Trust decisions shared by the widget and its settings page: which transport
// a TLS setting needs, how a failed XMLHttpRequest gets explained, and
// whether a presented certificate is one Proxmox itself reports for a node.
// Pure functions and transport wrappers only; QML owns the native module and
// hands it in, so nothing here depends on whether it is installed.

import { decodeNodeFingerprints } from "../model/decode-nodes";
import { createClient, type ClientOptions } from "./client";
import { WIRE_DETAIL, type ProxmonError } from "./errors";
import { checkCaPem, extractCaPem, type CaPemProblem } from "./pem";
import { normaliseFingerprint, type TlsPolicy } from "./tls-policy";
import type { PendingRequest, Transport, TransportResult } from "./transport";

/**
 * The node whose `ssl_fingerprint` in GET /nodes equals `fingerprint`, or
 * null (no such node, unreadable data, not a SHA-256). PVE computes that
 * fingerprint from the certificate file on the node, so a match says the
 * certificate on the wire is the one the cluster installed.
 */
export function matchNodeFingerprint(nodesData: unknown, fingerprint: string): string | null {
  const wanted = normaliseFingerprint(fingerprint);
  if (wanted === null) {
    return null;
  }
  const byNode = decodeNodeFingerprints(nodesData);
  const names = Object.keys(byNode).sort();
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (byNode[name] === wanted) {
      return name;
    }
  }
  return null;
}

/** The stored TLS settings, as main.xml holds them. */
export interface TlsSettings {
  /** "system" (default), "pin" ("pinned" from an earlier draft is read as "pin"), "ca", "insecure". */
  tlsMode: string;
  tlsFingerprint: string;
  /** The cluster CA's PEM text for "ca"; absent in settings written before that mode existed. */
  tlsCaPem?: string;
  /** The earlier edition's only switch; with tlsMode "system" it still means insecure. */
  ignoreSsl: boolean;
}

export type TlsPlan =
  | { transport: "xhr"; mode: "system"; policy: TlsPolicy }
  | { transport: "native"; mode: "system" | "pin" | "ca" | "insecure"; policy: TlsPolicy }
  | {
      transport: "blocked";
      mode: "pin" | "ca" | "insecure";
      problem: "native-missing" | "bad-fingerprint" | "bad-ca";
      /** With "bad-ca": what is wrong with the stored PEM. */
      caProblem?: CaPemProblem;
    };

/** The mode the settings ask for, with the earlier edition's ignoreSsl folded in. */
export function effectiveTlsMode(settings: TlsSettings): "system" | "pin" | "ca" | "insecure" {
  const mode = (settings.tlsMode || "system").trim().toLowerCase();
  if (mode === "pin" || mode === "pinned") {
    return "pin";
  }
  if (mode === "ca") {
    return "ca";
  }
  if (mode === "insecure" || settings.ignoreSsl) {
    return "insecure";
  }
  return "system";
}

/**
 * How requests must travel for these settings. System trust stays on
 * XMLHttpRequest so a KDE Store package needs no compiled code; pinning, a
 * CA of the widget's own and skipping verification are only honest through
 * the native module, so without it they are refused rather than silently
 * downgraded or upgraded. A broken setting is reported before a missing
 * module: installing the module would not make it work.
 */
export function planTls(
  settings: TlsSettings,
  nativeAvailable: boolean,
  systemViaNative: boolean = false,
): TlsPlan {
  const mode = effectiveTlsMode(settings);
  if (mode === "system") {
    // Where XMLHttpRequest cannot be trusted to fail cleanly (Plasma 5's
    // goes through KIO, which asks about an untrusted certificate in a
    // message box nobody sees and lets the request time out), the module
    // checks against the same system store instead.
    return systemViaNative && nativeAvailable
      ? { transport: "native", mode, policy: { mode: "system" } }
      : { transport: "xhr", mode, policy: { mode: "system" } };
  }
  if (mode === "pin") {
    const pin = normaliseFingerprint(settings.tlsFingerprint || "");
    if (pin === null) {
      return { transport: "blocked", mode, problem: "bad-fingerprint" };
    }
    if (!nativeAvailable) {
      return { transport: "blocked", mode, problem: "native-missing" };
    }
    return { transport: "native", mode, policy: { mode: "pin", fingerprint256: pin } };
  }
  if (mode === "ca") {
    const text = settings.tlsCaPem || "";
    const caProblem = checkCaPem(text);
    const caPem = extractCaPem(text);
    if (caProblem !== null || caPem === null) {
      return { transport: "blocked", mode, problem: "bad-ca", caProblem: caProblem ?? "empty" };
    }
    if (!nativeAvailable) {
      return { transport: "blocked", mode, problem: "native-missing" };
    }
    return { transport: "native", mode, policy: { mode: "ca", caPem } };
  }
  if (!nativeAvailable) {
    return { transport: "blocked", mode, problem: "native-missing" };
  }
  return { transport: "native", mode, policy: { mode: "insecure" } };
}

function isNoResponse(result: TransportResult): boolean {
  return (
    !result.ok &&
    result.failure.kind === "unreachable" &&
    result.failure.detail === WIRE_DETAIL.noResponse
  );
}

/**
 * XMLHttpRequest reports a refused port and an untrusted certificate alike
 * as status 0. When that happens the same request goes once more through a
 * transport that can tell (the native module with system trust): its trust
 * decision is the system's, so it refuses exactly what XHR refused — before
 * anything is sent — but it says why and shows the certificate.
 */
export function withTlsDiagnosis(primary: Transport, diagnose: Transport): Transport {
  return {
    send(request): PendingRequest {
      let current: PendingRequest = primary.send(request);
      let aborted = false;
      const result = current.result.then((first) => {
        if (aborted || !isNoResponse(first)) {
          return first;
        }
        let second: PendingRequest;
        try {
          second = diagnose.send(request);
        } catch {
          return first;
        }
        current = second;
        return second.result.then((outcome) =>
          !outcome.ok && outcome.failure.kind === "aborted" && !aborted ? first : outcome,
        );
      });
      return {
        result,
        abort(): void {
          aborted = true;
          current.abort();
        },
      };
    },
  };
}

export interface NodeFingerprintCheck {
  /** "match": a node reports this fingerprint; "no-match": none does; "unknown": /nodes could not be read. */
  outcome: "match" | "no-match" | "unknown";
  node: string | null;
  error: ProxmonError | null;
}

/**
 * Asks the cluster, over a connection pinned to `fingerprint`, which node
 * has that certificate. The pin keeps the token from going to any other
 * certificate; the answer is a second opinion for the person deciding,
 * not a proof (a server holding the key could lie about it too).
 */
export function checkNodeFingerprint(
  options: ClientOptions,
  fingerprint: string,
  done: (check: NodeFingerprintCheck) => void,
): { abort(): void } {
  const call = createClient(options).get("/nodes");
  void call.result.then((result) => {
    if (!result.ok) {
      done({ outcome: "unknown", node: null, error: result.error });
      return;
    }
    const node = matchNodeFingerprint(result.value, fingerprint);
    done({ outcome: node === null ? "no-match" : "match", node, error: null });
  });
  return { abort: () => call.abort() };
}
