// The history reader (issue 12): reads rrddata only for what is on screen.
//
// The widget says what is visible — setVisible([...]) with the node cards
// of the open popup and the open guest detail; setVisible([]) when the
// popup closes. For each visible item the reader asks once, then again one
// RRD step after its last request (60 s for "hour"; the spacing of the
// answer once known, never below MIN_INTERVAL_SECONDS): asking more often
// only returns the same buckets. An item that leaves the screen has its
// request aborted and its timer cancelled; an answer that comes back after
// that, or after a newer request for the same item, is discarded. With
// nothing visible the reader sends nothing at all, so the monitor's steady
// state stays one request per refresh.
//
// Series are appended to, not replaced: each answer's buckets newer than
// the last known one are added at the end and buckets older than the
// answer's window are dropped from the front, and the listener is told how
// many of each, so a chart model can remove and append rows instead of
// being reset (no flicker). Only a change of timeframe, or an answer that
// does not overlap the series (a long pause), resets it.
//
// No module state: everything lives in the object createHistoryReader
// returns. The clock and timers are injected.

import type { ApiCall } from "../api/client";
import type { ProxmonError } from "../api/errors";
import type { Cancel, Logger, Scheduler } from "../scheduler";
import {
  DEFAULT_STEP_SECONDS,
  decodeResourceRrd,
  decodeStorageRrd,
  observedStep,
  rrdPath,
  rrdQuery,
  targetKey,
  type HistoryTarget,
  type ResourcePoint,
  type StoragePoint,
  type Timeframe,
} from "./rrd";

/** The only part of the API client the reader needs. */
export interface HistoryApi {
  get(path: string, query?: Record<string, string>): ApiCall<unknown>;
}

/** RRDs update about once a minute; asking more often adds nothing. */
export const MIN_INTERVAL_SECONDS = 60;

export type HistoryPoint = ResourcePoint | StoragePoint;

export interface HistorySeries {
  key: string;
  target: HistoryTarget;
  timeframe: Timeframe;
  /** Oldest first, as PVE ordered them; shared with the reader — treat as read-only. */
  points: HistoryPoint[];
  /** Increases with every change; pairs with HistoryChange for incremental models. */
  version: number;
  /** Epoch ms of the last applied answer. */
  updatedAt: number;
  /** The last failure for this item, cleared by the next good answer. */
  error: ProxmonError | null;
}

export interface HistoryChange {
  key: string;
  series: HistorySeries;
  /** The series was replaced: rebuild the model from series.points. */
  reset: boolean;
  /** Points removed from the front. */
  dropped: number;
  /** Points added at the end (the last `appended` of series.points). */
  appended: number;
}

export interface HistoryReaderDeps {
  client: HistoryApi;
  scheduler: Scheduler;
  log?: Logger;
}

export interface HistoryStats {
  /** Requests sent since creation. */
  requests: number;
  /** Answers applied to a series. */
  applied: number;
  /** Answers that came back for an item no longer wanted (or superseded), and dropped. */
  discarded: number;
  /** Requests aborted because their item left the screen. */
  aborted: number;
  /**
   * Requests whose answer is still awaited, now. (Not derivable from the
   * counts above: an aborted request's late answer is also discarded, and
   * a failed one is neither applied nor discarded.)
   */
  inFlight: number;
}

export interface HistoryReader {
  /**
   * The items on screen now, with their timeframe. Replaces the previous set:
   * what is no longer listed stops being read (its series is kept, so coming
   * back within a step costs no request).
   */
  setVisible(items: ReadonlyArray<{ target: HistoryTarget; timeframe: Timeframe }>): void;
  /** The popup closed: same as setVisible([]). */
  close(): void;
  series(key: string): HistorySeries | null;
  /** Listener for appended/reset series; returns the unsubscribe function. */
  onChange(listener: (change: HistoryChange) => void): () => void;
  stats(): HistoryStats;
  /** Cancels everything and forgets every series (settings change, widget removal). */
  dispose(): void;
}

interface Item {
  key: string;
  target: HistoryTarget;
  timeframe: Timeframe;
  visible: boolean;
  /** Epoch ms of the last request sent. */
  lastRequestAt: number | null;
  stepSeconds: number;
  call: ApiCall<unknown> | null;
  /** Bumped by every request and every hide: answers carry the value they were sent with. */
  generation: number;
  timer: Cancel | null;
  series: HistorySeries | null;
}

function sameTarget(a: HistoryTarget, b: HistoryTarget): boolean {
  return targetKey(a) === targetKey(b) && a.node === b.node;
}

function decode(target: HistoryTarget, raw: unknown): HistoryPoint[] | null {
  const decoded =
    target.kind === "storage" ? decodeStorageRrd(raw) : decodeResourceRrd(raw, target.kind);
  return decoded === null ? null : decoded.points;
}

