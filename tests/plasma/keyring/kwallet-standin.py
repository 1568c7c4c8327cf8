#!/usr/bin/env python3
"""A KWallet stand-in for tests inside the Plasma root.

Owns org.kde.kwalletd6 on the session bus and serves /modules/kwalletd6,
interface org.kde.KWallet, with the real signatures of the calls the widget
makes. The wallet's contents live in a JSON file (never inside the test
HOME: it plays the encrypted wallet, the one place the secret belongs):

  {"wallets": {"kdewallet": {"FOLDER": {"KEY": "VALUE"}}}}

  kwallet-standin.py --store FILE [--seed FILE] [--disabled] [--deny]
                     [--locked] [--calls FILE] [--ready FILE]
                     [--daemon kwalletd5]

--daemon kwalletd5 owns org.kde.kwalletd5 and serves /modules/kwalletd5
instead (KDE Frameworks 5, for the Plasma 5 edition's tests).

--seed copies FILE (same format) into the store at start; seeding through a
file keeps the secret off every command line. --calls appends one JSON line
per call with member and folder/key, never a password. --disabled answers
isEnabled() with false; --deny answers open() with -1 (isOpen says true:
the wallet is open, this application is refused). --locked plays a wallet
that waits for its password at login, as kwalletd does: isOpen() is false
and open() does not answer (the caller's D-Bus call times out after ~25 s)
until SIGUSR1 unlocks it; then every open() still waiting gets its handle,
isOpen() is true and walletOpened("kdewallet") is emitted.
"""

import argparse
import json
import os
import signal
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

NAME = "org.kde.kwalletd6"
PATH = "/modules/kwalletd6"
IFACE = "org.kde.KWallet"
WALLET = "kdewallet"


