// The widget's side of the history (issue 12): which series the open popup
// shows, and what the charts draw. QML only says what exists on screen — a
// node card's sparklines (showNode), the guest detail the user opened
// (toggleGuest), the storage section — and draws rows from here.
//
// Reading: nothing while the popup is closed (the reader is told
// setVisible([]), which also aborts what is in flight), so the steady state
// with the popup closed stays one request per refresh. While it is open:
// each shown node card's "hour" series, the one open guest detail in its
// timeframe, and each storage's "week" series (for the forecast), at most
// once per RRD step each (src/history/reader.ts).
//
// Drawing: charts keep a ListModel of ChartRow per item; updates say how
// many rows to drop from the front and which to append, so a refresh never
// resets a chart (no flicker). A bucket PVE left empty is drawn at the last
// known value (a line cannot show a hole) and the hover text says "no data"
// there. Rows are keyed by what QML knows (the card's row key, which in
// developer mode names a stand-in node); the session maps it to the real
// target.

import type { HistoryApi, HistoryChange, HistoryReader, HistorySeries } from "../history/reader";
import { createHistoryReader } from "../history/reader";
import {
  isTimeframe,
  targetKey,
  type HistoryTarget,
  type ResourcePoint,
  type StoragePoint,
  type Timeframe,
} from "../history/rrd";
import { plainTranslator, type Translator } from "../notify/message";
import type { Logger, Scheduler } from "../scheduler";
import { formatBytes, formatPercent } from "../view/format";

/**
 * One chart row: the bucket's time (seconds), fractions 0..1 for cpu and
 * mem, bytes per second for the rest.
 */
export interface ChartRow {
  time: number;
  cpu: number;
  mem: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
}

export interface ChartUpdate {
  /** The row key QML knows the chart by ("node/pve1", "qemu/101"). */
  key: string;
  /** Clear the model, then append `rows`. */
  reset: boolean;
  /** Rows to remove from the front first. */
  dropped: number;
  rows: ChartRow[];
}

export type ChartMetric = "cpu" | "mem" | "net" | "disk";

/** The top of each chart's axis (from 0); only fractions use it, rates scale themselves. */
export type ChartTops = Record<ChartMetric, number>;

export interface TimeframeChoice {
  value: Timeframe;
  text: string;
}

/** The open guest detail's texts (empty key: none open). */
export interface GuestDetailView {
  key: string;
  timeframe: Timeframe;
  timeframes: TimeframeChoice[];
  cpuTitle: string;
  memTitle: string;
  netTitle: string;
  diskTitle: string;
  /** "" while there is something to draw; else why not (loading, an error, no data). */
  notice: string;
}

export interface HistoryViewDeps {
  scheduler: Scheduler;
  log?: Logger;
  tr?: Translator;
}

export interface HistoryView {
  /** The monitor's API (or null); a new one replaces the reader and forgets every series. */
  setApi(api: HistoryApi | null): void;
  setPopupOpen(open: boolean): void;
  /** A node card's sparklines were created (true) or destroyed (false). */
  showNode(rowKey: string, target: HistoryTarget | null, shown: boolean): void;
  /** Opens the guest's detail, or closes it when it is the open one. */
  toggleGuest(rowKey: string, target: HistoryTarget | null): void;
  closeGuest(): void;
  setTimeframe(value: unknown): void;
  /** The storages whose week series the forecast needs (the storage section is shown). */
  setStorageTargets(targets: ReadonlyArray<{ rowKey: string; target: HistoryTarget }>): void;
  /** Every row a chart should hold now (for a chart that was just created). */
  rows(rowKey: string): ChartRow[];
  /** The top of each chart's axis for the rows it holds now. */
  tops(rowKey: string): ChartTops;
  /** The text under the pointer: "CPU 12% · 5 min ago", or "" outside the series. */
  hoverText(rowKey: string, index: number, metric: unknown): string;
  /** The week points of a storage row, for the forecast (empty when unknown). */
  storagePoints(rowKey: string): StoragePoint[];
  detail(): GuestDetailView;
  /** A chart changed: for the models. */
  onUpdate(listener: (update: ChartUpdate) => void): void;
  /** The storage series changed (the forecasts may have). */
  onStorage(listener: () => void): void;
  reader(): HistoryReader | null;
  dispose(): void;
}

