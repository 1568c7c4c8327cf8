// Keeps notifications few and honest: filtered changes go in, at most one
// notification per call comes out, and nothing is dropped without a trace.
//
// Pipeline: ChangeTracker.update → shouldNotify (filter.ts) → process().
//
// Decisions:
// - Rate limit per (endpoint, subject key, transition): "qemu/101 started"
//   does not hold back "qemu/101 stopped" (a restart shows both), nor the
//   same VMID on another cluster. minIntervalSec 0 turns it off.
// - High-urgency changes (node offline, quorum lost) are never held back by
//   the interval: being told late that a node is down is worse than being
//   told twice. They still count towards flapping.
// - Held-back changes are counted; the next notification that goes out says
//   "+N more changes" and carries them in `suppressed`. If nothing goes out,
//   flush() emits a "summary" once minIntervalSec has passed since the first
//   held-back change.
// - Flapping is per (endpoint, subject key) over all its transitions: the
//   change that reaches `flapping.changes` within `windowSec` yields one
//   "flapping" item; later changes of that subject are muted (counted, not
//   summarised) until it has had no change for `quietSec`, which yields one
//   "stable" item with its current state and the muted count.
//   `flapping.changes` 0 turns detection off.
// - Everything one call produces (changes, flapping and stable items, the
//   suppressed count) is one notification: "single", "flapping" or "stable"
//   for one item, "group" for several.
// - Time is milliseconds since the epoch (Scheduler.now()); options are in
//   seconds.

import type { ChangeEvent } from "./diff";
import { createFlapTracker, forgetOlderThan } from "./flapping";
import {
  composeMessage,
  composeSummary,
  DEFAULT_MAX_LINES,
  isHighUrgency,
  plainTranslator,
  type FlappingNote,
  type NotificationKind,
  type StableNote,
  type Translator,
} from "./message";

export type Urgency = "low" | "normal" | "high";

export interface Notification {
  kind: NotificationKind;
  urgency: Urgency;
  title: string;
  body: string;
  /** The changes this notification is about (for a summary: the held-back ones it lists). */
  events: ChangeEvent[];
  /** How many earlier held-back changes are folded into this notification. */
  suppressedCount: number;
  /** Those held-back changes, as far as they were kept (at most MAX_PENDING_EVENTS). */
  suppressed: ChangeEvent[];
  /** VMIDs of the guests involved, without duplicates. */
  guests: number[];
  /** With several connections (issue 11): the display name of the one it is about. */
  connection?: string;
}

export interface FlappingOptions {
  /** Changes within windowSec that make a subject flapping; 0 turns detection off. */
  changes: number;
  windowSec: number;
  /** Time without any change before a flapping subject counts as stable again. */
  quietSec: number;
}

export interface LimiterOptions {
  /** Identifies the cluster/endpoint so equal VMIDs on two clusters never share state. */
  endpoint: string;
  /** Minimum time between two notifications of the same transition; default 120, 0 = off. */
  minIntervalSec?: number;
  flapping?: Partial<FlappingOptions>;
  /** Lines listed in a group or summary before "and N more"; default 5. */
  maxLines?: number;
  /** KDE-style translator (QML passes i18n); English by default. */
  tr?: Translator;
}

export interface NotificationLimiter {
  /**
   * Takes the (already filtered) changes of one refresh. `endpoint`
   * overrides options.endpoint when one limiter serves several endpoints.
   */
  process(events: ChangeEvent[], nowMs: number, endpoint?: string): Notification[];
  /** Call on every refresh: emits due summaries and "stable again" notices. */
  flush(nowMs: number): Notification[];
  /** Held-back changes waiting for a summary. */
  pendingCount(): number;
  /** Forgets everything (e.g. after a settings change). */
  reset(): void;
}

export const DEFAULT_MIN_INTERVAL_SEC = 120;
export const DEFAULT_FLAPPING: FlappingOptions = Object.freeze({
  changes: 4,
  windowSec: 600,
  quietSec: 600,
});
/** Bound on the held-back changes kept for listing; beyond it they are only counted. */
export const MAX_PENDING_EVENTS = 100;

const SEP = "\u0000";

/** The rate-limit key of a change: endpoint, subject and transition. */
export function rateKey(endpoint: string, event: ChangeEvent): string {
  return endpoint + SEP + event.key + SEP + event.kind;
}

function subjectKey(endpoint: string, event: ChangeEvent): string {
  return endpoint + SEP + event.key;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === "number" && isFinite(value) && value >= 0 ? value : fallback;
}

function vmidsOf(events: ChangeEvent[]): number[] {
  const seen: number[] = [];
  for (const e of events) {
    if (e.vmid !== undefined && seen.indexOf(e.vmid) === -1) seen.push(e.vmid);
  }
  return seen;
}

