import { describe, expect, it } from "vitest";
import type { TransportRequest, TransportResult } from "../../src/api/transport";
import type { FaultKind, FaultSpec } from "../../src/sim-engine/faults";
import { DEMO_SCENARIO, createDemoTransport } from "../../src/demo/transport";
import { mustParseScenario } from "../../src/sim-engine/scenario";
import { createFakeScheduler } from "./helpers";

const token = DEMO_SCENARIO.token!;
const headers = { Authorization: `PVEAPIToken=${token.id}=${token.secret}` };

function req(path: string, extra: Partial<TransportRequest> = {}): TransportRequest {
  return {
    method: "GET",
    url: `https://demo.invalid:8006/api2/json${path}`,
    headers,
    timeoutMs: 10_000,
    ...extra,
  };
}

/** A fault that hits the next request once, on any path, with the kind's defaults. */
function faultSpec(kind: FaultKind, extra: Partial<FaultSpec> = {}): FaultSpec {
  return {
    kind,
    path: null,
    method: null,
    times: 1,
    status: null,
    message: null,
    aclPath: null,
    privilege: null,
    bytes: null,
    delayMs: null,
    ...extra,
  };
}

async function settle(p: Promise<TransportResult>): Promise<TransportResult> {
  return p;
}

describe("createDemoTransport", () => {
  it("answers only after the latency has passed on the scheduler", async () => {
    const scheduler = createFakeScheduler();
    const t = createDemoTransport({ scheduler, latencyMs: 100 });
    let done = false;
    const pending = t.send(req("/cluster/resources"));
    void pending.result.then(() => (done = true));
    scheduler.advance(99);
    await Promise.resolve();
    expect(done).toBe(false);
    scheduler.advance(1);
    const r = await settle(pending.result);
    if (!r.ok) throw new Error(r.failure.detail);
    expect(r.response.status).toBe(200);
    expect(r.response.headers["content-type"]).toBe("application/json;charset=UTF-8");
    const data = JSON.parse(r.response.body).data as { type: string; name?: string }[];
    expect(data.filter((e) => e.type === "node")).toHaveLength(3);
    expect(data.filter((e) => e.type === "qemu" || e.type === "lxc").length).toBeGreaterThanOrEqual(
      14,
    );
    expect(data.map((e) => e.name)).toEqual(
      expect.arrayContaining(["web-01", "db-primary", "gitlab", "pihole"]),
    );
    expect(scheduler.pending()).toBe(0);
  });

  it("moves the demo along with the scheduler's clock", async () => {
    const scheduler = createFakeScheduler();
    const t = createDemoTransport({ scheduler, latencyMs: 0 });
    const status = async (vmid: number) => {
      const p = t.send(req("/cluster/resources?type=vm"));
      scheduler.advance(0);
      const r = await p.result;
      if (!r.ok) throw new Error(r.failure.detail);
      return (
        JSON.parse(r.response.body).data as { vmid: number; status: string; lock?: string }[]
      ).find((e) => e.vmid === vmid);
    };
    expect((await status(111))?.status).toBe("running");
    expect((await status(108))?.status).toBe("paused");
    scheduler.advance(125_000);
    expect((await status(103))?.lock).toBe("backup");
    scheduler.advance(60_000);
    expect((await status(111))?.status).toBe("stopped");
    scheduler.advance(60_000);
    expect((await status(111))?.status).toBe("running");
    expect((await status(103))?.lock).toBeUndefined();
    expect(t.elapsedSeconds()).toBeCloseTo(245, 5);
  });

  it("runs a given scenario and honours its token", async () => {
    const scheduler = createFakeScheduler();
    const scenario = mustParseScenario({
      cluster: { nodes: [{ name: "a1" }] },
      guests: [{ vmid: 100, node: "a1" }],
      token: { id: "t@pve!xy", secret: "s", privileges: { "/": ["VM.Audit"] } },
      timeline: [{ at: 30, action: "stop", vmid: 100 }],
    });
    const t = createDemoTransport({ scheduler, scenario, latencyMs: 5 });
    const call = async (path: string, h: Record<string, string>) => {
      const p = t.send({
        method: "GET",
        url: `https://demo.invalid/api2/json${path}`,
        headers: h,
        timeoutMs: 1000,
      });
      scheduler.advance(5);
      const r = await p.result;
      if (!r.ok) throw new Error(r.failure.detail);
      return r.response;
    };
    const ok = { authorization: "PVEAPIToken=t@pve!xy=s" };
    expect((await call("/version", {})).status).toBe(401);
    expect((await call("/version", {})).reason).toBe("No ticket");
    expect((await call("/version", { authorization: "PVEAPIToken=t@pve!xy=nope" })).reason).toBe(
      "Authentication failed!",
    );
    expect((await call("/cluster/status", ok)).status).toBe(403);
    scheduler.advance(30_000);
    const res = await call("/cluster/resources?type=vm", ok);
    expect(JSON.parse(res.body).data[0].status).toBe("stopped");
  });

  it("reports other hosts as unreachable", async () => {
    const scheduler = createFakeScheduler();
    const t = createDemoTransport({ scheduler, latencyMs: 10 });
    const p = t.send({ ...req("/version"), url: "https://pve.example/api2/json/version" });
    scheduler.advance(10);
    expect(await p.result).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "getaddrinfo ENOTFOUND pve.example" },
    });
  });

  it("aborts and times out", async () => {
    const scheduler = createFakeScheduler();
    const t = createDemoTransport({ scheduler, latencyMs: 50 });
    const a = t.send(req("/version"));
    a.abort();
    expect(await a.result).toEqual({ ok: false, failure: { kind: "aborted", detail: "aborted" } });
    expect(scheduler.pending()).toBe(0);

    t.cluster.faults.add(faultSpec("hang", { path: "/version" }));
    const h = t.send(req("/version", { timeoutMs: 3000 }));
    scheduler.advance(2999);
    scheduler.advance(1);
    expect(await h.result).toEqual({
      ok: false,
      failure: { kind: "timeout", detail: "no answer within 3000 ms" },
    });
  });

  it("acts out injected faults", async () => {
    const scheduler = createFakeScheduler();
    const t = createDemoTransport({ scheduler, latencyMs: 1 });
    const fault = (kind: FaultKind, extra: Partial<FaultSpec> = {}) =>
      t.cluster.faults.add(faultSpec(kind, extra));
    const run = async (ms = 1) => {
      const p = t.send(req("/cluster/resources", { timeoutMs: 60_000 }));
      scheduler.advance(ms);
      return p.result;
    };
    fault("595");
    expect(await run()).toMatchObject({
      ok: true,
      response: { status: 595, reason: "No route to host", body: "" },
    });
    fault("403", { aclPath: "/vms", privilege: "VM.Audit" });
    expect(await run()).toMatchObject({
      ok: true,
      response: { status: 403, reason: "Permission check failed (/vms, VM.Audit)" },
    });
    fault("reset");
    expect(await run()).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "ECONNRESET" },
    });
    fault("html");
    const html = await run();
    expect(html.ok && html.response.headers["content-type"]).toBe("text/html; charset=utf-8");
    fault("huge", { bytes: 200_000 });
    const huge = await run();
    expect(huge.ok && huge.response.body.length).toBeGreaterThan(199_000);
    expect(huge.ok && JSON.parse(huge.response.body).data.length).toBeGreaterThan(100);
    fault("delay", { delayMs: 5000 });
    let late = false;
    const delayed = t.send(req("/version"));
    void delayed.result.then(() => (late = true));
    scheduler.advance(5000);
    await Promise.resolve();
    expect(late).toBe(false);
    scheduler.advance(1);
    expect(await delayed.result).toMatchObject({ ok: true, response: { status: 200 } });
    // Faults are used up; the next call is normal again.
    const normal = await run();
    expect(normal.ok && normal.response.status).toBe(200);
  });
});
