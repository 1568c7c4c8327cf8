// The simulated pveproxy's power endpoints and tasks, and the action runner
// against it through the real client and the demo transport.

import { describe, expect, it } from "vitest";

import { createClient } from "../../src/api/client";
import { createActionRunner, type ActionResult } from "../../src/actions/runner";
import { parseUpid } from "../../src/actions/request";
import { createDemoTransport } from "../../src/demo/transport";
import { handleApiRequest } from "../../src/sim-engine/api";
import { createSimCluster, findGuest, type SimCluster } from "../../src/sim-engine/cluster-model";
import { applyTimeline, mustParseScenario, type Scenario } from "../../src/sim-engine/scenario";
import { plainTranslator } from "../../src/notify/message";
import { createFakeScheduler } from "../helpers/fake-scheduler";

const SECRET = "11111111-2222-4333-8444-555555555555";
const TOKEN = "ops@pve!power";

function scenario(extra: Record<string, unknown> = {}): Scenario {
  return mustParseScenario({
    seed: 3,
    cluster: { name: "c", localNode: "pve1", nodes: [{ name: "pve1" }, { name: "pve2" }] },
    guests: [
      { vmid: 100, name: "web-01", node: "pve1" },
      { vmid: 101, name: "db", node: "pve1", hastate: "started" },
      { vmid: 102, name: "ct", node: "pve2", type: "lxc" },
      { vmid: 103, name: "off", node: "pve2", status: "stopped" },
      { vmid: 104, name: "locked", node: "pve1", lock: "backup" },
    ],
    token: {
      id: TOKEN,
      secret: SECRET,
      privileges: {
        "/": ["Sys.Audit", "VM.Audit"],
        "/vms/100": ["VM.Audit", "VM.PowerMgmt"],
        "/vms/101": ["VM.Audit", "VM.PowerMgmt"],
        "/vms/102": ["VM.Audit", "VM.PowerMgmt"],
        "/vms/104": ["VM.Audit", "VM.PowerMgmt"],
      },
    },
    tasks: {
      seconds: 3,
      haSeconds: 6,
      exitstatus: {
        "102:reboot": "WARNINGS: 2",
        "100:reset": "VM 100 qmp command 'system_reset' failed",
      },
    },
    ...extra,
  });
}

function call(cluster: SimCluster, method: string, path: string, body?: string) {
  const reply = handleApiRequest(cluster, {
    method,
    path,
    query: {},
    authorization: `PVEAPIToken=${TOKEN}=${SECRET}`,
    body,
    contentType: body === undefined ? null : "application/x-www-form-urlencoded",
  });
  const parsed = reply.body ? (JSON.parse(reply.body) as { data: unknown }) : { data: undefined };
  return { status: reply.status, reason: reply.reason, data: parsed.data };
}

function status(cluster: SimCluster, upid: string) {
  return call(
    cluster,
    "GET",
    `/nodes/${parseUpid(upid)?.node}/tasks/${encodeURIComponent(upid)}/status`,
  );
}

