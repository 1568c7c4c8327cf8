// Which changes the user wants to hear about.
//
// The patterns are user text, so no RegExp is ever built from them: wildcard
// matching uses the greedy two-pointer algorithm that remembers only the
// last `*`. Its worst case is O(n·m) for text length n and pattern length m
// (e.g. "*aaaaab" against "aaaa…": every shift of the last star re-scans the
// segment after it), which is why both lengths are capped: at most
// (MAX_PATTERN_LENGTH + 1) · (MAX_TEXT_LENGTH + 1) ≈ 66k steps per match, and
// at most MAX_PATTERNS patterns, so a hostile setting cannot stall the shell.
//
// Decisions:
// - Entries are separated by commas or newlines, trimmed and matched
//   case-insensitively. A plain entry matches the guest name; when it
//   consists of digits and wildcards only, it matches the VMID as text too
//   ("101", "10?", "1*"). "100-199" is an inclusive VMID range,
//   "tag:NAME" matches any of the guest's tags, "node:NAME" its node (for a
//   migration: either end). `*` and `?` work in all of them except ranges.
// - An entry with a problem is reported by parseFilter and ignored; it never
//   matches. So a whitelist whose entries are all invalid is an empty
//   whitelist, and isEmptyWhitelist says so.
// - Gating (shouldNotify):
//     guest-started, guest-resumed  → notifyOnStart + guest filter
//     guest-stopped, guest-paused   → notifyOnStop  + guest filter
//     node-*, quorum-*              → notifyOnNodeChange, never the guest filter
//     guest-added, guest-removed    → notifyOnNodeChange + guest filter
//     guest-migrated                → guest filter, and notifyOnNodeChange —
//       or, when the guest's status phase changed during the move, the
//       matching start/stop toggle, so a guest that stopped while moving is
//       not hidden from someone who only watches stops.
//   notifyOnNodeChange is thus "cluster layout changes": nodes, quorum, and
//   guests appearing, disappearing or moving.
//     storage-*                     → notifyOnStorage (default on) + the
//       filter, in which only "storage:NAME" entries match them (a guest
//       entry never matches a storage, nor the other way round); so a
//       whitelist needs a storage: entry for storage alerts.
// - "cluster:NAME" (issue 11) matches every guest and storage event of the
//   connection named NAME, or of the Proxmox cluster named NAME (the name
//   /cluster/status reports); wildcards allowed. It needs the event's
//   context (shouldNotify's fourth argument); without one it matches
//   nothing. Node and quorum events stay outside the filter, as before.
// - An unrecognised mode is treated as "all".
// - The popup's search (src/view/guest-filter.ts) uses this same parser and
//   matcher with SEARCH_SYNTAX: "pool:NAME" instead of "storage:NAME", and,
//   because it filters while the user types, a value without wildcards is
//   a part of the name ("web" = "*web*") and the start of a VMID, tag,
//   node or pool ("10" = "10*", "tag:pr" = "tag:pr*").

import { statusPhase, type ChangeEvent } from "./diff";
import { plainTranslator, type Translator } from "./message";

export type NotifyMode = "all" | "whitelist" | "blacklist";

/** Mirrors the widget's config keys notifyMode, notifyFilter, notifyOnStart, notifyOnStop, notifyOnNodeChange. */
export interface NotifySettings {
  mode: NotifyMode;
  /** The user's text: entries separated by commas or newlines. */
  patterns: string;
  notifyOnStart: boolean;
  notifyOnStop: boolean;
  notifyOnNodeChange: boolean;
  /** Filling-up alerts (issue 12); absent means on. */
  notifyOnStorage?: boolean;
}

export type CompiledPattern =
  | {
      kind: "name";
      source: string;
      pattern: string;
      matchesVmid: boolean;
      /** What a VMID is matched against when it differs from `pattern` (search). */
      vmidPattern?: string;
    }
  | { kind: "range"; source: string; from: number; to: number }
  | { kind: "tag"; source: string; pattern: string }
  | { kind: "node"; source: string; pattern: string }
  | { kind: "pool"; source: string; pattern: string }
  | { kind: "storage"; source: string; pattern: string }
  | { kind: "cluster"; source: string; pattern: string };

