// History and storage (issue 12): requests per refresh with the popup
// closed and open, through the widget's own wiring: the real widget session
// (src/widget/session.ts, as WidgetFacade.qml creates it) on the in-memory
// demo cluster and a manual clock, told what QML tells it — the popup opens
// (setPopupOpen), node cards' sparklines are created (showNodeHistory), a
// guest row is clicked (toggleGuestDetail) — so the counts are exact, not
// sampled: 40 refreshes of 30 s per case. Bundled and run by
// scripts/bench.mjs (its own section).

import type { PendingRequest, Transport, TransportRequest } from "../../src/api/transport";
import { demoSettings } from "../../src/demo/settings";
import { createDemoTransport } from "../../src/demo/transport";
import type { Scheduler } from "../../src/scheduler";
import { createWidgetSession, type WidgetSession } from "../../src/widget/session";

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

type Screen = "closed" | "cards" | "cards+detail";

async function measure(name: string, screen: Screen): Promise<HistoryBenchRow> {
  const clock = manualClock(1_767_225_600_000);
  const counts: Record<string, number> = {};
  const session: WidgetSession = createWidgetSession({
    scheduler: clock.scheduler,
    createRequest: () => {
      throw new Error("history bench: the demo needs no XMLHttpRequest");
    },
    send: () => {},
    loadNative: () => null,
    loadDemo: () => ({
      createTransport: (deps): Transport => {
        const demo = createDemoTransport({ scheduler: deps.scheduler, latencyMs: 20 });
        return {
          send(request: TransportRequest): PendingRequest {
            const path = request.url
              .replace(/^[a-z]+:\/\/[^/]+\/api2\/json/, "")
              .replace(/\?.*$/, "");
            const kind = path.endsWith("/rrddata") ? "rrddata" : path;
            counts[kind] = (counts[kind] ?? 0) + 1;
            return demo.send(request);
          },
        };
      },
      settings: demoSettings,
    }),
  });
  session.update(
    { demoMode: true, refreshInterval: REFRESH_SEC, expandedNodes: ["node/pve1"] },
    { secret: "", state: "idle", errorMessage: "", generation: 0 },
  );
  // Warm up: the first refresh (with its /cluster/status and /version) is not steady state.
  await clock.advanceTo(clock.now() + 1000);
  if (session.view().nodes.length === 0)
    throw new Error("history bench: the demo cluster gave no snapshot");
  for (const k of Object.keys(counts)) counts[k] = 0;
  if (screen !== "closed") {
    // What the popup does on opening: the list shows every card (three
    // nodes fit), each card's sparklines register; then a guest row's click.
    session.setPopupOpen(true);
    for (const n of session.view().nodes) if (n.online) session.showNodeHistory(n.key, true);
    if (screen === "cards+detail") {
      const rows = session.view().guestsByNode["pve1"] ?? [];
      const guest = rows.filter((r) => r.running)[0];
      if (guest) session.toggleGuestDetail(guest.key);
    }
  }
  const start = clock.now();
  await clock.advanceTo(start + REFRESHES * REFRESH_SEC * 1000);
  session.dispose();
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
  rows.push(await measure("popup closed", "closed"));
  rows.push(await measure("popup open: node sparklines + storage forecasts", "cards"));
  rows.push(await measure("popup open: + one guest detail (hour)", "cards+detail"));
  return rows;
}

const rows = await historyRequestBench();
process.stdout.write(JSON.stringify(rows) + "\n");
