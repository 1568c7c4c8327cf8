#!/usr/bin/env bash
# The native TLS module (native/) inside the Plasma 6.3 / Qt 6.8 root:
#   - builds it there with cmake (into /out/native-build: the checkout is read-only)
#   - runs tests/plasma/native/tst_native_tls.qml in qmltestrunner: the module
#     driven through the TypeScript adapter (src/api/transport-native.ts) and
#     the API client, against simulators on the host's loopback that share one
#     per-run CA (tests/plasma/native/sim-driver.ts): system trust → TLS error
#     with the fingerprint; correct pin → works; wrong pin → refused before a
#     request is sent; CA → works; CA with a wrong host name → refused;
#     insecure → works; certificate changed after pinning → refused with both
#     fingerprints; plus timeout, refused port, abort, body limit, policy
#     isolation of kept-alive connections, HTTP errors as responses
#   - finds where an installed module is picked up by plasmoidviewer (same
#     applet loading code as plasmashell), with a throwaway applet that loads
#     it optionally: ~/.local/lib/qt6/qml with and without QML_IMPORT_PATH,
#     and copied into the kpackagetool6-installed package (install.sh's way)
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
#
# Host side: bash tests/plasma/test-native-tls.sh   (as root)
set -euo pipefail

NAME=native-tls
PLUGIN_ID=org.kde.plasma.proxmonnativetls
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"

  # Debian 13's cmake does not pull in a build tool; use the root's ninja or
  # make when present, else the copy of the host's make the host half left.
  gen=()
  if command -v ninja >/dev/null; then
    gen=(-G Ninja)
  elif ! command -v make >/dev/null && [ -x "$dir/tools/make" ]; then
    gen=(-DCMAKE_MAKE_PROGRAM="$dir/tools/make")
  fi
  build=/out/native-build
  rm -rf "$build"
  rc=0
  { cmake -S /proxmon/native -B "$build" -DCMAKE_BUILD_TYPE=Release "${gen[@]}" &&
    cmake --build "$build" -j"$(nproc)"; } >cmake.log 2>&1 || rc=$?
  echo "$rc" >cmake.rc
  grep -ciE '(^|[^-])warning:' cmake.log >cmake.warnings || true
  # What the module links against (no libplasma, no KF6).
  ldd "$build/qml/org/kde/proxmon/tls/libproxmontls.so" >ldd.txt 2>&1 || true

  # The QML test of every TLS case.
  record_rc qmltest env QT_QPA_PLATFORM=offscreen QV4_GC_TIMELIMIT=0 /usr/lib/qt6/bin/qmltestrunner \
    -import "$build/qml" -input "$dir/qml/tst_native_tls.qml" \
    -o "$dir/qmltest.txt,txt" -o -,txt >qmltest.out 2>&1

  # Where the module can live so that plasmoidviewer (and plasmashell: the
  # same libplasma applet loading) finds it:
  #  1. the per-user Qt prefix ~/.local/lib/qt6/qml — only with QML_IMPORT_PATH
  #  2. nowhere on the path — the applet must still run, without QML errors
  #  3. inside the installed package (contents/native/), imported by
  #     directory path — what install.sh should do; no environment needed
  prefix=$HOME/.local
  record_rc install cmake --install "$build" --prefix "$prefix" >install.log 2>&1
  find "$prefix" -path '*org/kde/proxmon/tls*' -type f | sort >installed.txt

  viewer() { # viewer NAME APPLET [ENV=VALUE]...
    local stem=$1 applet=$2
    shift 2
    record_rc "$stem" env "$@" bash "$lib/run-applet.sh" -a "$applet" -o "$dir" -n "$stem" \
      -s 420x300 -t 40 -m 2 -d 1 -w 'proxmon-native-applet: (loaded|missing)'
  }
  viewer viewer-with-path "$dir/pkg" QML_IMPORT_PATH="$prefix/lib/qt6/qml"
  viewer viewer-without-path "$dir/pkg"

  # install.sh's way: the module goes into the staged package (with
  # cmake --install into contents/native), kpackagetool6 installs the whole.
  stage=$dir/stage/$PLUGIN_ID
  rm -rf "$dir/stage"
  mkdir -p "$dir/stage"
  cp -r "$dir/pkg" "$stage"
  rc=0
  cmake --install "$build" --prefix "$stage/contents/native" >install-stage.log 2>&1 || rc=$?
  # The prefix layout puts the module below lib/qt6/qml; the import in
  # NativeTlsLocal.qml expects contents/native/org/…: move it up.
  if [ "$rc" = 0 ]; then
    mv "$stage/contents/native/lib/qt6/qml/org" "$stage/contents/native/org" && rm -rf "$stage/contents/native/lib" || rc=$?
  fi
  kpackagetool6 -t Plasma/Applet -i "$stage" >kpackagetool.log 2>&1 || rc=$?
  echo "$rc" >kpackagetool.rc
  pkgdir=$HOME/.local/share/plasma/plasmoids/$PLUGIN_ID
  find "$pkgdir" -type f | sort >installed-package.txt
  viewer viewer-installed "$PLUGIN_ID"
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME" qml sim tools pkg/contents/ui

