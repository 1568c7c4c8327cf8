#!/usr/bin/env python3
"""Real X input for tests/plasma/test-search.sh, through XTEST (ctypes on
libXtst/libX11, already in the Plasma root; no xdotool):

  xinput.py click X Y      move the pointer there and click button 1
  xinput.py type TEXT      type TEXT (letters, digits, "-"), key by key
  xinput.py key KEYSYM     press and release one key (e.g. Escape)
"""

import ctypes
import sys
import time

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
    sys.exit("no X display")

NAMES = {"-": "minus", ":": "colon", ",": "comma", "*": "asterisk"}


def press(keysym):
    code = x11.XKeysymToKeycode(d, x11.XStringToKeysym(keysym.encode()))
    if not code:
        sys.exit(f"no key for {keysym}")
    xtst.XTestFakeKeyEvent(d, code, 1, 0)
    xtst.XTestFakeKeyEvent(d, code, 0, 0)
    x11.XFlush(d)


cmd = sys.argv[1]
if cmd == "click":
    x, y = int(sys.argv[2]), int(sys.argv[3])
    xtst.XTestFakeMotionEvent(d, -1, x, y, 0)
    x11.XFlush(d)
    time.sleep(0.3)
    xtst.XTestFakeButtonEvent(d, 1, 1, 0)
    x11.XFlush(d)
    time.sleep(0.05)
    xtst.XTestFakeButtonEvent(d, 1, 0, 0)
    x11.XFlush(d)
elif cmd == "type":
    for ch in sys.argv[2]:
        press(NAMES.get(ch, ch.lower()))
        time.sleep(0.15)
elif cmd == "key":
    press(sys.argv[2])
else:
    sys.exit("usage: xinput.py click X Y | type TEXT | key KEYSYM")
