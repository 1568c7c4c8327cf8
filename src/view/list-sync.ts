// Turns "the rows were A, now they are B" into the few edits a QML
// ListModel needs, so the popup updates rows in place: a model reset would
// rebuild every delegate, lose scroll position and expanded state, and
// flicker on every refresh.
//
// Ops are meant to be applied in the order given, with ListModel's own
// semantics: remove(index, count), insert(index, row), move(from, to, 1)
// where `to` is the moved row's final index, set(index, row).
// applyListOps does exactly that to a QML ListModel; a "set" whose old row
// is known (`was`) hands the model only the roles that changed.
//
// Moves are minimal: the longest run of rows whose relative order did not
// change stays put and only the others move. Typical refreshes (nothing
// moved, a row or two changed) cost O(n); a move costs O(n) for the index
// look-ups, which is what applying it to the model costs anyway.

export interface Keyed {
  readonly key: string;
}

export type ListOp<R> =
  | { op: "remove"; index: number; count: number }
  | { op: "insert"; index: number; row: R }
  | { op: "move"; from: number; to: number; count: 1 }
  /** `was`: the row the model holds there now, when the old list had it (not a bare key). */
  | { op: "set"; index: number; row: R; was?: Keyed };

function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return a !== a && b !== b;
  // Rows are meant to be flat, but a list of strings (tags) is compared by
  // content so that a fresh array with the same items is not a change.
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return false;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Same own keys, and values equal by ===; arrays one level deep. */
export function rowsEqual(a: object | null | undefined, b: object | null | undefined): boolean {
  return rowsEqualHinted(a, b, { field: null, other: null });
}

/** The fields that differed in the last comparisons of one syncOps call, newest first. */
interface DifferenceHint {
  field: string | null;
  other: string | null;
}

function differs(
  ra: { [key: string]: unknown },
  rb: { [key: string]: unknown },
  field: string,
): boolean {
  return (
    hasOwn.call(ra, field) &&
    hasOwn.call(rb, field) &&
    ra[field] !== rb[field] &&
    !valuesEqual(ra[field], rb[field])
  );
}

// Consecutive comparisons are mostly rows of one kind where the same one or
// two fields change (the CPU and RAM columns of every running guest):
// checking those first settles most changed rows without listing their
// keys, which in V4 costs more than all the value comparisons together.
function rowsEqualHinted(
  a: object | null | undefined,
  b: object | null | undefined,
  hint: DifferenceHint,
): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ra = a as { [key: string]: unknown };
  const rb = b as { [key: string]: unknown };
  const field = hint.field;
  if (field !== null && differs(ra, rb, field)) return false;
  const other = hint.other;
  if (other !== null && differs(ra, rb, other)) {
    hint.other = field;
    hint.field = other;
    return false;
  }
  const ka = Object.keys(a);
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (!hasOwn.call(rb, k)) return false;
    const va = ra[k];
    const vb = rb[k];
    if (va !== vb && !valuesEqual(va, vb)) {
      hint.other = field;
      hint.field = k;
      return false;
    }
  }
  // Every key of a is one of b's, so the sets are equal when the counts are.
  return Object.keys(b).length === ka.length;
}

// Key indexes are null-prototype objects, not Maps: V4's Map slows down as
// it grows, and every refresh indexes every row.
interface Index {
  [key: string]: number | undefined;
}

