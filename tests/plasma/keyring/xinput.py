#!/usr/bin/env python3
"""Types and clicks through the X server (XTEST, via ctypes: no xdotool in
the root), for the Apply-button run of tests/plasma/test-keyring.sh.

  xinput.py --log VIEWER_LOG --secret FILE --out FILE [--timeout S]

Waits for the line "apply-hook ready apply=X,Y field=X,Y" in VIEWER_LOG,
moves the pointer into the field, types FILE's first line there (read from
the file, never an argument), waits until the page reports the edit, and
clicks Apply. Writes what it did (never the secret) to --out.
"""

import argparse
import ctypes
import re
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--log", required=True)
p.add_argument("--secret", required=True)
p.add_argument("--out", required=True)
p.add_argument("--timeout", type=float, default=90)
opts = p.parse_args()

out = open(opts.out, "a", encoding="utf-8")


def say(line):
    out.write(f"{time.time():.3f} {line}\n")
    out.flush()


x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
xtst = ctypes.cdll.LoadLibrary("libXtst.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XStringToKeysym.restype = ctypes.c_ulong
x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
x11.XKeysymToKeycode.restype = ctypes.c_ubyte
x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
x11.XFlush.argtypes = [ctypes.c_void_p]
xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]

d = x11.XOpenDisplay(None)
if not d:
    say("no X display")
    sys.exit(2)

NAMES = {"-": "minus", "_": "underscore", ".": "period", "!": "exclam", "@": "at"}


def key(ch):
    shift = ch.isalpha() and ch.isupper()
    name = NAMES.get(ch, ch.lower())
    code = x11.XKeysymToKeycode(d, x11.XStringToKeysym(name.encode()))
    if not code:
        raise SystemExit(f"no key for a character of the secret ({name if ch in NAMES else 'letter/digit'})")
    shift_code = x11.XKeysymToKeycode(d, x11.XStringToKeysym(b"Shift_L"))
    if shift:
        xtst.XTestFakeKeyEvent(d, shift_code, 1, 0)
    xtst.XTestFakeKeyEvent(d, code, 1, 0)
    xtst.XTestFakeKeyEvent(d, code, 0, 0)
    if shift:
        xtst.XTestFakeKeyEvent(d, shift_code, 0, 0)
    x11.XFlush(d)
    time.sleep(0.02)


def click(x, y):
    xtst.XTestFakeMotionEvent(d, -1, x, y, 0)
    x11.XFlush(d)
    time.sleep(0.3)
    xtst.XTestFakeButtonEvent(d, 1, 1, 0)
    x11.XFlush(d)
    time.sleep(0.05)
    xtst.XTestFakeButtonEvent(d, 1, 0, 0)
    x11.XFlush(d)


ready = re.compile(r"apply-hook ready apply=(\d+),(\d+) field=(\d+),(\d+)")
deadline = time.time() + opts.timeout
m = None
while time.time() < deadline and not m:
    try:
        with open(opts.log, encoding="utf-8", errors="replace") as f:
            m = ready.search(f.read())
    except FileNotFoundError:
        pass
    if not m:
        time.sleep(0.2)
if not m:
    say("the hook never reported the Apply button")
    sys.exit(1)
ax, ay, fx, fy = (int(v) for v in m.groups())
say(f"found Apply at {ax},{ay}, secret field at {fx},{fy}")
click(fx, fy)
time.sleep(0.5)
with open(opts.secret, encoding="utf-8") as f:
    secret = f.readline().rstrip("\r\n")
for ch in secret:
    key(ch)
say(f"typed {len(secret)} characters into the field")
secret = None
time.sleep(1.5)
click(ax, ay)
say(f"clicked Apply at {ax},{ay}")
