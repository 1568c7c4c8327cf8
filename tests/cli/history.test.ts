// History and storage (issue 12), end to end: the bundled CLI's `history`
// verb and status' forecast column against the simulator over real TLS,
// and against the recorded PVE 7 capture (replay).

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseScenario, type Scenario } from "../../src/sim-engine/scenario";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import { ROOT, collect, runCli, startCli, waitForOutput, type RunResult } from "./helpers";

const SECRET = "6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5";
const TOKEN_ID = "monitor@pve!proxmon";
const DEFAULT_SECRET = "00000000-0000-4000-8000-000000000001";

function scenario(privileges: Record<string, string[]>): Scenario {
  const json = JSON.parse(
    readFileSync(resolve(ROOT, "examples/scenario-basic.json"), "utf8"),
  ) as Record<string, unknown>;
  json.timeline = [];
  json.token = { id: TOKEN_ID, secret: SECRET, privileges };
  // The NFS share fills 2 % a day from 80 %: full in about ten days.
  json.storage = (json.storage as Array<Record<string, unknown>>).map((s) =>
    s.storage === "nas" ? { ...s, disk: "6.4T", growth: 0.02 } : s,
  );
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.value;
}

const FULL_PRIVILEGES = { "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"] };

let sim: SimulatorHandle;
let guestOnly: SimulatorHandle;
let replay: SimulatorHandle;

function connect(s: SimulatorHandle): string[] {
  return [
    "--host",
    "127.0.0.1",
    "--port",
    String(s.port),
    "--token-id",
    TOKEN_ID,
    "--ca",
    s.caFile,
  ];
}

async function run(args: string[], secret = SECRET): Promise<RunResult> {
  const r = await runCli(args, { env: { PROXMON_TOKEN_SECRET: secret } });
  expect(r.stdout + r.stderr).not.toContain(secret);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r;
}

interface Doc {
  target: string;
  timeframe: string;
  points: Array<Record<string, unknown>>;
}

function checkShape(doc: Doc): void {
  expect(Object.keys(doc).sort()).toEqual(["points", "target", "timeframe"]);
  for (const p of doc.points) {
    expect(Object.keys(p).sort()).toEqual(["cpu", "maxmem", "mem", "netin", "netout", "time"]);
    expect(Number.isInteger(p.time)).toBe(true);
    for (const k of ["cpu", "mem", "maxmem", "netin", "netout"]) {
      expect(p[k] === null || typeof p[k] === "number", k).toBe(true);
    }
  }
}

