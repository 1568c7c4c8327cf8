// End to end: the bundled CLI against the simulator on a real socket, with
// real TLS. Every run also checks that the token secret appears nowhere in
// what the CLI printed.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseScenario, type Scenario } from "../../src/sim-engine/scenario";
import { parseReadyLine } from "../../src/sim-server/ready-line";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import {
  ROOT,
  collect,
  runCli,
  startCli,
  waitForOutput,
  type RunOptions,
  type RunResult,
} from "./helpers";

const SECRET = "6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5";
const WRONG_SECRET = "0badc0de-0000-4000-8000-00000000beef";
const TOKEN_ID = "monitor@pve!proxmon";
const DEFAULT_SECRET = "00000000-0000-4000-8000-000000000001";

function scenario(privileges: Record<string, string[]>, withTimeline = false): Scenario {
  const json = JSON.parse(
    readFileSync(resolve(ROOT, "examples/scenario-basic.json"), "utf8"),
  ) as Record<string, unknown>;
  if (!withTimeline) json.timeline = [];
  json.token = { id: TOKEN_ID, secret: SECRET, privileges };
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.value;
}

const FULL = { "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"] };

let full: SimulatorHandle;
let limited: SimulatorHandle;
let noPrivileges: SimulatorHandle;
let replay: SimulatorHandle;
let scratch: string;

function connect(sim: SimulatorHandle, tls: string[] = ["--ca", sim.caFile]): string[] {
  return ["--host", "127.0.0.1", "--port", String(sim.port), "--token-id", TOKEN_ID, ...tls];
}

/** Runs the CLI and checks the invariant every command shares: no secret in any output. */
async function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env = options.env ?? { PROXMON_TOKEN_SECRET: SECRET };
  const result = await runCli(args, { ...options, env });
  for (const secret of [SECRET, WRONG_SECRET, DEFAULT_SECRET]) {
    expect(result.stdout + result.stderr).not.toContain(secret);
  }
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result;
}

function expectOneErrorLine(stderr: string, kind: string): string {
  const lines = stderr
    .split("\n")
    .filter((l) => l.startsWith("proxmon: ") && !l.startsWith("proxmon: WARNING"));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp("^proxmon: " + kind + ": "));
  return lines[0] as string;
}

const isNumOrNull = (v: unknown): boolean => v === null || (typeof v === "number" && isFinite(v));
const isStrOrNull = (v: unknown): boolean => v === null || typeof v === "string";

/** Every key and type of the status --json contract (docs/cli.md). */
function checkContract(value: unknown): void {
  const doc = value as Record<string, unknown>;
  expect(Object.keys(doc).sort()).toEqual(["cluster", "guests", "nodes", "storage"]);
  const cluster = doc.cluster as Record<string, unknown>;
  expect(Object.keys(cluster).sort()).toEqual(["name", "quorate"]);
  expect(isStrOrNull(cluster.name)).toBe(true);
  expect(cluster.quorate === null || typeof cluster.quorate === "boolean").toBe(true);
  for (const n of doc.nodes as Array<Record<string, unknown>>) {
    expect(Object.keys(n).sort()).toEqual([
      "cpu",
      "maxcpu",
      "maxmem",
      "mem",
      "name",
      "status",
      "uptime",
    ]);
    expect(typeof n.name).toBe("string");
    expect(["online", "offline", "unknown"]).toContain(n.status);
    for (const k of ["cpu", "maxcpu", "mem", "maxmem", "uptime"])
      expect(isNumOrNull(n[k]), k).toBe(true);
  }
  for (const g of doc.guests as Array<Record<string, unknown>>) {
    expect(Object.keys(g).sort()).toEqual(
      [
        "cpu",
        "lock",
        "maxmem",
        "mem",
        "name",
        "node",
        "pool",
        "status",
        "tags",
        "template",
        "type",
        "uptime",
        "vmid",
      ].sort(),
    );
    expect(Number.isInteger(g.vmid)).toBe(true);
    expect(["qemu", "lxc"]).toContain(g.type);
    expect(typeof g.name).toBe("string");
    expect(typeof g.node).toBe("string");
    expect(typeof g.status).toBe("string");
    expect(typeof g.template).toBe("boolean");
    for (const k of ["cpu", "mem", "maxmem", "uptime"]) expect(isNumOrNull(g[k]), k).toBe(true);
    expect(Array.isArray(g.tags) && (g.tags as unknown[]).every((t) => typeof t === "string")).toBe(
      true,
    );
    expect(isStrOrNull(g.pool)).toBe(true);
    expect(isStrOrNull(g.lock)).toBe(true);
  }
  for (const s of doc.storage as Array<Record<string, unknown>>) {
    // full_in_days is the optional forecast field (issue 12, README "History and storage").
    expect(
      Object.keys(s)
        .filter((k) => k !== "full_in_days")
        .sort(),
    ).toEqual(["node", "shared", "status", "storage", "total", "used"]);
    if ("full_in_days" in s) {
      const d = s.full_in_days;
      expect(d === null || (Number.isInteger(d) && (d as number) >= 0 && (d as number) <= 30)).toBe(
        true,
      );
    }
    expect(typeof s.storage).toBe("string");
    expect(typeof s.node).toBe("string");
    expect(typeof s.status).toBe("string");
    expect(typeof s.shared).toBe("boolean");
    expect(isNumOrNull(s.used)).toBe(true);
    expect(isNumOrNull(s.total)).toBe(true);
  }
}

