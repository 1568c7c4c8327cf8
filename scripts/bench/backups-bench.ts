// `npm run bench`, backups part (issue 13): requests per refresh with the
// backup reader on, over HTTPS against the simulator (examples/
// scenario-backups.json). Simulates an hour of 30 s refreshes: the normal
// snapshot load each time, the reader's full read when it is due (every
// 10 min), /cluster/tasks every 60 s for failed tasks, as `watch` runs it;
// and the widget's wiring (src/widget/health-session.ts: the same full
// read, backup volumes on storage too, /cluster/tasks every 2 min, fed by
// each refresh's snapshot).

import { readFileSync } from "node:fs";

import { createClient } from "../../src/api/client";
import { createNodejsTransport } from "../../src/api/transport-nodejs.node";
import { createBackupReader } from "../../src/backups/reader";
import { SNAPSHOT_DECODERS } from "../../src/monitor";
import { createSnapshotLoader } from "../../src/refresh/snapshot-loader";
import { mustParseScenario } from "../../src/sim-engine/scenario";
import { startSimulator } from "../../src/sim-server/server";
import { createHealthSession, DEFAULT_HEALTH_SETTINGS } from "../../src/widget/health-session";

const REFRESH_SEC = 30;
const HOUR_REFRESHES = 3600 / REFRESH_SEC;

const json = JSON.parse(readFileSync("examples/scenario-backups.json", "utf8")) as Record<
  string,
  unknown
>;
json.timeline = [];
const scenario = mustParseScenario(json);
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
let clockMs = Date.now();
const reader = createBackupReader({ client, clock: () => clockMs, readStorage: false });

const widget = createHealthSession({
  scheduler: { now: () => clockMs, schedule: () => () => undefined },
  client,
  settings: { ...DEFAULT_HEALTH_SETTINGS, notify: false },
  snoozes: () => [],
});

async function run(withBackups: boolean | "widget"): Promise<number> {
  sim.resetStats();
  for (let i = 0; i < HOUR_REFRESHES; i++) {
    const r = await loader.load({ attempt: 1, refreshIndex: i }).result;
    if (!r.ok) throw new Error(r.error.message);
    if (withBackups === "widget") await widget.onSnapshot(r.value);
    else if (withBackups) {
      const s = r.value;
      reader.observe(s.guests);
      if (reader.isDue()) {
        await reader.read({
          guests: s.guests,
          nodes: s.nodes.filter((n) => n.status === "online").map((n) => n.name),
          storage: s.storage,
        });
      } else if (i % (60 / REFRESH_SEC) === 0) {
        await reader.readRecentTasks();
      }
    }
    clockMs += REFRESH_SEC * 1000;
  }
  return sim.stats.total / HOUR_REFRESHES;
}

const off = await run(false);
const on = await run(true);
const inWidget = await run("widget");
const w = widget.stats();
console.log(
  `\nBackups (issue 13), ${REFRESH_SEC} s refresh over one hour: ${off.toFixed(2)} requests per refresh without, ` +
    `${on.toFixed(2)} with the backup reader (full read every 10 min, /cluster/tasks every 60 s; ` +
    `${reader.stats().reads} full reads, ${reader.stats().requests} backup requests).`,
);
console.log(
  `Backups in the widget: ${inWidget.toFixed(2)} requests per refresh on average ` +
    `(full read every 10 min with backup volumes, /cluster/tasks every 2 min; ` +
    `${w.reads} full reads, ${w.taskReads} task reads, ${w.requests} backup requests over ${w.refreshes} refreshes).`,
);
transport.close();
await sim.stop();
