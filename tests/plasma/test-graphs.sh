#!/usr/bin/env bash
# Issue 12's widget half in a real Plasma 6.3 (Debian 13 root, see
# tests/plasma/README.md):
#   components     tests/plasma/components/tst_graphs.qml in qmltestrunner:
#                  node card sparklines (org.kde.quickcharts) with data and
#                  hover text, the guest detail opened by a click right
#                  below its row with the hour/day/week switch, the Storage
#                  section (shared once, local under its node), the panel
#                  label modes; screenshots in Breeze and Breeze Dark
#   graphs-light / graphs-dark
#                  plasmoidviewer with the demo cluster, pve1 expanded and
#                  the first running guest's detail open (tests/plasma/graphs/
#                  hooks.qml): the charts drawn by plasmashell's own stack
#   filling        the widget against the simulator, whose shared NFS storage
#                  fills up (tests/plasma/graphs/scenario-filling.json, its
#                  time 600x faster) with the warning threshold at 60 %:
#                  exactly one "filling up" Notify on the session bus
#                  (lib/notify-recorder.py), after a silent baseline
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=graphs
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  log=$dir/filling.log
  src=/proxmon/tests/plasma/components
  export QT_QUICK_CONTROLS_STYLE=org.kde.desktop

  trust_sim_ca
  install_widget_icon

  record_rc components qmltest -import "$src/imports" -input "$src/tst_graphs.qml" \
    -o "$dir/components.txt,txt" >"$dir/components.out" 2>&1

  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge)
  run_applet graphs-light -a "$dir/demo-pkg" "${popup[@]}" -t 60 -d 2 -w 'proxmon-test: graphs ready'
  crop_window graphs-light 445x700

  start_recorder
  (
    set +e
    : >script.log
    wait_log 'proxmon: snapshot: ' 60 || echo "no-first-snapshot" >>script.log
    # Two more refreshes of the baseline: nothing to say yet.
    wait_log 'proxmon: snapshot: ' $((REFRESH * 3)) 3
    n=$(grep -c '"member": "Notify"' notifications.jsonl 2>/dev/null) || true
    echo "baseline ${n:-0}" >>script.log
    if wait_log 'proxmon: notify \[.*filling up' 120; then echo "filling-seen" >>script.log; fi
    # Two more refreshes: a second notification for the same crossing would show here.
    sleep $((REFRESH * 2 + 1))
    echo "done" >>script.log
  ) &
  scripter=$!
  run_applet filling -a "$dir/live-pkg" "${popup[@]}" -t 180 -d 1 -W "$dir/script.log=^done"
  stop_pid "$scripter" "$recorder_pid"

  plasma-apply-colorscheme BreezeDark >colorscheme.txt 2>&1 || true
  record_rc components-dark qmltest -import "$src/imports" -input "$src/tst_graphs.qml" \
    -o "$dir/components-dark.txt,txt" Graphs::test_01_node_sparklines_render_and_hover \
    Graphs::test_02_guest_detail_opens_below_its_row_and_switches_timeframe >"$dir/components-dark.out" 2>&1
  run_applet graphs-dark -a "$dir/demo-pkg" "${popup[@]}" -t 60 -d 2 -w 'proxmon-test: graphs ready'
  crop_window graphs-dark 445x700
  plasma-apply-colorscheme BreezeLight >>colorscheme.txt 2>&1 || true

  for f in graphs-light graphs-dark; do count_colors "$f-window.png" "$f.colors"; done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
# One real second is ten simulated minutes: the NFS storage gains ~0.35 %
# a second, from 40 % at the simulator's start to the 60 % threshold in
# about a minute — after the widget's first snapshot (the silent baseline).
PROXMON_SIM_TIMESCALE=600 start_simulator tests/plasma/graphs/scenario-filling.json "$out"

stage_package demo --test-default demoMode=true --test-default expandedNodes=node/pve1 \
  --test-hooks tests/plasma/graphs/hooks.qml
stage_package live "${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" \
  --test-default developerMode=true --test-default storageWarnPercent=60 \
  --test-default storageCriticalPercent=99 --test-expand --test-secret-file "$out/secret.txt"

run_in_session -e "REFRESH=$REFRESH"
stop_host_process

# ---------------------------------------------------------------- the checks
passed() { grep -Eq "^(PASS|XFAIL) +: .*::$2\(\)" "$1" && ! grep -Eq "^(FAIL!|XPASS) +: .*::$2\(\)" "$1"; }
clean() { ! grep -E 'file:///proxmon/contents/' "$1"; }
c=$out/components.txt
cd_=$out/components-dark.txt
check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "node card: CPU, memory and network sparklines with the hour's data; hover shows the value" \
  passed "$c" test_01_node_sparklines_render_and_hover
check "guest detail: a click opens it right below its row with CPU, memory, network and disk I/O; day switch; second click closes" \
  passed "$c" test_02_guest_detail_opens_below_its_row_and_switches_timeframe
check "storage section: shared storage once, local ones under their node, usage bar, used/total, type and state" \
  passed "$c" test_03_storage_section
check "panel label modes: running/total, icon only; the tooltip keeps the summary" passed "$c" test_04_panel_label_modes
check "component tests: qmltestrunner passed overall" grep -q '^0$' "$out/components.rc"
check_shown "component tests: no warnings from the widget's QML" clean "$c"
check "Breeze Dark: sparklines and guest detail render" grep -q '^0$' "$out/components-dark.rc"
for run in graphs-light graphs-dark filling; do
  check "$run: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
  check "$run: no error lines naming the package" test ! -s "$out/$run.errors"
done
for shot in graphs-light graphs-dark; do
  check "screenshot $shot: written and not blank" colors_over "$out/$shot.colors" 20
done
check "filling: the first snapshots are a silent baseline" grep -q '^baseline 0$' "$out/script.log"
check "filling: the storage crossing the threshold was notified (journal)" grep -q '^filling-seen' "$out/script.log"
# shellcheck disable=SC2016 # JavaScript, not shell
# (The local storages drift up too at this pace and may cross 60 % as well.)
check "filling: exactly one \"filling up\" Notify for the NFS storage on the session bus, no token in any" js '
  const fs = require("fs");
  const all = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
    .filter((c) => c.member === "Notify");
  const calls = all.filter((c) => /^Storage nas is filling up/.test(c.args.summary));
  const secret = fs.readFileSync(process.argv[2], "utf8").trim();
  const ok = calls.length === 1 && !JSON.stringify(all).includes(secret)
    && !JSON.stringify(all).includes("monitor@pve!proxmon");
  if (!ok) console.error(JSON.stringify(calls));
  process.exit(ok ? 0 : 1);' "$out/notifications.jsonl" "$out/secret.txt"

mkdir -p screenshots
for s in light dark; do
  cp "$out/graphs-$s-window.png" "screenshots/graphs-popup-$s.png" 2>/dev/null || true
  cp "$out/graphs-node-$s.png" "screenshots/graphs-node-$s.png" 2>/dev/null || true
  cp "$out/graphs-guest-$s.png" "screenshots/graphs-guest-$s.png" 2>/dev/null || true
done

diagnose() {
  show_ends tail 30 components.out components-dark.out recorder.err script.log sim.err
  show_ends head 20 "$out"/*.errors
}
finish diagnose
