// Keyboard navigation order in the popup (issue 15): node cards, and the
// guest rows of open nodes only, in the order shown; with several
// connections over every section, headers included.
import { describe, expect, it } from "vitest";
import {
  focusAction,
  focusInConnection,
  locateFocus,
  locatePopupFocus,
  moveFocus,
  movePopupFocus,
  type NavigableView,
  type PopupLists,
} from "../../src/view/popup-navigation";
import { buildViewModel } from "../../src/view/view-model";
import { initialWidgetView, type WidgetView } from "../../src/widget/session";
import { guest, node, snapshot } from "./sample";

const view = buildViewModel({
  snapshot: snapshot(),
  refresh: { refreshing: false, lastSuccessAt: 0, error: null, stale: false },
  now: 0,
  sortBy: "id",
  anonymise: false,
  expandedNodes: ["node/pve1"],
  guestRowsFor: "expanded",
});

function walk(keys: string[], page = 3): string[] {
  const out: string[] = [];
  let at = "";
  for (const k of keys) {
    at = moveFocus(view, at, k, page).key;
    out.push(at);
  }
  return out;
}

describe("popup keyboard navigation", () => {
  it("down walks cards and the rows of open nodes; up comes back; the ends hold", () => {
    expect(view.guestsByNode.pve1!.map((g) => g.key)).toEqual(["qemu/101", "lxc/102", "qemu/9000"]);
    expect(walk(["down", "down", "down", "down", "down", "down", "down", "up"])).toEqual([
      "node/pve1",
      "qemu/101",
      "lxc/102",
      "qemu/9000",
      "node/pve2",
      "node/pve3",
      "node/pve3",
      "node/pve2",
    ]);
  });

  it("Home, End, PageUp, PageDown", () => {
    expect(walk(["end", "home", "pageDown", "pageDown", "pageUp"])).toEqual([
      "node/pve3",
      "node/pve1",
      "qemu/9000",
      "node/pve3",
      "lxc/102",
    ]);
  });

  it("where a key is: node index and row index, for scrolling", () => {
    expect(moveFocus(view, "node/pve1", "down", 1)).toEqual({
      key: "qemu/101",
      nodeIndex: 0,
      rowIndex: 0,
      kind: "guest",
    });
    expect(locateFocus(view, "node/pve2")).toEqual({
      key: "node/pve2",
      nodeIndex: 1,
      rowIndex: -1,
      kind: "node",
    });
    expect(locateFocus(view, "qemu/424242").key).toBe("");
    expect(moveFocus({ nodes: [], guestsByNode: {} }, "", "down", 1).key).toBe("");
  });
});

