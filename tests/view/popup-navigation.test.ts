// Keyboard navigation order in the popup (issue 15): node cards, and the
// guest rows of open nodes only, in the order shown.
import { describe, expect, it } from "vitest";
import { locateFocus, moveFocus } from "../../src/view/popup-navigation";
import { buildViewModel } from "../../src/view/view-model";
import { snapshot } from "./sample";

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
