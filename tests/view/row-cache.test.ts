// The row cache (createRowCache) only ever skips work: every view built
// with it must equal the one built without it, a guest whose values did not
// change keeps its row object, and one whose values changed gets a new row
// that shows the change.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GuestInfo, Snapshot } from "../../src/model/types";
import { syncOps } from "../../src/view/list-sync";
import { createSortKeyCache, type SortBy } from "../../src/view/sort";
import {
  buildViewModel,
  createRowCache,
  type RowCache,
  type ViewModel,
} from "../../src/view/view-model";
import { guest, node, snapshot } from "./sample";

const NOW = 1_700_000_000_000;
const GiB = 1024 ** 3;

function view(
  snap: Snapshot,
  cache?: RowCache,
  sortBy: SortBy = "status",
  guestRowsFor: "all" | "expanded" | "none" = "all",
): ViewModel {
  return buildViewModel({
    snapshot: snap,
    refresh: { refreshing: false, lastSuccessAt: NOW, error: null, stale: false },
    now: NOW,
    sortBy,
    anonymise: false,
    expandedNodes: ["pve1"],
    guestRowsFor,
    rowCache: cache,
    sortKeys: cache ? createSortKeyCache() : undefined,
  });
}

function cluster(guests: GuestInfo[]): Snapshot {
  return snapshot({ nodes: [node("pve1"), node("pve2")], guests });
}

const base = [
  guest(101, { name: "web-1", node: "pve1", status: "running" }),
  guest(102, { name: "db", node: "pve1", status: "running", tags: ["prod", "sql"] }),
  guest(103, { name: "old", node: "pve1", status: "stopped", uptime: null, cpu: 0 }),
  guest(201, { name: "ct", type: "lxc", node: "pve2", status: "running" }),
];

