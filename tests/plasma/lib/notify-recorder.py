#!/usr/bin/env python3
"""A stand-in notification server for tests inside the Plasma root.

Owns org.freedesktop.Notifications on the session bus and appends every call
it receives to a file, one JSON object per line:

  {"seq": 2, "member": "Notify", "sender": ":1.7", "args": {"app_name": ...,
   "replaces_id": 0, "app_icon": ..., "summary": ..., "body": ...,
   "actions": [...], "hints": {...}, "expire_timeout": -1}, "reply": 1}

Byte arrays (e.g. the image-data hint) are recorded as {"bytes": LENGTH}.

  notify-recorder.py --out FILE [--ready FILE] [--invoke-action KEY]

--ready is written once the name is owned (wait for it before starting the
widget). --invoke-action KEY answers each Notify that offers KEY with an
ActionInvoked signal shortly after, as if the user had clicked it.
SIGTERM or SIGINT stop it cleanly.
"""

import argparse
import json
import signal
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
CAPABILITIES = ["actions", "body", "body-hyperlinks", "body-markup", "icon-static", "persistence"]


def plain(value):
    """D-Bus values as JSON-friendly Python values."""
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, dbus.Byte):
        return int(value)
    if isinstance(value, (dbus.ByteArray, bytes, bytearray)):
        return {"bytes": len(value)}
    if isinstance(value, dbus.Array) and value.signature == "y":
        return {"bytes": len(value)}
    if isinstance(value, (dbus.Dictionary, dict)):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (dbus.Array, dbus.Struct, list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature, str)):
        return str(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    return repr(value)


class Recorder(dbus.service.Object):
    def __init__(self, bus, out, invoke_action):
        super().__init__(bus, PATH)
        self.out = out
        self.invoke_action = invoke_action
        self.seq = 0
        self.next_id = 1

    def record(self, member, sender, args, reply=None):
        self.seq += 1
        entry = {"seq": self.seq, "time": round(time.time(), 3), "member": member, "sender": str(sender), "args": args}
        if reply is not None:
            entry["reply"] = reply
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")

    @dbus.service.method(IFACE, in_signature="", out_signature="as", sender_keyword="sender")
    def GetCapabilities(self, sender=None):
        self.record("GetCapabilities", sender, {}, CAPABILITIES)
        return CAPABILITIES

    @dbus.service.method(IFACE, in_signature="", out_signature="ssss", sender_keyword="sender")
    def GetServerInformation(self, sender=None):
        info = ["proxmon-notify-recorder", "ProxMon", "1.0", "1.2"]
        self.record("GetServerInformation", sender, {}, info)
        return info

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u", sender_keyword="sender")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout, sender=None):
        nid = int(replaces_id) or self.next_id
        if nid == self.next_id:
            self.next_id += 1
        args = {
            "app_name": str(app_name),
            "replaces_id": int(replaces_id),
            "app_icon": str(app_icon),
            "summary": str(summary),
            "body": str(body),
            "actions": [str(a) for a in actions],
            "hints": plain(hints),
            "expire_timeout": int(expire_timeout),
        }
        self.record("Notify", sender, args, nid)
        keys = [str(a) for a in actions][0::2]
        if self.invoke_action and self.invoke_action in keys:
            GLib.timeout_add(300, self._invoke, nid, self.invoke_action)
        return dbus.UInt32(nid)

    def _invoke(self, nid, key):
        self.ActionInvoked(dbus.UInt32(nid), key)
        self.record("ActionInvoked(signal)", "", {"id": nid, "action_key": key})
        return False

    @dbus.service.method(IFACE, in_signature="u", out_signature="", sender_keyword="sender")
    def CloseNotification(self, nid, sender=None):
        self.record("CloseNotification", sender, {"id": int(nid)})
        self.NotificationClosed(dbus.UInt32(nid), dbus.UInt32(3))

    @dbus.service.signal(IFACE, signature="uu")
    def NotificationClosed(self, nid, reason):
        pass

    @dbus.service.signal(IFACE, signature="us")
    def ActionInvoked(self, nid, action_key):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="JSON-lines file to append calls to")
    parser.add_argument("--ready", help="file written once the bus name is owned")
    parser.add_argument("--invoke-action", help="answer Notify calls offering this action key with ActionInvoked")
    opts = parser.parse_args()

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    try:
        name = dbus.service.BusName(NAME, bus, do_not_queue=True)
    except dbus.exceptions.NameExistsException:
        print(f"notify-recorder: {NAME} is already owned on this bus", file=sys.stderr)
        return 1
    recorder = Recorder(bus, opts.out, opts.invoke_action)
    open(opts.out, "a", encoding="utf-8").close()
    if opts.ready:
        with open(opts.ready, "w", encoding="utf-8") as f:
            f.write(str(bus.get_unique_name()) + "\n")

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, loop.quit)
    loop.run()
    del name, recorder
    return 0


if __name__ == "__main__":
    sys.exit(main())