beforeAll(async () => {
  // dist/cli.mjs is built once by tests/global-setup.ts.
  scratch = mkdtempSync(join(tmpdir(), "proxmon-cli-test-"));
  [full, limited, noPrivileges, replay] = await Promise.all([
    startSimulator({ scenario: scenario(FULL) }),
    startSimulator({
      scenario: scenario({ "/vms": ["VM.Audit"], "/storage": ["Datastore.Audit"] }),
    }),
    startSimulator({ scenario: scenario({}) }),
    startSimulator({ replayDir: resolve(ROOT, "tests/replay/pve7") }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([full, limited, noPrivileges, replay].filter(Boolean).map((s) => s.stop()));
});

describe("proxmon (general)", () => {
  it("prints its version and help", async () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    const version = await run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe("proxmon " + pkg.version);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["status", "doctor", "watch", "simulate"]) {
      expect(help.stdout).toContain(command);
      const sub = await run([command, "--help"]);
      expect(sub.code).toBe(0);
      expect(sub.stdout).toContain("Usage: proxmon " + command);
    }
  });

  it("fails with usage (exit 2) on no command, an unknown command or an unknown flag", async () => {
    expect((await run([])).code).toBe(2);
    const unknown = await run(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expectOneErrorLine(unknown.stderr, "usage");
    const flag = await run(["status", "--bogus"]);
    expect(flag.code).toBe(2);
    expect(expectOneErrorLine(flag.stderr, "usage")).toContain("--bogus");
  });

  it("refuses a secret on the command line without echoing it", async () => {
    for (const flag of [
      ["--secret", SECRET],
      [`--token-secret=${SECRET}`],
      ["--secret=" + SECRET],
    ]) {
      const r = await run(["status", ...connect(full), ...flag]);
      expect(r.code).toBe(2);
      const line = expectOneErrorLine(r.stderr, "usage");
      expect(line).toContain("PROXMON_TOKEN_SECRET");
      expect(line).toMatch(/not accepted/);
    }
  });

  it("says what is missing: host, token id, secret", async () => {
    const noHost = await run(["status", "--token-id", TOKEN_ID]);
    expect(noHost.code).toBe(2);
    expect(expectOneErrorLine(noHost.stderr, "usage")).toContain("--host");
    const badId = await run(["status", "--host", "127.0.0.1", "--token-id", "root@pam"]);
    expect(badId.code).toBe(2);
    expectOneErrorLine(badId.stderr, "config");
    const noSecret = await run(["status", ...connect(full)], { env: {} });
    expect(noSecret.code).toBe(2);
    expect(expectOneErrorLine(noSecret.stderr, "config")).toContain("PROXMON_TOKEN_SECRET");
  });
});

describe("proxmon status", () => {
  it("--json prints the contract against the simulator", async () => {
    const r = await run(["status", "--json", ...connect(full)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      cluster: unknown;
      nodes: unknown[];
      guests: Array<Record<string, unknown>>;
      storage: unknown[];
    };
    checkContract(doc);
    expect(doc.cluster).toEqual({ name: "office", quorate: true });
    expect(doc.nodes).toHaveLength(3);
    expect(doc.guests.map((g) => g.vmid)).toEqual([100, 101, 102, 103, 104, 105, 106, 9000]);
    expect(doc.guests.find((g) => g.vmid === 100)).toMatchObject({
      name: "web-01",
      tags: ["prod", "web"],
      pool: "prod",
    });
    expect(doc.guests.find((g) => g.vmid === 9000)).toMatchObject({ template: true });
    expect(doc.storage.length).toBeGreaterThan(0);
  });

  it("--json has null, not 0, for what an offline node cannot report", async () => {
    const sim = await startSimulator({ scenario: scenario(FULL) });
    try {
      expect(sim.perform({ action: "node-offline", node: "pve3", reason: "crash" })).toBeNull();
      const r = await run(["status", "--json", ...connect(sim)]);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { nodes: Array<Record<string, unknown>> };
      checkContract(doc);
      const pve3 = doc.nodes.find((n) => n.name === "pve3");
      expect(pve3).toMatchObject({ status: "offline", cpu: null, mem: null, uptime: null });
    } finally {
      await sim.stop();
    }
  });

  it("--json prints the contract for the real PVE 7 capture (replay)", async () => {
    const r = await run(["status", "--json", ...connect(replay)], {
      env: { PROXMON_TOKEN_SECRET: DEFAULT_SECRET },
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      cluster: { name: unknown };
      nodes: unknown[];
      guests: unknown[];
    };
    checkContract(doc);
    expect(doc.nodes.length).toBe(4);
    expect(doc.guests.length).toBeGreaterThan(0);
    expect(typeof doc.cluster.name).toBe("string");
  });

  it("a 403 on /cluster/status leaves name and quorum null instead of failing", async () => {
    const r = await run(["status", "--json", ...connect(limited)]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { cluster: unknown; guests: unknown[] };
    checkContract(doc);
    expect(doc.cluster).toEqual({ name: null, quorate: null });
    expect(doc.guests.length).toBeGreaterThan(0);
  });

  it("prints a table sorted by node, then status and name", async () => {
    const r = await run(["status", ...connect(full)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Cluster office: quorate — Proxmox VE 8\.4\.14/);
    expect(r.stdout).toMatch(/\nNODES\nNAME +STATUS +CPU +MEMORY +UPTIME\n/);
    expect(r.stdout).toContain("\nSTORAGE\n");
    const guestLines =
      r.stdout.split("\nGUESTS\n")[1]?.split("\n\n")[0]?.split("\n").slice(1) ?? [];
    const order = guestLines.map((l) => l.trim().split(/\s+/)[0]);
    // pve1: 100, 101 (running, by name: db-primary, web-01); pve2: running by name; pve3: running, stopped, template.
    expect(order).toEqual(["101", "100", "102", "104", "103", "105", "106", "9000"]);
    const header = guestLines.length ? r.stdout.split("\nGUESTS\n")[1]?.split("\n")[0] : "";
    expect(header).toMatch(/^VMID +TYPE +NAME +NODE +STATUS +CPU +MEMORY +UPTIME +TAGS$/);
    expect(r.stdout).toMatch(/106 +ct +uptime-kuma +pve3 +stopped +- +- \/ 512 MiB +-/);
  });

  it("reads host, port and token id from the environment", async () => {
    const r = await run(["status", "--json", "--ca", full.caFile], {
      env: {
        PROXMON_TOKEN_SECRET: SECRET,
        PROXMON_HOST: "127.0.0.1",
        PROXMON_PORT: String(full.port),
        PROXMON_TOKEN_ID: TOKEN_ID,
      },
    });
    expect(r.code).toBe(0);
    checkContract(JSON.parse(r.stdout));
  });

  it("reads the secret from stdin when the environment has none", async () => {
    const r = await run(["status", "--json", ...connect(full)], {
      env: {},
      input: SECRET + "\nignored second line\n",
    });
    expect(r.code).toBe(0);
    checkContract(JSON.parse(r.stdout));
  });

  it("refuses an untrusted certificate with a one-line tls error showing the fingerprint", async () => {
    const r = await run(["status", ...connect(full, [])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const line = expectOneErrorLine(r.stderr, "tls");
    expect(line).toContain(full.fingerprint256);
    expect(line).toContain("--fingerprint " + full.fingerprint256);
  });

  it("accepts the right --fingerprint and refuses a wrong one", async () => {
    const ok = await run([
      "status",
      "--json",
      ...connect(full, ["--fingerprint", full.fingerprint256.toLowerCase()]),
    ]);
    expect(ok.code).toBe(0);
    checkContract(JSON.parse(ok.stdout));
    const wrong = await run([
      "status",
      ...connect(full, ["--fingerprint", "AB:".repeat(31) + "AB"]),
    ]);
    expect(wrong.code).toBe(1);
    expect(expectOneErrorLine(wrong.stderr, "tls")).toContain(full.fingerprint256);
    const malformed = await run(["status", ...connect(full, ["--fingerprint", "AB:CD"])]);
    expect(malformed.code).toBe(2);
  });

  it("--insecure works and warns loudly on stderr", async () => {
    const r = await run(["status", "--json", ...connect(full, ["--insecure"])]);
    expect(r.code).toBe(0);
    checkContract(JSON.parse(r.stdout));
    expect(r.stderr).toMatch(/WARNING: --insecure/);
    const both = await run(["status", ...connect(full, ["--insecure", "--ca", full.caFile])]);
    expect(both.code).toBe(2);
  });

  it("a wrong secret is an auth error, and the secret is not shown", async () => {
    const r = await run(["status", ...connect(full)], {
      env: { PROXMON_TOKEN_SECRET: WRONG_SECRET },
    });
    expect(r.code).toBe(1);
    expectOneErrorLine(r.stderr, "auth");
  });

  it("an unreachable port is an unreachable error", async () => {
    const r = await run([
      "status",
      "--host",
      "127.0.0.1",
      "--port",
      "1",
      "--token-id",
      TOKEN_ID,
      "--insecure",
    ]);
    expect(r.code).toBe(1);
    expectOneErrorLine(r.stderr, "unreachable");
  });

  it("a missing --ca file is a config error", async () => {
    const r = await run(["status", ...connect(full, ["--ca", join(scratch, "missing.pem")])]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, "config");
  });
});

describe("proxmon doctor", () => {
  it("passes for a token with everything the widget needs", async () => {
    const r = await run(["doctor", ...connect(full)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ TCP and TLS");
    expect(r.stdout).toContain("SHA-256 fingerprint: " + full.fingerprint256);
    expect(r.stdout).toContain("✓ Trust");
    expect(r.stdout).toContain("✓ Token: accepted");
    expect(r.stdout).toContain("✓ Version: Proxmox VE 8.4.14");
    expect(r.stdout).toContain("✓ Sys.Audit on /nodes");
    expect(r.stdout).toContain("✓ VM.Audit on /vms");
    expect(r.stdout).not.toContain("✗");
    expect(r.stderr).toBe("");
  });

  it("names the missing privilege and where, and how to grant it", async () => {
    const r = await run(["doctor", ...connect(limited)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ Sys\.Audit missing on \/nodes/);
    expect(r.stdout).toMatch(/✗ Sys\.Audit missing on \/:/);
    expect(r.stdout).toContain("✓ VM.Audit on /vms");
    expect(r.stdout).toContain(`pveum acl modify / --tokens '${TOKEN_ID}' --roles PVEAuditor`);
    expectOneErrorLine(r.stderr, "permission");
  });

  it("names the missing VM.Audit", async () => {
    const sim = await startSimulator({
      scenario: scenario({ "/": ["Sys.Audit", "Datastore.Audit"] }),
    });
    try {
      const r = await run(["doctor", ...connect(sim)]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ VM\.Audit missing on \/vms/);
      expect(r.stdout).toContain("✓ Sys.Audit on /nodes");
    } finally {
      await sim.stop();
    }
  });

  it("explains the privilege-separation trap for a token without any privilege", async () => {
    const r = await run(["doctor", ...connect(noPrivileges)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("no privileges at all");
    expect(r.stdout).toContain("Privilege Separation");
    expectOneErrorLine(r.stderr, "permission");
  });

  it("shows the fingerprint and both ways out when the system does not trust the certificate", async () => {
    const r = await run(["doctor", ...connect(full, [])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ Trust (system trust store)");
    expect(r.stdout).toContain("--fingerprint " + full.fingerprint256);
    expect(r.stdout).toContain("--ca /path/to/pve-root-ca.pem");
    expectOneErrorLine(r.stderr, "tls");
  });

  it("names a rejected token", async () => {
    const r = await run(["doctor", ...connect(full)], {
      env: { PROXMON_TOKEN_SECRET: WRONG_SECRET },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ Token: rejected (401)");
    expectOneErrorLine(r.stderr, "auth");
  });
});

describe("proxmon watch", () => {
  it("--json prints one notification line after a guest stops", async () => {
    const sim = await startSimulator({ scenario: scenario(FULL) });
    const child = startCli(
      ["watch", "--json", "--interval", "1", "--rate-limit", "0", ...connect(sim)],
      {
        env: { PROXMON_TOKEN_SECRET: SECRET },
      },
    );
    const done = collect(child, 30_000);
    try {
      await waitForOutput(child, "stderr", (t) => t.includes("connected to"), 10_000);
      expect(sim.perform({ action: "stop", vmid: 102 })).toBeNull();
      const out = await waitForOutput(child, "stdout", (t) => t.includes("\n"), 15_000);
      const line = JSON.parse(out.split("\n")[0] as string) as Record<string, unknown>;
      expect(Object.keys(line).sort()).toEqual([
        "body",
        "guests",
        "kind",
        "time",
        "title",
        "urgency",
      ]);
      expect(line).toMatchObject({ kind: "single", guests: [102] });
      expect(String(line.title)).toContain("gitlab");
      expect(new Date(String(line.time)).toISOString()).toBe(line.time);
    } finally {
      child.kill("SIGINT");
    }
    const r = await done;
    await sim.stop();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("stopped (SIGINT)");
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  }, 40_000);

  it("reports a failing connection on stderr with its class and keeps stdout clean", async () => {
    const child = startCli(["watch", "--json", ...connect(full, [])], {
      env: { PROXMON_TOKEN_SECRET: SECRET },
    });
    const done = collect(child, 20_000);
    try {
      const err = await waitForOutput(child, "stderr", (t) => t.includes("refresh failed"), 10_000);
      expect(err).toContain("(tls:");
      expect(err).toContain(full.fingerprint256);
    } finally {
      child.kill("SIGINT");
    }
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("checks the notification flags", async () => {
    const mode = await run(["watch", "--notify-mode", "some", ...connect(full)]);
    expect(mode.code).toBe(2);
    expect(expectOneErrorLine(mode.stderr, "usage")).toContain("--notify-mode");
    const rate = await run(["watch", "--rate-limit", "-1", ...connect(full)]);
    expect(rate.code).toBe(2);
  });
});

describe("proxmon simulate", () => {
  it("prints the ready line first, serves the API, and stops cleanly on SIGINT", async () => {
    const file = join(scratch, "scenario.json");
    const json = JSON.parse(
      readFileSync(resolve(ROOT, "examples/scenario-basic.json"), "utf8"),
    ) as Record<string, unknown>;
    json.timeline = [];
    writeFileSync(file, JSON.stringify(json));
    const child = startCli(["simulate", "--port", "0", "--scenario", file]);
    const done = collect(child, 30_000);
    let ready: ReturnType<typeof parseReadyLine>;
    try {
      const out = await waitForOutput(child, "stdout", (t) => parseReadyLine(t) !== null, 20_000);
      expect(out.startsWith("PROXMON_SIMULATOR ")).toBe(true);
      expect(out).not.toContain(DEFAULT_SECRET);
      ready = parseReadyLine(out);
      expect(ready?.tokenId).toBe(TOKEN_ID);
      const port = new URL(ready?.url ?? "").port;
      const r = await run(
        [
          "status",
          "--json",
          "--host",
          "127.0.0.1",
          "--port",
          port,
          "--token-id",
          TOKEN_ID,
          "--ca",
          ready?.caFile ?? "",
        ],
        { env: { PROXMON_TOKEN_SECRET: DEFAULT_SECRET } },
      );
      expect(r.code).toBe(0);
      checkContract(JSON.parse(r.stdout));
      const fp = await run(
        [
          "status",
          "--json",
          "--host",
          "127.0.0.1",
          "--port",
          port,
          "--token-id",
          TOKEN_ID,
          "--fingerprint",
          ready?.fingerprint256 ?? "",
        ],
        {
          env: { PROXMON_TOKEN_SECRET: DEFAULT_SECRET },
        },
      );
      expect(fp.code).toBe(0);
    } finally {
      child.kill("SIGINT");
    }
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l !== "")).toHaveLength(1);
    expect(r.stderr).toContain("--ca " + ready?.caFile);
    expect(r.stderr).toContain("stopped (SIGINT)");
  }, 40_000);

  it("refuses a port in use and an invalid scenario", async () => {
    const busy = await run(["simulate", "--port", String(full.port)]);
    expect(busy.code).toBe(1);
    expect(expectOneErrorLine(busy.stderr, "io")).toContain("in use");
    const bad = join(scratch, "bad.json");
    writeFileSync(bad, JSON.stringify({ cluster: { nodes: "many" } }));
    const invalid = await run(["simulate", "--port", "0", "--scenario", bad]);
    expect(invalid.code).toBe(2);
    expectOneErrorLine(invalid.stderr, "config");
  });
});
