// The token secret in KWallet, reached over D-Bus through a thin QML shim.
// QML can only build D-Bus typed values in a QML file, so the shim takes
// plain (type, value) pairs and this module keeps all the logic: which
// wallet, which folder and key, opening once, migrating the secret the
// earlier C++ edition stored, and turning every failure into a message a
// person can act on. Callbacks, not promises: each step is a D-Bus round
// trip answered on QML's event loop.

export type WalletArgType = "s" | "x" | "i" | "b";

export interface WalletArg {
  type: WalletArgType;
  value: string | number | boolean;
}

/** The QML shim over org.kde.kwalletd6 /modules/kwalletd6 org.kde.KWallet. */
export interface WalletBus {
  /** Calls `member` with typed arguments; `done(error, value)` once, error null on success. */
  call(
    member: string,
    args: WalletArg[],
    done: (error: string | null, value: unknown) => void,
  ): void;
}

export interface Account {
  host: string;
  port: number;
  tokenId: string;
}

/**
 * unavailable: no KWallet service on the bus; disabled: switched off;
 * denied: open() answered -1 (access refused, or the unlock prompt was
 * dismissed); locked: open() got no answer in time (the unlock prompt is
 * most likely still waiting for the user); failed: anything else.
 */
export type KeyringErrorKind = "unavailable" | "disabled" | "denied" | "locked" | "failed";

export interface KeyringError {
  kind: KeyringErrorKind;
  message: string;
}

export type KeyringResult<T> = { ok: true; value: T } | { ok: false; error: KeyringError };

export interface SecretStore {
  /** The stored secret, or null when there is none (after trying the old edition's entry). */
  read(account: Account, done: (result: KeyringResult<string | null>) => void): void;
  write(account: Account, secret: string, done: (result: KeyringResult<true>) => void): void;
  /** Removes the entry; succeeds when there was none. */
  remove(account: Account, done: (result: KeyringResult<true>) => void): void;
  /**
   * Whether the local wallet is unlocked right now, asked without opening it:
   * kwalletd shows no prompt for isOpen, so this can be polled while waiting.
   */
  isOpen(done: (result: KeyringResult<boolean>) => void): void;
}

export interface SecretStoreOptions {
  bus: WalletBus;
  /** Identifies the widget to KWallet (shown in its access prompt). */
  appId?: string;
  /** The wallet folder of this widget. */
  folder?: string;
  /** Where the C++ edition's QtKeychain kept it (service name "ProxMon"). */
  legacyFolder?: string;
  log?: (level: "debug" | "info" | "warn", message: string) => void;
}

export const DEFAULT_APP_ID = "ProxMon";
export const DEFAULT_FOLDER = "ProxMon Plasma Widget";
export const LEGACY_FOLDER = "ProxMon";

function normaliseHost(host: string): string {
  return host.trim().toLowerCase();
}

/** One entry per (token ID, host, port): several clusters or tokens never overwrite each other. */
export function entryKey(account: Account): string {
  return account.tokenId.trim() + "@" + normaliseHost(account.host) + ":" + account.port;
}

/** The key the C++ edition used (QtKeychain, service "ProxMon"). */
export function legacyEntryKey(account: Account): string {
  return (
    "apiTokenSecret:" +
    account.tokenId.trim() +
    "@" +
    normaliseHost(account.host) +
    ":" +
    account.port
  );
}

const s = (value: string): WalletArg => ({ type: "s", value });
const i32 = (value: number): WalletArg => ({ type: "i", value });

function failure<T>(kind: KeyringErrorKind, message: string): KeyringResult<T> {
  return { ok: false, error: { kind, message } };
}

function busFailure<T>(error: string): KeyringResult<T> {
  // A missing service means no KWallet daemon on this session bus.
  if (/ServiceUnknown|not provided by any|was not provided/i.test(error)) {
    return failure(
      "unavailable",
      "The KDE Wallet service is not running, so the token secret cannot be stored. Enable KDE Wallet in System Settings → KDE Wallet.",
    );
  }
  if (/NoReply|timeout|timed out/i.test(error)) {
    return failure(
      "locked",
      "KDE Wallet did not open in time: it is still locked or its unlock prompt is waiting.",
    );
  }
  return failure("failed", "KDE Wallet reported an error: " + error.slice(0, 200));
}

