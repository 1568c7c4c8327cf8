import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  applyListOps,
  applyOps,
  rowForSet,
  rowPatch,
  rowsEqual,
  syncOps,
  type ListOp,
} from "../../src/view/list-sync";

interface Row {
  key: string;
  value: number;
  tags?: string[];
}

const row = (key: string, value = 0): Row => ({ key, value });
const rows = (keys: string) => keys.split("").map((k) => row(k));

/** Applies ops the way a QML ListModel would, checking every index is in range first. */
function applyChecked(old: Row[], ops: ListOp<Row>[]): Row[] {
  const out = old.slice();
  for (const o of ops) {
    if (o.op === "remove") {
      expect(o.index + o.count).toBeLessThanOrEqual(out.length);
      expect(o.count).toBeGreaterThan(0);
    } else if (o.op === "insert") {
      expect(o.index).toBeLessThanOrEqual(out.length);
    } else if (o.op === "move") {
      expect(o.from).toBeLessThan(out.length);
      expect(o.to).toBeLessThan(out.length);
      expect(o.from).not.toBe(o.to);
    } else {
      expect(o.index).toBeLessThan(out.length);
    }
    out.splice(0, out.length, ...applyOps(out, [o]));
  }
  return out;
}

describe("rowsEqual", () => {
  it("compares own fields shallowly, arrays by their items", () => {
    expect(rowsEqual({ key: "a", n: 1 }, { key: "a", n: 1 })).toBe(true);
    expect(rowsEqual({ key: "a", n: 1 }, { key: "a", n: 2 })).toBe(false);
    expect(rowsEqual({ key: "a" }, { key: "a", n: undefined })).toBe(false);
    expect(rowsEqual({ key: "a", t: ["x", "y"] }, { key: "a", t: ["x", "y"] })).toBe(true);
    expect(rowsEqual({ key: "a", t: ["x"] }, { key: "a", t: ["y"] })).toBe(false);
    expect(rowsEqual({ key: "a", n: NaN }, { key: "a", n: NaN })).toBe(true);
    expect(rowsEqual({ key: "a", o: {} }, { key: "a", o: {} })).toBe(false);
    expect(rowsEqual(null, { key: "a" })).toBe(false);
  });
});

describe("syncOps", () => {
  it("an unchanged list needs no ops", () => {
    const old = [row("a", 1), { key: "b", value: 2, tags: ["x"] }];
    const fresh = [row("a", 1), { key: "b", value: 2, tags: ["x"] }];
    expect(syncOps(old, fresh)).toEqual([]);
  });

  it("a changed row is one set, in place", () => {
    expect(syncOps([row("a"), row("b"), row("c")], [row("a"), row("b", 5), row("c")])).toEqual([
      { op: "set", index: 1, row: row("b", 5), was: row("b") },
    ]);
  });

  it("removes runs in one op each, from the end", () => {
    expect(syncOps(rows("abcdef"), rows("adf"))).toEqual([
      { op: "remove", index: 4, count: 1 },
      { op: "remove", index: 1, count: 2 },
    ]);
  });

  it("inserts new rows at their final index", () => {
    expect(syncOps(rows("ac"), rows("xabcy"))).toEqual([
      { op: "insert", index: 0, row: row("x") },
      { op: "insert", index: 2, row: row("b") },
      { op: "insert", index: 4, row: row("y") },
    ]);
  });

  it("moves only what has to move: one row to the end is one move", () => {
    expect(syncOps(rows("abcd"), rows("bcda"))).toEqual([{ op: "move", from: 0, to: 3, count: 1 }]);
    expect(syncOps(rows("abcd"), rows("dabc"))).toEqual([{ op: "move", from: 3, to: 0, count: 1 }]);
  });

  it("a full reversal keeps one row and moves the rest", () => {
    const ops = syncOps(rows("abcde"), rows("edcba"));
    expect(ops.filter((o) => o.op === "move")).toHaveLength(4);
    expect(applyChecked(rows("abcde"), ops)).toEqual(rows("edcba"));
  });

  it("old entries given as bare keys always get a set", () => {
    expect(syncOps(["a", "b"], [row("a"), row("b")])).toEqual([
      { op: "set", index: 0, row: row("a") },
      { op: "set", index: 1, row: row("b") },
    ]);
  });

  it("falls back to replacing everything when keys repeat", () => {
    const ops = syncOps(rows("aab"), rows("ba"));
    expect(ops[0]).toEqual({ op: "remove", index: 0, count: 3 });
    expect(applyChecked(rows("aab"), ops)).toEqual(rows("ba"));
  });

  it("from and to empty", () => {
    expect(syncOps([], rows("ab"))).toHaveLength(2);
    expect(syncOps(rows("ab"), [])).toEqual([{ op: "remove", index: 0, count: 2 }]);
    expect(syncOps([], [])).toEqual([]);
  });

  const keyPool = "abcdefghijklmnop".split("");
  const rowList = fc
    .uniqueArray(fc.constantFrom(...keyPool), { maxLength: keyPool.length })
    .chain((keys) =>
      fc.tuple(...keys.map((k) => fc.integer({ min: 0, max: 2 }).map((v) => row(k, v)))),
    );

  it("applied in order, turns any list into any other", () => {
    fc.assert(
      fc.property(rowList, rowList, (oldRows, newRows) => {
        const ops = syncOps(oldRows, newRows);
        expect(applyChecked(oldRows, ops)).toEqual(newRows);
      }),
      { numRuns: 2000 },
    );
  });

  it("emits a set only for rows whose content changed, and the fewest moves", () => {
    fc.assert(
      fc.property(rowList, rowList, (oldRows, newRows) => {
        const ops = syncOps(oldRows, newRows);
        const oldByKey = new Map(oldRows.map((r) => [r.key, r]));
        const changed = newRows.filter(
          (r) => oldByKey.has(r.key) && !rowsEqual(oldByKey.get(r.key)!, r),
        );
        expect(ops.filter((o) => o.op === "set")).toHaveLength(changed.length);
        expect(ops.filter((o) => o.op === "insert")).toHaveLength(
          newRows.filter((r) => !oldByKey.has(r.key)).length,
        );

        // Fewest moves = kept rows minus the longest run already in order.
        const newIndex = new Map(newRows.map((r, i) => [r.key, i]));
        const seq = oldRows.filter((r) => newIndex.has(r.key)).map((r) => newIndex.get(r.key)!);
        const lis: number[] = [];
        for (let i = 0; i < seq.length; i++) {
          lis[i] = 1;
          for (let j = 0; j < i; j++)
            if (seq[j]! < seq[i]!) lis[i] = Math.max(lis[i]!, lis[j]! + 1);
        }
        const longest = lis.length ? Math.max(...lis) : 0;
        expect(ops.filter((o) => o.op === "move")).toHaveLength(seq.length - longest);
      }),
      { numRuns: 1000 },
    );
  });

  it("a permutation of an unchanged list needs only moves; the same list needs nothing", () => {
    fc.assert(
      fc.property(
        rowList.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        ([list, shuffled]) => {
          expect(
            syncOps(
              list,
              list.map((r) => ({ ...r })),
            ),
          ).toEqual([]);
          const ops = syncOps(list, shuffled);
          expect(ops.every((o) => o.op === "move")).toBe(true);
          expect(applyChecked(list, ops)).toEqual(shuffled);
        },
      ),
    );
  });
});

