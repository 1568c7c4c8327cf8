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

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  dir=/out/$NAME
  lib=/proxmon/tests/plasma/lib
  cd "$dir"
  mkdir -p "$HOME/.local/share/icons/hicolor/scalable/apps"
  cp /proxmon/icons/proxmon.svg "$HOME/.local/share/icons/hicolor/scalable/apps/"

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
  rc=0
  { cmake -S /proxmon/native -B "$build" -DCMAKE_BUILD_TYPE=Release -DPROXMON_QML_DIR=. &&
    cmake --build "$build" -j"$(nproc)"; } >cmake.log 2>&1 || rc=$?
  echo "$rc" >cmake.rc
  for pkg in pin wrong-pin insecure system tofu ca wrong-ca; do
    cmake --install "$build" --prefix "$dir/$pkg-pkg/contents/native" >>cmake-install.log 2>&1 || echo "$pkg" >>cmake-install.failed
  done

  crop() { convert "$1.png" -crop "$2+0+0" +repage -bordercolor black -border 1 -trim +repage "$1-window.png" 2>/dev/null || true; }
  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge)
  viewer() { # viewer NAME run-applet-options...
    local name=$1 rc=0
    shift
    bash "$lib/run-applet.sh" -a "$dir/$name-pkg" -o "$dir" -n "$name" "$@" || rc=$?
    echo "$rc" >"$name.rc"
  }

  viewer pin "${popup[@]}" -t 60 -d 1 -w 'proxmon: snapshot: 3 nodes'
  # Three attempts: a refused pin must stay refused on every retry.
  viewer wrong-pin "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The server.s certificate has changed' \
    -w 'proxmon: refresh #2 started'
  crop wrong-pin 445x620
  viewer insecure "${popup[@]}" -t 60 -d 3 -w 'proxmon: snapshot: 3 nodes' -w 'proxmon: insecure warning shown'
  crop insecure 445x620
  viewer system "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The server.s certificate is not trusted'
  crop system 445x620
  viewer no-native "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The native TLS module is not installed'
  crop no-native 445x620
  viewer ca "${popup[@]}" -t 60 -d 1 -w 'proxmon: snapshot: 3 nodes'
  viewer wrong-ca "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The server.s certificate is not trusted' \
    -w 'proxmon: refresh #2 started'
  crop wrong-ca 445x620
  viewer ca-no-native "${popup[@]}" -t 60 -d 3 -w 'proxmon: state view: The native TLS module is not installed'

  # The settings page: a screenshot while it shows the certificate. The
  # KWallet stand-in answers the page's keyring check (the real kwalletd6
  # would open its first-run wizard over the page).
  python3 /proxmon/tests/plasma/keyring/kwallet-standin.py --store wallet.json --calls wallet-calls.jsonl \
    --ready wallet.ready 2>wallet.err &
  wallet=$!
  for _ in $(seq 50); do [ -f wallet.ready ] && break; sleep 0.1; done
  (
    for _ in $(seq 600); do grep -q 'harness: screenshot-ready' tofu.log 2>/dev/null && break; sleep 0.1; done
    import -window root tofu-shot.png 2>/dev/null || true
    for _ in $(seq 600); do grep -q 'harness: ca-screenshot-ready' tofu.log 2>/dev/null && break; sleep 0.1; done
    import -window root tofu-ca-shot.png 2>/dev/null || true
  ) &
  shooter=$!
  viewer tofu -s 660x920 -t 90 -d 1 -w 'harness: done'
  wait "$shooter" 2>/dev/null || true
  kill -TERM "$wallet" 2>/dev/null || true
  wait "$wallet" 2>/dev/null || true
  convert tofu-shot.png -crop 660x920+0+0 +repage -bordercolor black -border 1 -trim +repage tofu-window.png 2>/dev/null || true
  convert tofu-ca-shot.png -crop 660x920+0+0 +repage -bordercolor black -border 1 -trim +repage tofu-ca-window.png 2>/dev/null || true

  for f in wrong-pin insecure system no-native tofu wrong-ca tofu-ca; do
    convert "$f-window.png" -format '%k' info: >"$f.colors" 2>/dev/null || echo 0 >"$f.colors"
  done
  exit 0
fi

# ------------------------------------------------------------------ the host
cd "$(dirname "$0")/../.."
project=$(pwd)
root_sh=$project/scripts/plasma-host/root.sh
export PROXMON_PLASMA_OUT=${PROXMON_PLASMA_OUT:-/tmp/proxmon-plasma-out}
out=$PROXMON_PLASMA_OUT/$NAME
rm -rf "$out"
mkdir -p "$out/cmd"

bash "$root_sh" ensure
[ -s contents/code/proxmon.mjs ] || node scripts/build.mjs

mkdir -p build/widget-tls-test
node_modules/.bin/esbuild tests/plasma/widget/sim-runner.mjs --bundle --platform=node --format=esm \
  --log-level=warning --outfile=build/widget-tls-test/sim-runner.mjs
