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
#   late       the wallet locked at start (open() outlives the D-Bus timeout),
#              unlocked 30 s later → the widget waits, polls isOpen, and
#              starts by itself: no request before the unlock, a refresh after
#   apply      the widget's real configuration dialog: a port set on the page,
#              the secret typed and Apply clicked through the X server
#              (keyring/xinput.py, XTEST) → the wallet holds it, the widget
#              works, the config file has the port and no secret
#   harness    keyring/harness-main.qml as the package's main.qml: write, read
#              and remove through Keyring.qml; a Keyring whose D-Bus file
#              cannot load (Plasma 6.0/6.1) → "needs Plasma 6.2"; the settings
#              page's saveConfig()/Forget against the wallet
#   real-new, real-harness   new-key and harness again, against the root's
#              real kwalletd6 (keyring/real-kwallet.py) instead of the stand-in
#   hygiene    afterwards no file in the test HOME (configs, caches, logs) and
#              no command line seen during the runs contains a secret
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=keyring
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  standin=/proxmon/tests/plasma/keyring/kwallet-standin.py

  trust_sim_ca

  # Command lines while the widget runs: the secret must not be in any.
  start_ps_sampler

  wallet_pid=""
  start_wallet() { # start_wallet NAME [stand-in options]
    local name=$1
    shift
    rm -f "wallet-$name.ready"
    python3 "$standin" --store "wallet-$name.json" --calls "calls-$name.jsonl" --ready "wallet-$name.ready" "$@" \
      2>"wallet-$name.err" &
    wallet_pid=$!
    wait_until 50 test -f "wallet-$name.ready" || true
  }
  viewer() { # viewer NAME PACKAGE run-applet-options...
    local name=$1 pkg=$2
    shift 2
    run_applet "$name" -a "$pkg" -s 600x120 -c org.kde.panel -f horizontal -l topedge -d 2 "$@"
    crop_window "$name" 445x620
  }

  start_wallet new --seed seed-new.json
  viewer new-key "$dir/live-pkg" -t 60 -w 'proxmon: snapshot: 3 nodes'
  stop_pid "$wallet_pid"

  start_wallet migrate --seed seed-legacy.json
  viewer migrate "$dir/live-pkg" -t 60 -w 'proxmon: snapshot: 3 nodes'
  stop_pid "$wallet_pid"

  start_wallet disabled --disabled
  viewer disabled "$dir/live-pkg" -t 40 -w 'proxmon: token secret missing: keyring disabled'
  stop_pid "$wallet_pid"

  start_wallet denied --deny
  viewer denied "$dir/live-pkg" -t 40 -w 'proxmon: token secret missing: keyring denied'
  stop_pid "$wallet_pid"

  # late: plasmashell at login with the wallet still locked: open() waits
  # for the password past the D-Bus timeout; the wallet is unlocked 30 s
  # after the widget asked. The widget must start by itself, no restart.
  # (The stand-in is up first: org.kde.kwalletd6 is D-Bus activatable in the
  # root, so a call before it would start the real kwalletd6.)
  simcmd late-reset '{"cmd":"reset-stats"}' >/dev/null
  start_wallet late --seed seed-new.json --locked
  echo "$wallet_pid" >late-wallet.pid
  (
    wait_until 900 grep -q '"result": "waiting"' calls-late.jsonl || true
    sleep 30 # past QtDBus's 25 s: the widget's open() has timed out by now
    import -window root late-waiting.png 2>/dev/null || true
    simcmd late-before '{"cmd":"stats"}' >stats-before-unlock.json
    kill -USR1 "$wallet_pid"
  ) &
  late_pid=$!
  viewer late "$dir/live-pkg" -t 150 -w 'proxmon: snapshot: 3 nodes'
  wait "$late_pid" || true
  simcmd late-after '{"cmd":"stats"}' >stats-after-unlock.json
  crop_window late-waiting 445x620
  stop_pid "$(cat late-wallet.pid 2>/dev/null || echo 0)"

  # apply: the real configuration dialog. The staged port is wrong and the
  # wallet empty; the dialog's page gets the right port, the secret is typed
  # through the X server and the dialog's own Apply button is clicked there.
  start_wallet apply
  python3 /proxmon/tests/plasma/keyring/xinput.py --log apply.log --secret secret.txt --out apply-input.txt \
    2>apply-input.err &
  input_pid=$!
  run_applet apply -a "$dir/apply-pkg" -s 600x400 -t 120 -w 'proxmon: snapshot: 3 nodes'
  # Kirigami's PageRow creates every page pushed by URL with a QtObject
  # parent (PageRow.qml, initPage), which warns about any applet config
  # page, ours or not; every other error line still fails the run.
  grep -v 'QML ConfigConnection: Created graphical object was not placed in the graphics scene' \
    apply.errors >apply.errors-other || true
  stop_pid "$input_pid"
  cp "$HOME/.config/plasmoidviewer-appletsrc" apply-appletsrc 2>/dev/null || true
  stop_pid "$wallet_pid"

  start_wallet harness
  viewer harness "$dir/harness-pkg" -t 60 -w 'harness: done'
  stop_pid "$wallet_pid"

  # real-*: the same reads, writes and dialog steps against the root's own
  # kwalletd6 (keyring/real-kwallet.py: a wallet made by pamOpen, no dialog).
  real=/proxmon/tests/plasma/keyring/real-kwallet.py
  python3 "$real" prepare >real-prepare.txt 2>&1 || true
  python3 "$real" seed "ProxMon Plasma Widget" "$(cat key.txt)" secret.txt >real-seed.txt 2>&1 || true
  viewer real-new "$dir/live-pkg" -t 60 -w 'proxmon: snapshot: 3 nodes'
  viewer real-harness "$dir/harness-pkg" -t 60 -w 'harness: done'
  python3 "$real" has "ProxMon Plasma Widget" "dialog@pve!proxmon@dialog.example:8006" >real-has.txt 2>&1 || true
  find "$HOME/.local/share/kwalletd" -type f >real-wallet-files.txt 2>/dev/null || true
  kill "$(cat kwalletd6.pid 2>/dev/null || echo 0)" 2>/dev/null || true

  stop_pid "$sampler_pid"

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
  scan_for_secrets all-secrets.txt ./*.log
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
start_simulator examples/scenario-basic.json "$out"
key="$token_id@127.0.0.1:$port"
echo "$key" >"$out/key.txt"
write_wallet_seed "$out/seed-new.json" "ProxMon Plasma Widget" "$key"
write_wallet_seed "$out/seed-legacy.json" ProxMon "apiTokenSecret:$key"

stage_package live "${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true \
  --test-expand
# apply: a port nothing listens on; the dialog sets the simulator's.
stage_package apply --test-default proxmoxHost=127.0.0.1 --test-default "proxmoxPort=$((port + 1))" \
  --test-default "apiTokenId=$token_id" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true
ui=$out/apply-pkg/contents/ui
mv "$ui/ConfigConnection.qml" "$ui/ConfigConnectionReal.qml"
sed "s/@PORT@/$port/" tests/plasma/keyring/ConfigConnectionHook.qml >"$ui/ConfigConnection.qml"
cp tests/plasma/keyring/TestHooksConfigure.qml "$ui/TestHooks.qml"
stage_package harness
cp tests/plasma/keyring/harness-main.qml "$out/harness-pkg/contents/ui/main.qml"
# Plasma 6.0/6.1 have no org.kde.plasma.workspace.dbus: a file importing a
# module that is not there fails to load just the same.
sed 's/^import org.kde.plasma.workspace.dbus as DBus$/import org.kde.plasma.workspace.dbusmissing as DBus/' \
  contents/ui/KeyringDBus.qml >"$out/harness-pkg/contents/ui/KeyringBroken.qml"

run_in_session
stop_host_process

# ---------------------------------------------------------------- the checks
check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
for run in new-key migrate disabled denied late harness real-new real-harness; do
  check "$run: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
done
apply_ran() { { rc_is "$out/apply.rc" 0 || rc_is "$out/apply.rc" 1; } && [ -f "$out/apply.errors-other" ] && [ ! -s "$out/apply.errors-other" ]; }
check "apply: plasmoidviewer ran, waits met, no QML/JS errors from the package (but Kirigami's page warning)" apply_ran
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
check "late: the widget said it waits for the locked wallet" grep -q 'proxmon: token secret waiting: keyring locked' "$out/late.log"
# shellcheck disable=SC2016 # JavaScript, not shell
check "late: open() was left waiting, isOpen polled (no prompt), then a fresh open() after the unlock" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const at = (pred) => calls.findIndex(pred);
  const waiting = at((c) => c.member === "open" && c.result === "waiting");
  const unlocked = at((c) => c.member === "unlocked");
  const closedPolls = calls.filter((c, k) => k > waiting && k < unlocked && c.member === "isOpen" && c.result === false).length;
  const openPoll = calls.findIndex((c, k) => k > unlocked && c.member === "isOpen" && c.result === true);
  const fresh = calls.findIndex((c, k) => k > openPoll && c.member === "open" && c.late === false && c.result > 0);
  const read = calls.findIndex((c, k) => k > fresh && c.member === "readPassword" && c.found);
  const opensBefore = calls.filter((c, k) => k < unlocked && c.member === "open").length;
  console.log({ waiting, unlocked, closedPolls, openPoll, fresh, read, opensBefore });
  process.exit(waiting >= 0 && unlocked > waiting && closedPolls >= 1 && openPoll > 0 && fresh > 0 && read > 0 && opensBefore === 1 ? 0 : 1);' "$out/calls-late.jsonl"
check "late: no request reached the simulator while the wallet was locked" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  process.exit(s.total === 0 ? 0 : 1);' "$out/stats-before-unlock.json"
check "late: the first refresh came by itself after the unlock (live data: 3 nodes)" grep -q 'proxmon: snapshot: 3 nodes, 8 guests' "$out/late.log"
check "late: … and the simulator counted its requests" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  process.exit(s.total > 0 ? 0 : 1);' "$out/stats-after-unlock.json"
check "late: the widget logged that the wallet is open now, after waiting" grep -q "proxmon: KDE Wallet is open now" "$out/late.log"
check "apply: the widget opened its real configuration dialog" grep -q 'proxmon-test: apply-hook ready' "$out/apply.log"
check "apply: the secret was typed and Apply clicked through the X server" grep -q 'clicked Apply at' "$out/apply-input.txt"
check "apply: before Apply the widget had no secret (wrong port, empty wallet)" grep -q 'proxmon: token secret missing: no keyring entry' "$out/apply.log"
check "apply: Apply stored the typed secret in the wallet under the new port" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  process.exit(calls.some((c) => c.member === "writePassword" && c.key === process.argv[2] && c.result === 0) ? 0 : 1);' "$out/calls-apply.jsonl" "$key"
check "apply: … the very secret of the simulator (the widget got live data: 3 nodes)" grep -q 'proxmon: snapshot: 3 nodes, 8 guests' "$out/apply.log"
check "apply: the new port reached the widget's configuration file, the secret did not" js '
  const fs = require("fs");
  const rc = fs.readFileSync(process.argv[1], "utf8");
  const secret = fs.readFileSync(process.argv[3], "utf8").trim();
  process.exit(rc.indexOf("proxmoxPort=" + process.argv[2]) >= 0 && rc.indexOf(secret) < 0 ? 0 : 1);' "$out/apply-appletsrc" "$port" "$out/secret.txt"
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
check "real: the root's kwalletd6 made and opened kdewallet without a dialog (pamOpen)" grep -q '^open ' "$out/real-prepare.txt"
check "real: the secret was seeded through kwalletd6" grep -q '^seeded' "$out/real-seed.txt"
check "real: the widget read it from kwalletd6 (live data: 3 nodes)" grep -q 'proxmon: snapshot: 3 nodes, 8 guests' "$out/real-new.log"
check "real: harness write/read back through kwalletd6" grep -q 'harness: read-a same' "$out/real-harness.log"
check "real: harness remove through kwalletd6" grep -q 'harness: read-b-after-remove null' "$out/real-harness.log"
check "real: the dialog page stored, then deleted, through kwalletd6" grep -q 'harness: dialog-after-delete absent revision+2' "$out/real-harness.log"
check "real: … and kwalletd6 confirms the entry is gone" file_is "$out/real-has.txt" absent
check "real: kwalletd6 keeps an encrypted wallet file in the test HOME (searched below)" grep -q 'kdewallet.kwl' "$out/real-wallet-files.txt"
check "hygiene: the test HOME was searched ($(wc -l <"$out/home-files.txt" 2>/dev/null || echo 0) files, plasmoidviewer's config among them)" grep -q 'plasmoidviewer' "$out/home-files.txt"
check "hygiene: no file in the test HOME (configs, caches, logs) holds a secret" test ! -s "$out/hygiene-home.txt"
check "hygiene: no viewer log holds a secret" test ! -s "$out/hygiene-logs.txt"
check "hygiene: no command line seen during the runs holds a secret" test "$(cat "$out/hygiene-ps.txt" 2>/dev/null || echo x)" = 0
check "hygiene: command lines were sampled" test "$(grep -c plasmoidviewer "$out/ps-samples.txt" 2>/dev/null || echo 0)" -gt 0

mkdir -p screenshots
cp "$out/disabled-window.png" screenshots/missing-secret.png 2>/dev/null || true

diagnose() {
  show_ends head 20 "$out"/wallet-*.err "$out"/*.errors "$out"/apply-input.txt "$out"/apply-input.err
  grep -h 'proxmon-test: \|proxmon: ' "$out"/apply.log "$out"/late.log 2>/dev/null | head -n 40 >&2 || true
  grep -h 'harness: \|proxmon: ' "$out"/harness.log 2>/dev/null | head -n 40 >&2 || true
}
# The secrets themselves are not left lying around, unless a failure needs them.
[ "$failed" -ne 0 ] || rm -f "$out/all-secrets.txt"
finish diagnose
