// Notifications with several connections (issue 11): each names its
// connection, the filter's cluster:NAME entries pick a connection (or the
// Proxmox cluster name), and the rate limiter keeps connections apart.
import { describe, expect, it } from "vitest";

import { matchesFilter, parseFilter, shouldNotify } from "../../src/notify/filter";
import {
  createNotificationPipeline,
  DEFAULT_NOTIFICATION_SETTINGS,
} from "../../src/notify/pipeline";
import { ev, snap } from "./helpers";

describe("cluster:NAME filter entries", () => {
  const compiled = parseFilter("cluster:home*");

  it("match the connection name, with wildcards, case-insensitively", () => {
    expect(compiled.problems).toEqual([]);
    const e = ev("guest-started", 100);
    expect(matchesFilter(e, compiled, undefined, { connection: "Home-Lab" })).toBe(true);
    expect(matchesFilter(e, compiled, undefined, { connection: "office" })).toBe(false);
  });

  it("match the Proxmox cluster name too, and nothing without a context", () => {
    const e = ev("guest-started", 100);
    expect(matchesFilter(e, compiled, undefined, { cluster: "homecluster" })).toBe(true);
    expect(matchesFilter(e, compiled, undefined, { cluster: null })).toBe(false);
    expect(matchesFilter(e, compiled)).toBe(false);
  });

  it("cover storage events of that connection as well", () => {
    const e = ev("storage-warning", 0, { key: "storage/pve1/local", storage: "local" });
    expect(matchesFilter(e, compiled, undefined, { connection: "home" })).toBe(true);
  });

  it("gate guests in a whitelist; node changes stay outside the filter", () => {
    const settings = {
      ...DEFAULT_NOTIFICATION_SETTINGS,
      mode: "whitelist" as const,
      patterns: "cluster:home",
    };
    const f = parseFilter(settings.patterns);
    expect(shouldNotify(ev("guest-started", 1), settings, f, { connection: "home" })).toBe(true);
    expect(shouldNotify(ev("guest-started", 1), settings, f, { connection: "lab" })).toBe(false);
    const offline = { kind: "node-offline" as const, key: "node/pve1", name: "pve1" };
    expect(shouldNotify(offline, settings, f, { connection: "lab" })).toBe(true);
  });

  it("an unknown prefix names cluster: among the choices", () => {
    expect(parseFilter("pool:x").problems[0]?.message).toContain("cluster:");
  });
});

describe("a pipeline per connection", () => {
  const settings = { ...DEFAULT_NOTIFICATION_SETTINGS, rateLimitSeconds: 120 };
  const base = snap({ guests: [{ vmid: 100, status: "stopped" }] });
  const started = snap({ guests: [{ vmid: 100, status: "running" }] });

  it("names the connection in the title and in `connection`", () => {
    const p = createNotificationPipeline({
      endpoint: "connection:home",
      connectionName: "home",
      settings,
    });
    p.onSnapshot(base, 0);
    const [n] = p.onSnapshot(started, 1000);
    expect(n?.title).toBe("home: vm100 started");
    expect(n?.connection).toBe("home");
  });

  it("with one connection, texts are as before", () => {
    const p = createNotificationPipeline({ endpoint: "https://a:8006/api2/json", settings });
    p.onSnapshot(base, 0);
    const [n] = p.onSnapshot(started, 1000);
    expect(n?.title).toBe("vm100 started");
    expect(n?.connection).toBeUndefined();
  });

  it("filters by cluster:NAME with the connection's own name", () => {
    const only = { ...settings, mode: "whitelist" as const, patterns: "cluster:office" };
    const home = createNotificationPipeline({
      endpoint: "connection:home",
      connectionName: "home",
      settings: only,
    });
    const office = createNotificationPipeline({
      endpoint: "connection:office",
      connectionName: "office",
      settings: only,
    });
    home.onSnapshot(base, 0);
    office.onSnapshot(base, 0);
    expect(home.onSnapshot(started, 1000)).toEqual([]);
    expect(office.onSnapshot(started, 1000)).toHaveLength(1);
  });
});