export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const bus = options.bus;
  const appId = options.appId || DEFAULT_APP_ID;
  const folder = options.folder || DEFAULT_FOLDER;
  const legacyFolder = options.legacyFolder || LEGACY_FOLDER;
  const log = options.log || function () {};
  let handle: number | null = null;
  // Requests that arrive while the wallet is being opened wait for it.
  let waiting: Array<(result: KeyringResult<number>) => void> | null = null;

  function walletName(done: (result: KeyringResult<string>) => void): void {
    bus.call("localWallet", [], function (error, wallet) {
      if (error !== null) return done(busFailure(error));
      done({ ok: true, value: typeof wallet === "string" && wallet !== "" ? wallet : "kdewallet" });
    });
  }

  function open(done: (result: KeyringResult<number>) => void): void {
    if (handle !== null) {
      done({ ok: true, value: handle });
      return;
    }
    if (waiting !== null) {
      waiting.push(done);
      return;
    }
    waiting = [done];
    const finish = (result: KeyringResult<number>): void => {
      const callbacks = waiting || [];
      waiting = null;
      if (result.ok) handle = result.value;
      for (let k = 0; k < callbacks.length; k++)
        (callbacks[k] as (r: KeyringResult<number>) => void)(result);
    };
    bus.call("isEnabled", [], function (error, enabled) {
      if (error !== null) return finish(busFailure(error));
      if (enabled !== true) {
        return finish(
          failure(
            "disabled",
            "KDE Wallet is disabled, so the token secret cannot be stored. Enable it in System Settings → KDE Wallet.",
          ),
        );
      }
      walletName(function (named) {
        if (!named.ok) return finish(named);
        const name = named.value;
        bus.call("open", [s(name), { type: "x", value: 0 }, s(appId)], function (error3, value) {
          if (error3 !== null) return finish(busFailure(error3));
          if (typeof value !== "number" || value < 0) {
            return finish(
              failure(
                "denied",
                "Access to KDE Wallet was denied or the wallet stayed locked. Allow ProxMon when the wallet asks, then try again.",
              ),
            );
          }
          log("debug", "wallet open");
          finish({ ok: true, value });
        });
      });
    });
  }

  /** Runs a step with an open handle; reopens once if the handle went stale. */
  function withHandle<T>(
    step: (h: number, done: (result: KeyringResult<T>) => void) => void,
    done: (result: KeyringResult<T>) => void,
  ): void {
    open(function (opened) {
      if (!opened.ok) return done(opened);
      step(opened.value, function (result) {
        if (!result.ok && result.error.kind === "failed" && handle !== null) {
          // kwalletd forgets handles when it restarts or the wallet closes.
          handle = null;
          open(function (again) {
            if (!again.ok) return done(again);
            step(again.value, done);
          });
          return;
        }
        done(result);
      });
    });
  }

  function readEntry(
    h: number,
    folderName: string,
    key: string,
    done: (r: KeyringResult<string | null>) => void,
  ): void {
    bus.call("hasEntry", [i32(h), s(folderName), s(key), s(appId)], function (error, has) {
      if (error !== null) return done(busFailure(error));
      if (has !== true) return done({ ok: true, value: null });
      bus.call("readPassword", [i32(h), s(folderName), s(key), s(appId)], function (error2, value) {
        if (error2 !== null) return done(busFailure(error2));
        done({ ok: true, value: typeof value === "string" && value !== "" ? value : null });
      });
    });
  }

  function writeEntry(
    h: number,
    key: string,
    secret: string,
    done: (r: KeyringResult<true>) => void,
  ): void {
    bus.call("hasFolder", [i32(h), s(folder), s(appId)], function (error, has) {
      if (error !== null) return done(busFailure(error));
      const write = function (): void {
        bus.call(
          "writePassword",
          [i32(h), s(folder), s(key), s(secret), s(appId)],
          function (error2, code) {
            if (error2 !== null) return done(busFailure(error2));
            if (code !== 0)
              return done(failure("failed", "KDE Wallet could not store the token secret."));
            done({ ok: true, value: true });
          },
        );
      };
      if (has === true) return write();
      bus.call("createFolder", [i32(h), s(folder), s(appId)], function (error3, created) {
        if (error3 !== null) return done(busFailure(error3));
        if (created !== true)
          return done(failure("failed", "KDE Wallet could not create the folder " + folder + "."));
        write();
      });
    });
  }

  return {
    read(account, done) {
      withHandle<string | null>(function (h, stepDone) {
        readEntry(h, folder, entryKey(account), function (current) {
          if (!current.ok || current.value !== null) return stepDone(current);
          readEntry(h, legacyFolder, legacyEntryKey(account), function (legacy) {
            if (!legacy.ok || legacy.value === null) return stepDone(legacy);
            const secret = legacy.value;
            log("info", "moving the token secret from the earlier edition's wallet entry");
            writeEntry(h, entryKey(account), secret, function (saved) {
              if (!saved.ok)
                log("warn", "could not re-save the migrated secret: " + saved.error.message);
              stepDone({ ok: true, value: secret });
            });
          });
        });
      }, done);
    },
    write(account, secret, done) {
      withHandle<true>(function (h, stepDone) {
        writeEntry(h, entryKey(account), secret, stepDone);
      }, done);
    },
    isOpen(done) {
      walletName(function (named) {
        if (!named.ok) return done(named);
        bus.call("isOpen", [s(named.value)], function (error, open) {
          if (error !== null) return done(busFailure(error));
          done({ ok: true, value: open === true });
        });
      });
    },
    remove(account, done) {
      withHandle<true>(function (h, stepDone) {
        bus.call(
          "hasEntry",
          [i32(h), s(folder), s(entryKey(account)), s(appId)],
          function (error, has) {
            if (error !== null) return stepDone(busFailure(error));
            if (has !== true) return stepDone({ ok: true, value: true });
            bus.call(
              "removeEntry",
              [i32(h), s(folder), s(entryKey(account)), s(appId)],
              function (error2, code) {
                if (error2 !== null) return stepDone(busFailure(error2));
                if (code !== 0)
                  return stepDone(
                    failure("failed", "KDE Wallet could not remove the token secret."),
                  );
                stepDone({ ok: true, value: true });
              },
            );
          },
        );
      }, done);
    },
  };
}
