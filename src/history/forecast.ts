// "Full in ~N days" from a storage's week rrddata (issue 12).
//
// A least-squares line through the usage fraction (used/total) of the last
// FORECAST_WINDOW_SECONDS, gaps ignored, refitted once without the points
// that sit more than OUTLIER_SIGMAS standard deviations off the first line
// (a backup briefly parked on the storage, a half-filled bucket). Only a
// rising line that reaches 100 % within FORECAST_HORIZON_DAYS gives a
// forecast; anything flat, falling, too short or too noisy gives null, so
// the widget never says "full in 4000 days". Linear time, no allocation
// beyond the point list.

import type { StoragePoint } from "./rrd";

/** Three days: recent enough to follow a change of pace, long enough to average a day's rhythm out. */
export const FORECAST_WINDOW_SECONDS = 3 * 86400;
/** Forecasts further out than this are not shown. */
export const FORECAST_HORIZON_DAYS = 30;
/** At least this many usable points, spanning at least MIN_SPAN_SECONDS. */
export const MIN_FORECAST_POINTS = 6;
export const MIN_SPAN_SECONDS = 6 * 3600;
const OUTLIER_SIGMAS = 2.5;

export interface StorageForecast {
  /** Days until the fitted line reaches 100 %, rounded up (at least 1). */
  days: number;
  /** Fitted growth in fraction of the total per day. */
  perDay: number;
  /** Fraction now (the newest usable point, or the caller's current reading). */
  fraction: number;
}

interface Fit {
  slope: number;
  intercept: number;
  sigma: number;
  n: number;
}

function fit(ts: number[], ys: number[], keep: (i: number) => boolean): Fit | null {
  let n = 0;
  let st = 0;
  let sy = 0;
  for (let i = 0; i < ts.length; i++) {
    if (!keep(i)) continue;
    n++;
    st += ts[i] as number;
    sy += ys[i] as number;
  }
  if (n < MIN_FORECAST_POINTS) return null;
  const mt = st / n;
  const my = sy / n;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < ts.length; i++) {
    if (!keep(i)) continue;
    const dt = (ts[i] as number) - mt;
    stt += dt * dt;
    sty += dt * ((ys[i] as number) - my);
  }
  if (stt === 0) return null;
  const slope = sty / stt;
  const intercept = my - slope * mt;
  let sr = 0;
  for (let i = 0; i < ts.length; i++) {
    if (!keep(i)) continue;
    const r = (ys[i] as number) - (intercept + slope * (ts[i] as number));
    sr += r * r;
  }
  return { slope, intercept, sigma: Math.sqrt(sr / n), n };
}

/**
 * The forecast for a storage, or null. `current` (used/total from the
 * latest snapshot) replaces the series' last point as "now" when given.
 */
export function forecastFull(
  points: ReadonlyArray<StoragePoint>,
  current?: { used: number | null; total: number | null },
): StorageForecast | null {
  let newest = -1;
  for (let i = 0; i < points.length; i++) {
    const t = (points[i] as StoragePoint).time;
    if (t > newest) newest = t;
  }
  if (newest < 0) return null;
  const from = newest - FORECAST_WINDOW_SECONDS;
  const ts: number[] = [];
  const ys: number[] = [];
  let lastT = -1;
  let lastY = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as StoragePoint;
    if (p.time < from || p.used === null || p.total === null || p.total <= 0) continue;
    const y = p.used / p.total;
    if (y > 1.5) continue; // used far beyond total: not a reading
    // Relative to the window start keeps the sums well inside double precision.
    ts.push(p.time - from);
    ys.push(y);
    if (p.time >= lastT) {
      lastT = p.time;
      lastY = y;
    }
  }
  if (ts.length < MIN_FORECAST_POINTS) return null;
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i] as number;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
  }
  if (tMax - tMin < MIN_SPAN_SECONDS) return null;
  const first = fit(ts, ys, () => true);
  if (first === null) return null;
  const limit = OUTLIER_SIGMAS * first.sigma;
  const second =
    limit > 0
      ? fit(
          ts,
          ys,
          (i) =>
            Math.abs((ys[i] as number) - (first.intercept + first.slope * (ts[i] as number))) <=
            limit,
        )
      : first;
  const line = second ?? first;
  if (!(line.slope > 0)) return null;
  let fraction = lastY;
  if (current && current.used !== null && current.total !== null && current.total > 0) {
    fraction = current.used / current.total;
  }
  if (fraction >= 1) return { days: 0, perDay: line.slope * 86400, fraction };
  const seconds = (1 - fraction) / line.slope;
  const days = seconds / 86400;
  if (!(days <= FORECAST_HORIZON_DAYS)) return null;
  return { days: Math.max(1, Math.ceil(days)), perDay: line.slope * 86400, fraction };
}
