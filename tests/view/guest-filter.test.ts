// The popup's search and views over the view model's rows (issue 15):
// the notification filter's syntax from the same matcher, the three views,
// nodes without matches hidden, counts, and the incremental reuse that
// keeps list sync (and QML delegates) quiet while nothing changes.
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/model/types";
import { parseFilter, matchesFilter, SEARCH_SYNTAX } from "../../src/notify/filter";
import { syncOps } from "../../src/view/list-sync";
import {
  createGuestFilter,
  needsAllRows,
  popupViewOf,
  subjectOf,
  type GuestFilterInput,
  type PopupView,
} from "../../src/view/guest-filter";
import { createProblemTracker, emptyProblems } from "../../src/view/guest-problems";
import { buildViewModel, createRowCache, type RowCache } from "../../src/view/view-model";
import { guest, node, snapshot } from "./sample";

function viewOf(s: Snapshot, cache: RowCache = createRowCache(), expanded: string[] = []) {
  return buildViewModel({
    snapshot: s,
    refresh: { refreshing: false, lastSuccessAt: 0, error: null, stale: false },
    now: 0,
    sortBy: "id",
    anonymise: false,
    expandedNodes: expanded,
    guestRowsFor: "all",
    rowCache: cache,
  });
}

function cluster(): Snapshot {
  return snapshot({
    guests: [
      guest(101, { name: "web-01", tags: ["prod", "web"], pool: "lab" }),
      guest(102, { name: "web-02", type: "lxc", status: "stopped" }),
      guest(110, { name: "db-main", node: "pve2", tags: ["prod"] }),
      guest(150, { name: "mail", node: "pve2", status: "paused" }),
      guest(201, { name: "backup-box", node: "pve2", lock: "backup" }),
      guest(9000, { name: "debian-template", template: true, status: "stopped" }),
      guest(104, { name: "ghost", node: "pve3", status: "unknown" }),
    ],
  });
}

function apply(view: PopupView, search: string, s: Snapshot = cluster()) {
  const vm = viewOf(s);
  const tracker = createProblemTracker();
  const input: GuestFilterInput = {
    view,
    search,
    nodes: vm.nodes,
    guestsByNode: vm.guestsByNode,
    problems: tracker.update(s),
  };
  return { vm, result: createGuestFilter().apply(input) };
}

function shownKeys(r: ReturnType<typeof apply>["result"]): string[] {
  const out: string[] = [];
  for (const n of r.nodes) {
    out.push(n.key);
    for (const g of r.guestsByNode[n.name] ?? []) out.push(g.key);
  }
  return out;
}

