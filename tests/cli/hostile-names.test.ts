// A hostile (or just imaginative) server names guests, nodes, tags, pools,
// locks and storage with quotes, backslashes and token-looking text. Every
// line `status --json` and `watch --json` print must still parse, hold the
// value scrubbed as a value, and never hold the secret; the table must keep
// one line per guest.

import { PassThrough } from "node:stream";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { redactSecret } from "../../src/api/errors";
import { createIo, type CliIo } from "../../src/cli/io";
import { runStatus } from "../../src/cli/status";
import { toText } from "../../src/model/decode-values";
import { parseScenario } from "../../src/sim-engine/scenario";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import { collect, startCli, waitForOutput } from "./helpers";

const SECRET = "6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5";
const TOKEN_ID = "monitor@pve!proxmon";

const PIECES = [
  "PVEAPIToken=",
  "PVEAPIToken ",
  "pveapitoken:",
  "monitor@pve!proxmon=",
  SECRET,
  SECRET.slice(0, 9) + "\u00ad" + SECRET.slice(9),
  "=" + SECRET,
  "%3D",
  "x",
  "db",
  '"',
  "\\",
  '\\"',
  "\\u0022",
  "'",
  "=",
  ":",
  " ",
  ",",
  "{",
  "}",
  "[",
  "]",
  "<",
  "\n",
  "\u2028",
  "\u200b",
  "é",
  "\ud83d\ude00",
];

const hostile = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(""));

interface Names {
  nodes: string[];
  guests: string[];
  tags: string[];
  pool: string;
  lock: string;
  storage: string;
  cluster: string;
}

/** The case the issue reported, tried first by every property. */
const REPORTED: Names = {
  nodes: ['PVEAPIToken=x"y', "pve\\2", "PVEAPIToken " + SECRET],
  guests: [
    'PVEAPIToken=x"y',
    'a\\"b',
    "PVEAPIToken=" + SECRET,
    "=" + SECRET,
    'x"',
    "\\",
    "ok",
    "c:\\",
  ],
  tags: ['PVEAPIToken=x"y'],
  pool: 'PVEAPIToken=x"y',
  lock: 'PVEAPIToken=x"y',
  storage: 'PVEAPIToken=x"y',
  cluster: 'PVEAPIToken=x"y',
};

const names = fc.record({
  nodes: fc.array(hostile, { minLength: 3, maxLength: 3 }),
  guests: fc.array(hostile, { minLength: 8, maxLength: 8 }),
  tags: fc.array(hostile, { minLength: 1, maxLength: 3 }),
  pool: hostile,
  lock: hostile,
  storage: hostile,
  cluster: hostile,
});

function startScenario(): Promise<SimulatorHandle> {
  const parsed = parseScenario({
    seed: 7,
    cluster: {
      name: "lab",
      nodes: [{ name: "pve1" }, { name: "pve2" }, { name: "pve3" }],
    },
    guests: [100, 101, 102, 103, 104, 105, 106, 107].map((vmid, i) => ({
      vmid,
      node: `pve${(i % 3) + 1}`,
      type: i % 2 ? "lxc" : "qemu",
    })),
    token: {
      id: TOKEN_ID,
      secret: SECRET,
      privileges: { "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"] },
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return startSimulator({ scenario: parsed.value });
}

/** Renames everything in the live model, as a server that validates nothing would serve it. */
function rename(sim: SimulatorHandle, n: Names): void {
  const cluster = sim.cluster;
  if (!cluster) throw new Error("no model");
  // Distinct node names: a suffix keeps generated duplicates apart.
  const nodeNames = n.nodes.map((name, i) => name + "#" + i);
  const byOld: Record<string, string> = {};
  cluster.nodes.forEach((node, i) => {
    byOld[node.name] = nodeNames[i] as string;
  });
  // The model may have been renamed by an earlier run: map back through position.
  for (const node of cluster.nodes) node.name = byOld[node.name] as string;
  cluster.localNode = cluster.nodes[0]?.name ?? cluster.localNode;
  cluster.name = n.cluster;
  cluster.guests.forEach((g, i) => {
    g.name = n.guests[i] as string;
    g.node = cluster.nodes[i % cluster.nodes.length]?.name as string;
    g.tags = n.tags.slice();
    g.pool = n.pool;
    g.lock = i === 1 ? n.lock : null;
  });
  cluster.storage.forEach((s) => {
    const index = cluster.nodes.findIndex(
      (node) => node.name === byOld[s.node] || node.name === s.node,
    );
    s.node = cluster.nodes[Math.max(0, index)]?.name as string;
    if (s.storage !== "local") s.storage = n.storage;
  });
}

/** What a value must look like in the output: decoded as the widget does, then scrubbed as a value. */
function shown(raw: string): string {
  return redactSecret(toText(raw) ?? "", SECRET);
}

function captureIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  const io = createIo({
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    env: { PROXMON_TOKEN_SECRET: SECRET },
    stdin: new PassThrough(),
    stderrIsTTY: false,
  });
  return { io, stdout: () => out, stderr: () => err };
}

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startScenario();
});

