import { describe, expect, it } from "vitest";
import type { ApiRequest } from "../../src/sim-engine/api";
import { authenticate, handleApiRequest, parseQuery } from "../../src/sim-engine/api";
import { createSimCluster } from "../../src/sim-engine/cluster-model";
import { applyTimeline, mustParseScenario } from "../../src/sim-engine/scenario";

const TOKEN = { id: "monitor@pve!proxmon", secret: "00000000-0000-4000-8000-000000000001" };
const AUTH = `PVEAPIToken=${TOKEN.id}=${TOKEN.secret}`;

function cluster(
  privileges: Record<string, string[]> = { "/": ["Sys.Audit", "VM.Audit"] },
  version = "9.1.4",
) {
  return createSimCluster(
    mustParseScenario({
      version,
      cluster: { name: "lab", nodes: [{ name: "pve1" }, { name: "pve2" }] },
      guests: [
        { vmid: 100, name: "web", node: "pve1" },
        { vmid: 101, name: "ct", node: "pve2", type: "lxc" },
      ],
      token: { ...TOKEN, privileges },
      timeline: [{ at: 10, action: "node-offline", node: "pve2" }],
    }),
  );
}

function get(
  c: ReturnType<typeof cluster>,
  path: string,
  query: Record<string, string> = {},
  authorization: string | null = AUTH,
) {
  const req: ApiRequest = { method: "GET", path, query, authorization };
  return handleApiRequest(c, req);
}

describe("authentication", () => {
  const token = { id: TOKEN.id, secret: TOKEN.secret, privileges: {} };

  it("accepts both header spellings and splits at the last '='", () => {
    expect(authenticate(token, AUTH, "unified").ok).toBe(true);
    expect(authenticate(token, `PVEAPIToken ${TOKEN.id}=${TOKEN.secret}`, "unified").ok).toBe(true);
    expect(
      authenticate(
        token,
        `PVEAPIToken=${encodeURIComponent(`${TOKEN.id}=${TOKEN.secret}`)}`,
        "unified",
      ).ok,
    ).toBe(true);
    const withEq = { ...token, secret: "abc=" };
    expect(authenticate(withEq, `PVEAPIToken=${TOKEN.id}=abc=`, "unified").ok).toBe(false);
  });

  it("says 'No ticket' without credentials and 'Authentication failed!' for a wrong token (PVE 9.1.4+)", () => {
    for (const header of [null, "Bearer abc", "PVEAuthCookie=x"]) {
      const r = authenticate(token, header, "unified");
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.reply).toMatchObject({
          status: 401,
          reason: "No ticket",
          body: "",
          contentType: null,
          authFailed: true,
        });
    }
    for (const header of [
      `PVEAPIToken=${TOKEN.id}=wrong`,
      "PVEAPIToken=nonsense",
      `PVEAPIToken=root@pam!x=${TOKEN.secret}`,
    ]) {
      const r = authenticate(token, header, "unified");
      if (!r.ok)
        expect(r.reply).toMatchObject({ status: 401, reason: "Authentication failed!", body: "" });
      else throw new Error("accepted " + header);
    }
  });

  it("names the problem in legacy mode, never the secret", () => {
    const reason = (header: string) => {
      const r = authenticate(token, header, "legacy");
      return r.ok ? "ok" : r.reply.reason;
    };
    expect(reason(`PVEAPIToken=${TOKEN.id}=wrong`)).toBe("invalid token value!");
    expect(reason(`PVEAPIToken=monitor@pve!other=${TOKEN.secret}`)).toBe(
      "no such token 'other' for user 'monitor@pve'",
    );
    expect(reason(`PVEAPIToken=root@pam!proxmon=${TOKEN.secret}`)).toBe(
      "user 'root@pam' is disabled",
    );
    expect(reason("PVEAPIToken=abc")).toBe("no tokenid specified");
    expect(reason("PVEAPIToken=abc=def")).toBe(
      "'abc' is not a valid token ID - not able to split into user and token parts",
    );
  });
});

