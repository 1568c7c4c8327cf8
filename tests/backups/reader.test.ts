// The backup reader against the pure simulator: what it reads, how often,
// that a multi-guest log is read once, that a 403 degrades one part only,
// and the average requests per refresh with backups on.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

import type { Result } from "../../src/api/errors";
import { decodeResources } from "../../src/model/decode-resources";
import { averageRequestsPerRefresh, createBackupReader } from "../../src/backups/reader";
import { buildReport } from "../../src/backups/report";
import { handleApiRequest } from "../../src/sim-engine/api";
import { createSimCluster, type SimCluster } from "../../src/sim-engine/cluster-model";
import { mustParseScenario } from "../../src/sim-engine/scenario";

const ROOT = resolve(__dirname, "../..");
const TOKEN = "monitor@pve!proxmon";
const SECRET = "00000000-0000-4000-8000-000000000001";

function cluster(privileges?: Record<string, string[]>): SimCluster {
  const json = JSON.parse(
    readFileSync(resolve(ROOT, "examples/scenario-backups.json"), "utf8"),
  ) as Record<string, unknown>;
  json.timeline = [];
  if (privileges) json.token = { id: TOKEN, secret: SECRET, privileges };
  return createSimCluster(mustParseScenario(json), { epoch: 1796000000 });
}

function client(cl: SimCluster, log: string[]) {
  return {
    get(path: string, query: Record<string, string> = {}) {
      log.push(path);
      const reply = handleApiRequest(cl, {
        method: "GET",
        path,
        query,
        authorization: `PVEAPIToken=${TOKEN}=${cl.token?.secret ?? SECRET}`,
      });
      let result: Result<unknown>;
      if (reply.status === 200)
        result = { ok: true, value: (JSON.parse(reply.body) as { data: unknown }).data };
      else {
        const m = /^Permission check failed \(([^,]+), (.+)\)$/.exec(reply.reason);
        result = {
          ok: false,
          error: m
            ? {
                kind: "permission",
                message: reply.reason,
                status: 403,
                aclPath: m[1],
                privilege: m[2],
              }
            : { kind: "server", message: reply.reason, status: reply.status },
        };
      }
      return { result: Promise.resolve(result), abort: () => undefined };
    },
  };
}

function inputs(cl: SimCluster, log: string[]) {
  const c = client(cl, log);
  return c.get("/cluster/resources").result.then((r) => {
    const d = decodeResources(r.ok ? r.value : null)!;
    return {
      c,
      d,
      input: {
        guests: d.guests,
        nodes: d.nodes.filter((n) => n.status === "online").map((n) => n.name),
        storage: d.storage,
      },
    };
  });
}

describe("backup reader", () => {
  it("reads everything once, remembers logs, and is due again only after its interval", async () => {
    const cl = cluster();
    const log: string[] = [];
    const { c, input } = await inputs(cl, log);
    let now = 1796000000 * 1000;
    const reader = createBackupReader({ client: c, clock: () => now });
    expect(reader.isDue()).toBe(true);
    log.length = 0;
    const first = await reader.read(input);
    const logReads = log.filter((p) => p.endsWith("/log")).length;
    // The two multi-guest runs and the vzdump task without a VMID ("unexpected status").
    expect(logReads).toBe(3);
    expect(log).toContain("/cluster/ceph/status"); // rbd storage in the scenario
    expect(log).toContain("/cluster/ha/status/current"); // guest 101 has an HA state
    expect(first.requests).toBe(log.length);
    expect(first.features.every((f) => f.available === true)).toBe(true);
    expect(first.ceph?.health).toBe("HEALTH_WARN");
    now += 60_000;
    expect(reader.isDue()).toBe(false);
    // A vzdump ends: the lock goes away, and the reader wants a read soon.
    reader.observe(input.guests.map((g) => (g.vmid === 100 ? { ...g, lock: "backup" } : g)));
    reader.observe(input.guests);
    expect(reader.isDue()).toBe(false);
    now += 16_000;
    expect(reader.isDue()).toBe(true);
    log.length = 0;
    const second = await reader.read(input);
    expect(log.filter((p) => p.endsWith("/log"))).toHaveLength(0);
    expect(second.requests).toBe(first.requests - logReads);
    expect(reader.stats().reads).toBe(2);

    // Average with the widget's default 30 s refresh (bench: 1 request per refresh).
    const avg = averageRequestsPerRefresh(1, 30, second.requests, 600);
    expect(avg).toBeLessThan(2);
    console.log(
      `backups on: ${second.requests} requests per slow read → ${avg.toFixed(2)} requests per 30 s refresh (base 1)`,
    );

    const report = buildReport(second, input.guests, {});
    expect(report.guests.filter((g) => g.vmid === 100)[0]!.state).toBe("ok");
  });

  it("degrades per part on 403: jobs refused, tasks readable; without node Sys.Audit states are unknown", async () => {
    const noRoot = cluster({
      "/nodes": ["Sys.Audit"],
      "/vms": ["VM.Audit"],
      "/storage": ["Datastore.Audit"],
    });
    const log: string[] = [];
    const { c, input } = await inputs(noRoot, log);
    const data = await createBackupReader({ client: c, clock: () => 1796000000 * 1000 }).read(
      input,
    );
    const f = (id: string) => data.features.filter((x) => x.id === id)[0]!;
    expect(f("jobs")).toMatchObject({
      available: false,
      missing: { privilege: "Sys.Audit", path: "/" },
    });
    expect(f("tasks").available).toBe(true);
    const report = buildReport(data, input.guests, {});
    expect(report.nothingReadable).toBe(false);
    expect(report.guests.filter((g) => g.vmid === 100)[0]!.lastOk).not.toBeNull();

    const blind = cluster({ "/vms": ["VM.Audit"] });
    const log2: string[] = [];
    const b = await inputs(blind, log2);
    const d2 = await createBackupReader({ client: b.c, clock: () => 1796000000 * 1000 }).read(
      b.input,
    );
    const r2 = buildReport(d2, b.input.guests, {});
    expect(r2.nothingReadable).toBe(true);
    expect(
      r2.guests
        .filter((g) => !g.reason || g.reason !== "template")
        .every((g) => g.state === "unknown" || g.state === "excluded"),
    ).toBe(true);
    expect(d2.features.filter((x) => x.id === "tasks")[0]!.missing?.path).toMatch(/^\/nodes\//);
  });
});
