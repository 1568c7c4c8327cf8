import { describe, expect, it } from "vitest";
import {
  createSecretStore,
  entryKey,
  legacyEntryKey,
  type KeyringResult,
  type WalletArg,
  type WalletBus,
} from "../../src/keyring/secret-store";

interface FakeWallet {
  bus: WalletBus;
  folders: Record<string, Record<string, string>>;
  calls: string[];
  enabled: boolean;
  openResult: number;
  failNext: string | null;
  createFails: boolean;
}

// A KWallet with kwalletd's answers, synchronous like a fast D-Bus reply.
function fakeWallet(): FakeWallet {
  const w: FakeWallet = {
    folders: {},
    calls: [],
    enabled: true,
    openResult: 7,
    failNext: null,
    createFails: false,
    bus: {
      call(member: string, args: WalletArg[], done) {
        w.calls.push(member);
        if (w.failNext) {
          const e = w.failNext;
          w.failNext = null;
          return done(e, null);
        }
        const v = args.map((a) => a.value);
        switch (member) {
          case "isEnabled":
            return done(null, w.enabled);
          case "localWallet":
            return done(null, "kdewallet");
          case "open":
            return done(null, w.openResult);
          case "hasFolder":
            return done(null, w.folders[v[1] as string] !== undefined);
          case "createFolder":
            if (w.createFails) return done(null, false);
            w.folders[v[1] as string] = w.folders[v[1] as string] || {};
            return done(null, true);
          case "hasEntry":
            return done(null, (w.folders[v[1] as string] || {})[v[2] as string] !== undefined);
          case "readPassword":
            return done(null, (w.folders[v[1] as string] || {})[v[2] as string] ?? "");
          case "writePassword":
            if (!w.folders[v[1] as string]) return done(null, -1);
            w.folders[v[1] as string]![v[2] as string] = v[3] as string;
            return done(null, 0);
          case "removeEntry":
            delete (w.folders[v[1] as string] || {})[v[2] as string];
            return done(null, 0);
        }
        done("org.freedesktop.DBus.Error.UnknownMethod", null);
      },
    },
  };
  return w;
}

const account = { host: "PVE.lan ", port: 8006, tokenId: "monitor@pve!proxmon" };
const SECRET = "11111111-2222-4333-8444-555555555555";

function sync<T>(fn: (done: (r: KeyringResult<T>) => void) => void): KeyringResult<T> {
  let result: KeyringResult<T> | null = null;
  fn((r) => (result = r));
  expect(result).not.toBeNull();
  return result!;
}

describe("secret store over KWallet", () => {
  it("writes into its own folder, reads back, removes", () => {
    const w = fakeWallet();
    const store = createSecretStore({ bus: w.bus });
    expect(sync<true>((d) => store.write(account, SECRET, d)).ok).toBe(true);
    expect(w.folders["ProxMon Plasma Widget"]![entryKey(account)]).toBe(SECRET);
    expect(entryKey(account)).toBe("monitor@pve!proxmon@pve.lan:8006");
    expect(sync<string | null>((d) => store.read(account, d))).toEqual({ ok: true, value: SECRET });
    expect(sync<true>((d) => store.remove(account, d)).ok).toBe(true);
    expect(sync<string | null>((d) => store.read(account, d))).toEqual({ ok: true, value: null });
    // Opened once, reused.
    expect(w.calls.filter((c) => c === "open").length).toBe(1);
  });

  it("migrates the C++ edition's entry once and re-saves it", () => {
    const w = fakeWallet();
    w.folders["ProxMon"] = { [legacyEntryKey(account)]: SECRET };
    expect(legacyEntryKey(account)).toBe("apiTokenSecret:monitor@pve!proxmon@pve.lan:8006");
    const store = createSecretStore({ bus: w.bus });
    expect(sync<string | null>((d) => store.read(account, d))).toEqual({ ok: true, value: SECRET });
    expect(w.folders["ProxMon Plasma Widget"]![entryKey(account)]).toBe(SECRET);
    w.calls.length = 0;
    expect(sync<string | null>((d) => store.read(account, d))).toEqual({ ok: true, value: SECRET });
    expect(w.calls).toEqual(["hasEntry", "readPassword"]);
  });

  it("says plainly when the wallet is disabled, denied or missing", () => {
    const disabled = fakeWallet();
    disabled.enabled = false;
    const r1 = sync<string | null>((d) =>
      createSecretStore({ bus: disabled.bus }).read(account, d),
    );
    expect(r1.ok ? null : r1.error.kind).toBe("disabled");

    const denied = fakeWallet();
    denied.openResult = -1;
    const r2 = sync<string | null>((d) => createSecretStore({ bus: denied.bus }).read(account, d));
    expect(r2.ok ? null : r2.error.kind).toBe("denied");

    const missing = fakeWallet();
    missing.failNext =
      "org.freedesktop.DBus.Error.ServiceUnknown: The name org.kde.kwalletd6 was not provided";
    const r3 = sync<string | null>((d) => createSecretStore({ bus: missing.bus }).read(account, d));
    expect(r3.ok ? null : r3.error.kind).toBe("unavailable");
    expect(r3.ok ? "" : r3.error.message).toMatch(/KDE Wallet/);
  });

  it("reopens once when kwalletd forgot the handle", () => {
    const w = fakeWallet();
    const store = createSecretStore({ bus: w.bus });
    sync<true>((d) => store.write(account, SECRET, d));
    w.failNext = "org.kde.KWallet.Error: invalid handle";
    expect(sync<string | null>((d) => store.read(account, d))).toEqual({ ok: true, value: SECRET });
    expect(w.calls.filter((c) => c === "open").length).toBe(2);
  });

  it("never puts the secret into an error message", () => {
    const w = fakeWallet();
    const store = createSecretStore({ bus: w.bus });
    sync<true>((d) => store.write(account, SECRET, d));
    w.folders = {};
    w.createFails = true;
    const r = sync<true>((d) => store.write(account, SECRET, d));
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
