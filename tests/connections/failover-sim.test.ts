// Failover between two "nodes" of one cluster (issue 11): two simulators,
// each with a certificate of its own (own CA, own fingerprint), pinned one
// pin per address as the settings keep them. The monitor asks the other
// address within the same refresh when the one in use is down, times out or
// answers 595/596 for itself, prefers the one that answered afterwards, and
// never fails over on a certificate that does not verify — the other
// address is then not asked at all, so the token goes nowhere new.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { formatAddress } from "../../src/connections/model";
import { createNodejsTransport, type NodejsTransport } from "../../src/api/transport-nodejs.node";
import { createMonitor, type Monitor } from "../../src/monitor";
import type { Snapshot } from "../../src/model/types";
import type { RefreshState } from "../../src/refresh/controller";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";
import { createFakeScheduler } from "../helpers/fake-scheduler";

const SECRET = "00000000-0000-4000-8000-00000000de00";

function nextSettled(monitor: Monitor): Promise<RefreshState<Snapshot>> {
  return new Promise((resolve) => {
    const off = monitor.onState((s) => {
      if (!s.refreshing) {
        off();
        resolve(s);
      }
    });
  });
}

describe("failover between two nodes with different certificates", () => {
  let a: SimulatorHandle;
  let b: SimulatorHandle;
  let transports: NodejsTransport[] = [];
  let monitor: Monitor | null = null;

  beforeAll(async () => {
    [a, b] = await Promise.all([startSimulator({}), startSimulator({})]);
    expect(a.fingerprint256).not.toBe(b.fingerprint256);
  });

  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  afterEach(async () => {
    if (monitor) monitor.dispose();
    monitor = null;
    for (const t of transports) t.close();
    transports = [];
    a.clearFaults();
    b.clearFaults();
    if (!a.running) await a.restart();
    if (!b.running) await b.restart();
    a.resetStats();
    b.resetStats();
  });

  /** A monitor over [a, b], each address pinned to `pins[i]`. */
  function start(pins: [string, string]) {
    const clock = createFakeScheduler(5_000_000);
    const byAddress: Record<string, NodejsTransport> = {};
    [a, b].forEach((sim, i) => {
      const t = createNodejsTransport({ tls: { mode: "pin", fingerprint256: pins[i] as string } });
      transports.push(t);
      byAddress[formatAddress({ host: "127.0.0.1", port: sim.port })] = t;
    });
    const m = createMonitor({
      scheduler: clock,
      transport: transports[0] as NodejsTransport,
      transportFor: (address) => byAddress[formatAddress(address)] as NodejsTransport,
      random: () => 0.5,
    });
    monitor = m;
    const first = nextSettled(m);
    m.configure({
      host: "127.0.0.1",
      port: a.port,
      addresses: [
        { host: "127.0.0.1", port: a.port },
        { host: "127.0.0.1", port: b.port },
      ],
      tokenId: a.tokenId as string,
      secret: SECRET,
      refreshIntervalSec: 30,
      timeoutSec: 1,
      connectionName: "home",
    });
    return { clock, m, first };
  }

  async function refresh(clock: ReturnType<typeof createFakeScheduler>, m: Monitor) {
    const settled = nextSettled(m);
    clock.advance((m.state().nextRefreshAt as number) - clock.now());
    return settled;
  }

  it("uses the first address while it answers", async () => {
    const { m, first } = start([a.fingerprint256, b.fingerprint256]);
    const s = await first;
    expect(s.error).toBeNull();
    expect(m.activeAddress()).toEqual({ host: "127.0.0.1", port: a.port });
    expect(b.stats.total).toBe(0);
  });

  for (const how of ["stopped", "hang", "595", "596"]) {
    it(`fails over within the same refresh when the first is ${how}, and keeps the second`, async () => {
      const { clock, m, first } = start([a.fingerprint256, b.fingerprint256]);
      await first;
      if (how === "stopped") await a.stop();
      else a.addFault({ kind: how, path: "/cluster/resources" });
      const s = await refresh(clock, m);
      // One refresh, no error: the second address answered it.
      expect(s.error).toBeNull();
      expect(s.consecutiveFailures).toBe(0);
      expect(m.activeAddress()).toEqual({ host: "127.0.0.1", port: b.port });
      expect(b.stats.byPath["/cluster/resources"]?.count).toBe(1);

      // The first is back: the one that answered stays preferred.
      a.clearFaults();
      if (!a.running) await a.restart();
      a.resetStats();
      const again = await refresh(clock, m);
      expect(again.error).toBeNull();
      expect(m.activeAddress()).toEqual({ host: "127.0.0.1", port: b.port });
      expect(a.stats.total).toBe(0);
    });
  }

  for (const [kind, errorClass] of [
    ["500", "server"],
    ["401", "auth"],
    ["403", "permission"],
  ]) {
    it(`does not fail over on ${kind}: the next node would say the same`, async () => {
      const { clock, m, first } = start([a.fingerprint256, b.fingerprint256]);
      await first;
      a.addFault({ kind: kind as string, path: "/cluster/resources" });
      const s = await refresh(clock, m);
      expect(s.error?.kind).toBe(errorClass);
      expect(b.stats.total).toBe(0);
    });
  }

  it("reports a certificate that does not verify and never sends the token to the other address", async () => {
    // a's pin is wrong (b's fingerprint); b is fine and would answer.
    const { m, first } = start([b.fingerprint256, b.fingerprint256]);
    const s = await first;
    expect(s.error?.kind).toBe("tls");
    expect(s.error?.certificate?.fingerprint256).toBe(a.fingerprint256);
    expect(m.activeAddress()).toBeNull();
    // Not failed over: b was not asked, and a got no HTTP request at all.
    expect(b.stats.total).toBe(0);
    expect(a.stats.total).toBe(0);
  });

  it("a certificate failure on the fallback address is reported, not skipped", async () => {
    const { m, first } = start([a.fingerprint256, a.fingerprint256]);
    await first;
    await a.stop();
    const settled = nextSettled(m);
    m.refreshNow();
    const s = await settled;
    expect(s.error?.kind).toBe("tls");
    expect(s.error?.certificate?.fingerprint256).toBe(b.fingerprint256);
    expect(b.stats.total).toBe(0);
  });
});
