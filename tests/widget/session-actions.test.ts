// Power actions through the widget session on the demo cluster (the same
// simulated pveproxy, POST endpoints included): off means no menu; on, the
// confirmation, the pending row, the refresh at the end and exactly one
// notification for the guest.
import { describe, expect, it } from "vitest";
import { createDemoModule } from "../../src/demo/entry";
import type { Notification } from "../../src/notify/limiter";
import { createWidgetSession, type WidgetConfig } from "../../src/widget/session";
import type { GuestRow } from "../../src/view/view-model";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const NO_SECRET = { secret: "", state: "idle", errorMessage: "", generation: 0 };

function setup() {
  const scheduler = createFakeScheduler(1_700_000_000_000);
  const notifications: Notification[] = [];
  const logs: string[] = [];
  const session = createWidgetSession({
    scheduler,
    createRequest: () => {
      throw new Error("no XHR in this test");
    },
    send: () => {},
    loadNative: () => null,
    loadDemo: () => createDemoModule(),
    notify: (n) => notifications.push(n),
    log: (level, message) => logs.push(level + " " + message),
  });
  session.setPopupOpen(true);
  return { scheduler, session, notifications, logs };
}

async function settle(s: ReturnType<typeof createFakeScheduler>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    s.advance(100);
    await flushPromises();
  }
}

const DEMO: WidgetConfig = {
  demoMode: true,
  refreshInterval: 30,
  enableNotifications: true,
  notifyRateLimitEnabled: false,
};

function runningVm(rows: { [node: string]: GuestRow[] }): GuestRow {
  for (const node of Object.keys(rows)) {
    for (const row of rows[node] ?? []) {
      if (row.type === "qemu" && row.status === "running" && row.lock === "" && row.hastate === "")
        return row;
    }
  }
  throw new Error("no plain running VM in the demo");
}

describe("widget session: power actions", () => {
  it("with actions off there is no menu and no action state", async () => {
    const t = setup();
    t.session.update(
      { ...DEMO, expandedNodes: ["node/pve1", "node/pve2", "node/pve3"] },
      NO_SECRET,
    );
    await settle(t.scheduler, 1000);
    const v = t.session.view();
    expect(v.actionsEnabled).toBe(false);
    expect(v.guestActions).toEqual({});
    const row = runningVm(v.guestsByNode);
    expect(t.session.actionMenu(row.key)).toEqual([]);
  });

  it("confirm, pending, the new state, and one notification instead of two", async () => {
    const t = setup();
    const nodes = ["node/pve1", "node/pve2", "node/pve3"];
    t.session.update({ ...DEMO, actionsMode: "monitoring", expandedNodes: nodes }, NO_SECRET);
    await settle(t.scheduler, 1000);
    let v = t.session.view();
    expect(v.actionsEnabled).toBe(true);
    const row = runningVm(v.guestsByNode);
    const menu = t.session.actionMenu(row.key);
    const shutdown = menu.find((e) => e.id === "power:shutdown");
    expect(shutdown?.enabled).toBe(true);
    // The demo has no web UI: no links.
    expect(menu.find((e) => e.id === "web")).toBeUndefined();
    expect(t.session.chooseAction(row.key, "power:shutdown")).toBe("");
    expect(t.session.view().guestActions[row.key]?.confirmText).toBe(
      "Shut down " + row.displayName + "?",
    );
    const before = t.notifications.length;
    t.session.confirmAction(row.key);
    v = t.session.view();
    expect(v.guestActions[row.key]?.pending).toBe(true);
    expect(v.guestActions[row.key]?.pendingText).toBe("Shutting down " + row.displayName + "…");
    await settle(t.scheduler, 40_000);
    v = t.session.view();
    expect(v.guestActions[row.key]).toBeUndefined();
    const after = Object.keys(v.guestsByNode)
      .map((n) => v.guestsByNode[n] ?? [])
      .reduce((a, b) => a.concat(b), [])
      .find((r) => r.key === row.key);
    expect(after?.status).toBe("stopped");
    const mine = t.notifications.slice(before).filter((n) => n.guests.indexOf(row.vmid) >= 0);
    expect(mine.length).toBe(1);
    expect(mine[0]).toMatchObject({ urgency: "low", title: row.displayName + " shut down." });
    // The monitor did see the change and wanted to say so: absorbed.
    expect(t.logs.filter((l) => l.indexOf("replaced by the action's result") >= 0).length).toBe(1);
  });
});