/** Where an event comes from, for cluster: entries. */
export interface EventContext {
  /** The connection's display name (several connections), else absent. */
  connection?: string;
  /** The Proxmox cluster name, when known. */
  cluster?: string | null;
}

/** What a filter entry may say: the notification filter's, or the popup search's. */
export interface FilterSyntax {
  /** "pool:" entries instead of "storage:" ones. */
  pools: boolean;
  /** Values without wildcards match part of a name and the start of anything else. */
  loose: boolean;
}

export const NOTIFY_SYNTAX: FilterSyntax = Object.freeze({ pools: false, loose: false });
export const SEARCH_SYNTAX: FilterSyntax = Object.freeze({ pools: true, loose: true });

/** What a filter is matched against: a change event, a guest, a storage. */
export interface FilterSubject {
  /** Not matched: a ChangeEvent (or a guest described as one) is a subject as it is. */
  kind?: string;
  key?: string;
  guestType?: string;
  vmid?: number;
  name?: string;
  node?: string;
  fromNode?: string;
  toNode?: string;
  tags?: ReadonlyArray<string>;
  pool?: string;
  storage?: string;
}

export type FilterProblemCode =
  "reversed-range" | "bad-range" | "unknown-prefix" | "empty-value" | "too-long" | "too-many";

export interface FilterProblem {
  code: FilterProblemCode;
  /** The entry as the user typed it (trimmed, capped). */
  entry: string;
  /** Readable, already translated. */
  message: string;
}

export interface CompiledFilter {
  patterns: CompiledPattern[];
  problems: FilterProblem[];
}

export const MAX_PATTERN_LENGTH = 256;
export const MAX_TEXT_LENGTH = 256;
export const MAX_PATTERNS = 100;
/** pve-vmid allows at most 999999999. */
const MAX_VMID_DIGITS = 9;

export interface StepCounter {
  steps: number;
}

/**
 * `*` matches any run (also empty), `?` exactly one character. Both inputs
 * are taken as given (lowercase them first for case-insensitivity). When a
 * counter is passed, each loop iteration adds one step.
 */
export function wildcardMatch(pattern: string, text: string, counter?: StepCounter): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  let steps = 0;
  const pl = pattern.length;
  const tl = text.length;
  while (t < tl) {
    steps++;
    const pc = p < pl ? pattern.charCodeAt(p) : -1;
    if (pc === 42 /* * */) {
      star = p;
      resume = t;
      p++;
    } else if (pc !== -1 && (pc === 63 /* ? */ || pc === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (star !== -1) {
      // Let the last star swallow one more character and retry after it;
      // earlier stars never need revisiting.
      p = star + 1;
      resume++;
      t = resume;
    } else {
      if (counter) counter.steps += steps;
      return false;
    }
  }
  while (p < pl && pattern.charCodeAt(p) === 42) {
    steps++;
    p++;
  }
  if (counter) counter.steps += steps;
  return p === pl;
}

function collapseStars(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*" && out.charAt(out.length - 1) === "*") continue;
    out += c;
  }
  return out;
}

function isDigitsAndWildcards(s: string): boolean {
  let digit = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c !== 42 && c !== 63) return false;
  }
  return digit;
}

const RANGE = /^(\d+)\s*-\s*(\d+)$/;
const SEPARATORS = /[,\r\n]/;

function capEntry(entry: string): string {
  return entry.length > 60 ? entry.slice(0, 59) + "…" : entry;
}

function hasWildcard(s: string): boolean {
  return s.indexOf("*") >= 0 || s.indexOf("?") >= 0;
}