# Bundles: the simulator driver for Node, the adapter + client for Qt's engine.
npx --no-install esbuild tests/plasma/native/sim-driver.ts --bundle --platform=node --format=esm \
  --outfile="$out/sim-driver.mjs" --log-level=warning
npx --no-install esbuild tests/plasma/native/entry.ts --bundle --platform=neutral --format=esm \
  --target=es2016 --outfile="$out/qml/native-core.mjs" --log-level=warning
cp tests/plasma/native/tst_native_tls.qml "$out/qml/"
# See the build-tool note inside: only used when the root has neither make nor ninja.
if command -v make >/dev/null; then cp "$(command -v make)" "$out/tools/make"; fi

node "$out/sim-driver.mjs" "$out/sim" >"$out/sim-driver.log" 2>&1 &
watch_host_process $!
wait_until 100 test -s "$out/sim/env.mjs" || {
  echo "not ok - the simulators did not start"
  cat "$out/sim-driver.log" >&2
  exit 1
}
cp "$out/sim/env.mjs" "$out/qml/env.mjs"
# shellcheck disable=SC2016 # JavaScript, not shell
a_port=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).a.port)' "$out/sim/env.json")

# A throwaway applet that loads the module optionally, as the widget should.
cat >"$out/pkg/metadata.json" <<EOF
{
  "KPackageStructure": "Plasma/Applet",
  "X-Plasma-API-Minimum-Version": "6.0",
  "KPlugin": {
    "Id": "$PLUGIN_ID",
    "Name": "ProxMon native TLS probe",
    "Description": "Throwaway applet: where does plasmoidviewer find org.kde.proxmon.tls?",
    "Icon": "security-high",
    "Authors": [{ "Name": "ProxMon" }],
    "Category": "System Information",
    "License": "GPL-3.0-or-later",
    "Version": "0.0.1"
  }
}
EOF
# Two ways in, tried in this order; each file holds nothing but the import.
cat >"$out/pkg/contents/ui/NativeTlsLocal.qml" <<'EOF'
import QtQml
import "../native/org/kde/proxmon/tls" as Tls

Tls.NativeTransport {}
EOF
cat >"$out/pkg/contents/ui/NativeTls.qml" <<'EOF'
import QtQml
import org.kde.proxmon.tls as Tls

Tls.NativeTransport {}
EOF
cat >"$out/pkg/contents/ui/main.qml" <<EOF
import QtQuick
import org.kde.plasma.plasmoid
import org.kde.plasma.components as PlasmaComponents3

PlasmoidItem {
    id: root
    property string state_: "loading"
    property var nativeTls: null
    preferredRepresentation: fullRepresentation
    fullRepresentation: PlasmaComponents3.Label { text: "native TLS: " + root.state_ }

    // Qt.createComponent rather than a Loader: a Loader prints a failed
    // import as a warning naming the package's file; a component's errors
    // are only returned, so a missing module stays quiet.
    function loadNative() {
        const ways = [["local", "NativeTlsLocal.qml"], ["uri", "NativeTls.qml"]];
        for (let i = 0; i < ways.length; i++) {
            const component = Qt.createComponent(Qt.resolvedUrl(ways[i][1]), Component.PreferSynchronous, root);
            if (component.status === Component.Ready) {
                const object = component.createObject(root);
                if (object) {
                    root.state_ = ways[i][0];
                    return object;
                }
            }
            console.log("proxmon-native-applet: " + ways[i][0] + " unavailable");
        }
        return null;
    }

    Component.onCompleted: {
        root.nativeTls = loadNative();
        if (!root.nativeTls) {
            root.state_ = "missing";
            console.log("proxmon-native-applet: missing (the widget would use XMLHttpRequest)");
            return;
        }
        const tls = root.nativeTls;
        const via = root.state_;
        tls.request({ method: "GET", url: "https://127.0.0.1:$a_port/api2/json/version",
                      headers: {}, timeoutMs: 5000, tls: { mode: "insecure" } }, function (result) {
            console.log("proxmon-native-applet: loaded via " + via + " apiVersion=" + tls.apiVersion + " status=" + result.status);
        });
    }
}
EOF