describe("rowForSet", () => {
  it("leaves out the delegate chooser's role and keeps every other field", () => {
    const row = { key: "qemu/100", rowKind: "guest", name: "web", tags: ["a"] };
    expect(rowForSet(row)).toEqual({ key: "qemu/100", name: "web", tags: ["a"] });
    expect(row.rowKind).toBe("guest");
  });
  it("hands a row without one through as it is", () => {
    const row = { key: "node/pve1", name: "pve1" };
    expect(rowForSet(row)).toBe(row);
  });
});

describe("rowPatch", () => {
  it("has the roles that changed, never rowKind", () => {
    const was = { key: "qemu/100", rowKind: "guest", cpu: "1%", mem: "1 GiB", tags: "a;b" };
    const row = { key: "qemu/100", rowKind: "guest", cpu: "2%", mem: "1 GiB", tags: "a;b" };
    expect(rowPatch(was, row)).toEqual({ cpu: "2%" });
    expect(rowPatch(was, { ...row, rowKind: "guestDetail" })).toEqual({ cpu: "2%" });
    expect(rowPatch({ key: "a", n: NaN, t: ["x"] }, { key: "a", n: NaN, t: ["x"] })).toEqual({});
    expect(rowPatch({ key: "a" }, { key: "a", n: 1 })).toEqual({ n: 1 });
  });
});

/** A ListModel as QML has it: set() merges the roles it is handed into the row. */
function fakeModel(initial: object[]) {
  const rows = initial.map((r) => ({ ...r }) as { [k: string]: unknown });
  const sets: object[] = [];
  const model = {
    rows,
    sets,
    remove: (index: number, count: number) => void rows.splice(index, count),
    insert: (index: number, row: object) => void rows.splice(index, 0, { ...row }),
    move: (from: number, to: number) => void rows.splice(to, 0, rows.splice(from, 1)[0]!),
    set: (index: number, row: object) => {
      sets.push(row);
      Object.assign(rows[index]!, row);
    },
  };
  return model;
}

describe("applyListOps", () => {
  it("sets only the changed roles of a known row, and the whole row without rowKind otherwise", () => {
    const a = { key: "qemu/1", rowKind: "guest", cpu: "1%", mem: "1 GiB" };
    const b = { key: "qemu/2", rowKind: "guest", cpu: "2%", mem: "2 GiB" };
    const model = fakeModel([a, b]);
    const next = [{ ...a, cpu: "5%" }, b];
    applyListOps(model, syncOps([a, b], next));
    expect(model.sets).toEqual([{ cpu: "5%" }]);
    expect(model.rows).toEqual(next);
    // Old rows given as bare keys: the whole row, still without its kind.
    const fresh = fakeModel([a, b]);
    applyListOps(fresh, syncOps(["qemu/1", "qemu/2"], next));
    expect(fresh.sets).toEqual([rowForSet(next[0]!), rowForSet(next[1]!)]);
    expect(fresh.sets.every((r) => !("rowKind" in r))).toBe(true);
  });

  it("turns any list into any other in a model, never setting rowKind", () => {
    const item = fc.record({
      key: fc.constantFrom("a", "b", "c", "d", "e", "f"),
      rowKind: fc.constant("guest"),
      value: fc.integer({ min: 0, max: 3 }),
      text: fc.constantFrom("x", "y"),
    });
    const list = fc.uniqueArray(item, { selector: (r) => r.key, maxLength: 6 });
    fc.assert(
      fc.property(list, list, (before, after) => {
        const model = fakeModel(before);
        applyListOps(model, syncOps(before, after));
        expect(model.rows).toEqual(after);
        expect(model.sets.every((r) => !("rowKind" in r))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
