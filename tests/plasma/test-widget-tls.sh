#!/usr/bin/env bash
# The widget's TLS settings in a real Plasma 6.3 (Debian 13 root, see
# tests/plasma/README.md), against the simulator on the host's loopback
# whose per-run CA is NOT in the root's trust store. The native TLS module
# (native/) is built once in the root, as install.sh builds it (cmake
# --install into the package's contents/native), and staged into the test
# packages that should have it:
#   pin           tlsMode pin = the simulator's fingerprint → live data
#   wrong-pin     another fingerprint → TLS state with both fingerprints
#                 (screenshots/tls-error.png)
#   insecure      the earlier edition's ignoreSsl=true → live data through the
#                 module, the popup's warning shown
#                 (screenshots/tls-insecure-warning.png)
#   system        system trust, untrusted CA → XMLHttpRequest fails, the
#                 module re-asks and the TLS state shows the fingerprint and
#                 the two ways out
#   no-native     a package without the module, pin mode → the "install the
#                 CA or the native module" state, no QML errors
#   ca            tlsMode ca with the simulator's CA PEM (tlsCaPem) → live
#                 data, chain and host name checked by the module
#   wrong-ca      tlsMode ca with another CA (made like the simulator's) →
#                 the TLS state with the server's fingerprint
#   ca-no-native  ca mode in a package without the module → the same state
#                 as no-native
#   tofu          the Connection settings page in a harness: Test connection
#                 shows the certificate and which node Proxmox says it is,
#                 "Trust this certificate" pins it, the pinned test works
#                 (screenshots/settings-tofu.png); then the cluster CA mode:
#                 the pasted CA tests ok (screenshots/settings-ca.png), a
#                 pasted private key is refused
# Plus: the KDE Store .plasmoid carries no compiled code.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=widget-tls
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  install_widget_icon

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

  # The module, built once (incrementally across runs) outside the read-only
  # checkout, installed the way install.sh installs it.
  build=/out/native-build-widget-tls
  # shellcheck disable=SC2317 # run through record_rc
  build_native() {
    cmake -S /proxmon/native -B "$build" -DCMAKE_BUILD_TYPE=Release -DPROXMON_QML_DIR=. &&
      cmake --build "$build" -j"$(nproc)"
  }
  record_rc cmake build_native >cmake.log 2>&1
  for pkg in pin wrong-pin insecure system tofu ca wrong-ca; do
    cmake --install "$build" --prefix "$dir/$pkg-pkg/contents/native" >>cmake-install.log 2>&1 || echo "$pkg" >>cmake-install.failed
  done

  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge)
  # Every run has its own staged package, named after the run.
  viewer() { run_applet "$1" -a "$dir/$1-pkg" "${@:2}"; }

  viewer pin "${popup[@]}" -t 60 -d 1 -w 'proxmon: snapshot: 3 nodes'
  # Three attempts: a refused pin must stay refused on every retry.
  viewer wrong-pin "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The server.s certificate has changed' \
    -w 'proxmon: refresh #2 started'
  crop_window wrong-pin 445x620
  viewer insecure "${popup[@]}" -t 60 -d 3 -w 'proxmon: snapshot: 3 nodes' -w 'proxmon: insecure warning shown'
  crop_window insecure 445x620
  viewer system "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The server.s certificate is not trusted'
  crop_window system 445x620
  viewer no-native "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The native TLS module is not installed'
  crop_window no-native 445x620
  viewer ca "${popup[@]}" -t 60 -d 1 -w 'proxmon: snapshot: 3 nodes'
  viewer wrong-ca "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The server.s certificate is not trusted' \
    -w 'proxmon: refresh #2 started'
  crop_window wrong-ca 445x620
  viewer ca-no-native "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The native TLS module is not installed'

  # The settings page: a screenshot while it shows the certificate. The
  # KWallet stand-in answers the page's keyring check (the real kwalletd6
  # would open its first-run wizard over the page).
  python3 /proxmon/tests/plasma/keyring/kwallet-standin.py --store wallet.json --calls wallet-calls.jsonl \
    --ready wallet.ready 2>wallet.err &
  wallet=$!
  wait_until 50 test -f wallet.ready || true
  (
    wait_until 600 grep -qs 'harness: screenshot-ready' tofu.log || true
    import -window root tofu-shot.png 2>/dev/null || true
    wait_until 600 grep -qs 'harness: ca-screenshot-ready' tofu.log || true
    import -window root tofu-ca-shot.png 2>/dev/null || true
  ) &
  shooter=$!
  viewer tofu -s 660x920 -t 90 -d 1 -w 'harness: done'
  wait "$shooter" 2>/dev/null || true
  stop_pid "$wallet"
  # tofu.png is run-applet.sh's own end-of-run screenshot, so the page's
  # shots are taken under other names and cropped to the names checked below.
  for f in tofu tofu-ca; do
    crop_window "$f-shot" 660x920
    mv -f "$f-shot-window.png" "$f-window.png" 2>/dev/null || true
  done

  for f in wrong-pin insecure system no-native tofu wrong-ca tofu-ca; do
    count_colors "$f-window.png" "$f.colors"
  done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME" cmd
