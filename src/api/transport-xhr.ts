// Transport over QML's XMLHttpRequest, the only HTTP client inside
// plasmashell. It has no timeout (a scheduler Timer plus abort() stands in),
// no TLS hooks (the system trust store decides, and a refusal is
// indistinguishable from a refused connection: both are status 0), and its
// abort() fires readystatechange(DONE) synchronously and then onerror — so
// every path goes through one guarded finish().
//
// Qt delivers an XMLHttpRequest's asynchronous events only if send() was
// called from a function that belongs to a QML context. Called from code in
// this module, send() succeeds but no later event ever arrives (measured with
// Qt 6.4's qmltestrunner): hence the `send` dependency, written in QML.

import { WIRE_DETAIL } from "./errors";
import type { Cancel, Scheduler } from "../scheduler";
import type { PendingRequest, Transport, TransportRequest, TransportResult } from "./transport";

export interface XhrTransportDeps {
  /** A fresh XMLHttpRequest per call (QML: `() => new XMLHttpRequest()`). */
  createRequest: () => QmlXMLHttpRequest;
  /**
   * Must be defined in a QML file, exactly `(xhr, body) => xhr.send(body)`:
   * Qt ties the request's events to the QML context of send()'s caller.
   */
  send: (xhr: QmlXMLHttpRequest, body: string | null) => void;
  scheduler: Scheduler;
}

const DONE = 4;

function contentType(xhr: QmlXMLHttpRequest): Record<string, string> {
  try {
    const value = xhr.getResponseHeader("Content-Type");
    return value ? { "content-type": value } : {};
  } catch {
    return {};
  }
}

function quietAbort(xhr: QmlXMLHttpRequest): void {
  try {
    xhr.abort();
  } catch {
    // Aborting a request that already failed may throw; it is over either way.
  }
}

function sendOne(deps: XhrTransportDeps, request: TransportRequest): PendingRequest {
  let done = false;
  let cancelTimer: Cancel | null = null;
  let resolve: (result: TransportResult) => void = () => undefined;
  const result = new Promise<TransportResult>((r) => {
    resolve = r;
  });
  const xhr = deps.createRequest();

  function finish(outcome: TransportResult): void {
    if (done) {
      return;
    }
    done = true;
    if (cancelTimer) {
      cancelTimer();
      cancelTimer = null;
    }
    xhr.onreadystatechange = null;
    resolve(outcome);
  }

  /** Marks the request finished first, so the DONE event abort() fires is ignored. */
  function stop(kind: "timeout" | "aborted", detail: string): void {
    if (done) {
      return;
    }
    finish({ ok: false, failure: { kind, detail } });
    quietAbort(xhr);
  }

  xhr.onreadystatechange = () => {
    if (done || xhr.readyState !== DONE) {
      return;
    }
    if (xhr.status === 0) {
      finish({ ok: false, failure: { kind: "unreachable", detail: WIRE_DETAIL.noResponse } });
      return;
    }
    finish({
      ok: true,
      response: {
        status: xhr.status,
        reason: xhr.statusText || "",
        body: xhr.responseText || "",
        headers: contentType(xhr),
      },
    });
  };

  if (request.timeoutMs > 0 && request.timeoutMs < Infinity) {
    cancelTimer = deps.scheduler.schedule(request.timeoutMs, () => {
      stop("timeout", "no answer within " + String(request.timeoutMs) + " ms");
    });
  }

  try {
    xhr.open(request.method, request.url, true);
    const names = Object.keys(request.headers);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      xhr.setRequestHeader(name, request.headers[name] as string);
    }
    deps.send(xhr, request.body === undefined ? null : request.body);
  } catch (e) {
    // Qt throws on a malformed URL; the message names the URL, never the headers.
    const detail = e instanceof Error && e.message ? e.message : "the request could not be sent";
    finish({ ok: false, failure: { kind: "unreachable", detail } });
  }

  return {
    result,
    abort: () => stop("aborted", "aborted by the caller"),
  };
}

export function createXhrTransport(deps: XhrTransportDeps): Transport {
  return { send: (request) => sendOne(deps, request) };
}
