// The one place that owns time for a data source: when to load, what to do
// with the answer, and how long to wait after a failure. It is generic over
// what it loads so the same rules (one request in flight, no late answers,
// backoff, stale data) hold for the snapshot and for anything added later.
//
// Choices worth knowing:
// - Every failure class backs off the same way, auth/permission/config
//   included. A wrong token will not fix itself, but the user may fix it on
//   the server at any moment; at worst the widget notices within the 5 min
//   cap, and a settings change builds a new controller anyway.
// - An "aborted" answer to the current request (aborted by something other
//   than this controller) is not a failure: nothing about the server is
//   learned, so the error and failure count stay as they were.
// - refreshNow() while stopped does one refresh and schedules nothing, so a
//   manual refresh works even when polling is paused.
// - A load that throws or rejects breaks its contract; it is turned into a
//   "bad-response" failure so the controller keeps going.

import type { ProxmonError, Result } from "../api/errors";
import type { Cancel, Logger, Scheduler } from "../scheduler";

export interface LoadContext {
  /** 1 for the first try after a success (or ever), 2 for the first retry, ... */
  attempt: number;
  /** 0-based count of loads this controller has started, superseded ones included. */
  refreshIndex: number;
}

export interface LoadHandle<T> {
  /** Should always resolve; a rejection is treated as a failure. */
  readonly result: Promise<Result<T>>;
  abort(): void;
}

export type Load<T> = (context: LoadContext) => LoadHandle<T>;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Relative spread, 0.2 = ±20 %, so many widgets do not retry in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  initialMs: 5000,
  maxMs: 300000,
  jitter: 0.2,
});

/** A shorter interval would only hammer the server; settings validate too, this is the backstop. */
export const MIN_INTERVAL_MS = 1000;

export interface RefreshControllerDeps<T> {
  scheduler: Scheduler;
  /** In [0, 1), like Math.random (the default). */
  random?: () => number;
  log?: Logger;
  load: Load<T>;
  intervalMs: number;
  backoff?: BackoffOptions;
}

export interface RefreshState<T> {
  /** start() was called and stop() was not. */
  running: boolean;
  /** A load is in flight. */
  refreshing: boolean;
  /** The last successful result; kept through failures. */
  data: T | null;
  lastSuccessAt: number | null;
  /** When the latest load was started. */
  lastAttemptAt: number | null;
  /** The latest failure; null after a success. */
  error: ProxmonError | null;
  consecutiveFailures: number;
  /** There is data but the latest attempt failed. */
  stale: boolean;
  /** When the scheduled load fires; null when none is scheduled. */
  nextRefreshAt: number | null;
}

export type RefreshListener<T> = (state: RefreshState<T>) => void;

export interface RefreshController<T> {
  /** Loads now and keeps loading; no-op while running. */
  start(): void;
  /** Cancels the timer and aborts the load in flight; keeps the data. */
  stop(): void;
  /** Aborts the load in flight (its answer will be ignored) and starts a new one. */
  refreshNow(): void;
  /** Takes effect on the pending regular refresh, or after the current load. */
  setInterval(ms: number): void;
  getState(): RefreshState<T>;
  /** Returns the unsubscribe function. */
  subscribe(listener: RefreshListener<T>): () => void;
  /** stop() and forget all listeners; every later call is a no-op. */
  dispose(): void;
}

/** Delay before retry number `failures` (1-based): initial·2^(n-1), capped, ± jitter, never above max. */
export function backoffDelay(
  failures: number,
  backoff: BackoffOptions,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(0, failures - 1), 40);
  const base = Math.min(backoff.maxMs, backoff.initialMs * Math.pow(2, exponent));
  const r = random();
  const unit = typeof r === "number" && r >= 0 && r < 1 ? r : 0.5;
  const jittered = base * (1 + backoff.jitter * (2 * unit - 1));
  // The floor only matters for absurd options; it keeps a bad config from
  // turning retries into a busy loop.
  return Math.round(Math.min(backoff.maxMs, Math.max(MIN_INTERVAL_MS, jittered)));
}