node build/widget-tls-test/sim-runner.mjs examples/scenario-basic.json "$out" >"$out/sim.out" 2>"$out/sim.err" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/sim.json" ] && break; sleep 0.1; done
[ -s "$out/sim.json" ] || {
  echo "not ok - the simulator did not start"
  cat "$out/sim.err" >&2
  exit 1
}
# shellcheck disable=SC2016 # JavaScript, not shell
node -e 'const fs = require("fs"); const r = JSON.parse(fs.readFileSync(process.argv[1])); const s = JSON.parse(fs.readFileSync(process.argv[2]));
  const o = process.argv[3];
  fs.writeFileSync(o + "/port.txt", new URL(r.url).port + "\n");
  fs.writeFileSync(o + "/fingerprint.txt", r.fingerprint256 + "\n");
  fs.writeFileSync(o + "/token-id.txt", s.token.id + "\n");
  fs.writeFileSync(o + "/secret.txt", s.token.secret + "\n");' "$out/sim.json" examples/scenario-basic.json "$out"
port=$(cat "$out/port.txt")
fp=$(cat "$out/fingerprint.txt")
token_id=$(cat "$out/token-id.txt")
# A well-formed fingerprint that is not the server's: a pin from before a renewal.
wrong=$(printf '%s' "$fp" | tr '0-9A-F' 'A-F0-9' | cut -c1-95)
echo "$wrong" >"$out/wrong-fingerprint.txt"

live=(--test-default proxmoxHost=127.0.0.1 --test-default "proxmoxPort=$port" --test-default "apiTokenId=$token_id"
  --test-default "refreshInterval=$REFRESH" --test-default developerMode=true --test-expand
  --test-secret-file "$out/secret.txt")
stage() { bash scripts/package.sh --stage "$out/$1-pkg" "${@:2}" >/dev/null; }
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
stage pin "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$fp"
stage wrong-pin "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$wrong"
stage insecure "${live[@]}" --test-default ignoreSsl=true
stage system "${live[@]}"
stage no-native "${live[@]}" --test-default tlsMode=pin --test-default "tlsFingerprint=$fp"
stage tofu "${live[@]}"
cp tests/plasma/widget-tls/tofu-main.qml "$out/tofu-pkg/contents/ui/main.qml"
default_from_file tofu tlsCaPem "$out/ca.pem"
# A CA of another "cluster": well-formed, but it did not sign the simulator's certificate.
node_modules/.bin/esbuild tests/plasma/widget-tls/other-ca.mjs --bundle --platform=node --format=esm \
  --log-level=warning --outfile=build/widget-tls-test/other-ca.mjs
node build/widget-tls-test/other-ca.mjs "$out/other-ca.pem"
stage ca "${live[@]}" --test-default tlsMode=ca
default_from_file ca tlsCaPem "$out/ca.pem"
stage wrong-ca "${live[@]}" --test-default tlsMode=ca
default_from_file wrong-ca tlsCaPem "$out/other-ca.pem"
stage ca-no-native "${live[@]}" --test-default tlsMode=ca
default_from_file ca-no-native tlsCaPem "$out/ca.pem"

# What the KDE Store gets: no compiled code, whatever install.sh staged.
bash scripts/package.sh >/dev/null
python3 -c 'import sys, zipfile; names = zipfile.ZipFile(sys.argv[1]).namelist(); print("\n".join(names))' \
  package/org.kde.plasma.proxmox.plasmoid >"$out/plasmoid-files.txt"

run_rc=0
bash "$root_sh" run -- bash scripts/plasma-host/session.sh bash tests/plasma/test-widget-tls.sh --in-session || run_rc=$?

kill "$sim_pid" 2>/dev/null || true
wait "$sim_pid" 2>/dev/null || true
trap - EXIT

# ---------------------------------------------------------------- the checks
failed=0
check() { # check NAME CMD...
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    echo "ok - $what"
  else
    echo "not ok - $what"
    failed=$((failed + 1))
  fi
}
rc_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
colors_over() { [ "$(cat "$1" 2>/dev/null || echo 0)" -gt "$2" ]; }
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

if [ "$failed" -ne 0 ]; then
  echo "--- $NAME: $failed check(s) failed; files in $out" >&2
  for f in cmake.log sim.err; do
    [ -s "$out/$f" ] && { echo "--- $f" >&2; tail -n 20 "$out/$f" >&2; }
  done
  for f in "$out"/*.errors; do [ -s "$f" ] && { echo "--- $f" >&2; head -n 20 "$f" >&2; }; done
  for f in "$out"/*.log; do
    echo "--- $f" >&2
    grep -E 'proxmon: |harness: ' "$f" | grep -vF "$(cat "$out/secret.txt")" | tail -n 12 >&2 || true
  done
  exit 1
fi
echo "--- $NAME: files in $out"