function compileEntry(
  raw: string,
  tr: Translator,
  syntax: FilterSyntax,
): { pattern: CompiledPattern } | { problem: FilterProblem } {
  const source = raw;
  const shown = capEntry(raw);
  const problem = (code: FilterProblemCode, message: string) => ({
    problem: { code, entry: shown, message },
  });
  if (raw.length > MAX_PATTERN_LENGTH) {
    return problem(
      "too-long",
      tr('"%1" is longer than %2 characters and is ignored', shown, MAX_PATTERN_LENGTH),
    );
  }
  const text = raw.toLowerCase();

  const colon = text.indexOf(":");
  if (colon !== -1) {
    const prefix = text.slice(0, colon).trim();
    let value = collapseStars(text.slice(colon + 1).trim());
    const last = syntax.pools ? "pool" : "storage";
    const known =
      prefix === "tag" ||
      prefix === "node" ||
      prefix === last ||
      (!syntax.pools && prefix === "cluster");
    if (!known) {
      return problem(
        "unknown-prefix",
        syntax.pools
          ? tr('Unknown prefix "%1:" in "%2" (use tag:, node: or pool:)', prefix, shown)
          : tr(
              'Unknown prefix "%1:" in "%2" (use tag:, node:, storage: or cluster:)',
              prefix,
              shown,
            ),
      );
    }
    if (value === "") {
      return problem("empty-value", tr('"%1" needs a value after the colon', shown));
    }
    if (syntax.loose && !hasWildcard(value)) value += "*";
    const kind =
      prefix === "tag"
        ? "tag"
        : prefix === "node"
          ? "node"
          : prefix === "cluster"
            ? "cluster"
            : last;
    return { pattern: { kind, source, pattern: value } };
  }

  const range = RANGE.exec(text);
  if (range !== null) {
    const a = range[1] ?? "";
    const b = range[2] ?? "";
    if (a.length > MAX_VMID_DIGITS || b.length > MAX_VMID_DIGITS) {
      return problem("bad-range", tr('"%1" is not a range of VMIDs', shown));
    }
    const from = parseInt(a, 10);
    const to = parseInt(b, 10);
    if (from > to) {
      return problem(
        "reversed-range",
        tr("Range %1 is reversed: did you mean %2-%3?", shown, String(to), String(from)),
      );
    }
    return { pattern: { kind: "range", source, from, to } };
  }

  const pattern = collapseStars(text);
  const matchesVmid = isDigitsAndWildcards(pattern);
  if (syntax.loose && !hasWildcard(pattern)) {
    const loose: CompiledPattern = {
      kind: "name",
      source,
      pattern: "*" + pattern + "*",
      matchesVmid,
    };
    if (matchesVmid) loose.vmidPattern = pattern + "*";
    return { pattern: loose };
  }
  return { pattern: { kind: "name", source, pattern, matchesVmid } };
}

/** Compiles the user's filter text; problems are meant for the settings page. */
export function parseFilter(
  text: string,
  tr: Translator = plainTranslator,
  syntax: FilterSyntax = NOTIFY_SYNTAX,
): CompiledFilter {
  const patterns: CompiledPattern[] = [];
  const problems: FilterProblem[] = [];
  const entries = (text || "").split(SEPARATORS);
  let used = 0;
  for (const part of entries) {
    const entry = part.trim();
    if (entry === "") continue;
    if (used === MAX_PATTERNS) {
      problems.push({
        code: "too-many",
        entry: capEntry(entry),
        message: tr("Only the first %1 entries are used", MAX_PATTERNS),
      });
      break;
    }
    used++;
    const r = compileEntry(entry, tr, syntax);
    if ("pattern" in r) patterns.push(r.pattern);
    else problems.push(r.problem);
  }
  return { patterns, problems };
}

/** True when the settings would silence every guest: a whitelist without a usable entry. */
export function isEmptyWhitelist(
  settings: Pick<NotifySettings, "mode" | "patterns">,
  compiled: CompiledFilter = parseFilter(settings.patterns),
): boolean {
  return settings.mode === "whitelist" && compiled.patterns.length === 0;
}

