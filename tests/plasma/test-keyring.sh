#!/usr/bin/env bash
# The token secret through KDE Wallet, in a real Plasma 6.3 (Debian 13 root,
# see tests/plasma/README.md). A KWallet stand-in (keyring/kwallet-standin.py)
# owns org.kde.kwalletd6 on the session bus and keeps its wallet in a JSON
# file under /out — outside the test HOME, because it plays the wallet, the
# one place the secret belongs. The widget package has NO secret in it.
#   new-key    the secret stored under the widget's key → the widget reads it
#              through the D-Bus shim and shows live data from the simulator
#   migrate    only the earlier C++ edition's entry → the widget works and the
#              wallet now also holds the entry under the new key
#   disabled   the wallet is disabled → "Missing token secret" with the
#              disabled message (log line, screenshot)
#   denied     open() answers -1 → the same state with the denied message
#   harness    keyring/harness-main.qml as the package's main.qml: write, read
#              and remove through Keyring.qml; a Keyring whose D-Bus file
#              cannot load (Plasma 6.0/6.1) → "needs Plasma 6.2"; the settings
#              page's saveConfig()/Forget against the wallet
#   hygiene    afterwards no file in the test HOME (configs, caches, logs) and
#              no command line seen during the runs contains a secret
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=keyring
REFRESH=5

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  dir=/out/$NAME
  lib=/proxmon/tests/plasma/lib
  standin=/proxmon/tests/plasma/keyring/kwallet-standin.py
  cd "$dir"

  cp ca.pem /usr/local/share/ca-certificates/proxmon-sim.crt
  update-ca-certificates >update-ca.txt 2>&1 || true

  # Command lines while the widget runs: the secret must not be in any.
  (while :; do ps -eo args >>ps-samples.txt 2>/dev/null; sleep 1; done) &
  sampler=$!

  wallet_pid=""
  start_wallet() { # start_wallet NAME [stand-in options]
    local name=$1
    shift
    rm -f "wallet-$name.ready"
    python3 "$standin" --store "wallet-$name.json" --calls "calls-$name.jsonl" --ready "wallet-$name.ready" "$@" \
      2>"wallet-$name.err" &
    wallet_pid=$!
    for _ in $(seq 50); do [ -f "wallet-$name.ready" ] && break; sleep 0.1; done
  }
  stop_wallet() {
    kill -TERM "$wallet_pid" 2>/dev/null || true
    wait "$wallet_pid" 2>/dev/null || true
  }
  viewer() { # viewer NAME PACKAGE run-applet-options...
    local name=$1 pkg=$2 rc=0
    shift 2
    bash "$lib/run-applet.sh" -a "$pkg" -o "$dir" -n "$name" -s 600x120 -c org.kde.panel -f horizontal -l topedge -d 2 "$@" || rc=$?
    echo "$rc" >"$name.rc"
    convert "$name.png" -crop 445x620+0+0 +repage -bordercolor black -border 1 -trim +repage "$name-window.png" 2>/dev/null || true
  }

  start_wallet new --seed seed-new.json
  viewer new-key "$dir/live-pkg" -t 60 -w 'proxmon: snapshot: 3 nodes'
  stop_wallet

  start_wallet migrate --seed seed-legacy.json
  viewer migrate "$dir/live-pkg" -t 60 -w 'proxmon: snapshot: 3 nodes'
  stop_wallet

  start_wallet disabled --disabled
  viewer disabled "$dir/live-pkg" -t 40 -w 'proxmon: token secret missing: keyring disabled'
  stop_wallet

  start_wallet denied --deny
  viewer denied "$dir/live-pkg" -t 40 -w 'proxmon: token secret missing: keyring denied'
  stop_wallet

  start_wallet harness
  viewer harness "$dir/harness-pkg" -t 60 -w 'harness: done'
  stop_wallet

  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true

  # Every secret of this run: the simulator's and the harness's (read from the
  # stand-in's store and call log, which hold them by design).
  cp secret.txt all-secrets.txt
  python3 - >>all-secrets.txt <<'PY'
import glob, json
for f in glob.glob("wallet-*.json"):
    for folders in json.load(open(f)).get("wallets", {}).values():
        for entries in folders.values():
            for v in entries.values():
                print(v)
