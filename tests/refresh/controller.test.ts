import { describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import type { ProxmonError, Result } from "../../src/api/errors";
import {
  backoffDelay,
  createRefreshController,
  DEFAULT_BACKOFF,
  type LoadContext,
  type RefreshState,
} from "../../src/refresh/controller";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

interface FakeCall<T> {
  context: LoadContext;
  resolve(result: Result<T>): void;
  aborted: boolean;
  settled: boolean;
}

/** A load whose answers the test hands out; abort() resolves "aborted" unless told not to. */
function fakeLoad<T>(options: { abortResolves?: boolean } = {}) {
  const calls: FakeCall<T>[] = [];
  const load = (context: LoadContext) => {
    let settle!: (r: Result<T>) => void;
    const result = new Promise<Result<T>>((r) => (settle = r));
    const call: FakeCall<T> = {
      context,
      aborted: false,
      settled: false,
      resolve(r) {
        if (call.settled) return;
        call.settled = true;
        settle(r);
      },
    };
    calls.push(call);
    return {
      result,
      abort() {
        call.aborted = true;
        if (options.abortResolves !== false) {
          call.resolve({ ok: false, error: { kind: "aborted", message: "aborted" } });
        }
      },
    };
  };
  const last = () => calls[calls.length - 1] as FakeCall<T>;
  const live = () => calls.filter((c) => !c.settled && !c.aborted).length;
  return { load, calls, last, live };
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (kind: ProxmonError["kind"] = "unreachable"): Result<never> => ({
  ok: false,
  error: { kind, message: "Cannot reach pve.lan:8006 (ECONNREFUSED)" },
});

function setup(opts: { random?: () => number; intervalMs?: number; abortResolves?: boolean } = {}) {
  const scheduler = createFakeScheduler(1_000_000);
  const fake = fakeLoad<string>({ abortResolves: opts.abortResolves });
  const log = vi.fn();
  const controller = createRefreshController<string>({
    scheduler,
    load: fake.load,
    intervalMs: opts.intervalMs ?? 30_000,
    random: opts.random ?? (() => 0.5),
    log,
  });
  /** Answers the latest load and lets the controller act on it. */
  const answer = async (result: Result<string>) => {
    fake.last().resolve(result);
    await flushPromises();
  };
  return { scheduler, fake, controller, log, answer };
}

describe("refresh controller: normal cadence", () => {
  it("loads at start, then once per interval after each answer", async () => {
    const { scheduler, fake, controller, answer } = setup();
    expect(controller.getState().running).toBe(false);
    controller.start();
    expect(fake.calls).toHaveLength(1);
    expect(fake.last().context).toEqual({ attempt: 1, refreshIndex: 0 });
    expect(controller.getState()).toMatchObject({
      running: true,
      refreshing: true,
      lastAttemptAt: 1_000_000,
    });
    expect(scheduler.pending()).toBe(0);

    scheduler.advance(700);
    await answer(ok("a"));
    const s = controller.getState();
    expect(s).toMatchObject({
      refreshing: false,
      data: "a",
      lastSuccessAt: 1_000_700,
      error: null,
      stale: false,
      consecutiveFailures: 0,
      nextRefreshAt: 1_030_700,
    });
    expect(scheduler.timers()).toEqual([expect.objectContaining({ delay: 30_000 })]);

    scheduler.advance(29_999);
    expect(fake.calls).toHaveLength(1);
    scheduler.advance(1);
    expect(fake.calls).toHaveLength(2);
    expect(fake.last().context).toEqual({ attempt: 1, refreshIndex: 1 });
  });

  it("schedules the next refresh only after the previous one finished (no overlap)", async () => {
    const { scheduler, fake, controller, answer } = setup({ intervalMs: 10_000 });
    controller.start();
    scheduler.advance(120_000); // a slow server
    expect(fake.calls).toHaveLength(1);
    expect(scheduler.pending()).toBe(0);
    await answer(ok("a"));
    expect(controller.getState().nextRefreshAt).toBe(scheduler.now() + 10_000);
  });

  it("start() while running does nothing", () => {
    const { fake, controller } = setup();
    controller.start();
    controller.start();
    expect(fake.calls).toHaveLength(1);
  });

  it("setInterval moves a pending regular refresh, measured from the last answer", async () => {
    const { scheduler, fake, controller, answer } = setup({ intervalMs: 60_000 });
    controller.start();
    await answer(ok("a"));
    const answeredAt = scheduler.now();
    scheduler.advance(5_000);
    controller.setInterval(20_000);
    expect(controller.getState().nextRefreshAt).toBe(answeredAt + 20_000);
    scheduler.advance(15_000);
    expect(fake.calls).toHaveLength(2);
  });

  it("setInterval to a shorter time than already passed refreshes at once", async () => {
    const { scheduler, fake, controller, answer } = setup({ intervalMs: 60_000 });
    controller.start();
    await answer(ok("a"));
    scheduler.advance(30_000);
    controller.setInterval(10_000);
    scheduler.advance(0);
    expect(fake.calls).toHaveLength(2);
  });

  it("clamps silly intervals to 1 s", async () => {
    const { scheduler, controller, answer } = setup({ intervalMs: 0 });
    controller.start();
    await answer(ok("a"));
    expect(scheduler.timers()[0]?.delay).toBe(1000);
  });
});

describe("refresh controller: failures and backoff", () => {
  it("backs off 5, 10, 20, 40, 80, 160 s, then 300 s, with no jitter at random 0.5", async () => {
    const { scheduler, fake, controller, answer } = setup();
    controller.start();
    const delays: number[] = [];
    const attempts: number[] = [];
    for (let i = 0; i < 9; i++) {
      attempts.push(fake.last().context.attempt);
      await answer(fail());
      const timer = scheduler.timers()[0];
      expect(timer).toBeDefined();
      delays.push(timer!.delay);
      expect(controller.getState().consecutiveFailures).toBe(i + 1);
      scheduler.runNext();
    }
    expect(delays).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("applies ±20 % jitter but never waits longer than the maximum", () => {
    const b = DEFAULT_BACKOFF;
    expect(backoffDelay(1, b, () => 0)).toBe(4_000);
    expect(backoffDelay(1, b, () => 0.999999)).toBe(6_000);
    expect(backoffDelay(3, b, () => 0)).toBe(16_000);
    expect(backoffDelay(20, b, () => 0)).toBe(240_000);
    expect(backoffDelay(20, b, () => 0.999999)).toBe(300_000);
    expect(backoffDelay(1000, b, () => 0.5)).toBe(300_000);
  });

  it("stays within the jitter band for any failure count and random value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const d = backoffDelay(n, DEFAULT_BACKOFF, () => r);
          const base = Math.min(300_000, 5_000 * 2 ** (n - 1));
          expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
          expect(d).toBeLessThanOrEqual(Math.min(300_000, Math.ceil(base * 1.2)));
        },
      ),
    );
  });

  it("uses the injected random for the retry timer", async () => {
    const { scheduler, controller, answer } = setup({ random: () => 0 });
    controller.start();
    await answer(fail());
    expect(scheduler.timers()[0]?.delay).toBe(4_000);
  });

  it("keeps the data and marks it stale while failing, and returns to the interval after recovery", async () => {
    const { scheduler, controller, answer } = setup({ intervalMs: 30_000 });
    controller.start();
    await answer(ok("good"));
    const successAt = controller.getState().lastSuccessAt;

    scheduler.runNext();
    await answer(fail("timeout"));
    expect(controller.getState()).toMatchObject({
      data: "good",
      stale: true,
      consecutiveFailures: 1,
      lastSuccessAt: successAt,
      error: { kind: "timeout" },
    });
    expect(scheduler.timers()[0]?.delay).toBe(5_000);

    scheduler.runNext();
    await answer(fail("timeout"));
    expect(controller.getState()).toMatchObject({
      data: "good",
      stale: true,
      consecutiveFailures: 2,
    });
    expect(scheduler.timers()[0]?.delay).toBe(10_000);

    scheduler.runNext();
    await answer(ok("better"));
    expect(controller.getState()).toMatchObject({
      data: "better",
      stale: false,
      consecutiveFailures: 0,
      error: null,
    });
    expect(scheduler.timers()[0]?.delay).toBe(30_000);
  });

  it("is not stale when it never had data", async () => {
    const { controller, answer } = setup();
    controller.start();
    await answer(fail("auth"));
    expect(controller.getState()).toMatchObject({
      data: null,
      stale: false,
      error: { kind: "auth" },
    });
  });

  it("backs off the same way for auth, permission and config errors", async () => {
    for (const kind of ["auth", "permission", "config"] as const) {
      const { scheduler, controller, answer } = setup();
      controller.start();
      await answer(fail(kind));
      expect(scheduler.timers()[0]?.delay).toBe(5_000);
    }
  });

  it("turns a load that throws or rejects into a failure and keeps going", async () => {
    const scheduler = createFakeScheduler();
    let n = 0;
    const controller = createRefreshController<string>({
      scheduler,
      intervalMs: 30_000,
      random: () => 0.5,
      load: () => {
        n++;
        if (n === 1) throw new Error("boom");
        return { result: Promise.reject(new Error("rejected")), abort() {} };
      },
    });
    controller.start();
    await flushPromises();
    expect(controller.getState().error).toMatchObject({
      kind: "bad-response",
      message: expect.stringContaining("boom"),
    });
    scheduler.runNext();
    await flushPromises();
    expect(controller.getState().error).toMatchObject({
      message: expect.stringContaining("rejected"),
    });
    expect(controller.getState().consecutiveFailures).toBe(2);
    expect(scheduler.pending()).toBe(1);
  });

  it("treats an 'aborted' answer to the current request as no news, not a failure", async () => {
    const { scheduler, controller, answer } = setup();
    controller.start();
    await answer(ok("a"));
    scheduler.runNext();
    await answer({ ok: false, error: { kind: "aborted", message: "aborted" } });
    expect(controller.getState()).toMatchObject({
      data: "a",
      error: null,
      stale: false,
      consecutiveFailures: 0,
    });
    expect(scheduler.timers()[0]?.delay).toBe(30_000);
  });
});

