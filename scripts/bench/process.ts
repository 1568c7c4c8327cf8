// What one refresh costs once its bytes have arrived, in the order the
// widget does it: parse, decode, assemble, track changes, build the view
// model, and compute the list-model updates against the previous view.
// Bundled for both Node and V4 so both engines run the same code.
//
// Two view shapes are measured: every node expanded (the most the popup
// ever has to update) and one node expanded with guest rows built only for
// expanded nodes (what the widget typically does: collapsed cards show
// counts only and sync their guest list against an empty one).

import { decodeResources } from "../../src/model/decode-resources";
import { assembleSnapshot } from "../../src/model/snapshot";
import type { Snapshot } from "../../src/model/types";
import { createChangeTracker } from "../../src/notify/diff";
import {
  buildViewModel,
  createRowCache,
  type GuestRow,
  type RowCache,
  type ViewModel,
} from "../../src/view/view-model";
import { syncOps } from "../../src/view/list-sync";
import { createSortKeyCache, type SortKeyCache } from "../../src/view/sort";

export type Expansion = "all" | "one";

export interface RefreshProcessor {
  /** Returns the number of list operations the view would apply. */
  run(body: string, now: number): number;
  /** Decode only (parse + decode + assemble), for the stage breakdown. */
  decode(body: string): number;
}

/** Each call runs one stage once, alternating between the two bodies' data. */
export interface StageBench {
  tracker(): number;
  viewModel(): number;
  sync(): number;
}

function decode(body: string): Snapshot {
  const parsed = JSON.parse(body) as { data?: unknown };
  const resources = decodeResources(parsed.data);
  if (resources === null) throw new Error("bad body");
  return assembleSnapshot({ resources });
}

function view(
  snapshot: Snapshot,
  now: number,
  expansion: Expansion,
  sortKeys: SortKeyCache,
  rowCache: RowCache,
): ViewModel {
  const expandedNodes: string[] = [];
  const count = expansion === "all" ? snapshot.nodes.length : Math.min(1, snapshot.nodes.length);
  for (let i = 0; i < count; i++) expandedNodes.push((snapshot.nodes[i] as { name: string }).name);
  return buildViewModel({
    snapshot,
    refresh: { refreshing: false, lastSuccessAt: now, error: null, stale: false },
    now,
    sortBy: "status",
    anonymise: false,
    expandedNodes,
    guestRowsFor: expansion === "all" ? "all" : "expanded",
    // Kept across refreshes, as the monitor keeps one per widget.
    sortKeys,
    rowCache,
  });
}

function syncView(previous: ViewModel | null, next: ViewModel): number {
  let ops = syncOps(previous ? previous.nodes : [], next.nodes).length;
  for (const name in next.guestsByNode) {
    const before: GuestRow[] = previous ? previous.guestsByNode[name] || [] : [];
    ops += syncOps(before, next.guestsByNode[name] || []).length;
  }
  return ops;
}

export function createRefreshProcessor(expansion: Expansion = "all"): RefreshProcessor {
  const tracker = createChangeTracker();
  const sortKeys = createSortKeyCache();
  const rowCache = createRowCache();
  let previous: ViewModel | null = null;
  return {
    run(body: string, now: number): number {
      const snapshot = decode(body);
      tracker.update(snapshot);
      const next = view(snapshot, now, expansion, sortKeys, rowCache);
      const ops = syncView(previous, next);
      previous = next;
      return ops;
    },
    decode(body: string): number {
      return decode(body).guests.length;
    },
  };
}

export function createStageBench(bodies: string[], expansion: Expansion): StageBench {
  const snapshots = bodies.map(decode);
  const sortKeys = createSortKeyCache();
  const rowCache = createRowCache();
  const views = snapshots.map((s, i) => view(s, i * 30_000, expansion, sortKeys, rowCache));
  const tracker = createChangeTracker();
  tracker.update(snapshots[0] as Snapshot);
  let trackerTick = 1;
  let viewTick = 0;
  let syncTick = 0;
  return {
    tracker(): number {
      const snapshot = snapshots[trackerTick++ % snapshots.length] as Snapshot;
      return tracker.update(snapshot).length;
    },
    viewModel(): number {
      const i = viewTick++ % snapshots.length;
      return view(snapshots[i] as Snapshot, i * 30_000, expansion, sortKeys, rowCache).nodes.length;
    },
    sync(): number {
      const i = syncTick++;
      const from = views[i % views.length] as ViewModel;
      const to = views[(i + 1) % views.length] as ViewModel;
      return syncView(from, to);
    },
  };
}
