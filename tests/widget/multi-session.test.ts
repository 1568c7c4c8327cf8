// Several connections in the widget's core (issue 11): the migration from
// the single-connection keys, the stored list, and the multi-connection
// session over a stand-in for the native TLS module that plays several
// clusters (each node with its own certificate). No QML: what the popup and
// the settings page will bind to.
import { describe, expect, it } from "vitest";

import type { NativeRequestSpec, NativeResult } from "../../src/api/transport-native";
import {
  legacyKeysOf,
  migrateLegacyKeys,
  readConnectionList,
  secretAccount,
  serialiseConnectionList,
} from "../../src/connections/widget-settings";
import { entryKey } from "../../src/keyring/secret-store";
import type { Notification } from "../../src/notify/limiter";
import {
  connectionSecretKeys,
  createMultiSession,
  type MultiConfig,
} from "../../src/widget/multi-session";
import { createWidgetSession, type SecretInput } from "../../src/widget/session";
import type { NativeModule } from "../../src/widget/transport-choice";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";
import { pveNode } from "../helpers/snapshots";

const FP_A = "AA:".repeat(31) + "AA";
const FP_B = "BB:".repeat(31) + "BB";
const FP_C = "CC:".repeat(31) + "CC";
const TOKEN = "monitor@pve!proxmon";

const LEGACY = {
  proxmoxHost: "pve1.lan",
  proxmoxPort: 8006,
  apiTokenId: TOKEN,
  tlsMode: "pin",
  tlsFingerprint: FP_A.toLowerCase(),
  tlsCaPem: "",
  ignoreSsl: false,
};

describe("migration from the single-connection keys", () => {
  it("makes today's settings the first and only connection, with no user action", () => {
    const list = readConnectionList(LEGACY);
    expect(list.fromLegacyKeys).toBe(true);
    expect(list.problems).toEqual([]);
    expect(list.connections).toEqual([
      {
        name: "pve1.lan",
        hosts: [{ entry: "pve1.lan", host: "pve1.lan", port: 8006 }],
        tokenId: TOKEN,
        tlsMode: "pin",
        tlsCaPem: "",
        fingerprints: { "pve1.lan": FP_A.toLowerCase() },
        enabled: true,
        actionsTokenId: "",
      },
    ]);
  });

  it("finds the secret where it is today (same KDE Wallet key)", () => {
    for (const keys of [
      LEGACY,
      { ...LEGACY, proxmoxPort: 8443 },
      { ...LEGACY, proxmoxHost: "fe80::1" },
    ]) {
      const c = migrateLegacyKeys(keys);
      expect(c).not.toBeNull();
      expect(entryKey(secretAccount(c!))).toBe(
        entryKey({ tokenId: TOKEN, host: keys.proxmoxHost, port: keys.proxmoxPort }),
      );
    }
  });

  it("reads a non-default port, the CA, and the earlier edition's ignoreSsl", () => {
    expect(migrateLegacyKeys({ ...LEGACY, proxmoxPort: 8443 })?.hosts[0]?.entry).toBe(
      "pve1.lan:8443",
    );
    expect(
      migrateLegacyKeys({ ...LEGACY, proxmoxHost: "fe80::1", proxmoxPort: 8443 })?.hosts[0]?.entry,
    ).toBe("[fe80::1]:8443");
    const ca = migrateLegacyKeys({ ...LEGACY, tlsMode: "ca", tlsCaPem: "PEM" });
    expect([ca?.tlsMode, ca?.tlsCaPem, ca?.fingerprints]).toEqual(["ca", "PEM", {}]);
    expect(migrateLegacyKeys({ ...LEGACY, tlsMode: "system", ignoreSsl: true })?.tlsMode).toBe(
      "insecure",
    );
    expect(migrateLegacyKeys({ ...LEGACY, tlsMode: "" })?.tlsMode).toBe("system");
  });

  it("no host: no connection (today's not-configured state)", () => {
    expect(readConnectionList({ ...LEGACY, proxmoxHost: "  " }).connections).toEqual([]);
    expect(readConnectionList({}).connections).toEqual([]);
  });

  it("a stored list wins; the old keys are written beside it and stay readable", () => {
    const first = migrateLegacyKeys(LEGACY)!;
    const second = {
      ...first,
      name: "office",
      hosts: [
        { entry: "pve.office", host: "pve.office", port: 8006 },
        { entry: "10.1.0.2:8443", host: "10.1.0.2", port: 8443 },
      ],
      tlsMode: "system" as const,
      fingerprints: {},
    };
    const text = serialiseConnectionList([first, second]);
    expect(text).not.toContain("secret");
    const list = readConnectionList({ ...LEGACY, connections: text });
    expect(list.fromLegacyKeys).toBe(false);
    expect(list.connections.map((c) => c.name)).toEqual(["pve1.lan", "office"]);
    expect(list.connections[0]?.fingerprints).toEqual({ "pve1.lan": FP_A });
    expect(list.connections[1]?.hosts.map((h) => h.port)).toEqual([8006, 8443]);
    expect(legacyKeysOf(list.connections[0]!)).toEqual({
      proxmoxHost: "pve1.lan",
      proxmoxPort: 8006,
      apiTokenId: TOKEN,
      tlsMode: "pin",
      tlsFingerprint: FP_A,
      tlsCaPem: "",
      ignoreSsl: false,
      actionsTokenId: "",
    });
  });

  it("an unreadable list falls back to the old keys and says so; bad entries are skipped", () => {
    const broken = readConnectionList({ ...LEGACY, connections: "{nope" });
    expect(broken.connections).toHaveLength(1);
    expect(broken.problems).toHaveLength(1);
    const partly = readConnectionList({
      ...LEGACY,
      connections: JSON.stringify([
        { name: "a", hosts: ["a"], tokenId: TOKEN },
        { name: "b", hosts: ["https://b"], tokenId: TOKEN },
        { name: "A", hosts: ["c"], tokenId: TOKEN },
        { name: "", hosts: ["d"] },
      ]),
    });
    expect(partly.connections.map((c) => c.name)).toEqual(["a"]);
    expect(partly.problems).toHaveLength(3);
  });
});

