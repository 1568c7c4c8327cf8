#!/usr/bin/env bash
# Power actions in a real Plasma 6.3 (Debian 13 root, see
# tests/plasma/README.md), against the simulator on the host's 127.0.0.1
# (its clock running, so tasks end; tests/plasma/actions/scenario-actions.json:
# the token holds VM.PowerMgmt on /vms/105 only). Three parts:
#   components  tests/plasma/actions/tst_guest_actions.qml in qmltestrunner on
#               the demo cluster: off → no button or menu; the menu by
#               right-click and the Menu key, stop/reset in the negative
#               colour, the inline confirmation (Cancel, Escape, focus on
#               Cancel for stop), Confirm → spinner → new state; screenshots
#   on          plasmoidviewer, actionsMode=monitoring: a right-click on VM
#               100's row shows its actions disabled with "VM.PowerMgmt on
#               /vms/100"; a right-click on CT 105 → Shut down → Confirm (XTest
#               clicks at the places the staged TestHooks.qml logs) → the
#               simulator saw exactly one POST, the row showed the task, then
#               "stopped", and exactly one notification arrived
#   off         plasmoidviewer, actionsMode=off: a right-click opens no menu
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=actions
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  log=$dir/on.log
  src=/proxmon/tests/plasma/actions
  click() { python3 "$src/click.py" "$@" 2>>click.err; }
  # where NAME: the last "at NAME X Y" the hooks logged, as "X Y".
  where() { grep -a "proxmon-test: at $1 " "$log" | tail -n 1 | sed 's/.* at [^ ]* //'; }
  entry_at() { grep -a "proxmon-test: entry $1 " "$log" | tail -n 1 | awk '{print $6, $7}'; }
  notifies() { grep -c '"member": "Notify"' notifications.jsonl 2>/dev/null || true; }

  trust_sim_ca
  install_widget_icon
  export QT_QUICK_CONTROLS_STYLE=org.kde.desktop
  record_rc components qmltest -import /proxmon/tests/plasma/components/imports \
    -input "$src/tst_guest_actions.qml" -o "$dir/components.txt,txt" >"$dir/components.out" 2>&1
  unset QT_QUICK_CONTROLS_STYLE

  start_recorder
  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge)
  (
    set +e
    : >script.log
    wait_log 'proxmon: snapshot: ' 60 || echo "no-first-snapshot" >>script.log
    wait_log 'proxmon-test: at guestRow:lxc/105 ' 20 || echo "no-row-105" >>script.log
    wait_log 'proxmon: actions: permissions read' 20 || echo "no-permissions" >>script.log
    sleep 1
    simcmd reset '{"cmd":"reset-stats"}' >/dev/null
    echo "before $(notifies)" >>script.log
    # CT 105: menu, Shut down, Confirm.
    read -r x y <<<"$(where guestRow:lxc/105)"
    click "$x" "$y" 3
    wait_log 'proxmon-test: entry power:shutdown enabled' 10 || echo "no-menu-105" >>script.log
    # The hooks log every half second: the second line has the laid-out place.
    sleep 1.5
    import -window root menu.png 2>/dev/null
    # The menu by keyboard, as a user without a mouse: Down to "Shut down",
    # Return. (In this X session without a window manager, XTest clicks
    # reach the rows and the confirmation but not the open menu's items;
    # the component test clicks those.)
    # The menu opens at the pointer, which may already highlight an entry
    # below "Shut down" (hover): then Up, else Down.
    for _ in 1 2 3 4 5 6; do
      last=$(grep -a 'proxmon-test: highlight .* true' "$log" | tail -n 1)
      case "$last" in
        *'highlight power:shutdown true'*) break ;;
        *'highlight power:reboot true'* | *'highlight power:stop true'* | *'highlight web true'* | *'highlight console true'*) click key Up ;;
        *) click key Down ;;
      esac
      sleep 0.7
    done
    click key Return
    wait_log 'proxmon-test: at guestConfirm ' 10 || echo "no-confirm" >>script.log
    sleep 1.5
    import -window root confirm.png 2>/dev/null
    read -r x y <<<"$(where guestConfirm)"
    click "$x" "$y"
    wait_log 'proxmon-test: state lxc/105 pending' 10 && echo "pending-seen" >>script.log
    sleep 0.5
    import -window root running.png 2>/dev/null
    wait_log 'proxmon: actions: shutdown of 105 ended' 60 || echo "no-end" >>script.log
    wait_log 'proxmon-test: status lxc/105 stopped idle' 30 && echo "stopped-seen" >>script.log
    # A guest the token may not power: its entries disabled, with the reason.
    # CT 105 stopped, so the status sort moves VM 100 above it; the hooks log
    # the new places a tick after the new status: click only once they have.
    for _ in $(seq 100); do
      read -r _ y100 <<<"$(where guestRow:qemu/100)"
      read -r _ y105 <<<"$(where guestRow:lxc/105)"
      [ "${y100:-0}" -lt "${y105:-0}" ] && break
      sleep 0.1
    done
    read -r x y <<<"$(where guestRow:qemu/100)"
    n=$(log_count 'proxmon-test: menu open')
    click "$x" "$y" 3
    wait_log 'proxmon-test: menu open' 10 $((n + 1)) || echo "no-menu-100" >>script.log
    sleep 1
    grep -a 'proxmon-test: entry power:' "$log" >entries-100.txt
    click key Escape
    # One more refresh: a late second notification would show up here.
    m=$(log_count 'proxmon: snapshot: ')
    wait_log 'proxmon: snapshot: ' $((REFRESH * 3)) $((m + 1))
    sleep 1
    echo "after $(notifies)" >>script.log
    simcmd stats '{"cmd":"stats"}' >stats.json
    import -window root done.png 2>/dev/null
    echo "done" >>script.log
  ) &
  scripter=$!
  run_applet on -a "$dir/on-pkg" "${popup[@]}" -t 150 -d 1 -W "$dir/script.log=^done"
  stop_pid "$scripter"

  # Actions off: a right-click on the row opens nothing.
  log=$dir/off.log
  (
    set +e
    wait_log 'proxmon-test: at guestRow:lxc/105 ' 40 || echo "no-row" >>off-script.log
    sleep 1
    read -r x y <<<"$(where guestRow:lxc/105)"
    click "$x" "$y" 3
    sleep 2
    echo "done" >>off-script.log
  ) &
  scripter=$!
  run_applet off -a "$dir/off-pkg" "${popup[@]}" -t 60 -d 1 -W "$dir/off-script.log=^done"
  stop_pid "$scripter" "$recorder_pid"
  for f in menu confirm running; do crop_window "$f" 445x620; done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