describe("search (the notification filter's syntax)", () => {
  it("the search reuses parseFilter/matchesFilter: a row is only turned into a subject", () => {
    const vm = viewOf(cluster());
    const row = vm.guestsByNode.pve1!.find((g) => g.vmid === 101)!;
    expect(subjectOf(row)).toEqual({
      vmid: 101,
      name: "web-01",
      node: "pve1",
      tags: ["prod", "web"],
      pool: "lab",
    });
    expect(matchesFilter(subjectOf(row), parseFilter("tag:prod", undefined, SEARCH_SYNTAX))).toBe(
      true,
    );
  });

  it("a plain word is part of the name, case-insensitively", () => {
    const { result } = apply("all", "WEB");
    expect(shownKeys(result)).toEqual(["node/pve1", "qemu/101", "lxc/102"]);
    expect([result.shown, result.total]).toEqual([2, 7]);
  });

  it("wildcards as in the notification filter: web-*, ?", () => {
    expect(shownKeys(apply("all", "web-*").result)).toEqual(["node/pve1", "qemu/101", "lxc/102"]);
    expect(shownKeys(apply("all", "web-0?").result)).toEqual(["node/pve1", "qemu/101", "lxc/102"]);
    expect(shownKeys(apply("all", "*main").result)).toEqual(["node/pve2", "qemu/110"]);
  });

  it("VMIDs: a start of the id, and inclusive ranges", () => {
    expect(shownKeys(apply("all", "15").result)).toEqual(["node/pve2", "qemu/150"]);
    expect(shownKeys(apply("all", "100-110").result)).toEqual([
      "node/pve1",
      "qemu/101",
      "lxc/102",
      "node/pve2",
      "qemu/110",
      "node/pve3",
      "qemu/104",
    ]);
  });

  it("tag:, node:, pool: and several entries separated by commas", () => {
    expect(shownKeys(apply("all", "tag:prod").result)).toEqual([
      "node/pve1",
      "qemu/101",
      "node/pve2",
      "qemu/110",
    ]);
    expect(shownKeys(apply("all", "node:pve3").result)).toEqual(["node/pve3", "qemu/104"]);
    expect(shownKeys(apply("all", "pool:la").result)).toEqual(["node/pve1", "qemu/101"]);
    expect(shownKeys(apply("all", "mail, ghost").result)).toEqual([
      "node/pve2",
      "qemu/150",
      "node/pve3",
      "qemu/104",
    ]);
  });

  it("nodes without a match are hidden; nodes with one show open", () => {
    const { vm, result } = apply("all", "db");
    expect(vm.nodes.find((n) => n.name === "pve2")!.expanded).toBe(false);
    expect(result.nodes.map((n) => [n.name, n.expanded])).toEqual([["pve2", true]]);
  });

  it("an unusable entry matches nothing and says why", () => {
    const { result } = apply("all", "foo:bar");
    expect(result.nodes).toEqual([]);
    expect(result.searchProblems).toContain('Unknown prefix "foo:"');
    expect(result.searchProblems).toContain("pool:");
  });

  it("the notification filter keeps its own syntax: storage:, exact names", () => {
    const notify = parseFilter("web, pool:lab");
    expect(notify.patterns.map((p) => p.kind)).toEqual(["name"]);
    expect(notify.problems[0]!.message).toContain("storage:");
    expect(matchesFilter({ name: "web-01" }, notify)).toBe(false);
    expect(matchesFilter({ name: "web" }, notify)).toBe(true);
  });

  it("hostile input stays linear: 500 stars against a 1000-guest view", () => {
    const guests = [];
    for (let i = 0; i < 1000; i++) guests.push(guest(1000 + i, { name: "a".repeat(200) }));
    const s = snapshot({ nodes: [node("pve1")], guests });
    const t0 = Date.now();
    const { result } = apply("all", "*a".repeat(120) + "b", s);
    expect(result.nodes).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe("views", () => {
  it("All without search passes the lists through untouched", () => {
    const { vm, result } = apply("all", "");
    expect(result.filtering).toBe(false);
    expect(result.nodes).toBe(vm.nodes);
    expect(result.guestsByNode).toBe(vm.guestsByNode);
    expect(needsAllRows("all", "  ")).toBe(false);
    expect(needsAllRows("all", "x")).toBe(true);
    expect(needsAllRows("problems", "")).toBe(true);
    expect(needsAllRows("running", "")).toBe(false);
  });

  it("Running: running guests of nodes that have one, keeping the user's expansion", () => {
    const s = cluster();
    const vm = viewOf(s, createRowCache(), ["pve1"]);
    const r = createGuestFilter().apply({
      view: "running",
      search: "",
      nodes: vm.nodes,
      guestsByNode: { ...vm.guestsByNode, pve2: [] },
      problems: emptyProblems(),
    });
    expect(r.nodes.map((n) => [n.name, n.expanded])).toEqual([
      ["pve1", true],
      ["pve2", false],
    ]);
    expect(r.guestsByNode.pve1!.map((g) => g.key)).toEqual(["qemu/101"]);
    // pve1: 1 of its 3 rows; pve2 and pve3 collapsed: their node counts (2 of 3, 0 of 1).
    expect([r.shown, r.total]).toEqual([3, 7]);
  });

  it("Problems: paused, io-error, unknown, locked, offline nodes; not templates", () => {
    const { result } = apply("problems", "");
    expect(shownKeys(result)).toEqual([
      "node/pve2",
      "qemu/150",
      "qemu/201",
      "node/pve3",
      "qemu/104",
    ]);
  });

  it("Problems: guests of an offline node show under it, counted once with the node", () => {
    const s = cluster();
    const frozen = {
      ...s,
      guests: s.guests.concat([guest(105, { name: "frozen", node: "pve3", status: "running" })]),
    };
    const p = createProblemTracker().update(frozen);
    expect(p.guests["qemu/105"]).toBe("node-offline");
    expect([p.guestCount, p.nodeCount]).toEqual([3, 1]);
  });

  it("Problems: a guest stopped after running is one; one that was always stopped is not", () => {
    const tracker = createProblemTracker();
    const s1 = cluster();
    tracker.update(s1);
    const s2 = {
      ...s1,
      guests: s1.guests.map((g) => (g.vmid === 101 ? { ...g, status: "stopped" } : g)),
    };
    const p2 = tracker.update(s2);
    expect(p2.guests["qemu/101"]).toBe("stopped");
    expect(p2.guests["lxc/102"]).toBeUndefined();
    // Still a problem on the next refresh; gone once it runs again.
    const s3 = { ...s2, guests: s2.guests.slice() };
    expect(tracker.update(s3).guests["qemu/101"]).toBe("stopped");
    expect(tracker.update(s1).guests["qemu/101"]).toBeUndefined();
    expect(tracker.current().generation).toBeGreaterThan(p2.generation);
  });

  it("counts guests and nodes; other sources (failed backups) join in", () => {
    const tracker = createProblemTracker();
    const p = tracker.update(cluster());
    expect([p.guestCount, p.nodeCount]).toEqual([3, 1]);
    const q = tracker.update(cluster(), [
      () => ({ guests: [{ key: "qemu/110", reason: "backup-failed" }], nodes: [] }),
      () => {
        throw new Error("a broken source is skipped");
      },
    ]);
    expect(q.guests["qemu/110"]).toBe("backup-failed");
    expect(q.guestCount).toBe(4);
  });

  it("Problems with a search: both must hold", () => {
    expect(shownKeys(apply("problems", "mail").result)).toEqual(["node/pve2", "qemu/150"]);
  });

  it("an unknown configured view is All", () => {
    expect(popupViewOf("problems")).toBe("problems");
    expect(popupViewOf("bogus")).toBe("all");
    expect(popupViewOf(undefined)).toBe("all");
  });
});

describe("incremental", () => {
  it("same rows and same filter: the same output arrays and node rows, no list ops", () => {
    const cache = createRowCache();
    const s = cluster();
    const filter = createGuestFilter();
    const problems = createProblemTracker().update(s);
    const run = (search: string, snap: Snapshot) => {
      const vm = viewOf(snap, cache);
      return filter.apply({
        view: "all",
        search,
        nodes: vm.nodes,
        guestsByNode: vm.guestsByNode,
        problems,
      });
    };
    const a = run("web", s);
    // A refresh with only metrics changed elsewhere keeps pve1's rows.
    const s2 = {
      ...s,
      guests: s.guests.map((g) => (g.node === "pve2" ? { ...g, cpu: 0.5 } : g)),
    };
    const b = run("web", s2);
    expect(b.guestsByNode.pve1).toBe(a.guestsByNode.pve1);
    expect(syncOps(a.nodes, b.nodes)).toEqual([]);
    // Typing on: "web-0" keeps the same two rows, so the same array.
    const c = run("web-0", s2);
    expect(c.guestsByNode.pve1).toBe(a.guestsByNode.pve1);
    // Narrowing to one row: one removal, the kept row is not touched.
    const d = run("web-01", s2);
    const ops = syncOps(c.guestsByNode.pve1!, d.guestsByNode.pve1!);
    expect(ops).toEqual([{ op: "remove", index: 1, count: 1 }]);
  });
});
