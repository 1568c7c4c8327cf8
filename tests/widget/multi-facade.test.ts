// What WidgetFacade.qml wires for several connections (issue 11): the
// secrets per wallet key, each connection's expanded nodes under its own
// prefix, the primary session a single connection binds to, the rows and
// chart updates routed by key, and the popup's heading. The sessions are
// stand-ins that record what they were given.
import { describe, expect, it } from "vitest";

import { entryKey } from "../../src/keyring/secret-store";
import {
  accountKeys,
  connectionSecretAccounts,
  connectionSecretKeys,
  createMultiSession,
  expandedNodesOf,
  expandedPrefix,
  gatherSecrets,
  multiHeader,
  toggleEntry,
  toggleExpandedNode,
  type ConnectionView,
  type MultiConfig,
} from "../../src/widget/multi-session";
import {
  initialWidgetView,
  type SecretInput,
  type WidgetConfig,
  type WidgetSession,
  type WidgetView,
} from "../../src/widget/session";
import type { ChartUpdate } from "../../src/widget/history-view";
import { createFakeScheduler } from "../helpers/fake-scheduler";

const TOKEN = "monitor@pve!proxmon";
const KEY_HOME = entryKey({ tokenId: TOKEN, host: "pve1.lan", port: 8006 });
const KEY_OFFICE = entryKey({ tokenId: TOKEN, host: "pve.office", port: 8443 });

const TWO = JSON.stringify([
  { name: "home", hosts: ["pve1.lan", "pve2.lan"], tokenId: TOKEN, tlsMode: "system" },
  { name: "office", hosts: ["pve.office:8443"], tokenId: TOKEN, tlsMode: "system" },
  { name: "lab", hosts: ["lab.lan"], tokenId: TOKEN, tlsMode: "system", enabled: false },
]);

interface Stub extends WidgetSession {
  configs: WidgetConfig[];
  secrets: SecretInput[];
  actionSecrets: Array<SecretInput | undefined>;
  searches: string[];
  refreshed: number;
  disposed: boolean;
  emitRows(v: WidgetView): void;
  emitHistory(u: ChartUpdate): void;
  publish(patch: Partial<WidgetView>): void;
}

function stubFactory() {
  const made: Stub[] = [];
  const create = (): WidgetSession => {
    let view = initialWidgetView();
    const viewListeners: Array<(v: WidgetView) => void> = [];
    const rowListeners: Array<(v: WidgetView) => void> = [];
    const historyListeners: Array<(u: ChartUpdate) => void> = [];
    const s = {
      configs: [] as WidgetConfig[],
      secrets: [] as SecretInput[],
      actionSecrets: [] as Array<SecretInput | undefined>,
      searches: [] as string[],
      refreshed: 0,
      disposed: false,
      update(config: WidgetConfig, secret: SecretInput, actionSecret?: SecretInput) {
        s.configs.push(config);
        s.secrets.push(secret);
        s.actionSecrets.push(actionSecret);
      },
      setPopupOpen() {},
      setHovered() {},
      refreshNow() {
        s.refreshed++;
      },
      setSearch(text: string) {
        s.searches.push(text);
      },
      setViewOptions() {},
      view: () => view,
      onView: (l: (v: WidgetView) => void) => viewListeners.push(l),
      onRows: (l: (v: WidgetView) => void) => rowListeners.push(l),
      onHistory: (l: (u: ChartUpdate) => void) => historyListeners.push(l),
      emitRows: (v: WidgetView) => rowListeners.forEach((l) => l(v)),
      emitHistory: (u: ChartUpdate) => historyListeners.forEach((l) => l(u)),
      publish(patch: Partial<WidgetView>) {
        view = { ...view, ...patch };
        viewListeners.forEach((l) => l(view));
      },
      dispose() {
        s.disposed = true;
      },
    };
    made.push(s as unknown as Stub);
    return s as unknown as WidgetSession;
  };
  return { made, create };
}

function setup() {
  const { made, create } = stubFactory();
  const multi = createMultiSession({
    scheduler: createFakeScheduler(0),
    createRequest: () => {
      throw new Error("no XHR here");
    },
    send: () => undefined,
    loadNative: () => null,
    loadDemo: () => null,
    createSession: create,
  });
  return { made, multi };
}

const secret = (s: string, generation = 1): SecretInput => ({
  secret: s,
  state: "ok",
  errorMessage: "",
  generation,
});

