// The session's search and views (issue 15) on the demo cluster: the
// filtered lists, the count, guest rows of collapsed nodes built only while
// searching, the remembered view, and the problem count in the tooltip.
import { describe, expect, it } from "vitest";
import { createDemoModule } from "../../src/demo/entry";
import { createWidgetSession, type WidgetView } from "../../src/widget/session";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const NO_SECRET = { secret: "", state: "idle", errorMessage: "", generation: 0 };

async function demoSession() {
  const scheduler = createFakeScheduler(1_700_000_000_000);
  const session = createWidgetSession({
    scheduler,
    createRequest: () => {
      throw new Error("no XHR in this test");
    },
    send: () => {},
    loadNative: () => null,
    loadDemo: () => createDemoModule(),
  });
  const rows: WidgetView[] = [];
  session.onRows((v) => rows.push(v));
  session.setPopupOpen(true);
  session.update({ demoMode: true, refreshInterval: 3600 }, NO_SECRET);
  for (let i = 0; i < 50 && session.view().phase !== "ok"; i++) {
    scheduler.advance(100);
    await flushPromises();
  }
  expect(session.view().phase).toBe("ok");
  return { session, rows, scheduler };
}

function guestKeys(v: WidgetView): string[] {
  const out: string[] = [];
  for (const n of v.nodes) for (const g of v.guestsByNode[n.name] ?? []) out.push(g.key);
  return out;
}

describe("session: search and views", () => {
  it("without a search, All: the lists as before, nothing filtered", async () => {
    const { session } = await demoSession();
    const v = session.view();
    expect(v.filtering).toBe(false);
    expect(v.filterCountText).toBe("");
    expect(v.popupView).toBe("all");
    expect(v.compact).toBe(false);
    // Collapsed nodes carry no guest rows.
    expect(guestKeys(v)).toEqual([]);
  });

  it("a search finds guests on collapsed nodes, opens their nodes and counts", async () => {
    const { session, rows } = await demoSession();
    const all = session.view();
    const total = all.summary!.guestsTotal + all.summary!.templates;
    const before = rows.length;
    session.setSearch("node:" + all.nodes[0]!.name);
    expect(rows.length).toBeGreaterThan(before);
    const v = session.view();
    expect(v.filtering).toBe(true);
    expect(v.nodes.map((n) => n.name)).toEqual([all.nodes[0]!.name]);
    expect(v.nodes[0]!.expanded).toBe(true);
    const shown = guestKeys(v).length;
    expect(shown).toBeGreaterThan(0);
    expect(v.filterCountText).toBe(shown + " of " + total + " guests");
    // Setting the same text again publishes nothing.
    const n = rows.length;
    session.setSearch("node:" + all.nodes[0]!.name);
    expect(rows.length).toBe(n);
    session.setSearch("no-such-guest-anywhere");
    expect(session.view().nodes).toEqual([]);
    expect(session.view().filterEmptyText).toBe("No guest matches “no-such-guest-anywhere”");
    session.setSearch("");
    expect(session.view().filtering).toBe(false);
    expect(guestKeys(session.view())).toEqual([]);
  });

  it("the view comes from the settings; compact density too", async () => {
    const { session } = await demoSession();
    session.update(
      { demoMode: true, refreshInterval: 3600, popupView: "running", rowDensity: "compact" },
      NO_SECRET,
    );
    const v = session.view();
    expect(v.popupView).toBe("running");
    expect(v.compact).toBe(true);
    for (const n of v.nodes) expect(n.guestsRunning).toBeGreaterThan(0);
    session.update({ demoMode: true, refreshInterval: 3600, popupView: "problems" }, NO_SECRET);
    const p = session.view();
    for (const n of p.nodes)
      for (const g of p.guestsByNode[n.name] ?? []) expect(g.running && g.lock === "").toBe(false);
    if (p.problemCount > 0) expect(p.toolTipSubText).toContain("Problems: " + p.problemCount);
    else expect(p.toolTipSubText).not.toContain("Problems");
  });

  it("other readers add problems (the extension point for failed backups and tasks)", async () => {
    const { session } = await demoSession();
    session.update({ demoMode: true, refreshInterval: 3600, popupView: "problems" }, NO_SECRET);
    const before = session.view().problemCount;
    session.addProblemSource(() => ({
      guests: [{ key: "qemu/999999", reason: "backup-failed" }],
      nodes: [],
    }));
    const v = session.view();
    expect(v.problemCount).toBe(before + 1);
    expect(v.toolTipSubText).toContain("Problems: " + (before + 1));
  });
});
