#!/usr/bin/env bash
# The ProxMon widget in a real Plasma 6.3 (Debian 13 root, see
# tests/plasma/README.md), in four runs of plasmoidviewer:
#   demo-popup / demo-dark   the full widget on the built-in demo cluster
#                            (light and Breeze Dark), a node expanded
#   demo-panel / demo-vpanel the compact representation in a horizontal and
#                            a vertical panel
#   demo-desktop             on the desktop (planar form factor)
#   live                     the widget against the simulator on the host's
#                            127.0.0.1 over HTTPS (its CA trusted system-wide
#                            inside the root, so plain XMLHttpRequest works):
#                            snapshot, one request per refresh, a change shows
#                            within one refresh as a notification, simulator
#                            stopped → unreachable (stale), restarted → ok
#   error                    the same with a wrong secret → the auth state
# Settings come from test stagings of the package (scripts/package.sh
# --test-default / --test-secret-file), because plasmoidviewer drops saved
# settings and the secret has no config key (the keyring comes later).
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=widget
REFRESH=5

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  dir=/out/$NAME
  lib=/proxmon/tests/plasma/lib
  cd "$dir"
  log=$dir/live.log

  # The simulator's CA, trusted system-wide (what a user does with pve-root-ca.pem).
  cp ca.pem /usr/local/share/ca-certificates/proxmon-sim.crt
  update-ca-certificates >update-ca.txt 2>&1 || true
  # The widget's icon, as install.sh installs it.
  mkdir -p "$HOME/.local/share/icons/hicolor/scalable/apps"
  cp /proxmon/icons/proxmon.svg "$HOME/.local/share/icons/hicolor/scalable/apps/"

  if bash "$lib/qmllint.sh" "$dir/demo-pkg/contents" >qmllint.txt 2>&1; then echo 0 >qmllint.rc; else echo $? >qmllint.rc; fi

  python3 "$lib/notify-recorder.py" --out notifications.jsonl --ready recorder.ready 2>recorder.err &
  recorder=$!
  for _ in $(seq 50); do [ -f recorder.ready ] && break; sleep 0.1; done

  # The popup opens at the top left (no window manager); trim the black rest.
  crop() { convert "$1.png" -crop "$2+0+0" +repage -bordercolor black -border 1 -trim +repage "$1-window.png" 2>/dev/null || true; }
  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge)

  # 1. The demo cluster, full representation, light.
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/demo-pkg" -o "$dir" -n demo-popup "${popup[@]}" -t 40 -d 3 \
    -w 'proxmon: refresh ok' || rc=$?
  echo "$rc" >demo-popup.rc
  crop demo-popup 445x620

  # 2. In a panel: the compact representation.
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/panel-pkg" -o "$dir" -n demo-panel -s 420x140 -t 40 -d 3 \
    -c org.kde.panel -f horizontal -l bottomedge -w 'proxmon: refresh ok' || rc=$?
  echo "$rc" >demo-panel.rc
  convert demo-panel.png -crop 200x90+0+0 +repage -scale 200% demo-panel-window.png 2>/dev/null || true
  # A vertical panel on the left edge, and the desktop (planar: the popup's
  # content shown in place, with the compact item not used).
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/panel-pkg" -o "$dir" -n demo-vpanel -s 80x400 -t 40 -d 3 \
    -c org.kde.panel -f vertical -l leftedge -w 'proxmon: refresh ok' || rc=$?
  echo "$rc" >demo-vpanel.rc
  convert demo-vpanel.png -crop 80x300+0+0 +repage demo-vpanel-window.png 2>/dev/null || true
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/panel-pkg" -o "$dir" -n demo-desktop -s 480x560 -t 40 -d 3 \
    -f planar -l floating -w 'proxmon: refresh ok' || rc=$?
  echo "$rc" >demo-desktop.rc
  convert demo-desktop.png -crop 480x560+0+0 +repage demo-desktop-window.png 2>/dev/null || true

  # 3. The live run against the simulator, scripted from the side.
  simcmd() { # simcmd NAME JSON → prints the answer
    printf '%s' "$2" >"cmd/$1.tmp" && mv "cmd/$1.tmp" "cmd/$1.json"
    for _ in $(seq 100); do [ -f "cmd/$1.out" ] && break; sleep 0.1; done
    cat "cmd/$1.out" 2>/dev/null || echo '{"error":"no answer"}'
  }
  wait_log() { # wait_log REGEX SECONDS [MIN_COUNT] → 0 when seen
    local want=${3:-1}
    for _ in $(seq $(($2 * 10))); do
      [ "$(grep -Ec -- "$1" "$log" 2>/dev/null || true)" -ge "$want" ] && return 0
      sleep 0.1
    done
    return 1
  }
  (
    set +e
    : >script.log
    wait_log 'proxmon: snapshot: ' 40 || echo "no-first-snapshot" >>script.log
    sleep 2
    simcmd reset '{"cmd":"reset-stats"}' >/dev/null
    sleep $((REFRESH * 3 + 1))
    simcmd stats '{"cmd":"stats"}' >stats.json
    # A change on the server: it must show within one refresh interval.
    t0=$(date +%s.%N)
    simcmd act '{"cmd":"action","action":{"action":"stop","vmid":105}}' >action.json
    if wait_log 'proxmon: notify \[' $((REFRESH + 3)); then
      echo "change-seen $(python3 -c "import time;print(round(time.time()-$t0, 1))") s" >>script.log
    else
      echo "change-not-seen" >>script.log
    fi
    sleep 1
    import -window root live-ok.png 2>/dev/null
    simcmd stop '{"cmd":"stop"}' >/dev/null
    if wait_log 'proxmon: refresh unreachable' $((REFRESH * 3)); then echo "unreachable-seen" >>script.log; fi
    sleep 2
    import -window root live-stale.png 2>/dev/null
    n=$(grep -c 'proxmon: refresh ok' "$log")
    simcmd restart '{"cmd":"restart"}' >/dev/null
    if wait_log 'proxmon: refresh ok' $((REFRESH * 3)) $((n + 1)); then echo "recovered" >>script.log; fi
    echo done >>script.log
  ) &
  scripter=$!
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/live-pkg" -o "$dir" -n live "${popup[@]}" -t 120 -d 1 \
    -W "$dir/script.log=^done" || rc=$?
  echo "$rc" >live.rc
  kill "$scripter" 2>/dev/null || true
  wait "$scripter" 2>/dev/null || true
  for f in live-ok live-stale; do crop "$f" 445x620; done

  # 4. Wrong secret: the error state.
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/error-pkg" -o "$dir" -n error "${popup[@]}" -t 40 -d 2 \
    -w 'proxmon: refresh auth' || rc=$?
  echo "$rc" >error.rc
  crop error 445x620

  # 5. Breeze Dark.
  plasma-apply-colorscheme BreezeDark >colorscheme.txt 2>&1 || true
  rc=0
  bash "$lib/run-applet.sh" -a "$dir/demo-pkg" -o "$dir" -n demo-dark "${popup[@]}" -t 40 -d 3 \
    -w 'proxmon: refresh ok' || rc=$?
  echo "$rc" >demo-dark.rc
  crop demo-dark 445x620

  kill -TERM "$recorder" 2>/dev/null || true
  wait "$recorder" 2>/dev/null || true
  for f in demo-popup demo-panel demo-vpanel demo-desktop live-ok live-stale error demo-dark; do
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