describe("refresh controller: in-flight requests", () => {
  it("refreshNow aborts the request in flight and ignores its late answer", async () => {
    const { fake, controller, answer } = setup({ abortResolves: false });
    controller.start();
    const first = fake.last();
    controller.refreshNow();
    expect(first.aborted).toBe(true);
    expect(fake.calls).toHaveLength(2);
    expect(fake.last().context.refreshIndex).toBe(1);

    first.resolve(ok("old"));
    await flushPromises();
    expect(controller.getState()).toMatchObject({ data: null, refreshing: true });

    await answer(ok("new"));
    expect(controller.getState()).toMatchObject({ data: "new", refreshing: false });
  });

  it("ignores a late failure of a superseded request", async () => {
    const { fake, controller, answer } = setup({ abortResolves: false });
    controller.start();
    const first = fake.last();
    controller.refreshNow();
    await answer(ok("new"));
    first.resolve(fail());
    await flushPromises();
    expect(controller.getState()).toMatchObject({
      data: "new",
      error: null,
      consecutiveFailures: 0,
    });
  });

  it("an 'aborted' answer from a superseded request changes nothing", async () => {
    const { controller, answer } = setup();
    controller.start();
    await answer(ok("a"));
    controller.refreshNow();
    const before = controller.getState();
    controller.refreshNow(); // aborts the previous one, which answers "aborted"
    await flushPromises();
    const after = controller.getState();
    expect(after).toMatchObject({
      data: before.data,
      error: null,
      consecutiveFailures: 0,
      refreshing: true,
    });
  });

  it("refreshNow during a backoff wait cancels that timer", async () => {
    const { scheduler, fake, controller, answer } = setup();
    controller.start();
    await answer(fail());
    expect(scheduler.pending()).toBe(1);
    controller.refreshNow();
    expect(scheduler.pending()).toBe(0);
    expect(fake.last().context.attempt).toBe(2);
  });

  it("never has more than one request in flight, whatever happens", async () => {
    const action = fc.oneof(
      fc.constant("refreshNow" as const),
      fc.constant("stop" as const),
      fc.constant("start" as const),
      fc.constant("ok" as const),
      fc.constant("fail" as const),
      fc.constant("lateOk" as const),
      fc.integer({ min: 0, max: 400_000 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 40 }), async (actions) => {
        const { scheduler, fake, controller } = setup({ abortResolves: false });
        controller.start();
        for (const a of actions) {
          if (a === "refreshNow") controller.refreshNow();
          else if (a === "stop") controller.stop();
          else if (a === "start") controller.start();
          else if (a === "ok")
            fake.calls.filter((c) => !c.aborted).forEach((c) => c.resolve(ok("v")));
          else if (a === "fail")
            fake.calls.filter((c) => !c.aborted).forEach((c) => c.resolve(fail()));
          else if (a === "lateOk")
            fake.calls.filter((c) => c.aborted).forEach((c) => c.resolve(ok("late")));
          else scheduler.advance(a);
          await flushPromises();
          expect(fake.live()).toBeLessThanOrEqual(1);
          const s = controller.getState();
          expect(s.data).not.toBe("late");
          expect(s.refreshing).toBe(fake.live() === 1);
          // A timer and a load in flight never coexist.
          if (s.refreshing) expect(scheduler.pending()).toBe(0);
          expect(scheduler.pending()).toBeLessThanOrEqual(1);
        }
        controller.dispose();
      }),
      { numRuns: 150 },
    );
  });
});