describe("the façade's secrets per connection", () => {
  it("names one account per enabled connection, keyed as today", () => {
    const config: MultiConfig = { connections: TWO };
    expect(connectionSecretAccounts(config)).toEqual([
      { key: KEY_HOME, host: "pve1.lan", port: 8006, tokenId: TOKEN },
      { key: KEY_OFFICE, host: "pve.office", port: 8443, tokenId: TOKEN },
    ]);
    expect(connectionSecretAccounts(config).map((a) => a.key)).toEqual(
      connectionSecretKeys(config),
    );
    expect(connectionSecretAccounts({ connections: TWO, demoMode: true })).toEqual([]);
  });

  it("compares the accounts to read by key, whatever order their fields come back in", () => {
    const accounts = connectionSecretAccounts({ connections: TWO });
    const reordered = accounts.map((a) => ({
      tokenId: a.tokenId,
      port: a.port,
      host: a.host,
      key: a.key,
    }));
    expect(accountKeys(reordered)).toBe(accountKeys(accounts));
    expect(accountKeys(accounts)).toBe(KEY_HOME + "\n" + KEY_OFFICE);
    expect(accountKeys(accounts.slice(1))).not.toBe(accountKeys(accounts));
    expect(accountKeys([])).toBe("");
    expect(accountKeys(null)).toBe("");
  });

  it("the first connection and the unconfigured session read today's source; the others theirs", () => {
    const first = secret("first");
    const office = secret("office", 3);
    const got = gatherSecrets([KEY_HOME, KEY_OFFICE, "x@y:1"], first, { [KEY_OFFICE]: office });
    expect(got[""]).toEqual(first);
    expect(got[KEY_HOME]).toEqual(first);
    expect(got[KEY_OFFICE]).toEqual(office);
    // A source not created yet: that connection waits (idle), nothing else does.
    expect(got["x@y:1"]).toEqual({ secret: "", state: "idle", errorMessage: "", generation: 0 });
    // A QML object's fields are copied, not kept.
    expect(gatherSecrets([], null, {})[""]?.state).toBe("idle");
  });

  it("each session gets the secret of its own wallet entry, and its own actions secret", () => {
    const { made, multi } = setup();
    const action = secret("action");
    multi.update(
      { connections: TWO },
      gatherSecrets([KEY_HOME, KEY_OFFICE], secret("home"), { [KEY_OFFICE]: secret("office") }),
      action,
    );
    expect(made.length).toBe(2);
    expect(made[0]?.secrets[0]?.secret).toBe("home");
    expect(made[1]?.secrets[0]?.secret).toBe("office");
    expect(made[0]?.actionSecrets[0]).toEqual(action);
    // The first connection's actions secret never reaches another connection.
    expect(made[1]?.actionSecrets[0]?.secret).toBe("");
    const officeAction = secret("office-action", 2);
    multi.update(
      { connections: TWO },
      gatherSecrets([KEY_HOME, KEY_OFFICE], secret("home"), { [KEY_OFFICE]: secret("office") }),
      action,
      { [KEY_OFFICE]: officeAction },
    );
    expect(made[0]?.actionSecrets[1]).toEqual(action);
    expect(made[1]?.actionSecrets[1]).toEqual(officeAction);
    multi.dispose();
  });

  it("each session's config carries its own connection's actions token ID; the first the old key's", () => {
    const { made, multi } = setup();
    const list = JSON.stringify([
      // A stored list's first entry: the old key wins (Settings → Actions edits it).
      { name: "home", hosts: ["pve1.lan"], tokenId: TOKEN, actionsTokenId: "stale@pve!old" },
      {
        name: "office",
        hosts: ["pve.office:8443"],
        tokenId: TOKEN,
        actionsTokenId: "ops@pve!office",
      },
    ]);
    multi.update(
      { connections: list, actionsMode: "separate", actionsTokenId: "ops@pve!home" },
      gatherSecrets([KEY_HOME, KEY_OFFICE], secret("home"), {}),
      secret("action"),
    );
    expect(made.map((s) => s.configs[0]?.actionsTokenId)).toEqual([
      "ops@pve!home",
      "ops@pve!office",
    ]);
    multi.dispose();
  });
});

