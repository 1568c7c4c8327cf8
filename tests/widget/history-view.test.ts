// The widget's history view (src/widget/history-view.ts): what it reads
// when, and the chart updates it gives QML (appended, not reset).
import { describe, expect, it } from "vitest";

import type { ApiCall } from "../../src/api/client";
import type { Result } from "../../src/api/errors";
import type { ResourcePoint } from "../../src/history/rrd";
import {
  bucketAge,
  chartRows,
  chartTops,
  createHistoryView,
  pointText,
  type ChartUpdate,
} from "../../src/widget/history-view";
import { createFakeScheduler } from "../helpers/fake-scheduler";

interface Sent {
  path: string;
  query: Record<string, string> | undefined;
  aborted: boolean;
  answer(data: unknown): void;
}

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

function rows(end: number, n: number, cpu = 0.25) {
  const out = [];
  for (let i = n - 1; i >= 0; i--)
    out.push({ time: end - i * 60, cpu, mem: 1, maxmem: 4, netin: 100, netout: 50 });
  return out;
}

function point(p: Partial<ResourcePoint>): ResourcePoint {
  return {
    time: 0,
    cpu: null,
    maxcpu: null,
    mem: null,
    maxmem: null,
    netin: null,
    netout: null,
    diskread: null,
    diskwrite: null,
    disk: null,
    maxdisk: null,
    iowait: null,
    loadavg: null,
    ...p,
  };
}

function setup() {
  const sched = createFakeScheduler(1_800_000_000_000);
  const client = fakeClient();
  const view = createHistoryView({ scheduler: sched });
  const updates: ChartUpdate[] = [];
  view.onUpdate((u) => updates.push(u));
  view.setApi(client);
  return { sched, client, view, updates };
}

describe("chart rows", () => {
  it("draw a gap at the last known value and clamp fractions", () => {
    const out = chartRows(
      [
        point({ time: 1, cpu: 0.5, mem: 2, maxmem: 4, netin: 10 }),
        point({ time: 2 }),
        point({ time: 3, cpu: 1.7, mem: 9, maxmem: 4 }),
      ],
      0,
      null,
    );
    expect(out.map((r) => r.cpu)).toEqual([0.5, 0.5, 1]);
    expect(out.map((r) => r.mem)).toEqual([0.5, 0.5, 1]);
    expect(out.map((r) => r.netin)).toEqual([10, 10, 10]);
    expect(out[0]?.diskread).toBe(0);
  });

  it("scale the CPU axis to its peak (next 10 %, at least 10 %); memory stays 0..1", () => {
    const rows = (cpus: number[]) =>
      chartRows(
        cpus.map((cpu, i) => point({ time: i, cpu })),
        0,
        null,
      );
    // ~16 % of the cores on a 0..1 axis was a line in the sparkline's bottom pixels.
    expect(chartTops(rows([0.14, 0.16, 0.18]))).toEqual({ cpu: 0.2, mem: 1, net: 1, disk: 1 });
    expect(chartTops(rows([0.2, 0.3 - 0.1])).cpu).toBe(0.2);
    expect(chartTops(rows([0.21])).cpu).toBe(0.3);
    expect(chartTops(rows([0.001])).cpu).toBe(0.1);
    expect(chartTops(rows([0.95, 3])).cpu).toBe(1);
    expect(chartTops([]).cpu).toBe(0.1);
  });

  it("hover texts say no data for a gap, never 0", () => {
    expect(pointText(point({ time: 100 }), "cpu", 400)).toBe("CPU no data · 5 min ago");
    expect(pointText(point({ time: 100, cpu: 0.12 }), "cpu", 100)).toBe("CPU 12% · now");
    expect(pointText(point({ time: 0, netin: 2048, netout: null }), "net", 7200)).toBe(
      "In 2 KiB/s · out no data/s · 2 h ago",
    );
    expect(pointText(point({}), "disk", 0)).toBe("Disk I/O no data · now");
    expect(bucketAge(3 * 86400)).toBe("3 d ago");
  });
});