# The simulator's clock runs (tasks end by themselves); the scenario has no timeline.
PROXMON_SIM_TIMESCALE=1 start_simulator tests/plasma/actions/scenario-actions.json "$out"
common=("${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" --test-default developerMode=true
  --test-default expandedNodes=node/pve3 --test-default notifyRateLimitEnabled=false
  --test-hooks tests/plasma/actions/TestHooks.qml --test-secret-file "$out/secret.txt")
stage_package on "${common[@]}" --test-default actionsMode=monitoring
stage_package off "${common[@]}" --test-default actionsMode=off

run_in_session -e "REFRESH=$REFRESH"
stop_host_process

# ---------------------------------------------------------------- the checks
marker() { sed -n "s/^$1 //p" "$out/script.log" 2>/dev/null; }
passed() { grep -Eq "^PASS +: .*::$2\(\)" "$1" && ! grep -Eq "^FAIL! +: .*::$2\(\)" "$1"; }
c=$out/components.txt
before=$(marker before)
after=$(marker after)

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "components: actions off → no button, a right-click opens no menu" passed "$c" test_1_off_means_no_action_ui
check "components: menu by right-click and Menu key, stop/reset negative, confirm/cancel/Escape, Confirm → spinner → stopped" \
  passed "$c" test_2_menu_confirm_and_run
check "components: Settings → Actions loads: mode box, token ID only for a separate token" passed "$c" test_3_settings_page
check "components: no warnings from the widget's QML" bash -c "! grep -E 'file:///proxmon/contents/' '$c'"
for run in on off; do
  check "$run: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
done
check "on: the permissions were read once (not per refresh)" test "$(grep -c 'proxmon: actions: permissions read' "$out/on.log")" -eq 1
check "on: VM 100 (no VM.PowerMgmt): Shut down disabled, naming VM.PowerMgmt on /vms/100" \
  grep -q 'entry power:shutdown disabled .*(needs VM.PowerMgmt on /vms/100)' "$out/entries-100.txt"
check "on: CT 105: the menu offered Shut down, the row asked, then showed the running task" grep -q '^pending-seen' "$out/script.log"
# shellcheck disable=SC2016 # JavaScript, not shell
check "on: the simulator saw exactly one POST, the shutdown of CT 105" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const posts = Object.keys(s.byRequest).filter((k) => k.indexOf("POST ") === 0);
  const ok = posts.length === 1 && posts[0] === "POST /nodes/pve3/lxc/105/status/shutdown" && s.byRequest[posts[0]] === 1;
  if (!ok) console.error(JSON.stringify(s.byRequest));
  process.exit(ok ? 0 : 1);' "$out/stats.json"
check "on: the task ended OK" grep -q 'proxmon: actions: shutdown of 105 ended ok' "$out/on.log"
check "on: then the row showed the new state (stopped, no task)" grep -q '^stopped-seen' "$out/script.log"
check "on: exactly one notification for the action (the result, not also the plain \"stopped\")" \
  test "$((${after:-0} - ${before:-0}))" -eq 1
check "on: the monitor's own state-change notification was replaced" grep -q "replaced by the action's result" "$out/on.log"
check "on: the secret never appears in the log" test "$(grep -cF "$(cat "$out/secret.txt")" "$out/on.log")" -eq 0
check "off: no action UI" grep -q 'proxmon-test: actions-ui false' "$out/off.log"
check "off: a right-click on a row opened no menu" bash -c "! grep -q 'proxmon-test: entry ' '$out/off.log'"

# The README's screenshots (new files only).
mkdir -p screenshots
cp "$out/actions-menu.png" screenshots/actions-menu.png 2>/dev/null || true
cp "$out/actions-confirm.png" screenshots/actions-confirm.png 2>/dev/null || true
cp "$out/actions-running.png" screenshots/actions-running.png 2>/dev/null || true
cp "$out/settings-actions.png" screenshots/settings-actions.png 2>/dev/null || true

diagnose() {
  show_ends tail 30 script.log off-script.log click.err recorder.err sim.err components.txt
  grep -ah 'proxmon-test\|proxmon: actions' "$out/on.log" 2>/dev/null | tail -n 40 >&2 || true
  show_ends head 20 "$out"/*.errors
}
finish diagnose