export function createNotificationLimiter(options: LimiterOptions): NotificationLimiter {
  const tr = options.tr ?? plainTranslator;
  const maxLines = Math.max(1, Math.floor(nonNegative(options.maxLines, DEFAULT_MAX_LINES)));
  const intervalMs = nonNegative(options.minIntervalSec, DEFAULT_MIN_INTERVAL_SEC) * 1000;
  const flapChanges = Math.floor(nonNegative(options.flapping?.changes, DEFAULT_FLAPPING.changes));
  const flapWindowSec = nonNegative(options.flapping?.windowSec, DEFAULT_FLAPPING.windowSec);
  const flapQuietSec = nonNegative(options.flapping?.quietSec, DEFAULT_FLAPPING.quietSec);

  let lastSent = new Map<string, number>();
  const flaps = createFlapTracker<ChangeEvent>(
    flapChanges,
    flapWindowSec * 1000,
    flapQuietSec * 1000,
  );
  let pending: ChangeEvent[] = [];
  let pendingTotal = 0;
  let pendingSince = 0;

  function takePending(): { count: number; events: ChangeEvent[] } {
    const taken = { count: pendingTotal, events: pending };
    pending = [];
    pendingTotal = 0;
    return taken;
  }

  function hold(event: ChangeEvent, now: number): void {
    if (pendingTotal === 0) pendingSince = now;
    pendingTotal++;
    if (pending.length < MAX_PENDING_EVENTS) pending.push(event);
  }

  function collectStable(now: number): StableNote[] {
    return flaps.settle(now).map((s) => ({ event: s.item, mutedChanges: s.muted }));
  }

  /** Registers a change for flapping; returns a note when it tips over, "muted" while flapping. */
  function trackFlapping(
    key: string,
    event: ChangeEvent,
    now: number,
  ): FlappingNote | "muted" | null {
    const tipped = flaps.track(key, event, now);
    if (tipped === null || tipped === "muted") return tipped;
    return { event, changes: tipped, windowSec: flapWindowSec, quietSec: flapQuietSec };
  }

  function build(
    kind: Notification["kind"],
    title: string,
    body: string,
    events: ChangeEvent[],
    suppressed: { count: number; events: ChangeEvent[] },
    lowWhenCalm: boolean,
  ): Notification {
    const high =
      events.some(isHighUrgency) || (kind === "summary" && suppressed.events.some(isHighUrgency));
    return {
      kind,
      urgency: high ? "high" : lowWhenCalm ? "low" : "normal",
      title,
      body,
      events,
      suppressedCount: suppressed.count,
      suppressed: suppressed.events,
      guests: vmidsOf(events),
    };
  }

  function process(events: ChangeEvent[], nowMs: number, endpoint?: string): Notification[] {
    const ep = endpoint ?? options.endpoint;
    const stable = collectStable(nowMs);
    if (intervalMs > 0) forgetOlderThan(lastSent, nowMs, intervalMs);
    const passing: ChangeEvent[] = [];
    const flapping: FlappingNote[] = [];
    for (const event of events) {
      const flap = trackFlapping(subjectKey(ep, event), event, nowMs);
      if (flap === "muted") continue;
      if (flap !== null) {
        flapping.push(flap);
        continue;
      }
      const rk = rateKey(ep, event);
      const last = lastSent.get(rk);
      if (
        intervalMs > 0 &&
        !isHighUrgency(event) &&
        last !== undefined &&
        nowMs - last < intervalMs
      ) {
        hold(event, nowMs);
        continue;
      }
      if (intervalMs > 0) lastSent.set(rk, nowMs);
      passing.push(event);
    }
    if (passing.length + flapping.length + stable.length === 0) return flush(nowMs);

    const suppressed = takePending();
    const msg = composeMessage(
      { events: passing, flapping, stable, suppressedCount: suppressed.count },
      tr,
      maxLines,
    );
    if (msg === null) return [];
    const involved = passing
      .concat(flapping.map((f) => f.event))
      .concat(stable.map((s) => s.event));
    const onlyStable = passing.length === 0 && flapping.length === 0;
    return [build(msg.kind, msg.title, msg.body, involved, suppressed, onlyStable)];
  }

  function flush(nowMs: number): Notification[] {
    const stable = collectStable(nowMs);
    const due = pendingTotal > 0 && nowMs - pendingSince >= intervalMs;
    if (stable.length > 0) {
      // A stable notice goes out anyway: let it carry the count, and the
      // summary list along with it.
      const suppressed = takePending();
      const msg = composeMessage(
        { events: [], flapping: [], stable, suppressedCount: suppressed.count },
        tr,
        maxLines,
      );
      if (msg === null) return [];
      return [
        build(
          msg.kind,
          msg.title,
          msg.body,
          stable.map((s) => s.event),
          suppressed,
          true,
        ),
      ];
    }
    if (!due) return [];
    const suppressed = takePending();
    const msg = composeSummary(suppressed.events, suppressed.count, tr, maxLines);
    const n = build(msg.kind, msg.title, msg.body, suppressed.events, suppressed, false);
    return [n];
  }

  function reset(): void {
    lastSent = new Map();
    flaps.reset();
    pending = [];
    pendingTotal = 0;
    pendingSince = 0;
  }

  return {
    process,
    flush,
    pendingCount: () => pendingTotal,
    reset,
  };
}