describe("history view", () => {
  it("reads nothing while the popup is closed, even with cards shown", async () => {
    const t = setup();
    t.view.showNode("node/pve1", { kind: "node", node: "pve1" }, true);
    t.sched.advance(600_000);
    await flush();
    expect(t.client.sent).toHaveLength(0);
    t.view.setPopupOpen(true);
    expect(t.client.sent.map((s) => s.path)).toEqual(["/nodes/pve1/rrddata"]);
    expect(t.client.sent[0]?.query).toEqual({ timeframe: "hour", cf: "AVERAGE" });
  });

  it("appends new buckets to the chart instead of resetting it", async () => {
    const t = setup();
    t.view.setPopupOpen(true);
    t.view.showNode("node/pve1", { kind: "node", node: "pve1" }, true);
    const now = Math.floor(t.sched.now() / 1000);
    t.client.sent[0]?.answer(rows(now, 60));
    await flush();
    expect(t.updates).toHaveLength(1);
    expect(t.updates[0]).toMatchObject({ key: "node/pve1", reset: true, dropped: 0 });
    expect(t.updates[0]?.rows).toHaveLength(60);
    expect(t.view.rows("node/pve1")).toHaveLength(60);
    // Once per RRD step: nothing before 60 s.
    t.sched.advance(59_000);
    expect(t.client.sent).toHaveLength(1);
    t.sched.advance(1_000);
    expect(t.client.sent).toHaveLength(2);
    t.client.sent[1]?.answer(rows(now + 60, 60, 0.5));
    await flush();
    expect(t.updates).toHaveLength(2);
    expect(t.updates[1]).toMatchObject({ key: "node/pve1", reset: false, dropped: 1 });
    expect(t.updates[1]?.rows.map((r) => r.cpu)).toEqual([0.5]);
    expect(t.view.hoverText("node/pve1", 59, "cpu")).toBe("CPU 50% · now");
    expect(t.view.hoverText("node/pve1", 60, "cpu")).toBe("");
    expect(t.view.hoverText("node/pve1", 0, "bogus")).toBe("");
  });

  it("closing the popup aborts what is in flight and stops reading", async () => {
    const t = setup();
    t.view.setPopupOpen(true);
    t.view.showNode("node/pve1", { kind: "node", node: "pve1" }, true);
    t.view.setPopupOpen(false);
    expect(t.client.sent[0]?.aborted).toBe(true);
    t.sched.advance(3_600_000);
    await flush();
    expect(t.client.sent).toHaveLength(1);
  });

  it("a destroyed card stops its reads; the guest detail follows its timeframe", async () => {
    const t = setup();
    t.view.setPopupOpen(true);
    t.view.showNode("node/pve1", { kind: "node", node: "pve1" }, true);
    t.view.showNode("node/pve1", null, false);
    expect(t.client.sent[0]?.aborted).toBe(true);
    t.view.toggleGuest("qemu/100", { kind: "qemu", node: "pve1", vmid: 100 });
    expect(t.view.detail().key).toBe("qemu/100");
    expect(t.view.detail().notice).toBe("Loading the history…");
    expect(t.client.sent[1]?.path).toBe("/nodes/pve1/qemu/100/rrddata");
    t.view.setTimeframe("week");
    expect(t.client.sent[1]?.aborted).toBe(true);
    expect(t.client.sent[2]?.query).toEqual({ timeframe: "week", cf: "AVERAGE" });
    expect(t.updates.at(-1)).toMatchObject({ key: "qemu/100", reset: true, rows: [] });
    t.view.setTimeframe("fortnight");
    expect(t.client.sent).toHaveLength(3);
    expect(t.view.detail().timeframe).toBe("week");
    expect(t.view.detail().timeframes.map((c) => c.value)).toEqual(["hour", "day", "week"]);
    t.client.sent[2]?.answer([]);
    await flush();
    expect(t.view.detail().notice).toBe("No history recorded yet");
    // A second click on the same guest closes it.
    t.view.toggleGuest("qemu/100", { kind: "qemu", node: "pve1", vmid: 100 });
    expect(t.view.detail().key).toBe("");
  });

  it("a new API forgets the old reader", () => {
    const t = setup();
    t.view.setPopupOpen(true);
    t.view.showNode("node/pve1", { kind: "node", node: "pve1" }, true);
    const other = fakeClient();
    t.view.setApi(other);
    expect(t.client.sent[0]?.aborted).toBe(true);
    expect(other.sent).toHaveLength(1);
    t.view.setApi(null);
    expect(other.sent[0]?.aborted).toBe(true);
    t.view.dispose();
  });
});