export function createHistoryReader(deps: HistoryReaderDeps): HistoryReader {
  const scheduler = deps.scheduler;
  const log = deps.log;
  const items: { [key: string]: Item | undefined } = Object.create(null) as {
    [key: string]: Item | undefined;
  };
  let listeners: Array<(change: HistoryChange) => void> = [];
  const stats = { requests: 0, applied: 0, discarded: 0, aborted: 0 };
  let disposed = false;

  function emit(change: HistoryChange): void {
    const current = listeners.slice();
    for (const l of current) l(change);
  }

  function intervalMs(item: Item): number {
    return Math.max(MIN_INTERVAL_SECONDS, item.stepSeconds) * 1000;
  }

  function hide(item: Item): void {
    item.visible = false;
    item.generation++;
    if (item.timer) {
      item.timer();
      item.timer = null;
    }
    if (item.call) {
      item.call.abort();
      item.call = null;
      stats.aborted++;
    }
  }

  function plan(item: Item): void {
    if (item.timer) {
      item.timer();
      item.timer = null;
    }
    if (!item.visible || item.call) return;
    const now = scheduler.now();
    const due = item.lastRequestAt === null ? now : item.lastRequestAt + intervalMs(item);
    if (due <= now) {
      request(item);
      return;
    }
    item.timer = scheduler.schedule(due - now, () => {
      item.timer = null;
      if (!disposed && item.visible) request(item);
    });
  }

  function request(item: Item): void {
    const generation = ++item.generation;
    item.lastRequestAt = scheduler.now();
    stats.requests++;
    const call = deps.client.get(rrdPath(item.target), rrdQuery(item.timeframe));
    item.call = call;
    call.result.then(
      (result) => {
        if (disposed || generation !== item.generation || !item.visible) {
          stats.discarded++;
          return;
        }
        item.call = null;
        if (result.ok) {
          const points = decode(item.target, result.value);
          if (points === null) {
            if (log) log("warn", "history: " + item.key + ": rrddata is not a list");
          } else {
            apply(item, points);
          }
        } else if (item.series) {
          item.series.error = result.error;
        } else {
          item.series = {
            key: item.key,
            target: item.target,
            timeframe: item.timeframe,
            points: [],
            version: 1,
            updatedAt: scheduler.now(),
            error: result.error,
          };
          emit({ key: item.key, series: item.series, reset: true, dropped: 0, appended: 0 });
        }
        plan(item);
      },
      () => {
        // The client always resolves; a rejection is a bug elsewhere, not a reason to stop.
        if (generation === item.generation) {
          item.call = null;
          plan(item);
        }
      },
    );
  }

  function apply(item: Item, points: HistoryPoint[]): void {
    stats.applied++;
    const step = observedStep(points);
    if (step !== null) item.stepSeconds = step;
    const now = scheduler.now();
    const old = item.series;
    const first = points.length > 0 ? (points[0] as HistoryPoint).time : null;
    const oldLast =
      old && old.points.length > 0
        ? (old.points[old.points.length - 1] as HistoryPoint).time
        : null;
    if (
      old === null ||
      old.timeframe !== item.timeframe ||
      oldLast === null ||
      first === null ||
      first > oldLast
    ) {
      const series: HistorySeries = {
        key: item.key,
        target: item.target,
        timeframe: item.timeframe,
        points,
        version: old ? old.version + 1 : 1,
        updatedAt: now,
        error: null,
      };
      item.series = series;
      emit({ key: item.key, series, reset: true, dropped: 0, appended: points.length });
      return;
    }
    let dropped = 0;
    const kept = old.points;
    while (dropped < kept.length && (kept[dropped] as HistoryPoint).time < first) dropped++;
    if (dropped > 0) kept.splice(0, dropped);
    let appended = 0;
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as HistoryPoint;
      if (p.time > oldLast) {
        kept.push(p);
        appended++;
      }
    }
    old.updatedAt = now;
    old.error = null;
    if (dropped === 0 && appended === 0) return;
    old.version++;
    emit({ key: item.key, series: old, reset: false, dropped, appended });
  }

  function setVisible(list: ReadonlyArray<{ target: HistoryTarget; timeframe: Timeframe }>): void {
    if (disposed) return;
    const wanted: { [key: string]: boolean } = Object.create(null) as { [key: string]: boolean };
    for (const entry of list) wanted[targetKey(entry.target)] = true;
    for (const key in items) {
      const item = items[key];
      if (item && item.visible && !wanted[key]) hide(item);
    }
    for (const entry of list) {
      const key = targetKey(entry.target);
      let item = items[key];
      if (item && (!sameTarget(item.target, entry.target) || item.timeframe !== entry.timeframe)) {
        // Moved to another node, or another timeframe: a different series.
        hide(item);
        item = undefined;
      }
      if (!item) {
        item = {
          key,
          target: entry.target,
          timeframe: entry.timeframe,
          visible: false,
          lastRequestAt: null,
          stepSeconds: DEFAULT_STEP_SECONDS[entry.timeframe],
          call: null,
          generation: 0,
          timer: null,
          series: items[key] ? (items[key] as Item).series : null,
        };
        items[key] = item;
      }
      if (!item.visible) {
        item.visible = true;
        plan(item);
      }
    }
  }

  return {
    setVisible,
    close(): void {
      setVisible([]);
    },
    series(key: string): HistorySeries | null {
      const item = items[key];
      return item && item.series ? item.series : null;
    },
    onChange(listener) {
      listeners.push(listener);
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    stats(): HistoryStats {
      let inFlight = 0;
      for (const key in items) {
        const item = items[key];
        if (item && item.call) inFlight++;
      }
      return {
        requests: stats.requests,
        applied: stats.applied,
        discarded: stats.discarded,
        aborted: stats.aborted,
        inFlight,
      };
    },
    dispose(): void {
      for (const key in items) {
        const item = items[key];
        if (item) hide(item);
      }
      disposed = true;
      listeners = [];
    },
  };
}
