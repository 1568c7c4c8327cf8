// Power actions with a separate token and several connections: each
// connection's guests are powered with that connection's own actions token
// and secret (its own KDE Wallet entry, "<actionsTokenId>@<first host>:<port>"),
// the first connection's token ID still read from the old `actionsTokenId`
// key. Two simulated pveproxies (the simulator's engine behind a stand-in
// for the native TLS module), each accepting its monitoring token and its
// own actions token; every request is recorded with the token that signed it.
import { describe, expect, it } from "vitest";

import type { NativeRequestSpec, NativeResult } from "../../src/api/transport-native";
import { entryKey } from "../../src/keyring/secret-store";
import { handleApiRequest, parseQuery } from "../../src/sim-engine/api";
import { createSimCluster, type SimCluster } from "../../src/sim-engine/cluster-model";
import { mustParseScenario } from "../../src/sim-engine/scenario";
import {
  connectionSecretKeys,
  createMultiSession,
  extraActionAccounts,
  gatherActionSecrets,
  type MultiConfig,
} from "../../src/widget/multi-session";
import type { SecretInput } from "../../src/widget/session";
import type { NativeModule } from "../../src/widget/transport-choice";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const MONITOR_ID = "monitor@pve!proxmon";
const SITES = {
  home: {
    port: 8006,
    monitor: "11111111-0000-4000-8000-00000000aaaa",
    actionsId: "ops@pve!home",
    actions: "22222222-0000-4000-8000-00000000bbbb",
  },
  office: {
    port: 8443,
    monitor: "33333333-0000-4000-8000-00000000cccc",
    actionsId: "ops@pve!office",
    actions: "44444444-0000-4000-8000-00000000dddd",
  },
};
type Site = keyof typeof SITES;

function cluster(site: Site): SimCluster {
  const s = SITES[site];
  return createSimCluster(
    mustParseScenario({
      seed: 5,
      cluster: { name: site, localNode: "pve1", nodes: [{ name: "pve1" }] },
      guests: [{ vmid: 100, name: "web-" + site, node: "pve1" }],
      // The monitoring token is read-only: an action signed with it is refused.
      token: { id: MONITOR_ID, secret: s.monitor, privileges: { "/": ["Sys.Audit", "VM.Audit"] } },
      tokens: [
        {
          id: s.actionsId,
          secret: s.actions,
          privileges: { "/vms": ["VM.Audit", "VM.PowerMgmt"] },
        },
      ],
      tasks: { seconds: 2 },
    }),
  );
}

interface Seen {
  site: string;
  method: string;
  path: string;
  signedBy: string;
  status: number;
  authorization: string;
}

function fakeNative(clusters: { [hostPort: string]: SimCluster }) {
  const seen: Seen[] = [];
  const request = (spec: NativeRequestSpec, onDone: (r: NativeResult) => void) => {
    const url = new URL(spec.url);
    const hostPort = url.hostname + ":" + url.port;
    const cl = clusters[hostPort];
    const path = url.pathname.replace("/api2/json", "");
    const done = (r: NativeResult) => Promise.resolve().then(() => onDone(r));
    if (!cl) {
      void done({ ok: false, kind: "unreachable", networkError: "x", detail: "refused" });
      return { abort: () => undefined };
    }
    const reply = handleApiRequest(cl, {
      method: spec.method,
      path,
      query: parseQuery(url.search.replace(/^\?/, "")),
      authorization: spec.headers["Authorization"] ?? null,
      body: spec.body,
      contentType: spec.headers["Content-Type"] ?? null,
    });
    seen.push({
      site: cl.name ?? "",
      method: spec.method,
      path,
      signedBy: reply.signedBy ?? "",
      status: reply.status,
      authorization: spec.headers["Authorization"] ?? "",
    });
    void done({
      ok: true,
      status: reply.status,
      reason: reply.reason,
      body: reply.body,
      headers: {},
    });
    return { abort: () => undefined };
  };
  const native: NativeModule = { request, requestFresh: request };
  return { native, seen };
}

const input = (secret: string, generation = 1): SecretInput => ({
  secret,
  state: secret === "" ? "missing" : "ok",
  errorMessage: "",
  generation,
});

