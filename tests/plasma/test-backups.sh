#!/usr/bin/env bash
# Backups and cluster health in the widget (issue 13), in a real Plasma 6.3
# (Debian 13 root, see tests/plasma/README.md), in three runs of
# plasmoidviewer:
#   backups-rows     the demo cluster, a node expanded: backup-age chips on
#                    the guest rows (screenshots/backups-rows.png)
#   backups-section  the demo cluster, nodes collapsed: "Recent problems",
#                    the Backups section with its groups, the HA badge in the
#                    header (screenshots/backups-section.png)
#   live             the widget against the simulator on the host's
#                    127.0.0.1 (examples/scenario-backups.json, guest 102
#                    snoozed in the settings): the first full backup read,
#                    then ordinary refreshes cost no backup request; two
#                    vzdump runs fail (guests 100 and 102, each under a
#                    backup lock the widget sees go away) → exactly one
#                    Notify on the session bus, about 100, none about 102
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=backups
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  log=$dir/live.log

  trust_sim_ca
  install_widget_icon
  start_recorder

  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge)

  # 1. The demo cluster: badges on the rows of pve1, then the section.
  run_applet backups-rows -a "$dir/rows-pkg" "${popup[@]}" -t 40 -d 5 -w 'proxmon: refresh ok'
  crop_window backups-rows 445x620
  run_applet backups-section -a "$dir/section-pkg" "${popup[@]}" -t 40 -d 5 -w 'proxmon: refresh ok'
  crop_window backups-section 445x620

  # 2. Live: a failed vzdump of 100 and of the snoozed 102.
  health() { grep -c '"member": "Notify"' notifications.jsonl 2>/dev/null || true; }
  (
    set +e
    : >script.log
    wait_log 'proxmon: backups: full read' 60 || echo "no-first-read" >>script.log
    simcmd reset '{"cmd":"reset-stats"}' >/dev/null
    # Three ordinary refreshes: only /cluster/resources.
    n=$(log_count 'proxmon: snapshot: ')
    wait_log 'proxmon: snapshot: ' $((REFRESH * 4 + 5)) $((n + 3))
    simcmd stats '{"cmd":"stats"}' >stats.json
    echo "baseline $(health)" >>script.log
    # Simulated second 28: both guests are locked for their backup …
    simcmd lock '{"cmd":"advance","seconds":28}' >advance-lock.json
    n=$(log_count 'proxmon: snapshot: ')
    wait_log 'proxmon: snapshot: ' $((REFRESH * 3 + 5)) $((n + 2))
    # … second 48: both runs failed and the locks are gone. The widget reads
    # again 15 s after it saw a lock go away.
    simcmd done '{"cmd":"advance","seconds":20}' >advance-done.json
    wait_log 'proxmon: backups: full read' 60 2 || echo "no-read-after-backup" >>script.log
    wait_log 'proxmon: notify \[health' 10 || echo "no-health-notify" >>script.log
    # Two more refreshes: a late second notification would show up here.
    n=$(log_count 'proxmon: snapshot: ')
    wait_log 'proxmon: snapshot: ' $((REFRESH * 3 + 5)) $((n + 2))
    echo "after-failure $(health)" >>script.log
    echo "done" >>script.log
  ) &
  scripter=$!
  run_applet live -a "$dir/live-pkg" "${popup[@]}" -t 200 -d 1 -W "$dir/script.log=^done"
  stop_pid "$scripter" "$recorder_pid"
  for f in backups-rows backups-section; do count_colors "$f-window.png" "$f.colors"; done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
