// Backups and cluster health in the widget session (issue 13, items 2-5
// and 7) on a fake clock over the demo's simulated pveproxy: read at the
// slow cadence only (never each refresh), the guest badges and the
// Backups section, one notification for a failed vzdump, none for a
// snoozed guest, maintenance, the snooze menu and its settings list.
import { describe, expect, it } from "vitest";
import { createDemoTransport, DEMO_SCENARIO_JSON } from "../../src/demo/transport";
import { demoSettings } from "../../src/demo/settings";
import { mustParseScenario } from "../../src/sim-engine/scenario";
import type { Notification } from "../../src/notify/limiter";
import type { TransportRequest } from "../../src/api/transport";
import { createWidgetSession, type SecretInput, type WidgetConfig } from "../../src/widget/session";
import { removeSnoozeEntry, snoozeSettingsRows } from "../../src/widget/snooze-menu";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const NO_SECRET: SecretInput = { secret: "", state: "idle", errorMessage: "", generation: 0 };
const START = Date.UTC(2026, 11, 1, 12, 0, 0);

/** The demo cluster (without its backup lock) plus, at +300 s, a failed single-guest vzdump of 111 and of 110. */
function scenario(patch?: (json: { token: Record<string, unknown> }) => void) {
  const json = JSON.parse(JSON.stringify(DEMO_SCENARIO_JSON));
  if (patch) patch(json);
  json.backups.runs.push(
    {
      node: "pve3",
      vmids: [111],
      at: 300,
      seconds: 30,
      storage: "nas-backup",
      failures: { "111": "no space left on device" },
    },
    {
      node: "pve2",
      vmids: [110],
      at: 300,
      seconds: 30,
      storage: "nas-backup",
      failures: { "110": "no space left on device" },
    },
  );
  // Without the demo's own nightly-style lock of 103: only these backups end.
  json.timeline = json.timeline.filter((e: { action: string }) => e.action !== "lock");
  json.timeline.push(
    { at: 295, action: "lock", vmid: 111, lock: "backup", duration: 40 },
    { at: 295, action: "lock", vmid: 110, lock: "backup", duration: 40 },
  );
  return mustParseScenario(json);
}

function setup(patch?: (json: { token: Record<string, unknown> }) => void, popupOpen = true) {
  const scheduler = createFakeScheduler(START);
  const notifications: Notification[] = [];
  const paths: string[] = [];
  const saved: string[][] = [];
  const sc = scenario(patch);
  const session = createWidgetSession({
    scheduler,
    createRequest: () => {
      throw new Error("no XHR");
    },
    send: () => undefined,
    loadNative: () => null,
    loadDemo: () => ({
      createTransport: (d) => {
        const inner = createDemoTransport({ scheduler: d.scheduler, scenario: sc, latencyMs: 10 });
        return {
          ...inner,
          send(r: TransportRequest) {
            paths.push(r.url.replace(/^https:\/\/[^/]+\/api2\/json/, "").split("?")[0] as string);
            return inner.send(r);
          },
        };
      },
      settings: demoSettings,
    }),
    notify: (n) => notifications.push(n),
    saveSnoozes: (list) => saved.push(list),
    utcOffset: () => 0,
  });
  // The section, chips and problems are built only while the popup shows them.
  session.setPopupOpen(popupOpen);
  return { scheduler, session, notifications, paths, saved };
}

async function settle(s: ReturnType<typeof createFakeScheduler>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 250) {
    s.advance(250);
    await flushPromises();
  }
}

const BASE: WidgetConfig = { demoMode: true, refreshInterval: 30, enableNotifications: true };

