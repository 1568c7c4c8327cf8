// End to end: `proxmon backups` and the cluster-health part of `proxmon
// watch` against the simulator over real TLS (scenario with backups).

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseScenario } from "../../src/sim-engine/scenario";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import { ROOT, collect, runCli, startCli, waitForOutput } from "./helpers";

const SECRET = "00000000-0000-4000-8000-000000000001";
const TOKEN_ID = "monitor@pve!proxmon";

function scenario(mutate: (json: Record<string, unknown>) => void = () => undefined) {
  const json = JSON.parse(
    readFileSync(resolve(ROOT, "examples/scenario-backups.json"), "utf8"),
  ) as Record<string, unknown>;
  json.timeline = [];
  mutate(json);
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.value;
}

let sim: SimulatorHandle;
let blind: SimulatorHandle;

// Failed tasks that end at simulated second 5: the watch test gets a
// simulator of its own, started just before it, so its baseline comes
// before them however long the tests above took on a busy machine.
function withFailures() {
  return scenario((json) => {
    const backups = json.backups as { tasks: unknown[] };
    backups.tasks.push(
      {
        node: "pve3",
        type: "vzstart",
        id: "105",
        at: 4,
        seconds: 1,
        exitstatus: "startup for container '105' failed",
      },
      {
        node: "pve3",
        type: "vzstart",
        id: "106",
        at: 4,
        seconds: 1,
        exitstatus: "startup for container '106' failed",
      },
      { node: "pve3", type: "vzstart", id: "106", at: 4, seconds: 1, exitstatus: "WARNINGS: 1" },
    );
  });
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: withFailures() });
  blind = await startSimulator({
    scenario: scenario((json) => {
      json.token = { id: TOKEN_ID, secret: SECRET, privileges: { "/vms": ["VM.Audit"] } };
    }),
  });
});

afterAll(async () => {
  await sim?.stop();
  await blind?.stop();
});

function connection(s: SimulatorHandle): string[] {
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

interface BackupsJson {
  jobs: Array<{ id: string; enabled: boolean; schedule: string | null; nextRun: number | null }>;
  guests: Array<{
    vmid: number;
    type: string;
    name: string;
    jobs: string[];
    lastOk: number | null;
    lastFailure: number | null;
    state: string;
  }>;
  failedTasks: Array<{
    upid: string;
    node: string;
    type: string;
    id: string | null;
    endtime: number | null;
    exitstatus: string;
  }>;
}

async function backups(
  s: SimulatorHandle,
  extra: string[] = [],
): Promise<{ code: number | null; json: BackupsJson | null; stderr: string; stdout: string }> {
  const r = await runCli(["backups", "--json", ...extra, ...connection(s)], {
    env: { PROXMON_TOKEN_SECRET: SECRET },
  });
  let json: BackupsJson | null;
  try {
    json = JSON.parse(r.stdout) as BackupsJson;
  } catch {
    json = null;
  }
  return { code: r.code, json, stderr: r.stderr, stdout: r.stdout };
}

describe("proxmon backups", () => {
  it("prints the --json contract with jobs, per-guest states and failed tasks", async () => {
    const r = await backups(sim);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = r.json!;
    expect(j.jobs.map((x) => [x.id, x.enabled, x.schedule])).toEqual([
      ["backup-daily", true, "02:00"],
      ["backup-weekly", false, "sat 03:00"],
      ["backup-old", true, "mon..fri 21:00"],
    ]);
    expect(typeof j.jobs[0]!.nextRun).toBe("number");
    expect(j.jobs[1]!.nextRun).toBeNull();
    const g = (vmid: number) => j.guests.filter((x) => x.vmid === vmid)[0]!;
    // 100 and 101 were backed up by one multi-guest task: from its log.
    expect(g(100)).toMatchObject({
      type: "qemu",
      name: "web-01",
      jobs: ["backup-daily"],
      state: "ok",
      lastFailure: null,
    });
    expect(g(101).state).toBe("ok");
    expect(g(101).lastOk! - g(100).lastOk!).toBe(13);
    expect(g(103).state).toBe("overdue");
    expect(g(104)).toMatchObject({ state: "never", lastOk: null, type: "lxc" });
    expect(typeof g(104).lastFailure).toBe("number");
    expect(g(105)).toMatchObject({ jobs: ["backup-weekly"], state: "never" });
    expect(g(106)).toMatchObject({ jobs: [], state: "never" });
    expect(g(9000).state).toBe("excluded");
    // WARNINGS: 2 is no failure; the day-old "unexpected status" is outside 24 h.
    expect(j.failedTasks.map((f) => [f.type, f.id, f.exitstatus])).toEqual([
      ["qmstart", "106", "start failed: QEMU exited with code 1"],
      ["vzdump", null, "job errors"],
    ]);
    expect(Object.keys(j.failedTasks[0]!).sort()).toEqual([
      "endtime",
      "exitstatus",
      "id",
      "node",
      "type",
      "upid",
    ]);
  });

  it("takes --since, --exclude and --max-age", async () => {
    const r = await backups(sim, [
      "--since",
      "200000",
      "--exclude",
      "104,tag:prod",
      "--max-age",
      "1",
    ]);
    expect(r.code).toBe(0);
    const j = r.json!;
    expect(j.failedTasks.map((f) => f.exitstatus)).toContain("unexpected status");
    const state = (vmid: number) => j.guests.filter((x) => x.vmid === vmid)[0]!.state;
    expect(state(104)).toBe("excluded");
    expect(state(100)).toBe("excluded");
    expect(state(102)).toBe("ok");
  });

  it("refuses bad flags with exit 2", async () => {
    const r = await backups(sim, ["--exclude", "200-100"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--exclude");
  });

  it("exits 1 with the missing privilege when the token can read nothing useful", async () => {
    const r = await backups(blind);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Sys.Audit on /");
  });

  it("prints a readable table", async () => {
    const r = await runCli(["backups", ...connection(sim)], {
      env: { PROXMON_TOKEN_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(only in a disabled job)");
    expect(r.stdout).toContain("Failed tasks:");
  });
});

describe("proxmon watch: failed tasks", () => {
  it("notifies a new failed task once, and not a snoozed guest's", async () => {
    const own = await startSimulator({ scenario: withFailures() });
    const child = startCli(
      [
        "watch",
        "--json",
        "--health-interval",
        "5",
        "--snooze",
        "105:3600",
        "--interval",
        "30",
        ...connection(own),
      ],
      { env: { PROXMON_TOKEN_SECRET: SECRET } },
    );
    try {
      const out = await waitForOutput(child, "stdout", (t) => t.indexOf("106") >= 0, 30000);
      // One more health cycle: nothing new may appear.
      await new Promise((r) => setTimeout(r, 6000));
      child.kill("SIGTERM");
      const rest = await collect(child);
      const lines = (out + rest.stdout).split("\n").filter((l) => l.trim() !== "");
      const taskLines = lines.filter(
        (l) => l.indexOf("Proxmox task failed") >= 0 || l.indexOf("tasks failed") >= 0,
      );
      expect(taskLines).toHaveLength(1);
      const n = JSON.parse(taskLines[0]!) as { urgency: string; body: string; guests: number[] };
      expect(n.guests).toEqual([106]);
      expect(n.urgency).toBe("high");
      expect(n.body).toContain("startup for container '106' failed");
      expect(lines.join("\n")).not.toContain("'105'");
    } finally {
      child.kill("SIGKILL");
      await own.stop();
    }
  }, 60000);
});
