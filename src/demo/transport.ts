// A Transport with a whole Proxmox cluster inside: "Try the demo cluster"
// works offline, in plasmashell's V4 engine, with the same code path as a
// real server. Time comes from the injected Scheduler (V4 has no
// setTimeout), which also delivers answers after a plausible latency.

import type { Scheduler } from "../scheduler";
import type {
  PendingRequest,
  Transport,
  TransportRequest,
  TransportResult,
} from "../api/transport";
import { handleApiRequest, parseQuery } from "../sim-engine/api";
import type { SimCluster } from "../sim-engine/cluster-model";
import { createSimCluster } from "../sim-engine/cluster-model";
import { DEMO_SCENARIO } from "./demo-scenario";
import {
  DELAY_DEFAULT_MS,
  HUGE_DEFAULT_BYTES,
  SLOW_DEFAULT_MS,
  faultReply,
  hugeBodyChunks,
  normaliseApiPath,
} from "../sim-engine/faults";
import type { ApiReply } from "../sim-engine/reply";
import { JSON_CONTENT_TYPE } from "../sim-engine/reply";
import type { Scenario } from "../sim-engine/scenario";
import { applyTimeline } from "../sim-engine/scenario";

export { DEMO_SCENARIO, DEMO_SCENARIO_JSON } from "./demo-scenario";

/** Host name of the demo; ".invalid" can never resolve to a real server. */
export const DEMO_HOST = "demo.invalid";
export const DEMO_PORT = 8006;

export interface DemoTransportDeps {
  scheduler: Scheduler;
  /** Defaults to DEMO_SCENARIO. */
  scenario?: Scenario;
  /** Round trip of every answer (default 80 ms). */
  latencyMs?: number;
  /** Simulated seconds per real second (default 1). */
  timeScale?: number;
  /** PVE answers failed logins after ~3 s; default 0 here. */
  authDelayMs?: number;
}

export interface DemoTransport extends Transport {
  /** The live model: tests and a "developer mode" may script it. */
  readonly cluster: SimCluster;
  /** Simulated seconds since the transport was created. */
  elapsedSeconds(): number;
  /** Brings the model up to the scheduler's clock (send() does this itself). */
  sync(): void;
}

const URL_PATTERN =
  /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/;

export function createDemoTransport(deps: DemoTransportDeps): DemoTransport {
  const scheduler = deps.scheduler;
  const startMs = scheduler.now();
  // Backup and task times count from now, so the demo's last backups are hours old, not years.
  const cluster = createSimCluster(deps.scenario ?? DEMO_SCENARIO, {
    epoch: Math.floor(startMs / 1000),
  });
  const latency = Math.max(0, deps.latencyMs ?? 80);
  const timeScale = deps.timeScale ?? 1;
  const authDelay = Math.max(0, deps.authDelayMs ?? 0);

  const elapsedSeconds = (): number =>
    Math.max(0, ((scheduler.now() - startMs) / 1000) * timeScale);
  const sync = (): void => {
    applyTimeline(cluster, elapsedSeconds());
  };

  function send(request: TransportRequest): PendingRequest {
    let settled = false;
    const timers: (() => void)[] = [];
    let resolveResult: (r: TransportResult) => void = () => undefined;
    const result = new Promise<TransportResult>((resolve) => {
      resolveResult = resolve;
    });
    const finish = (r: TransportResult): void => {
      if (settled) return;
      settled = true;
      for (const cancel of timers) cancel();
      resolveResult(r);
    };
    const after = (ms: number, outcome: () => TransportResult): void => {
      timers.push(scheduler.schedule(ms, () => finish(outcome())));
    };

    if (request.timeoutMs > 0) {
      after(request.timeoutMs, () => ({
        ok: false,
        failure: { kind: "timeout", detail: `no answer within ${request.timeoutMs} ms` },
      }));
    }

    const m = URL_PATTERN.exec(request.url);
    const host = m ? (m[2] ?? "").toLowerCase() : "";
    if (!m || (m[1] ?? "").toLowerCase() !== "https" || host !== DEMO_HOST) {
      after(latency, () => ({
        ok: false,
        failure: {
          kind: "unreachable",
          detail: m ? `getaddrinfo ENOTFOUND ${host}` : "invalid URL",
        },
      }));
      return {
        result,
        abort: () => finish({ ok: false, failure: { kind: "aborted", detail: "aborted" } }),
      };
    }

    const rawPath = m[4] || "/";
    let reply: ApiReply | null = null;
    let extraDelay = 0;
    let reset = false;
    let hang = false;
    if (rawPath.indexOf("/api2/json") !== 0) {
      reply = { status: 404, reason: "Not Found", body: "", contentType: null };
    } else {
      sync();
      const path = normaliseApiPath(rawPath);
      const fault = cluster.faults.take(request.method, path);
      if (fault) {
        reply = faultReply(fault, cluster.api.errorMessageInBody);
        if (fault.kind === "hang") hang = true;
        else if (fault.kind === "reset") reset = true;
        else if (fault.kind === "slow") extraDelay = fault.delayMs ?? SLOW_DEFAULT_MS;
        else if (fault.kind === "delay") extraDelay = fault.delayMs ?? DELAY_DEFAULT_MS;
        else if (fault.kind === "huge") {
          let body = "";
          for (const chunk of hugeBodyChunks(fault.bytes ?? HUGE_DEFAULT_BYTES, 1024 * 1024))
            body += chunk;
          reply = { status: 200, reason: "OK", body, contentType: JSON_CONTENT_TYPE };
        }
      }
      if (!reply && !hang && !reset) {
        reply = handleApiRequest(cluster, {
          method: request.method,
          path,
          query: parseQuery(m[5] ?? ""),
          authorization: headerValue(request.headers, "authorization"),
          body: request.body,
          contentType: headerValue(request.headers, "content-type"),
        });
      }
    }

    if (hang) {
      // Only the request's own timeout (or abort) ends this one.
    } else if (reset) {
      after(latency, () => ({ ok: false, failure: { kind: "unreachable", detail: "ECONNRESET" } }));
    } else if (reply) {
      const r = reply;
      const headers: Record<string, string> = { server: "pve-api-daemon/3.0" };
      if (r.contentType !== null) headers["content-type"] = r.contentType;
      after(latency + extraDelay + (r.authFailed ? authDelay : 0), () => ({
        ok: true,
        response: { status: r.status, reason: r.reason, body: r.body, headers },
      }));
    }
    return {
      result,
      abort: () => finish({ ok: false, failure: { kind: "aborted", detail: "aborted" } }),
    };
  }

  return { send, cluster, elapsedSeconds, sync };
}

function headerValue(headers: Record<string, string>, name: string): string | null {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key] ?? null;
  }
  return null;
}
