#!/usr/bin/env python3
"""Clicks a mouse button at X Y on $DISPLAY through the XTest extension (no
xdotool in the root; libXtst is there as a Qt dependency), or presses a key.

  click.py X Y [BUTTON]     BUTTON 1 left (default), 3 right
  click.py key KEYSYM       e.g. Escape
"""

import ctypes
import sys
import time

xlib = ctypes.CDLL("libX11.so.6")
xtst = ctypes.CDLL("libXtst.so.6")
xlib.XOpenDisplay.restype = ctypes.c_void_p
xlib.XStringToKeysym.restype = ctypes.c_ulong
xlib.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
display = xlib.XOpenDisplay(None)
if not display:
    sys.exit("click.py: cannot open the display")
display = ctypes.c_void_p(display)
if sys.argv[1] == "key":
    code = xlib.XKeysymToKeycode(display, xlib.XStringToKeysym(sys.argv[2].encode()))
    xtst.XTestFakeKeyEvent(display, code, True, 0)
    xlib.XFlush(display)
    time.sleep(0.05)
    xtst.XTestFakeKeyEvent(display, code, False, 0)
else:
    x, y = int(sys.argv[1]), int(sys.argv[2])
    button = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    # Arrive from beside the target, as a hand would: hover first.
    xtst.XTestFakeMotionEvent(display, -1, x - 8, y, 0)
    xlib.XFlush(display)
    time.sleep(0.2)
    xtst.XTestFakeMotionEvent(display, -1, x, y, 0)
    xlib.XFlush(display)
    time.sleep(0.4)
    xtst.XTestFakeButtonEvent(display, button, True, 0)
    xlib.XFlush(display)
    time.sleep(0.1)
    xtst.XTestFakeButtonEvent(display, button, False, 0)
xlib.XFlush(display)
xlib.XCloseDisplay(display)
