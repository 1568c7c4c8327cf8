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
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  log=$dir/live.log

  trust_sim_ca
  install_widget_icon

  start_ps_sampler
  start_recorder
  python3 /proxmon/tests/plasma/keyring/kwallet-standin.py --store wallet.json --seed seed.json --ready wallet.ready 2>wallet.err &
  wallet=$!
  wait_until 50 test -f wallet.ready || true

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
    n=$(log_count 'proxmon: notify \[')
    wait_log 'proxmon: notify \[' $((REFRESH + 5)) $((n + 1)) || echo "stop-not-seen" >>script.log
    # One more refresh: a late second notification would show up here.
    sleep $((REFRESH + 2))
    echo "after-stop $(notifies)" >>script.log
    simcmd offline '{"cmd":"action","action":{"action":"node-offline","node":"pve3"}}' >action-offline.json
    n=$(log_count 'proxmon: notify \[')
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
    echo "done" >>script.log
  ) &
  scripter=$!
  run_applet live -a "$dir/live-pkg" -s 600x120 -c org.kde.panel -f horizontal -l topedge \
    -t 150 -d 1 -W "$dir/script.log=^done"
  stop_pid "$scripter" "$recorder_pid" "$wallet" "$sampler_pid"

  scan_for_secrets secret.txt ./*.log notifications.jsonl
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
start_simulator examples/scenario-basic.json "$out"
write_wallet_seed "$out/seed.json" "ProxMon Plasma Widget" "$token_id@127.0.0.1:$port"

stage_package live "${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true \
  --test-expand

run_in_session
stop_host_process

# ---------------------------------------------------------------- the checks
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

diagnose() {
  show_ends tail 20 script.log recorder.err wallet.err live.errors
  grep -h 'proxmon: notify\|proxmon: token\|proxmon: refresh' "$out/live.log" 2>/dev/null | head -n 20 >&2 || true
}
finish diagnose
