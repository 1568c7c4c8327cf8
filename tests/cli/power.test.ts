// End to end: `proxmon start|shutdown|…` against the simulator over real
// TLS, checking outcomes, exit codes, the --json contract and how many
// POSTs the simulator saw.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { parseScenario } from "../../src/sim-engine/scenario";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import { ROOT, runCli, type RunResult } from "./helpers";

const SECRET = "6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5";
const TOKEN_ID = "ops@pve!power";

let sim: SimulatorHandle;

beforeAll(async () => {
  const json = JSON.parse(
    readFileSync(resolve(ROOT, "examples/scenario-basic.json"), "utf8"),
  ) as Record<string, unknown>;
  json.timeline = [];
  json.token = {
    id: TOKEN_ID,
    secret: SECRET,
    privileges: {
      "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"],
      "/vms/100": ["VM.Audit", "VM.PowerMgmt"],
      "/vms/101": ["VM.Audit", "VM.PowerMgmt"],
      "/vms/102": ["VM.Audit", "VM.PowerMgmt"],
      "/vms/104": ["VM.Audit", "VM.PowerMgmt"],
    },
  };
  json.tasks = {
    seconds: 1,
    haSeconds: 2,
    exitstatus: {
      "102:shutdown": "WARNINGS: 2",
      "104:reboot": "CT 104 reboot failed: exit code 1",
    },
  };
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  sim = await startSimulator({ scenario: parsed.value });
});

afterAll(async () => {
  await sim?.stop();
});

beforeEach(() => sim.resetStats());

async function power(args: string[]): Promise<RunResult> {
  const result = await runCli(
    [
      ...args,
      "--host",
      "127.0.0.1",
      "--port",
      String(sim.port),
      "--token-id",
      TOKEN_ID,
      "--ca",
      sim.caFile,
    ],
    { env: { PROXMON_TOKEN_SECRET: SECRET }, timeoutMs: 30_000 },
  );
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  return result;
}

function posts(): string[] {
  return Object.keys(sim.stats.byRequest).filter((k) => k.indexOf("POST ") === 0);
}

function postCount(): number {
  const by = sim.stats.byRequest;
  return posts().reduce((n, k) => n + (by[k] ?? 0), 0);
}

function contract(stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  expect(Object.keys(doc).sort()).toEqual(
    ["action", "exitstatus", "message", "node", "outcome", "type", "upid", "vmid"].sort(),
  );
  expect(Number.isInteger(doc.vmid)).toBe(true);
  expect(["qemu", "lxc"]).toContain(doc.type);
  expect(typeof doc.message).toBe("string");
  return doc;
}

describe("proxmon power actions", () => {
  it("shutdown --wait: one POST, follows the task, ok, exit 0", async () => {
    const r = await power(["shutdown", "100", "--wait", "--json"]);
    expect(r.code).toBe(0);
    const doc = contract(r.stdout);
    expect(doc).toMatchObject({
      vmid: 100,
      type: "qemu",
      node: "pve1",
      action: "shutdown",
      outcome: "ok",
      exitstatus: "OK",
    });
    expect(String(doc.upid)).toMatch(
      /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{9}:[0-9A-F]{8}:qmshutdown:100:ops@pve!power:$/,
    );
    expect(posts()).toEqual(["POST /nodes/pve1/qemu/100/status/shutdown"]);
    expect(postCount()).toBe(1);
    expect(sim.cluster?.guests.filter((g) => g.vmid === 100)[0]?.status).toBe("stopped");
  });

  it("without --wait: queued, exit 0; text mode prints the message", async () => {
    const r = await power(["start", "100"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Start of web-01 was sent");
    expect(postCount()).toBe(1);
  });

  it("refuses before sending: exit 2, reason on stderr, JSON with upid null", async () => {
    const r = await power(["resume", "102", "--json"]);
    expect(r.code).toBe(2);
    expect(contract(r.stdout)).toMatchObject({ outcome: "refused", upid: null, exitstatus: null });
    expect(r.stderr).toMatch(/^proxmon: refused: gitlab is not paused\.\n$/);
    const template = await power(["start", "9000"]);
    expect(template.code).toBe(2);
    expect(template.stderr).toContain("template");
    expect(postCount()).toBe(0);
  });

  it("stop and reset off a terminal need --yes", async () => {
    const r = await power(["stop", "102", "--json"]);
    expect(r.code).toBe(2);
    expect(contract(r.stdout).outcome).toBe("refused");
    expect(r.stderr).toContain("--yes");
    expect(postCount()).toBe(0);
  });

  it("warnings are success (exit 0)", async () => {
    const r = await power(["shutdown", "102", "--wait", "--json"]);
    expect(r.code).toBe(0);
    expect(contract(r.stdout)).toMatchObject({ outcome: "warnings", exitstatus: "WARNINGS: 2" });
  });

  it("a failed task exits 1 with PVE's exit status", async () => {
    const r = await power(["reboot", "104", "--wait", "--json"]);
    expect(r.code).toBe(1);
    expect(contract(r.stdout)).toMatchObject({
      type: "lxc",
      outcome: "failed",
      exitstatus: "CT 104 reboot failed: exit code 1",
    });
    expect(r.stderr).toMatch(/^proxmon: failed: .*CT 104 reboot failed/);
  });

  it("an HA-managed guest is ok only once it really stopped", async () => {
    const r = await power(["stop", "101", "--yes", "--wait", "--json"]);
    expect(r.code).toBe(0);
    const doc = contract(r.stdout);
    expect(doc).toMatchObject({ outcome: "ok" });
    expect(String(doc.upid)).toContain(":hastop:");
    expect(String(doc.message)).toContain("HA manager");
    expect(sim.cluster?.guests.filter((g) => g.vmid === 101)[0]?.status).toBe("stopped");
  });

  it("a 403 names the privilege and path, exit 1", async () => {
    const r = await power(["reboot", "103", "--json"]);
    expect(r.code).toBe(1);
    const doc = contract(r.stdout);
    expect(doc.outcome).toBe("failed");
    expect(doc.message).toContain("VM.PowerMgmt on /vms/103");
  });

  it("--wait-timeout bounds the wait: timeout, exit 1", async () => {
    // HA start of 101 needs 2 simulated seconds; a 1 s wait cannot see it.
    const r = await power(["start", "101", "--wait", "--wait-timeout", "1", "--json"]);
    expect(r.code).toBe(1);
    expect(contract(r.stdout).outcome).toBe("timeout");
  });

  it("rejects a missing or bad VMID as usage (exit 2)", async () => {
    expect((await power(["start"])).code).toBe(2);
    expect((await power(["start", "abc"])).code).toBe(2);
    expect((await power(["start", "77777"])).stderr).toContain("no guest 77777");
  });

  it("doctor reports which guests the token may power", async () => {
    const r = await power(["doctor"]);
    expect(r.stdout).toContain("! Power actions: VM.PowerMgmt on 4 of 7 guest(s)");
    expect(r.stdout).toContain("VM.PowerMgmt missing on /vms/103");
  });
});
