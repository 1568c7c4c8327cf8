// The Node half of `npm run bench`: a simulated cluster per size behind the
// real simulator (HTTPS, gzip, token auth), the real client over the Node
// transport, and the real per-refresh pipeline. Measures requests, bytes
// and processing time per steady-state refresh, and writes each size's
// /cluster/resources body for the V4 half to process the same bytes.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createClient } from "../../src/api/client";
import { createNodejsTransport } from "../../src/api/transport-nodejs.node";
import { mustParseScenario } from "../../src/sim-engine/scenario";
import { SNAPSHOT_DECODERS } from "../../src/monitor";
import { createSnapshotLoader } from "../../src/refresh/snapshot-loader";
import type { Snapshot } from "../../src/model/types";
import { startSimulator } from "../../src/sim-server/server";
import { createRefreshProcessor, createStageBench, type Expansion } from "./process";

// BENCH_SIZES=10000 measures one size only, for quick before/after runs.
const SIZES = (process.env.BENCH_SIZES || "10,100,1000,10000").split(",").map(Number);
const REFRESHES = 20;

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// CPU time of this (the JS) thread in ms, from the kernel's scheduler
// statistics: on a shared, loaded machine wall time also counts the time
// other processes had the core. Wall time where /proc cannot be read.
function clock(): number {
  try {
    const ns = parseInt(readFileSync("/proc/thread-self/schedstat", "utf8"), 10);
    if (ns > 0) return ns / 1e6;
  } catch {
    // not Linux
  }
  return performance.now();
}

function time(fn: () => void, minRuns: number, minMs: number): number {
  const samples: number[] = [];
  const until = clock() + minMs;
  // Short runs are timed in groups of at least 100 ms: the kernel brings a
  // running thread's CPU time up to date only at a scheduler tick (4 ms
  // here) or a context switch, so a reading can lag by a tick, and a 5 ms
  // group could read 40 % long or short.
  while (samples.length < minRuns || clock() < until) {
    let runs = 0;
    const t0 = clock();
    let t: number;
    do {
      fn();
      runs++;
      t = clock();
    } while (t - t0 < 100);
    samples.push((t - t0) / runs);
  }
  return median(samples);
}

async function measure(guests: number) {
  const nodes = Math.min(64, Math.max(1, Math.ceil(guests / 150)));
  const scenario = mustParseScenario({
    seed: 7,
    cluster: { name: "bench", count: nodes },
    guests: { count: guests, lxcRatio: 0.3 },
  });
  const sim = await startSimulator({ scenario });
  const transport = createNodejsTransport({ tls: { mode: "ca", caPem: sim.caPem } });
  const token = scenario.token!;
  const client = createClient({
    transport,
    host: "127.0.0.1",
    port: sim.port,
    tokenId: token.id,
    secret: token.secret,
    timeoutMs: 30_000,
  });
  const loader = createSnapshotLoader(client, SNAPSHOT_DECODERS);
  // Drive the real loader through steady-state refreshes as the controller does.
  let refreshIndex = 0;
  async function refresh(): Promise<Snapshot> {
    const handle = loader.load({ attempt: 1, refreshIndex: refreshIndex++ });
    const r = await handle.result;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }
  await refresh();
  sim.resetStats();
  for (let i = 0; i < REFRESHES; i++) await refresh();
  const stats = sim.stats;
  const requestsPerRefresh = stats.total / REFRESHES;
  const bytesPerRefresh = stats.bytesSent / REFRESHES;

  // Two bodies 30 simulated seconds apart, so the view sees changed
  // metrics on every refresh, as it does in real life.
  const bodies: string[] = [];
  for (let i = 0; i < 2; i++) {
    const raw = await client.get("/cluster/resources").result;
    if (!raw.ok) throw new Error(raw.error.message);
    bodies.push(JSON.stringify({ data: raw.value }));
    sim.advance(30);
  }
  const body = bodies[0] as string;
  mkdirSync("build/bench", { recursive: true });
  bodies.forEach((b, i) => writeFileSync(`build/bench/resources-${guests}-${i}.json`, b));

  const parseMs = time(() => JSON.parse(body), 5, 300);
  const decodeMs = time(() => createRefreshProcessor().decode(body), 5, 300);
  const byExpansion = (expansion: Expansion) => {
    const processor = createRefreshProcessor(expansion);
    processor.run(body, 0);
    let tick = 1;
    const run = () => {
      processor.run(bodies[tick % 2] as string, tick * 30_000);
      tick++;
    };
    const processMs = time(run, 5, 300);
    const stages = createStageBench(bodies, expansion);
    return {
      processMs,
      trackerMs: time(stages.tracker, 5, 300),
      viewMs: time(stages.viewModel, 5, 300),
      syncMs: time(stages.sync, 5, 300),
    };
  };
  const all = byExpansion("all");
  const one = byExpansion("one");
  transport.close();
  await sim.stop();
  return {
    guests,
    nodes,
    requestsPerRefresh,
    bytesPerRefresh,
    bodyBytes: body.length,
    parseMs,
    decodeMs,
    processMs: all.processMs,
    all,
    one,
  };
}

const results = [];
for (const size of SIZES) results.push(await measure(size));
mkdirSync("build/bench", { recursive: true });
writeFileSync("build/bench/node.json", JSON.stringify(results, null, 2));