describe("expanded nodes per connection", () => {
  it("a single connection keeps today's bare entries; several carry a prefix each", () => {
    const stored = ["node/pve1", KEY_HOME + " node/pve2", KEY_OFFICE + " node/pve1"];
    expect(expandedNodesOf(stored, "")).toEqual(["node/pve1"]);
    expect(expandedNodesOf(stored, expandedPrefix(KEY_HOME))).toEqual(["node/pve2"]);
    expect(expandedNodesOf(stored, expandedPrefix(KEY_OFFICE))).toEqual(["node/pve1"]);
    expect(expandedPrefix("")).toBe("");
  });

  it("toggling opens and closes one connection's node only", () => {
    let list: string[] = ["node/pve1"];
    list = toggleExpandedNode(list, expandedPrefix(KEY_HOME), "node/pve1");
    expect(list).toEqual(["node/pve1", KEY_HOME + " node/pve1"]);
    list = toggleExpandedNode(list, "", "node/pve1");
    expect(list).toEqual([KEY_HOME + " node/pve1"]);
    list = toggleExpandedNode(list, expandedPrefix(KEY_HOME), "node/pve1");
    expect(list).toEqual([]);
    expect(toggleEntry(["a", "b"], "a")).toEqual(["b"]);
    expect(toggleEntry(["b"], "a")).toEqual(["b", "a"]);
  });

  it("each session is given its own connection's expanded nodes", () => {
    const { made, multi } = setup();
    multi.update(
      {
        connections: TWO,
        expandedNodes: ["node/x", KEY_HOME + " node/pve2", KEY_OFFICE + " node/o1"],
      },
      {},
    );
    expect(made[0]?.configs[0]?.expandedNodes).toEqual(["node/pve2"]);
    expect(made[1]?.configs[0]?.expandedNodes).toEqual(["node/o1"]);
    multi.dispose();
  });

  it("one connection from the list is given the stored list unchanged, as today", () => {
    const { made, multi } = setup();
    const one = JSON.stringify([JSON.parse(TWO)[0]]);
    multi.update({ connections: one, expandedNodes: ["node/pve1"] }, {});
    expect(made[0]?.configs[0]?.expandedNodes).toEqual(["node/pve1"]);
    multi.dispose();
  });
});

