// The session's history and storage wiring (issue 12) on the demo cluster
// and a fake clock: requests per refresh with the popup closed and open,
// the guest detail row, the storage section, the panel label modes and a
// filling-up notification through the widget's notify path.
import { describe, expect, it } from "vitest";

import type { PendingRequest, Transport, TransportRequest } from "../../src/api/transport";
import { DEMO_SCENARIO_JSON } from "../../src/demo/demo-scenario";
import { demoSettings } from "../../src/demo/settings";
import { createDemoTransport } from "../../src/demo/transport";
import type { Notification } from "../../src/notify/limiter";
import { mustParseScenario } from "../../src/sim-engine/scenario";
import { createWidgetSession, type DemoModule, type WidgetConfig } from "../../src/widget/session";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const NO_SECRET = { secret: "", state: "idle", errorMessage: "", generation: 0 };

function setup(options: { scenario?: unknown; timeScale?: number } = {}) {
  const scheduler = createFakeScheduler(1_800_000_000_000);
  const paths: string[] = [];
  const notifications: Notification[] = [];
  const scenario = options.scenario ? mustParseScenario(options.scenario) : undefined;
  const demo: DemoModule = {
    createTransport: (deps): Transport => {
      const inner = createDemoTransport({
        scheduler: deps.scheduler,
        latencyMs: 20,
        scenario,
        timeScale: options.timeScale,
      });
      return {
        send(request: TransportRequest): PendingRequest {
          paths.push(request.url.replace(/^[a-z]+:\/\/[^/]+\/api2\/json/, "").replace(/\?.*$/, ""));
          return inner.send(request);
        },
      };
    },
    settings: demoSettings,
  };
  const session = createWidgetSession({
    scheduler,
    createRequest: () => {
      throw new Error("no XHR here");
    },
    send: () => {},
    loadNative: () => null,
    loadDemo: () => demo,
    notify: (n) => notifications.push(n),
  });
  return { scheduler, session, paths, notifications };
}

async function settle(s: ReturnType<typeof createFakeScheduler>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 250) {
    s.advance(250);
    await flushPromises();
  }
}

const DEMO: WidgetConfig = { demoMode: true, refreshInterval: 30, enableNotifications: true };

