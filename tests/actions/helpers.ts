// A scriptable API client for the action runner: every request stays open
// until the test answers it, so the tests see exactly what is in flight.

import type { ApiCall } from "../../src/api/client";
import type { ProxmonError, Result } from "../../src/api/errors";
import type { ActionApi } from "../../src/actions/runner";
import type { ActionGuest } from "../../src/actions/rules";

export interface FakeCall {
  method: "GET" | "POST";
  path: string;
  params: Record<string, string> | undefined;
  /** Scheduler time it was sent. */
  at: number;
  open: boolean;
  aborted: boolean;
  answer(result: Result<unknown>): void;
}

export interface FakeApi extends ActionApi {
  calls: FakeCall[];
  /** Most calls open at once so far. */
  maxInFlight: number;
  inFlight(): number;
  last(): FakeCall;
  ok(value: unknown): void;
  fail(error: ProxmonError): void;
}

export function createFakeApi(now: () => number): FakeApi {
  const calls: FakeCall[] = [];
  const api: FakeApi = {
    calls,
    maxInFlight: 0,
    inFlight: () => calls.filter((c) => c.open).length,
    last() {
      const c = calls[calls.length - 1];
      if (!c) throw new Error("no request was sent");
      return c;
    },
    ok(value) {
      api.last().answer({ ok: true, value });
    },
    fail(error) {
      api.last().answer({ ok: false, error });
    },
    get: (path, query) =>
      send("GET", path + (query ? "?" + new URLSearchParams(query).toString() : ""), undefined),
    post: (path, params) => send("POST", path, params),
    cleanText: (text) =>
      text
        .replace(/SECRET-[0-9a-f-]+/g, "[redacted]")
        .replace(/\s+/g, " ")
        .trim(),
  };
  function send(
    method: "GET" | "POST",
    path: string,
    params: Record<string, string> | undefined,
  ): ApiCall<unknown> {
    let settle!: (r: Result<unknown>) => void;
    const result = new Promise<Result<unknown>>((r) => (settle = r));
    const call: FakeCall = {
      method,
      path,
      params,
      at: now(),
      open: true,
      aborted: false,
      answer(r) {
        if (!call.open) return;
        call.open = false;
        settle(r);
      },
    };
    calls.push(call);
    api.maxInFlight = Math.max(api.maxInFlight, api.inFlight());
    return {
      result,
      abort() {
        if (!call.open) return;
        call.aborted = true;
        call.answer({ ok: false, error: { kind: "aborted", message: "aborted" } });
      },
    };
  }
  return api;
}

export function guest(over: Partial<ActionGuest> = {}): ActionGuest {
  return {
    vmid: 100,
    type: "qemu",
    name: "web-01",
    node: "pve1",
    status: "running",
    template: false,
    lock: null,
    hastate: null,
    ...over,
  };
}

export function upid(type = "qmshutdown", node = "pve1", vmid = 100): string {
  return `UPID:${node}:0001E240:1000007A7:6955B909:${type}:${vmid}:ops@pve!power:`;
}

export const tr = (template: string, ...args: Array<string | number>): string =>
  template.replace(/%(\d)/g, (_m, n: string) => String(args[Number(n) - 1]));
