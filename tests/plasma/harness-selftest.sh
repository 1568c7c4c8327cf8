#!/usr/bin/env bash
# Proves the Plasma test harness end to end with a throwaway applet made in
# the output folder (never in contents/):
#   - the Debian 13 / Plasma 6.3 root builds or is reused (root.sh ensure)
#   - qmllint (Qt 6.8) finds no errors in the applet's QML
#   - plasmoidviewer loads the applet, which imports an ES module (.mjs),
#     logs through console.log, and shows up on the screenshot
#   - a KNotification sent from QML reaches a stand-in
#     org.freedesktop.Notifications on the session bus
#   - the applet's XMLHttpRequest reaches a server on the host's 127.0.0.1
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
#
# Host side: bash tests/plasma/harness-selftest.sh   (as root)
# The part after "--in-session" runs inside the root under session.sh.
set -euo pipefail

NAME=harness-selftest
PLUGIN_ID=org.kde.plasma.proxmonselftest
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"

  # qmllint before anything runs: errors fail, warnings are only shown.
  record_rc qmllint bash "$lib/qmllint.sh" "$dir/pkg" >qmllint.txt 2>&1

  # The stand-in notification server must own its name before the applet starts.
  start_recorder

  # The host's loopback, seen from inside without Qt.
  port=$(cat http.port)
  python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode().strip())' \
    "http://127.0.0.1:$port/from-python" >python-http.txt 2>&1 || true

  record_rc run-applet bash "$lib/run-applet.sh" -a "$dir/pkg" -o "$dir" -s 420x600 -t 40 -m 15 -d 2 \
    -w 'proxmon-selftest: loaded' -w 'proxmon-selftest: http ' \
    -W "notifications.jsonl=\"member\": \"Notify\""

  stop_pid "$recorder_pid"
  count_colors plasmoidviewer.png screenshot.colors
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME" pkg/contents/ui pkg/contents/code

# A stand-in for the simulator the real widget talks to: on the host's loopback.
token=selftest-$RANDOM$RANDOM
# shellcheck disable=SC2016 # JavaScript, not shell
node -e '
  const http = require("http"), fs = require("fs");
  const [dir, token] = process.argv.slice(1);
  const server = http.createServer((req, res) => {
    fs.appendFileSync(dir + "/http-requests.log", `${req.method} ${req.url} ${req.headers["user-agent"] || ""}\n`);
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(token + "\n");
  });
  server.listen(0, "127.0.0.1", () => fs.writeFileSync(dir + "/http.port", String(server.address().port)));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
' "$out" "$token" &
watch_host_process $!
wait_until 50 test -s "$out/http.port" || {
  echo "not ok - host HTTP server did not start"
  exit 1
}
port=$(cat "$out/http.port")

# The throwaway applet.
cat >"$out/pkg/metadata.json" <<EOF
{
  "KPackageStructure": "Plasma/Applet",
  "X-Plasma-API-Minimum-Version": "6.0",
  "KPlugin": {
    "Id": "$PLUGIN_ID",
    "Name": "ProxMon harness self-test",
    "Description": "Throwaway applet that proves the Plasma test harness",
    "Icon": "applications-system",
    "Authors": [{ "Name": "ProxMon" }],
    "Category": "System Information",
    "License": "GPL-3.0-or-later",
    "Version": "0.0.1"
  }
}
EOF
cat >"$out/pkg/contents/code/x.mjs" <<EOF
export function greeting(who) {
  return \`hello \${who} from x.mjs\`;
}

export function selftestUrl() {
  return "http://127.0.0.1:$port/from-qml";
}
EOF
cat >"$out/pkg/contents/ui/main.qml" <<'EOF'
import QtQuick
import QtQuick.Layouts
import org.kde.plasma.plasmoid
import org.kde.plasma.components as PlasmaComponents3
import org.kde.notification
import "../code/x.mjs" as X

PlasmoidItem {
    id: root

    property string httpResult: "pending"

    preferredRepresentation: fullRepresentation

    Notification {
        id: notification
        componentName: "plasma_workspace"
        eventId: "notification"
        title: "ProxMon self-test"
        text: X.greeting("notification")
        iconName: "dialog-information"
    }

    fullRepresentation: Rectangle {
        Layout.preferredWidth: 380
        Layout.preferredHeight: 180
        color: "#1d99f3"
        radius: 8

        ColumnLayout {
            anchors.centerIn: parent
            spacing: 8

            PlasmaComponents3.Label {
                text: "ProxMon harness self-test"
                color: "white"
                font.pixelSize: 22
                font.bold: true
            }
            PlasmaComponents3.Label {
                text: X.greeting("plasma")
                color: "white"
            }
            PlasmaComponents3.Label {
                text: "http: " + root.httpResult
                color: "white"
            }
        }
    }

    Component.onCompleted: {
        console.log("proxmon-selftest: loaded");
        console.log("proxmon-selftest: mjs " + X.greeting("mjs"));
        notification.sendEvent();
        const xhr = new XMLHttpRequest();
        xhr.onreadystatechange = function () {
            if (xhr.readyState === XMLHttpRequest.DONE) {
                root.httpResult = xhr.status + " " + xhr.responseText.trim();
                console.log("proxmon-selftest: http " + root.httpResult);
            }
        };
        xhr.open("GET", X.selftestUrl());
        xhr.send();
    }
}
EOF

run_in_session
stop_host_process

# ---------------------------------------------------------------- the checks
log=$out/plasmoidviewer.log

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "qmllint: no errors in the applet's QML" rc_is "$out/qmllint.rc" 0
check "plasmoidviewer: applet loaded (console.log seen)" grep -q 'proxmon-selftest: loaded' "$log"
check "plasmoidviewer: .mjs import works" grep -q 'proxmon-selftest: mjs hello mjs from x.mjs' "$log"
check "plasmoidviewer: no QML/JS error lines from the applet" test ! -s "$out/plasmoidviewer.errors"
check "plasmoidviewer: all waits met" rc_is "$out/run-applet.rc" 0
# notify_has KEY VALUE: some recorded Notify call has args[KEY] == VALUE.
notify_has() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const [file, key, value] = process.argv.slice(1);
    const calls = require("fs").readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    process.exit(calls.some((c) => c.member === "Notify" && c.args[key] === value) ? 0 : 1);
  ' "$out/notifications.jsonl" "$1" "$2"
}
check "notification: Notify recorded from the applet" notify_has summary "ProxMon self-test"
check "notification: body came from the .mjs" notify_has body "hello notification from x.mjs"
check "loopback: python inside the root reached the host" grep -qx "$token" "$out/python-http.txt"
check "loopback: the applet's XMLHttpRequest reached the host" grep -q "proxmon-selftest: http 200 $token" "$log"
check "loopback: the host server saw the applet's request" grep -q '^GET /from-qml ' "$out/http-requests.log"
check "screenshot: written" test -s "$out/plasmoidviewer.png"
check "screenshot: not blank" colors_over "$out/screenshot.colors" 20

diagnose() {
  for f in qmllint.txt recorder.err; do
    [ -s "$out/$f" ] && { echo "--- $f" >&2; cat "$out/$f" >&2; }
  done
  echo "--- last lines of plasmoidviewer.log" >&2
  tail -n 30 "$log" >&2 2>/dev/null || true
}
finish diagnose