/** Indexes (into seq) of one longest strictly increasing subsequence, as flags. */
function longestIncreasing(seq: number[]): boolean[] {
  const tails: number[] = [];
  const previous: number[] = new Array(seq.length);
  for (let i = 0; i < seq.length; i++) {
    const value = seq[i] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((seq[tails[mid] as number] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? (tails[lo - 1] as number) : -1;
    tails[lo] = i;
  }
  const result: boolean[] = new Array(seq.length);
  for (let i = 0; i < seq.length; i++) result[i] = false;
  let k = tails.length > 0 ? (tails[tails.length - 1] as number) : -1;
  while (k >= 0) {
    result[k] = true;
    k = previous[k] as number;
  }
  return result;
}

function indexByKey(keys: string[]): Index | null {
  const index: Index = Object.create(null);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (index[key] !== undefined) return null;
    index[key] = i;
  }
  return index;
}

/**
 * Ops that turn a model holding `oldRows` into one holding `newRows`.
 * Old entries may be bare keys when the old content is not at hand; those
 * rows then always get a "set". Keys must be unique; if they are not, the
 * ops replace everything (correct, not minimal).
 */
export function syncOps<R extends Keyed>(
  oldRows: ReadonlyArray<string | Keyed>,
  newRows: ReadonlyArray<R>,
): ListOp<R>[] {
  // The view keeps a node's row array when nothing in it changed.
  if ((oldRows as unknown) === newRows) return [];
  const hint: DifferenceHint = { field: null, other: null };
  // The usual refresh: the same rows in the same order, only values
  // changed, and rows the view kept are the same objects. Settled in one
  // walk, before any key index is built; position-wise sets are right
  // whatever the keys, so repeated keys need no special case here.
  if (oldRows.length === newRows.length) {
    const ops: ListOp<R>[] = [];
    let i = 0;
    for (; i < newRows.length; i++) {
      const before = oldRows[i] as string | Keyed;
      const row = newRows[i] as R;
      if (before === row) continue;
      if (typeof before === "string") {
        if (before !== row.key) break;
        ops.push({ op: "set", index: i, row });
        continue;
      }
      if (before.key !== row.key) break;
      if (!rowsEqualHinted(before, row, hint)) ops.push({ op: "set", index: i, row, was: before });
    }
    if (i === newRows.length) return ops;
  }
  const oldKeys: string[] = new Array(oldRows.length);
  for (let i = 0; i < oldRows.length; i++) {
    const r = oldRows[i] as string | Keyed;
    oldKeys[i] = typeof r === "string" ? r : r.key;
  }
  const newKeys: string[] = new Array(newRows.length);
  for (let i = 0; i < newRows.length; i++) newKeys[i] = (newRows[i] as R).key;
  const ops: ListOp<R>[] = [];
  const newIndex = indexByKey(newKeys);
  const oldIndex = indexByKey(oldKeys);

  if (oldIndex === null || newIndex === null) {
    if (oldKeys.length > 0) ops.push({ op: "remove", index: 0, count: oldKeys.length });
    for (let i = 0; i < newRows.length; i++)
      ops.push({ op: "insert", index: i, row: newRows[i] as R });
    return ops;
  }

  // Removals from the end, so each index is still valid when applied.
  for (let i = oldKeys.length - 1; i >= 0; i--) {
    if (newIndex[oldKeys[i] as string] !== undefined) continue;
    const end = i;
    while (i > 0 && newIndex[oldKeys[i - 1] as string] === undefined) i--;
    ops.push({ op: "remove", index: i, count: end - i + 1 });
  }

  const current: string[] = [];
  const targets: number[] = [];
  for (let i = 0; i < oldKeys.length; i++) {
    const target = newIndex[oldKeys[i] as string];
    if (target === undefined) continue;
    current.push(oldKeys[i] as string);
    targets.push(target);
  }
  const stayFlags = longestIncreasing(targets);
  const stays: { [key: string]: boolean | undefined } = Object.create(null);
  for (let i = 0; i < current.length; i++) if (stayFlags[i]) stays[current[i] as string] = true;

  // Walking the kept rows in their new order, each one that has to move
  // goes right after its new predecessor, which is by then in place.
  let previous: string | null = null;
  for (let i = 0; i < newKeys.length; i++) {
    const key = newKeys[i] as string;
    if (oldIndex[key] === undefined) continue;
    if (stays[key] !== true) {
      const from = current.indexOf(key);
      let to = 0;
      if (previous !== null) {
        const p = current.indexOf(previous);
        to = from < p ? p : p + 1;
      }
      if (from !== to) {
        current.splice(from, 1);
        current.splice(to, 0, key);
        ops.push({ op: "move", from, to, count: 1 });
      }
    }
    previous = key;
  }

  // The kept rows are now in their new relative order, so each new row
  // goes straight to its final index.
  for (let i = 0; i < newRows.length; i++) {
    if (oldIndex[newKeys[i] as string] === undefined)
      ops.push({ op: "insert", index: i, row: newRows[i] as R });
  }

  for (let i = 0; i < newRows.length; i++) {
    const at = oldIndex[newKeys[i] as string];
    if (at === undefined) continue;
    const before = oldRows[at];
    const row = newRows[i] as R;
    if (typeof before === "string") ops.push({ op: "set", index: i, row });
    else if (!rowsEqualHinted(before, row, hint))
      ops.push({ op: "set", index: i, row, was: before });
  }
  return ops;
}

/** Applies ops to a copy of a plain array, as a ListModel would; for JS-array models and tests. */
export function applyOps<R>(rows: ReadonlyArray<R>, ops: ReadonlyArray<ListOp<R>>): R[] {
  const out = rows.slice();
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i] as ListOp<R>;
    if (o.op === "remove") out.splice(o.index, o.count);
    else if (o.op === "insert") out.splice(o.index, 0, o.row);
    else if (o.op === "move") out.splice(o.to, 0, out.splice(o.from, 1)[0] as R);
    else out[o.index] = o.row;
  }
  return out;
}

