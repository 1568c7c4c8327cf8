import { readFileSync } from "node:fs";
import { connect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mustParseScenario } from "../../src/sim-engine/scenario";
import { formatReadyLine, parseReadyLine } from "../../src/sim-server/ready-line";
import type { SimulatorHandle } from "../../src/sim-server/server";
import { startSimulator } from "../../src/sim-server/server";
import type { HttpAnswer } from "./helpers";
import { httpsCall, tokenHeader } from "./helpers";

const TOKEN = { id: "monitor@pve!proxmon", secret: "00000000-0000-4000-8000-000000000001" };
const AUTH = tokenHeader(TOKEN.id, TOKEN.secret);

const scenario = mustParseScenario({
  seed: 5,
  version: "9.1.4",
  cluster: { name: "lab", nodes: [{ name: "pve1" }, { name: "pve2" }, { name: "pve3" }] },
  guests: { count: 30, lxcRatio: 0.3 },
  token: { ...TOKEN, privileges: { "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"] } },
  timeline: [{ at: 30, action: "stop", vmid: 101 }],
});

describe("HTTPS simulator", () => {
  let sim: SimulatorHandle;
  let clockMs = 1_000_000;
  const get = (path: string, headers: Record<string, string> = AUTH): Promise<HttpAnswer> =>
    httpsCall(sim.caPem, sim.apiUrl + path, { headers });
  const control = (path: string, body?: unknown): Promise<HttpAnswer> =>
    httpsCall(sim.caPem, sim.controlUrl + path, body === undefined ? {} : { method: "POST", body });
  const errorCode = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
      return "no error";
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? String(err);
    }
  };

  beforeAll(async () => {
    sim = await startSimulator({ scenario, now: () => clockMs });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("serves TLS with its own CA and the fingerprint it announces", async () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(sim.caFile, "utf8")).toBe(sim.caPem);
    expect(await errorCode(httpsCall("", sim.apiUrl + "/version"))).toMatch(
      /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/,
    );
    const fp = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: "127.0.0.1", port: sim.port, ca: sim.caPem, servername: "localhost" },
        () => {
          resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? "");
          socket.end();
        },
      );
      socket.on("error", reject);
    });
    expect(fp).toBe(sim.fingerprint256);
    const nodes = JSON.parse((await get("/nodes")).text).data as {
      node: string;
      ssl_fingerprint: string;
    }[];
    expect(nodes.find((n) => n.node === "pve1")?.ssl_fingerprint).toBe(sim.fingerprint256);
  });

  it("authenticates like pveproxy", async () => {
    const none = await get("/version", {});
    expect([none.status, none.reason, none.text, none.headers["content-type"]]).toEqual([
      401,
      "No ticket",
      "",
      undefined,
    ]);
    const wrong = await get(
      "/version",
      tokenHeader(TOKEN.id, "00000000-0000-4000-8000-00000000dead"),
    );
    expect([wrong.status, wrong.reason, wrong.text]).toEqual([401, "Authentication failed!", ""]);
    const ok = await get("/version", { Authorization: `PVEAPIToken ${TOKEN.id}=${TOKEN.secret}` });
    expect(ok.status).toBe(200);
    expect(ok.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(ok.headers.server).toBe("pve-api-daemon/3.0");
    expect(JSON.parse(ok.text)).toEqual({
      data: { version: "9.1.4", release: "9.1", repoid: scenario.version.repoid },
    });
  });

  it("403s /cluster/status without Sys.Audit on /", async () => {
    const limited = await startSimulator({
      scenario: mustParseScenario({
        cluster: { count: 1 },
        guests: [],
        token: { ...TOKEN, privileges: { "/vms": ["VM.Audit"] } },
      }),
      certificate: sim.certificate,
    });
    try {
      const r = await httpsCall(limited.caPem, limited.apiUrl + "/cluster/status", {
        headers: AUTH,
      });
      expect(r.status).toBe(403);
      expect(r.reason).toBe("Permission check failed (/, Sys.Audit)");
      expect(JSON.parse(r.text)).toEqual({
        data: null,
        message: "Permission check failed (/, Sys.Audit)\n",
      });
    } finally {
      await limited.stop();
    }
  });

  it("gzips bodies over 1024 bytes when asked to", async () => {
    const zipped = await get("/cluster/resources", { ...AUTH, "Accept-Encoding": "gzip, deflate" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.raw.length).toBeLessThan(zipped.text.length);
    expect(JSON.parse(zipped.text).data.length).toBeGreaterThan(30);
    const plain = await get("/cluster/resources");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.text).toBe(plain.raw.toString("utf8"));
    const small = await get("/version", { ...AUTH, "Accept-Encoding": "gzip" });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("501s unknown API paths and 404s everything outside /api2 and /__sim", async () => {
    const r = await get("/cluster/nonsense");
    expect([r.status, r.reason]).toEqual([501, "Method 'GET /cluster/nonsense' not implemented"]);
    const other = await httpsCall(sim.caPem, sim.url + "/index.html");
    expect(other.status).toBe(404);
  });

  it("follows its timeline on the clock, and takes actions over the control API", async () => {
    const status = async (vmid: number) =>
      (
        JSON.parse((await get("/cluster/resources?type=vm")).text).data as {
          vmid: number;
          status: string;
        }[]
      ).find((e) => e.vmid === vmid)?.status;
    expect(await status(101)).toBe("running");
    clockMs += 31_000;
    expect(await status(101)).toBe("stopped");

    const started = await control("/action", { action: "start", vmid: 101 });
    expect(JSON.parse(started.text)).toMatchObject({ ok: true, results: [{ error: null }] });
    expect(await status(101)).toBe("running");
    const refused = await control("/action", { action: "start", vmid: 101 });
    expect(JSON.parse(refused.text)).toMatchObject({
      ok: false,
      results: [{ error: "VM 101 already running" }],
    });
    const invalid = await control("/action", { action: "stop", vmid: 7 });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text).results[0].error).toMatch(/action.vmid: must be at least 100/);

    await control("/action", { action: "node-offline", node: "pve3" });
    const adv = await control("/advance", { seconds: 301 });
    expect(JSON.parse(adv.text)).toMatchObject({ ok: true });
    const node = (
      JSON.parse((await get("/cluster/resources?type=node")).text).data as { id: string }[]
    ).find((e) => e.id === "node/pve3");
    expect(node).toEqual({ id: "node/pve3", node: "pve3", type: "node", status: "offline" });
    const down = await get("/nodes/pve3/status");
    expect([down.status, down.reason]).toEqual([595, "No route to host"]);
    const state = JSON.parse((await httpsCall(sim.caPem, sim.controlUrl + "/state")).text);
    expect(state.nodes.find((n: { name: string }) => n.name === "pve3")).toMatchObject({
      online: false,
      rrdFresh: false,
    });
    expect(sim.perform({ action: "node-online", node: "pve3" })).toBeNull();
  });

  it("counts requests per path, in total and in bytes", async () => {
    await control("/reset-stats", {});
    await get("/version");
    await get("/version");
    await get("/cluster/resources");
    await get("/nope");
    const stats = JSON.parse((await httpsCall(sim.caPem, sim.controlUrl + "/stats")).text);
    expect(stats.total).toBe(4);
    expect(stats.byPath["/version"]).toMatchObject({ count: 2, statuses: { "200": 2 } });
    expect(stats.byPath["/cluster/resources"].count).toBe(1);
    expect(stats.byStatus).toEqual({ "200": 3, "501": 1 });
    expect(stats.bytesSent).toBe(
      Object.values(stats.byPath as Record<string, { bytes: number }>).reduce(
        (a, p) => a + p.bytes,
        0,
      ),
    );
    expect(sim.stats.total).toBe(4);
    sim.resetStats();
    expect(sim.stats.total).toBe(0);
  });

  describe("fault injection over the control API", () => {
    const inject = async (fault: Record<string, unknown>) => {
      const r = await control("/fault", { path: "/version", times: 1, ...fault });
      expect(r.status, r.text).toBe(200);
      return JSON.parse(r.text).ids[0] as string;
    };

    it("status faults: 401, 403, 500, 595, 596", async () => {
      await inject({ kind: "401" });
      expect((await get("/version")).reason).toBe("Authentication failed!");
      await inject({ kind: "403", aclPath: "/nodes/pve1", privilege: "Sys.Audit" });
      const forbidden = await get("/version");
      expect([forbidden.status, forbidden.reason]).toEqual([
        403,
        "Permission check failed (/nodes/pve1, Sys.Audit)",
      ]);
      expect(JSON.parse(forbidden.text).message).toBe(
        "Permission check failed (/nodes/pve1, Sys.Audit)\n",
      );
      await inject({
        kind: "500",
        message: "unable to read file '/etc/pve/nodes/pve1/qemu-server/100.conf'",
      });
      const broken = await get("/version");
      expect([broken.status, broken.reason]).toEqual([
        500,
        "unable to read file '/etc/pve/nodes/pve1/qemu-server/100.conf'",
      ]);
      await inject({ kind: "595" });
      expect(await get("/version")).toMatchObject({
        status: 595,
        reason: "No route to host",
        text: "",
      });
      await inject({ kind: "596", message: "Connection timed out" });
      expect(await get("/version")).toMatchObject({
        status: 596,
        reason: "Connection timed out",
        text: "",
      });
      expect((await get("/version")).status).toBe(200);
    });

    it("body faults: html, garbage, huge (50 MiB by default)", async () => {
      await inject({ kind: "html" });
      const html = await get("/version");
      expect(html.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(html.text).toMatch(/^<!DOCTYPE html>/);
      await inject({ kind: "garbage" });
      const garbage = await get("/version");
      expect(garbage.status).toBe(200);
      expect(() => JSON.parse(garbage.text)).toThrow();
      await inject({ kind: "huge" });
      const huge = await get("/version");
      expect(huge.raw.length).toBeGreaterThan(50 * 1024 * 1024 - 200);
      expect(huge.raw.length).toBeLessThanOrEqual(50 * 1024 * 1024);
      expect(JSON.parse(huge.text).data.length).toBeGreaterThan(1000);
    });

    it("connection faults: reset, hang, slow, delay", async () => {
      await inject({ kind: "reset" });
      expect(await errorCode(get("/version"))).toMatch(/ECONNRESET|socket hang up/);

      await inject({ kind: "hang" });
      expect(
        await errorCode(
          httpsCall(sim.caPem, sim.apiUrl + "/version", { headers: AUTH, timeoutMs: 300 }),
        ),
      ).toBe("TIMEOUT");

      await inject({ kind: "slow", delayMs: 600 });
      let t0 = Date.now();
      const slow = await get("/version");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
      expect(JSON.parse(slow.text).data.version).toBe("9.1.4");

      await inject({ kind: "delay", delayMs: 300 });
      t0 = Date.now();
      expect((await get("/version")).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
      const stats = sim.stats;
      expect(stats.byPath["/version"]?.statuses.reset).toBe(1);
      expect(stats.byPath["/version"]?.statuses.hang).toBe(1);
    });

    it("faults for all paths until cleared, listed and cleared by id", async () => {
      const r = await control("/fault", { kind: "500", id: "outage" });
      expect(JSON.parse(r.text).ids).toEqual(["outage"]);
      expect((await get("/cluster/resources")).status).toBe(500);
      expect((await get("/nodes")).status).toBe(500);
      const listed = JSON.parse((await httpsCall(sim.caPem, sim.controlUrl + "/faults")).text);
      expect(listed).toMatchObject([{ id: "outage", kind: "500", hits: 2 }]);
      expect(JSON.parse((await control("/clear-faults", { id: "outage" })).text)).toEqual({
        ok: true,
        cleared: 1,
      });
      expect((await get("/nodes")).status).toBe(200);
      const bad = await control("/fault", { kind: "teapot" });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.text).error).toMatch(/^fault.kind: expected one of/);
      const prefix = sim.addFault({ kind: "595", path: "/nodes/*" });
      expect((await get("/nodes/pve2/status")).status).toBe(595);
      expect((await get("/version")).status).toBe(200);
      sim.clearFaults(prefix.id);
    });
  });

  it("stops (clients see the refusal) and restarts on the same port", async () => {
    const port = sim.port;
    await sim.stop();
    expect(sim.running).toBe(false);
    expect(await errorCode(get("/version"))).toBe("ECONNREFUSED");
    await sim.restart();
    expect(sim.running).toBe(true);
    expect(sim.port).toBe(port);
    expect((await get("/version")).status).toBe(200);
  });

  it("prints a ready line without the secret", () => {
    const line = formatReadyLine({ ...sim.ready, secret: TOKEN.secret } as never);
    expect(line).toMatch(/^PROXMON_SIMULATOR \{/);
    expect(line).not.toContain(TOKEN.secret);
    expect(parseReadyLine(`noise\n${line}\nmore`)).toEqual({
      url: sim.url,
      caFile: sim.caFile,
      fingerprint256: sim.fingerprint256,
      tokenId: TOKEN.id,
      control: sim.controlUrl,
    });
    expect(parseReadyLine("PROXMON_SIMULATOR {bad")).toBeNull();
  });
});

