// The monitor end to end over the in-memory demo cluster: the real client,
// decoders, controller, view model and notification pipeline together, on a
// fake clock.
import { describe, expect, it } from "vitest";
import { createDemoTransport } from "../src/demo/transport";
import { demoSettings } from "../src/demo/settings";
import { performAction } from "../src/sim-engine/cluster-model";
import { createMonitor, type MonitorSettings } from "../src/monitor";
import type { Notification } from "../src/notify/limiter";
import { DEFAULT_NOTIFICATION_SETTINGS } from "../src/notify/pipeline";
import { createFakeScheduler, flushPromises } from "./helpers/fake-scheduler";

async function settle(
  scheduler: ReturnType<typeof createFakeScheduler>,
  ms: number,
): Promise<void> {
  // Let answers (scheduled by the demo's latency) and their promise chains run.
  for (let t = 0; t < ms; t += 100) {
    scheduler.advance(100);
    await flushPromises();
  }
}

function setup(extra: Partial<MonitorSettings> = {}) {
  const scheduler = createFakeScheduler(1_700_000_000_000);
  const transport = createDemoTransport({ scheduler });
  const notifications: Notification[] = [];
  const logs: string[] = [];
  const monitor = createMonitor({
    scheduler,
    transport,
    random: () => 0.5,
    log: (level, message) => logs.push(level + " " + message),
    notify: (n) => notifications.push(n),
  });
  const settings: MonitorSettings = {
    ...demoSettings(30),
    notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, rateLimitEnabled: false },
    ...extra,
  };
  return { scheduler, transport, monitor, notifications, logs, settings };
}

