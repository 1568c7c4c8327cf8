// Keyboard navigation in the popup's list (issue 15): arrow keys move
// between node cards and the guest rows of open nodes, Home/End go to the
// first and last, PageUp/PageDown move by a page. QML maps its key codes to
// these names and scrolls to what comes back; which item is next is
// decided here, from the rows the popup shows.

import type { GuestRow, NodeRow } from "./view-model";

export type NavigationKey = "up" | "down" | "home" | "end" | "pageUp" | "pageDown";

export interface FocusTarget {
  /** The row key of the item to focus ("node/pve1", "qemu/101"); "" when the list is empty. */
  key: string;
  /** Its node's index in the node list; -1 when none. */
  nodeIndex: number;
  /** Its index among the node's guest rows; -1 for the node card itself. */
  rowIndex: number;
  /** "node" or "guest"; "" when none. */
  kind: string;
}

const NONE: FocusTarget = Object.freeze({ key: "", nodeIndex: -1, rowIndex: -1, kind: "" });

interface Entry {
  key: string;
  nodeIndex: number;
  rowIndex: number;
}

/** Node cards and, below each open one, its guest rows, in the order shown. */
function focusOrder(
  nodes: ReadonlyArray<NodeRow>,
  guestsByNode: { [node: string]: GuestRow[] | undefined },
): Entry[] {
  const order: Entry[] = [];
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n] as NodeRow;
    order.push({ key: node.key, nodeIndex: n, rowIndex: -1 });
    if (!node.expanded) continue;
    const rows = guestsByNode[node.name] || [];
    for (let i = 0; i < rows.length; i++)
      order.push({ key: (rows[i] as GuestRow).key, nodeIndex: n, rowIndex: i });
  }
  return order;
}

function target(e: Entry | undefined): FocusTarget {
  if (e === undefined) return NONE;
  return {
    key: e.key,
    nodeIndex: e.nodeIndex,
    rowIndex: e.rowIndex,
    kind: e.rowIndex < 0 ? "node" : "guest",
  };
}

/**
 * Where focus goes from `current` (a row key, "" for none) on `key`.
 * `page` is how many items a page holds (at least 1). An unknown current
 * key (its row went away) starts from the top; an unknown navigation key
 * stays put.
 */
export function moveFocus(
  view: { nodes: ReadonlyArray<NodeRow>; guestsByNode: { [node: string]: GuestRow[] | undefined } },
  current: string,
  key: string,
  page: number,
): FocusTarget {
  const order = focusOrder(view.nodes, view.guestsByNode);
  if (order.length === 0) return NONE;
  let at = -1;
  for (let i = 0; i < order.length; i++) {
    if ((order[i] as Entry).key === current) {
      at = i;
      break;
    }
  }
  const step = Math.max(1, Math.floor(page) || 1);
  const last = order.length - 1;
  let next: number;
  switch (key) {
    case "down":
      next = at < 0 ? 0 : Math.min(last, at + 1);
      break;
    case "up":
      next = at < 0 ? 0 : Math.max(0, at - 1);
      break;
    case "home":
      next = 0;
      break;
    case "end":
      next = last;
      break;
    case "pageDown":
      next = at < 0 ? Math.min(last, step - 1) : Math.min(last, at + step);
      break;
    case "pageUp":
      next = at < 0 ? 0 : Math.max(0, at - step);
      break;
    default:
      next = at < 0 ? 0 : at;
  }
  return target(order[next]);
}

/** Where an item is now (after a refresh or a filter change); NONE when it is not shown. */
export function locateFocus(
  view: { nodes: ReadonlyArray<NodeRow>; guestsByNode: { [node: string]: GuestRow[] | undefined } },
  current: string,
): FocusTarget {
  if (current === "") return NONE;
  const order = focusOrder(view.nodes, view.guestsByNode);
  for (let i = 0; i < order.length; i++)
    if ((order[i] as Entry).key === current) return target(order[i]);
  return NONE;
}
