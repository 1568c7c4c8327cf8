// The session's part of the popup's search and views: the search text (not
// remembered), the view from the settings (popupView), the problem list
// kept from snapshot to snapshot, the filtered lists and their texts.
// Logic lives in src/view/guest-filter.ts and guest-problems.ts; this file
// only holds the per-widget state and chooses the words.

import type { Snapshot } from "../model/types";
import { createAnonymiser } from "../view/anonymise";
import { createGuestFilter, needsAllRows, popupViewOf, type PopupView } from "../view/guest-filter";
import {
  aliasNodes,
  createProblemTracker,
  type GuestProblems,
  type ProblemSource,
} from "../view/guest-problems";
import type { GuestRow, NodeRow, ViewModel } from "../view/view-model";
import type { Tr } from "./texts";

/** What WidgetView gains for the search, the views and the density. */
export interface PopupFilterView {
  /** "all", "running" or "problems". */
  popupView: string;
  searchText: string;
  /** A search is typed or the view is not "All": some rows may be left out. */
  filtering: boolean;
  /** "12 of 480 guests" while filtering, else "". */
  filterCountText: string;
  /** Why the list is empty while filtering ("No guest matches …"), else "". */
  filterEmptyText: string;
  /** The search's entries the matcher cannot use, for the field's tooltip; "" for none. */
  searchProblems: string;
  /** Guests and nodes in the Problems view. */
  problemCount: number;
  /** "3 problems" for the tooltip and the Problems button; "" for none. */
  problemsText: string;
  /** The view switch's buttons, in order, with their texts ("Problems (3)"). */
  viewChoices: Array<{ value: string; text: string }>;
  /** Compact rows (Settings → Appearance). */
  compact: boolean;
  nodes: NodeRow[];
  guestsByNode: { [node: string]: GuestRow[] };
}

export interface PopupFilterInput {
  popupView?: string;
  rowDensity?: string;
  anonymise: boolean;
  /** The monitor's (real) snapshot; null when there is none. */
  snapshot: Snapshot | null;
}

export interface PopupFilter {
  /** False when the text did not change. */
  setSearch(text: string): boolean;
  needsAllRows(popupView: string | undefined): boolean;
  /** Other readers' findings (failed backups, failed tasks) join the Problems view. */
  addProblemSource(source: ProblemSource): void;
  view(input: PopupFilterInput, mv: ViewModel | null): PopupFilterView;
}

export function createPopupFilter(t: Tr): PopupFilter {
  const tracker = createProblemTracker();
  const filter = createGuestFilter(t.tr);
  const sources: ProblemSource[] = [];
  let search = "";
  let aliased: { from: GuestProblems; snapshot: Snapshot | null; value: GuestProblems } | null =
    null;

  // Kept while the count stays, so the buttons are not re-created every second.
  let choices: { count: number; value: Array<{ value: string; text: string }> } | null = null;
  function choicesFor(count: number): Array<{ value: string; text: string }> {
    if (choices !== null && choices.count === count) return choices.value;
    const value = [
      { value: "all", text: t.trc("popup view", "All") },
      { value: "running", text: t.trc("popup view", "Running") },
      {
        value: "problems",
        text:
          count > 0
            ? t.trc("popup view, with the number of problems", "Problems (%1)", count)
            : t.trc("popup view", "Problems"),
      },
    ];
    choices = { count, value };
    return value;
  }

  function shownProblems(problems: GuestProblems, input: PopupFilterInput): GuestProblems {
    if (!input.anonymise || input.snapshot === null) return problems;
    if (aliased !== null && aliased.from === problems && aliased.snapshot === input.snapshot)
      return aliased.value;
    const anonymiser = createAnonymiser(input.snapshot);
    const value = aliasNodes(problems, (name) => anonymiser.node(name));
    aliased = { from: problems, snapshot: input.snapshot, value };
    return value;
  }

  return {
    setSearch(text: string): boolean {
      const next = typeof text === "string" ? text : "";
      if (next === search) return false;
      search = next;
      return true;
    },
    needsAllRows(popupView: string | undefined): boolean {
      return needsAllRows(popupViewOf(popupView), search);
    },
    addProblemSource(source: ProblemSource): void {
      sources.push(source);
    },
    view(input: PopupFilterInput, mv: ViewModel | null): PopupFilterView {
      const tr = t.tr;
      const view: PopupView = popupViewOf(input.popupView);
      const problems = tracker.update(input.snapshot, sources);
      const count = input.snapshot !== null ? problems.guestCount + problems.nodeCount : 0;
      const result = filter.apply({
        view,
        search,
        nodes: mv ? mv.nodes : [],
        guestsByNode: mv ? mv.guestsByNode : {},
        problems: shownProblems(problems, input),
      });
      const searching = search.trim() !== "";
      let emptyText = "";
      if (result.filtering && result.nodes.length === 0 && mv !== null && mv.phase === "ok") {
        if (searching && result.searchProblems !== "" && result.total >= 0)
          emptyText = result.searchProblems;
        else if (searching) emptyText = tr("No guest matches “%1”", search.trim());
        else if (view === "problems") emptyText = tr("No problems: every guest is as expected");
        else emptyText = tr("No guest is running");
      }
      return {
        popupView: view,
        searchText: search,
        filtering: result.filtering,
        filterCountText:
          result.filtering && result.total >= 0
            ? tr("%1 of %2 guests", result.shown, result.total)
            : "",
        filterEmptyText: emptyText,
        searchProblems: result.searchProblems,
        problemCount: count,
        problemsText:
          count > 0 ? t.trc("in the tooltip and the Problems button", "Problems: %1", count) : "",
        viewChoices: choicesFor(count),
        compact: input.rowDensity === "compact",
        nodes: result.nodes,
        guestsByNode: result.guestsByNode,
      };
    },
  };
}