function capText(text: string): string {
  return (text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text).toLowerCase();
}

function matchesOne(
  p: CompiledPattern,
  event: FilterSubject,
  counter?: StepCounter,
  context?: EventContext,
): boolean {
  if (p.kind === "cluster") {
    if (!context) return false;
    if (
      context.connection !== undefined &&
      wildcardMatch(p.pattern, capText(context.connection), counter)
    )
      return true;
    return (
      typeof context.cluster === "string" &&
      wildcardMatch(p.pattern, capText(context.cluster), counter)
    );
  }
  // Storage events match storage: entries only, and storage: entries nothing else.
  if ((p.kind === "storage") !== (event.storage !== undefined)) return false;
  switch (p.kind) {
    case "storage":
      return wildcardMatch(p.pattern, capText(event.storage ?? ""), counter);
    case "range":
      return event.vmid !== undefined && event.vmid >= p.from && event.vmid <= p.to;
    case "name":
      if (event.name !== undefined && wildcardMatch(p.pattern, capText(event.name), counter)) {
        return true;
      }
      return (
        p.matchesVmid &&
        event.vmid !== undefined &&
        wildcardMatch(
          p.vmidPattern !== undefined ? p.vmidPattern : p.pattern,
          String(event.vmid),
          counter,
        )
      );
    case "tag":
      for (const tag of event.tags ?? []) {
        if (wildcardMatch(p.pattern, capText(tag), counter)) return true;
      }
      return false;
    case "pool":
      return event.pool !== undefined && wildcardMatch(p.pattern, capText(event.pool), counter);
    case "node": {
      const nodes = [event.node, event.fromNode, event.toNode];
      for (const n of nodes) {
        if (n !== undefined && wildcardMatch(p.pattern, capText(n), counter)) return true;
      }
      return false;
    }
  }
}

/** Does any compiled pattern match the guest behind this event (or this guest)? */
export function matchesFilter(
  event: FilterSubject,
  compiled: CompiledFilter,
  counter?: StepCounter,
  context?: EventContext,
): boolean {
  for (const p of compiled.patterns) {
    if (matchesOne(p, event, counter, context)) return true;
  }
  return false;
}

function passesGuestFilter(
  event: ChangeEvent,
  settings: NotifySettings,
  compiled: CompiledFilter,
  context?: EventContext,
): boolean {
  if (settings.mode === "whitelist") return matchesFilter(event, compiled, undefined, context);
  if (settings.mode === "blacklist") return !matchesFilter(event, compiled, undefined, context);
  return true;
}

/** Should this change reach the user at all (before rate limiting)? */
export function shouldNotify(
  event: ChangeEvent,
  settings: NotifySettings,
  compiled: CompiledFilter = parseFilter(settings.patterns),
  context?: EventContext,
): boolean {
  switch (event.kind) {
    case "node-offline":
    case "node-online":
    case "quorum-lost":
    case "quorum-regained":
      return settings.notifyOnNodeChange;
    case "guest-started":
    case "guest-resumed":
      return settings.notifyOnStart && passesGuestFilter(event, settings, compiled, context);
    case "guest-stopped":
    case "guest-paused":
      return settings.notifyOnStop && passesGuestFilter(event, settings, compiled, context);
    case "guest-added":
    case "guest-removed":
      return settings.notifyOnNodeChange && passesGuestFilter(event, settings, compiled, context);
    case "storage-warning":
    case "storage-critical":
    case "storage-recovered":
      return (
        settings.notifyOnStorage !== false && passesGuestFilter(event, settings, compiled, context)
      );
    case "guest-migrated": {
      const to = statusPhase(event.status);
      const from = statusPhase(event.previousStatus);
      const changed = to !== null && from !== null && to !== from;
      const wanted =
        settings.notifyOnNodeChange ||
        (changed && to === "running" && settings.notifyOnStart) ||
        (changed && to !== "running" && settings.notifyOnStop);
      return wanted && passesGuestFilter(event, settings, compiled, context);
    }
  }
}
