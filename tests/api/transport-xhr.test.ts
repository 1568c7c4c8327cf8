import { describe, expect, it } from "vitest";

import { classifyWireFailure, WIRE_DETAIL } from "../../src/api/errors";
import type { TransportRequest, TransportResult } from "../../src/api/transport";
import { createXhrTransport } from "../../src/api/transport-xhr";
import type { Scheduler } from "../../src/scheduler";

/** Behaves like Qt's: abort() fires readystatechange(DONE) synchronously, then onerror. */
class FakeXhr implements QmlXMLHttpRequest {
  readyState = 0;
  status = 0;
  statusText = "";
  responseText = "";
  onreadystatechange: (() => void) | null = null;
  onerror: (() => void) | null = null;
  opened: { method: string; url: string } | null = null;
  headers: Record<string, string> = {};
  sentBody: string | null | undefined = undefined;
  aborts = 0;
  responseHeaders: Record<string, string> = {};

  open(method: string, url: string): void {
    this.opened = { method, url };
    this.readyState = 1;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  send(body?: string | null): void {
    this.sentBody = body;
  }
  abort(): void {
    this.aborts++;
    this.finish(0, "");
    this.onerror?.();
  }

  /** What Qt does when the reply arrives (or fails: status 0). */
  finish(status: number, statusText: string, body = ""): void {
    this.status = status;
    this.statusText = statusText;
    this.responseText = body;
    this.readyState = 2;
    this.onreadystatechange?.();
    this.readyState = 4;
    this.onreadystatechange?.();
  }
}

class FakeScheduler implements Scheduler {
  time = 0;
  private tasks: Array<{ at: number; run: () => void; cancelled: boolean }> = [];
  now(): number {
    return this.time;
  }
  schedule(delayMs: number, callback: () => void): () => void {
    const task = { at: this.time + delayMs, run: callback, cancelled: false };
    this.tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  }
  advance(ms: number): void {
    this.time += ms;
    for (const task of this.tasks.slice()) {
      if (!task.cancelled && task.at <= this.time) {
        task.cancelled = true;
        task.run();
      }
    }
  }
  pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }
}

const REQUEST: TransportRequest = {
  method: "GET",
  url: "https://pve.lan:8006/api2/json/version",
  headers: { Authorization: "PVEAPIToken=a@pam!b=c", Accept: "application/json" },
  timeoutMs: 5000,
};

function setup() {
  const xhrs: FakeXhr[] = [];
  const scheduler = new FakeScheduler();
  const transport = createXhrTransport({
    createRequest: () => {
      const xhr = new FakeXhr();
      xhrs.push(xhr);
      return xhr;
    },
    send: (xhr, body) => xhr.send(body),
    scheduler,
  });
  return { xhrs, scheduler, transport };
}

/** Resolves to the result if it settled by now, else "pending". */
async function peek(promise: Promise<TransportResult>): Promise<TransportResult | "pending"> {
  return Promise.race([promise, new Promise<"pending">((r) => setTimeout(() => r("pending"), 0))]);
}

