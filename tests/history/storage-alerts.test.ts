import { describe, expect, it } from "vitest";

import {
  createStorageAlertTracker,
  nextLevel,
  normaliseAlertSettings,
  DEFAULT_STORAGE_ALERTS,
} from "../../src/history/storage-alerts";
import {
  createNotificationPipeline,
  DEFAULT_NOTIFICATION_SETTINGS,
} from "../../src/notify/pipeline";
import { parseFilter, shouldNotify } from "../../src/notify/filter";
import type { ChangeEvent } from "../../src/notify/diff";
import { snapshot, storageInfo } from "../helpers/snapshots";

function at(percent: number | null, shared = false) {
  return snapshot({
    storage: [
      storageInfo("data", "pve1", {
        shared,
        used: percent === null ? null : percent * 10,
        total: 1000,
      }),
    ],
  });
}

/** Runs a timeline of percentages and returns "index:kind" for every event. */
function timeline(values: Array<number | null>, settings = {}): string[] {
  const t = createStorageAlertTracker(settings);
  const out: string[] = [];
  values.forEach((v, i) => {
    for (const e of t.update(at(v))) out.push(i + ":" + e.kind + ":" + e.percent);
  });
  return out;
}

describe("filling-up alerts", () => {
  it("warns once when crossing 85 %, goes critical at 95 %, recovers below 82 %", () => {
    expect(timeline([50, 80, 86, 88, 90, 96, 97, 93, 90, 84, 83, 81, 80])).toEqual([
      "2:storage-warning:86",
      "5:storage-critical:96",
      "11:storage-recovered:81",
    ]);
  });

  it("does not flap around a threshold: the 3-point band holds the level", () => {
    expect(timeline([80, 85, 84, 85.5, 83, 86, 82.5, 85])).toEqual(["1:storage-warning:85"]);
    expect(timeline([80, 85, 81.9, 85])).toEqual([
      "1:storage-warning:85",
      "2:storage-recovered:82",
      "3:storage-warning:85",
    ]);
  });

  it("critical drops back to warning silently, and goes critical again once per crossing", () => {
    expect(timeline([70, 96, 91, 96, 80])).toEqual([
      "1:storage-critical:96",
      "3:storage-critical:96",
      "4:storage-recovered:80",
    ]);
  });

  it("the first snapshot is a baseline; unknown usage keeps the level", () => {
    expect(timeline([90, 92, null, 94, 81])).toEqual(["4:storage-recovered:81"]);
  });

  it("uses configured thresholds and band, and makes nonsense settings sane", () => {
    expect(
      timeline([50, 71, 96], { warnPercent: 70, criticalPercent: 90, hysteresisPoints: 0 }),
    ).toEqual(["1:storage-warning:71", "2:storage-critical:96"]);
    expect(
      normaliseAlertSettings({ warnPercent: NaN, criticalPercent: 10, hysteresisPoints: -1 }),
    ).toEqual({
      warnPercent: 85,
      criticalPercent: 85,
      hysteresisPoints: 3,
    });
    expect(nextLevel("warning", 82, DEFAULT_STORAGE_ALERTS)).toBe("warning");
    expect(nextLevel("warning", 81.99, DEFAULT_STORAGE_ALERTS)).toBe("ok");
  });

  it("a shared storage is one subject, however many nodes list it", () => {
    const t = createStorageAlertTracker();
    const two = (p: number) =>
      snapshot({
        storage: ["pve1", "pve2", "pve3"].map((n) =>
          storageInfo("ceph", n, { shared: true, used: p * 10, total: 1000 }),
        ),
      });
    t.update(two(50));
    const events = t.update(two(90));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ key: "storage/ceph", storage: "ceph", node: undefined });
  });
});

describe("storage alerts in the notification pipeline", () => {
  function run(patterns: string, mode: "all" | "whitelist" | "blacklist", notifyOnStorage = true) {
    const p = createNotificationPipeline({
      endpoint: "h:8006",
      settings: { ...DEFAULT_NOTIFICATION_SETTINGS, mode, patterns, notifyOnStorage },
    });
    const out = [];
    let t = 0;
    for (const v of [50, 90, 96, 70]) out.push(...p.onSnapshot(at(v), (t += 30_000)));
    return out;
  }

  it("delivers warning, critical and recovery with translatable texts", () => {
    const n = run("", "all");
    expect(n.map((x) => x.title)).toEqual([
      "Storage data is filling up",
      "Storage data is filling up",
      "Storage data recovered",
    ]);
    expect(n[0]!.body).toContain("Storage data on pve1 is 90 % full (warning at 85 %)");
    expect(n[1]!.body).toContain("critical at 95 %");
    expect(n[1]!.urgency).toBe("high");
  });

  it("storage:NAME entries filter them; guest entries never match a storage", () => {
    expect(run("storage:da*", "whitelist")).toHaveLength(3);
    expect(run("data", "whitelist")).toHaveLength(0);
    expect(run("storage:data", "blacklist")).toHaveLength(0);
    expect(run("storage:other", "blacklist")).toHaveLength(3);
    expect(run("", "all", false)).toHaveLength(0);
  });

  it("storage: entries do not match guests", () => {
    const guest: ChangeEvent = { kind: "guest-started", key: "qemu/1", vmid: 1, name: "data" };
    const settings = {
      ...DEFAULT_NOTIFICATION_SETTINGS,
      mode: "whitelist" as const,
      patterns: "storage:data",
    };
    expect(shouldNotify(guest, settings, parseFilter(settings.patterns))).toBe(false);
  });
});