# The simulator on the host's loopback (the CLI's `simulate` is not relied on).
mkdir -p build/widget-test
node_modules/.bin/esbuild tests/plasma/widget/sim-runner.mjs --bundle --platform=node --format=esm \
  --log-level=warning --outfile=build/widget-test/sim-runner.mjs
node build/widget-test/sim-runner.mjs examples/scenario-basic.json "$out" >"$out/sim.out" 2>"$out/sim.err" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/sim.json" ] && break; sleep 0.1; done
[ -s "$out/sim.json" ] || {
  echo "not ok - the simulator did not start"
  cat "$out/sim.err" >&2
  exit 1
}
port=$(node -e 'console.log(new URL(JSON.parse(require("fs").readFileSync(process.argv[1])).url).port)' "$out/sim.json")
node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(s.token.id); console.log(s.token.secret)' \
  examples/scenario-basic.json >"$out/token.txt"
token_id=$(sed -n 1p "$out/token.txt")
sed -n 2p "$out/token.txt" >"$out/secret.txt"
echo "wrong-secret-$RANDOM" >"$out/wrong-secret.txt"
rm -f "$out/token.txt"

live=(--test-default proxmoxHost=127.0.0.1 --test-default "proxmoxPort=$port" --test-default "apiTokenId=$token_id"
  --test-default "refreshInterval=$REFRESH")