mkdir -p "build/$NAME-test"
# The backups scenario with a quiet timeline but for two backup runs at
# simulated second 30 (the test moves simulated time itself).
node -e '
  const fs = require("fs");
  const s = JSON.parse(fs.readFileSync("examples/scenario-backups.json", "utf8"));
  s.timeline = [
    { at: 25, action: "lock", vmid: 100, lock: "backup", duration: 15 },
    { at: 25, action: "lock", vmid: 102, lock: "backup", duration: 15 },
  ];
  s.backups.runs.push(
    { node: "pve1", vmids: [100], at: 30, seconds: 5, storage: "nas", failures: { "100": "no space left on device" } },
    { node: "pve2", vmids: [102], at: 30, seconds: 5, storage: "nas", failures: { "102": "no space left on device" } },
  );
  fs.writeFileSync(process.argv[1], JSON.stringify(s, null, 1));' "build/$NAME-test/scenario.json"
start_simulator "build/$NAME-test/scenario.json" "$out"

stage_package rows --test-default demoMode=true --test-default expandedNodes=node/pve1 --test-expand
stage_package section --test-default demoMode=true --test-expand
stage_package live "${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" \
  --test-default developerMode=true --test-default "snoozes=guest:102=until:4102444800" \
  --test-expand --test-secret-file "$out/secret.txt"

run_in_session -e "REFRESH=$REFRESH"
stop_host_process

# ---------------------------------------------------------------- the checks
marker() { sed -n "s/^$1 //p" "$out/script.log" 2>/dev/null; }
base=$(marker baseline)
after=$(marker after-failure)

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
for run in backups-rows backups-section live; do
  check "$run: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
  check "$run: no error lines naming the package" test ! -s "$out/$run.errors"
done
check "live: the first full backup read came with the first snapshots" grep -q 'proxmon: backups: full read' "$out/live.log"
# shellcheck disable=SC2016 # JavaScript, not shell
check "live: ordinary refreshes after it cost no backup request (only /cluster/resources)" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  // The graphs history reads (…/rrddata, popup open) are not backup requests.
  const paths = Object.keys(s.byPath).filter((p) => p.indexOf("/rrddata") < 0);
  const ok = paths.length === 1 && /cluster\/resources/.test(paths[0]) && s.byPath[paths[0]].count >= 3;
  if (!ok) console.error(JSON.stringify(s));
  process.exit(ok ? 0 : 1);' "$out/stats.json"
check "live: the baseline (failures PVE already listed) sends no notification" test "${base:-x}" = 0
check "live: a read follows the end of the backup (lock gone), well before 10 minutes" \
  test "$(grep -c 'proxmon: backups: full read' "$out/live.log")" -ge 2
check "failed vzdump: exactly one Notify on the session bus" test "$((${after:-0} - ${base:-0}))" -eq 1
# shellcheck disable=SC2016 # JavaScript, not shell
check "failed vzdump: it names guest 100 and its exit status, high urgency; nothing about the snoozed 102" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((c) => c.member === "Notify");
  const ok = calls.length === 1 && /task failed/.test(calls[0].args.summary) && /guest 100/.test(calls[0].args.body)
    && !/102/.test(calls[0].args.summary + " " + calls[0].args.body) && calls[0].args.hints.urgency === 2;
  if (!ok) console.error(JSON.stringify(calls, null, 1));
  process.exit(ok ? 0 : 1);' "$out/notifications.jsonl"
# shellcheck disable=SC2016 # JavaScript, not shell
check "snoozed guest: no notification at all mentions 102" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((c) => c.member === "Notify");
  process.exit(calls.every((c) => !/\b102\b/.test(c.args.summary + " " + c.args.body)) ? 0 : 1);' "$out/notifications.jsonl"
for shot in backups-rows backups-section; do
  check "screenshot $shot: written and not blank" colors_over "$out/$shot.colors" 20
done

mkdir -p screenshots
cp "$out/backups-rows-window.png" screenshots/backups-rows.png 2>/dev/null || true
cp "$out/backups-section-window.png" screenshots/backups-section.png 2>/dev/null || true

diagnose() {
  show_ends tail 20 script.log recorder.err sim.err
  show_ends head 20 "$out"/*.errors
  grep -h 'proxmon: notify\|proxmon: backups\|proxmon: refresh' "$out/live.log" 2>/dev/null | head -n 30 >&2 || true
}
finish diagnose
