// Flapping detection shared by the guest limiter (limiter.ts) and the
// cluster-health limiter (backups/health-limiter.ts): per subject key, the
// change that reaches `changes` within `windowMs` tips it over (told once),
// later changes are muted (counted) until it has been quiet for `quietMs`,
// when it settles with its last item and the muted count. Subjects that
// never tipped over are forgotten once their window has passed, so the map
// only holds what changed recently. State lives in each tracker.

export interface FlapTracker<T> {
  /**
   * Registers a change of `key`: the number of changes in the window when it
   * tips over, "muted" while flapping, null otherwise (and always null when
   * detection is off, changes = 0).
   */
  track(key: string, item: T, now: number): number | "muted" | null;
  /** The flapping subjects quiet for quietMs, forgotten as they are returned. */
  settle(now: number): { item: T; muted: number }[];
  reset(): void;
}

interface Flap<T> {
  times: number[];
  flapping: boolean;
  lastAt: number;
  last: T;
  muted: number;
}

export function createFlapTracker<T>(
  changes: number,
  windowMs: number,
  quietMs: number,
): FlapTracker<T> {
  let flaps = new Map<string, Flap<T>>();
  return {
    track(key, item, now) {
      if (changes === 0) return null;
      let f = flaps.get(key);
      if (f === undefined) {
        f = { times: [], flapping: false, lastAt: now, last: item, muted: 0 };
        flaps.set(key, f);
      }
      f.times = f.times.filter((t) => now - t < windowMs);
      f.times.push(now);
      f.lastAt = now;
      f.last = item;
      if (f.flapping) {
        f.muted++;
        return "muted";
      }
      if (f.times.length < changes) return null;
      f.flapping = true;
      f.muted = 0;
      return f.times.length;
    },
    settle(now) {
      const out: { item: T; muted: number }[] = [];
      const gone: string[] = [];
      flaps.forEach((f, key) => {
        if (f.flapping && now - f.lastAt >= quietMs) {
          out.push({ item: f.last, muted: f.muted });
          gone.push(key);
        } else if (!f.flapping && now - f.lastAt >= windowMs) {
          gone.push(key);
        }
      });
      for (const key of gone) flaps.delete(key);
      return out;
    },
    reset() {
      flaps = new Map();
    },
  };
}

/** Drops the entries of `sent` (key → time last told) older than `intervalMs`. */
export function forgetOlderThan(sent: Map<string, number>, now: number, intervalMs: number): void {
  const old: string[] = [];
  sent.forEach((at, key) => {
    if (now - at >= intervalMs) old.push(key);
  });
  for (const key of old) sent.delete(key);
}