describe("monitor over the demo cluster", () => {
  it("is unconfigured until host, token and secret are set, and says why", () => {
    const { monitor } = setup();
    monitor.configure({ host: "", port: 8006, tokenId: "", secret: "", refreshIntervalSec: 30 });
    expect(monitor.view().phase).toBe("unconfigured");
    expect(monitor.configurationProblem()).toMatch(/host/i);
    monitor.configure({
      host: "pve",
      port: 8006,
      tokenId: "root@pam",
      secret: "x",
      refreshIntervalSec: 30,
    });
    expect(monitor.configurationProblem()).toMatch(/token/i);
  });

  it("loads nodes and guests, then refreshes with one request each interval", async () => {
    const { scheduler, monitor, settings } = setup();
    monitor.configure(settings);
    expect(monitor.view().phase).toBe("loading");
    await settle(scheduler, 1000);
    const view = monitor.view();
    expect(view.phase).toBe("ok");
    expect(view.nodes.map((n) => n.name)).toEqual(["pve1", "pve2", "pve3"]);
    expect(view.summary?.guestsTotal).toBeGreaterThan(5);
    expect(view.clusterName).not.toBeNull();
    await settle(scheduler, 5000);
    const later = monitor.view();
    expect(later.ageSeconds).toBeGreaterThanOrEqual(5);
    // Only the age moved: the rows are the same objects, not rebuilt.
    expect(later.nodes).toBe(view.nodes);
    monitor.refreshNow();
    await settle(scheduler, 1000);
    expect(monitor.view().nodes).not.toBe(view.nodes);
    expect(monitor.view().ageSeconds).toBe(0);
  });

  it("notifies a stopped guest once, after a silent baseline", async () => {
    const { scheduler, transport, monitor, notifications, settings } = setup();
    monitor.configure(settings);
    await settle(scheduler, 1000);
    expect(notifications).toEqual([]);
    const running = transport.cluster.guests.find((g) => g.status === "running" && !g.lock);
    expect(running).toBeDefined();
    expect(performAction(transport.cluster, { action: "stop", vmid: running!.vmid })).toBeNull();
    await settle(scheduler, 31_000);
    const stopped = notifications.filter((n) => n.guests.indexOf(running!.vmid) >= 0);
    expect(stopped.length).toBe(1);
    expect(stopped[0]!.title + stopped[0]!.body).toMatch(/stopped/i);
  });

  it("keeps the last good data, marked stale, while the server fails, and recovers", async () => {
    const { scheduler, transport, monitor, settings } = setup();
    monitor.configure(settings);
    await settle(scheduler, 1000);
    const fault = transport.cluster.faults.add({
      kind: "error",
      path: "/cluster/resources",
      method: null,
      times: 2,
      status: 500,
      message: "pmxcfs not ready",
      aclPath: null,
      privilege: null,
      bytes: null,
      delayMs: null,
    });
    expect(fault).toBeDefined();
    monitor.refreshNow();
    await settle(scheduler, 1000);
    let view = monitor.view();
    expect(view.phase).toBe("ok");
    expect(view.stale).toBe(true);
    expect(view.errorKind).toBe("server");
    expect(view.errorMessage).toMatch(/pmxcfs not ready/);
    expect(view.nodes.length).toBe(3);
    // Backoff retries sooner than the 30 s interval: 5 s, then 10 s.
    await settle(scheduler, 16_000);
    view = monitor.view();
    expect(view.stale).toBe(false);
    expect(view.errorKind).toBeNull();
  });

  it("maps an anonymised node row back to the real key to remember", async () => {
    const { scheduler, monitor, settings } = setup();
    monitor.configure(settings);
    await settle(scheduler, 1000);
    monitor.setViewOptions({ anonymise: true });
    const row = monitor.view().nodes[1]!;
    expect(row.name).not.toMatch(/^pve/);
    const key = monitor.nodeKeyForSetting(row.key);
    expect(key).toMatch(/^node\/pve\d$/);
    monitor.setViewOptions({ expandedNodes: [key] });
    expect(monitor.view().nodes.find((n) => n.key === row.key)!.expanded).toBe(true);
  });

  it("builds no guest row while the popup is closed, and all of them when it opens", async () => {
    const { scheduler, monitor, settings } = setup();
    const views: ReturnType<typeof monitor.view>[] = [];
    monitor.onView((v) => views.push(v));
    monitor.setViewOptions({ expandedNodes: ["node/pve1", "node/pve2", "node/pve3"] });
    monitor.setPopupOpen(false);
    monitor.configure(settings);
    await settle(scheduler, 1000);
    const closed = monitor.view();
    expect(closed.phase).toBe("ok");
    expect(Object.values(closed.guestsByNode).flat()).toEqual([]);
    expect(closed.summary!.guestsTotal).toBeGreaterThan(5);
    expect(closed.nodes.reduce((n, r) => n + r.guestsTotal + r.templates, 0)).toBeGreaterThan(5);
    const published = views.length;
    monitor.setPopupOpen(true);
    // Opening publishes the rows at once, without waiting for a refresh.
    expect(views.length).toBe(published + 1);
    const open = views[views.length - 1]!;
    const rows = Object.values(open.guestsByNode).flat();
    expect(rows.length).toBe(closed.summary!.guestsTotal + closed.summary!.templates);
    // A second refresh with nothing changed for a guest keeps its row.
    monitor.refreshNow();
    await settle(scheduler, 1000);
    const again = Object.values(monitor.view().guestsByNode).flat();
    expect(again.length).toBe(rows.length);
    expect(again.some((r) => rows.indexOf(r) >= 0)).toBe(true);
  });

  it("never puts the secret into the view model or the logs", async () => {
    const { scheduler, monitor, settings, logs } = setup();
    monitor.configure({
      ...settings,
      tokenId: settings.tokenId,
      secret: "11111111-2222-4333-8444-555555555555",
    });
    await settle(scheduler, 1000);
    const text = JSON.stringify(monitor.view()) + logs.join("\n");
    expect(monitor.view().errorKind).toBe("auth");
    expect(text).not.toContain("11111111-2222-4333-8444-555555555555");
  });

  it("a settings change drops the old pipeline: no late answer, new baseline", async () => {
    const { scheduler, monitor, settings, notifications } = setup();
    monitor.configure(settings);
    monitor.configure({ ...settings, host: "", tokenId: "" });
    await settle(scheduler, 2000);
    expect(monitor.view().phase).toBe("unconfigured");
    expect(monitor.view().nodes).toEqual([]);
    expect(notifications).toEqual([]);
  });
});