// ---- a fake native module that plays several clusters

interface FakeNode {
  fingerprint: string;
  up: boolean;
  cpu: number[];
  cluster: string;
}

function fakeNative(nodes: Record<string, FakeNode>) {
  const asked: string[] = [];
  const request = (spec: NativeRequestSpec, onDone: (r: NativeResult) => void) => {
    const url = new URL(spec.url);
    const hostPort = url.hostname + ":" + url.port;
    const node = nodes[hostPort];
    asked.push(hostPort + " " + url.pathname.replace("/api2/json", ""));
    const done = (r: NativeResult) => Promise.resolve().then(() => onDone(r));
    if (!node || !node.up) {
      void done({
        ok: false,
        kind: "unreachable",
        networkError: "ConnectionRefusedError",
        detail: "refused",
      });
      return { abort: () => undefined };
    }
    const tls = spec.tls as { mode: string; fingerprint256?: string };
    if (tls.mode === "pin" && tls.fingerprint256 !== node.fingerprint) {
      void done({
        ok: false,
        kind: "tls",
        pinMismatch: true,
        expectedFingerprint256: tls.fingerprint256,
        certificate: {
          fingerprint256: node.fingerprint,
          subject: "CN=x",
          issuer: "CN=y",
          validFrom: "",
          validTo: "",
        },
        tlsErrors: [],
      });
      return { abort: () => undefined };
    }
    const path = url.pathname.replace("/api2/json", "");
    const data =
      path === "/cluster/resources"
        ? node.cpu.map((c, i) => pveNode("n" + i, { status: "online", cpu: c, maxcpu: 4 }))
        : path === "/cluster/status"
          ? [{ type: "cluster", name: node.cluster, quorate: 1, nodes: node.cpu.length }]
          : { version: "8.4.1", release: "8.4", repoid: "x" };
    void done({ ok: true, status: 200, reason: "OK", body: JSON.stringify({ data }), headers: {} });
    return { abort: () => undefined };
  };
  const native: NativeModule = { request, requestFresh: request };
  return { native, asked };
}

function secretFor(key: string): SecretInput {
  void key;
  return {
    secret: "4f1c2d3e-0000-4000-8000-00000000abcd",
    state: "ok",
    errorMessage: "",
    generation: 1,
  };
}

function setup(nodes: Record<string, FakeNode>) {
  const scheduler = createFakeScheduler(1_700_000_000_000);
  const { native, asked } = fakeNative(nodes);
  const notifications: Notification[] = [];
  const deps = {
    scheduler,
    createRequest: () => {
      throw new Error("no XHR here");
    },
    send: () => undefined,
    loadNative: () => native,
    loadDemo: () => null,
    notify: (n: Notification) => notifications.push(n),
  };
  const multi = createMultiSession(deps);
  return { scheduler, multi, asked, notifications, deps };
}

function update(multi: ReturnType<typeof createMultiSession>, config: MultiConfig) {
  const secrets: Record<string, SecretInput> = {};
  for (const k of connectionSecretKeys(config)) secrets[k] = secretFor(k);
  multi.update(config, secrets);
  expect(multi.secretKeys()).toEqual(connectionSecretKeys(config));
}

const BASE: MultiConfig = { refreshInterval: 30, enableNotifications: true };