const EMPTY_ROW: ChartRow = {
  time: 0,
  cpu: 0,
  mem: 0,
  netin: 0,
  netout: 0,
  diskread: 0,
  diskwrite: 0,
};

function known(v: number | null): v is number {
  return v !== null && v - v === 0;
}

/** The chart rows for points, carrying the last known value across gaps. */
export function chartRows(
  points: ReadonlyArray<ResourcePoint>,
  from: number,
  previous: ChartRow | null,
): ChartRow[] {
  const out: ChartRow[] = [];
  let last = previous || EMPTY_ROW;
  for (let i = from; i < points.length; i++) {
    const p = points[i] as ResourcePoint;
    const mem = known(p.mem) && known(p.maxmem) && p.maxmem > 0 ? p.mem / p.maxmem : null;
    const row: ChartRow = {
      time: p.time,
      cpu: known(p.cpu) ? Math.min(1, Math.max(0, p.cpu)) : last.cpu,
      mem: mem !== null ? Math.min(1, Math.max(0, mem)) : last.mem,
      netin: known(p.netin) ? p.netin : last.netin,
      netout: known(p.netout) ? p.netout : last.netout,
      diskread: known(p.diskread) ? p.diskread : last.diskread,
      diskwrite: known(p.diskwrite) ? p.diskwrite : last.diskwrite,
    };
    out.push(row);
    last = row;
  }
  return out;
}

/**
 * The axis tops for these rows. Memory keeps 0–100 %. CPU is a fraction of
 * all cores and usually a few percent of it: on a fixed 0–100 % axis a 16 %
 * node is a line in the bottom pixels of a sparkline and looks empty, so its
 * axis goes from 0 to the peak rounded up to the next 10 % (as PVE's own
 * graphs scale theirs), never below 10 %.
 */
export function chartTops(rows: ReadonlyArray<ChartRow>): ChartTops {
  let peak = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as ChartRow).cpu;
    if (v > peak) peak = v;
  }
  const cpu = Math.min(1, Math.max(0.1, Math.ceil(Math.round(peak * 1000) / 100) / 10));
  return { cpu, mem: 1, net: 1, disk: 1 };
}

/** "5 min ago", "3 h ago", "2 d ago", "now": how old a bucket is. */
export function bucketAge(seconds: number, tr: Translator = plainTranslator): string {
  if (!(seconds >= 60)) return tr("now");
  if (seconds < 3600) return tr("%1 min ago", Math.floor(seconds / 60));
  if (seconds < 86400 * 2) return tr("%1 h ago", Math.floor(seconds / 3600));
  return tr("%1 d ago", Math.floor(seconds / 86400));
}

/** What the pointer is over, for one metric of one point. */
export function pointText(
  p: ResourcePoint,
  metric: ChartMetric,
  nowSeconds: number,
  tr: Translator = plainTranslator,
): string {
  const noData = tr("no data");
  let value: string;
  switch (metric) {
    case "cpu":
      value = tr("CPU %1", known(p.cpu) ? formatPercent(p.cpu) : noData);
      break;
    case "mem":
      value = tr(
        "Memory %1",
        known(p.mem)
          ? formatBytes(p.mem) + (known(p.maxmem) ? " / " + formatBytes(p.maxmem) : "")
          : noData,
      );
      break;
    case "net":
      value =
        known(p.netin) || known(p.netout)
          ? tr(
              "In %1/s · out %2/s",
              known(p.netin) ? formatBytes(p.netin) : noData,
              known(p.netout) ? formatBytes(p.netout) : noData,
            )
          : tr("Network %1", noData);
      break;
    case "disk":
      value =
        known(p.diskread) || known(p.diskwrite)
          ? tr(
              "Read %1/s · write %2/s",
              known(p.diskread) ? formatBytes(p.diskread) : noData,
              known(p.diskwrite) ? formatBytes(p.diskwrite) : noData,
            )
          : tr("Disk I/O %1", noData);
      break;
  }
  return tr("%1 · %2", value, bucketAge(Math.max(0, nowSeconds - p.time), tr));
}