describe("handleApiRequest", () => {
  it("answers with the {data} envelope", () => {
    const r = get(cluster(), "/version");
    expect(r).toMatchObject({
      status: 200,
      reason: "OK",
      contentType: "application/json;charset=UTF-8",
    });
    expect(JSON.parse(r.body).data.version).toBe("9.1.4");
  });

  it("403s /cluster/status without Sys.Audit on /, with PVE's message in the body", () => {
    const r = get(cluster({ "/vms": ["VM.Audit"] }), "/cluster/status");
    expect(r.status).toBe(403);
    expect(r.reason).toBe("Permission check failed (/, Sys.Audit)");
    expect(JSON.parse(r.body)).toEqual({
      data: null,
      message: "Permission check failed (/, Sys.Audit)\n",
    });
    const old = get(cluster({ "/vms": ["VM.Audit"] }, "8.2.7"), "/cluster/status");
    expect(JSON.parse(old.body)).toEqual({ data: null });
  });

  it("403s /nodes/{n}/status without Sys.Audit on that node", () => {
    const c = cluster({ "/nodes/pve2": ["Sys.Audit"] });
    expect(get(c, "/nodes/pve1/status").reason).toBe(
      "Permission check failed (/nodes/pve1, Sys.Audit)",
    );
    expect(get(c, "/nodes/pve2/status").status).toBe(200);
  });

  it("501s unknown paths and methods", () => {
    const c = cluster();
    expect(get(c, "/x").reason).toBe("Method 'GET /x' not implemented");
    expect(get(c, "/x").status).toBe(501);
    const post = handleApiRequest(c, {
      method: "POST",
      path: "/cluster/resources",
      query: {},
      authorization: AUTH,
    });
    expect(post.reason).toBe("Method 'POST /cluster/resources' not implemented");
  });

  it("checks authentication before anything else", () => {
    expect(get(cluster(), "/x", {}, null).status).toBe(401);
  });

  it("verifies parameters like PVE", () => {
    const c = cluster();
    const bad = get(c, "/cluster/resources", { type: "vms" });
    expect(bad.status).toBe(400);
    expect(bad.reason).toBe("Parameter verification failed.");
    expect(JSON.parse(bad.body).errors).toEqual({
      type: "value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn'",
    });
    expect(get(c, "/cluster/resources", { foo: "1" }).status).toBe(400);
    expect(get(c, "/cluster/resources", { _dc: "1", type: "vm" }).status).toBe(200);
  });

  it("proxies node calls: 595 for an offline node, 500 for an unknown one", () => {
    const c = cluster();
    applyTimeline(c, 20);
    const off = get(c, "/nodes/pve2/lxc");
    expect(off).toMatchObject({ status: 595, reason: "No route to host", body: "" });
    const unknown = get(c, "/nodes/nosuch/status");
    expect(unknown.status).toBe(500);
    expect(unknown.reason).toBe(
      "hostname lookup 'nosuch' failed - failed to get address info for: nosuch: Name or service not known",
    );
    expect(get(c, "/nodes/pve1/qemu/100/status/current").status).toBe(200);
    expect(get(c, "/nodes/pve1/qemu/999/status/current").reason).toBe(
      "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist",
    );
  });

  it("answers every core endpoint", () => {
    const c = cluster({ "/": ["Sys.Audit", "VM.Audit", "Datastore.Audit"] });
    for (const path of [
      "/",
      "/version",
      "/cluster/resources",
      "/cluster/status",
      "/nodes",
      "/nodes/pve1/status",
      "/nodes/pve1/qemu",
      "/nodes/pve2/lxc",
      "/access/permissions",
    ]) {
      const r = get(c, path);
      expect(r.status, path).toBe(200);
      expect(JSON.parse(r.body)).toHaveProperty("data");
    }
  });

  it("parses query strings", () => {
    expect(parseQuery("type=vm&x=a%20b&flag&y=c+d")).toEqual({
      type: "vm",
      x: "a b",
      flag: "",
      y: "c d",
    });
  });
});