describe("multi-connection session", () => {
  it("names the wallet entries to read before the first update: keyed as today", () => {
    expect(connectionSecretKeys({ ...LEGACY })).toEqual([
      entryKey({ tokenId: TOKEN, host: "pve1.lan", port: 8006 }),
    ]);
    expect(connectionSecretKeys({ ...LEGACY, demoMode: true })).toEqual([]);
  });

  it("one connection looks exactly like today: the session's own view, no extra level", async () => {
    const nodes = {
      "pve1.lan:8006": { fingerprint: FP_A, up: true, cpu: [0.1, 0.3], cluster: "home" },
    };
    const { scheduler, multi, deps } = setup(nodes);
    const alone = createWidgetSession(deps);
    const config = { ...BASE, ...LEGACY };
    update(multi, config);
    alone.update(config, secretFor(""));
    await flushPromises();
    scheduler.advance(0);
    await flushPromises();
    const v = multi.view();
    expect(v.single).toBe(true);
    expect(v.primary.phase).toBe("ok");
    expect(v.primary).toEqual(alone.view());
    expect(v.panel.cpuLabel).toBe(alone.view().cpuLabel);
    expect(v.panel.toolTipSubText).toBe(alone.view().toolTipSubText);
    alone.dispose();
    multi.dispose();
  });

  it("several connections: average CPU over every online node, error badge, tooltip lists each", async () => {
    const nodes: Record<string, FakeNode> = {
      "pve1.lan:8006": { fingerprint: FP_A, up: false, cpu: [0.1, 0.3], cluster: "home" },
      "pve2.lan:8006": { fingerprint: FP_B, up: true, cpu: [0.1, 0.3], cluster: "home" },
      "pve.office:8006": { fingerprint: FP_C, up: true, cpu: [0.8], cluster: "office" },
    };
    const { scheduler, multi, asked, notifications } = setup(nodes);
    const connections = JSON.stringify([
      {
        name: "home",
        hosts: ["pve1.lan", "pve2.lan"],
        tokenId: TOKEN,
        tlsMode: "pin",
        fingerprints: { "pve1.lan": FP_A, "pve2.lan": FP_B },
      },
      {
        name: "office",
        hosts: ["pve.office"],
        tokenId: TOKEN,
        tlsMode: "pin",
        fingerprints: { "pve.office": FP_C },
      },
    ]);
    update(multi, { ...BASE, ...LEGACY, connections });
    await flushPromises();
    let v = multi.view();
    expect(v.single).toBe(false);
    expect(v.connections.map((c) => [c.name, c.view.phase])).toEqual([
      ["home", "ok"],
      ["office", "ok"],
    ]);
    // home failed over from pve1 (down) to pve2 within its first refresh.
    // (Office is asked before home's failover: neither waits for the other.)
    expect(asked.filter((a) => a.endsWith("/cluster/resources"))).toEqual([
      "pve1.lan:8006 /cluster/resources",
      "pve.office:8006 /cluster/resources",
      "pve2.lan:8006 /cluster/resources",
    ]);
    // (10 + 30 + 80) / 3 = 40
    expect(v.panel.averageCpuPercent).toBe(40);
    expect(v.panel.cpuLabel).toBe("40%");
    expect(v.panel.hasError).toBe(false);
    expect(v.panel.toolTipMainText).toBe("ProxMon: 2 connections");
    expect(v.panel.toolTipSubText.split("\n")).toEqual([
      "home: CPU 20% · nodes online 2 of 2",
      "office: CPU 80% · nodes online 1 of 1",
    ]);

    // The office cluster goes away: only its section shows the error.
    nodes["pve.office:8006"]!.up = false;
    nodes["pve2.lan:8006"]!.cpu = [0.5, 0.5];
    scheduler.advance(30_000);
    await flushPromises();
    v = multi.view();
    expect(v.connections[0]?.view.stale).toBe(false);
    expect(v.connections[0]?.view.phase).toBe("ok");
    expect(v.connections[1]?.view.stale).toBe(true);
    // Only its section shows the error (the stale notice with the reason).
    expect(v.connections[0]?.errorText).toBe("");
    expect(v.connections[1]?.errorText).toBe(v.connections[1]?.view.staleText);
    expect(v.connections[1]?.errorText).not.toBe("");
    expect(v.panel.hasError).toBe(true);
    expect(v.panel.toolTipSubText).toContain("office: CPU 80% · nodes online 1 of 1 · stale");
    // Office's last good reading still counts (stale, shown as such): (50+50+80)/3
    expect(v.panel.averageCpuPercent).toBe(60);

    // Recovery by itself at its own retry, without waiting for home.
    nodes["pve.office:8006"]!.up = true;
    scheduler.advance(6_000);
    await flushPromises();
    v = multi.view();
    expect(v.connections[1]?.view.stale).toBe(false);
    expect(v.panel.hasError).toBe(false);
    void notifications;
    multi.dispose();
  });

  it("a pin that does not match is reported, not failed over", async () => {
    const nodes: Record<string, FakeNode> = {
      "pve1.lan:8006": { fingerprint: FP_C, up: true, cpu: [0.1], cluster: "home" },
      "pve2.lan:8006": { fingerprint: FP_B, up: true, cpu: [0.1], cluster: "home" },
    };
    const { multi, asked } = setup(nodes);
    const connections = JSON.stringify([
      {
        name: "home",
        hosts: ["pve1.lan", "pve2.lan"],
        tokenId: TOKEN,
        tlsMode: "pin",
        fingerprints: { "pve1.lan": FP_A, "pve2.lan": FP_B },
      },
    ]);
    update(multi, { ...BASE, connections });
    await flushPromises();
    const v = multi.view();
    expect(v.single).toBe(true);
    expect(v.primary.errorKind).toBe("tls");
    expect(asked.some((a) => a.startsWith("pve2.lan"))).toBe(false);
    multi.dispose();
  });
});
