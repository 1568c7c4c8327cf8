// The health limiter: repeats held back and folded in, urgent problems never
// held, flapping told once and muted until it settles, summaries when due.

import { describe, expect, it } from "vitest";

import { composeAdmittedHealth, type HealthEvent } from "../../src/backups/events";
import { createHealthLimiter } from "../../src/backups/health-limiter";
import { createHealthWatch } from "../../src/backups/watcher";
import type { Result } from "../../src/api/errors";
import type { Notification } from "../../src/notify/limiter";
import type { Snapshot } from "../../src/model/types";
import { guestInfo } from "../helpers/snapshots";

const T0 = 1764600000000;
const sec = (n: number) => T0 + n * 1000;

const ceph = (what: string): HealthEvent => ({
  kind: "ceph-health",
  key: "cluster/ceph",
  what,
  detail: what === "HEALTH_OK" ? "" : "MON_CLOCK_SKEW: clock skew detected",
});
const haProblem = (vmid: number, what = "error"): HealthEvent => ({
  kind: "ha-problem",
  key: "ha/vm:" + vmid,
  vmid,
  node: "pve1",
  what,
  detail: what,
});
const haRecovered = (vmid: number): HealthEvent => ({
  kind: "ha-recovered",
  key: "ha/vm:" + vmid,
  vmid,
  node: "pve1",
  what: "started",
  detail: "started",
});
let upids = 0;
const taskFailed = (vmid: number, what = "vzdump"): HealthEvent => ({
  kind: "task-failed",
  key: "task/UPID:pve1:" + upids++ + ":" + what + ":" + vmid + ":",
  vmid,
  node: "pve1",
  what,
  detail: "job errors",
});

describe("health limiter", () => {
  it("holds back the same job failing again within the interval, and summarises it once due", () => {
    const l = createHealthLimiter({ minIntervalSec: 120 });
    expect(l.admit([taskFailed(100)], sec(0)).passing).toHaveLength(1);
    const second = l.admit([taskFailed(100)], sec(60));
    expect(second.passing).toEqual([]);
    expect(composeAdmittedHealth(second)).toEqual([]);
    // Not due yet (held at 60 s): nothing.
    expect(composeAdmittedHealth(l.admit([], sec(170)))).toEqual([]);
    const summary = composeAdmittedHealth(l.admit([], sec(180)));
    expect(summary).toHaveLength(1);
    expect(summary[0]!.kind).toBe("summary");
    expect(summary[0]!.suppressedCount).toBe(1);
    expect(summary[0]!.title).toBe("Repeated cluster problems held back: 1");
    expect(summary[0]!.body).toContain("Task vzdump of guest 100 on pve1 failed");
    // Told once: the next empty read is silent.
    expect(composeAdmittedHealth(l.admit([], sec(400)))).toEqual([]);
  });

  it("another guest's failure is not held back by the first one's, and carries the held count", () => {
    const l = createHealthLimiter({ minIntervalSec: 120 });
    l.admit([taskFailed(100)], sec(0));
    l.admit([taskFailed(100)], sec(30));
    const next = composeAdmittedHealth(l.admit([taskFailed(101)], sec(60)));
    expect(next).toHaveLength(1);
    expect(next[0]!.kind).toBe("group");
    expect(next[0]!.suppressedCount).toBe(1);
    expect(next[0]!.guests).toEqual([101]);
    expect(next[0]!.body.split("\n")).toEqual([
      "Task vzdump of guest 101 on pve1 failed: job errors",
      "+1 repeated, held back",
    ]);
    expect(next[0]!.urgency).toBe("high");
  });

  it("never holds back an HA error or fencing, nor Ceph HEALTH_ERR", () => {
    const l = createHealthLimiter({ minIntervalSec: 120, flapping: { changes: 0 } });
    for (let i = 0; i < 5; i++) {
      expect(l.admit([haProblem(100)], sec(i * 10)).passing).toHaveLength(1);
      expect(l.admit([ceph("HEALTH_ERR")], sec(i * 10 + 1)).passing).toHaveLength(1);
    }
  });

  it("a Ceph cluster that flips between OK and WARN is told a few times, then once as flapping, then muted until it settles", () => {
    const l = createHealthLimiter({ minIntervalSec: 120 });
    const told: Notification[] = [];
    // A flip on every read for 20 minutes (one read per 30 s).
    for (let i = 0; i < 40; i++) {
      const e = ceph(i % 2 === 0 ? "HEALTH_WARN" : "HEALTH_OK");
      told.push(...composeAdmittedHealth(l.admit([e], sec(i * 30))));
    }
    expect(told.length).toBeLessThanOrEqual(4);
    const flapping = told.filter((n) => n.kind === "flapping");
    expect(flapping).toHaveLength(1);
    expect(flapping[0]!.title).toBe("Keeps changing: Ceph HEALTH_OK");
    expect(flapping[0]!.body).toBe(
      "Ceph health keeps changing (4 times in 10 min); muted until it settles",
    );
    // Quiet for the quiet time: one "settled" notice with the last state, low urgency.
    const last = 39 * 30;
    expect(composeAdmittedHealth(l.admit([], sec(last + 599)))).toEqual([]);
    const settled = composeAdmittedHealth(l.admit([], sec(last + 600)));
    expect(settled).toHaveLength(1);
    expect(settled[0]!.kind).toBe("stable");
    expect(settled[0]!.urgency).toBe("low");
    expect(settled[0]!.body).toMatch(
      /^Settled \(muted changes: \d+\): Ceph health is now HEALTH_OK$/,
    );
    // After settling, a new change is told again.
    expect(l.admit([ceph("HEALTH_WARN")], sec(last + 700)).passing).toHaveLength(1);
  });

  it("an HA service flapping between error and started on every refresh stops notifying", () => {
    const l = createHealthLimiter({ minIntervalSec: 120 });
    let count = 0;
    for (let i = 0; i < 120; i++) {
      const e = i % 2 === 0 ? haProblem(100) : haRecovered(100);
      count += composeAdmittedHealth(l.admit([e], sec(i * 5))).length;
    }
    // Ten minutes of refreshes every 5 s: a few notices and one flapping, not 120.
    expect(count).toBeLessThanOrEqual(4);
  });

  it("rate limit 0 tells every repeat (flapping detection still applies)", () => {
    const l = createHealthLimiter({ minIntervalSec: 0, flapping: { changes: 0 } });
    for (let i = 0; i < 10; i++) expect(l.admit([taskFailed(100)], sec(i)).passing).toHaveLength(1);
  });

  it("stays linear: 20,000 failures of distinct jobs in one read are one notification", () => {
    const l = createHealthLimiter();
    const many: HealthEvent[] = [];
    for (let i = 0; i < 20000; i++) many.push(taskFailed(1000 + i));
    const started = Date.now();
    const n = composeAdmittedHealth(l.admit(many, sec(0)));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(n).toHaveLength(1);
    expect(n[0]!.body.split("\n")).toHaveLength(6);
  });
});

