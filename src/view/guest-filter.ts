// The popup's views ("All", "Running", "Problems") and its search, applied
// to the rows the view model built: which nodes show, which of their guests,
// and "12 of 480 guests". Pure functions plus one per-widget cache object
// (createGuestFilter), never module state.
//
// The search is the notification filter's syntax and matcher
// (src/notify/filter.ts, parseFilter + matchesFilter with SEARCH_SYNTAX):
// `web-*`, `100-199`, `tag:prod`, `node:pve2`, `pool:lab`, entries
// separated by commas (any one matching is enough). There is no second
// implementation here: a row is turned into the matcher's subject and asked.
//
// Decisions:
// - "All" without search passes the view model's lists through untouched
//   (same arrays), so the popup pays nothing for the feature when unused.
// - "Running" shows the running guests of the nodes that have one; the
//   nodes keep the user's expanded/collapsed state.
// - A search, and the "Problems" view, narrow the list: only nodes with a
//   matching guest show (for Problems also offline nodes), and they show
//   open, since a match hidden in a collapsed card would not be found.
//   Guest rows for every node are needed then (needsAllRows).
// - A search with no usable entry (only problems, e.g. "foo:bar") matches
//   nothing, and the problems are given for the field's tooltip.
// - Incremental: per node the last input array, the filter's key and the
//   result are kept; a refresh whose rows kept their identity (the row cache
//   of view-model.ts) and a filter that did not change cost one comparison
//   per node, and a node whose matches are the same rows as before keeps its
//   output array, so list sync sees "no change" without comparing rows. Per
//   keystroke every row is matched once (linear, each match bounded by the
//   matcher's caps).

import {
  matchesFilter,
  parseFilter,
  SEARCH_SYNTAX,
  type CompiledFilter,
  type FilterSubject,
} from "../notify/filter";
import { plainTranslator, type Translator } from "../notify/message";
import type { GuestRow, NodeRow } from "./view-model";
import type { GuestProblems } from "./guest-problems";

export type PopupView = "all" | "running" | "problems";

export const POPUP_VIEWS: ReadonlyArray<PopupView> = Object.freeze([
  "all",
  "running",
  "problems",
] as PopupView[]);

/** The configured view, or "all" for anything unknown. */
export function popupViewOf(value: unknown): PopupView {
  return POPUP_VIEWS.indexOf(value as PopupView) >= 0 ? (value as PopupView) : "all";
}

/** The longest search text looked at; longer input is cut (the matcher caps entries anyway). */
export const MAX_SEARCH_LENGTH = 512;

export interface GuestFilterInput {
  view: PopupView;
  search: string;
  nodes: ReadonlyArray<NodeRow>;
  guestsByNode: { [node: string]: GuestRow[] };
  problems: GuestProblems;
}

export interface FilteredView {
  nodes: NodeRow[];
  guestsByNode: { [node: string]: GuestRow[] };
  /** True when anything is left out (a search, or a view other than "All"). */
  filtering: boolean;
  /** Guests shown / considered (templates count as guests here); -1 when not filtering. */
  shown: number;
  total: number;
  /** The search's entries the matcher could not use, translated; "" for none. */
  searchProblems: string;
}

/** True when the filter needs guest rows of collapsed nodes too. */
export function needsAllRows(view: PopupView, search: string): boolean {
  return view === "problems" || search.trim() !== "";
}

function tagsOf(row: GuestRow): string[] {
  return row.tags === "" ? [] : row.tags.split(";");
}

/** The matcher's subject for one row: what the row shows. */
export function subjectOf(row: GuestRow): FilterSubject {
  return { vmid: row.vmid, name: row.name, node: row.node, tags: tagsOf(row), pool: row.pool };
}

interface NodeMemo {
  input: GuestRow[];
  filterKey: string;
  output: GuestRow[];
  node: NodeRow;
  shownNode: NodeRow;
}

export interface GuestFilter {
  apply(input: GuestFilterInput): FilteredView;
}