afterAll(async () => {
  await sim.stop();
});

function connect(): string[] {
  return [
    "--host",
    "127.0.0.1",
    "--port",
    String(sim.port),
    "--token-id",
    TOKEN_ID,
    "--ca",
    sim.caFile,
  ];
}

describe("hostile names", () => {
  it("status --json is valid JSON with every value scrubbed as a value", async () => {
    await fc.assert(
      fc.asyncProperty(names, async (n) => {
        rename(sim, n);
        const { io, stdout, stderr } = captureIo();
        const code = await runStatus(["--json", ...connect()], io);
        expect(stderr()).toBe("");
        expect(code).toBe(0);
        const doc = JSON.parse(stdout()) as {
          cluster: { name: string | null };
          nodes: Array<{ name: string }>;
          guests: Array<{
            vmid: number;
            name: string;
            node: string;
            tags: string[];
            pool: string | null;
            lock: string | null;
          }>;
          storage: Array<{ storage: string; node: string }>;
        };
        expect(stdout()).not.toContain(SECRET);
        const cluster = sim.cluster;
        if (!cluster) throw new Error("no model");
        expect(doc.nodes.map((x) => x.name).sort()).toEqual(
          cluster.nodes.map((x) => shown(x.name)).sort(),
        );
        expect(doc.guests.map((g) => g.vmid)).toEqual(
          cluster.guests.map((g) => g.vmid).sort((a, b) => a - b),
        );
        for (const g of doc.guests) {
          const model = cluster.guests.find((x) => x.vmid === g.vmid);
          if (!model) throw new Error("unknown guest");
          if (toText(model.name) !== null) expect(g.name).toBe(shown(model.name));
          expect(g.node).toBe(shown(model.node));
          expect(g.pool).toBe(toText(model.pool ?? "") === null ? null : shown(model.pool ?? ""));
          if (model.lock !== null && toText(model.lock) !== null)
            expect(g.lock).toBe(shown(model.lock));
          for (const tag of g.tags) expect(tag).not.toContain(SECRET);
        }
        for (const s of doc.storage) expect(typeof s.storage).toBe("string");
      }),
      { numRuns: 40, examples: [[REPORTED]] },
    );
  }, 120_000);

  it("the status table keeps one line per guest", async () => {
    await fc.assert(
      fc.asyncProperty(names, async (n) => {
        rename(sim, n);
        const { io, stdout } = captureIo();
        expect(await runStatus(connect(), io)).toBe(0);
        const out = stdout();
        expect(out).not.toContain(SECRET);
        const section = out.split("\nGUESTS\n")[1]?.split("\n\n")[0] ?? "";
        const rows = section
          .split("\n")
          .filter((l) => l !== "")
          .slice(1);
        expect(rows).toHaveLength(8);
        const vmidWidth = (section.split("\n")[0] ?? "").indexOf("VMID") + 4;
        const statusAt = (section.split("\n")[0] ?? "").indexOf("STATUS");
        for (const row of rows) {
          expect(row.slice(0, vmidWidth)).toMatch(/^ *\d+$/);
          // Scrubbing after the layout would shift every later column.
          expect(row.slice(statusAt)).toMatch(/^(running|stopped)/);
        }
      }),
      { numRuns: 20, examples: [[REPORTED]] },
    );
  }, 120_000);

  it("every watch --json line parses and names only the guests that changed", async () => {
    await fc.assert(
      fc.asyncProperty(names, async (n) => {
        rename(sim, n);
        const cluster = sim.cluster;
        if (!cluster) throw new Error("no model");
        const child = startCli(
          ["watch", "--json", "--interval", "5", "--rate-limit", "0", ...connect()],
          {
            env: { PROXMON_TOKEN_SECRET: SECRET },
          },
        );
        const done = collect(child, 60_000);
        const running = cluster.guests
          .filter((g) => g.status === "running" && g.lock === null)
          .map((g) => g.vmid);
        try {
          await waitForOutput(child, "stderr", (t) => t.includes("connected to"), 20_000);
          for (const vmid of running.slice(0, 2))
            expect(sim.perform({ action: "stop", vmid })).toBeNull();
          await waitForOutput(child, "stdout", (t) => t.includes("\n"), 20_000);
        } finally {
          child.kill("SIGINT");
        }
        const r = await done;
        for (const vmid of running.slice(0, 2)) sim.perform({ action: "start", vmid });
        expect(r.stdout + r.stderr).not.toContain(SECRET);
        const lines = r.stdout.split("\n").filter((l) => l !== "");
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
          const parsed = JSON.parse(line) as { title: string; body: string; guests: number[] };
          expect(typeof parsed.title).toBe("string");
          for (const vmid of parsed.guests) expect(running.slice(0, 2)).toContain(vmid);
        }
      }),
      { numRuns: 3, examples: [[REPORTED]] },
    );
  }, 240_000);
});
