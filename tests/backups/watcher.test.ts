// The health loop with an injected scheduler and client: baseline, one
// notification per new failure, snoozed guests silent, HA from the refresh.

import { describe, expect, it } from "vitest";

import type { Result } from "../../src/api/errors";
import { createHealthWatch } from "../../src/backups/watcher";
import type { SnoozeEntry } from "../../src/backups/snooze";
import type { Notification } from "../../src/notify/limiter";
import type { Snapshot } from "../../src/model/types";
import { guestInfo } from "../helpers/snapshots";

const upid = (id: string, n: number) =>
  `UPID:pve1:0000${n}AAA:00A1B2C3:692D0000:qmstart:${id}:root@pam:`;
const failedRow = (id: string, n: number) => ({
  upid: upid(id, n),
  node: "pve1",
  type: "qmstart",
  id,
  user: "root@pam",
  starttime: 1764590000,
  endtime: 1764590005,
  status: "start failed",
});

describe("health watch", () => {
  it("baseline, then one notification per new failure; snoozed guests and recovered HA stay quiet", async () => {
    const tasks: unknown[] = [failedRow("100", 1)];
    const paths: string[] = [];
    const client = {
      get(path: string) {
        paths.push(path);
        const result: Result<unknown> =
          path === "/cluster/tasks"
            ? { ok: true, value: tasks.slice() }
            : { ok: false, error: { kind: "permission", message: "no" } };
        return { result: Promise.resolve(result), abort: () => undefined };
      },
    };
    let hastate = "started";
    const snapshot = (): Snapshot => ({
      cluster: { name: null, quorate: true, version: null } as unknown as Snapshot["cluster"],
      nodes: [],
      guests: [guestInfo(100), guestInfo(101, { hastate })],
      storage: [],
    });
    const snoozes: SnoozeEntry[] = [{ kind: "guest", vmid: 102, mode: "until", until: 4e9 }];
    const out: Notification[] = [];
    let now = 1764600000000;
    const watch = createHealthWatch({
      client,
      scheduler: { now: () => now, schedule: () => () => undefined },
      snapshot,
      snoozes: () => snoozes,
      emit: (n) => out.push(n),
      // The full read is due at once; make it so only the first tick does it.
      backupsEverySec: 3600,
    });
    await watch.tick();
    expect(out).toEqual([]);
    now += 60_000;
    tasks.unshift(failedRow("101", 2), failedRow("102", 3));
    await watch.tick();
    expect(out).toHaveLength(1);
    expect(out[0]!.guests).toEqual([101]);
    await watch.tick();
    expect(out).toHaveLength(1);
    hastate = "fence";
    await watch.tick();
    expect(out).toHaveLength(2);
    expect(out[1]!.title).toBe("HA fencing");
    watch.stop();
  });
});
