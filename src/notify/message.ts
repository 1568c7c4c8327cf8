// Words for notifications. Every sentence goes through a translator with
// KDE-style %1 %2 placeholders so QML can pass its i18n() straight in; the
// templates are literal strings at the call site so extraction tools find
// them. Names come from decoders (already sanitised) but are capped here so
// a long name cannot push everything else out of a notification bubble.

import { replaceLoosely } from "../api/redact";
import { statusPhase, type ChangeEvent } from "./diff";

/**
 * KI18n's i18n: a number argument is shown in the user's locale (1234 →
 * "1.234" in German), so identifiers that are numbers (VMIDs, ports, HTTP
 * statuses) are passed as strings; counts and amounts as numbers.
 */
export type Translator = (template: string, ...args: Array<string | number>) => string;

export type NotificationKind = "single" | "group" | "flapping" | "stable" | "summary";

export const MAX_NAME_LENGTH = 64;
export const MAX_LINE_LENGTH = 200;
export const MAX_TITLE_LENGTH = 120;
export const DEFAULT_MAX_LINES = 5;

/** English fallback: substitutes %1…%N in one pass (a substituted "%2" stays literal). */
export function plainTranslator(template: string, ...args: Array<string | number>): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const c = template.charAt(i);
    if (c === "%") {
      let j = i + 1;
      while (j < template.length && j - i <= 2 && isDigit(template.charCodeAt(j))) j++;
      const n = j > i + 1 ? parseInt(template.slice(i + 1, j), 10) : 0;
      if (n >= 1 && n <= args.length) {
        out += String(args[n - 1]);
        i = j;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function capText(text: string, max: number): string {
  return text.length > max ? text.slice(0, Math.max(0, max - 1)) + "…" : text;
}

function shortName(event: ChangeEvent): string {
  return capText(event.name ?? event.key, MAX_NAME_LENGTH);
}

/** "web-01 (101)"; just the name when it already is PVE's default "VM 101" / "CT101". */
export function guestLabel(event: ChangeEvent): string {
  const name = shortName(event);
  if (event.vmid === undefined) return name;
  const id = String(event.vmid);
  if (name === "VM " + id || name === "CT" + id) return name;
  return name + " (" + id + ")";
}

function node(name: string | undefined): string {
  return capText(name ?? "?", MAX_NAME_LENGTH);
}

export function isHighUrgency(event: ChangeEvent): boolean {
  return (
    event.kind === "node-offline" ||
    event.kind === "quorum-lost" ||
    event.kind === "storage-critical"
  );
}

function isGuestEvent(event: ChangeEvent): boolean {
  return event.vmid !== undefined;
}

export function statusWord(status: string | undefined, tr: Translator = plainTranslator): string {
  switch (status) {
    case "running":
      return tr("running");
    case "stopped":
      return tr("stopped");
    case "paused":
      return tr("paused");
    case "suspended":
      return tr("suspended");
    case "io-error":
      return tr("I/O error");
    case "guest-panicked":
      return tr("guest panicked");
    case "internal-error":
      return tr("internal error");
    case "online":
      return tr("online");
    case "offline":
      return tr("offline");
    case undefined:
    case "unknown":
      return tr("unknown");
    default:
      return capText(status, 32);
  }
}

/** One line, e.g. "web-01 (101) started on pve1". */
export function describeEvent(event: ChangeEvent, tr: Translator = plainTranslator): string {
  const label = guestLabel(event);
  const on = event.node;
  let line: string;
  switch (event.kind) {
    case "guest-started":
      line = on ? tr("%1 started on %2", label, node(on)) : tr("%1 started", label);
      break;
    case "guest-stopped":
      line = on ? tr("%1 stopped on %2", label, node(on)) : tr("%1 stopped", label);
      break;
    case "guest-resumed":
      line = on ? tr("%1 resumed on %2", label, node(on)) : tr("%1 resumed", label);
      break;
    case "guest-paused":
      line =
        event.status === undefined || event.status === "paused"
          ? tr("%1 paused on %2", label, node(on))
          : tr("%1 paused on %2 (%3)", label, node(on), statusWord(event.status, tr));
      break;
    case "guest-migrated": {
      const to = statusPhase(event.status);
      const from = statusPhase(event.previousStatus);
      line =
        to !== null && from !== null && to !== from
          ? tr(
              "%1 moved from %2 to %3 and is now %4",
              label,
              node(event.fromNode),
              node(event.toNode),
              statusWord(event.status, tr),
            )
          : tr("%1 moved from %2 to %3", label, node(event.fromNode), node(event.toNode));
      break;
    }
    case "guest-added":
      line =
        event.status === undefined
          ? tr("%1 was added on %2", label, node(on))
          : tr("%1 was added on %2 (%3)", label, node(on), statusWord(event.status, tr));
      break;
    case "guest-removed":
      line = tr("%1 was removed from %2", label, node(on));
      break;
    case "node-offline":
      line = tr("Node %1 is offline", node(event.name ?? on));
      break;
    case "node-online":
      line = tr("Node %1 is back online", node(event.name ?? on));
      break;
    case "quorum-lost":
      line = event.name
        ? tr("Cluster %1 lost quorum", capText(event.name, MAX_NAME_LENGTH))
        : tr("Cluster lost quorum");
      break;
    case "quorum-regained":
      line = event.name
        ? tr("Cluster %1 has quorum again", capText(event.name, MAX_NAME_LENGTH))
        : tr("Cluster has quorum again");
      break;
    case "storage-warning":
    case "storage-critical":
    case "storage-recovered":
      line = describeStorageEvent(event, tr);
      break;
  }
  return capText(line, MAX_LINE_LENGTH);
}

/** Short title for a notification about this one event. */
export function eventTitle(event: ChangeEvent, tr: Translator = plainTranslator): string {
  const name = shortName(event);
  let title: string;
  switch (event.kind) {
    case "guest-started":
      title = tr("%1 started", name);
      break;
    case "guest-stopped":
      title = tr("%1 stopped", name);
      break;
    case "guest-paused":
      title = tr("%1 paused", name);
      break;
    case "guest-resumed":
      title = tr("%1 resumed", name);
      break;
    case "guest-migrated":
      title = tr("%1 moved to %2", name, node(event.toNode));
      break;
    case "guest-added":
      title = tr("%1 added", name);
      break;
    case "guest-removed":
      title = tr("%1 removed", name);
      break;
    case "node-offline":
      title = tr("Node %1 offline", node(event.name ?? event.node));
      break;
    case "node-online":
      title = tr("Node %1 online", node(event.name ?? event.node));
      break;
    case "quorum-lost":
      title = tr("Quorum lost");
      break;
    case "quorum-regained":
      title = tr("Quorum regained");
      break;
    case "storage-warning":
    case "storage-critical":
      title = tr("Storage %1 is filling up", storageName(event));
      break;
    case "storage-recovered":
      title = tr("Storage %1 recovered", storageName(event));
      break;
  }
  return capText(title, MAX_TITLE_LENGTH);
}

// ---- History and storage (issue 12)
function storageName(event: ChangeEvent): string {
  return capText(event.storage ?? event.key, MAX_NAME_LENGTH);
}

/** "Storage local-lvm on pve1 is 87 % full (warning at 85 %)". */
function describeStorageEvent(event: ChangeEvent, tr: Translator): string {
  const name = storageName(event);
  const pct = event.percent ?? 0;
  const limit = event.threshold ?? 0;
  if (event.kind === "storage-recovered") {
    return event.node
      ? tr("Storage %1 on %2 is back to %3 %", name, node(event.node), pct)
      : tr("Storage %1 is back to %2 %", name, pct);
  }
  if (event.kind === "storage-critical") {
    return event.node
      ? tr("Storage %1 on %2 is %3 % full (critical at %4 %)", name, node(event.node), pct, limit)
      : tr("Storage %1 is %2 % full (critical at %3 %)", name, pct, limit);
  }
  return event.node
    ? tr("Storage %1 on %2 is %3 % full (warning at %4 %)", name, node(event.node), pct, limit)
    : tr("Storage %1 is %2 % full (warning at %3 %)", name, pct, limit);
}

/** Who a flapping/stable notice is about, e.g. "web-01 (101)" or "Node pve1". */
function subjectLabel(event: ChangeEvent, tr: Translator): string {
  if (isGuestEvent(event)) return guestLabel(event);
  if (event.storage !== undefined) return tr("Storage %1", storageName(event));
  if (event.kind === "node-offline" || event.kind === "node-online") {
    return tr("Node %1", node(event.name ?? event.node));
  }
  return event.name
    ? tr("Quorum of cluster %1", capText(event.name, MAX_NAME_LENGTH))
    : tr("Cluster quorum");
}

function subjectTitleName(event: ChangeEvent, tr: Translator): string {
  return isGuestEvent(event) ? shortName(event) : subjectLabel(event, tr);
}

function subjectState(event: ChangeEvent, tr: Translator): string {
  if (event.kind === "quorum-lost") return tr("no quorum");
  if (event.kind === "quorum-regained") return tr("quorate");
  if (event.kind === "guest-removed") return tr("removed");
  return statusWord(event.status, tr);
}

export function formatDuration(seconds: number, tr: Translator = plainTranslator): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 60 && s % 60 === 0) {
    const m = s / 60;
    return m === 1 ? tr("1 minute") : tr("%1 minutes", m);
  }
  return s === 1 ? tr("1 second") : tr("%1 seconds", s);
}

