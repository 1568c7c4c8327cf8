// Several tokens on one simulated pveproxy (a read-only monitoring token
// and a power-actions token of another user): each request is checked,
// listed and owns its tasks as the token that signed it, and the server
// counts authenticated requests per token ID (never a secret).

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseUpid } from "../../src/actions/request";
import { handleApiRequest } from "../../src/sim-engine/api";
import { createSimCluster, type SimCluster } from "../../src/sim-engine/cluster-model";
import { mustParseScenario, parseScenario } from "../../src/sim-engine/scenario";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";

const MONITOR = { id: "monitor@pve!proxmon", secret: "aaaaaaaa-0000-4000-8000-000000000001" };
const OPS = { id: "ops@pve!proxmon", secret: "bbbbbbbb-0000-4000-8000-000000000002" };

function scenarioJson(): Record<string, unknown> {
  return {
    seed: 4,
    cluster: { name: "c", localNode: "pve1", nodes: [{ name: "pve1" }] },
    guests: [{ vmid: 100, name: "web-01", node: "pve1" }],
    token: { ...MONITOR, privileges: { "/": ["Sys.Audit", "VM.Audit"] } },
    tokens: [{ ...OPS, privileges: { "/vms": ["VM.Audit", "VM.PowerMgmt"] } }],
  };
}

function call(
  cluster: SimCluster,
  who: { id: string; secret: string },
  method: string,
  path: string,
) {
  return handleApiRequest(cluster, {
    method,
    path,
    query: {},
    authorization: `PVEAPIToken=${who.id}=${who.secret}`,
  });
}

describe("a scenario with further tokens", () => {
  it("accepts each token with its own secret and privileges; the scenario's token stays", () => {
    const cl = createSimCluster(mustParseScenario(scenarioJson()));
    expect(call(cl, MONITOR, "GET", "/cluster/resources").status).toBe(200);
    // The read-only token may not power the guest; the actions token may.
    expect(call(cl, MONITOR, "POST", "/nodes/pve1/qemu/100/status/shutdown").status).toBe(403);
    const ok = call(cl, OPS, "POST", "/nodes/pve1/qemu/100/status/shutdown");
    expect(ok.status).toBe(200);
    expect(ok.signedBy).toBe(OPS.id);
    // The task belongs to the token that started it.
    const upid = (JSON.parse(ok.body) as { data: string }).data;
    expect(parseUpid(upid)?.user).toBe(OPS.id);
    // Its permissions are its own.
    const perms = JSON.parse(call(cl, OPS, "GET", "/access/permissions").body) as {
      data: Record<string, Record<string, number>>;
    };
    expect(perms.data["/vms"]?.["VM.PowerMgmt"]).toBe(1);
    expect(perms.data["/"]).toBeUndefined();
    // A secret of the other token is refused; the request handled after it is the scenario's again.
    expect(call(cl, { id: OPS.id, secret: MONITOR.secret }, "GET", "/version").status).toBe(401);
    expect(cl.token?.id).toBe(MONITOR.id);
    expect(call(cl, MONITOR, "GET", "/version").signedBy).toBe(MONITOR.id);
  });

  it("refuses a token listed twice and a list that is not one", () => {
    const twice = parseScenario({ ...scenarioJson(), tokens: [{ ...MONITOR }] });
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.errors.join("\n")).toContain("already a token");
    const notList = parseScenario({ ...scenarioJson(), tokens: { id: OPS.id } });
    expect(notList.ok).toBe(false);
  });
});

describe("the server counts requests per signing token", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: mustParseScenario(scenarioJson()) });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("byToken: token ID → METHOD /path → count, authenticated requests only", async () => {
    const { request } = await import("node:https");
    const get = (who: { id: string; secret: string }, method: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          sim.apiUrl + path,
          {
            method,
            ca: sim.caPem,
            headers: { Authorization: `PVEAPIToken=${who.id}=${who.secret}` },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end();
      });
    expect(await get(MONITOR, "GET", "/version")).toBe(200);
    expect(await get(OPS, "POST", "/nodes/pve1/qemu/100/status/shutdown")).toBe(200);
    expect(await get({ id: OPS.id, secret: "wrong" }, "GET", "/version")).toBe(401);
    const stats = sim.stats;
    expect(stats.byToken).toEqual({
      [MONITOR.id]: { "GET /version": 1 },
      [OPS.id]: { "POST /nodes/pve1/qemu/100/status/shutdown": 1 },
    });
    expect(JSON.stringify(stats)).not.toContain(OPS.secret);
  });
});
