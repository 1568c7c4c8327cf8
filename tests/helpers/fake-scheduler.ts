// A manual clock for anything that takes a Scheduler: time moves only when
// a test says so, and due callbacks run in time order (ties in the order
// they were scheduled), including ones scheduled while advancing.

import type { Scheduler } from "../../src/scheduler";

export interface FakeTimer {
  id: number;
  at: number;
  delay: number;
}

export interface FakeScheduler extends Scheduler {
  /** Moves the clock forward, running every callback that falls due on the way. */
  advance(ms: number): void;
  /** Jumps to the next due callback and runs it (and any due at the same instant); returns false if none. */
  runNext(): boolean;
  /** Number of scheduled, not yet run or cancelled callbacks. */
  pending(): number;
  /** The pending timers, earliest first. */
  timers(): FakeTimer[];
  /** Sets the clock without running anything (for clock-skew tests). */
  setNow(ms: number): void;
}

interface Entry extends FakeTimer {
  callback: () => void;
}

export function createFakeScheduler(start = 0): FakeScheduler {
  let now = start;
  let nextId = 1;
  let entries: Entry[] = [];

  function sorted(): Entry[] {
    return entries.slice().sort((a, b) => a.at - b.at || a.id - b.id);
  }

  function runDueUntil(limit: number): void {
    for (;;) {
      const due = sorted().find((e) => e.at <= limit);
      if (!due) break;
      entries = entries.filter((e) => e !== due);
      if (due.at > now) now = due.at;
      due.callback();
    }
  }

  return {
    now: () => now,
    schedule(delayMs, callback) {
      const delay = Math.max(0, delayMs);
      const entry: Entry = { id: nextId++, at: now + delay, delay, callback };
      entries.push(entry);
      return () => {
        entries = entries.filter((e) => e !== entry);
      };
    },
    advance(ms) {
      const target = now + ms;
      runDueUntil(target);
      now = target;
    },
    runNext() {
      const first = sorted()[0];
      if (!first) return false;
      runDueUntil(first.at);
      return true;
    },
    pending: () => entries.length,
    timers: () => sorted().map((e) => ({ id: e.id, at: e.at, delay: e.delay })),
    setNow(ms) {
      now = ms;
    },
  };
}

/** Lets pending promise callbacks run (several rounds of microtasks). */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