function normaliseInterval(ms: number): number {
  return typeof ms === "number" && isFinite(ms) ? Math.max(MIN_INTERVAL_MS, ms) : MIN_INTERVAL_MS;
}

function normaliseBackoff(b: BackoffOptions | undefined): BackoffOptions {
  if (!b) return DEFAULT_BACKOFF;
  const initialMs =
    isFinite(b.initialMs) && b.initialMs > 0 ? b.initialMs : DEFAULT_BACKOFF.initialMs;
  const maxMs =
    isFinite(b.maxMs) && b.maxMs >= initialMs
      ? b.maxMs
      : Math.max(initialMs, DEFAULT_BACKOFF.maxMs);
  const jitter = isFinite(b.jitter) ? Math.min(1, Math.max(0, b.jitter)) : DEFAULT_BACKOFF.jitter;
  return { initialMs, maxMs, jitter };
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return String(reason);
}

function unexpected(reason: unknown): ProxmonError {
  return { kind: "bad-response", message: "Refresh failed unexpectedly: " + describe(reason) };
}

function noLog(): void {}

export function createRefreshController<T>(deps: RefreshControllerDeps<T>): RefreshController<T> {
  const scheduler = deps.scheduler;
  const random = deps.random || Math.random;
  const log: Logger = deps.log || noLog;
  const backoff = normaliseBackoff(deps.backoff);
  let intervalMs = normaliseInterval(deps.intervalMs);

  let running = false;
  let disposed = false;
  let refreshing = false;
  let data: T | null = null;
  let lastSuccessAt: number | null = null;
  let lastAttemptAt: number | null = null;
  let lastFinishedAt: number | null = null;
  let error: ProxmonError | null = null;
  let consecutiveFailures = 0;

  // Bumped whenever the load in flight stops being the one that counts;
  // an answer carrying an older number is dropped.
  let generation = 0;
  let refreshIndex = 0;
  let inFlight: LoadHandle<T> | null = null;

  let cancelTimer: Cancel | null = null;
  let nextRefreshAt: number | null = null;
  let timerIsRetry = false;
  // A scheduler shim may still fire a callback it was asked to cancel.
  let timerToken = 0;

  const listeners: RefreshListener<T>[] = [];
  let emitting = false;
  let emitAgain = false;

  function getState(): RefreshState<T> {
    return {
      running,
      refreshing,
      data,
      lastSuccessAt,
      lastAttemptAt,
      error,
      consecutiveFailures,
      stale: data !== null && error !== null,
      nextRefreshAt,
    };
  }

  // A listener may change the state (refreshNow, stop); emitting again from
  // the top instead of recursing keeps every listener's last view the latest.
  function emit(): void {
    if (emitting) {
      emitAgain = true;
      return;
    }
    emitting = true;
    try {
      do {
        emitAgain = false;
        const state = getState();
        const current = listeners.slice();
        for (let i = 0; i < current.length; i++) {
          try {
            (current[i] as RefreshListener<T>)(state);
          } catch (e) {
            log("warn", "refresh listener threw: " + describe(e));
          }
        }
      } while (emitAgain && !disposed);
    } finally {
      emitting = false;
    }
  }

  function cancelScheduled(): void {
    timerToken += 1;
    nextRefreshAt = null;
    if (cancelTimer) {
      const cancel = cancelTimer;
      cancelTimer = null;
      try {
        cancel();
      } catch (e) {
        log("warn", "cancelling the refresh timer failed: " + describe(e));
      }
    }
  }

  function scheduleAt(delayMs: number, isRetry: boolean): void {
    cancelScheduled();
    if (!running || disposed) return;
    const token = timerToken;
    timerIsRetry = isRetry;
    nextRefreshAt = scheduler.now() + delayMs;
    cancelTimer = scheduler.schedule(delayMs, function () {
      if (token !== timerToken) return;
      cancelTimer = null;
      nextRefreshAt = null;
      if (!running || disposed) return;
      startLoad();
    });
  }

  function abortInFlight(): void {
    const previous = inFlight;
    generation += 1;
    inFlight = null;
    refreshing = false;
    if (previous) {
      try {
        previous.abort();
      } catch (e) {
        log("warn", "aborting a refresh failed: " + describe(e));
      }
    }
  }

  function startLoad(): void {
    cancelScheduled();
    abortInFlight();
    const myGeneration = generation;
    const context: LoadContext = { attempt: consecutiveFailures + 1, refreshIndex };
    refreshIndex += 1;
    refreshing = true;
    lastAttemptAt = scheduler.now();
    let handle: LoadHandle<T>;
    try {
      handle = deps.load(context);
    } catch (e) {
      const failed: Result<T> = { ok: false, error: unexpected(e) };
      handle = { result: Promise.resolve(failed), abort: noLog };
    }
    inFlight = handle;
    log("debug", "refresh #" + context.refreshIndex + " started (attempt " + context.attempt + ")");
    Promise.resolve(handle.result).then(
      function (result) {
        settle(myGeneration, result);
      },
      function (reason: unknown) {
        settle(myGeneration, { ok: false, error: unexpected(reason) });
      },
    );
    emit();
  }

  function settle(myGeneration: number, result: Result<T>): void {
    if (disposed || myGeneration !== generation) return;
    inFlight = null;
    refreshing = false;
    lastFinishedAt = scheduler.now();
    if (result && result.ok) {
      data = result.value;
      lastSuccessAt = lastFinishedAt;
      error = null;
      consecutiveFailures = 0;
      scheduleAt(intervalMs, false);
    } else if (result && result.error && result.error.kind === "aborted") {
      log("debug", "refresh aborted from outside; trying again on the usual schedule");
      if (consecutiveFailures > 0) {
        scheduleAt(backoffDelay(consecutiveFailures, backoff, random), true);
      } else {
        scheduleAt(intervalMs, false);
      }
    } else {
      const failure: ProxmonError =
        result && result.error ? result.error : unexpected("load resolved with no result");
      consecutiveFailures += 1;
      error = failure;
      const delay = backoffDelay(consecutiveFailures, backoff, random);
      log(
        "warn",
        "refresh failed (" +
          failure.kind +
          "): " +
          failure.message +
          "; retrying in " +
          Math.round(delay / 1000) +
          " s",
      );
      scheduleAt(delay, true);
    }
    emit();
  }

  return {
    start(): void {
      if (disposed || running) return;
      running = true;
      if (inFlight) {
        // A one-shot refreshNow() is under way; its answer schedules the next.
        emit();
        return;
      }
      startLoad();
    },

    stop(): void {
      if (disposed) return;
      const changed = running || inFlight !== null || cancelTimer !== null;
      running = false;
      cancelScheduled();
      if (inFlight) abortInFlight();
      if (changed) emit();
    },

    refreshNow(): void {
      if (disposed) return;
      startLoad();
    },

    setInterval(ms: number): void {
      if (disposed) return;
      const next = normaliseInterval(ms);
      if (next === intervalMs) return;
      intervalMs = next;
      // Only a pending regular refresh moves; a retry keeps its backoff and
      // a load in flight picks the new interval up when it settles.
      if (running && cancelTimer && !timerIsRetry) {
        const base = lastFinishedAt !== null ? lastFinishedAt : scheduler.now();
        scheduleAt(Math.max(0, base + intervalMs - scheduler.now()), false);
        emit();
      }
    },

    getState,

    subscribe(listener: RefreshListener<T>): () => void {
      if (disposed) return noLog;
      listeners.push(listener);
      return function () {
        const index = listeners.indexOf(listener);
        if (index >= 0) listeners.splice(index, 1);
      };
    },

    dispose(): void {
      if (disposed) return;
      running = false;
      cancelScheduled();
      if (inFlight) abortInFlight();
      disposed = true;
      listeners.length = 0;
    },
  };
}