run_in_session
stop_host_process

# ---------------------------------------------------------------- the checks
passed() { grep -qE "^PASS   : (qmltestrunner::)?NativeTls::$1\(\)" "$out/qmltest.txt"; }
links_only_qt() {
  grep -q 'libQt6Network' "$out/ldd.txt" && ! grep -qiE 'libPlasma|libKF6' "$out/ldd.txt"
}
loaded_via() { # loaded_via WAY LOG
  grep -qE "proxmon-native-applet: loaded via $1 apiVersion=1 status=[1-5][0-9][0-9]" "$2"
}

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "native: cmake builds the module in the Plasma root" rc_is "$out/cmake.rc" 0
check "native: the build has no compiler warnings" rc_is "$out/cmake.warnings" 0
check "native: the plugin links Qt Core/Network/Qml only (no libplasma, no KF6)" links_only_qt
check "native: the module loads in qmltestrunner (NativeTransport, apiVersion 1)" passed test_01_module_loads
check "native: system trust → TLS error with the server's fingerprint, subject, issuer, validity" passed test_02_system_trust_refused_with_fingerprint
check "native: correct pin (pasted in openssl's form) → works" passed test_03_pin_correct_works
check "native: wrong pin → refused, and the server saw no request" passed test_04_pin_wrong_refused_before_sending
check "native: a wrong pin stays refused for parallel and later requests (no request sent)" passed test_04b_pin_wrong_stays_refused_for_parallel_and_later_requests
check "native: CA → works" passed test_05_ca_works
check "native: CA with a wrong host name → refused" passed test_06_ca_wrong_host_name_refused
check "native: insecure → works (untrusted CA, wrong name)" passed test_07_insecure_works
check "native: certificate changed after pinning → refused with both fingerprints, no request sent" passed test_08_certificate_changed_after_pinning_refused
check "native: a server that never answers → timeout" passed test_09_timeout
check "native: a closed port → unreachable (ECONNREFUSED)" passed test_10_refused_connection_unreachable
check "native: abort() ends the native request" passed test_11_abort
check "native: a body over the limit → response with the body-error header" passed test_12_body_limit
check "native: policies do not share kept-alive connections" passed test_13_policies_do_not_share_connections
check "native: HTTP error statuses are responses, with content-type" passed test_14_http_errors_are_responses
check "native: qmltestrunner passed overall" rc_is "$out/qmltest.rc" 0
check "install: cmake --install puts qmldir and the plugin under ~/.local/lib/qt6/qml" \
  grep -q 'lib/qt6/qml/org/kde/proxmon/tls/libproxmontls.so' "$out/installed.txt"
check "plasmoidviewer: ~/.local/lib/qt6/qml + QML_IMPORT_PATH → loads by URI, a request works" \
  loaded_via uri "$out/viewer-with-path.log"
check "plasmoidviewer: ~/.local/lib/qt6/qml alone is not on the import path → missing, applet still runs" \
  grep -q 'proxmon-native-applet: missing' "$out/viewer-without-path.log"
check "plasmoidviewer: a missing module leaves no QML error line" rc_is "$out/viewer-without-path.rc" 0
check "kpackagetool6: the staged applet with the module in contents/native installs per user" rc_is "$out/kpackagetool.rc" 0
check "kpackagetool6: the installed package carries the plugin" \
  grep -q "plasmoids/$PLUGIN_ID/contents/native/org/kde/proxmon/tls/libproxmontls.so" "$out/installed-package.txt"
check "plasmoidviewer: module copied into the installed package (contents/native) → loads by directory import, no environment" \
  loaded_via local "$out/viewer-installed.log"

diagnose() {
  for f in cmake.log qmltest.out install.log kpackagetool.log sim-driver.log; do
    [ -s "$out/$f" ] && { echo "--- $f (last 40 lines)" >&2; tail -n 40 "$out/$f" >&2; }
  done
  return 0
}
finish diagnose