function setup() {
  const scheduler = createFakeScheduler(1_700_000_000_000);
  const { native, seen } = fakeNative({
    "pve.home:8006": cluster("home"),
    "pve.office:8443": cluster("office"),
  });
  const multi = createMultiSession({
    scheduler,
    createRequest: () => {
      throw new Error("no XHR here");
    },
    send: () => undefined,
    loadNative: () => native,
    loadDemo: () => null,
  });
  return { scheduler, multi, seen };
}

async function settle(s: ReturnType<typeof createFakeScheduler>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    s.advance(100);
    await flushPromises();
  }
}

function config(officeActions: string | null): MultiConfig {
  const office: Record<string, unknown> = {
    name: "office",
    hosts: ["pve.office:8443"],
    tokenId: MONITOR_ID,
    tlsMode: "insecure",
  };
  if (officeActions !== null) office.actionsTokenId = officeActions;
  return {
    refreshInterval: 30,
    actionsMode: "separate",
    // The first connection's actions token: the key Settings → Actions has always written.
    actionsTokenId: SITES.home.actionsId,
    connections: JSON.stringify([
      { name: "home", hosts: ["pve.home"], tokenId: MONITOR_ID, tlsMode: "insecure" },
      office,
    ]),
  };
}

const HOME_KEY = entryKey({ tokenId: MONITOR_ID, host: "pve.home", port: 8006 });
const OFFICE_KEY = entryKey({ tokenId: MONITOR_ID, host: "pve.office", port: 8443 });

