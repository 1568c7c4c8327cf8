// Snooze and maintenance: a pure model of who should not notify for now.
// Entries target a guest (by VMID) or a node (by name) and last until an
// epoch second, until the subject's state changes again, or — maintenance —
// until removed. Maintenance also keeps the subject out of the error badge.
// Kept in the widget's settings as a string list (one entry each):
//   guest:101=until:1767225600
//   node:pve2=change:offline
//   guest:104=maintenance
// Unreadable entries are dropped when parsing, never fatal.

export type SnoozeTarget = { kind: "guest"; vmid: number } | { kind: "node"; node: string };

export type SnoozeMode =
  | { mode: "until"; until: number }
  /** Until the subject's state differs from `state` (the state when snoozed). */
  | { mode: "until-change"; state: string }
  | { mode: "maintenance" };

export type SnoozeEntry = SnoozeTarget & SnoozeMode;

/** What an event or row must expose to be matched. */
export interface SnoozeSubject {
  vmid?: number;
  node?: string;
  /** For migrations: either end. */
  fromNode?: string;
  toNode?: string;
}

const MAX_ENTRIES = 500;
const MAX_ENTRY_LENGTH = 300;

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 10) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isNodeName(s: string): boolean {
  if (s.length === 0 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
    if (!ok) return false;
  }
  return true;
}

export function sameTarget(a: SnoozeTarget, b: SnoozeTarget): boolean {
  if (a.kind === "guest" && b.kind === "guest") return a.vmid === b.vmid;
  if (a.kind === "node" && b.kind === "node") return a.node === b.node;
  return false;
}

export function targetKey(t: SnoozeTarget): string {
  return t.kind === "guest" ? "guest:" + t.vmid : "node:" + t.node;
}

export function parseTarget(text: string): SnoozeTarget | null {
  const t = text.trim();
  if (t.indexOf("node:") === 0) {
    const node = t.slice(5);
    return isNodeName(node) ? { kind: "node", node } : null;
  }
  const id = t.indexOf("guest:") === 0 ? t.slice(6) : t;
  if (!isDigits(id)) return null;
  const vmid = parseInt(id, 10);
  return vmid >= 100 && vmid <= 999999999 ? { kind: "guest", vmid } : null;
}

export function serialiseEntry(e: SnoozeEntry): string {
  const key = targetKey(e);
  if (e.mode === "until") return key + "=until:" + Math.floor(e.until);
  if (e.mode === "until-change") return key + "=change:" + e.state;
  return key + "=maintenance";
}

export function parseEntry(text: string): SnoozeEntry | null {
  if (typeof text !== "string" || text.length > MAX_ENTRY_LENGTH) return null;
  const eq = text.indexOf("=");
  if (eq < 0) return null;
  const target = parseTarget(text.slice(0, eq));
  if (target === null) return null;
  const mode = text.slice(eq + 1).trim();
  if (mode === "maintenance") return { ...target, mode: "maintenance" };
  if (mode.indexOf("until:") === 0 && isDigits(mode.slice(6)))
    return { ...target, mode: "until", until: parseInt(mode.slice(6), 10) };
  if (mode.indexOf("change:") === 0) {
    const state = mode.slice(7);
    if (state.length > 0 && state.length <= 32) return { ...target, mode: "until-change", state };
  }
  return null;
}

export function serialiseSnoozes(entries: readonly SnoozeEntry[]): string[] {
  return entries.map(serialiseEntry);
}

/** From the config string list; bad entries dropped, later entries for the same target win. */
export function parseSnoozes(list: readonly unknown[]): SnoozeEntry[] {
  let out: SnoozeEntry[] = [];
  for (const item of list.slice(0, MAX_ENTRIES)) {
    if (typeof item !== "string") continue;
    const e = parseEntry(item);
    if (e !== null) out = setSnooze(out, e);
  }
  return out;
}

/** Adds or replaces the entry for its target (a new list). */
export function setSnooze(entries: readonly SnoozeEntry[], entry: SnoozeEntry): SnoozeEntry[] {
  const out = entries.filter((e) => !sameTarget(e, entry));
  if (out.length < MAX_ENTRIES) out.push(entry);
  return out;
}

export function removeSnooze(entries: readonly SnoozeEntry[], target: SnoozeTarget): SnoozeEntry[] {
  return entries.filter((e) => !sameTarget(e, target));
}

/**
 * Drops entries that have run out: `until` in the past, `until-change`
 * whose subject's state now differs (stateOf returns null when unknown;
 * such entries stay). Returns the same array when nothing expired.
 */
export function expireSnoozes(
  entries: readonly SnoozeEntry[],
  nowSec: number,
  stateOf: (target: SnoozeTarget) => string | null = () => null,
): readonly SnoozeEntry[] {
  let changed = false;
  const out = entries.filter((e) => {
    let keep = true;
    if (e.mode === "until") keep = e.until > nowSec;
    else if (e.mode === "until-change") {
      const s = stateOf(e);
      keep = s === null || s === e.state;
    }
    if (!keep) changed = true;
    return keep;
  });
  return changed ? out : entries;
}

function covers(e: SnoozeEntry, s: SnoozeSubject): boolean {
  if (e.kind === "guest") return s.vmid === e.vmid;
  return s.node === e.node || s.fromNode === e.node || s.toNode === e.node;
}

/** The active entry silencing this subject, or null. Call expireSnoozes first. */
export function snoozeFor(
  entries: readonly SnoozeEntry[],
  subject: SnoozeSubject,
  nowSec: number,
): SnoozeEntry | null {
  for (const e of entries) {
    if (e.mode === "until" && e.until <= nowSec) continue;
    if (covers(e, subject)) return e;
  }
  return null;
}

export function isInMaintenance(entries: readonly SnoozeEntry[], subject: SnoozeSubject): boolean {
  for (const e of entries) if (e.mode === "maintenance" && covers(e, subject)) return true;
  return false;
}

/** Keeps only the events no active entry silences. Works on ChangeEvents and HealthEvents alike. */
export function applySnoozes<T extends SnoozeSubject>(
  entries: readonly SnoozeEntry[],
  events: readonly T[],
  nowSec: number,
): T[] {
  if (entries.length === 0) return events.slice();
  return events.filter((ev) => snoozeFor(entries, ev, nowSec) === null);
}

/** "Snooze for 1 hour" / "until tomorrow" (next local midnight; offset in minutes east of UTC). */
export function snoozeUntilTomorrow(nowSec: number, offsetMinutes: number): number {
  const local = nowSec + offsetMinutes * 60;
  return (Math.floor(local / 86400) + 1) * 86400 - offsetMinutes * 60;
}