describe("widget session: history and storage", () => {
  it("popup closed: one request per refresh; open: node history once a minute, then closed again", async () => {
    const t = setup();
    t.session.update(DEMO, NO_SECRET);
    await settle(t.scheduler, 2000);
    // Cards exist only in the open popup, but a closed popup reads nothing anyway.
    for (const n of t.session.view().nodes) t.session.showNodeHistory(n.key, true);
    t.paths.length = 0;
    await settle(t.scheduler, 300_000);
    expect(t.paths.filter((p) => p.endsWith("/rrddata"))).toEqual([]);
    // 300 s of 30 s refreshes (with their jitter): about ten, and nothing else but the rare status read.
    const resources = t.paths.filter((p) => p === "/cluster/resources").length;
    expect(resources).toBeGreaterThanOrEqual(9);
    expect(resources).toBeLessThanOrEqual(11);

    t.paths.length = 0;
    t.session.setPopupOpen(true);
    await settle(t.scheduler, 300_000);
    const nodeReads = t.paths.filter((p) => /^\/nodes\/[^/]+\/rrddata$/.test(p));
    const nodes = t.session.view().nodes.length;
    // Once at opening, then once per 60 s step: 5 or 6 per node in 5 minutes.
    expect(nodeReads.length).toBeGreaterThanOrEqual(nodes * 5);
    expect(nodeReads.length).toBeLessThanOrEqual(nodes * 6);
    // The storage forecasts: each storage's week, once (its step is 30 min).
    const storageReads = t.paths.filter((p) => /\/storage\/[^/]+\/rrddata$/.test(p));
    expect(storageReads.length).toBe(
      t.session.view().storage.lines.filter((l) => !l.heading).length,
    );
    expect(t.session.historyRows(t.session.view().nodes[0]!.key).length).toBeGreaterThan(30);

    t.session.setPopupOpen(false);
    t.paths.length = 0;
    await settle(t.scheduler, 300_000);
    expect(t.paths.filter((p) => p.endsWith("/rrddata"))).toEqual([]);
    t.session.dispose();
  });

  it("the guest detail is a row right below its guest; the charts get rows", async () => {
    const t = setup();
    t.session.update({ ...DEMO, expandedNodes: ["node/pve1"] }, NO_SECRET);
    t.session.setPopupOpen(true);
    await settle(t.scheduler, 2000);
    const rows = t.session.view().guestsByNode["pve1"] ?? [];
    const guest = rows.find((r) => r.running)!;
    const updates: string[] = [];
    t.session.onHistory((u) => updates.push(u.key + (u.reset ? " reset " : " +") + u.rows.length));
    t.session.toggleGuestDetail(guest.key);
    const after = t.session.view().guestsByNode["pve1"] ?? [];
    const at = after.findIndex((r) => r.key === guest.key);
    expect(after[at + 1]).toMatchObject({
      key: "detail/" + guest.key,
      rowKind: "guestDetail",
      guestKey: guest.key,
    });
    expect(t.session.view().guestDetail.key).toBe(guest.key);
    await settle(t.scheduler, 1000);
    expect(updates.some((u) => u.startsWith(guest.key + " reset "))).toBe(true);
    expect(t.session.historyRows(guest.key).length).toBeGreaterThan(30);
    expect(t.session.historyHover(guest.key, 0, "cpu")).toMatch(/^CPU /);
    t.session.setHistoryTimeframe("day");
    expect(t.session.view().guestDetail.timeframe).toBe("day");
    t.session.toggleGuestDetail(guest.key);
    expect(
      (t.session.view().guestsByNode["pve1"] ?? []).some((r) => r.key.startsWith("detail/")),
    ).toBe(false);
    t.session.dispose();
  });

  it("the storage section: shared once, local under their node, fullest first", async () => {
    const t = setup();
    t.session.update(DEMO, NO_SECRET);
    t.session.setPopupOpen(true);
    await settle(t.scheduler, 2000);
    const s = t.session.view().storage;
    expect(s.visible).toBe(true);
    expect(s.notice).toBe("");
    const shared = s.lines.filter((l) => l.key === "storage/nas-backup");
    expect(shared).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({ heading: true, title: "Shared" });
    expect(s.lines[1]?.key).toBe("storage/nas-backup");
    expect(s.lines[1]?.detailText).toBe("nfs · available");
    expect(s.lines[1]?.usageText).toMatch(/^[\d.]+ TiB of 4 TiB \(\d+%\)$/);
    t.session.dispose();
  });

  it("panel label modes; the tooltip keeps the summary", async () => {
    const t = setup();
    t.session.update({ ...DEMO, panelLabelMode: "guests" }, NO_SECRET);
    await settle(t.scheduler, 2000);
    const v = t.session.view();
    expect(v.panelText).toMatch(/^\d+\/\d+$/);
    expect(v.toolTipSubText).toMatch(/Guests running/);
    t.session.update({ ...DEMO, panelLabelMode: "icon-only" }, NO_SECRET);
    expect(t.session.view().panelIconOnly).toBe(true);
    expect(t.session.view().panelText).toBe("");
    t.session.update({ ...DEMO, panelLabelMode: "nonsense" }, NO_SECRET);
    expect(t.session.view().panelText).toBe(t.session.view().cpuLabel);
    t.session.update({ ...DEMO, panelLabelMode: "fullest-storage" }, NO_SECRET);
    expect(t.session.view().panelText).toMatch(/^\S+ \d+ %$/);
    expect(t.session.view().panelLabelChoices.map((c) => c.value)).toEqual([
      "average-cpu",
      "memory",
      "guests",
      "fullest-storage",
      "icon-only",
    ]);
    t.session.dispose();
  });

  it("a storage filling up notifies once through the widget's notify path, with the configured threshold", async () => {
    const json = JSON.parse(JSON.stringify(DEMO_SCENARIO_JSON));
    const nas = json.storage.find((s: { storage: string }) => s.storage === "nas-backup");
    nas.disk = "2.6T"; // 65 % of 4T
    nas.growth = 0.05; // 5 % of 4T per simulated day
    // One real second is one simulated hour: +6 % per 30 s refresh.
    const t = setup({ scenario: json, timeScale: 3600 });
    t.session.update({ ...DEMO, storageWarnPercent: 70, storageCriticalPercent: 99 }, NO_SECRET);
    await settle(t.scheduler, 2000);
    expect(t.notifications).toEqual([]);
    await settle(t.scheduler, 120_000);
    const storage = t.notifications.filter((n) => /nas-backup/.test(n.title + n.body));
    // The other storages drift up too at this pace; the limiter groups what crosses together.
    expect(storage).toHaveLength(1);
    expect(storage[0]?.title).toMatch(/^Storage \S+ is filling up/);
    t.session.dispose();
  });
});