describe("simulated power endpoints", () => {
  it("answers a UPID in PVE's format; the task runs, ends OK and the state changes", () => {
    const cl = createSimCluster(scenario());
    const r = call(cl, "POST", "/nodes/pve1/qemu/100/status/shutdown", "timeout=30&forceStop=1");
    expect(r.status).toBe(200);
    const upid = parseUpid(r.data);
    expect(upid).toMatchObject({ node: "pve1", type: "qmshutdown", id: "100", user: TOKEN });
    expect((r.data as string).split(":")[3]).toHaveLength(9);
    expect(status(cl, r.data as string).data).toMatchObject({
      status: "running",
      user: "ops@pve",
      tokenid: "power",
    });
    expect(findGuest(cl, 100)?.status).toBe("running");
    applyTimeline(cl, 3);
    expect(status(cl, r.data as string).data).toMatchObject({
      status: "stopped",
      exitstatus: "OK",
    });
    expect(findGuest(cl, 100)?.status).toBe("stopped");
  });

  it("checks VM.PowerMgmt on /vms/{vmid} like pveproxy", () => {
    const cl = createSimCluster(scenario());
    const r = call(cl, "POST", "/nodes/pve2/qemu/103/status/start");
    expect(r.status).toBe(403);
    expect(r.reason).toBe("Permission check failed (/vms/103, VM.PowerMgmt)");
  });

  it("ends tasks with the scenario's exit statuses, and errors change nothing", () => {
    const cl = createSimCluster(scenario());
    const warn = call(cl, "POST", "/nodes/pve2/lxc/102/status/reboot").data as string;
    const fail = call(cl, "POST", "/nodes/pve1/qemu/100/status/reset").data as string;
    applyTimeline(cl, 5);
    expect(status(cl, warn).data).toMatchObject({ exitstatus: "WARNINGS: 2" });
    expect(status(cl, fail).data).toMatchObject({
      exitstatus: "VM 100 qmp command 'system_reset' failed",
    });
    const locked = call(cl, "POST", "/nodes/pve1/qemu/104/status/shutdown").data as string;
    applyTimeline(cl, 10);
    expect(status(cl, locked).data).toMatchObject({ exitstatus: "VM is locked (backup)" });
    expect(findGuest(cl, 104)?.status).toBe("running");
  });

  it("ends an HA task at once; the guest follows later", () => {
    const cl = createSimCluster(scenario());
    const r = call(cl, "POST", "/nodes/pve1/qemu/101/status/stop");
    expect(parseUpid(r.data)?.type).toBe("hastop");
    expect(status(cl, r.data as string).data).toMatchObject({
      status: "stopped",
      exitstatus: "OK",
    });
    expect(findGuest(cl, 101)?.status).toBe("running");
    applyTimeline(cl, 6);
    expect(findGuest(cl, 101)?.status).toBe("stopped");
    const resources = call(cl, "GET", "/cluster/resources").data as Array<Record<string, unknown>>;
    expect(resources.filter((e) => e.vmid === 101)[0]).toMatchObject({
      status: "stopped",
      hastate: "stopped",
    });
  });

  it("refuses what PVE refuses synchronously, bad parameters and unknown tasks", () => {
    const cl = createSimCluster(scenario());
    expect(call(cl, "POST", "/nodes/pve2/lxc/102/status/start").reason).toBe(
      "CT 102 already running",
    );
    expect(call(cl, "POST", "/nodes/pve2/qemu/102/status/start").reason).toContain(
      "does not exist",
    );
    expect(call(cl, "POST", "/nodes/pve1/qemu/100/status/shutdown", "timeout=soon").status).toBe(
      400,
    );
    expect(call(cl, "POST", "/nodes/pve1/qemu/100/status/reboot", "forceStop=1").status).toBe(400);
    expect(call(cl, "POST", "/nodes/pve2/lxc/102/status/reset").status).toBe(501);
    expect(status(cl, "UPID:pve1:00000001:000000001:00000001:qmstart:100:root@pam:").status).toBe(
      400,
    );
  });
});

describe("runner against the simulated cluster", () => {
  async function runOnce(
    vmid: number,
    action: "shutdown" | "start" | "stop",
    type: "qemu" | "lxc" = "qemu",
  ) {
    const scheduler = createFakeScheduler(0);
    const transport = createDemoTransport({ scheduler, scenario: scenario(), latencyMs: 20 });
    const requests: string[] = [];
    const client = createClient({
      transport: {
        send(request) {
          requests.push(
            request.method + " " + request.url.replace(/^https:\/\/[^/]+\/api2\/json/, ""),
          );
          return transport.send(request);
        },
      },
      host: "demo.invalid",
      port: 8006,
      tokenId: TOKEN,
      secret: SECRET,
      timeoutMs: 5000,
    });
    const runner = createActionRunner({ client, scheduler, tr: plainTranslator });
    const g = findGuest(transport.cluster, vmid)!;
    let result = null as ActionResult | null;
    void runner
      .run(
        {
          vmid,
          type,
          name: g.name,
          node: g.node,
          status: g.status,
          template: false,
          lock: null,
          hastate: g.hastate,
        },
        action,
      )
      .then((r) => (result = r));
    for (let i = 0; i < 200 && result === null; i++) {
      scheduler.advance(100);
      await new Promise((r) => setTimeout(r, 0));
    }
    return {
      result: result as unknown as ActionResult,
      requests,
      elapsed: scheduler.now(),
      cluster: transport.cluster,
    };
  }

  it("costs one POST and a poll per second or so (3 s task: 1 POST + 3 polls)", async () => {
    const { result, requests, cluster } = await runOnce(100, "shutdown");
    expect(result.outcome).toBe("ok");
    expect(requests.filter((r) => r.indexOf("POST ") === 0)).toEqual([
      "POST /nodes/pve1/qemu/100/status/shutdown",
    ]);
    expect(requests.filter((r) => r.indexOf("/tasks/") >= 0).length).toBe(3);
    expect(findGuest(cluster, 100)?.status).toBe("stopped");
  });

  it("waits for an HA guest to really stop", async () => {
    const { result, requests } = await runOnce(101, "stop");
    expect(result.outcome).toBe("ok");
    expect(result.upid).toContain(":hastop:");
    expect(requests.filter((r) => r.indexOf("POST ") === 0).length).toBe(1);
    expect(requests.filter((r) => r.indexOf("/tasks/") >= 0).length).toBe(1);
    // HA acts after 6 s: resources polled at 2, 3, 5 and 8 s after the POST.
    expect(requests.filter((r) => r.indexOf("/cluster/resources") >= 0).length).toBe(4);
  });
});
