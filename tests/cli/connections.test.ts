// The CLI with a config file (issue 11, item 5): status over every
// connection, the multi-connection --json shape, exit codes, per-connection
// secrets, --connection, the refused TLS flags, and --host still working.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import { runCli } from "./helpers";

const TOKEN_ID = "demo@pve!proxmon";
const SECRET = "00000000-0000-4000-8000-00000000de00";

let a: SimulatorHandle;
let b: SimulatorHandle;
let dir: string;

beforeAll(async () => {
  [a, b] = await Promise.all([startSimulator({}), startSimulator({})]);
  dir = mkdtempSync(join(tmpdir(), "proxmon-connections-"));
});

afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
});

function writeConfig(name: string, connections: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ connections }));
  return file;
}

function home(extra: Record<string, unknown> = {}) {
  // The first address is dead: status must fail over to the simulator.
  return {
    name: "home",
    hosts: ["127.0.0.1:1", `127.0.0.1:${a.port}`],
    tokenId: TOKEN_ID,
    ca: a.caFile,
    ...extra,
  };
}

function lab() {
  const entry = `127.0.0.1:${b.port}`;
  return {
    name: "lab-2",
    hosts: [entry],
    tokenId: TOKEN_ID,
    fingerprints: { [entry]: b.fingerprint256 },
  };
}

const dead = { name: "dead", hosts: ["127.0.0.1:2"], tokenId: TOKEN_ID };

describe("proxmon status with a config file", () => {
  it("covers every connection, with the multi-connection JSON shape; exit 0 while one answers", async () => {
    const file = writeConfig("three.json", [home(), lab(), dead]);
    const r = await runCli(["status", "--config", file, "--json"], {
      env: { PROXMON_TOKEN_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { connections: Array<Record<string, unknown>> };
    expect(out.connections.map((c) => Object.keys(c))).toEqual([
      ["name", "host", "error", "cluster", "nodes", "guests", "storage"],
      ["name", "host", "error", "cluster", "nodes", "guests", "storage"],
      ["name", "host", "error", "cluster", "nodes", "guests", "storage"],
    ]);
    const [h, l, d] = out.connections;
    expect(h).toMatchObject({ name: "home", host: `127.0.0.1:${a.port}`, error: null });
    expect((h?.nodes as unknown[]).length).toBeGreaterThan(0);
    expect(l).toMatchObject({ name: "lab-2", host: `127.0.0.1:${b.port}`, error: null });
    expect(d).toMatchObject({
      name: "dead",
      host: null,
      error: { class: "unreachable" },
      cluster: null,
      nodes: [],
      guests: [],
      storage: [],
    });
    expect(r.stderr).toContain('proxmon: unreachable: connection "dead"');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("exits 1 only when every connection failed", async () => {
    const file = writeConfig("dead.json", [
      dead,
      { ...dead, name: "dead2", hosts: ["127.0.0.1:3"] },
    ]);
    const r = await runCli(["status", "--config", file, "--json"], {
      env: { PROXMON_TOKEN_SECRET: SECRET },
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).connections).toHaveLength(2);
  });

  it("keeps today's shape with one connection, or with --connection", async () => {
    const file = writeConfig("two.json", [home(), lab()]);
    const r = await runCli(["status", "--config", file, "--connection", "lab-2", "--json"], {
      env: { PROXMON_TOKEN_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(["cluster", "nodes", "guests", "storage"]);
  });

  it("reads the default file under $XDG_CONFIG_HOME/proxmon when no --host is given", async () => {
    const xdg = join(dir, "xdg");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(xdg, "proxmon"), { recursive: true });
    writeFileSync(
      join(xdg, "proxmon", "config.json"),
      JSON.stringify({ connections: [home(), lab()] }),
    );
    const r = await runCli(["status"], {
      env: { XDG_CONFIG_HOME: xdg, PROXMON_TOKEN_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`== home (127.0.0.1:${a.port}) ==`);
    expect(r.stdout).toContain(`== lab-2 (127.0.0.1:${b.port}) ==`);
  });

  it("takes each secret from PROXMON_TOKEN_SECRET_<NAME> first", async () => {
    const file = writeConfig("secrets.json", [home(), lab()]);
    const r = await runCli(["status", "--config", file, "--json"], {
      env: {
        PROXMON_TOKEN_SECRET_HOME: SECRET,
        PROXMON_TOKEN_SECRET: "11111111-1111-4111-8111-111111111111",
      },
    });
    const out = JSON.parse(r.stdout) as { connections: Array<{ error: { class: string } | null }> };
    expect(out.connections[0]?.error).toBeNull();
    expect(out.connections[1]?.error?.class).toBe("auth");
    expect(r.code).toBe(0);
  });

  it("refuses TLS flags with a config file, and connection flags with --config", async () => {
    const file = writeConfig("one.json", [home()]);
    const env = { PROXMON_TOKEN_SECRET: SECRET };
    const tls = await runCli(["status", "--config", file, "--insecure"], { env });
    expect(tls.code).toBe(2);
    expect(tls.stderr).toContain("trust is per connection");
    const host = await runCli(["status", "--config", file, "--host", "x"], { env });
    expect(host.code).toBe(2);
    expect(host.stderr).toContain("cannot be combined with --config");
  });

  it("names every problem of an invalid file and sends nothing", async () => {
    const file = writeConfig("bad.json", [
      { name: "a-b", hosts: ["x"], tokenId: TOKEN_ID },
      { name: "a_b", hosts: ["y:0"], tokenId: "nope" },
    ]);
    const r = await runCli(["status", "--config", file], { env: { PROXMON_TOKEN_SECRET: SECRET } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("proxmon: config:");
    expect(r.stderr).toContain("connections[1].hosts[0]");
    expect(r.stderr).toContain("connections[1].tokenId");
    expect(r.stderr).toContain("PROXMON_TOKEN_SECRET_A_B");
  });

  it("--host and --token-id still work without a config file", async () => {
    const r = await runCli(
      [
        "status",
        "--json",
        "--host",
        "127.0.0.1",
        "--port",
        String(a.port),
        "--token-id",
        TOKEN_ID,
        "--ca",
        a.caFile,
      ],
      { env: { PROXMON_TOKEN_SECRET: SECRET, XDG_CONFIG_HOME: join(dir, "xdg") } },
    );
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(["cluster", "nodes", "guests", "storage"]);
  });
});
