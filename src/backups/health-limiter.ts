// The rate limiter for PVE's own problems (failed tasks, HA, Ceph), with the
// guest limiter's rules (src/notify/limiter.ts) on HealthEvents: the widget
// reads HA states on every refresh and the task list every minute, so an HA
// service that flips between "error" and "started", a Ceph cluster that
// flips between HEALTH_OK and HEALTH_WARN, or a replication job that fails
// on every run would otherwise notify on every read.
//
// Decisions:
// - Rate limit per subject and transition: an HA service's key and event
//   kind, Ceph's new health, a failing task's type, guest and node (a UPID
//   is new on every run, the job is not). minIntervalSec 0 turns it off.
// - Urgent problems (an HA error or fencing, Ceph HEALTH_ERR) are never held
//   back by the interval; they still count towards flapping.
// - Flapping per subject: the change that reaches `flapping.changes` within
//   `windowSec` goes out once as "keeps changing"; later ones are muted
//   until the subject has been quiet for `quietSec`, which goes out once as
//   "settled" with its last event.
// - Held-back events are counted and ride along with the next notification
//   (those of a subject that starts flapping are dropped: the flapping
//   notice covers them);
//   when none goes out, a summary is due once minIntervalSec has passed
//   since the first of them.
// - Time is milliseconds (Scheduler.now()); options are in seconds. All
//   state is per limiter; nothing at module level.

import {
  DEFAULT_FLAPPING,
  DEFAULT_MIN_INTERVAL_SEC,
  MAX_PENDING_EVENTS,
  type FlappingOptions,
} from "../notify/limiter";
import { createFlapTracker, forgetOlderThan } from "../notify/flapping";
import { isUrgentHealth, type HealthEvent } from "./events";

export interface HealthLimiterOptions {
  /** Minimum time between two notifications of the same transition; 0 = off. */
  minIntervalSec?: number;
  flapping?: Partial<FlappingOptions>;
}

export interface FlappingHealth {
  event: HealthEvent;
  changes: number;
  windowSec: number;
}

export interface HealthAdmission {
  /** Events to tell now. */
  passing: HealthEvent[];
  /** Subjects that have just started flapping (told once, then muted). */
  flapping: FlappingHealth[];
  /** Subjects that have settled after flapping: their last event and how many changes were muted. */
  settled: { event: HealthEvent; muted: number }[];
  /** Earlier held-back events folded into this notification, and those kept for listing. */
  heldCount: number;
  held: HealthEvent[];
  /** Nothing else to tell: `held` is a due summary. */
  summary: boolean;
}

export interface HealthLimiter {
  /** Takes one read's (filtered, unsnoozed) events; call on every read, with none too. */
  admit(events: readonly HealthEvent[], nowMs: number): HealthAdmission;
  reset(): void;
}

const SEP = "\u0000";

/** The subject whose changes count towards flapping. */
function subjectOf(e: HealthEvent): string {
  if (e.kind === "task-failed")
    return (
      "task" +
      SEP +
      e.what +
      SEP +
      (e.vmid !== undefined ? String(e.vmid) : "") +
      SEP +
      (e.node ?? "")
    );
  return e.key;
}

/** The rate-limit key: subject and transition. */
function rateKeyOf(e: HealthEvent): string {
  if (e.kind === "ceph-health") return e.key + SEP + e.what;
  return subjectOf(e) + SEP + e.kind;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === "number" && isFinite(value) && value >= 0 ? value : fallback;
}

export function createHealthLimiter(options: HealthLimiterOptions = {}): HealthLimiter {
  const intervalMs = nonNegative(options.minIntervalSec, DEFAULT_MIN_INTERVAL_SEC) * 1000;
  const flapChanges = Math.floor(nonNegative(options.flapping?.changes, DEFAULT_FLAPPING.changes));
  const windowSec = nonNegative(options.flapping?.windowSec, DEFAULT_FLAPPING.windowSec);
  const quietMs = nonNegative(options.flapping?.quietSec, DEFAULT_FLAPPING.quietSec) * 1000;

  let lastSent = new Map<string, number>();
  const flaps = createFlapTracker<HealthEvent>(flapChanges, windowSec * 1000, quietMs);
  let held: HealthEvent[] = [];
  let heldCount = 0;
  let heldSince = 0;

  function track(e: HealthEvent, now: number): FlappingHealth | "muted" | null {
    const tipped = flaps.track(subjectOf(e), e, now);
    if (tipped === null || tipped === "muted") return tipped;
    return { event: e, changes: tipped, windowSec };
  }

  function admit(events: readonly HealthEvent[], nowMs: number): HealthAdmission {
    const settled = flaps.settle(nowMs).map((s) => ({ event: s.item, muted: s.muted }));
    if (intervalMs > 0) forgetOlderThan(lastSent, nowMs, intervalMs);
    const passing: HealthEvent[] = [];
    const flapping: FlappingHealth[] = [];
    for (const e of events) {
      const flap = track(e, nowMs);
      if (flap === "muted") continue;
      if (flap !== null) {
        flapping.push(flap);
        // Its held-back repeats are what "keeps changing" says.
        const subject = subjectOf(e);
        const kept = held.filter((h) => subjectOf(h) !== subject);
        heldCount -= held.length - kept.length;
        held = kept;
        continue;
      }
      const rk = rateKeyOf(e);
      const last = lastSent.get(rk);
      if (intervalMs > 0 && !isUrgentHealth(e) && last !== undefined && nowMs - last < intervalMs) {
        if (heldCount === 0) heldSince = nowMs;
        heldCount++;
        if (held.length < MAX_PENDING_EVENTS) held.push(e);
        continue;
      }
      if (intervalMs > 0) lastSent.set(rk, nowMs);
      passing.push(e);
    }
    const telling = passing.length + flapping.length + settled.length > 0;
    const due = heldCount > 0 && nowMs - heldSince >= intervalMs;
    if (!telling && !due)
      return { passing, flapping, settled, heldCount: 0, held: [], summary: false };
    const out = { passing, flapping, settled, heldCount, held, summary: !telling };
    held = [];
    heldCount = 0;
    return out;
  }

  return {
    admit,
    reset() {
      lastSent = new Map();
      flaps.reset();
      held = [];
      heldCount = 0;
      heldSince = 0;
    },
  };
}
