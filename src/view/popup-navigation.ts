// Keyboard navigation in the popup's list (issue 15): arrow keys move
// between node cards and the guest rows of open nodes, Home/End go to the
// first and last, PageUp/PageDown move by a page. QML maps its key codes to
// these names and scrolls to what comes back; which item is next is
// decided here, from the rows the popup shows.
//
// With several connections (issue 11) the same keys walk one order over
// every connection's section as shown: its header, then — when the section
// is open — its node cards and the guest rows of its open nodes. Focus keys
// are qualified by the connection's key, so two clusters with a "pve1" and
// a VM 100 each never share one.

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

/** What the order is built from: a view's node rows and the guest rows under each. */
export interface NavigableView {
  nodes: ReadonlyArray<NodeRow>;
  guestsByNode: { [node: string]: GuestRow[] | undefined };
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

function indexOf(order: ReadonlyArray<{ key: string }>, current: string): number {
  if (current === "") return -1;
  for (let i = 0; i < order.length; i++)
    if ((order[i] as { key: string }).key === current) return i;
  return -1;
}

/** The index focus goes to in an order of `length` items from `at` (-1: none) on `key`. */
function step(length: number, at: number, key: string, page: number): number {
  const size = Math.max(1, Math.floor(page) || 1);
  const last = length - 1;
  switch (key) {
    case "down":
      return at < 0 ? 0 : Math.min(last, at + 1);
    case "up":
      return at < 0 ? 0 : Math.max(0, at - 1);
    case "home":
      return 0;
    case "end":
      return last;
    case "pageDown":
      return at < 0 ? Math.min(last, size - 1) : Math.min(last, at + size);
    case "pageUp":
      return at < 0 ? 0 : Math.max(0, at - size);
    default:
      return at < 0 ? 0 : at;
  }
}

/**
 * Where focus goes from `current` (a row key, "" for none) on `key`.
 * `page` is how many items a page holds (at least 1). An unknown current
 * key (its row went away) starts from the top; an unknown navigation key
 * stays put.
 */
export function moveFocus(
  view: NavigableView,
  current: string,
  key: string,
  page: number,
): FocusTarget {
  const order = focusOrder(view.nodes, view.guestsByNode);
  if (order.length === 0) return NONE;
  return target(order[step(order.length, indexOf(order, current), key, page)]);
}

/** Where an item is now (after a refresh or a filter change); NONE when it is not shown. */
export function locateFocus(view: NavigableView, current: string): FocusTarget {
  if (current === "") return NONE;
  const order = focusOrder(view.nodes, view.guestsByNode);
  const at = indexOf(order, current);
  return at < 0 ? NONE : target(order[at]);
}

// ------------------------------------------------- several connections

/** One connection's section as the popup shows it (MultiView.connections[i]). */
export interface SectionInput {
  /** The connection's key (its wallet entry: no spaces). */
  key: string;
  view: NavigableView;
}

export interface PopupFocusTarget extends FocusTarget {
  /**
   * The focus key, unique over the whole popup: with several connections a
   * section's header is its connection's key, a card or row the connection's
   * key, a space and the row key ("tok@pve1:8006 node/pve1"); with one it is
   * the row key alone, as before.
   */
  key: string;
  /** "connection" (a section's header), "node" or "guest"; "" when none. */
  kind: string;
  /** The connection it belongs to; "" with one connection. */
  connectionKey: string;
  /** Its section's index; -1 with one connection or none. */
  connectionIndex: number;
  /** The row key within its connection ("node/pve1"); "" for a header or none. */
  rowKey: string;
}

const NO_POPUP_FOCUS: PopupFocusTarget = Object.freeze({
  key: "",
  nodeIndex: -1,
  rowIndex: -1,
  kind: "",
  connectionKey: "",
  connectionIndex: -1,
  rowKey: "",
});

/** The focus key of a row in a connection's section; of its header when `rowKey` is "". */
export function connectionFocusKey(connectionKey: string, rowKey: string): string {
  return rowKey === "" ? connectionKey : connectionKey + " " + rowKey;
}

interface SectionEntry {
  key: string;
  connectionIndex: number;
  nodeIndex: number;
  rowIndex: number;
  rowKey: string;
}

/**
 * Every section in order: its header, then (open sections only) its node
 * cards and the guest rows of its open nodes. Linear in the rows shown.
 */
function sectionOrder(
  sections: ReadonlyArray<SectionInput>,
  collapsed: ReadonlyArray<string>,
): SectionEntry[] {
  const closed: { [key: string]: boolean } = Object.create(null) as { [key: string]: boolean };
  for (let i = 0; i < collapsed.length; i++) closed[String(collapsed[i])] = true;
  const order: SectionEntry[] = [];
  for (let c = 0; c < sections.length; c++) {
    const section = sections[c] as SectionInput;
    const ck = section.key;
    order.push({ key: ck, connectionIndex: c, nodeIndex: -1, rowIndex: -1, rowKey: "" });
    if (closed[ck] === true) continue;
    const rows = focusOrder(section.view.nodes, section.view.guestsByNode);
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i] as Entry;
      order.push({
        key: connectionFocusKey(ck, e.key),
        connectionIndex: c,
        nodeIndex: e.nodeIndex,
        rowIndex: e.rowIndex,
        rowKey: e.key,
      });
    }
  }
  return order;
}