describe("refresh controller: stop, refreshNow while stopped, dispose", () => {
  it("stop cancels the timer and aborts the request in flight", async () => {
    const { scheduler, fake, controller, answer } = setup();
    controller.start();
    await answer(ok("a"));
    scheduler.runNext();
    const inFlight = fake.last();
    controller.stop();
    expect(inFlight.aborted).toBe(true);
    expect(scheduler.pending()).toBe(0);
    expect(controller.getState()).toMatchObject({
      running: false,
      refreshing: false,
      nextRefreshAt: null,
      data: "a",
    });
    scheduler.advance(10 * 60_000);
    await flushPromises();
    expect(fake.calls).toHaveLength(2);
  });

  it("stop during a backoff wait cancels the retry", async () => {
    const { scheduler, fake, controller, answer } = setup();
    controller.start();
    await answer(fail());
    controller.stop();
    expect(scheduler.pending()).toBe(0);
    scheduler.advance(600_000);
    expect(fake.calls).toHaveLength(1);
  });

  it("start after stop loads again at once", async () => {
    const { fake, controller } = setup();
    controller.start();
    controller.stop();
    controller.start();
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[0]!.aborted).toBe(true);
  });

  it("refreshNow while stopped refreshes once and schedules nothing", async () => {
    const { scheduler, fake, controller, answer } = setup();
    controller.refreshNow();
    expect(fake.calls).toHaveLength(1);
    await answer(ok("once"));
    expect(controller.getState()).toMatchObject({
      data: "once",
      running: false,
      nextRefreshAt: null,
    });
    expect(scheduler.pending()).toBe(0);
  });

  it("start during a one-shot refresh waits for it instead of starting another", async () => {
    const { scheduler, fake, controller, answer } = setup();
    controller.refreshNow();
    controller.start();
    expect(fake.calls).toHaveLength(1);
    await answer(ok("a"));
    expect(scheduler.pending()).toBe(1);
  });

  it("dispose stops everything and silences listeners", async () => {
    const { scheduler, fake, controller } = setup();
    const listener = vi.fn();
    controller.subscribe(listener);
    controller.start();
    listener.mockClear();
    controller.dispose();
    expect(fake.last().aborted).toBe(true);
    controller.start();
    controller.refreshNow();
    expect(fake.calls).toHaveLength(1);
    expect(scheduler.pending()).toBe(0);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe("refresh controller: listeners", () => {
  it("are told when a refresh starts and when it ends", async () => {
    const { controller, answer } = setup();
    const seen: Array<Pick<RefreshState<string>, "refreshing" | "data">> = [];
    controller.subscribe((s) => seen.push({ refreshing: s.refreshing, data: s.data }));
    controller.start();
    await answer(ok("a"));
    expect(seen).toEqual([
      { refreshing: true, data: null },
      { refreshing: false, data: "a" },
    ]);
  });

  it("a listener that throws breaks neither the controller nor other listeners", async () => {
    const { scheduler, controller, log, answer } = setup();
    const good = vi.fn();
    controller.subscribe(() => {
      throw new Error("listener bug");
    });
    controller.subscribe(good);
    controller.start();
    await answer(ok("a"));
    expect(good).toHaveBeenCalledTimes(2);
    expect(controller.getState().data).toBe("a");
    expect(scheduler.pending()).toBe(1);
    expect(log).toHaveBeenCalledWith("warn", expect.stringContaining("listener bug"));
  });

  it("unsubscribe stops the notifications", async () => {
    const { controller, answer } = setup();
    const listener = vi.fn();
    const unsubscribe = controller.subscribe(listener);
    controller.start();
    unsubscribe();
    await answer(ok("a"));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("a listener that refreshes from inside a notification leaves everyone with the latest state", async () => {
    const { fake, controller, answer } = setup();
    let done = false;
    const lastSeen: RefreshState<string>[] = [];
    controller.subscribe((s) => {
      if (!done && !s.refreshing && s.data === "a") {
        done = true;
        controller.refreshNow();
      }
    });
    controller.subscribe((s) => lastSeen.push(s));
    controller.start();
    await answer(ok("a"));
    expect(fake.calls).toHaveLength(2);
    expect(lastSeen[lastSeen.length - 1]).toMatchObject({ refreshing: true, data: "a" });
  });
});