export interface FlappingNote {
  /** The change that tipped it over. */
  event: ChangeEvent;
  changes: number;
  windowSec: number;
  quietSec: number;
}

export interface StableNote {
  /** The last change seen before it settled; its status is the current one. */
  event: ChangeEvent;
  /** Changes that were muted while it was flapping. */
  mutedChanges: number;
}

export interface MessageParts {
  events: ChangeEvent[];
  flapping: FlappingNote[];
  stable: StableNote[];
  /** Earlier changes held back by the rate limit and folded into this one. */
  suppressedCount: number;
}

export interface ComposedMessage {
  kind: NotificationKind;
  title: string;
  body: string;
}

function flappingLine(f: FlappingNote, tr: Translator): string {
  return capText(
    tr(
      "%1 changed state %2 times within %3; muted until it has been stable for %4",
      subjectLabel(f.event, tr),
      f.changes,
      formatDuration(f.windowSec, tr),
      formatDuration(f.quietSec, tr),
    ),
    MAX_LINE_LENGTH,
  );
}

function stableLine(s: StableNote, tr: Translator): string {
  const line = tr(
    "%1 is stable again: now %2",
    subjectLabel(s.event, tr),
    subjectState(s.event, tr),
  );
  const muted =
    s.mutedChanges === 0
      ? ""
      : s.mutedChanges === 1
        ? " " + tr("(1 change was not shown)")
        : " " + tr("(%1 changes were not shown)", s.mutedChanges);
  return capText(line + muted, MAX_LINE_LENGTH);
}

