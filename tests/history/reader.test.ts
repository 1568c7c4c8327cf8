import { describe, expect, it } from "vitest";

import type { ApiCall } from "../../src/api/client";
import type { Result } from "../../src/api/errors";
import { createHistoryReader, type HistoryChange } from "../../src/history/reader";
import type { HistoryTarget } from "../../src/history/rrd";
import { createFakeScheduler } from "../helpers/fake-scheduler";

interface Sent {
  path: string;
  query: Record<string, string> | undefined;
  aborted: boolean;
  answer(data: unknown): void;
  fail(): void;
}

/** A client whose answers the test hands out one by one. */
function fakeClient() {
  const sent: Sent[] = [];
  return {
    sent,
    get(path: string, query?: Record<string, string>): ApiCall<unknown> {
      let resolve!: (r: Result<unknown>) => void;
      const result = new Promise<Result<unknown>>((r) => (resolve = r));
      const entry: Sent = {
        path,
        query,
        aborted: false,
        answer: (data) => resolve({ ok: true, value: data }),
        fail: () => resolve({ ok: false, error: { kind: "timeout", message: "timed out", path } }),
      };
      sent.push(entry);
      return {
        result,
        abort() {
          entry.aborted = true;
        },
      };
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

/** 60 one-minute buckets ending at `end` (seconds). */
function hourRows(end: number, n = 60) {
  const rows = [];
  for (let i = n - 1; i >= 0; i--) rows.push({ time: end - i * 60, cpu: 0.1, mem: 1, maxmem: 2 });
  return rows;
}

const NODE = (node: string): { target: HistoryTarget; timeframe: "hour" } => ({
  target: { kind: "node", node },
  timeframe: "hour",
});

describe("history reader", () => {
  it("with nothing visible sends nothing, however long it runs", () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    sched.advance(3_600_000);
    reader.setVisible([]);
    sched.advance(3_600_000);
    expect(client.sent).toHaveLength(0);
    expect(sched.pending()).toBe(0);
  });

  it("reads each visible item at most once per RRD step (60 s for hour)", async () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    reader.setVisible([NODE("pve1"), NODE("pve2"), NODE("pve3")]);
    expect(client.sent.map((s) => s.path)).toEqual([
      "/nodes/pve1/rrddata",
      "/nodes/pve2/rrddata",
      "/nodes/pve3/rrddata",
    ]);
    expect(client.sent[0]!.query).toEqual({ timeframe: "hour", cf: "AVERAGE" });
    for (const s of client.sent) s.answer(hourRows(1000));
    await flush();
    // Re-announcing the same items (every refresh does) sends nothing new.
    for (let i = 0; i < 5; i++) {
      reader.setVisible([NODE("pve1"), NODE("pve2"), NODE("pve3")]);
      sched.advance(10_000);
    }
    expect(client.sent).toHaveLength(3);
    sched.advance(10_000); // 60 s after the first requests
    expect(client.sent).toHaveLength(6);
    // Rounds at 0, 60, …, 540 s with three cards: 10 rounds × 3 = 30, not more.
    for (let minute = 0; minute < 8; minute++) {
      for (const s of client.sent.slice(-3)) s.answer(hourRows(1060 + minute * 60));
      await flush();
      sched.advance(60_000);
    }
    expect(client.sent).toHaveLength(30);
    expect(reader.stats().requests).toBe(30);
  });

  it("closing the popup aborts what is in flight, cancels the timers, and discards late answers", async () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    const changes: HistoryChange[] = [];
    reader.onChange((c) => changes.push(c));
    reader.setVisible([NODE("pve1")]);
    reader.close();
    expect(client.sent[0]!.aborted).toBe(true);
    client.sent[0]!.answer(hourRows(1000));
    await flush();
    expect(changes).toHaveLength(0);
    expect(reader.series("node/pve1")).toBeNull();
    sched.advance(600_000);
    expect(client.sent).toHaveLength(1);
    expect(sched.pending()).toBe(0);
    expect(reader.stats()).toMatchObject({
      requests: 1,
      applied: 0,
      aborted: 1,
      discarded: 1,
      inFlight: 0,
    });
  });

  it("counts what is in flight: sent, answered, failed, aborted and answered late", async () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    reader.setVisible([NODE("pve1"), NODE("pve2"), NODE("pve3")]);
    expect(reader.stats().inFlight).toBe(3);
    client.sent[0]!.answer(hourRows(1000));
    client.sent[1]!.fail();
    await flush();
    expect(reader.stats().inFlight).toBe(1);
    // pve3 leaves the screen, then its aborted read answers anyway.
    reader.setVisible([NODE("pve1"), NODE("pve2")]);
    expect(reader.stats().inFlight).toBe(0);
    client.sent[2]!.answer(hourRows(1000));
    await flush();
    expect(reader.stats()).toMatchObject({ requests: 3, applied: 1, aborted: 1, inFlight: 0 });
  });

  it("an item that leaves the screen stops being read; one that comes back within a step costs nothing", async () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    reader.setVisible([
      NODE("pve1"),
      { target: { kind: "qemu", node: "pve1", vmid: 101 }, timeframe: "hour" },
    ]);
    for (const s of client.sent) s.answer(hourRows(1000));
    await flush();
    reader.setVisible([NODE("pve1")]); // guest detail closed
    sched.advance(20_000);
    reader.setVisible([
      NODE("pve1"),
      { target: { kind: "qemu", node: "pve1", vmid: 101 }, timeframe: "hour" },
    ]);
    expect(client.sent).toHaveLength(2);
    sched.advance(40_000);
    expect(client.sent.map((s) => s.path).slice(2)).toEqual([
      "/nodes/pve1/rrddata",
      "/nodes/pve1/qemu/101/rrddata",
    ]);
  });

  it("appends new buckets and drops old ones instead of resetting (no flicker)", async () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    const changes: HistoryChange[] = [];
    reader.onChange((c) => changes.push(c));
    reader.setVisible([NODE("pve1")]);
    client.sent[0]!.answer(hourRows(6000));
    await flush();
    expect(changes[0]).toMatchObject({ reset: true, appended: 60, dropped: 0 });
    const series = reader.series("node/pve1")!;
    const firstArray = series.points;
    sched.advance(60_000);
    client.sent[1]!.answer(hourRows(6120)); // two buckets later
    await flush();
    expect(changes[1]).toMatchObject({ reset: false, appended: 2, dropped: 2 });
    expect(reader.series("node/pve1")!.points).toBe(firstArray);
    expect(firstArray).toHaveLength(60);
    expect(firstArray[59]!.time).toBe(6120);
    // The same answer again changes nothing and tells nobody.
    sched.advance(60_000);
    client.sent[2]!.answer(hourRows(6120));
    await flush();
    expect(changes).toHaveLength(2);
    // A switch of timeframe is a new series.
    reader.setVisible([{ target: { kind: "node", node: "pve1" }, timeframe: "day" }]);
    expect(client.sent[3]!.query).toEqual({ timeframe: "day", cf: "AVERAGE" });
  });

  it("a superseded answer (after the item moved to another node) is never applied", async () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    reader.setVisible([{ target: { kind: "qemu", node: "pve1", vmid: 101 }, timeframe: "hour" }]);
    reader.setVisible([{ target: { kind: "qemu", node: "pve2", vmid: 101 }, timeframe: "hour" }]);
    expect(client.sent.map((s) => s.path)).toEqual([
      "/nodes/pve1/qemu/101/rrddata",
      "/nodes/pve2/qemu/101/rrddata",
    ]);
    client.sent[1]!.answer([{ time: 500, cpu: 0.5 }]);
    await flush();
    client.sent[0]!.answer([{ time: 900, cpu: 0.9 }]);
    await flush();
    const s = reader.series("qemu/101")!;
    expect(s.target).toMatchObject({ node: "pve2" });
    expect(s.points.map((p) => p.time)).toEqual([500]);
  });

  it("learns a longer step from the answer's spacing (pre-9 week: 3 h)", async () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    reader.setVisible([
      { target: { kind: "storage", node: "pve1", storage: "local" }, timeframe: "week" },
    ]);
    client.sent[0]!.answer([
      { time: 0, used: 1, total: 10 },
      { time: 10800, used: 2, total: 10 },
    ]);
    await flush();
    sched.advance(1800_000);
    expect(client.sent).toHaveLength(1);
    sched.advance(9000_000);
    expect(client.sent).toHaveLength(2);
  });

  it("dispose cancels everything", () => {
    const sched = createFakeScheduler(1_000_000);
    const client = fakeClient();
    const reader = createHistoryReader({ client, scheduler: sched });
    reader.setVisible([NODE("a"), NODE("b")]);
    reader.dispose();
    expect(client.sent.every((s) => s.aborted)).toBe(true);
    reader.setVisible([NODE("a")]);
    expect(client.sent).toHaveLength(2);
  });
});