// Several connections (issue 11): one order over every section as shown —
// its header, then (when open) its cards and the rows of its open nodes.
describe("popup keyboard navigation over several connections", () => {
  const HOME = "monitor@pve!proxmon@pve1.lan:8006";
  const OFFICE = "monitor@pve!proxmon@pve.office:8443";
  const LAB = "monitor@pve!proxmon@lab.lan:8006";
  // The same cluster twice: node "pve1" and VM 101 in both.
  const office = buildViewModel({
    snapshot: snapshot(),
    refresh: { refreshing: false, lastSuccessAt: 0, error: null, stale: false },
    now: 0,
    sortBy: "id",
    anonymise: false,
    expandedNodes: [],
    guestRowsFor: "expanded",
  });
  const connecting = initialWidgetView();
  const failing: WidgetView = {
    ...initialWidgetView(),
    phase: "error",
    errorMessage: "unreachable",
  };

  function popup(
    sections: Array<{ key: string; view: NavigableView }>,
    collapsed: string[] = [],
  ): PopupLists {
    return {
      several: true,
      view: { nodes: [], guestsByNode: {} },
      connections: sections,
      collapsed,
    };
  }
  const two = popup([
    { key: OFFICE, view: office },
    { key: HOME, view },
  ]);

  function walkIn(p: PopupLists, keys: string[], page = 3): string[] {
    const out: string[] = [];
    let at = "";
    for (const k of keys) {
      at = movePopupFocus(p, at, k, page).key;
      out.push(at);
    }
    return out;
  }
  function everything(p: PopupLists): string[] {
    const out: string[] = [];
    let at = "";
    for (;;) {
      const next = movePopupFocus(p, at, "down", 1).key;
      if (next === at) return out;
      out.push(next);
      at = next;
    }
  }

  it("down from the top: a header, its cards, the next header, its cards and open rows", () => {
    expect(everything(two)).toEqual([
      OFFICE,
      OFFICE + " node/pve1",
      OFFICE + " node/pve2",
      OFFICE + " node/pve3",
      HOME,
      HOME + " node/pve1",
      HOME + " qemu/101",
      HOME + " lxc/102",
      HOME + " qemu/9000",
      HOME + " node/pve2",
      HOME + " node/pve3",
    ]);
  });

  it("the same node and VM in two clusters are two items, each knowing its connection", () => {
    const keys = everything(two);
    expect(new Set(keys).size).toBe(keys.length);
    expect(movePopupFocus(two, OFFICE + " node/pve3", "down", 1)).toEqual({
      key: HOME,
      kind: "connection",
      connectionKey: HOME,
      connectionIndex: 1,
      nodeIndex: -1,
      rowIndex: -1,
      rowKey: "",
    });
    expect(movePopupFocus(two, HOME + " node/pve1", "down", 1)).toEqual({
      key: HOME + " qemu/101",
      kind: "guest",
      connectionKey: HOME,
      connectionIndex: 1,
      nodeIndex: 0,
      rowIndex: 0,
      rowKey: "qemu/101",
    });
    expect(locatePopupFocus(two, OFFICE + " node/pve1")).toMatchObject({
      kind: "node",
      connectionKey: OFFICE,
      connectionIndex: 0,
      nodeIndex: 0,
      rowKey: "node/pve1",
    });
    // A connection's cards see only their own part.
    expect(focusInConnection(HOME + " qemu/101", HOME, view)).toEqual(
      locateFocus(view, "qemu/101"),
    );
    expect(focusInConnection(HOME + " qemu/101", OFFICE, office).key).toBe("");
    expect(focusInConnection(OFFICE + " node/pve1", OFFICE, office).key).toBe("node/pve1");
    expect(focusInConnection(HOME, HOME, view).key, "a header is no card").toBe("");
    expect(focusInConnection("", HOME, view).key).toBe("");
  });

  it("a closed section contributes its header only; a focused card in it is no longer shown", () => {
    const closed = popup(
      [
        { key: OFFICE, view: office },
        { key: HOME, view },
      ],
      [OFFICE],
    );
    expect(walkIn(closed, ["down", "down", "down"])).toEqual([OFFICE, HOME, HOME + " node/pve1"]);
    expect(movePopupFocus(closed, OFFICE, "down", 1).key).toBe(HOME);
    expect(locatePopupFocus(closed, OFFICE + " node/pve2").key).toBe("");
    expect(locatePopupFocus(closed, OFFICE).kind).toBe("connection");
    // Closing the other one too: two headers.
    expect(everything(popup(closed.connections.slice(), [OFFICE, HOME]))).toEqual([OFFICE, HOME]);
  });

  it("Home, End, PageUp, PageDown over the whole order", () => {
    expect(
      walkIn(two, ["end", "home", "pageDown", "pageDown", "pageUp", "pageDown", "pageDown"], 4),
    ).toEqual([
      HOME + " node/pve3",
      OFFICE,
      HOME,
      HOME + " qemu/9000",
      HOME,
      HOME + " qemu/9000",
      HOME + " node/pve3",
    ]);
    expect(movePopupFocus(two, OFFICE, "up", 1).key, "the top holds").toBe(OFFICE);
    // An item that went away: from the top again.
    expect(movePopupFocus(two, HOME + " qemu/424242", "down", 1).key).toBe(OFFICE);
  });

  it("an empty and an error-only connection show their header only", () => {
    const p = popup([
      { key: LAB, view: connecting },
      { key: OFFICE, view: failing },
      { key: HOME, view },
    ]);
    expect(walkIn(p, ["down", "down", "down", "down"])).toEqual([
      LAB,
      OFFICE,
      HOME,
      HOME + " node/pve1",
    ]);
    expect(movePopupFocus(p, LAB, "end", 1).key).toBe(HOME + " node/pve3");
    const headers = popup([
      { key: LAB, view: connecting },
      { key: OFFICE, view: failing },
    ]);
    expect(everything(headers)).toEqual([LAB, OFFICE]);
    expect(movePopupFocus(popup([]), "", "down", 1).key).toBe("");
  });

  it("one connection: the plain list's order and keys, as before", () => {
    const one: PopupLists = { several: false, view, connections: [], collapsed: [] };
    for (const [from, key] of [
      ["", "down"],
      ["node/pve1", "down"],
      ["qemu/9000", "down"],
      ["node/pve3", "home"],
      ["node/pve1", "end"],
      ["node/pve1", "pageDown"],
    ] as const) {
      const plain = moveFocus(view, from, key, 2);
      expect(movePopupFocus(one, from, key, 2)).toEqual({
        ...plain,
        connectionKey: "",
        connectionIndex: -1,
        rowKey: plain.key,
      });
    }
    expect(locatePopupFocus(one, "lxc/102")).toMatchObject({
      key: "lxc/102",
      kind: "guest",
      rowIndex: 1,
    });
    expect(locatePopupFocus(one, "").key).toBe("");
  });

  it("Enter and Space: what they do on a header, a card, a row, nothing", () => {
    expect(focusAction("connection", "enter")).toBe("toggleConnection");
    expect(focusAction("connection", "space")).toBe("toggleConnection");
    expect(focusAction("node", "enter")).toBe("toggleNode");
    expect(focusAction("guest", "enter")).toBe("guestMenu");
    expect(focusAction("node", "space")).toBe("");
    expect(focusAction("guest", "space")).toBe("");
    expect(focusAction("", "enter")).toBe("");
    expect(focusAction("connection", "tab")).toBe("");
  });

  it("walks a large popup in linear time", () => {
    // 3 connections × 200 open nodes × 50 guests: 30 603 items.
    const big = buildViewModel({
      snapshot: {
        ...snapshot(),
        nodes: Array.from({ length: 200 }, (_, i) => node("n" + i)),
        guests: Array.from({ length: 10000 }, (_, i) => guest(1000 + i, { node: "n" + (i % 200) })),
      },
      refresh: { refreshing: false, lastSuccessAt: 0, error: null, stale: false },
      now: 0,
      sortBy: "id",
      anonymise: false,
      expandedNodes: Array.from({ length: 200 }, (_, i) => "node/n" + i),
      guestRowsFor: "expanded",
    });
    const p = popup([
      { key: LAB, view: big },
      { key: OFFICE, view: big },
      { key: HOME, view: big },
    ]);
    const last = movePopupFocus(p, "", "end", 1);
    expect(last.connectionKey).toBe(HOME);
    const started = Date.now();
    for (let i = 0; i < 20; i++) movePopupFocus(p, last.key, "up", 1);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
