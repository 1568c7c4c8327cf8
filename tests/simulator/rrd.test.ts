// History and storage (issue 12): the simulator's …/rrddata follows the
// model over time, leaves fields out where PVE would, and checks
// parameters and privileges like PVE.

import { describe, expect, it } from "vitest";

import { handleApiRequest } from "../../src/sim-engine/api";
import { createSimCluster } from "../../src/sim-engine/cluster-model";
import { applyTimeline, mustParseScenario } from "../../src/sim-engine/scenario";
import { decodeResourceRrd, decodeStorageRrd } from "../../src/history/rrd";
import { forecastFull } from "../../src/history/forecast";

const TOKEN = { id: "monitor@pve!proxmon", secret: "00000000-0000-4000-8000-000000000001" };
const AUTH = `PVEAPIToken=${TOKEN.id}=${TOKEN.secret}`;

function cluster(
  privileges: Record<string, string[]> = { "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"] },
) {
  return createSimCluster(
    mustParseScenario({
      cluster: { name: "lab", nodes: [{ name: "pve1" }, { name: "pve2" }] },
      guests: [
        { vmid: 100, name: "web", node: "pve1" },
        { vmid: 101, name: "ct", node: "pve2", type: "lxc", status: "stopped" },
      ],
      storage: [
        { storage: "tank", type: "zfspool", maxdisk: "1T", disk: "700G", growth: 0.02 },
        { storage: "flat", type: "dir", maxdisk: "1T", disk: "100G" },
      ],
      token: { ...TOKEN, privileges },
      timeline: [{ at: 600, action: "node-offline", node: "pve2" }],
    }),
  );
}

function get(c: ReturnType<typeof cluster>, path: string, query: Record<string, string>) {
  const r = handleApiRequest(c, { method: "GET", path, query, authorization: AUTH });
  return {
    status: r.status,
    data: r.body ? (JSON.parse(r.body) as { data: unknown }).data : undefined,
    body: r.body,
  };
}

describe("simulated rrddata", () => {
  it("serves a node's hour as 70 one-minute rows that follow the live metrics", () => {
    const c = cluster();
    applyTimeline(c, 300);
    const r = get(c, "/nodes/pve1/rrddata", { timeframe: "hour", cf: "AVERAGE" });
    expect(r.status).toBe(200);
    const d = decodeResourceRrd(r.data, "node")!;
    expect(d.points.length).toBeGreaterThanOrEqual(70);
    const last = d.points[d.points.length - 1]!;
    expect(last.maxmem).toBe(c.nodes[0]!.maxmem);
    expect(last.cpu).not.toBeNull();
    // The rows with live data average the node's own readings.
    expect(Math.abs((last.mem as number) - c.nodes[0]!.mem) / c.nodes[0]!.maxmem).toBeLessThan(0.1);
  });

  it("a stopped guest's rows carry only time and the max/disk fields; an offline node's only time", () => {
    const c = cluster();
    // History starts at the first request; pve2 goes offline at 600 s.
    applyTimeline(c, 300);
    get(c, "/nodes/pve2/lxc/101/rrddata", { timeframe: "hour" });
    get(c, "/nodes/pve2/rrddata", { timeframe: "hour" });
    applyTimeline(c, 1200);
    const ct = get(c, "/nodes/pve2/lxc/101/rrddata", { timeframe: "hour" }).data as Array<
      Record<string, unknown>
    >;
    const offline = ct.slice(-3);
    for (const row of offline) expect(Object.keys(row)).toEqual(["time"]);
    const node = get(c, "/nodes/pve2/rrddata", { timeframe: "hour" }).data as Array<
      Record<string, unknown>
    >;
    expect(Object.keys(node[node.length - 1]!)).toEqual(["time"]);
    const before = ct.filter((row) => Object.keys(row).length > 1)[0]!;
    expect(Object.keys(before).sort()).toEqual(["disk", "maxcpu", "maxdisk", "maxmem", "time"]);
  });

  it("a storage with growth has a week that forecasts its filling; a flat one does not", () => {
    const c = cluster();
    applyTimeline(c, 60);
    const tank = decodeStorageRrd(
      get(c, "/nodes/pve1/storage/tank/rrddata", { timeframe: "week" }).data,
    )!;
    expect(tank.points.length).toBeGreaterThanOrEqual(336);
    const f = forecastFull(tank.points)!;
    expect(f).not.toBeNull();
    // ~68 % now at 2 %/day: about 16 days.
    expect(f.perDay).toBeGreaterThan(0.019);
    expect(f.days).toBeGreaterThanOrEqual(14);
    expect(f.days).toBeLessThanOrEqual(18);
    const flat = decodeStorageRrd(
      get(c, "/nodes/pve1/storage/flat/rrddata", { timeframe: "week" }).data,
    )!;
    expect(forecastFull(flat.points)).toBeNull();
    expect(get(c, "/nodes/pve1/storage/tank/rrddata", { timeframe: "day" }).data).toHaveLength(48);
  });

  it("checks timeframe, cf and privileges like PVE", () => {
    const c = cluster();
    expect(get(c, "/nodes/pve1/rrddata", {}).status).toBe(400);
    expect(get(c, "/nodes/pve1/rrddata", { timeframe: "decade" }).status).toBe(200);
    expect(get(c, "/nodes/pve1/qemu/100/rrddata", { timeframe: "decade" }).status).toBe(400);
    expect(get(c, "/nodes/pve1/rrddata", { timeframe: "hour", cf: "MIN" }).status).toBe(400);
    expect(get(c, "/nodes/pve1/qemu/100/rrddata", { timeframe: "hour", x: "1" }).status).toBe(400);
    expect(get(c, "/nodes/pve2/qemu/100/rrddata", { timeframe: "hour" }).status).toBe(500);
    const noStorage = cluster({ "/": ["Sys.Audit", "VM.Audit"] });
    expect(get(noStorage, "/nodes/pve1/storage/tank/rrddata", { timeframe: "week" }).status).toBe(
      403,
    );
    const noSys = cluster({ "/vms": ["VM.Audit"] });
    expect(get(noSys, "/nodes/pve1/rrddata", { timeframe: "hour" }).status).toBe(403);
    expect(get(noSys, "/nodes/pve1/qemu/100/rrddata", { timeframe: "hour" }).status).toBe(200);
  });
});