bash scripts/package.sh --stage "$out/demo-pkg" --test-default demoMode=true --test-default expandedNodes=node/pve2 --test-expand >/dev/null
bash scripts/package.sh --stage "$out/panel-pkg" --test-default demoMode=true >/dev/null
bash scripts/package.sh --stage "$out/live-pkg" "${live[@]}" --test-default developerMode=true \
  --test-default expandedNodes=node/pve3 --test-expand --test-secret-file "$out/secret.txt" >/dev/null
bash scripts/package.sh --stage "$out/error-pkg" "${live[@]}" --test-expand --test-secret-file "$out/wrong-secret.txt" >/dev/null

run_rc=0
bash "$root_sh" run -e "REFRESH=$REFRESH" -- bash scripts/plasma-host/session.sh bash tests/plasma/test-widget.sh --in-session || run_rc=$?

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
js() { node -e "$1" "${@:2}"; }

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "qmllint: no errors in the widget's QML" rc_is "$out/qmllint.rc" 0
for run in demo-popup demo-panel demo-vpanel demo-desktop demo-dark live error; do
  check "$run: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
  check "$run: no error lines naming the package" test ! -s "$out/$run.errors"
done
check "demo: the demo cluster loaded (refresh ok)" grep -q 'proxmon: refresh ok' "$out/demo-popup.log"
check "demo: no debug lines outside developer mode" test "$(grep -c 'proxmon: snapshot:' "$out/demo-popup.log")" -eq 0
check "live: HTTPS to the simulator works through the system CA store" grep -q 'proxmon: refresh ok' "$out/live.log"
check "live: developer mode logs the snapshot (3 nodes, 8 guests)" grep -q 'proxmon: snapshot: 3 nodes, 8 guests' "$out/live.log"
check "live: the secret never appears in the log" test "$(grep -cF "$(cat "$out/secret.txt")" "$out/live.log")" -eq 0
# shellcheck disable=SC2016 # JavaScript, not shell
check "live: steady-state refresh costs one request (one path, ~1 per ${REFRESH} s)" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const paths = Object.keys(s.byPath);
  const ok = paths.length === 1 && s.total >= 2 && s.total <= 4;
  if (!ok) console.error(JSON.stringify(s));
  process.exit(ok ? 0 : 1);' "$out/stats.json"
check "live: a change on the server shows within one refresh" grep -q '^change-seen' "$out/script.log"
# shellcheck disable=SC2016 # JavaScript, not shell
check "live: the change became a desktop notification with an \"Open web UI\" action" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  process.exit(calls.some((c) => c.member === "Notify" && /grafana/.test(c.args.summary + " " + c.args.body)
    && c.args.actions.indexOf("Open web UI") >= 0) ? 0 : 1);' "$out/notifications.jsonl"
check "live: simulator stopped → unreachable shown" grep -q '^unreachable-seen' "$out/script.log"
check "live: simulator restarted → recovered" grep -q '^recovered' "$out/script.log"
check "error: a wrong secret shows the auth error" grep -q 'proxmon: refresh auth' "$out/error.log"
for shot in demo-popup demo-panel demo-vpanel demo-desktop demo-dark live-ok live-stale error; do
  check "screenshot $shot: written and not blank" colors_over "$out/$shot.colors" 20
done

# Keep the screenshots in the checkout (screenshots/, generated).
mkdir -p screenshots
cp "$out/demo-popup-window.png" screenshots/popup-light.png 2>/dev/null || true
cp "$out/demo-dark-window.png" screenshots/popup-dark.png 2>/dev/null || true
# screenshots/panel.png comes from test-components.sh: plasmoidviewer's panel
# has no background, so its crop shows dark text on black.
cp "$out/live-ok-window.png" screenshots/live-developer-mode.png 2>/dev/null || true
cp "$out/live-stale-window.png" screenshots/stale.png 2>/dev/null || true
cp "$out/error-window.png" screenshots/error-auth.png 2>/dev/null || true

if [ "$failed" -ne 0 ]; then
  echo "--- $NAME: $failed check(s) failed; files in $out" >&2
  for f in qmllint.txt recorder.err script.log sim.err; do
    [ -s "$out/$f" ] && { echo "--- $f" >&2; tail -n 20 "$out/$f" >&2; }
  done
  for f in "$out"/*.errors; do [ -s "$f" ] && { echo "--- $f" >&2; head -n 20 "$f" >&2; }; done
  exit 1
fi
echo "--- $NAME: files in $out"