build_bundle
start_simulator examples/scenario-basic.json "$out"
fp=$fingerprint
# The inside half reads the port from here: only /out crosses into the root.
echo "$port" >"$out/port.txt"
# A well-formed fingerprint that is not the server's: a pin from before a renewal.
wrong=$(printf '%s' "$fp" | tr '0-9A-F' 'A-F0-9' | cut -c1-95)
echo "$wrong" >"$out/wrong-fingerprint.txt"

live=("${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true --test-expand
  --test-secret-file "$out/secret.txt")
# A PEM is several lines, which package.sh --test-default (one sed line)
# cannot carry: written into the staged main.xml as escaped XML text.
default_from_file() { # default_from_file PKG KEY FILE
  python3 - "$out/$1-pkg/contents/config/main.xml" "$2" "$3" <<'PY'
import re, sys
from xml.sax.saxutils import escape
xml, key, src = sys.argv[1:]
text = open(xml).read()
value = escape(open(src).read().strip())
entry = re.compile(r'(<entry name="' + re.escape(key) + r'"[^>]*>\s*<default>).*?(</default>)', re.S)
text, n = entry.subn(lambda m: m.group(1) + value + m.group(2), text, count=1)
if n != 1:
    sys.exit("no key " + key + " in " + xml)
open(xml, "w").write(text)
PY
}
stage_package pin "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$fp"
stage_package wrong-pin "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$wrong"
stage_package insecure "${live[@]}" --test-default ignoreSsl=true
stage_package system "${live[@]}"
stage_package no-native "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$fp"
stage_package tofu "${live[@]}"
cp tests/plasma/widget-tls/tofu-main.qml "$out/tofu-pkg/contents/ui/main.qml"
default_from_file tofu tlsCaPem "$out/ca.pem"
# A CA of another "cluster": well-formed, but it did not sign the simulator's certificate.
node_modules/.bin/esbuild tests/plasma/widget-tls/other-ca.mjs --bundle --platform=node --format=esm \
  --log-level=warning --outfile=build/widget-tls-test/other-ca.mjs
node build/widget-tls-test/other-ca.mjs "$out/other-ca.pem"
stage_package ca "${live[@]}" --test-default tlsMode=ca
default_from_file ca tlsCaPem "$out/ca.pem"
stage_package wrong-ca "${live[@]}" --test-default tlsMode=ca
default_from_file wrong-ca tlsCaPem "$out/other-ca.pem"
stage_package ca-no-native "${live[@]}" --test-default tlsMode=ca
default_from_file ca-no-native tlsCaPem "$out/ca.pem"

# What the KDE Store gets: no compiled code, whatever install.sh staged.
bash scripts/package.sh >/dev/null
python3 -c 'import sys, zipfile; names = zipfile.ZipFile(sys.argv[1]).namelist(); print("\n".join(names))' \
  package/org.kde.plasma.proxmox.plasmoid >"$out/plasmoid-files.txt"

run_in_session
stop_host_process

# ---------------------------------------------------------------- the checks
has() { grep -qF -- "$2" "$1"; }
state_line() { grep 'proxmon: state view: ' "$1" | tail -n 1; }
state_has() { state_line "$1" | grep -qF -- "$2"; }

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "precondition: the root's trust store does not trust the simulator's CA" grep -q '^untrusted' "$out/system-trust.txt"
check "native: cmake builds the module in the root" rc_is "$out/cmake.rc" 0
check "native: installed into each test package's contents/native (install.sh's layout)" \
  bash -c "test ! -e '$out/cmake-install.failed' && test -f '$out/pin-pkg/contents/native/org/kde/proxmon/tls/qmldir'"
check "KDE Store .plasmoid: no native module, no shared object" \
  bash -c "! grep -qE 'contents/native|\\.so' '$out/plasmoid-files.txt' && grep -q 'contents/ui/NativeTls.qml' '$out/plasmoid-files.txt'"
for run in pin wrong-pin insecure system no-native tofu ca wrong-ca ca-no-native; do
  check "$run: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
  check "$run: no error lines naming the package" test ! -s "$out/$run.errors"
done