describe("power actions with a separate token per connection", () => {
  it("names each further connection's actions wallet entry, keyed like the monitoring token's", () => {
    expect(extraActionAccounts(config(SITES.office.actionsId))).toEqual([
      {
        key: entryKey({ tokenId: SITES.office.actionsId, host: "pve.office", port: 8443 }),
        connectionKey: OFFICE_KEY,
        host: "pve.office",
        port: 8443,
        tokenId: SITES.office.actionsId,
      },
    ]);
    // None without an actions token ID, in monitoring mode, or in the demo.
    expect(extraActionAccounts(config(null))).toEqual([]);
    expect(
      extraActionAccounts({ ...config(SITES.office.actionsId), actionsMode: "monitoring" }),
    ).toEqual([]);
    expect(extraActionAccounts({ ...config(SITES.office.actionsId), demoMode: true })).toEqual([]);
  });

  it("each connection's action POST is signed with its own connection's actions token and secret", async () => {
    const t = setup();
    const cfg = config(SITES.office.actionsId);
    const accounts = extraActionAccounts(cfg);
    const officeActionsKey = accounts[0]!.key;
    t.multi.update(
      cfg,
      { [HOME_KEY]: input(SITES.home.monitor), [OFFICE_KEY]: input(SITES.office.monitor) },
      input(SITES.home.actions),
      gatherActionSecrets(accounts, { [officeActionsKey]: input(SITES.office.actions) }),
    );
    expect(connectionSecretKeys(cfg)).toEqual([HOME_KEY, OFFICE_KEY]);
    await settle(t.scheduler, 1000);
    const v = t.multi.view();
    expect(v.connections.map((c) => [c.name, c.view.phase, c.view.actionsEnabled])).toEqual([
      ["home", "ok", true],
      ["office", "ok", true],
    ]);
    // The primary session names the first connection's actions token (today's SecretSource).
    expect(v.primary.actionsTokenId).toBe(SITES.home.actionsId);

    for (const key of [OFFICE_KEY, HOME_KEY]) {
      const s = t.multi.sessionFor(key)!;
      const entry = s.actionMenu("qemu/100").find((e) => e.id === "power:shutdown");
      expect(entry?.enabled).toBe(true);
      expect(entry?.tooltip).toBe("");
      s.chooseAction("qemu/100", "power:shutdown");
      s.confirmAction("qemu/100");
    }
    await settle(t.scheduler, 5000);

    const posts = t.seen.filter((r) => r.method === "POST");
    expect(posts.map((p) => [p.site, p.path, p.signedBy, p.status])).toEqual([
      ["office", "/nodes/pve1/qemu/100/status/shutdown", SITES.office.actionsId, 200],
      ["home", "/nodes/pve1/qemu/100/status/shutdown", SITES.home.actionsId, 200],
    ]);
    // With that connection's own secret, never the other's.
    expect(posts[0]!.authorization).toContain(SITES.office.actions);
    expect(posts[1]!.authorization).toContain(SITES.home.actions);
    // Refreshes stay on each connection's monitoring token.
    for (const site of ["home", "office"])
      expect(
        t.seen
          .filter((r) => r.site === site && r.path === "/cluster/resources")
          .every((r) => r.signedBy === MONITOR_ID),
      ).toBe(true);
    // The task follow-up too: each task's status read with the token that started it.
    const polls = t.seen.filter((r) => r.path.indexOf("/tasks/") >= 0);
    expect(polls.length).toBeGreaterThan(0);
    for (const p of polls)
      expect(p.signedBy).toBe(p.site === "home" ? SITES.home.actionsId : SITES.office.actionsId);
    t.multi.dispose();
  });

  it("a connection without an actions token ID or secret says so for its own guests only", async () => {
    const t = setup();
    t.multi.update(
      config(null),
      { [HOME_KEY]: input(SITES.home.monitor), [OFFICE_KEY]: input(SITES.office.monitor) },
      input(SITES.home.actions),
      {},
    );
    await settle(t.scheduler, 1000);
    const office = t.multi.sessionFor(OFFICE_KEY)!;
    const home = t.multi.sessionFor(HOME_KEY)!;
    const officeEntry = office.actionMenu("qemu/100").find((e) => e.id === "power:shutdown");
    expect(officeEntry?.enabled).toBe(false);
    expect(officeEntry?.tooltip).toBe(
      "No actions token is set for office (Settings → Connections).",
    );
    expect(home.actionMenu("qemu/100").find((e) => e.id === "power:shutdown")?.enabled).toBe(true);
    // Never an error state for the widget or the connection.
    expect(t.multi.view().connections.map((c) => [c.view.phase, c.errorText])).toEqual([
      ["ok", ""],
      ["ok", ""],
    ]);

    // The ID set, its secret not in the wallet: that is what the entry says.
    const cfg = config(SITES.office.actionsId);
    t.multi.update(
      cfg,
      { [HOME_KEY]: input(SITES.home.monitor), [OFFICE_KEY]: input(SITES.office.monitor) },
      input(SITES.home.actions),
      gatherActionSecrets(extraActionAccounts(cfg), {}),
    );
    await settle(t.scheduler, 200);
    expect(office.actionMenu("qemu/100").find((e) => e.id === "power:shutdown")?.tooltip).toBe(
      "The actions token's secret for office is not in KDE Wallet (Settings → Connections).",
    );
    // An invalid ID is named as such.
    t.multi.update(
      config("not a token"),
      { [HOME_KEY]: input(SITES.home.monitor), [OFFICE_KEY]: input(SITES.office.monitor) },
      input(SITES.home.actions),
      {},
    );
    await settle(t.scheduler, 200);
    expect(office.actionMenu("qemu/100").find((e) => e.id === "power:shutdown")?.tooltip).toBe(
      "The actions token ID of office is not valid (Settings → Connections).",
    );
    expect(t.seen.filter((r) => r.method === "POST")).toEqual([]);
    t.multi.dispose();
  });

  it("monitoring mode is unchanged: every connection acts with its monitoring token", async () => {
    const t = setup();
    t.multi.update(
      { ...config(SITES.office.actionsId), actionsMode: "monitoring" },
      { [HOME_KEY]: input(SITES.home.monitor), [OFFICE_KEY]: input(SITES.office.monitor) },
    );
    await settle(t.scheduler, 1000);
    const office = t.multi.sessionFor(OFFICE_KEY)!;
    // Its permissions were read with the (read-only) monitoring token: no VM.PowerMgmt.
    expect(office.actionMenu("qemu/100").find((e) => e.id === "power:shutdown")?.text).toContain(
      "VM.PowerMgmt on /vms/100",
    );
    const permissions = t.seen.filter((r) => r.path === "/access/permissions");
    expect(Array.from(new Set(permissions.map((r) => r.site))).sort()).toEqual(["home", "office"]);
    expect(t.seen.every((r) => r.signedBy === MONITOR_ID)).toBe(true);
    expect(t.multi.view().primary.actionsTokenId).toBe("");
    t.multi.dispose();
  });
});
