// Several connections at once (issue 11): two and five real simulators, each
// watched by its own monitor (own refresh controller, backoff, staleness),
// one of them failing in every fault mode the simulator has while the others
// keep refreshing exactly on their schedule. Time is a fake clock, so "on
// time" is an equality, not a tolerance; the network is real, and every wait
// is on an event (a monitor's state), never a sleep.

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createNodejsTransport, type NodejsTransport } from "../../src/api/transport-nodejs.node";
import { createMonitor, type Monitor } from "../../src/monitor";
import type { Snapshot } from "../../src/model/types";
import type { RefreshState } from "../../src/refresh/controller";
import { FAULT_KINDS } from "../../src/sim-engine/faults";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import { createFakeScheduler, type FakeScheduler } from "../helpers/fake-scheduler";

const SECRET = "00000000-0000-4000-8000-00000000de00";
const INTERVAL_MS = 30_000;

type State = RefreshState<Snapshot>;

interface Watched {
  name: string;
  sim: SimulatorHandle;
  monitor: Monitor;
  transport: NodejsTransport;
}

/** Resolves with the monitor's next state that is not "refreshing". */
function nextSettled(monitor: Monitor): Promise<State> {
  return new Promise((resolve) => {
    const off = monitor.onState((s) => {
      if (!s.refreshing) {
        off();
        resolve(s);
      }
    });
  });
}

/**
 * Moves the fake clock to `at`; every monitor whose refresh falls due by
 * then is awaited until it settled. Returns the settled states by name.
 */
async function driveTo(
  clock: FakeScheduler,
  watched: Watched[],
  at: number,
): Promise<Record<string, State>> {
  const due = watched.filter((w) => {
    const next = w.monitor.state().nextRefreshAt;
    return next !== null && next <= at;
  });
  const waits = due.map((w) => nextSettled(w.monitor));
  clock.advance(at - clock.now());
  const states = await Promise.all(waits);
  const out: Record<string, State> = {};
  due.forEach((w, i) => (out[w.name] = states[i] as State));
  return out;
}

/** What each fault needs to be cheap and bounded (timeout 1 s). */
function faultFor(kind: string): Record<string, unknown> {
  if (kind === "huge") return { kind, bytes: 1024 * 1024 };
  if (kind === "slow" || kind === "delay") return { kind, delayMs: 3000 };
  if (kind === "error") return { kind, status: 502, message: "Bad gateway" };
  return { kind };
}

const MODES: string[] = [...FAULT_KINDS, "stopped"];

for (const count of [2, 5]) {
  describe(`${count} simulators at once, one failing`, () => {
    const sims: SimulatorHandle[] = [];

    beforeAll(async () => {
      const started = await Promise.all(Array.from({ length: count }, () => startSimulator({})));
      sims.push(...started);
    });

    afterAll(async () => {
      await Promise.all(sims.map((s) => s.stop()));
    });

    function watch(clock: FakeScheduler): Watched[] {
      return sims.map((sim, i) => {
        // A body cap far above a normal answer, below the "huge" fault's.
        const transport = createNodejsTransport({
          tls: { mode: "ca", caPem: sim.caPem },
          maxBodyBytes: 512 * 1024,
        });
        const monitor = createMonitor({ scheduler: clock, transport, random: () => 0.5 });
        return { name: "c" + i, sim, monitor, transport };
      });
    }

    function configure(w: Watched): void {
      w.monitor.configure({
        host: "127.0.0.1",
        port: w.sim.port,
        tokenId: w.sim.tokenId as string,
        secret: SECRET,
        refreshIntervalSec: INTERVAL_MS / 1000,
        timeoutSec: 1,
        connectionName: w.name,
      });
    }

    function dispose(watched: Watched[]): void {
      for (const w of watched) {
        w.monitor.dispose();
        w.transport.close();
      }
    }

    it.each(MODES)(
      "fault %s on one: the others refresh on time, it recovers by itself",
      async (mode) => {
        const clock = createFakeScheduler(1_000_000);
        const watched = watch(clock);
        const bad = watched[1] as Watched;
        const good = watched.filter((w) => w !== bad);
        try {
          const first = watched.map((w) => nextSettled(w.monitor));
          watched.forEach(configure);
          for (const s of await Promise.all(first)) expect(s.error).toBeNull();

          if (mode === "stopped") await bad.sim.stop();
          else bad.sim.addFault(faultFor(mode));
          const t1 = clock.now() + INTERVAL_MS;
          const round = await driveTo(clock, watched, t1);
          for (const w of good) {
            const s = round[w.name] as State;
            // Started and finished at the scheduled instant, with fresh data.
            expect(s.lastAttemptAt).toBe(t1);
            expect(s.lastSuccessAt).toBe(t1);
            expect(s.error).toBeNull();
            expect(s.stale).toBe(false);
            expect(s.nextRefreshAt).toBe(t1 + INTERVAL_MS);
          }
          const failed = round[bad.name] as State;
          {
            expect(failed.error).not.toBeNull();
            // Its own error state: the last good data is kept, marked stale, backing off.
            expect(failed.stale).toBe(true);
            expect(failed.consecutiveFailures).toBe(1);
            expect(failed.nextRefreshAt).toBe(t1 + 5000);
          }
          for (const w of good) expect(w.monitor.view().phase).toBe("ok");

          // Recovery by itself at its own retry time; the others are not due.
          if (mode === "stopped") await bad.sim.restart();
          else bad.sim.clearFaults();
          const retryAt = bad.monitor.state().nextRefreshAt as number;
          const recovered = await driveTo(clock, watched, retryAt);
          expect(Object.keys(recovered)).toEqual([bad.name]);
          expect((recovered[bad.name] as State).error).toBeNull();
          // And the others' next refresh is still exactly on schedule.
          const t2 = t1 + INTERVAL_MS;
          const later = await driveTo(clock, watched, t2);
          for (const w of good) expect((later[w.name] as State).lastSuccessAt).toBe(t2);
        } finally {
          dispose(watched);
          bad.sim.clearFaults();
          if (!bad.sim.running) await bad.sim.restart();
        }
      },
    );
  });
}