function openCopy(node: NodeRow): NodeRow {
  const copy = {} as { [key: string]: unknown };
  const from = node as unknown as { [key: string]: unknown };
  for (const k in from) copy[k] = from[k];
  copy.expanded = true;
  return copy as unknown as NodeRow;
}

function sameRows(a: ReadonlyArray<GuestRow>, b: ReadonlyArray<GuestRow>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One widget's filter with its caches (per widget: plasmashell shares one engine). */
export function createGuestFilter(tr: Translator = plainTranslator): GuestFilter {
  let compiledText: string | null = null;
  let compiled: CompiledFilter = { patterns: [], problems: [] };
  let memo: { [node: string]: NodeMemo | undefined } = Object.create(null);

  function compile(text: string): CompiledFilter {
    if (text !== compiledText) {
      compiledText = text;
      compiled = parseFilter(text, tr, SEARCH_SYNTAX);
    }
    return compiled;
  }

  return {
    apply(input: GuestFilterInput): FilteredView {
      const search =
        input.search.length > MAX_SEARCH_LENGTH
          ? input.search.slice(0, MAX_SEARCH_LENGTH)
          : input.search;
      const searching = search.trim() !== "";
      const view = input.view;
      if (!searching && view === "all") {
        memo = Object.create(null);
        return {
          nodes: input.nodes as NodeRow[],
          guestsByNode: input.guestsByNode,
          filtering: false,
          shown: -1,
          total: -1,
          searchProblems: "",
        };
      }
      const filter = searching ? compile(search) : null;
      const problems = input.problems;
      const narrowing = searching || view === "problems";
      const filterKey =
        view +
        "\u0000" +
        (searching ? search : "") +
        "\u0000" +
        (view === "problems" ? problems.generation : "");
      const next: { [node: string]: NodeMemo | undefined } = Object.create(null);
      const nodes: NodeRow[] = [];
      const guestsByNode: { [node: string]: GuestRow[] } = {};
      let shown = 0;
      let total = 0;
      for (let n = 0; n < input.nodes.length; n++) {
        const node = input.nodes[n] as NodeRow;
        const rows = input.guestsByNode[node.name] || [];
        const before = memo[node.name];
        let output: GuestRow[];
        if (before !== undefined && before.input === rows && before.filterKey === filterKey) {
          output = before.output;
        } else {
          const kept: GuestRow[] = [];
          for (let i = 0; i < rows.length; i++) {
            const row = rows[i] as GuestRow;
            if (view === "running" && !row.running) continue;
            if (view === "problems" && problems.guests[row.key] === undefined) continue;
            if (filter !== null && !matchesFilter(subjectOf(row), filter)) continue;
            kept.push(row);
          }
          output = before !== undefined && sameRows(before.output, kept) ? before.output : kept;
        }
        // Counts: rows considered. Collapsed nodes in "Running" have no rows;
        // their node row's counts stand in.
        const collapsedRunning = !narrowing && rows.length === 0 && !node.expanded;
        total += collapsedRunning ? node.guestsTotal + node.templates : rows.length;
        shown += collapsedRunning ? node.guestsRunning : output.length;
        const nodeProblem = view === "problems" && !searching && problems.nodes[node.name] === true;
        const visible = narrowing
          ? output.length > 0 || nodeProblem
          : node.guestsRunning > 0 || output.length > 0;
        let shownNode = node;
        if (visible && narrowing && !node.expanded) {
          shownNode =
            before !== undefined && before.node === node ? before.shownNode : openCopy(node);
        }
        next[node.name] = { input: rows, filterKey, output, node, shownNode };
        if (!visible) continue;
        nodes.push(shownNode);
        guestsByNode[node.name] = output;
      }
      memo = next;
      const issues = filter !== null ? filter.problems : [];
      let searchProblems = "";
      for (let i = 0; i < issues.length; i++)
        searchProblems += (i > 0 ? "\n" : "") + (issues[i] as { message: string }).message;
      return { nodes, guestsByNode, filtering: true, shown, total, searchProblems };
    },
  };
}