function suppressedLine(n: number, tr: Translator): string {
  return n === 1 ? tr("+1 more change") : tr("+%1 more changes", n);
}

function withSuppressed(body: string, n: number, tr: Translator): string {
  return n > 0 ? body + "\n" + suppressedLine(n, tr) : body;
}

function listLines(lines: string[], total: number, maxLines: number, tr: Translator): string {
  const shown = lines.slice(0, Math.max(1, maxLines));
  const rest = total - shown.length;
  if (rest > 0) shown.push(tr("and %1 more", rest));
  return shown.join("\n");
}

/**
 * Title and body for what one refresh produced. Several items become one
 * "group" message; null when there is nothing to say (a bare suppressed
 * count is a summary: see composeSummary).
 */
export function composeMessage(
  parts: MessageParts,
  tr: Translator = plainTranslator,
  maxLines: number = DEFAULT_MAX_LINES,
): ComposedMessage | null {
  const count = parts.events.length + parts.flapping.length + parts.stable.length;
  if (count === 0) return null;
  const n = parts.suppressedCount;

  if (count === 1) {
    const ev = parts.events[0];
    if (ev !== undefined) {
      return {
        kind: "single",
        title: eventTitle(ev, tr),
        body: withSuppressed(describeEvent(ev, tr), n, tr),
      };
    }
    const f = parts.flapping[0];
    if (f !== undefined) {
      return {
        kind: "flapping",
        title: capText(tr("%1 is flapping", subjectTitleName(f.event, tr)), MAX_TITLE_LENGTH),
        body: withSuppressed(flappingLine(f, tr), n, tr),
      };
    }
    const s = parts.stable[0];
    if (s !== undefined) {
      return {
        kind: "stable",
        title: capText(tr("%1 is stable again", subjectTitleName(s.event, tr)), MAX_TITLE_LENGTH),
        body: withSuppressed(stableLine(s, tr), n, tr),
      };
    }
  }

  const high = parts.events.filter(isHighUrgency);
  const ordered = high.concat(parts.events.filter((e) => !isHighUrgency(e)));
  const lines = ordered
    .map((e) => describeEvent(e, tr))
    .concat(parts.flapping.map((f) => flappingLine(f, tr)))
    .concat(parts.stable.map((s) => stableLine(s, tr)));

  let title: string;
  const first = high[0];
  const allEvents = parts.events
    .concat(parts.flapping.map((f) => f.event))
    .concat(parts.stable.map((s) => s.event));
  const guestKeys = new Set<string>();
  for (const e of allEvents) if (isGuestEvent(e)) guestKeys.add(e.key);
  if (first !== undefined) {
    title = tr("%1 (+%2 more)", eventTitle(first, tr), count - 1);
  } else if (allEvents.every(isGuestEvent) && guestKeys.size >= 2) {
    title = tr("%1 guests changed", guestKeys.size);
  } else {
    title = tr("%1 changes", count);
  }
  return {
    kind: "group",
    title: capText(title, MAX_TITLE_LENGTH),
    body: withSuppressed(listLines(lines, lines.length, maxLines, tr), n, tr),
  };
}