/**
 * The row a "set" op hands to ListModel.set(): without `rowKind`, the role a
 * DelegateChooser picks the delegate by (NodeCard.qml). Qt's ListModel.set()
 * with that role in it re-creates the row's delegate even when its value is
 * the same, so every changed CPU figure would rebuild its row; a set never
 * changes the kind (a guest and its detail have different keys).
 */
export function rowForSet<R extends object>(row: R): R {
  if (!hasOwn.call(row, "rowKind")) return row;
  const out: { [k: string]: unknown } = {};
  for (const k in row) if (k !== "rowKind" && hasOwn.call(row, k)) out[k] = (row as never)[k];
  return out as R;
}

/**
 * The roles of `row` that differ from `was` (the row the model holds), for
 * ListModel.set(): a refresh mostly changes one or two columns of a row, and
 * the model converts and compares every role it is handed. Never `rowKind`
 * (see rowForSet); values compared as rowsEqual does.
 */
export function rowPatch<R extends object>(was: object, row: R): Partial<R> {
  const before = was as { [k: string]: unknown };
  const after = row as { [k: string]: unknown };
  const out: { [k: string]: unknown } = {};
  for (const k in after) {
    const value = after[k];
    // Most roles are unchanged: one comparison settles them (an inherited
    // key reads the same on both sides, so it never gets past here).
    if (value === before[k] || k === "rowKind" || !hasOwn.call(after, k)) continue;
    if (!hasOwn.call(before, k) || !valuesEqual(before[k], value)) out[k] = value;
  }
  return out as Partial<R>;
}

/** The part of a QML ListModel that applyListOps uses. */
export interface ListModelLike {
  remove(index: number, count: number): void;
  insert(index: number, row: object): void;
  move(from: number, to: number, count: number): void;
  set(index: number, row: object): void;
}

/**
 * Applies syncOps' ops to a QML ListModel in order, so rows update in place
 * (WidgetFacade.qml, NodeCard.qml, StorageSection.qml). A "set" hands the
 * model only the changed roles when the old row is known, else the whole
 * row without `rowKind`.
 */
export function applyListOps<R extends Keyed>(
  model: ListModelLike,
  ops: ReadonlyArray<ListOp<R>>,
): void {
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i] as ListOp<R>;
    if (o.op === "set") {
      model.set(o.index, o.was !== undefined ? rowPatch(o.was, o.row) : rowForSet(o.row));
    } else if (o.op === "remove") model.remove(o.index, o.count);
    else if (o.op === "insert") model.insert(o.index, o.row);
    else model.move(o.from, o.to, 1);
  }
}