describe("createXhrTransport", () => {
  it("sends a POST body through the QML-side send function", async () => {
    const { xhrs, transport } = setup();
    const pending = transport.send({
      ...REQUEST,
      method: "POST",
      headers: { ...REQUEST.headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: "timeout=60",
    });
    const xhr = xhrs[0] as FakeXhr;
    expect(xhr.opened).toEqual({ method: "POST", url: REQUEST.url });
    expect(xhr.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(xhr.sentBody).toBe("timeout=60");
    xhr.finish(200, "OK", '{"data":"UPID:x"}');
    expect((await pending.result).ok).toBe(true);
  });

  it("sends method, URL and headers, and reports the response", async () => {
    const { xhrs, transport, scheduler } = setup();
    const pending = transport.send(REQUEST);
    const xhr = xhrs[0] as FakeXhr;
    expect(xhr.opened).toEqual({ method: "GET", url: REQUEST.url });
    expect(xhr.headers).toEqual(REQUEST.headers);
    expect(xhr.sentBody).toBeNull();
    xhr.responseHeaders["content-type"] = "application/json;charset=UTF-8";
    xhr.finish(200, "OK", '{"data":1}');
    expect(await pending.result).toEqual({
      ok: true,
      response: {
        status: 200,
        reason: "OK",
        body: '{"data":1}',
        headers: { "content-type": "application/json;charset=UTF-8" },
      },
    });
    expect(scheduler.pending()).toBe(0);
  });

  it("times out with abort(), and ignores the DONE and error events abort fires", async () => {
    const { xhrs, transport, scheduler } = setup();
    const pending = transport.send(REQUEST);
    const xhr = xhrs[0] as FakeXhr;
    scheduler.advance(4999);
    expect(await peek(pending.result)).toBe("pending");
    scheduler.advance(1);
    expect(xhr.aborts).toBe(1);
    const result = await pending.result;
    expect(result).toEqual({
      ok: false,
      failure: { kind: "timeout", detail: "no answer within 5000 ms" },
    });
    // A late reply changes nothing.
    xhr.finish(200, "OK", "{}");
    expect(await pending.result).toEqual(result);
  });

  it("abort by the caller resolves once as aborted and cancels the timer", async () => {
    const { xhrs, transport, scheduler } = setup();
    const pending = transport.send(REQUEST);
    pending.abort();
    pending.abort();
    expect((xhrs[0] as FakeXhr).aborts).toBe(1);
    expect(await pending.result).toEqual({
      ok: false,
      failure: { kind: "aborted", detail: "aborted by the caller" },
    });
    expect(scheduler.pending()).toBe(0);
    scheduler.advance(10_000);
    expect((xhrs[0] as FakeXhr).aborts).toBe(1);
  });

  it("status 0 without abort is reported as no response, naming both causes", async () => {
    const { xhrs, transport } = setup();
    const pending = transport.send(REQUEST);
    (xhrs[0] as FakeXhr).finish(0, "");
    const result = await pending.result;
    expect(result).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: WIRE_DETAIL.noResponse },
    });
    if (!result.ok) {
      const error = classifyWireFailure(result.failure, {
        host: "pve.lan",
        port: 8006,
        path: "/version",
      });
      expect(error.kind).toBe("unreachable");
      expect(error.message).toMatch(/refused.*certificate/);
    }
  });

  it("an abort after completion does nothing", async () => {
    const { xhrs, transport } = setup();
    const pending = transport.send(REQUEST);
    (xhrs[0] as FakeXhr).finish(401, "invalid token value!");
    pending.abort();
    expect((xhrs[0] as FakeXhr).aborts).toBe(0);
    const result = await pending.result;
    expect(result.ok && result.response.status).toBe(401);
    expect(result.ok && result.response.reason).toBe("invalid token value!");
  });

  it("a request that throws while opening becomes a failure", async () => {
    const scheduler = new FakeScheduler();
    const transport = createXhrTransport({
      createRequest: () => {
        const xhr = new FakeXhr();
        xhr.open = () => {
          throw new Error("invalid URL");
        };
        return xhr;
      },
      send: (xhr, body) => xhr.send(body),
      scheduler,
    });
    const result = await transport.send(REQUEST).result;
    expect(result).toEqual({ ok: false, failure: { kind: "unreachable", detail: "invalid URL" } });
    expect(scheduler.pending()).toBe(0);
  });

  it("sends through the QML-side send function", async () => {
    const sends: Array<string | null> = [];
    const scheduler = new FakeScheduler();
    const xhr = new FakeXhr();
    const transport = createXhrTransport({
      createRequest: () => xhr,
      send: (request, body) => {
        sends.push(body);
        request.send(body);
      },
      scheduler,
    });
    const pending = transport.send({ ...REQUEST, method: "POST", body: "a=1" });
    expect(sends).toEqual(["a=1"]);
    expect(xhr.sentBody).toBe("a=1");
    xhr.finish(200, "OK", '{"data":null}');
    expect((await pending.result).ok).toBe(true);
  });

  it("a synchronous reply during send() is handled", async () => {
    const scheduler = new FakeScheduler();
    const transport = createXhrTransport({
      createRequest: () => {
        const xhr = new FakeXhr();
        xhr.send = () => xhr.finish(0, "");
        return xhr;
      },
      send: (xhr, body) => xhr.send(body),
      scheduler,
    });
    const result = await transport.send(REQUEST).result;
    expect(!result.ok && result.failure.kind).toBe("unreachable");
    expect(scheduler.pending()).toBe(0);
  });
});
