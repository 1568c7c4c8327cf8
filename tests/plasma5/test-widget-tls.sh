#!/usr/bin/env bash
# Certificate pinning in the Plasma 5.27 widget, in Debian 12's plasmoidviewer
# against the simulator, whose CA the root's system store does not hold:
#   pin        tlsMode pin = the simulator's fingerprint → live data, through
#              the native TLS module built from native/qt5 into the package's
#              contents/native (install.sh's layout)
#   wrong-pin  another fingerprint → refused on every attempt, the state shows
#              both fingerprints, and the simulator saw no request at all (the
#              token never left the machine)
#   system     the same settings with the system store → no data (so only the
#              pin let the widget in), refused at once as an untrusted
#              certificate with its fingerprint. Plasma 5's QML engine sends
#              XMLHttpRequest through KIO, which puts an untrusted
#              certificate to the user as a message box and lets the request
#              time out; so on Plasma 5 system trust goes through the module
#              when it is installed (the same system store, checked there).
# The same TypeScript and QML as tests/plasma/test-widget-tls.sh on Plasma 6.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=widget-tls5
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=../plasma/lib/common.sh
. "$(dirname "$0")/../plasma/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"

  # Precondition: the system does not trust the simulator (python's default
  # context reads the same store as Qt).
  port=$(cat port.txt)
  python3 - "$port" >system-trust.txt 2>&1 <<'PY' || true
import socket, ssl, sys
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5) as s:
        with ssl.create_default_context().wrap_socket(s, server_hostname="127.0.0.1"):
            print("trusted")
except ssl.SSLCertVerificationError as e:
    print("untrusted", e.verify_message)
PY

  build=/tmp/native5-widget-tls
  # shellcheck disable=SC2317 # run through record_rc
  build_native() {
    cmake -S /proxmon/native/qt5 -B "$build" -DCMAKE_BUILD_TYPE=Release -DPROXMON_QML_DIR=. &&
      cmake --build "$build" -j2
  }
  record_rc cmake build_native >cmake.log 2>&1
  for pkg in pin wrong-pin system; do
    cmake --install "$build" --prefix "$dir/$pkg-pkg/contents/native" >>cmake-install.log 2>&1 || echo "$pkg" >>cmake-install.failed
  done

  plasma5_label=(-L 'QML (Label|Heading): Binding loop detected for property "verticalAlignment"')
  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge "${plasma5_label[@]}")
  viewer() { run_applet "$1" -a "$dir/$1-pkg" "${@:2}"; }

  viewer pin "${popup[@]}" -t 60 -d 1 -w 'proxmon: snapshot: 3 nodes'
  simcmd reset '{"cmd":"reset-stats"}' >/dev/null
  # Three attempts: a refused pin must stay refused on every retry.
  viewer wrong-pin "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The server.s certificate has changed' \
    -w 'proxmon: refresh #2 started'
  simcmd stats-wrong-pin '{"cmd":"stats"}' >wrong-pin-stats.json
  viewer system "${popup[@]}" -t 60 -d 1 -w 'proxmon: state view: The server.s certificate is not trusted'
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME" cmd
build_bundle
start_simulator examples/scenario-basic.json "$out"
fp=$fingerprint
echo "$port" >"$out/port.txt"
# A well-formed fingerprint that is not the server's: a pin from before a renewal.
wrong=$(printf '%s' "$fp" | tr '0-9A-F' 'A-F0-9' | cut -c1-95)

live=(--plasma5 "${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true
  --test-expand --test-secret-file "$out/secret.txt")
stage_package pin "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$fp"
stage_package wrong-pin "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$wrong"
stage_package system "${live[@]}"

run_rc=0
bash "$root_sh" run -e KDE_SESSION_VERSION=5 -- bash scripts/plasma-host/session.sh \
  bash "tests/plasma5/$(basename "$0")" --in-session || run_rc=$?
stop_host_process

# ---------------------------------------------------------------- the checks
has() { grep -qF -- "$2" "$1"; }
state_line() { grep 'proxmon: state view: ' "$1" | tail -n 1; }
state_has() { state_line "$1" | grep -qF -- "$2"; }

check "root.sh run (Debian 12, Plasma 5.27): the session inside exited cleanly" test "$run_rc" -eq 0
check "precondition: the root's trust store does not trust the simulator's CA" grep -q '^untrusted' "$out/system-trust.txt"
check "native/qt5: cmake builds the modules in the root" rc_is "$out/cmake.rc" 0
check "native/qt5: cmake --install puts them into each package's contents/native" test ! -e "$out/cmake-install.failed"
for run in pin wrong-pin system; do
  check "$run: Plasma 5 plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
  check "$run: no error lines naming the package" test ! -s "$out/$run.errors"
done

check "pin: the Qt 5 module pins the simulator's fingerprint → live data" has "$out/pin.log" 'proxmon: snapshot: 3 nodes'
check "pin: the log says pin mode through the native module" has "$out/pin.log" 'proxmon: tls: pin mode via the native module'
check "pin: no TLS error" bash -c "! grep -q 'proxmon: refresh tls' '$out/pin.log'"

check "wrong pin: refused as a TLS error on every attempt, never any data" \
  bash -c "grep -q 'proxmon: refresh tls' '$out/wrong-pin.log' && grep -q 'proxmon: refresh #2 started' '$out/wrong-pin.log' && ! grep -qE 'proxmon: (snapshot:|refresh ok)' '$out/wrong-pin.log'"
check "wrong pin: the state says the certificate changed" state_has "$out/wrong-pin.log" "The server's certificate has changed"
check "wrong pin: the state shows the server's fingerprint and the pinned one" \
  bash -c "grep 'proxmon: state view: ' '$out/wrong-pin.log' | tail -n 1 | grep -qF -- '$fp' &&
    grep 'proxmon: state view: ' '$out/wrong-pin.log' | tail -n 1 | grep -qF -- '$wrong'"
# shellcheck disable=SC2016 # JavaScript, not shell
check "wrong pin: the simulator saw no API request in the whole run (the token was never sent)" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (s.total !== 0) console.error(JSON.stringify(s));
  process.exit(s.total === 0 ? 0 : 1);' "$out/wrong-pin-stats.json"

check "system: the system store does not let the widget in (no data)" \
  bash -c "grep -q 'proxmon: refresh #0 started' '$out/system.log' && ! grep -qE 'proxmon: (snapshot:|refresh ok)' '$out/system.log'"
check "system: checked by the native module against the system store (not XHR through KIO)" \
  has "$out/system.log" 'proxmon: tls: system mode via the native module'
check "system: refused as a TLS error, not a timeout" \
  bash -c "grep -q 'proxmon: refresh tls' '$out/system.log' && ! grep -q 'proxmon: refresh timeout' '$out/system.log'"
check "system: the state says the certificate is not trusted" state_has "$out/system.log" "The server's certificate is not trusted"
check "system: the state shows the server's fingerprint" bash -c "grep 'proxmon: state view: ' '$out/system.log' | grep -qF -- '$fp'"

diagnose() {
  show_ends tail 30 cmake.log cmake-install.log pin.log wrong-pin.log system.log sim.err
  show_ends head 20 "$out"/*.errors
}
finish diagnose