PY
  grep -ho 'hs-[a-z]-[a-z0-9]*' harness.log >>all-secrets.txt 2>/dev/null || true
  sort -u -o all-secrets.txt all-secrets.txt
  sed -i '/^$/d' all-secrets.txt # an empty pattern would match everything
  # Patterns from a file (-f): a secret never becomes an argument itself.
  find "$HOME" -type f | sed "s|^$HOME/||" | sort >home-files.txt
  grep -rlaF -f all-secrets.txt "$HOME" >hygiene-home.txt 2>/dev/null || true
  grep -laF -f all-secrets.txt ./*.log >hygiene-logs.txt 2>/dev/null || true
  grep -caF -f all-secrets.txt ps-samples.txt >hygiene-ps.txt 2>/dev/null || true
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

mkdir -p build/keyring-test
node_modules/.bin/esbuild tests/plasma/widget/sim-runner.mjs --bundle --platform=node --format=esm \
  --log-level=warning --outfile=build/keyring-test/sim-runner.mjs
node build/keyring-test/sim-runner.mjs examples/scenario-basic.json "$out" >"$out/sim.out" 2>"$out/sim.err" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/sim.json" ] && break; sleep 0.1; done
[ -s "$out/sim.json" ] || {
  echo "not ok - the simulator did not start"
  cat "$out/sim.err" >&2
  exit 1
}
port=$(node -e 'console.log(new URL(JSON.parse(require("fs").readFileSync(process.argv[1])).url).port)' "$out/sim.json")
token_id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).token.id)' examples/scenario-basic.json)
# The secret goes from file to file; it is never an argument.
node -e 'const fs = require("fs"); const s = JSON.parse(fs.readFileSync(process.argv[1])).token.secret;
  const id = process.argv[2], key = id + "@127.0.0.1:" + process.argv[3];
  fs.writeFileSync(process.argv[4] + "/secret.txt", s + "\n");
  fs.writeFileSync(process.argv[4] + "/seed-new.json", JSON.stringify({ wallets: { kdewallet: { "ProxMon Plasma Widget": { [key]: s } } } }));
  fs.writeFileSync(process.argv[4] + "/seed-legacy.json", JSON.stringify({ wallets: { kdewallet: { ProxMon: { ["apiTokenSecret:" + key]: s } } } }));' \
  examples/scenario-basic.json "$token_id" "$port" "$out"

bash scripts/package.sh --stage "$out/live-pkg" --test-default proxmoxHost=127.0.0.1 --test-default "proxmoxPort=$port" \
  --test-default "apiTokenId=$token_id" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true \
  --test-expand >/dev/null
bash scripts/package.sh --stage "$out/harness-pkg" >/dev/null
cp tests/plasma/keyring/harness-main.qml "$out/harness-pkg/contents/ui/main.qml"
# Plasma 6.0/6.1 have no org.kde.plasma.workspace.dbus: a file importing a
# module that is not there fails to load just the same.
sed 's/^import org.kde.plasma.workspace.dbus as DBus$/import org.kde.plasma.workspace.dbusmissing as DBus/' \
  contents/ui/KeyringDBus.qml >"$out/harness-pkg/contents/ui/KeyringBroken.qml"

run_rc=0
bash "$root_sh" run -- bash scripts/plasma-host/session.sh bash tests/plasma/test-keyring.sh --in-session || run_rc=$?

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
js() { node -e "$1" "${@:2}"; }
key="$token_id@127.0.0.1:$port"

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
for run in new-key migrate disabled denied harness; do
  check "$run: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
done
check "new-key: the secret came from the wallet through the shim (live data: 3 nodes)" grep -q 'proxmon: snapshot: 3 nodes, 8 guests' "$out/new-key.log"
check "new-key: the widget opened the wallet and read the new key" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const open = calls.find((c) => c.member === "open");
  const read = calls.find((c) => c.member === "readPassword" && c.folder === "ProxMon Plasma Widget" && c.key === process.argv[2] && c.found);
  process.exit(open && open.appid === "ProxMon" && open.result > 0 && read ? 0 : 1);' "$out/calls-new.jsonl" "$key"
check "migrate: the legacy entry is used (live data: 3 nodes)" grep -q 'proxmon: snapshot: 3 nodes, 8 guests' "$out/migrate.log"
check "migrate: the wallet now holds the secret under the new key too" js '
  const fs = require("fs");
  const w = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).wallets.kdewallet;
  const s = fs.readFileSync(process.argv[3], "utf8").trim();
  const now = (w["ProxMon Plasma Widget"] || {})[process.argv[2]];
  const old = (w.ProxMon || {})["apiTokenSecret:" + process.argv[2]];
  process.exit(now === s && old === s ? 0 : 1);' "$out/wallet-migrate.json" "$key" "$out/secret.txt"
check "migrate: logged once as a move from the earlier edition" test "$(grep -c 'moving the token secret from the earlier edition' "$out/migrate.log")" -eq 1
check "disabled: \"Missing token secret\" with the disabled message" grep -q 'proxmon: token secret missing: keyring disabled: KDE Wallet is disabled' "$out/disabled.log"
check "disabled: no request reached the simulator's data (no snapshot)" test "$(grep -c 'proxmon: snapshot:' "$out/disabled.log")" -eq 0
check "denied: \"Missing token secret\" with the denied message" grep -q 'proxmon: token secret missing: keyring denied: Access to KDE Wallet was denied' "$out/denied.log"
check "harness: write through Keyring.qml succeeded" grep -q 'harness: write-a ok' "$out/harness.log"
check "harness: read back the same secret" grep -q 'harness: read-a same' "$out/harness.log"
# shellcheck disable=SC2016 # JavaScript, not shell
check "harness: the stand-in's store has it under the new key (lowercased host)" js '
  const fs = require("fs");
  const crypto = require("crypto");
  const w = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).wallets.kdewallet["ProxMon Plasma Widget"] || {};
  const md5 = (fs.readFileSync(process.argv[2], "utf8").match(/harness: write-a md5 ([0-9a-f]+)/) || [])[1];
  const v = w["harness@pve!a@harness.example:8006"];
  process.exit(v && crypto.createHash("md5").update(v).digest("hex") === md5 ? 0 : 1);' "$out/wallet-harness.json" "$out/harness.log"
check "harness: remove deletes the entry (read gives none)" grep -q 'harness: read-b-after-remove null' "$out/harness.log"
check "harness: without the D-Bus module (Plasma 6.0/6.1) → \"unsupported\"" grep -q 'harness: broken-read unsupported' "$out/harness.log"
check "harness: … and the message says it needs Plasma 6.2" grep -q 'harness: broken-message .*needs Plasma 6.2' "$out/harness.log"
check "dialog: the page found no entry at first" grep -q 'harness: dialog-initial absent' "$out/harness.log"
check "dialog: saveConfig() stored the secret, emptied the field, bumped secretRevision" grep -q 'harness: dialog-after-save stored field-empty true revision+1' "$out/harness.log"
check "dialog: the stand-in got writePassword for the dialog's account" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  process.exit(calls.some((c) => c.member === "writePassword" && c.key === "dialog@pve!proxmon@dialog.example:8006" && c.result === 0) ? 0 : 1);' "$out/calls-harness.jsonl"
check "dialog: Forget empties the field and offers to delete the entry" grep -q 'harness: dialog-forget field-empty true offer-delete true' "$out/harness.log"
check "dialog: deleting removes the entry and bumps secretRevision again" grep -q 'harness: dialog-after-delete absent revision+2' "$out/harness.log"
check "hygiene: the test HOME was searched ($(wc -l <"$out/home-files.txt" 2>/dev/null || echo 0) files, plasmoidviewer's config among them)" grep -q 'plasmoidviewer' "$out/home-files.txt"
check "hygiene: no file in the test HOME (configs, caches, logs) holds a secret" test ! -s "$out/hygiene-home.txt"
check "hygiene: no viewer log holds a secret" test ! -s "$out/hygiene-logs.txt"
check "hygiene: no command line seen during the runs holds a secret" test "$(cat "$out/hygiene-ps.txt" 2>/dev/null || echo x)" = 0
check "hygiene: command lines were sampled" test "$(grep -c plasmoidviewer "$out/ps-samples.txt" 2>/dev/null || echo 0)" -gt 0

mkdir -p screenshots
cp "$out/disabled-window.png" screenshots/missing-secret.png 2>/dev/null || true

if [ "$failed" -ne 0 ]; then
  echo "--- $NAME: $failed check(s) failed; files in $out" >&2
  for f in "$out"/wallet-*.err "$out"/*.errors; do [ -s "$f" ] && { echo "--- $f" >&2; head -n 20 "$f" >&2; }; done
  grep -h 'harness: \|proxmon: ' "$out"/harness.log 2>/dev/null | head -n 40 >&2 || true
  exit 1
fi
# The secrets themselves are not left lying around.
rm -f "$out/all-secrets.txt"
echo "--- $NAME: files in $out"
