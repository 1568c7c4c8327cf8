// What one refresh costs once its bytes have arrived, in the order the
// widget does it: parse, decode, assemble, track changes, build the view
// model, and compute the list-model updates against the previous view.
// Bundled for both Node and V4 so both engines run the same code.

import { decodeResources } from "../../src/model/decode-resources";
import { assembleSnapshot } from "../../src/model/snapshot";
import { createChangeTracker } from "../../src/notify/diff";
import { buildViewModel, type GuestRow, type ViewModel } from "../../src/view/view-model";
import { syncOps } from "../../src/view/list-sync";

export interface RefreshProcessor {
  /** Returns the number of list operations the view would apply. */
  run(body: string, now: number): number;
  /** Decode only (parse + decode + assemble), for the stage breakdown. */
  decode(body: string): number;
}

export function createRefreshProcessor(): RefreshProcessor {
  const tracker = createChangeTracker();
  let previous: ViewModel | null = null;

  function decode(body: string) {
    const parsed = JSON.parse(body) as { data?: unknown };
    const resources = decodeResources(parsed.data);
    if (resources === null) throw new Error("bad body");
    return assembleSnapshot({ resources });
  }

  return {
    run(body: string, now: number): number {
      const snapshot = decode(body);
      tracker.update(snapshot);
      const view = buildViewModel({
        snapshot,
        refresh: { refreshing: false, lastSuccessAt: now, error: null, stale: false },
        now,
        sortBy: "status",
        anonymise: false,
        // Every node expanded: the most the view ever has to update.
        expandedNodes: snapshot.nodes.map((n) => n.name),
      });
      let ops = syncOps(previous ? previous.nodes : [], view.nodes).length;
      const nodeNames = Object.keys(view.guestsByNode);
      for (let i = 0; i < nodeNames.length; i++) {
        const name = nodeNames[i] as string;
        const before: GuestRow[] = previous ? previous.guestsByNode[name] || [] : [];
        ops += syncOps(before, view.guestsByNode[name] || []).length;
      }
      previous = view;
      return ops;
    },
    decode(body: string): number {
      return decode(body).guests.length;
    },
  };
}