/**
 * The catch-up message for changes the rate limit held back. `listed` may be
 * shorter than `total` (the limiter keeps a bounded list); the rest is
 * counted in "and N more".
 */
export function composeSummary(
  listed: ChangeEvent[],
  total: number,
  tr: Translator = plainTranslator,
  maxLines: number = DEFAULT_MAX_LINES,
): ComposedMessage {
  const high = listed.filter(isHighUrgency);
  const ordered = high.concat(listed.filter((e) => !isHighUrgency(e)));
  const lines = ordered.map((e) => describeEvent(e, tr));
  return {
    kind: "summary",
    title: capText(
      total === 1 ? tr("1 more change") : tr("%1 more changes", total),
      MAX_TITLE_LENGTH,
    ),
    body: listLines(lines, Math.max(total, lines.length), maxLines, tr),
  };
}

/**
 * Whether a text already ends a sentence: in ".", "!", "?" or "…", possibly
 * followed by closing brackets or quotes ("(see the log).", "done.)").
 */
export function endsSentence(text: string): boolean {
  let end = text.length;
  while (end > 0 && " \t\n".indexOf(text.charAt(end - 1)) >= 0) end--;
  const last = text.charAt(end - 1);
  if (".!?…".indexOf(last) >= 0) return true;
  let i = end;
  while (i > 0 && ")]\"'»”’".indexOf(text.charAt(i - 1)) >= 0) i--;
  return i < end && i > 0 && ".!?…".indexOf(text.charAt(i - 1)) >= 0;
}

/** The text as a sentence: a full stop is added only when it does not end in one already. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return trimmed === "" || endsSentence(trimmed) ? trimmed : trimmed + ".";
}

/**
 * The warning above data the last refresh could not renew. The error is
 * a sentence of its own (most end in "." or "…(journalctl …)."), so it is
 * not wrapped in parentheses or given another full stop.
 */
export function composeStaleNotice(
  ageText: string,
  errorMessage: string,
  tr: Translator = plainTranslator,
): string {
  const reason = asSentence(errorMessage);
  if (ageText.trim() === "") {
    return reason === ""
      ? tr("The last refresh failed.")
      : tr("The last refresh failed: %1", reason);
  }
  return reason === ""
    ? tr("Showing data from %1. The last refresh failed.", ageText)
    : tr("Showing data from %1. The last refresh failed: %2", ageText, reason);
}

/**
 * Hides the token name of a PVE API token id: "user@realm!token" becomes
 * "user@realm!…", so a notification or log line names the user but never
 * the token. When `secret` is given (8+ characters) it is replaced by "…"
 * too. Both are found in any case and with invisible format characters
 * (soft hyphen, zero-width space, …) inserted. Text without a well-formed token id is returned unchanged.
 */
export function redactTokenId(text: string, tokenId: string, secret?: string): string {
  let out = text;
  if (secret !== undefined && secret.length >= 8) out = replaceLoosely(out, secret, "…");
  const bang = tokenId.indexOf("!");
  if (bang <= 0 || bang === tokenId.length - 1) return out;
  return replaceLoosely(out, tokenId, tokenId.slice(0, bang + 1) + "…");
}