class Wallet(dbus.service.Object):
    def __init__(self, bus, opts):
        super().__init__(bus, PATH)
        self.opts = opts
        self.handles = {}
        self.next_handle = 17
        self.unlocked = not opts.locked
        self.pending = []
        self.data = {"wallets": {WALLET: {}}}
        if opts.seed:
            with open(opts.seed, encoding="utf-8") as f:
                seeded = json.load(f)
            for wallet, folders in seeded.get("wallets", {}).items():
                self.data["wallets"].setdefault(wallet, {}).update(folders)
        self.save()

    def save(self):
        tmp = self.opts.store + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
        os.replace(tmp, self.opts.store)

    def record(self, member, sender, **fields):
        if not self.opts.calls:
            return
        entry = {"time": round(time.time(), 3), "member": member, "sender": str(sender)}
        entry.update(fields)
        with open(self.opts.calls, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    def folders(self, handle, sender):
        wallet = self.handles.get((int(handle), str(sender)))
        if wallet is None:
            return None
        return self.data["wallets"].setdefault(wallet, {})

    @dbus.service.method(IFACE, in_signature="", out_signature="b", sender_keyword="sender")
    def isEnabled(self, sender=None):
        self.record("isEnabled", sender, result=not self.opts.disabled)
        return not self.opts.disabled

    @dbus.service.method(IFACE, in_signature="", out_signature="s", sender_keyword="sender")
    def localWallet(self, sender=None):
        self.record("localWallet", sender)
        return WALLET

    @dbus.service.signal(IFACE, signature="s")
    def walletOpened(self, wallet):
        pass

    def unlock(self):
        self.unlocked = True
        self.record("unlocked", "signal", waiting=len(self.pending))
        pending, self.pending = self.pending, []
        for wallet, appid, sender, reply in pending:
            # A caller that already timed out never sees this answer.
            reply(self.grant(wallet, appid, sender, late=True))
        self.walletOpened(WALLET)
        return False

    def grant(self, wallet, appid, sender, late=False):
        handle = self.next_handle
        self.next_handle += 1
        # Like kwalletd: a handle belongs to the connection that opened it.
        self.handles[(handle, str(sender))] = str(wallet)
        self.record("open", sender, wallet=str(wallet), appid=str(appid), result=handle, late=late)
        return handle

    # isOpen is overloaded in kwalletd (s wallet / i handle); callers pass an
    # explicit signature, so one method without in_signature serves both.
    @dbus.service.method(IFACE, out_signature="b", sender_keyword="sender")
    def isOpen(self, what, sender=None):
        if isinstance(what, dbus.String):
            result = self.unlocked and not self.opts.disabled
        else:
            result = (int(what), str(sender)) in self.handles
        self.record("isOpen", sender, arg=str(what), result=result)
        return result

    @dbus.service.method(
        IFACE,
        in_signature="sxs",
        out_signature="i",
        sender_keyword="sender",
        async_callbacks=("reply", "error"),
    )
    def open(self, wallet, wid, appid, sender=None, reply=None, error=None):
        if self.opts.disabled or self.opts.deny:
            self.record("open", sender, wallet=str(wallet), appid=str(appid), result=-1)
            reply(-1)
            return
        if not self.unlocked:
            self.record("open", sender, wallet=str(wallet), appid=str(appid), result="waiting")
            self.pending.append((wallet, appid, sender, reply))
            return
        reply(self.grant(wallet, appid, sender))

    @dbus.service.method(IFACE, in_signature="ibs", out_signature="i", sender_keyword="sender")
    def close(self, handle, force, appid, sender=None):
        self.record("close", sender, handle=int(handle))
        return 0 if self.handles.pop((int(handle), str(sender)), None) is not None else -1

    @dbus.service.method(IFACE, in_signature="iss", out_signature="b", sender_keyword="sender")
    def hasFolder(self, handle, folder, appid, sender=None):
        folders = self.folders(handle, sender)
        result = folders is not None and str(folder) in folders
        self.record("hasFolder", sender, folder=str(folder), result=result)
        return result

    @dbus.service.method(IFACE, in_signature="iss", out_signature="b", sender_keyword="sender")
    def createFolder(self, handle, folder, appid, sender=None):
        folders = self.folders(handle, sender)
        if folders is None:
            self.record("createFolder", sender, folder=str(folder), result=False)
            return False
        folders.setdefault(str(folder), {})
        self.save()
        self.record("createFolder", sender, folder=str(folder), result=True)
        return True

    @dbus.service.method(IFACE, in_signature="isss", out_signature="b", sender_keyword="sender")
    def hasEntry(self, handle, folder, key, appid, sender=None):
        folders = self.folders(handle, sender)
        result = folders is not None and str(key) in folders.get(str(folder), {})
        self.record("hasEntry", sender, folder=str(folder), key=str(key), result=result)
        return result

    @dbus.service.method(IFACE, in_signature="isss", out_signature="s", sender_keyword="sender")
    def readPassword(self, handle, folder, key, appid, sender=None):
        folders = self.folders(handle, sender)
        value = "" if folders is None else folders.get(str(folder), {}).get(str(key), "")
        self.record("readPassword", sender, folder=str(folder), key=str(key), found=value != "")
        return value

    @dbus.service.method(IFACE, in_signature="issss", out_signature="i", sender_keyword="sender")
    def writePassword(self, handle, folder, key, value, appid, sender=None):
        folders = self.folders(handle, sender)
        if folders is None:
            self.record("writePassword", sender, folder=str(folder), key=str(key), result=-1)
            return -1
        folders.setdefault(str(folder), {})[str(key)] = str(value)
        self.save()
        self.record("writePassword", sender, folder=str(folder), key=str(key), result=0)
        return 0

    @dbus.service.method(IFACE, in_signature="isss", out_signature="i", sender_keyword="sender")
    def removeEntry(self, handle, folder, key, appid, sender=None):
        folders = self.folders(handle, sender)
        if folders is None:
            self.record("removeEntry", sender, folder=str(folder), key=str(key), result=-1)
            return -1
        folders.get(str(folder), {}).pop(str(key), None)
        self.save()
        self.record("removeEntry", sender, folder=str(folder), key=str(key), result=0)
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--seed")
    parser.add_argument("--calls")
    parser.add_argument("--ready")
    parser.add_argument("--disabled", action="store_true")
    parser.add_argument("--deny", action="store_true")
    parser.add_argument("--locked", action="store_true")
    parser.add_argument("--daemon", choices=["kwalletd6", "kwalletd5"], default="kwalletd6")
    opts = parser.parse_args()
    global NAME, PATH
    NAME = "org.kde." + opts.daemon
    PATH = "/modules/" + opts.daemon

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    try:
        name = dbus.service.BusName(NAME, bus, do_not_queue=True)
    except dbus.exceptions.NameExistsException:
        print(f"kwallet-standin: {NAME} is already owned on this bus", file=sys.stderr)
        return 1
    wallet = Wallet(bus, opts)
    if opts.ready:
        with open(opts.ready, "w", encoding="utf-8") as f:
            f.write(str(bus.get_unique_name()) + "\n")
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGUSR1, wallet.unlock)
    loop.run()
    del name, wallet
    return 0


if __name__ == "__main__":
    sys.exit(main())