describe("health watch with the limiter", () => {
  it("--rate-limit: the same job failing on every tasks read notifies once, then a summary", async () => {
    let n = 0;
    const tasks: unknown[] = [];
    const fail = () => {
      n++;
      tasks.unshift({
        upid: `UPID:pve1:0000${n}AAA:00A1B2C3:692D0000:vzdump:100:root@pam:`,
        node: "pve1",
        type: "vzdump",
        id: "100",
        user: "root@pam",
        starttime: 1764590000 + n,
        endtime: 1764590005 + n,
        status: "job errors",
      });
    };
    const client = {
      get(path: string) {
        const result: Result<unknown> =
          path === "/cluster/tasks"
            ? { ok: true, value: tasks.slice() }
            : { ok: false, error: { kind: "permission", message: "no" } };
        return { result: Promise.resolve(result), abort: () => undefined };
      },
    };
    const snapshot = (): Snapshot => ({
      cluster: { name: null, quorate: true, version: null } as unknown as Snapshot["cluster"],
      nodes: [],
      guests: [guestInfo(100)],
      storage: [],
    });
    const out: Notification[] = [];
    let now = T0;
    const watch = createHealthWatch({
      client,
      scheduler: { now: () => now, schedule: () => () => undefined },
      snapshot,
      snoozes: () => [],
      emit: (x) => out.push(x),
      backupsEverySec: 3600,
      rateLimitSec: 300,
    });
    await watch.tick();
    for (let i = 1; i <= 3; i++) {
      now += 60_000;
      fail();
      await watch.tick();
    }
    expect(out.map((x) => x.kind)).toEqual(["single"]);
    now += 300_000;
    await watch.tick();
    expect(out.map((x) => x.kind)).toEqual(["single", "summary"]);
    expect(out[1]!.suppressedCount).toBe(2);
    watch.stop();
  });
});
