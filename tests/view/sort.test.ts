import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareNatural, sortGuests, sortNodes } from "../../src/view/sort";
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
