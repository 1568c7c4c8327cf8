#!/usr/bin/env bash
# Desktop notifications from the live widget, in a real Plasma 6.3 (Debian 13
# root, see tests/plasma/README.md). The recorder (lib/notify-recorder.py)
# owns org.freedesktop.Notifications on the session bus; the token secret
# comes from the KWallet stand-in (keyring/kwallet-standin.py), as it would
# from KDE Wallet. The simulator on the host's 127.0.0.1 is flipped from the
# side through its command files:
#   baseline      the first snapshots → no Notify at all
#   guest stop    VM 105 stopped → exactly one Notify, normal urgency
#   node offline  pve3 offline → exactly one Notify, urgency byte 2 (high)
#   test button   a click on the developer-mode "Send test notification"
#                 (notify/click.py, XTest) → exactly one Notify
# Every Notify carries the widget's icon and the "Open web UI" action, and
# neither the token ID nor the secret is in its summary, body or hints.
# Afterwards: no secret in the test HOME or in the command lines sampled.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=notifications
REFRESH=5

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  dir=/out/$NAME
  lib=/proxmon/tests/plasma/lib
  cd "$dir"
  log=$dir/live.log

  cp ca.pem /usr/local/share/ca-certificates/proxmon-sim.crt
  update-ca-certificates >update-ca.txt 2>&1 || true
  mkdir -p "$HOME/.local/share/icons/hicolor/scalable/apps"
  cp /proxmon/icons/proxmon.svg "$HOME/.local/share/icons/hicolor/scalable/apps/"

  (while :; do ps -eo args >>ps-samples.txt 2>/dev/null; sleep 1; done) &
  sampler=$!
  python3 "$lib/notify-recorder.py" --out notifications.jsonl --ready recorder.ready 2>recorder.err &
  recorder=$!
  python3 /proxmon/tests/plasma/keyring/kwallet-standin.py --store wallet.json --seed seed.json --ready wallet.ready 2>wallet.err &
  wallet=$!
  for _ in $(seq 50); do [ -f recorder.ready ] && [ -f wallet.ready ] && break; sleep 0.1; done

  simcmd() { # simcmd NAME JSON → prints the answer
    printf '%s' "$2" >"cmd/$1.tmp" && mv "cmd/$1.tmp" "cmd/$1.json"
    for _ in $(seq 100); do [ -f "cmd/$1.out" ] && break; sleep 0.1; done
    cat "cmd/$1.out" 2>/dev/null || echo '{"error":"no answer"}'
  }
  count() { grep -Ec -- "$1" "$log" 2>/dev/null || true; }
  wait_log() { # wait_log REGEX SECONDS [MIN_COUNT]
    local want=${3:-1}
    for _ in $(seq $(($2 * 10))); do
      [ "$(count "$1")" -ge "$want" ] && return 0
      sleep 0.1
    done
    return 1
  }
  notifies() { grep -c '"member": "Notify"' notifications.jsonl 2>/dev/null || true; }
  (
    set +e
    : >script.log
    wait_log 'proxmon: snapshot: ' 60 || echo "no-first-snapshot" >>script.log
    # Two more refreshes of an unchanged cluster: still nothing to say.
    wait_log 'proxmon: snapshot: ' $((REFRESH * 3)) 3
    sleep 1
    echo "baseline $(notifies)" >>script.log
    simcmd stop '{"cmd":"action","action":{"action":"stop","vmid":105}}' >action-stop.json
    n=$(count 'proxmon: notify \[')
    wait_log 'proxmon: notify \[' $((REFRESH + 5)) $((n + 1)) || echo "stop-not-seen" >>script.log
    # One more refresh: a late second notification would show up here.
    sleep $((REFRESH + 2))
    echo "after-stop $(notifies)" >>script.log
    simcmd offline '{"cmd":"action","action":{"action":"node-offline","node":"pve3"}}' >action-offline.json
    n=$(count 'proxmon: notify \[')
    wait_log 'proxmon: notify \[' $((REFRESH + 5)) $((n + 1)) || echo "offline-not-seen" >>script.log
    sleep $((REFRESH + 2))
    echo "after-offline $(notifies)" >>script.log
    # The developer-mode "Send test notification" button, top right of the
    # popup that --test-expand opened at the screen's top left.
    import -window root before-click.png 2>/dev/null
    python3 /proxmon/tests/plasma/notify/click.py 356 56 2>click.err
    for _ in $(seq 50); do [ "$(notifies)" -gt "$(sed -n 's/^after-offline //p' script.log)" ] && break; sleep 0.1; done
    sleep 1
    echo "after-click $(notifies)" >>script.log
    echo done >>script.log
  ) &
  scripter=$!
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/live-pkg" -o "$dir" -n live -s 600x120 -c org.kde.panel -f horizontal -l topedge \
    -t 150 -d 1 -W "$dir/script.log=^done" || rc=$?
  echo "$rc" >live.rc
  kill "$scripter" 2>/dev/null || true
  wait "$scripter" 2>/dev/null || true
  for p in "$recorder" "$wallet"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true

  # Patterns from a file (-f): the secret never becomes an argument.
  find "$HOME" -type f | sed "s|^$HOME/||" | sort >home-files.txt
  grep -rlaF -f secret.txt "$HOME" >hygiene-home.txt 2>/dev/null || true
  grep -laF -f secret.txt ./*.log notifications.jsonl >hygiene-logs.txt 2>/dev/null || true
  grep -caF -f secret.txt ps-samples.txt >hygiene-ps.txt 2>/dev/null || true
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

mkdir -p build/notifications-test
node_modules/.bin/esbuild tests/plasma/widget/sim-runner.mjs --bundle --platform=node --format=esm \
  --log-level=warning --outfile=build/notifications-test/sim-runner.mjs
node build/notifications-test/sim-runner.mjs examples/scenario-basic.json "$out" >"$out/sim.out" 2>"$out/sim.err" &
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
node -e 'const fs = require("fs"); const s = JSON.parse(fs.readFileSync(process.argv[1])).token.secret;
  const key = process.argv[2] + "@127.0.0.1:" + process.argv[3];
  fs.writeFileSync(process.argv[4] + "/secret.txt", s + "\n");
  fs.writeFileSync(process.argv[4] + "/seed.json", JSON.stringify({ wallets: { kdewallet: { "ProxMon Plasma Widget": { [key]: s } } } }));' \
  examples/scenario-basic.json "$token_id" "$port" "$out"

bash scripts/package.sh --stage "$out/live-pkg" --test-default proxmoxHost=127.0.0.1 --test-default "proxmoxPort=$port" \
  --test-default "apiTokenId=$token_id" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true \
  --test-expand >/dev/null

run_rc=0
bash "$root_sh" run -- bash scripts/plasma-host/session.sh bash tests/plasma/test-notifications.sh --in-session || run_rc=$?

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
marker() { sed -n "s/^$1 //p" "$out/script.log" 2>/dev/null; }
notify_check() { # notify_check FROM TO JS-CONDITION-ON-LIST
  node -e '
    const fs = require("fs");
    const [file, from, to, cond] = process.argv.slice(1);
    const all = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((c) => c.member === "Notify");
    const list = all.slice(Number(from), Number(to));
    const ok = new Function("list", "return " + cond)(list);
    if (!ok) console.error(JSON.stringify(list, null, 1));
    process.exit(ok ? 0 : 1);' "$out/notifications.jsonl" "$1" "$2" "$3"
}
base=$(marker baseline)
stop=$(marker after-stop)
off=$(marker after-offline)
click=$(marker after-click)

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "live: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/live.rc" 0
check "live: the secret came from the wallet stand-in (live data)" grep -q 'proxmon: snapshot: 3 nodes' "$out/live.log"
check "baseline: the first snapshots send no notification" test "${base:-x}" = 0
check "guest stop: exactly one Notify" test "$((${stop:-0} - ${base:-0}))" -eq 1
check "guest stop: it names the guest, normal urgency (hint 1)" notify_check "${base:-0}" "${stop:-0}" \
  'list.length === 1 && /grafana/.test(list[0].args.summary + " " + list[0].args.body) && list[0].args.hints.urgency === 1'
check "node offline: exactly one Notify" test "$((${off:-0} - ${stop:-0}))" -eq 1
check "node offline: it names pve3, high urgency (hint urgency byte 2)" notify_check "${stop:-0}" "${off:-0}" \
  'list.length === 1 && /pve3/.test(list[0].args.summary + " " + list[0].args.body) && list[0].args.hints.urgency === 2'
check "test button (developer mode): exactly one Notify, the test message" notify_check "${off:-0}" "${click:-0}" \
  'list.length === 1 && list[0].args.summary === "ProxMon test notification"'
check "every Notify: KNotification via plasma_workspace, the widget's icon, an \"Open web UI\" action" notify_check 0 1000 \
  'list.length > 0 && list.every((n) => n.args.hints["x-kde-appname"] === "plasma_workspace" && n.args.hints["x-kde-eventId"] === "notification"
     && n.args.app_icon === "proxmon" && n.args.actions.length === 2 && n.args.actions[1] === "Open web UI")'
check "every Notify: neither the token ID nor the secret in summary, body or hints" notify_check 0 1000 \
  "list.every((n) => { const t = JSON.stringify([n.args.summary, n.args.body, n.args.hints, n.args.actions]);
     return t.indexOf($(node -e 'console.log(JSON.stringify(process.argv[1]))' "$token_id")) < 0 && t.indexOf(require('fs').readFileSync('$out/secret.txt', 'utf8').trim()) < 0; })"
check "hygiene: the test HOME was searched ($(wc -l <"$out/home-files.txt" 2>/dev/null || echo 0) files)" test -s "$out/home-files.txt"
check "hygiene: no file in the test HOME (configs, caches, logs) holds the secret" test ! -s "$out/hygiene-home.txt"
check "hygiene: neither the viewer log nor the recorded notifications hold the secret" test ! -s "$out/hygiene-logs.txt"
check "hygiene: no command line seen during the run holds the secret" test "$(cat "$out/hygiene-ps.txt" 2>/dev/null || echo x)" = 0

if [ "$failed" -ne 0 ]; then
  echo "--- $NAME: $failed check(s) failed; files in $out" >&2
  for f in script.log recorder.err wallet.err live.errors; do
    [ -s "$out/$f" ] && { echo "--- $f" >&2; tail -n 20 "$out/$f" >&2; }
  done
  grep -h 'proxmon: notify\|proxmon: token\|proxmon: refresh' "$out/live.log" 2>/dev/null | head -n 20 >&2 || true
  exit 1
fi
echo "--- $NAME: files in $out"
