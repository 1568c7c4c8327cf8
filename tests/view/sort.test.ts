import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareNatural, createSortKeyCache, sortGuests, sortNodes } from "../../src/view/sort";
import { guest, node } from "./sample";

const names = (xs: Array<{ name: string }>) => xs.map((x) => x.name);

describe("compareNatural", () => {
  it("orders digit runs by value and ignores case", () => {
    const input = ["web-10", "Web-2", "web-1", "db", "web-03", "pve10", "pve9", "a", "B"];
    expect(input.slice().sort(compareNatural)).toEqual([
      "a",
      "B",
      "db",
      "pve9",
      "pve10",
      "web-1",
      "Web-2",
      "web-03",
      "web-10",
    ]);
  });

  it("handles digit runs longer than any number type", () => {
    expect(compareNatural("x99999999999999999999", "x100000000000000000000")).toBeLessThan(0);
  });

  it("is a consistent total order", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        (a, b, c) => {
          expect(Math.sign(compareNatural(a, b)) + Math.sign(compareNatural(b, a))).toBe(0);
          if (compareNatural(a, b) === 0) expect(a).toBe(b);
          if (compareNatural(a, b) <= 0 && compareNatural(b, c) <= 0)
            expect(compareNatural(a, c)).toBeLessThanOrEqual(0);
        },
      ),
    );
  });
});

describe("sortGuests", () => {
  const guests = [
    guest(105, { name: "zeta", status: "stopped" }),
    guest(101, { name: "web-10", status: "running" }),
    guest(104, { name: "mystery", status: "unknown" }),
    guest(103, { name: "alpha", status: "io-error" }),
    guest(102, { name: "web-2", status: "running" }),
    guest(106, { name: "beta", status: "suspended" }),
    guest(107, { name: "Gamma", status: "migrating" }),
    guest(108, { name: "alpha", status: "running" }),
  ];

  it("by status: running, then paused-like and unfamiliar states, stopped, unknown; then name, then vmid", () => {
    expect(sortGuests(guests, "status").map((g) => g.vmid)).toEqual([
      108, 102, 101, 103, 106, 107, 105, 104,
    ]);
  });

  it("by status puts templates after everything else", () => {
    const list = [
      guest(1, { name: "a-template", template: true, status: "stopped" }),
      guest(2, { name: "z", status: "unknown" }),
    ];
    expect(sortGuests(list, "status").map((g) => g.vmid)).toEqual([2, 1]);
    expect(sortGuests(list, "name").map((g) => g.vmid)).toEqual([1, 2]);
  });

  it("by name: natural and case-insensitive, vmid breaks ties", () => {
    expect(sortGuests(guests, "name").map((g) => g.vmid)).toEqual([
      103, 108, 106, 107, 104, 102, 101, 105,
    ]);
  });

  it("by id", () => {
    expect(sortGuests(guests, "id").map((g) => g.vmid)).toEqual([
      101, 102, 103, 104, 105, 106, 107, 108,
    ]);
  });

  it("does not change its input", () => {
    const copy = guests.slice();
    sortGuests(guests, "status");
    expect(guests).toEqual(copy);
  });

  it("is stable for entries that compare equal", () => {
    const a = guest(1, { name: "same" });
    const b = guest(1, { name: "same", node: "other" });
    expect(sortGuests([a, b], "name")).toEqual([a, b]);
    expect(sortGuests([b, a], "name")).toEqual([b, a]);
  });
});

describe("sortNodes", () => {
  const nodes = [
    node("pve10"),
    node("pve2", { status: "offline" }),
    node("PVE1"),
    node("pve3", { status: "unknown" }),
  ];

  it("by status: online, offline, unknown; then name", () => {
    expect(names(sortNodes(nodes, "status"))).toEqual(["PVE1", "pve10", "pve2", "pve3"]);
  });

  it("by name and by id are both natural name order", () => {
    expect(names(sortNodes(nodes, "name"))).toEqual(["PVE1", "pve2", "pve3", "pve10"]);
    expect(names(sortNodes(nodes, "id"))).toEqual(["PVE1", "pve2", "pve3", "pve10"]);
  });
});

// The sorts encode the comparators as string keys; these check the keys
// against the comparators themselves, on names built to hit digit runs,
// leading zeros, case, and the characters the keys use as separators.
describe("sort keys agree with the comparators", () => {
  const nameArb = fc
    .array(
      fc.oneof(
        fc.constantFrom("0", "00", "1", "01", "9", "10", "007", "99999999999999999999"),
        fc.constantFrom(
          "a",
          "A",
          "b",
          "-",
          "/",
          ".",
          " ",
          "z",
          "é",
          "É",
          "\u0001",
          "\uffff",
          "\u0000",
        ),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 5 },
    )
    .map((parts) => parts.join(""));
  const guestArb = fc.record({
    vmid: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 32 + 5 })),
    name: nameArb,
    status: fc.constantFrom("running", "stopped", "paused", "unknown", "prelaunch"),
    template: fc.boolean(),
  });
  const rank = (g: { template: boolean; status: string }) =>
    g.template
      ? 4
      : g.status === "running"
        ? 0
        : g.status === "stopped"
          ? 2
          : g.status === "unknown"
            ? 3
            : 1;

  function reference<T>(items: T[], compare: (a: T, b: T) => number): T[] {
    return items
      .map((item, index) => ({ item, index }))
      .sort((a, b) => compare(a.item, b.item) || a.index - b.index)
      .map((d) => d.item);
  }

  it("for guests, by every order", () => {
    fc.assert(
      fc.property(fc.array(guestArb, { maxLength: 12 }), (specs) => {
        const list = specs.map((s) => guest(s.vmid, s));
        const byName = (a: (typeof list)[0], b: (typeof list)[0]) =>
          compareNatural(a.name, b.name) || a.vmid - b.vmid;
        expect(sortGuests(list, "name")).toEqual(reference(list, byName));
        expect(sortGuests(list, "status")).toEqual(
          reference(list, (a, b) => rank(a) - rank(b) || byName(a, b)),
        );
        expect(sortGuests(list, "id")).toEqual(
          reference(list, (a, b) => a.vmid - b.vmid || compareNatural(a.name, b.name)),
        );
      }),
    );
  });

  it("with keys kept in a cache across calls", () => {
    const cache = createSortKeyCache();
    fc.assert(
      fc.property(fc.array(guestArb, { maxLength: 12 }), (specs) => {
        const list = specs.map((s) => guest(s.vmid, s));
        for (const by of ["status", "name", "id"] as const) {
          expect(sortGuests(list, by, cache)).toEqual(sortGuests(list, by));
          expect(sortGuests(list, by, cache)).toEqual(sortGuests(list, by));
        }
      }),
    );
  });

  it("for nodes", () => {
    fc.assert(
      fc.property(fc.array(nameArb, { maxLength: 12 }), (list) => {
        const nodes = list.map((n, i) => node(n, { status: i % 3 === 0 ? "offline" : "online" }));
        expect(names(sortNodes(nodes, "name"))).toEqual(
          names(reference(nodes, (a, b) => compareNatural(a.name, b.name))),
        );
        expect(sortNodes(nodes, "status")).toEqual(
          reference(
            nodes,
            (a, b) =>
              (a.status === "online" ? 0 : 1) - (b.status === "online" ? 0 : 1) ||
              compareNatural(a.name, b.name),
          ),
        );
      }),
    );
  });
});