check "pin: the module pins the simulator's fingerprint → live data" has "$out/pin.log" 'proxmon: snapshot: 3 nodes'
check "pin: the log says pin mode through the native module" has "$out/pin.log" 'proxmon: tls: pin mode via the native module'
check "pin: no TLS error" bash -c "! grep -q 'proxmon: refresh tls' '$out/pin.log'"

check "wrong pin: refused as a TLS error on every attempt (3 or more), never any data" \
  bash -c "grep -q 'proxmon: refresh tls' '$out/wrong-pin.log' && grep -q 'proxmon: refresh #2 started' '$out/wrong-pin.log' && ! grep -qE 'proxmon: (snapshot:|refresh ok)' '$out/wrong-pin.log'"
check "wrong pin: the state says the certificate changed" state_has "$out/wrong-pin.log" "The server's certificate has changed"
check "wrong pin: the state shows the server's fingerprint" state_has "$out/wrong-pin.log" "$fp"
check "wrong pin: … and the pinned one" state_has "$out/wrong-pin.log" "$wrong"
check "wrong pin: the log names both fingerprints" has "$out/wrong-pin.log" "tls: server certificate SHA-256 $fp, pinned $wrong"

check "insecure: ignoreSsl=true maps to insecure through the native module" \
  has "$out/insecure.log" 'proxmon: tls: insecure mode via the native module — certificate checks are off'
check "insecure: live data" has "$out/insecure.log" 'proxmon: snapshot: 3 nodes'
check "insecure: the popup's warning is shown" has "$out/insecure.log" 'proxmon: insecure warning shown'

check "system: XMLHttpRequest for system trust" has "$out/system.log" 'proxmon: tls: system mode via XMLHttpRequest'
check "system: the native re-probe turns status 0 into a TLS error with the fingerprint" \
  has "$out/system.log" "tls: server certificate SHA-256 $fp"
check "system: the state says the certificate is not trusted and shows the fingerprint" \
  bash -c "grep 'proxmon: state view: ' '$out/system.log' | tail -n 1 | grep -qF \"The server's certificate is not trusted\" && grep 'proxmon: state view: ' '$out/system.log' | grep -qF '$fp'"
check "system: way out 1 — install the Proxmox CA (exact commands, plasmashell restart)" \
  bash -c "grep 'proxmon: state view: ' '$out/system.log' | tail -n 1 | grep -F 'pve-root-ca.pem' | grep -F '/usr/local/share/ca-certificates/pve-root-ca.crt' | grep -F 'sudo update-ca-certificates' | grep -qF 'systemctl --user restart plasma-plasmashell'"
check "system: way out 2 — pin it (Test connection → Trust this certificate)" \
  state_has "$out/system.log" "Trust this certificate"

check "no-native: pin mode without the module → nothing sent, the setup state" \
  bash -c "grep -q 'proxmon: tls: pin mode cannot be used (native-missing)' '$out/no-native.log' && ! grep -q 'proxmon: snapshot:' '$out/no-native.log'"
check "no-native: the state names both ways out: the CA …" \
  bash -c "grep 'proxmon: state view: ' '$out/no-native.log' | tail -n 1 | grep -F 'sudo update-ca-certificates' | grep -qF 'systemctl --user restart plasma-plasmashell'"
check "no-native: … or the native module (./install.sh with the build packages)" \
  bash -c "grep 'proxmon: state view: ' '$out/no-native.log' | tail -n 1 | grep -F './install.sh' | grep -qF 'cmake, g++, make, qt6-base-dev and qt6-declarative-dev'"

check "ca: the simulator's CA is another CA than the wrong-ca one" \
  bash -c "grep -q 'BEGIN CERTIFICATE' '$out/other-ca.pem' && ! cmp -s '$out/ca.pem' '$out/other-ca.pem'"
check "ca: the staged config holds the CA certificate and no private key" \
  bash -c "grep -q 'BEGIN CERTIFICATE' '$out/ca-pkg/contents/config/main.xml' && ! grep -q 'PRIVATE KEY' '$out'/*-pkg/contents/config/main.xml"
check "ca: the log says ca mode through the native module" has "$out/ca.log" 'proxmon: tls: ca mode via the native module'
check "ca: the module verifies the chain against the pasted CA → live data" has "$out/ca.log" 'proxmon: snapshot: 3 nodes'
check "ca: no TLS error" bash -c "! grep -q 'proxmon: refresh tls' '$out/ca.log'"

