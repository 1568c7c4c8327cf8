// `npm run bench`, search section (issue 15): what one keystroke in the
// popup's search costs the core for a cluster of N guests — the filter
// (src/widget/popup-filter.ts over src/view/guest-filter.ts, the same call
// the session makes) and the list-sync ops for the node list and every shown
// node's guest list (what WidgetFacade.qml and NodeCard.qml apply). Bundled
// for Node and for V4, so both engines run the same code.

import type { GuestInfo, NodeInfo, Snapshot } from "../../src/model/types";
import { syncOps } from "../../src/view/list-sync";
import {
  buildViewModel,
  createRowCache,
  type GuestRow,
  type NodeRow,
  type ViewModel,
} from "../../src/view/view-model";
import { createSortKeyCache } from "../../src/view/sort";
import { createPopupFilter, type PopupFilterView } from "../../src/widget/popup-filter";
import { plainContextTranslator } from "../../src/widget/texts";
import { plainTranslator } from "../../src/notify/message";

const WORDS = [
  "web",
  "db",
  "cache",
  "mail",
  "git",
  "ci",
  "proxy",
  "dns",
  "vpn",
  "log",
  "k8s",
  "nas",
];
const TAGS = ["prod", "dev", "staging", "backup", "dmz"];

/** A cluster of `guests` guests on ⌈guests/100⌉ nodes, names like "web-017". */
export function makeSnapshot(guests: number): Snapshot {
  const nodeCount = Math.max(1, Math.ceil(guests / 100));
  const nodes: NodeInfo[] = [];
  for (let n = 0; n < nodeCount; n++)
    nodes.push({
      name: "pve" + (n + 1),
      status: "online",
      cpu: 0.3,
      maxcpu: 32,
      mem: 64e9,
      maxmem: 256e9,
      disk: 1e11,
      maxdisk: 1e12,
      uptime: 864000,
      hastate: null,
    });
  const list: GuestInfo[] = [];
  for (let i = 0; i < guests; i++) {
    const word = WORDS[i % WORDS.length] as string;
    const number = String(Math.floor(i / WORDS.length) + 1);
    list.push({
      vmid: 100 + i,
      type: i % 3 === 0 ? "lxc" : "qemu",
      name: word + "-" + ("00" + number).slice(-3),
      node: "pve" + ((i % nodeCount) + 1),
      status: i % 7 === 0 ? "stopped" : "running",
      template: false,
      cpu: 0.05,
      maxcpu: 4,
      mem: 2e9,
      maxmem: 4e9,
      disk: 1e10,
      maxdisk: 3e10,
      uptime: 3600 + i,
      tags: [TAGS[i % TAGS.length] as string],
      pool: i % 4 === 0 ? "lab" : null,
      lock: null,
      hastate: null,
    });
  }
  return {
    cluster: { name: "bench", quorate: true, version: "8.4.1" },
    nodes,
    guests: list,
    storage: [],
  };
}

/** The view model as the monitor builds it while the popup searches: rows for every node. */
function viewOf(snapshot: Snapshot): ViewModel {
  return buildViewModel({
    snapshot,
    refresh: { refreshing: false, lastSuccessAt: 0, error: null, stale: false },
    now: 0,
    sortBy: "status",
    anonymise: false,
    expandedNodes: [],
    guestRowsFor: "all",
    sortKeys: createSortKeyCache(),
    rowCache: createRowCache(),
    tr: plainTranslator,
  });
}

/** What typing "web-01", then deleting it again, sends: one text per keystroke. */
export const KEYSTROKES: ReadonlyArray<string> = Object.freeze([
  "w",
  "we",
  "web",
  "web-",
  "web-0",
  "web-01",
  "web-0",
  "web-",
  "web",
  "we",
  "w",
  "",
]);

export interface SearchBench {
  guests: number;
  /** Runs the next keystroke of KEYSTROKES (round and round); returns the list ops applied. */
  keystroke(): number;
  /** The filter only, for the breakdown. */
  filterOnly(): number;
}

function syncAll(before: PopupFilterView | null, after: PopupFilterView): number {
  let ops = syncOps(before ? before.nodes : [], after.nodes).length;
  for (let i = 0; i < after.nodes.length; i++) {
    const node = after.nodes[i] as NodeRow;
    if (!node.expanded) continue;
    const old: GuestRow[] = before ? before.guestsByNode[node.name] || [] : [];
    ops += syncOps(old, after.guestsByNode[node.name] || []).length;
  }
  return ops;
}

export function createSearchBench(guests: number): SearchBench {
  const snapshot = makeSnapshot(guests);
  const mv = viewOf(snapshot);
  const popup = createPopupFilter({ tr: plainTranslator, trc: plainContextTranslator });
  const input = { popupView: "all", rowDensity: "normal", anonymise: false, snapshot };
  let shown: PopupFilterView = popup.view(input, mv);
  let at = 0;
  const filterOnly = createPopupFilter({ tr: plainTranslator, trc: plainContextTranslator });
  let filterAt = 0;
  return {
    guests,
    keystroke(): number {
      popup.setSearch(KEYSTROKES[at++ % KEYSTROKES.length] as string);
      const next = popup.view(input, mv);
      const ops = syncAll(shown, next);
      shown = next;
      return ops;
    },
    filterOnly(): number {
      filterOnly.setSearch(KEYSTROKES[filterAt++ % KEYSTROKES.length] as string);
      return filterOnly.view(input, mv).nodes.length;
    },
  };
}