describe("backups in the widget session", () => {
  it("reads at the slow cadence, never each refresh, and shows badges and the section", async () => {
    const t = setup();
    t.session.update(BASE, NO_SECRET);
    await settle(t.scheduler, 5000);
    const v = t.session.view();
    expect(v.phase).toBe("ok");
    expect(v.backups.enabled).toBe(true);
    // 100 was backed up almost two hours ago by the nightly job: ok, green, "1 h".
    const chip = v.backups.guestChips["100"]![0]!;
    expect(chip.text).toBe("1 h");
    expect(chip.color).toBe("positive");
    expect(chip.tip).toContain("backup-nightly");
    // 104 failed in the multi-guest task (only its log says so).
    expect(v.backups.guestChips["104"]![0]!.color).toBe("negative");
    const groups = Object.fromEntries(
      v.backups.groups.map((g) => [g.key, g.rows.map((r) => r.vmid)]),
    );
    expect(groups.failed).toEqual([104]);
    expect(groups.never).toEqual(expect.arrayContaining([108, 111]));
    expect(groups.overdue).toEqual([112]);
    expect(groups.uncovered).toEqual(expect.arrayContaining([108, 111, 112]));
    // The template is never nagged about.
    expect(v.backups.guestChips["9000"]).toBeUndefined();
    expect(v.backups.notices).toEqual([]);

    const full = (p: string[]) => p.filter((x) => x === "/cluster/backup").length;
    const tasks = (p: string[]) => p.filter((x) => x === "/cluster/tasks").length;
    const resources = (p: string[]) => p.filter((x) => x === "/cluster/resources").length;
    expect(full(t.paths)).toBe(1);
    // 4 minutes later: 8 more refreshes, no full read, /cluster/tasks every 2 minutes only.
    await settle(t.scheduler, 240_000);
    expect(full(t.paths)).toBe(1);
    expect(resources(t.paths)).toBeGreaterThanOrEqual(8);
    expect(tasks(t.paths)).toBe(3);
    t.session.dispose();
  });

  it("one notification for a failed vzdump, none for the snoozed guest; a read follows the backup's end", async () => {
    const t = setup();
    let config: WidgetConfig = { ...BASE };
    t.session.update(config, NO_SECRET);
    await settle(t.scheduler, 5000);
    config = { ...config, snoozes: t.session.snooze("guest", "110", "hour") };
    expect(config.snoozes).toEqual(["guest:110=until:" + (START / 1000 + 5 + 3600)]);
    t.session.update(config, NO_SECRET);
    expect(t.session.view().backups.guestChips["110"]!.map((c) => c.text)).toContain("snoozed");
    const before = t.notifications.length;
    const fullReads = () => t.paths.filter((x) => x === "/cluster/backup").length;
    expect(fullReads()).toBe(1);
    // Both backups end at ~+335 s; the read after the lock went away comes well before 10 min.
    await settle(t.scheduler, 400_000);
    expect(fullReads()).toBe(2);
    const health = t.notifications.slice(before).filter((n) => n.title.indexOf("task") >= 0);
    expect(health.length).toBe(1);
    expect(health[0]!.kind).toBe("single");
    expect(health[0]!.body).toContain("111");
    expect(health[0]!.body).not.toContain("110");
    const v = t.session.view();
    expect(v.backups.problems.some((p) => p.title.indexOf("111") >= 0)).toBe(true);
    expect(v.backups.guestChips["111"]![0]!.color).toBe("negative");
    t.session.dispose();
  });

  it("with the popup closed: notices still come, the Backups and Storage sections are built only when it opens", async () => {
    const t = setup(undefined, false);
    t.session.update({ ...BASE }, NO_SECRET);
    await settle(t.scheduler, 400_000);
    // The failed vzdumps of 110 and 111 (+300 s) were told with the popup closed.
    expect(t.notifications.some((n) => n.title.indexOf("task") >= 0)).toBe(true);
    const closed = t.session.view().backups;
    expect(closed.guestChips).toEqual({});
    expect(closed.groups).toEqual([]);
    expect(t.session.view().storage.lines).toEqual([]);
    // Refreshes with the popup closed hand the façade the same object, not a new one each time.
    await settle(t.scheduler, 30_000);
    expect(t.session.view().backups).toBe(closed);
    t.session.setPopupOpen(true);
    const open = t.session.view().backups;
    expect(open.enabled).toBe(true);
    expect(open.guestChips["111"]![0]!.color).toBe("negative");
    expect(open.problemCount).toBeGreaterThan(0);
    expect(t.session.view().storage.lines.length).toBeGreaterThan(0);
    t.session.setPopupOpen(false);
    // The next refresh (every 30 s here) lets go of them.
    await settle(t.scheduler, 31_000);
    expect(t.session.view().backups.guestChips).toEqual({});
    t.session.dispose();
  });

  it("maintenance: no chip colour for problems, left out of the section and the count; menu and settings undo", async () => {
    const t = setup();
    let config: WidgetConfig = { ...BASE };
    t.session.update(config, NO_SECRET);
    await settle(t.scheduler, 5000);
    const count = t.session.view().backups.problemCount;
    const menu = t.session.snoozeMenu("guest", "104");
    expect(menu.map((m) => m.action)).toEqual(["hour", "tomorrow", "change", "maintenance", "off"]);
    expect(menu[4]!.enabled).toBe(false);
    config = { ...config, snoozes: t.session.snooze("guest", "104", "maintenance") };
    t.session.update(config, NO_SECRET);
    const v = t.session.view();
    expect(v.backups.problemCount).toBe(count - 1);
    expect(v.backups.groups.every((g) => g.rows.every((r) => r.vmid !== 104))).toBe(true);
    expect(v.backups.guestChips["104"]!.map((c) => c.text)).toContain("maintenance");
    expect(t.session.snoozeMenu("guest", "104")[3]!.checked).toBe(true);
    const rows = snoozeSettingsRows(config.snoozes as string[], START / 1000);
    expect(rows).toEqual([
      { key: "guest:104", title: "Guest 104", detail: "Maintenance (until turned off)" },
    ]);
    expect(removeSnoozeEntry(config.snoozes as string[], "guest:104")).toEqual([]);
    // "until it changes again" remembers the state now and ends when it changes.
    const change = t.session.snooze("node", "pve3", "change");
    expect(change).toContain("node:pve3=change:online");
    t.session.dispose();
  });

  it("without Sys.Audit: the widget still shows its cluster, the Backups section says what is missing", async () => {
    const t = setup((json) => {
      json.token = {
        ...json.token,
        privileges: { "/": ["Datastore.Audit"], "/vms": ["VM.Audit"] },
      };
    });
    t.session.update(BASE, NO_SECRET);
    await settle(t.scheduler, 5000);
    const v = t.session.view();
    expect(v.phase).toBe("ok");
    expect(v.hasError).toBe(false);
    expect(v.backups.notices.join("\n")).toContain(
      "Backup jobs: not readable, needs Sys.Audit on /",
    );
    t.session.dispose();
  });

  it("turned off: no backup requests at all", async () => {
    const t = setup();
    t.session.update({ ...BASE, backupsEnabled: false }, NO_SECRET);
    await settle(t.scheduler, 700_000);
    expect(
      t.paths.filter((p) => p.indexOf("/cluster/backup") === 0 || p === "/cluster/tasks"),
    ).toEqual([]);
    expect(t.session.view().backups.enabled).toBe(false);
    t.session.dispose();
  });
});
