#!/usr/bin/env bash
# Runs INSIDE the Plasma root: CMD with its own X display (Xvfb via
# xvfb-run) and its own D-Bus session bus (dbus-run-session).
#
#   session.sh CMD [ARG]...
#
# Environment:
#   PROXMON_SCREEN       Xvfb screen, default 1280x800x24
#   PROXMON_XVFB_LOG     where Xvfb's own output goes, default
#                        $XDG_RUNTIME_DIR/xvfb.log (shown when Xvfb fails)
#   QT_MESSAGE_PATTERN   default "[%{type}] %{if-category}%{category}: %{endif}%{message}"
#   XDG_CURRENT_DESKTOP  default KDE (Qt then uses the Plasma platform theme:
#                        Breeze style, icons and fonts as on a Plasma desktop)
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: session.sh CMD [ARG]..." >&2
  exit 2
fi
if [ "${PROXMON_IN_PLASMA_ROOT:-}" != 1 ]; then
  echo "session.sh runs inside the Plasma root: scripts/plasma-host/root.sh run -- scripts/plasma-host/session.sh CMD..." >&2
  exit 2
fi

screen=${PROXMON_SCREEN:-1280x800x24}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_CURRENT_DESKTOP=${XDG_CURRENT_DESKTOP:-KDE}
export KDE_SESSION_VERSION=${KDE_SESSION_VERSION:-6}
export QT_QPA_PLATFORM=xcb
# Qt's default log lines hide the level: console.log/warn/error all print as
# "qml: …". With this one they read "[debug] qml: …", "[warning] qml: …",
# "[critical] qml: …" (console.error), so a test can tell them apart.
pattern='[%{type}] %{if-category}%{category}: %{endif}%{message}'
export QT_MESSAGE_PATTERN=${QT_MESSAGE_PATTERN:-$pattern}
xvfb_log=${PROXMON_XVFB_LOG:-$XDG_RUNTIME_DIR/xvfb.log}

# The root has its own /tmp, so xvfb-run -a cannot see the X lock files of
# the host or of other roots, but X's abstract sockets (@/tmp/.X11-unix/XN)
# live in the network namespace that the chroot shares with the host. Pick a
# display number that is free in both places.
display=${PROXMON_DISPLAY_BASE:-99}
while [ -e "/tmp/.X$display-lock" ] || grep -q "@/tmp/.X11-unix/X$display\$" /proc/net/unix 2>/dev/null; do
  display=$((display + 1))
done

rc=0
# Xvfb outside, the bus inside: the bus daemon then has DISPLAY in its
# environment, so services it starts on demand (kactivitymanagerd, kded6…)
# reach the X server too.
xvfb-run -n "$display" -e "$xvfb_log" -s "-screen 0 $screen -nolisten tcp" dbus-run-session -- "$@" || rc=$?
if [ "$rc" -ne 0 ] && grep -qi "fatal" "$xvfb_log" 2>/dev/null; then
  echo "session.sh: Xvfb on :$display reported:" >&2
  sed 's/^/  /' "$xvfb_log" >&2
fi
exit "$rc"
