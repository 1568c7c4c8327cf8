#!/usr/bin/env python3
"""The real kwalletd6 of the Debian 13 root, made usable headless, for
tests/plasma/test-keyring.sh (runs "real-*").

  real-kwallet.py prepare            kwalletrc, start kwalletd6, pamOpen
  real-kwallet.py seed FOLDER KEY FILE   store FILE's first line (never an argument)
  real-kwallet.py has FOLDER KEY     prints "present" or "absent"
  real-kwallet.py stop

A new wallet normally needs kwalletd's password dialog. pamOpen (the D-Bus
call pam_kwallet makes at login with the hash of the login password)
creates "kdewallet" as a classic blowfish wallet from a pre-hashed password
and opens it, with no dialog; "Prompt on Open" stays off (the default), so
no access dialog either. The hash is a fixed test value, not a secret.
"""

import os
import subprocess
import sys
import time

import dbus

NAME, PATH, IFACE = "org.kde.kwalletd6", "/modules/kwalletd6", "org.kde.KWallet"
APPID = "ProxMon test seeder"


def wallet():
    bus = dbus.SessionBus()
    for _ in range(100):
        if bus.name_has_owner(NAME):
            return dbus.Interface(bus.get_object(NAME, PATH), IFACE)
        time.sleep(0.1)
    raise SystemExit("kwalletd6 did not appear on the session bus")


def prepare():
    cfg = os.path.join(os.environ["HOME"], ".config")
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "kwalletrc"), "w", encoding="utf-8") as f:
        f.write("[Wallet]\nEnabled=true\nFirst Use=false\nUse One Wallet=true\nPrompt on Open=false\n")
    log = open("kwalletd6.log", "ab")
    proc = subprocess.Popen(["/usr/bin/kwalletd6"], stdout=log, stderr=log, start_new_session=True)
    with open("kwalletd6.pid", "w", encoding="utf-8") as f:
        f.write(str(proc.pid))
    w = wallet()
    w.pamOpen("kdewallet", dbus.ByteArray(bytes(range(56))), dbus.Int32(0), signature="sayi", ignore_reply=True)
    for _ in range(100):
        if w.isOpen("kdewallet", signature="s"):
            print("open", int(proc.pid))
            return
        time.sleep(0.1)
    raise SystemExit("pamOpen did not open kdewallet")


def handle(w):
    h = int(w.open("kdewallet", dbus.Int64(0), APPID, signature="sxs"))
    if h < 0:
        raise SystemExit("open() refused: %d" % h)
    return h


def seed(folder, key, path):
    w = wallet()
    h = handle(w)
    with open(path, encoding="utf-8") as f:
        value = f.readline().rstrip("\r\n")
    if not w.hasFolder(h, folder, APPID, signature="iss"):
        w.createFolder(h, folder, APPID, signature="iss")
    rc = int(w.writePassword(h, folder, key, value, APPID, signature="issss"))
    w.sync(h, APPID, signature="is", ignore_reply=True)
    print("seeded" if rc == 0 else "write failed %d" % rc)


def has(folder, key):
    w = wallet()
    h = handle(w)
    print("present" if w.hasEntry(h, folder, key, APPID, signature="isss") else "absent")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "prepare":
        prepare()
    elif cmd == "seed":
        seed(*sys.argv[2:5])
    elif cmd == "has":
        has(*sys.argv[2:4])
    else:
        raise SystemExit("unknown command " + cmd)
