// History and storage (issue 12): requests per refresh with the popup
// closed and open. The real monitor (client, loader, controller) and the
// real history reader run against the in-memory demo cluster on a manual
// clock, so the counts are exact, not sampled: 40 refreshes of 30 s per
// case. Bundled and run by scripts/bench.mjs (its own section).

import { createClient } from "../../src/api/client";
import type { PendingRequest, Transport, TransportRequest } from "../../src/api/transport";
import { demoSettings } from "../../src/demo/settings";
import { createDemoTransport } from "../../src/demo/transport";
import { createHistoryReader } from "../../src/history/reader";
import type { HistoryTarget } from "../../src/history/rrd";
import { createMonitor } from "../../src/monitor";
import type { Snapshot } from "../../src/model/types";
import type { Scheduler } from "../../src/scheduler";

interface Timer {
  at: number;
  id: number;
  run: () => void;
}

function manualClock(start: number) {
  let now = start;
  let id = 0;
  let timers: Timer[] = [];
  const scheduler: Scheduler = {
    now: () => now,
    schedule(delay, run) {
      const t = { at: now + Math.max(0, delay), id: ++id, run };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
  };
  const settle = () => new Promise<void>((r) => setImmediate(r));
  async function advanceTo(limit: number): Promise<void> {
    for (;;) {
      await settle();
      timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = timers[0];
      if (!next || next.at > limit) break;
      timers.shift();
      now = Math.max(now, next.at);
      next.run();
    }
    now = limit;
    await settle();
  }
  return { scheduler, advanceTo, now: () => now };
}

const REFRESH_SEC = 30;
const REFRESHES = 40;

export interface HistoryBenchRow {
  case: string;
  refreshes: number;
  perRefresh: number;
  resources: number;
  status: number;
  rrddata: number;
}

async function measure(
  name: string,
  visible: (snapshot: Snapshot) => HistoryTarget[],
): Promise<HistoryBenchRow> {
  const clock = manualClock(1_767_225_600_000);
  const demo = createDemoTransport({ scheduler: clock.scheduler, latencyMs: 20 });
  const counts: Record<string, number> = {};
  const counting: Transport = {
    send(request: TransportRequest): PendingRequest {
      const path = request.url.replace(/^[a-z]+:\/\/[^/]+\/api2\/json/, "").replace(/\?.*$/, "");
      const kind = path.endsWith("/rrddata") ? "rrddata" : path;
      counts[kind] = (counts[kind] ?? 0) + 1;
      return demo.send(request);
    },
  };
  const monitor = createMonitor({
    scheduler: clock.scheduler,
    transport: counting,
    random: () => 0.5,
  });
  const settings = demoSettings(REFRESH_SEC);
  monitor.configure(settings);
  const client = createClient({ ...settings, transport: counting, timeoutMs: 10_000 });
  const reader = createHistoryReader({ client, scheduler: clock.scheduler });
  // Warm up: the first refresh (with its /cluster/status and /version) is not steady state.
  await clock.advanceTo(clock.now() + 1000);
  const snapshot = monitor.state().data;
  if (snapshot === null) throw new Error("history bench: the demo cluster gave no snapshot");
  for (const k of Object.keys(counts)) counts[k] = 0;
  const start = clock.now();
  for (let i = 1; i <= REFRESHES; i++) {
    reader.setVisible(visible(snapshot).map((target) => ({ target, timeframe: "hour" as const })));
    await clock.advanceTo(start + i * REFRESH_SEC * 1000);
  }
  reader.dispose();
  monitor.dispose();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    case: name,
    refreshes: REFRESHES,
    perRefresh: total / REFRESHES,
    resources: (counts["/cluster/resources"] ?? 0) / REFRESHES,
    status: (counts["/cluster/status"] ?? 0) / REFRESHES,
    rrddata: (counts.rrddata ?? 0) / REFRESHES,
  };
}

export async function historyRequestBench(): Promise<HistoryBenchRow[]> {
  const rows: HistoryBenchRow[] = [];
  rows.push(await measure("popup closed", () => []));
  rows.push(
    await measure("popup open, every node card visible", (snap) =>
      snap.nodes.map((n) => ({ kind: "node" as const, node: n.name })),
    ),
  );
  rows.push(
    await measure("popup open, node cards + one guest detail", (snap) => {
      const guest = snap.guests.filter((g) => g.status === "running")[0];
      const cards: HistoryTarget[] = snap.nodes.map((n) => ({ kind: "node", node: n.name }));
      if (guest) cards.push({ kind: guest.type, node: guest.node, vmid: guest.vmid });
      return cards;
    }),
  );
  return rows;
}

const rows = await historyRequestBench();
process.stdout.write(JSON.stringify(rows) + "\n");