describe("replay mode", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ replayDir: new URL("../replay/pve7", import.meta.url).pathname });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("serves captured envelopes byte for byte, behind the token check", async () => {
    const headers = tokenHeader("monitor@pve!proxmon", "00000000-0000-4000-8000-000000000001");
    const r = await httpsCall(sim.caPem, sim.apiUrl + "/cluster/resources?type=vm", { headers });
    expect(r.status).toBe(200);
    expect(r.text).toBe(
      readFileSync(
        new URL("../fixtures/go-proxmox__pve7x_cluster_resources.json", import.meta.url),
        "utf8",
      ),
    );
    const version = JSON.parse(
      (await httpsCall(sim.caPem, sim.apiUrl + "/version", { headers })).text,
    );
    expect(version.data.version).toBe("7.4-16");
    expect(sim.cluster).toBeNull();

    const noToken = await httpsCall(sim.caPem, sim.apiUrl + "/nodes");
    expect([noToken.status, noToken.reason]).toEqual([401, "No ticket"]);
    // The capture is PVE 7.4: its era named what was wrong with a token.
    const wrong = await httpsCall(sim.caPem, sim.apiUrl + "/nodes", {
      headers: tokenHeader("monitor@pve!proxmon", "x"),
    });
    expect(wrong.reason).toBe("invalid token value!");
    const missing = await httpsCall(sim.caPem, sim.apiUrl + "/cluster/tasks", { headers });
    expect([missing.status, missing.text]).toEqual([501, '{"data":null}']);
    const escape = await httpsCall(sim.caPem, sim.apiUrl + "/../../package", { headers });
    expect(escape.status).not.toBe(200);
    await httpsCall(sim.caPem, sim.controlUrl + "/fault", {
      method: "POST",
      body: { kind: "596", times: 1 },
    });
    expect((await httpsCall(sim.caPem, sim.apiUrl + "/nodes", { headers })).status).toBe(596);
    const action = await httpsCall(sim.caPem, sim.controlUrl + "/action", {
      method: "POST",
      body: { action: "quorum-lost" },
    });
    expect(JSON.parse(action.text).results[0].error).toBe("replay mode has no model to change");
  });
});
