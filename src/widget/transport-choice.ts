// Plan → transport, for the widget and the settings page alike: XHR for
// system trust (re-asked through the native module, when there is one, to see
// a refused certificate), the native module for a pin, a cluster CA or no
// checks. Everything QML must own (creating an XMLHttpRequest and calling its
// send(), the module's objects) comes in as functions.

import type { Transport } from "../api/transport";
import {
  createNativeTransport,
  type NativeHandle,
  type NativeRequestSpec,
  type NativeResult,
} from "../api/transport-native";
import { createXhrTransport } from "../api/transport-xhr";
import type { TlsPolicy } from "../api/tls-policy";
import type { TlsPlan } from "../api/trust";
import { withTlsDiagnosis } from "../api/trust";
import type { Scheduler } from "../scheduler";

type NativeRequest = (
  spec: NativeRequestSpec,
  onDone: (result: NativeResult) => void,
) => NativeHandle;

/** The native TLS module as NativeLoader.qml hands it in. */
export interface NativeModule {
  /** Requests on the module's shared client. */
  request: NativeRequest;
  /** One request on a client of its own: a new handshake, so a new pin check. */
  requestFresh: NativeRequest;
}

export interface TransportDeps {
  scheduler: Scheduler;
  /** `() => new XMLHttpRequest()`, written in QML. */
  createRequest: () => QmlXMLHttpRequest;
  /** `(xhr, body) => xhr.send(body)`, written in QML: Qt delivers XHR events only then. */
  send: (xhr: QmlXMLHttpRequest, body: string | null) => void;
  /** Absent (null) when install.sh did not build the module into the package. */
  native: NativeModule | null;
}

/** A transport through the native module for one policy. */
export function nativeTransportFor(native: NativeModule, policy: TlsPolicy): Transport {
  return createNativeTransport({
    // A pin is checked only on a new connection (NativeLoader.qml).
    nativeRequest: policy.mode === "pin" ? native.requestFresh : native.request,
    policy,
  });
}

/** The transport for a plan; null when the plan refuses to send anything. */
export function transportFor(plan: TlsPlan, deps: TransportDeps): Transport | null {
  if (plan.transport === "blocked") return null;
  if (plan.transport === "native") {
    return deps.native ? nativeTransportFor(deps.native, plan.policy) : null;
  }
  const xhr = createXhrTransport({
    scheduler: deps.scheduler,
    createRequest: deps.createRequest,
    send: deps.send,
  });
  // XHR cannot say why a connection failed; the module (system trust, so it
  // refuses exactly what XHR refused) can show the certificate.
  return deps.native
    ? withTlsDiagnosis(
        xhr,
        createNativeTransport({ nativeRequest: deps.native.request, policy: { mode: "system" } }),
      )
    : xhr;
}