function sectionTarget(
  e: SectionEntry | undefined,
  sections: ReadonlyArray<SectionInput>,
): PopupFocusTarget {
  if (e === undefined) return NO_POPUP_FOCUS;
  return {
    key: e.key,
    nodeIndex: e.nodeIndex,
    rowIndex: e.rowIndex,
    kind: e.nodeIndex < 0 ? "connection" : e.rowIndex < 0 ? "node" : "guest",
    connectionKey: (sections[e.connectionIndex] as SectionInput).key,
    connectionIndex: e.connectionIndex,
    rowKey: e.rowKey,
  };
}

function single(t: FocusTarget): PopupFocusTarget {
  if (t.key === "") return NO_POPUP_FOCUS;
  return {
    key: t.key,
    nodeIndex: t.nodeIndex,
    rowIndex: t.rowIndex,
    kind: t.kind,
    connectionKey: "",
    connectionIndex: -1,
    rowKey: t.key,
  };
}

/** What the popup shows: one list (`several` false: `view`), or a section per connection. */
export interface PopupLists {
  several: boolean;
  view: NavigableView;
  connections: ReadonlyArray<SectionInput>;
  /** The keys of the closed sections (the collapsedConnections setting). */
  collapsed: ReadonlyArray<string>;
}

/**
 * Where focus goes in the popup from `current` (a focus key, "" for none)
 * on `key`: over the one list as `moveFocus`, or over every section with
 * several connections. An unknown current key starts from the top.
 */
export function movePopupFocus(
  popup: PopupLists,
  current: string,
  key: string,
  page: number,
): PopupFocusTarget {
  if (!popup.several) return single(moveFocus(popup.view, current, key, page));
  const order = sectionOrder(popup.connections, popup.collapsed);
  if (order.length === 0) return NO_POPUP_FOCUS;
  return sectionTarget(
    order[step(order.length, indexOf(order, current), key, page)],
    popup.connections,
  );
}

/** Where a focused item is now (after a refresh, a filter, a section closed); none when not shown. */
export function locatePopupFocus(popup: PopupLists, current: string): PopupFocusTarget {
  if (!popup.several) return single(locateFocus(popup.view, current));
  if (current === "") return NO_POPUP_FOCUS;
  const order = sectionOrder(popup.connections, popup.collapsed);
  const at = indexOf(order, current);
  return at < 0 ? NO_POPUP_FOCUS : sectionTarget(order[at], popup.connections);
}

/**
 * A connection's own part of the popup's focus, for its node cards: the
 * focused card or row when it is in this connection (`view` as its section
 * draws it), none otherwise (a header, another connection, nothing).
 */
export function focusInConnection(
  popupFocusKey: string,
  connectionKey: string,
  view: NavigableView,
): FocusTarget {
  const prefix = connectionFocusKey(connectionKey, "") + " ";
  if (popupFocusKey.length <= prefix.length || popupFocusKey.slice(0, prefix.length) !== prefix)
    return NONE;
  return locateFocus(view, popupFocusKey.slice(prefix.length));
}

/** What a key does on the focused item: "toggleConnection", "toggleNode", "guestMenu" or "". */
export type FocusAction = "toggleConnection" | "toggleNode" | "guestMenu" | "";

/**
 * `pressed` is "enter" or "space". Enter opens or closes a section or a
 * node and asks for a guest row's menu; Space toggles a section's header
 * only (elsewhere it stays what it was before: unused).
 */
export function focusAction(kind: string, pressed: string): FocusAction {
  if (kind === "connection")
    return pressed === "enter" || pressed === "space" ? "toggleConnection" : "";
  if (pressed !== "enter") return "";
  if (kind === "node") return "toggleNode";
  if (kind === "guest") return "guestMenu";
  return "";
}
