// Does the widget's core keep memory it no longer needs? Runs the monitor
// (as the widget does, popup closed, then open with every node expanded)
// against the simulator for many refreshes, collects garbage after every
// refresh (node --expose-gc) and records the live JS heap: with nothing
// retained across refreshes but the current snapshot, its rows and caches,
// the curve is flat after the first refreshes. A measurement, run by
// `npm run bench` (BENCH_HEAP_REFRESHES, default 300 per phase). A snapshot
// of 1,000 guests with its rows is ~1 MiB, so one kept per refresh would
// show as ~100 MiB per 100 refreshes.

import { createNodejsTransport } from "../../src/api/transport-nodejs.node";
import { createMonitor } from "../../src/monitor";
import type { Scheduler } from "../../src/scheduler";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const GUESTS = Number(process.env.BENCH_HEAP_GUESTS || 1000);
const REFRESHES = Number(process.env.BENCH_HEAP_REFRESHES || 300);
// Simulated seconds per real one: a 10 s interval takes 100 ms.
const SPEED = 100;
const INTERVAL_SECONDS = 10;

const start = Date.now();
const scheduler: Scheduler = {
  now: () => start + (Date.now() - start) * SPEED,
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, delayMs / SPEED));
    return () => clearTimeout(timer);
  },
};

// The simulator runs in its own process, so that its memory (its clock
// moves guests' readings, keeps task logs…) is not counted here.
const dir = mkdtempSync(join(tmpdir(), "proxmon-heap-"));
const secret = randomUUID();
const tokenId = "bench@pve!bench";
writeFileSync(
  join(dir, "scenario.json"),
  JSON.stringify({
    seed: 7,
    cluster: { name: "bench", count: Math.min(64, Math.max(1, Math.ceil(GUESTS / 150))) },
    guests: { count: GUESTS, lxcRatio: 0.3 },
    token: { id: tokenId, secret },
  }),
);
const child = spawn(
  process.execPath,
  ["bin/proxmon.mjs", "simulate", "--scenario", join(dir, "scenario.json"), "--port", "0"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const ready = await new Promise<{ url: string; caFile: string; control: string }>(
  (resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const line = text.split("\n").find((l) => l.startsWith("PROXMON_SIMULATOR "));
      if (line) resolve(JSON.parse(line.slice("PROXMON_SIMULATOR ".length)));
    });
    child.on("exit", () => reject(new Error("the simulator stopped")));
  },
);
const caPem = readFileSync(ready.caFile, "utf8");
const port = Number(new URL(ready.url).port);
let advancing: Promise<void> = Promise.resolve();
function advance(seconds: number): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(ready.control + "/advance");
    const req = httpsRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", ca: caPem },
      (res) => {
        res.resume();
        res.on("end", () => resolve());
      },
    );
    // A lost step only means one refresh without new readings.
    req.on("error", () => resolve());
    req.end(JSON.stringify({ seconds }));
  });
}
const transport = createNodejsTransport({ tls: { mode: "ca", caPem } });
const monitor = createMonitor({ scheduler, transport });
const nodeNames: string[] = [];

function heapMiB(): number {
  gc!();
  return +(process.memoryUsage().heapUsed / 1048576).toFixed(2);
}

type Phase = "closed" | "open";
const samples: { [phase in Phase]: number[] } = { closed: [], open: [] };
let phase: Phase = "closed";
let done = 0;
let finish: () => void = () => {};
const finished = new Promise<void>((resolve) => (finish = resolve));
let views = 0;
monitor.onView(function (v) {
  views++;
  if (nodeNames.length === 0) for (const n of v.nodes) nodeNames.push(n.name);
});
monitor.onState(function (state) {
  if (state.refreshing || state.data === null) return;
  samples[phase].push(heapMiB());
  // New readings for the next refresh, as a live cluster has.
  advancing = advance(INTERVAL_SECONDS);
  done++;
  if (done === REFRESHES) {
    phase = "open";
    monitor.setViewOptions({ expandedNodes: nodeNames.map((n) => "node/" + n) });
    monitor.setPopupOpen(true);
  } else if (done === 2 * REFRESHES) {
    finish();
  }
});
monitor.setPopupOpen(false);
monitor.configure({
  host: "127.0.0.1",
  port,
  tokenId,
  secret,
  refreshIntervalSec: INTERVAL_SECONDS,
  timeoutSec: 60,
});
await finished;
await advancing;
monitor.dispose();
transport.close();
child.kill();
rmSync(dir, { recursive: true, force: true });

// The growth per 100 refreshes over the second half of each phase, by a
// least-squares line: the first refreshes fill the caches.
function slopePer100(values: number[]): number {
  const ys = values.slice(Math.floor(values.length / 2));
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  });
  return +((sxx === 0 ? 0 : sxy / sxx) * 100).toFixed(3);
}
const result = {
  guests: GUESTS,
  refreshesPerPhase: REFRESHES,
  views,
  closed: {
    heapMiB: samples.closed.filter((_, i) => i % 10 === 0),
    slopeMiBPer100: slopePer100(samples.closed),
  },
  open: {
    heapMiB: samples.open.filter((_, i) => i % 10 === 0),
    slopeMiBPer100: slopePer100(samples.open),
  },
};
console.log(JSON.stringify(result));
