// Filling-up alerts (issue 12): one event when a storage's usage crosses
// the warning or the critical threshold, one when it recovers below the
// warning threshold — not one per refresh, and no flapping around a line.
//
// Hysteresis: a level is entered at its threshold and left only when the
// usage falls HYSTERESIS points (percentage points, default 3) below it.
// With the defaults a storage enters "warning" at 85 % and leaves it below
// 82 %, enters "critical" at 95 % and drops back to "warning" below 92 %
// (silently: that is no news), and "recovered" is said once it is below
// 82 %. The readings come from /cluster/resources, which the monitor reads
// anyway: no extra request.
//
// Like the change tracker, the first snapshot is a baseline (a storage
// already at 90 % at start is learned, not announced), a storage with
// unknown usage keeps its level, and a shared storage is one subject
// ("storage/NAME"), however many nodes list it.

import type { Snapshot } from "../model/types";
import type { ChangeEvent } from "../notify/diff";
import { storageRows } from "./storage";

export interface StorageAlertSettings {
  /** Percent, default 85. */
  warnPercent: number;
  /** Percent, default 95; at least warnPercent. */
  criticalPercent: number;
  /** Percentage points below a threshold before its level is left; default 3. */
  hysteresisPoints: number;
}

export const DEFAULT_STORAGE_ALERTS: Readonly<StorageAlertSettings> = Object.freeze({
  warnPercent: 85,
  criticalPercent: 95,
  hysteresisPoints: 3,
});

export type StorageLevel = "ok" | "warning" | "critical";

export interface StorageAlertTracker {
  update(snapshot: Snapshot): ChangeEvent[];
  reset(): void;
}

function finiteIn(v: unknown, low: number, high: number, fallback: number): number {
  return typeof v === "number" && v - v === 0 && v >= low && v <= high ? v : fallback;
}

/** Settings made sane: thresholds within 1..100, critical ≥ warn, band within 0..50. */
export function normaliseAlertSettings(
  s: Partial<StorageAlertSettings> | undefined,
): StorageAlertSettings {
  const warn = finiteIn(s && s.warnPercent, 1, 100, DEFAULT_STORAGE_ALERTS.warnPercent);
  let critical = finiteIn(s && s.criticalPercent, 1, 100, DEFAULT_STORAGE_ALERTS.criticalPercent);
  if (critical < warn) critical = warn;
  const band = finiteIn(s && s.hysteresisPoints, 0, 50, DEFAULT_STORAGE_ALERTS.hysteresisPoints);
  return { warnPercent: warn, criticalPercent: critical, hysteresisPoints: band };
}

/** The next level for a reading, given the current one (pure; the hysteresis lives here). */
export function nextLevel(
  current: StorageLevel,
  percent: number,
  s: StorageAlertSettings,
): StorageLevel {
  const band = s.hysteresisPoints;
  if (percent >= s.criticalPercent) return "critical";
  if (current === "critical" && percent >= s.criticalPercent - band) return "critical";
  if (percent >= s.warnPercent) return "warning";
  if (current !== "ok" && percent >= s.warnPercent - band) return "warning";
  return "ok";
}

interface Memory {
  level: StorageLevel;
  seen: number;
}

export function createStorageAlertTracker(
  settings?: Partial<StorageAlertSettings>,
): StorageAlertTracker {
  const s = normaliseAlertSettings(settings);
  let memory: { [key: string]: Memory | undefined } = Object.create(null) as {
    [key: string]: Memory | undefined;
  };
  let round = 0;

  return {
    update(snapshot: Snapshot): ChangeEvent[] {
      round++;
      const baseline = round === 1;
      const events: ChangeEvent[] = [];
      const rows = storageRows(snapshot.storage);
      for (const r of rows) {
        const m = memory[r.key];
        if (r.fraction === null || r.state !== "available") {
          if (m) m.seen = round;
          continue;
        }
        const percent = r.fraction * 100;
        if (!m) {
          // New storage (or the baseline): learned silently.
          memory[r.key] = { level: nextLevel("ok", percent, s), seen: round };
          continue;
        }
        m.seen = round;
        const level = nextLevel(m.level, percent, s);
        const from = m.level;
        m.level = level;
        if (baseline || level === from) continue;
        const up =
          (level === "critical" && from !== "critical") || (level === "warning" && from === "ok");
        if (!up && level !== "ok") continue; // critical → warning: no news
        events.push({
          kind: up
            ? level === "critical"
              ? "storage-critical"
              : "storage-warning"
            : "storage-recovered",
          key: r.key,
          storage: r.storage,
          node: r.shared ? undefined : r.node,
          percent: Math.round(percent),
          threshold: level === "critical" ? s.criticalPercent : s.warnPercent,
        });
      }
      // Storages gone from the list are forgotten (they come back as new).
      const next: { [key: string]: Memory | undefined } = Object.create(null) as {
        [key: string]: Memory | undefined;
      };
      for (const key in memory) {
        const m = memory[key];
        if (m && m.seen === round) next[key] = m;
      }
      memory = next;
      return events;
    },
    reset(): void {
      memory = Object.create(null) as { [key: string]: Memory | undefined };
      round = 0;
    },
  };
}