function metricOf(v: unknown): ChartMetric | null {
  return v === "cpu" || v === "mem" || v === "net" || v === "disk" ? v : null;
}

interface Shown {
  rowKey: string;
  target: HistoryTarget;
  timeframe: Timeframe;
}

export function createHistoryView(deps: HistoryViewDeps): HistoryView {
  const tr = deps.tr || plainTranslator;
  let api: HistoryApi | null = null;
  let current: HistoryReader | null = null;
  let popupOpen = false;
  let disposed = false;
  const nodes: { [rowKey: string]: Shown | undefined } = Object.create(null) as {
    [rowKey: string]: Shown | undefined;
  };
  let guest: Shown | null = null;
  let guestTimeframe: Timeframe = "hour";
  let storage: Shown[] = [];
  const updateListeners: Array<(u: ChartUpdate) => void> = [];
  const storageListeners: Array<() => void> = [];

  function emit(u: ChartUpdate): void {
    const copy = updateListeners.slice();
    for (let i = 0; i < copy.length; i++) (copy[i] as (u: ChartUpdate) => void)(u);
  }

  function wanted(): Shown[] {
    const list: Shown[] = [];
    if (!popupOpen) return list;
    for (const k in nodes) {
      const n = nodes[k];
      if (n) list.push(n);
    }
    if (guest) list.push(guest);
    for (let i = 0; i < storage.length; i++) list.push(storage[i] as Shown);
    return list;
  }

  function rowKeysFor(readerKey: string): Shown[] {
    const out: Shown[] = [];
    const list = wanted();
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Shown;
      if (targetKey(s.target) === readerKey) out.push(s);
    }
    return out;
  }

  function onChange(change: HistoryChange): void {
    if (change.series.target.kind === "storage") {
      const copy = storageListeners.slice();
      for (let i = 0; i < copy.length; i++) (copy[i] as () => void)();
      return;
    }
    const points = change.series.points as ResourcePoint[];
    const shown = rowKeysFor(change.key);
    for (let i = 0; i < shown.length; i++) {
      const s = shown[i] as Shown;
      if (s.timeframe !== change.series.timeframe) continue;
      if (change.reset) {
        emit({ key: s.rowKey, reset: true, dropped: 0, rows: chartRows(points, 0, null) });
        continue;
      }
      const from = points.length - change.appended;
      const before = from > 0 ? chartRows(points, from - 1, null)[0] || null : null;
      emit({
        key: s.rowKey,
        reset: false,
        dropped: change.dropped,
        rows: chartRows(points, from, before),
      });
    }
  }

  function sync(): void {
    if (disposed) return;
    if (current === null && api !== null) {
      current = createHistoryReader({ client: api, scheduler: deps.scheduler, log: deps.log });
      current.onChange(onChange);
    }
    if (current === null) return;
    const list = wanted();
    current.setVisible(list.map((s) => ({ target: s.target, timeframe: s.timeframe })));
  }

  function seriesOf(rowKey: string): HistorySeries | null {
    if (current === null) return null;
    const list = wanted();
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Shown;
      if (s.rowKey !== rowKey) continue;
      const series = current.series(targetKey(s.target));
      return series && series.timeframe === s.timeframe ? series : null;
    }
    return null;
  }

  function rowsOf(rowKey: string): ChartRow[] {
    const series = seriesOf(rowKey);
    return series ? chartRows(series.points as ResourcePoint[], 0, null) : [];
  }

  function timeframes(): TimeframeChoice[] {
    return [
      { value: "hour", text: tr("Hour") },
      { value: "day", text: tr("Day") },
      { value: "week", text: tr("Week") },
    ];
  }

  return {
    setApi(next: HistoryApi | null): void {
      if (next === api) return;
      api = next;
      if (current) current.dispose();
      current = null;
      sync();
    },
    setPopupOpen(open: boolean): void {
      if (open === popupOpen) return;
      popupOpen = open;
      sync();
    },
    showNode(rowKey: string, target: HistoryTarget | null, shown: boolean): void {
      if (shown && target !== null) nodes[rowKey] = { rowKey, target, timeframe: "hour" };
      else delete nodes[rowKey];
      sync();
    },
    toggleGuest(rowKey: string, target: HistoryTarget | null): void {
      guest =
        (guest !== null && guest.rowKey === rowKey) || target === null
          ? null
          : { rowKey, target, timeframe: guestTimeframe };
      sync();
    },
    closeGuest(): void {
      guest = null;
      sync();
    },
    setTimeframe(value: unknown): void {
      if (!isTimeframe(value)) return;
      guestTimeframe = value;
      if (guest !== null) guest = { rowKey: guest.rowKey, target: guest.target, timeframe: value };
      sync();
      // The chart shows the other timeframe's rows at once (kept, or none yet).
      if (guest !== null)
        emit({ key: guest.rowKey, reset: true, dropped: 0, rows: rowsOf(guest.rowKey) });
    },
    setStorageTargets(targets): void {
      const next: Shown[] = targets.map((t) => ({
        rowKey: t.rowKey,
        target: t.target,
        timeframe: "week" as Timeframe,
      }));
      const same =
        next.length === storage.length &&
        next.every((s, i) => {
          const o = storage[i] as Shown;
          return o.rowKey === s.rowKey && targetKey(o.target) === targetKey(s.target);
        });
      if (same) return;
      storage = next;
      sync();
    },
    rows: rowsOf,
    tops(rowKey: string): ChartTops {
      return chartTops(rowsOf(rowKey));
    },
    hoverText(rowKey: string, index: number, metric: unknown): string {
      const m = metricOf(metric);
      const series = seriesOf(rowKey);
      if (m === null || series === null || !(index >= 0) || index >= series.points.length)
        return "";
      const p = series.points[Math.floor(index)] as ResourcePoint;
      return pointText(p, m, Math.floor(deps.scheduler.now() / 1000), tr);
    },
    storagePoints(rowKey: string): StoragePoint[] {
      const series = seriesOf(rowKey);
      return series && series.target.kind === "storage" ? (series.points as StoragePoint[]) : [];
    },
    detail(): GuestDetailView {
      const g = guest;
      const series = g ? seriesOf(g.rowKey) : null;
      let notice = "";
      if (g !== null) {
        if (series === null) notice = tr("Loading the history…");
        else if (series.error !== null && series.points.length === 0)
          notice = tr("The history could not be read: %1", series.error.message);
        else if (series.points.length === 0) notice = tr("No history recorded yet");
      }
      return {
        key: g ? g.rowKey : "",
        timeframe: guestTimeframe,
        timeframes: timeframes(),
        cpuTitle: tr("CPU"),
        memTitle: tr("Memory"),
        netTitle: tr("Network in / out"),
        diskTitle: tr("Disk read / write"),
        notice,
      };
    },
    onUpdate(listener): void {
      updateListeners.push(listener);
    },
    onStorage(listener): void {
      storageListeners.push(listener);
    },
    reader(): HistoryReader | null {
      return current;
    },
    dispose(): void {
      disposed = true;
      if (current) current.dispose();
      current = null;
      updateListeners.length = 0;
      storageListeners.length = 0;
    },
  };
}
