// Test helper (host side): runs the Proxmox VE simulator for the widget test
// and takes commands from files, so a script inside the Plasma root (which
// sees this folder as /out/…) can stop, restart and script it.
//
//   node build/widget-test/sim-runner.mjs SCENARIO.json OUTDIR
//
// Bundled by tests/plasma/test-widget.sh with esbuild (it imports the
// simulator's TypeScript source). Writes OUTDIR/sim.json (ready info), the
// CA to OUTDIR/ca.pem, prints the simulator's ready line, then polls
// OUTDIR/cmd/*.json: {"cmd": "stats"|"reset-stats"|"stop"|"restart"|"action"|"advance",
// "action": {...}, "seconds": N}
// and answers each in OUTDIR/cmd/<name>.out (JSON).
import {
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  mkdirSync,
  copyFileSync,
} from "node:fs";
import { join } from "node:path";
import { loadScenarioFile, startSimulator } from "../../../src/sim-server/server.ts";
import { formatReadyLine } from "../../../src/sim-server/ready-line.ts";

const [scenarioFile, outDir] = process.argv.slice(2);
const scenario = loadScenarioFile(scenarioFile);
// timeScale 0: the scenario's timeline never runs, so every change the test
// sees is one it made itself. PROXMON_SIM_TIMESCALE lets the clock run:
// power actions' tasks end (test-actions.sh), a storage with "growth" fills
// up faster (test-graphs.sh).
const sim = await startSimulator({
  scenario,
  timeScale: Number(process.env.PROXMON_SIM_TIMESCALE || 0),
});
mkdirSync(join(outDir, "cmd"), { recursive: true });
copyFileSync(sim.caFile, join(outDir, "ca.pem"));
writeFileSync(join(outDir, "sim.json"), JSON.stringify(sim.ready));
console.log(formatReadyLine(sim.ready));

async function handle(command) {
  switch (command.cmd) {
    case "stats":
      return sim.stats;
    case "reset-stats":
      sim.resetStats();
      return { ok: true };
    case "stop":
      await sim.stop();
      return { ok: true, running: sim.running };
    case "restart":
      await sim.restart();
      return { ok: true, running: sim.running };
    case "action":
      return { error: sim.perform(command.action) };
    case "advance":
      // Simulated time jumps (the timeline and scripted backup runs in between happen).
      return { events: sim.advance(Number(command.seconds)).length, elapsed: sim.elapsedSeconds() };
    default:
      return { error: "unknown command " + command.cmd };
  }
}

let busy = false;
setInterval(async () => {
  if (busy) return;
  busy = true;
  try {
    const dir = join(outDir, "cmd");
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith(".json"))
      .sort()) {
      const file = join(dir, name);
      let answer;
      try {
        answer = await handle(JSON.parse(readFileSync(file, "utf8")));
      } catch (err) {
        answer = { error: String(err) };
      }
      unlinkSync(file);
      const out = file.replace(/\.json$/, ".out");
      writeFileSync(out + ".tmp", JSON.stringify(answer));
      renameSync(out + ".tmp", out);
    }
  } finally {
    busy = false;
  }
}, 100);

const quit = () => sim.stop().finally(() => process.exit(0));
process.on("SIGTERM", quit);
process.on("SIGINT", quit);
