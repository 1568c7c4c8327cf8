// `npm run bench`: requests, bytes and processing time per refresh for
// simulated clusters of 10 to 10,000 guests, in Node and in Qt's V4 engine,
// each time also as a ratio to a bare JSON.parse of the same body.
// A measurement, not a test: it prints a table and writes build/bench/.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { build } from "esbuild";
import { describe as describePlasma } from "./bench/plasma-report.mjs";

mkdirSync("build/bench", { recursive: true });
await build({
  entryPoints: ["scripts/bench/node-bench.ts"],
  outfile: "build/bench/node-bench.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
await build({
  entryPoints: ["scripts/bench/process.ts"],
  outfile: "build/bench/process.mjs",
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2016",
  logLevel: "warning",
});

console.error("bench: measuring in Node (simulator over HTTPS)…");
const node = spawnSync("node", ["build/bench/node-bench.mjs"], { stdio: "inherit" });
if (node.status !== 0) process.exit(node.status ?? 1);
const nodeResults = JSON.parse(readFileSync("build/bench/node.json", "utf8"));
writeFileSync("build/bench/sizes.json", JSON.stringify(nodeResults.map((r) => r.guests)));

const runner = process.env.QMLTESTRUNNER ?? "/usr/lib/qt6/bin/qmltestrunner";
const v4 = new Map();
if (existsSync(runner)) {
  console.error("bench: measuring in V4 (qmltestrunner, one process per case)…");
  // One engine per size and expansion: a case run after another would
  // inherit the heap that one grew, and V4's collector runs more or less
  // often with the heap's size (docs/benchmark.md, Stop 13).
  for (const guests of nodeResults.map((r) => r.guests)) {
    for (const expansion of ["all", "one"]) {
      const r = spawnSync(
        runner,
        ["-input", "scripts/bench/tst_bench_v4.qml", `BenchV4::test_bench:${guests}-${expansion}`],
        {
          env: { ...process.env, QT_QPA_PLATFORM: "offscreen", QML_XHR_ALLOW_FILE_READ: "1" },
          encoding: "utf8",
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      for (const line of (r.stdout + r.stderr).split("\n")) {
        const at = line.indexOf("BENCH ");
        if (at < 0) continue;
        const m = JSON.parse(line.slice(at + 6));
        const entry = v4.get(m.guests) ?? { guests: m.guests };
        entry[m.expansion] = m;
        // The table's parse and decode columns: those of the all-expanded run.
        if (m.expansion === "all") {
          entry.parseMs = m.parseMs;
          entry.decodeMs = m.decodeMs;
          entry.processMs = m.processMs;
        }
        v4.set(m.guests, entry);
      }
      if (r.status !== 0) console.error(r.stdout + r.stderr);
    }
  }
} else {
  console.error(
    `bench: ${runner} not found — V4 columns left empty (npm run test:all installs it)`,
  );
}

function printTable(table) {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) console.log(row.map((cell, c) => cell.padStart(widths[c])).join("  "));
}

const ms = (x) => (x === undefined ? "—" : x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (a, b) =>
  a === undefined || b === undefined || b === 0 ? "—" : (a / b).toFixed(2) + "×";
const kib = (b) => (b / 1024).toFixed(1);
const rows = [
  [
    "guests",
    "nodes",
    "req/refresh",
    "KiB/refresh (gzip)",
    "KiB body",
    "Node parse ms",
    "Node decode ms",
    "Node refresh ms",
    "Node refresh/parse",
    "V4 parse ms",
    "V4 decode ms",
    "V4 refresh ms",
    "V4 decode/parse",
    "V4 refresh/parse",
  ],
];
for (const r of nodeResults) {
  const q = v4.get(r.guests) ?? {};
  rows.push([
    String(r.guests),
    String(r.nodes),
    r.requestsPerRefresh.toFixed(2),
    kib(r.bytesPerRefresh),
    kib(r.bodyBytes),
    ms(r.parseMs),
    ms(r.decodeMs),
    ms(r.processMs),
    ratio(r.processMs, r.parseMs),
    ms(q.parseMs),
    ms(q.decodeMs),
    ms(q.processMs),
    ratio(q.decodeMs, q.parseMs),
    ratio(q.processMs, q.parseMs),
  ]);
}
printTable(rows);
console.log(
  "\ndecode = JSON.parse + decode + assemble; refresh = decode + change tracking + view model + list-sync ops" +
    "\nagainst the previous refresh (metrics changed, every node expanded). Steady state: 20 refreshes.",
);

// Where a refresh's time goes beyond decoding, for every node expanded
// (all guest rows built and synced) and for one node expanded with guest
// rows built only for expanded nodes, as the widget does.
const stageRows = [
  [
    "guests",
    "expanded",
    "Node tracker",
    "Node view",
    "Node sync",
    "Node refresh",
    "Node refresh/parse",
    "V4 tracker",
    "V4 view",
    "V4 sync",
    "V4 refresh",
    "V4 refresh/parse",
  ],
];
for (const r of nodeResults) {
  const q = v4.get(r.guests) ?? {};
  for (const expansion of ["all", "one"]) {
    const n = r[expansion] ?? {};
    const v = q[expansion] ?? {};
    stageRows.push([
      String(r.guests),
      expansion === "all" ? "all" : "one",
      ms(n.trackerMs),
      ms(n.viewMs),
      ms(n.syncMs),
      ms(n.processMs),
      ratio(n.processMs, r.parseMs),
      ms(v.trackerMs),
      ms(v.viewMs),
      ms(v.syncMs),
      ms(v.processMs),
      ratio(v.processMs, v.parseMs),
    ]);
  }
}
console.log("");
printTable(stageRows);
console.log(
  "\nper stage, ms per refresh: tracker = createChangeTracker().update; view = buildViewModel;" +
    "\nsync = syncOps for the node list and every node's guest list. refresh includes decode." +
    "\nTimes are CPU time of the JS thread (/proc/thread-self/schedstat), medians of repeated runs;" +
    "\nV4 parse, decode and refresh: totals of interleaved blocks in one engine per case, each block" +
    "\nstarted from a collected heap, refresh/parse against that case's own parse.",
);
writeFileSync(
  "build/bench/results.json",
  JSON.stringify({ node: nodeResults, v4: [...v4.values()] }, null, 2),
);

// The goal for processing: a refresh costs at most twice a bare JSON.parse
// of the same body, with one node or every node expanded.
const GOAL_RATIO = 2;
console.log("\nrefresh/parse against the goal (≤ " + GOAL_RATIO + "×):");
for (const r of nodeResults) {
  const q = v4.get(r.guests) ?? {};
  for (const expansion of ["one", "all"]) {
    const cells = [];
    for (const [engine, m, parse] of [
      ["Node", r[expansion], r.parseMs],
      ["V4", q[expansion], q[expansion]?.parseMs],
    ]) {
      if (!m || parse === undefined) continue;
      const x = m.processMs / parse;
      cells.push(`${engine} ${x.toFixed(2)}× ${x <= GOAL_RATIO ? "met" : "NOT met"}`);
    }
    console.log(`  ${r.guests} guests, ${expansion} expanded: ${cells.join(", ")}`);
  }
}

// The cost inside plasmashell (scripts/bench/plasma.sh): run when this is
// root and the Plasma root of the tests exists (BENCH_PLASMA=0 skips it,
// BENCH_PLASMA=1 insists), otherwise the last result is shown again.
const plasmaRoot = process.env.PROXMON_PLASMA_ROOT ?? "/var/cache/proxmon/plasma-root";
const wantPlasma =
  process.env.BENCH_PLASMA === "1" ||
  (process.env.BENCH_PLASMA !== "0" &&
    process.getuid?.() === 0 &&
    existsSync(plasmaRoot + "/.proxmon-plasma-root"));
if (wantPlasma) {
  console.error("bench: measuring inside Plasma 6.3 (scripts/bench/plasma.sh, ~7 min)…");
  const p = spawnSync("bash", ["scripts/bench/plasma.sh"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (p.status !== 0) console.error("bench: scripts/bench/plasma.sh failed (" + p.status + ")");
}
console.log("");
if (existsSync("build/bench/plasma.json")) {
  const plasma = JSON.parse(readFileSync("build/bench/plasma.json", "utf8"));
  for (const line of describePlasma(plasma)) console.log(line);
} else {
  console.log(
    "Plasma 6.3 host: not measured (needs root and the Plasma root; npm run bench:plasma)",
  );
}

// Memory the core keeps across refreshes (scripts/bench/heap-node.ts): the
// live JS heap after a collection, refresh after refresh, popup closed and
// open. Goal: flat, i.e. nothing kept per refresh (a kept 1,000-guest
// snapshot would add ~1 MiB each time). BENCH_HEAP=0 skips it.
if (process.env.BENCH_HEAP !== "0") {
  await build({
    entryPoints: ["scripts/bench/heap-node.ts"],
    outfile: "build/bench/heap-node.mjs",
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  console.error("bench: JS heap of the core over many refreshes (Node, --expose-gc)…");
  const h = spawnSync("node", ["--expose-gc", "build/bench/heap-node.mjs"], {
    encoding: "utf8",
    env: { ...process.env, BENCH_HEAP_REFRESHES: process.env.BENCH_HEAP_REFRESHES || "150" },
  });
  const line = h.stdout.trim().split("\n").pop() || "";
  if (h.status !== 0 || !line.startsWith("{")) {
    console.error(h.stdout + h.stderr);
  } else {
    const heap = JSON.parse(line);
    writeFileSync("build/bench/heap.json", JSON.stringify(heap, null, 2));
    // Kept memory shows as a steady rise; allow 0.5 MiB per 100 refreshes
    // (5 KiB each) for the engine's own noise.
    const HEAP_SLOPE_GOAL = 0.5;
    console.log(
      `\nCore JS heap after GC, ${heap.guests} guests, ${heap.refreshesPerPhase} refreshes per phase (goal: flat, ≤ ${HEAP_SLOPE_GOAL} MiB per 100 refreshes):`,
    );
    for (const phase of ["closed", "open"]) {
      const p = heap[phase];
      const first = p.heapMiB[1] ?? p.heapMiB[0];
      const last = p.heapMiB[p.heapMiB.length - 1];
      const ok = p.slopeMiBPer100 <= HEAP_SLOPE_GOAL;
      console.log(
        `  popup ${phase}: ${first} → ${last} MiB, trend ${p.slopeMiBPer100} MiB per 100 refreshes: ${ok ? "met" : "NOT met"}`,
      );
    }
  }
}

// Backups (issue 13): average requests per refresh with the backup reader on.
await build({
  entryPoints: ["scripts/bench/backups-bench.ts"],
  outfile: "build/bench/backups-bench.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
const backupsBench = spawnSync("node", ["build/bench/backups-bench.mjs"], { stdio: "inherit" });
if (backupsBench.status !== 0) process.exit(backupsBench.status ?? 1);

// ---- History and storage (issue 12): requests per refresh, popup closed and open.
// Its own script (scripts/bench/history-requests.ts), exact counts on a manual clock.
await build({
  entryPoints: ["scripts/bench/history-requests.ts"],
  outfile: "build/bench/history-requests.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});

{
  const h = spawnSync("node", ["build/bench/history-requests.mjs"], { encoding: "utf8" });
  if (h.status !== 0) {
    console.error(h.stdout + h.stderr);
    process.exit(h.status ?? 1);
  }
  const historyRows = JSON.parse(h.stdout.trim().split("\n").pop());
  const table = [
    ["case", "req/refresh", "/cluster/resources", "/cluster/status", "rrddata", "backups, health"],
  ];
  for (const r of historyRows) {
    table.push([
      r.case,
      r.perRefresh.toFixed(2),
      r.resources.toFixed(2),
      r.status.toFixed(2),
      r.rrddata.toFixed(2),
      (r.perRefresh - r.resources - r.status - r.rrddata).toFixed(2),
    ]);
  }
  console.log(
    "\nHistory (issue 12): requests per 30 s refresh on the demo cluster, 40 refreshes each",
  );
  printTable(table);
  console.log(
    "\nrrddata is read only for what is on screen, at most once per RRD step (60 s for hour) per item;" +
      "\nwith the popup closed nothing but the refresh itself, /cluster/status every 10th and the backup" +
      "\nreader's reads (issue 13, the same with the popup open or closed; see Backups above) is sent.",
  );
  writeFileSync("build/bench/history-requests.json", JSON.stringify(historyRows, null, 2));
}

// ---- Search (issue 15): the core's cost of one keystroke in the popup's
// search: the filter and the list-sync ops, in Node and in V4. Its own
// script (scripts/bench/search-bench.ts, tst_bench_search_v4.qml).
{
  await build({
    entryPoints: ["scripts/bench/search-bench.ts"],
    outfile: "build/bench/search-bench.mjs",
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2016",
    logLevel: "warning",
  });
  const { createSearchBench, KEYSTROKES } = await import(
    new URL("../build/bench/search-bench.mjs", import.meta.url).href
  );
  const nodeSearch = new Map();
  for (const guests of [500, 1000, 10000]) {
    const bench = createSearchBench(guests);
    for (let i = 0; i < KEYSTROKES.length; i++) bench.keystroke();
    const rounds = guests > 1000 ? 10 : 50;
    const per = KEYSTROKES.map(() => []);
    for (let r = 0; r < rounds; r++)
      for (let k = 0; k < KEYSTROKES.length; k++) {
        const t0 = process.hrtime.bigint();
        bench.keystroke();
        per[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    const med = per.map((v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]);
    nodeSearch.set(guests, {
      meanMs: med.reduce((a, b) => a + b, 0) / med.length,
      maxMs: Math.max(...med),
    });
  }
  const v4Search = new Map();
  if (existsSync(runner)) {
    console.error("bench: search keystrokes in V4 (qmltestrunner)…");
    const r = spawnSync(runner, ["-input", "scripts/bench/tst_bench_search_v4.qml"], {
      env: { ...process.env, QT_QPA_PLATFORM: "offscreen", QML_XHR_ALLOW_FILE_READ: "1" },
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const line of (r.stdout + r.stderr).split("\n")) {
      const at = line.indexOf("BENCHSEARCH ");
      if (at >= 0) {
        const m = JSON.parse(line.slice(at + 12));
        v4Search.set(m.guests, m);
      }
    }
    if (r.status !== 0) console.error(r.stdout + r.stderr);
  }
  const table = [
    [
      "guests",
      "Node ms/key (mean)",
      "Node ms/key (max)",
      "V4 ms/key (mean)",
      "V4 ms/key (max)",
      "V4 filter ms",
      "≤ 16 ms in V4",
    ],
  ];
  for (const [guests, n] of nodeSearch) {
    const q = v4Search.get(guests) ?? {};
    table.push([
      String(guests),
      ms(n.meanMs),
      ms(n.maxMs),
      ms(q.meanMs),
      ms(q.maxMs),
      ms(q.filterMs),
      q.maxMs === undefined ? "—" : q.maxMs <= 16 ? "met" : "NOT met",
    ]);
  }
  console.log(
    '\nSearch (issue 15): one keystroke in the popup\'s search (typing "web-01" and deleting it), ' +
      "filter + list-sync ops, ms of CPU",
  );
  printTable(table);
  console.log(
    "\nmax = the slowest of the 12 keystrokes (median over rounds); filter = the filter alone (mean)." +
      "\nDelegates: rows that stay visible get no op at all (tests/plasma/components/tst_popup_search.qml).",
  );
  writeFileSync(
    "build/bench/search.json",
    JSON.stringify({ node: [...nodeSearch], v4: [...v4Search.values()] }, null, 2),
  );
}