describe("row cache", () => {
  it("keeps the row of an unchanged guest and the array of an unchanged node", () => {
    const cache = createRowCache();
    const first = view(cluster(base), cache);
    // A fresh snapshot with equal values: new objects, same content.
    const second = view(cluster(base.map((g) => ({ ...g, tags: g.tags.slice() }))), cache);
    expect(second.guestsByNode["pve1"]).toBe(first.guestsByNode["pve1"]);
    expect(second.guestsByNode["pve2"]).toBe(first.guestsByNode["pve2"]);
    expect(syncOps(first.guestsByNode["pve1"]!, second.guestsByNode["pve1"]!)).toEqual([]);
  });

  it("shows a changed value in a new row and keeps the others", () => {
    const cache = createRowCache();
    const first = view(cluster(base), cache);
    const changed = base.map((g) => (g.vmid === 101 ? { ...g, cpu: 0.42, mem: 1.5 * GiB } : g));
    const second = view(cluster(changed), cache);
    const before = first.guestsByNode["pve1"]!;
    const after = second.guestsByNode["pve1"]!;
    expect(after).not.toBe(before);
    const web = after.find((r) => r.vmid === 101)!;
    expect(web).not.toBe(before.find((r) => r.vmid === 101));
    expect(web.cpuColumn).toBe("42%");
    expect(web.memColumn).toBe("1.5 GiB / 2 GiB");
    expect(after.find((r) => r.vmid === 102)).toBe(before.find((r) => r.vmid === 102));
    expect(syncOps(before, after)).toEqual([{ op: "set", index: 1, row: web, was: before[1] }]);
  });

  it("keeps the row object while the shown texts stay the same", () => {
    const cache = createRowCache();
    const first = view(cluster(base), cache);
    // CPU 5.01 % still shows "5%"; 512 MiB and 1,000 bytes still "512 MiB".
    const nudged = base.map((g) =>
      g.vmid === 101 ? { ...g, cpu: 0.0501, mem: 512 * 1024 ** 2 + 1000, uptime: 99999 } : g,
    );
    const second = view(cluster(nudged), cache);
    expect(second.guestsByNode["pve1"]).toBe(first.guestsByNode["pve1"]);
    // A reading that shows differently makes a new row, and only then.
    const moved = nudged.map((g) => (g.vmid === 101 ? { ...g, mem: 600 * 1024 ** 2 } : g));
    const third = view(cluster(moved), cache);
    const row = third.guestsByNode["pve1"]!.find((r) => r.vmid === 101)!;
    expect(row.memColumn).toBe("600 MiB / 2 GiB");
    expect(row.cpuColumn).toBe("5%");
    expect(third).toEqual(view(cluster(moved)));
  });

  it("follows a status change into the order and the row", () => {
    const cache = createRowCache();
    view(cluster(base), cache);
    const stopped = base.map((g) =>
      g.vmid === 101 ? { ...g, status: "stopped", uptime: null, cpu: 0 } : g,
    );
    const v = view(cluster(stopped), cache);
    expect(v).toEqual(view(cluster(stopped)));
    expect(v.guestsByNode["pve1"]!.map((r) => r.vmid)).toEqual([102, 103, 101]);
  });

  it("finds a guest's row where the list no longer has it at the same place", () => {
    const cache = createRowCache();
    const first = view(cluster(base), cache);
    // The same guests listed in another order, and one more in front.
    const shifted = [guest(100, { name: "new", node: "pve1" }), ...base.slice().reverse()];
    const second = view(cluster(shifted), cache);
    expect(second).toEqual(view(cluster(shifted)));
    const before = first.guestsByNode["pve1"]!;
    for (const row of second.guestsByNode["pve1"]!)
      if (row.vmid !== 100) expect(row).toBe(before.find((r) => r.vmid === row.vmid));
  });

  it('builds no guest row at all for "none"', () => {
    const v = view(cluster(base), createRowCache(), "status", "none");
    expect(v.guestsByNode).toEqual({ pve1: [], pve2: [] });
    expect(v.nodes.map((n) => n.guestsTotal)).toEqual([3, 1]);
  });

  // Any sequence of refreshes: with the cache, each view equals the view
  // built from scratch, and unchanged guests keep their row objects.
  const step = fc.array(
    fc.record({
      vmid: fc.constantFrom(101, 102, 103, 104, 105, 201, 202),
      change: fc.constantFrom(
        "cpu",
        "cpu-nudge",
        "mem",
        "mem-nudge",
        "mem-null",
        "maxmem",
        "uptime",
        "status",
        "name",
        "tags",
        "node",
        "lock",
        "drop",
      ),
      value: fc.double({ min: 0, max: 1, noNaN: true }),
      seconds: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 3 * 86400 })),
    }),
    { maxLength: 6 },
  );
  it("equals a view built without it, refresh after refresh", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<SortBy>("status", "name", "id"),
        (steps, sortBy) => {
          const cache = createRowCache();
          let guests: GuestInfo[] = [
            ...base,
            guest(104, { name: "web-10", node: "pve1", uptime: 59 }),
            guest(105, { name: "long", node: "pve1", uptime: 86400 + 3500 }),
            guest(202, { name: "ct2", type: "lxc", node: "pve2", uptime: 3599 }),
          ];
          let previous: ViewModel | null = null;
          for (const changes of steps) {
            guests = guests.map((g) => ({ ...g }));
            const touched = new Set<number>();
            for (const c of changes) {
              const i = guests.findIndex((g) => g.vmid === c.vmid);
              if (i < 0) continue;
              touched.add(c.vmid);
              const g = guests[i]!;
              if (c.change === "cpu") g.cpu = c.value;
              else if (c.change === "cpu-nudge") g.cpu = Math.min(1, (g.cpu ?? 0) + c.value / 1000);
              else if (c.change === "mem") g.mem = Math.round(c.value * 2 * GiB);
              else if (c.change === "mem-nudge")
                // Mostly within one shown step (the text stays), sometimes across.
                g.mem = Math.max(0, (g.mem ?? 0) + Math.round((c.value - 0.5) * 64 * 1024 ** 2));
              else if (c.change === "mem-null") g.mem = null;
              else if (c.change === "maxmem")
                g.maxmem = c.value === 0 ? null : Math.round(c.value * 8 * GiB);
              else if (c.change === "uptime") g.uptime = (g.uptime ?? 0) + c.seconds;
              else if (c.change === "status")
                g.status = g.status === "running" ? "stopped" : "running";
              else if (c.change === "name") g.name = "n" + Math.round(c.value * 20);
              else if (c.change === "tags") g.tags = c.value > 0.5 ? ["a", "b"] : [];
              else if (c.change === "node") g.node = g.node === "pve1" ? "pve2" : "pve1";
              else if (c.change === "lock") g.lock = c.value > 0.5 ? "backup" : null;
              else guests.splice(i, 1);
            }
            const snap = cluster(guests);
            const cached = view(snap, cache, sortBy);
            expect(cached).toEqual(view(snap, undefined, sortBy));
            if (previous !== null) {
              const before = new Map(
                Object.values(previous.guestsByNode)
                  .flat()
                  .map((r) => [r.vmid, r]),
              );
              for (const row of Object.values(cached.guestsByNode).flat()) {
                const old = before.get(row.vmid);
                if (!touched.has(row.vmid) && old !== undefined && old.node === row.node)
                  expect(row).toBe(old);
              }
            }
            previous = cached;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
