import { describe, expect, it } from "vitest";
import { createSecretSource, type SecretSourceView } from "../../src/keyring/secret-source";
import type { KeyringErrorKind, KeyringResult } from "../../src/keyring/secret-store";
import { createFakeScheduler } from "../helpers/fake-scheduler";

const account = { host: "pve.lan", port: 8006, tokenId: "monitor@pve!proxmon" };
const SECRET = "11111111-2222-4333-8444-555555555555";

// A wallet as kwalletd behaves at login: not on the bus, then locked (open()
// times out while its prompt waits), then unlocked. Answers synchronously.
function wallet() {
  const w = {
    service: true,
    unlocked: false,
    // What open() answers while locked: "locked" (no reply in time) or "denied" (-1).
    lockedAnswer: "locked" as KeyringErrorKind,
    entry: SECRET as string | null,
    reads: 0,
    probes: 0,
    store: {
      read(_a: unknown, done: (r: KeyringResult<string | null>) => void) {
        w.reads++;
        if (!w.service) return done(fail("unavailable"));
        if (!w.unlocked) return done(fail(w.lockedAnswer));
        done({ ok: true, value: w.entry });
      },
      isOpen(done: (r: KeyringResult<boolean>) => void) {
        w.probes++;
        if (!w.service) return done(fail("unavailable"));
        done({ ok: true, value: w.unlocked });
      },
    },
  };
  return w;
}

function fail<T>(kind: KeyringErrorKind): KeyringResult<T> {
  return { ok: false, error: { kind, message: "detail of " + kind } };
}

function setup(w: ReturnType<typeof wallet>) {
  const scheduler = createFakeScheduler();
  const views: SecretSourceView[] = [];
  const logs: string[] = [];
  const source = createSecretSource({
    store: w.store,
    scheduler,
    onChange: (v) => views.push(v),
    log: (level, message) => logs.push(level + " " + message),
  });
  return { scheduler, views, logs, source };
}

describe("secret source", () => {
  it("reads at once when the wallet is open", () => {
    const w = wallet();
    w.unlocked = true;
    const { source, scheduler } = setup(w);
    source.load(account);
    expect(source.view()).toMatchObject({ state: "ok", secret: SECRET, retrying: false });
    expect(scheduler.pending()).toBe(0);
  });

  it("waits for a locked wallet without calling open() again, then starts by itself", () => {
    const w = wallet();
    const { source, scheduler, logs } = setup(w);
    source.load(account);
    expect(source.view()).toMatchObject({
      state: "waiting",
      errorKind: "locked",
      secret: "",
      retrying: true,
    });
    // Polls isOpen (no prompt) with a growing pause, not read/open.
    scheduler.advance(60000);
    expect(w.reads).toBe(1);
    expect(w.probes).toBeGreaterThanOrEqual(4);
    const delays = scheduler.timers().map((t) => t.delay);
    expect(delays).toEqual([30000]);
    w.unlocked = true;
    scheduler.advance(30000);
    expect(source.view()).toMatchObject({ state: "ok", secret: SECRET, errorKind: "" });
    expect(w.reads).toBe(2);
    expect(scheduler.pending()).toBe(0);
    expect(logs.filter((l) => l.indexOf("waiting") >= 0).length).toBe(1);
    expect(logs).toContain("info KDE Wallet is open now");
  });

  it("backs off 1, 2, 4 … 30 s", () => {
    const w = wallet();
    const { source, scheduler } = setup(w);
    source.load(account);
    const seen: number[] = [];
    for (let k = 0; k < 7; k++) {
      seen.push(scheduler.timers()[0]!.delay);
      scheduler.runNext();
    }
    expect(seen).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it("waits for the service to appear, then for the unlock", () => {
    const w = wallet();
    w.service = false;
    const { source, scheduler } = setup(w);
    source.load(account);
    expect(source.view()).toMatchObject({ state: "waiting", errorKind: "unavailable" });
    scheduler.advance(3000);
    expect(w.reads).toBe(3); // no service: read again at 1 s and 3 s (nothing to poll)
    w.service = true;
    scheduler.advance(4000);
    expect(source.view()).toMatchObject({ state: "waiting", errorKind: "locked" });
    w.unlocked = true;
    scheduler.advance(60000);
    expect(source.view().state).toBe("ok");
  });

  it("a dismissed unlock prompt shows the refusal but still starts once the wallet opens", () => {
    const w = wallet();
    w.lockedAnswer = "denied";
    const { source, scheduler } = setup(w);
    source.load(account);
    expect(source.view()).toMatchObject({ state: "error", errorKind: "denied", retrying: true });
    scheduler.advance(10000);
    expect(source.view().state).toBe("error");
    w.unlocked = true;
    scheduler.advance(30000);
    expect(source.view()).toMatchObject({ state: "ok", secret: SECRET });
  });

  it("a refusal with the wallet open is final until the user tries again", () => {
    const w = wallet();
    w.unlocked = true;
    const store = {
      read: (_a: unknown, done: (r: KeyringResult<string | null>) => void) => done(fail("denied")),
      isOpen: w.store.isOpen,
    };
    const scheduler = createFakeScheduler();
    const source = createSecretSource({ store, scheduler, onChange: () => {} });
    source.load(account);
    expect(source.view()).toMatchObject({ state: "error", errorKind: "denied", retrying: false });
    expect(scheduler.pending()).toBe(0);
  });

  it("disabled and missing are final; no timers", () => {
    const w = wallet();
    w.unlocked = true;
    w.entry = null;
    const { source, scheduler } = setup(w);
    source.load(account);
    expect(source.view()).toMatchObject({ state: "missing", secret: "" });
    const store = {
      read: (_a: unknown, done: (r: KeyringResult<string | null>) => void) =>
        done(fail("disabled")),
      isOpen: w.store.isOpen,
    };
    const s2 = createSecretSource({ store, scheduler, onChange: () => {} });
    s2.load(account);
    expect(s2.view()).toMatchObject({ state: "error", errorKind: "disabled" });
    expect(scheduler.pending()).toBe(0);
  });

  it("a new account or dispose drops the wait; idle without an account", () => {
    const w = wallet();
    const { source, scheduler } = setup(w);
    source.load(account);
    expect(scheduler.pending()).toBe(1);
    source.load(null);
    expect(source.view().state).toBe("idle");
    expect(scheduler.pending()).toBe(0);
    source.load(account);
    source.dispose();
    expect(scheduler.pending()).toBe(0);
    w.unlocked = true;
    scheduler.advance(100000);
    expect(w.reads).toBe(2);
  });

  it("keeps the previous secret while re-reading", () => {
    let answer: ((r: KeyringResult<string | null>) => void) | null = null;
    const views: SecretSourceView[] = [];
    const source = createSecretSource({
      store: {
        read: (_a, done) => (answer = done),
        isOpen: (done) => done({ ok: true, value: true }),
      },
      scheduler: createFakeScheduler(),
      onChange: (v) => views.push(v),
    });
    source.load(account);
    answer!({ ok: true, value: SECRET });
    source.load(account);
    expect(source.view()).toMatchObject({ state: "reading", secret: SECRET });
  });
});
