// Test doubles for the simulator tests: a manual clock standing in for
// QML's Timer, and a small HTTPS client that trusts only the simulator's CA.

import { request as httpsRequest } from "node:https";
import { gunzipSync, inflateSync } from "node:zlib";
import type { Cancel, Scheduler } from "../../src/scheduler";

export interface FakeScheduler extends Scheduler {
  /** Moves the clock, running every callback that falls due, in order. */
  advance(ms: number): void;
  pending(): number;
}

export function createFakeScheduler(startMs = 1_700_000_000_000): FakeScheduler {
  let now = startMs;
  let seq = 0;
  let tasks: { at: number; seq: number; fn: () => void }[] = [];
  return {
    now: () => now,
    schedule(delayMs: number, fn: () => void): Cancel {
      const task = { at: now + Math.max(0, delayMs), seq: seq++, fn };
      tasks.push(task);
      return () => {
        tasks = tasks.filter((t) => t !== task);
      };
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = tasks[0];
        if (!next || next.at > end) break;
        tasks.shift();
        now = next.at;
        next.fn();
      }
      now = end;
    },
    pending: () => tasks.length,
  };
}

export interface HttpAnswer {
  status: number;
  reason: string;
  headers: Record<string, string | string[] | undefined>;
  /** Bytes as received. */
  raw: Buffer;
  /** Decompressed text. */
  text: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

/** Resolves with the answer, or rejects with the socket error (code in `.code`). */
export function httpsCall(
  caPem: string,
  url: string,
  options: HttpOptions = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const req = httpsRequest(
      url,
      { method: options.method ?? "GET", headers, ca: caPem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const enc = res.headers["content-encoding"];
          const plain =
            enc === "gzip" ? gunzipSync(raw) : enc === "deflate" ? inflateSync(raw) : raw;
          resolve({
            status: res.statusCode ?? 0,
            reason: res.statusMessage ?? "",
            headers: res.headers,
            raw,
            text: plain.toString("utf8"),
          });
        });
      },
    );
    req.on("error", reject);
    if (options.timeoutMs) {
      req.setTimeout(options.timeoutMs, () =>
        req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })),
      );
    }
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function tokenHeader(id: string, secret: string): Record<string, string> {
  return { Authorization: `PVEAPIToken=${id}=${secret}` };
}