check "wrong-ca: ca mode through the native module" has "$out/wrong-ca.log" 'proxmon: tls: ca mode via the native module'
check "wrong-ca: refused as a TLS error on every attempt, never any data" \
  bash -c "grep -q 'proxmon: refresh tls' '$out/wrong-ca.log' && grep -q 'proxmon: refresh #2 started' '$out/wrong-ca.log' && ! grep -qE 'proxmon: (snapshot:|refresh ok)' '$out/wrong-ca.log'"
check "wrong-ca: the state says the certificate is not trusted" state_has "$out/wrong-ca.log" "The server's certificate is not trusted"
check "wrong-ca: … not issued by the CA in the settings, with where to get the right one" \
  bash -c "grep 'proxmon: state view: ' '$out/wrong-ca.log' | tail -n 1 | grep -F 'not issued by the Proxmox cluster CA in the settings' | grep -qF 'cat /etc/pve/pve-root-ca.pem'"
check "wrong-ca: the state and the log show the server's fingerprint" \
  bash -c "grep 'proxmon: state view: ' '$out/wrong-ca.log' | grep -qF '$fp' && grep -qF 'tls: server certificate SHA-256 $fp' '$out/wrong-ca.log'"

check "ca-no-native: ca mode without the module → nothing sent, the setup state" \
  bash -c "grep -q 'proxmon: tls: ca mode cannot be used (native-missing)' '$out/ca-no-native.log' && ! grep -q 'proxmon: snapshot:' '$out/ca-no-native.log'"
check "ca-no-native: the state names both ways out: the CA system-wide …" \
  bash -c "grep 'proxmon: state view: ' '$out/ca-no-native.log' | tail -n 1 | grep -F 'sudo update-ca-certificates' | grep -qF 'systemctl --user restart plasma-plasmashell'"
check "ca-no-native: … or the native module" \
  bash -c "grep 'proxmon: state view: ' '$out/ca-no-native.log' | tail -n 1 | grep -F './install.sh' | grep -qF 'cmake, g++, make, qt6-base-dev and qt6-declarative-dev'"

t=$out/tofu.log
check "tofu: the settings page loads the native module" has "$t" 'harness: page-created native true mode system'
check "tofu: Test connection in system mode shows the server's certificate" has "$t" "harness: system-test error certificate $fp"
check "tofu: … with subject, issuer and validity" \
  bash -c "grep 'harness: system-test subject' '$t' | grep -q 'CN=' && grep 'harness: system-test subject' '$t' | grep -qE 'valid [0-9]{4}-'"
check "tofu: Proxmox's /nodes (over a pinned connection) names the node with that fingerprint" \
  grep -qE "harness: system-test error certificate $fp node-check match [a-z0-9-]+" "$t"
check "tofu: \"Trust this certificate\" sets tlsMode pin and the fingerprint" \
  has "$t" "harness: trusted mode pin fingerprint $fp ignoreSsl false effective pin"
check "tofu: the test with the new pin connects" grep -q 'harness: pinned-test ok Connected to Proxmox VE' "$t"
check "tofu: the pasted simulator CA is accepted by the page (one certificate)" \
  has "$t" 'harness: ca-page effective ca problem null count 1'
check "tofu: Test connection in ca mode connects" grep -q 'harness: ca-test ok Connected to Proxmox VE' "$t"
check "tofu: a pasted private key is refused: not stored, wiped from the field" \
  has "$t" 'harness: ca-key refused true stored-unchanged true field-has-key false config-has-key false'
check "tofu: the secret never appears in a log" \
  bash -c "! grep -qF \"\$(cat '$out/secret.txt')\" '$out'/*.log"

for shot in wrong-pin insecure system no-native tofu wrong-ca tofu-ca; do
  check "screenshot $shot: written and not blank" colors_over "$out/$shot.colors" 20
done

mkdir -p screenshots
cp "$out/wrong-pin-window.png" screenshots/tls-error.png 2>/dev/null || true
cp "$out/insecure-window.png" screenshots/tls-insecure-warning.png 2>/dev/null || true
cp "$out/system-window.png" screenshots/tls-untrusted.png 2>/dev/null || true
cp "$out/no-native-window.png" screenshots/tls-no-native.png 2>/dev/null || true
cp "$out/tofu-window.png" screenshots/settings-tofu.png 2>/dev/null || true
cp "$out/tofu-ca-window.png" screenshots/settings-ca.png 2>/dev/null || true

# Only the widget's own lines, without the secret, say what went wrong.
diagnose() {
  show_ends tail 20 cmake.log sim.err
  show_ends head 20 "$out"/*.errors
  local f
  for f in "$out"/*.log; do
    echo "--- $f" >&2
    grep -E 'proxmon: |harness: ' "$f" | grep -vF "$(cat "$out/secret.txt")" | tail -n 12 >&2 || true
  done
}
finish diagnose