describe("the sessions the façade binds to", () => {
  it("the primary session is the only one; with several the first; by key each", () => {
    const { made, multi } = setup();
    multi.update({}, {});
    expect(multi.sessionFor("")).toBe(made[0]);
    expect(multi.view().primaryKey).toBe("");
    multi.update({ connections: TWO }, {});
    expect(made[0]?.disposed).toBe(true);
    expect(multi.sessionFor("")).toBe(made[1]);
    expect(multi.sessionFor(KEY_OFFICE)).toBe(made[2]);
    expect(multi.sessionFor("nobody@x:1")).toBeNull();
    expect(multi.view().primaryKey).toBe(KEY_HOME);
    multi.dispose();
  });

  it("rows and chart updates come with their session's key", () => {
    const { made, multi } = setup();
    multi.update({ connections: TWO }, {});
    const rows: string[] = [];
    const charts: string[] = [];
    multi.onRows((key) => rows.push(key));
    multi.onHistory((key, u) => charts.push(key + ":" + u.key));
    made[1]?.emitRows(initialWidgetView());
    made[0]?.emitRows(initialWidgetView());
    made[1]?.emitHistory({ key: "node/o1", reset: true, dropped: 0, rows: [] });
    expect(rows).toEqual([KEY_OFFICE, KEY_HOME]);
    expect(charts).toEqual([KEY_OFFICE + ":node/o1"]);
    multi.dispose();
    made[0]?.emitRows(initialWidgetView());
    expect(rows.length).toBe(2);
  });

  it("search and refresh reach every connection", () => {
    const { made, multi } = setup();
    multi.update({ connections: TWO }, {});
    multi.setSearch("web");
    multi.refreshNow();
    expect(made.map((s) => s.searches)).toEqual([["web"], ["web"]]);
    expect(made.map((s) => s.refreshed)).toEqual([1, 1]);
    multi.dispose();
  });

  it("a single connection's panel and heading are its view's own fields", () => {
    const { made, multi } = setup();
    multi.update({ connections: JSON.stringify([JSON.parse(TWO)[0]]) }, {});
    made[0]?.publish({
      panelText: "12%",
      refreshing: true,
      stale: true,
      headerTitle: "home",
      footerText: "3 guests",
    });
    const v = multi.view();
    expect(v.single).toBe(true);
    expect(v.panel.panelText).toBe("12%");
    expect(v.panel.refreshing).toBe(true);
    expect(v.panel.stale).toBe(true);
    expect(v.headerTitle).toBe("home");
    expect(v.footerText).toBe("3 guests");
    multi.dispose();
  });

  it("several: the panel shows the average, dims while any refreshes, fades only when all are stale", () => {
    const { made, multi } = setup();
    multi.update({ connections: TWO }, {});
    made[0]?.publish({ phase: "ok", refreshing: true, stale: true, footerText: "x" });
    let v = multi.view();
    expect(v.single).toBe(false);
    expect(v.panel.refreshing).toBe(true);
    expect(v.panel.stale).toBe(false);
    expect(v.panel.hasError).toBe(true);
    expect(v.footerText).toBe("");
    expect(v.headerTitle).toBe("ProxMon: 2 connections");
    expect(v.headerSubtitle).toBe("1 of 2 connections fail");
    made[1]?.publish({ stale: true });
    v = multi.view();
    expect(v.panel.stale).toBe(true);
    made[0]?.publish({ stale: false, refreshing: false });
    made[1]?.publish({ stale: false });
    v = multi.view();
    expect(v.panel.refreshing).toBe(false);
    expect(v.headerSubtitle).toBe("all connections answer");
    multi.dispose();
  });

  it("several: the chosen label covers every connection (guests summed), icon only stays icon only", () => {
    const { made, multi } = setup();
    multi.update({ connections: TWO }, {});
    const part = (running: number, total: number) => ({
      aggregate: {
        nodesOnline: 1,
        nodesTotal: 1,
        guestsRunning: running,
        guestsTotal: total,
        templates: 0,
        vmsRunning: running,
        vmsTotal: total,
        ctsRunning: 0,
        ctsTotal: 0,
        averageCpu: 0.1,
        memUsed: 1,
        memTotal: 4,
        memFraction: 0.25,
      },
      fullest: null,
    });
    made[0]?.publish({ phase: "ok", panelMode: "guests", panelPart: part(3, 4) });
    made[1]?.publish({ phase: "ok", panelMode: "guests", panelPart: part(1, 5) });
    expect(multi.view().panel.panelText).toBe("4/9");
    made[0]?.publish({ panelMode: "memory" });
    made[1]?.publish({ panelMode: "memory" });
    expect(multi.view().panel.panelText).toBe("25 %");
    made[0]?.publish({ panelMode: "icon-only", panelIconOnly: true });
    made[1]?.publish({ panelMode: "icon-only", panelIconOnly: true });
    expect(multi.view().panel.panelText).toBe("");
    expect(multi.view().panel.panelIconOnly).toBe(true);
    multi.dispose();
  });

  it("the heading counts a connection in error", () => {
    const ok = { key: "a", name: "a", view: initialWidgetView(), errorText: "" };
    const bad: ConnectionView = {
      key: "b",
      name: "b",
      view: { ...initialWidgetView(), phase: "error" },
      errorText: "x",
    };
    expect(multiHeader([ok, bad]).headerSubtitle).toBe("1 of 2 connections fail");
    expect(multiHeader([ok, ok]).headerSubtitle).toBe("all connections answer");
  });
});

describe("the journal with several connections", () => {
  it("names the connection of each session's line; one connection logs as today", () => {
    const lines: string[] = [];
    const sessions: Array<{ log?: (level: "info", m: string) => void }> = [];
    const multi = createMultiSession({
      scheduler: createFakeScheduler(0),
      createRequest: () => {
        throw new Error("no XHR here");
      },
      send: () => undefined,
      loadNative: () => null,
      loadDemo: () => null,
      log: (level, m) => lines.push(level + " " + m),
      createSession: (deps) => {
        sessions.push(deps as never);
        return stubFactory().create();
      },
    });
    multi.update({ connections: TWO }, {});
    sessions[0]?.log?.("info", "refresh ok");
    sessions[1]?.log?.("info", "refresh ok");
    expect(lines).toEqual(["info [home] refresh ok", "info [office] refresh ok"]);
    multi.update({ connections: JSON.stringify([JSON.parse(TWO)[0]]) }, {});
    sessions[0]?.log?.("info", "refresh ok");
    expect(lines[2]).toBe("info refresh ok");
    multi.dispose();
  });
});