beforeAll(async () => {
  [sim, guestOnly, replay] = await Promise.all([
    startSimulator({ scenario: scenario({ "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"] }) }),
    startSimulator({ scenario: scenario({ "/vms": ["VM.Audit"] }) }),
    startSimulator({ replayDir: resolve(ROOT, "tests/replay/pve7") }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([sim, guestOnly, replay].filter(Boolean).map((s) => s.stop()));
});

describe("proxmon history", () => {
  it("--json for a node: the contract, ascending one-minute buckets, node memory from memused/memtotal", async () => {
    const r = await run(["history", "pve1", "--json", ...connect(sim)]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    checkShape(doc);
    expect(doc.target).toBe("node/pve1");
    expect(doc.timeframe).toBe("hour");
    expect(doc.points.length).toBeGreaterThanOrEqual(60);
    const times = doc.points.map((p) => p.time as number);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60);
    const last = doc.points[doc.points.length - 1]!;
    expect(last.maxmem).toBe(64 * 1024 ** 3);
    expect(last.mem as number).toBeGreaterThan(0);
  });

  it("finds a VMID's node and type in /cluster/resources; a stopped guest's buckets are null, not 0", async () => {
    const ct = JSON.parse((await run(["history", "104", "--json", ...connect(sim)])).stdout) as Doc;
    expect(ct.target).toBe("lxc/104");
    const stopped = JSON.parse(
      (await run(["history", "106", "--json", "--timeframe", "week", ...connect(sim)])).stdout,
    ) as Doc;
    expect(stopped.target).toBe("lxc/106");
    expect(stopped.timeframe).toBe("week");
    expect(stopped.points.length).toBeGreaterThan(300);
    for (const p of stopped.points.slice(-5)) {
      expect(p).toMatchObject({ cpu: null, mem: null, netin: null, netout: null });
      expect(p.maxmem as number).toBeGreaterThan(0);
    }
  });

  it("keeps every point of the real PVE 7 capture, in PVE's order", async () => {
    const r = await run(["history", "101", "--json", ...connect(replay)], DEFAULT_SECRET);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    checkShape(doc);
    const raw = JSON.parse(
      readFileSync(resolve(ROOT, "tests/replay/pve7/nodes/node1/qemu/101/rrddata.json"), "utf8"),
    ) as { data: Array<{ time: number; maxmem: number }> };
    expect(doc.target).toBe("qemu/101");
    expect(doc.points.map((p) => p.time)).toEqual(raw.data.map((p) => p.time));
    expect(doc.points[0]).toEqual({
      time: raw.data[0]!.time,
      cpu: null,
      mem: null,
      maxmem: raw.data[0]!.maxmem,
      netin: null,
      netout: null,
    });
  });

  it("prints sparklines on a terminal-style text output", async () => {
    const r = await run(["history", "pve2", ...connect(sim)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^node\/pve2 — last hour, \d+ points/);
    expect(r.stdout).toMatch(/CPU +[▁▂▃▄▅▆▇█ ]{10,}/);
    expect(r.stdout).toMatch(/MEMORY +[▁▂▃▄▅▆▇█ ]{10,}/);
  });

  it("refuses any other timeframe before a request (no secret asked, exit 2)", async () => {
    for (const tf of ["month", "decade", "HOURS", ""]) {
      const r = await runCli(
        ["history", "pve1", "--timeframe", tf, "--host", "127.0.0.1", "--port", "1"],
        {
          env: {},
        },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^proxmon: usage: --timeframe must be one of hour, day, week/);
    }
  });

  it("names what is missing: an unknown VMID, a node without Sys.Audit", async () => {
    const missing = await run(["history", "4242", ...connect(sim)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^proxmon: config: no guest 4242/);
    const denied = await run(["history", "pve1", ...connect(guestOnly)]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^proxmon: permission: /);
    expect(denied.stderr).toContain("Sys.Audit");
  });
});

describe("proxmon status: the forecast", () => {
  it("shows FULL IN for the filling share, once, and full_in_days in --json", async () => {
    const table = await run(["status", ...connect(sim)]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("FULL IN");
    const nasLines = table.stdout.split("\n").filter((l) => l.startsWith("nas "));
    expect(nasLines.length).toBeGreaterThan(0);
    for (const l of nasLines) expect(l).toMatch(/~\d+ d\s*$/);
    const doc = JSON.parse((await run(["status", "--json", ...connect(sim)])).stdout) as {
      storage: Array<{ storage: string; full_in_days?: number | null }>;
    };
    const nas = doc.storage.filter((s) => s.storage === "nas");
    expect(nas.length).toBeGreaterThan(0);
    for (const s of nas) {
      expect(s.full_in_days).toBeGreaterThanOrEqual(5);
      expect(s.full_in_days).toBeLessThanOrEqual(15);
    }
  });
});

describe("proxmon watch: filling-up alerts", () => {
  it("prints a storage warning once when a storage crosses 85 %", async () => {
    const s = await startSimulator({ scenario: scenario(FULL_PRIVILEGES) });
    const child = startCli(
      ["watch", "--json", "--interval", "5", "--rate-limit", "0", ...connect(s)],
      { env: { PROXMON_TOKEN_SECRET: SECRET } },
    );
    const done = collect(child, 40_000);
    try {
      await waitForOutput(child, "stderr", (t) => t.includes("connected to"), 15_000);
      // The share jumps from 80 % to 90 % (as if a backup landed); every node sees it.
      for (const st of s.cluster!.storage) {
        if (st.storage === "nas") {
          st.disk = Math.round(st.maxdisk * 0.9);
          st.growthPerDay = 0;
        }
      }
      const out = await waitForOutput(child, "stdout", (t) => t.includes("\n"), 20_000);
      const line = JSON.parse(out.split("\n")[0] as string) as Record<string, unknown>;
      expect(line).toMatchObject({
        kind: "single",
        title: "Storage nas is filling up",
        guests: [],
      });
      expect(String(line.body)).toMatch(/^Storage nas is 9\d % full \(warning at 85 %\)$/);
    } finally {
      child.kill("SIGINT");
    }
    const r = await done;
    await s.stop();
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
