// What the widget knows about its token secret, and how it gets it when KDE
// Wallet is not ready yet. At login plasmashell often starts before the
// wallet is unlocked: open() then waits for the user's password (and times
// out on D-Bus after ~25 s) or kwalletd is not on the bus yet. Plasma 6.3's
// QML D-Bus module cannot receive signals (walletOpened needs SignalWatcher,
// Plasma 6.4), so instead of listening this polls, with backoff, what can be
// asked without a prompt — isOpen() — and reads the secret once the wallet
// is open: the widget starts by itself, with no restart.
//
// The QML side (SecretSource.qml) hands in the store, a scheduler and the
// account, and mirrors the view this produces.

import type { Scheduler } from "../scheduler";
import type { Account, KeyringError, KeyringErrorKind, SecretStore } from "./secret-store";

/**
 * idle: nothing to read (demo mode, not set up); reading; ok; missing: the
 * wallet has no entry; waiting: the wallet is not open yet (locked, prompt
 * pending, service not up) and the secret is read by itself once it is;
 * error: a failure that needs the user (errorKind says which).
 */
export type SecretState = "idle" | "reading" | "ok" | "missing" | "waiting" | "error";

export interface SecretSourceView {
  state: SecretState;
  /** "" unless state is "ok" (or "reading" with the previous secret still in use). */
  secret: string;
  /** Why it waits or failed; "" otherwise. */
  errorKind: KeyringErrorKind | "";
  /** The store's English detail, for logs; never holds the secret. */
  errorDetail: string;
  /** Whether it still watches the wallet by itself (waiting, or denied while locked). */
  retrying: boolean;
}

export interface SecretSourceOptions {
  store: Pick<SecretStore, "read" | "isOpen">;
  scheduler: Pick<Scheduler, "schedule">;
  /** Called after every change of the view. */
  onChange: (view: SecretSourceView) => void;
  log?: (level: "debug" | "info" | "warn", message: string) => void;
  /** First pause before asking again, doubled up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export interface SecretSource {
  /** Reads the secret of `account` (null: nothing to read), dropping any wait in progress. */
  load(account: Account | null): void;
  view(): SecretSourceView;
  /** Stops every pending retry; later answers are ignored. */
  dispose(): void;
}

export const FIRST_RETRY_MS = 1000;
export const MAX_RETRY_MS = 30000;

export function createSecretSource(options: SecretSourceOptions): SecretSource {
  const store = options.store;
  const scheduler = options.scheduler;
  const log = options.log || function () {};
  const firstDelay = options.firstDelayMs || FIRST_RETRY_MS;
  const maxDelay = options.maxDelayMs || MAX_RETRY_MS;
  let current: SecretSourceView = {
    state: "idle",
    secret: "",
    errorKind: "",
    errorDetail: "",
    retrying: false,
  };
  let account: Account | null = null;
  // Every load() and dispose() starts a new generation: late answers and
  // timers of an earlier one do nothing.
  let generation = 0;
  let cancelTimer: (() => void) | null = null;
  let delay = firstDelay;
  // The waiting log line is written once per wait, not once per poll.
  let announced = false;

  function set(next: Partial<SecretSourceView>): void {
    current = {
      state: next.state !== undefined ? next.state : current.state,
      secret: next.secret !== undefined ? next.secret : current.secret,
      errorKind: next.errorKind !== undefined ? next.errorKind : current.errorKind,
      errorDetail: next.errorDetail !== undefined ? next.errorDetail : current.errorDetail,
      retrying: next.retrying !== undefined ? next.retrying : current.retrying,
    };
    options.onChange(current);
  }

  function stopTimer(): void {
    if (cancelTimer) cancelTimer();
    cancelTimer = null;
  }

  function later(gen: number, step: (gen: number) => void): void {
    stopTimer();
    const wait = delay;
    delay = Math.min(maxDelay, delay * 2);
    cancelTimer = scheduler.schedule(wait, function () {
      cancelTimer = null;
      if (gen === generation) step(gen);
    });
  }

  function read(gen: number): void {
    if (account === null) return;
    store.read(account, function (result) {
      if (gen !== generation) return;
      if (result.ok) {
        if (announced) log("info", "KDE Wallet is open now");
        announced = false;
        delay = firstDelay;
        if (result.value !== null) {
          set({
            state: "ok",
            secret: result.value,
            errorKind: "",
            errorDetail: "",
            retrying: false,
          });
          log("info", "token secret read from the keyring");
        } else {
          set({ state: "missing", secret: "", errorKind: "", errorDetail: "", retrying: false });
          log("warn", "token secret missing: no keyring entry for this host, port and token");
        }
        return;
      }
      failed(gen, result.error);
    });
  }

  function failed(gen: number, error: KeyringError): void {
    switch (error.kind) {
      case "unavailable":
      case "locked":
        wait(gen, error);
        // Without the service there is nothing to poll: read again. A
        // locked wallet is polled with isOpen, so open() (which prompts)
        // is not called over and over.
        later(gen, error.kind === "unavailable" ? read : probe);
        return;
      case "denied":
        // -1 from open(): refused access, or the unlock prompt was
        // dismissed. Only the second can end by itself (the user unlocks
        // the wallet later, e.g. from another application): find out which.
        set({
          state: "error",
          secret: "",
          errorKind: "denied",
          errorDetail: error.message,
          retrying: false,
        });
        log("warn", "token secret missing: keyring denied: " + error.message);
        store.isOpen(function (open) {
          if (gen !== generation) return;
          if (open.ok && open.value) return; // open and still refused: the user decides
          set({ retrying: true });
          later(gen, probe);
        });
        return;
      default:
        set({
          state: "error",
          secret: "",
          errorKind: error.kind,
          errorDetail: error.message,
          retrying: false,
        });
        log("warn", "token secret missing: keyring " + error.kind + ": " + error.message);
    }
  }

  function wait(gen: number, error: KeyringError): void {
    if (gen !== generation) return;
    // After a refusal the refusal stays on screen while it keeps watching.
    if (current.state === "error" && current.errorKind === "denied") set({ retrying: true });
    else
      set({
        state: "waiting",
        secret: "",
        errorKind: error.kind,
        errorDetail: error.message,
        retrying: true,
      });
    if (!announced) {
      announced = true;
      log(
        "warn",
        "token secret waiting: keyring " +
          error.kind +
          ": " +
          error.message +
          " Trying again by itself.",
      );
    }
  }

  // Asks, without a prompt, whether the wallet is open; reads once it is.
  function probe(gen: number): void {
    store.isOpen(function (open) {
      if (gen !== generation) return;
      if (open.ok && open.value) {
        read(gen);
        return;
      }
      if (!open.ok && open.error.kind !== "unavailable" && open.error.kind !== "locked") {
        failed(gen, open.error);
        return;
      }
      later(gen, probe);
    });
  }

  return {
    load(next) {
      generation++;
      stopTimer();
      delay = firstDelay;
      announced = false;
      account = next;
      if (next === null) {
        set({ state: "idle", secret: "", errorKind: "", errorDetail: "", retrying: false });
        return;
      }
      // The old secret stays in use until the answer: no flicker on a re-read.
      set({ state: "reading", errorKind: "", errorDetail: "", retrying: false });
      read(generation);
    },
    view() {
      return current;
    },
    dispose() {
      generation++;
      stopTimer();
      account = null;
    },
  };
}
