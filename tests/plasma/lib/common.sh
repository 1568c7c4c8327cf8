# shellcheck shell=bash
# Shared by the Plasma tests (tests/plasma/*.sh), on the host and inside the
# root alike: sourced before a test looks at "--in-session", so it only
# defines functions and sets `failed`. Each test keeps its own checks and its
# own output; this file holds what every test had copied.
#
# Globals it sets, named as the tests already used them:
#   host:    NAME project root_sh out PROXMON_PLASMA_OUT run_rc failed
#            host_pid; after start_simulator also sim_pid port token_id
#            fingerprint sim_settings
#   inside:  dir lib; recorder_pid sampler_pid
#
# The lines "ok - …" / "not ok - …" and the exit codes are what
# tests/plasma/run.sh counts: check and finish must keep them exact.

failed=0

# wait_until TENTHS CMD...: CMD succeeded within TENTHS tenths of a second.
# The caller decides whether not coming up is fatal.
wait_until() {
  local tries=$1
  shift
  for _ in $(seq "$tries"); do
    "$@" && return 0
    sleep 0.1
  done
  "$@"
}

# stop_pid PID...: TERM, then reap, so nothing outlives the step that
# started it; a PID that is already gone is fine.
stop_pid() {
  local pid
  for pid in "$@"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# record_rc NAME CMD...: CMD's exit code into NAME.rc (in the current
# folder), so the host half can check a step without set -e ending the session.
record_rc() {
  local name=$1 rc=0
  shift
  "$@" || rc=$?
  echo "$rc" >"$name.rc"
}

# ======================================================== inside the root

# qmltest ARG...: Qt 6's qmltestrunner with V4's collector run in one pass
# (QV4_GC_TIMELIMIT=0). Qt 6.8's incremental collector, the root's Qt,
# crashed these suites now and then in its own code (SIGSEGV in
# QV4::MarkStack::drain from GCStateMachine::transition, or a double free
# in ~ExecutionEngine after every test had passed; about 1 run in 10 of
# tst_popup_search under load). The component tests create and destroy a
# façade per test function, far more churn than a panel ever sees; the
# plasmoidviewer runs keep Qt's default collector.
qmltest() { QV4_GC_TIMELIMIT=0 /usr/lib/qt6/bin/qmltestrunner "$@"; }

# session_prologue NAME: into /out/NAME, the folder the host half prepared;
# `lib` is where run-applet.sh and the stand-ins live (read-only checkout).
session_prologue() {
  dir=/out/$1
  lib=/proxmon/tests/plasma/lib
  cd "$dir" || exit 1
}

# trust_sim_ca: the simulator's CA, trusted system-wide (what a user does
# with pve-root-ca.pem), so plain XMLHttpRequest reaches it over HTTPS. The
# root is shared by every run, so the CA is taken out again when the session
# half exits (EXIT trap); a run killed before that leaves it, and the next
# trust_sim_ca or untrust_sim_ca clears it.
sim_ca_crt=/usr/local/share/ca-certificates/proxmon-sim.crt
trust_sim_ca() {
  cp ca.pem "$sim_ca_crt"
  update-ca-certificates >update-ca.txt 2>&1 || true
  trap untrust_sim_ca EXIT
}

# untrust_sim_ca: without --fresh, update-ca-certificates drops the CA from
# ca-certificates.crt but leaves /etc/ssl/certs/proxmon-sim.pem and its hash
# link pointing at the deleted .crt; --fresh rebuilds every link.
untrust_sim_ca() {
  rm -f "$sim_ca_crt"
  update-ca-certificates --fresh >untrust-ca.txt 2>&1 || true
}

# install_widget_icon: the widget's icon where install.sh puts it; without it
# notifications and the compact item show a fallback icon.
install_widget_icon() {
  mkdir -p "$HOME/.local/share/icons/hicolor/scalable/apps"
  cp /proxmon/contents/icons/proxmon.svg "$HOME/.local/share/icons/hicolor/scalable/apps/"
}

# start_recorder: the stand-in notification server must own its bus name
# before an applet starts, or the first Notify goes nowhere.
start_recorder() {
  python3 "$lib/notify-recorder.py" --out notifications.jsonl --ready recorder.ready 2>recorder.err &
  # shellcheck disable=SC2034 # stopped by the test that sourced this file
  recorder_pid=$!
  wait_until 50 test -f recorder.ready || true
}

# start_ps_sampler: command lines while the widget runs, once a second, so
# hygiene checks can prove no secret was ever an argument.
start_ps_sampler() {
  (while :; do ps -eo args >>ps-samples.txt 2>/dev/null; sleep 1; done) &
  # shellcheck disable=SC2034 # stopped by the test that sourced this file
  sampler_pid=$!
}

# run_applet NAME RUN-APPLET-OPTIONS...: lib/run-applet.sh writing NAME.log,
# NAME.png, NAME.errors into the test folder, its exit code into NAME.rc.
run_applet() {
  local name=$1
  shift
  record_rc "$name" bash "$lib/run-applet.sh" -o "$dir" -n "$name" "$@"
}

# crop_window NAME WxH: NAME.png → NAME-window.png. Without a window manager
# the popup sits at the top left; the rest of the screen is black.
crop_window() {
  convert "$1.png" -crop "$2+0+0" +repage -bordercolor black -border 1 -trim +repage "$1-window.png" 2>/dev/null || true
}

# count_colors IMAGE FILE: the image's colour count into FILE (0 without an
# image); a blank screen has one or two.
count_colors() {
  convert "$1" -format '%k' info: >"$2" 2>/dev/null || echo 0 >"$2"
}

# simcmd NAME JSON → prints the simulator's answer. sim-runner.mjs on the host
# polls /out/NAME/cmd; the rename makes a command appear whole.
simcmd() {
  printf '%s' "$2" >"cmd/$1.tmp" && mv "cmd/$1.tmp" "cmd/$1.json"
  wait_until 100 test -f "cmd/$1.out" || true
  cat "cmd/$1.out" 2>/dev/null || echo '{"error":"no answer"}'
}

# log_count REGEX: matching lines in $log (the applet's log, set by the
# test); 0 before the viewer has created it, so callers can compare at once.
# shellcheck disable=SC2154 # log is the test's variable
log_count() {
  local n
  n=$(grep -Ec -- "$1" "$log" 2>/dev/null) || true
  echo "${n:-0}"
}

# wait_log REGEX SECONDS [MIN_COUNT] → 0 once $log has MIN_COUNT (1) matches.
wait_log() {
  local want=${3:-1}
  for _ in $(seq $(($2 * 10))); do
    [ "$(log_count "$1")" -ge "$want" ] && return 0
    sleep 0.1
  done
  return 1
}

# scan_for_secrets PATTERNS FILE...: which places hold a secret, for the
# hygiene checks. Patterns come from a file (-f) so a secret never becomes an
# argument itself. Writes home-files.txt (what was searched), hygiene-home.txt,
# hygiene-logs.txt (which of FILE...) and hygiene-ps.txt (a count).
scan_for_secrets() {
  local patterns=$1
  shift
  find "$HOME" -type f | sed "s|^$HOME/||" | sort >home-files.txt
  grep -rlaF -f "$patterns" "$HOME" >hygiene-home.txt 2>/dev/null || true
  grep -laF -f "$patterns" "$@" >hygiene-logs.txt 2>/dev/null || true
  grep -caF -f "$patterns" ps-samples.txt >hygiene-ps.txt 2>/dev/null || true
}

# ================================================================= the host

# plasma_prologue NAME [SUBDIR...]: from the checkout, with a fresh
# $PROXMON_PLASMA_OUT/NAME (mounted at /out/NAME inside) and the root built
# or checked. The root's lock serialises runs; ensure may wait for another.
plasma_prologue() {
  NAME=$1
  shift
  cd "$(dirname "${BASH_SOURCE[0]}")/../../.." || exit 1
  project=$(pwd)
  root_sh=$project/scripts/plasma-host/root.sh
  export PROXMON_PLASMA_OUT=${PROXMON_PLASMA_OUT:-/tmp/proxmon-plasma-out}
  out=$PROXMON_PLASMA_OUT/$NAME
  rm -rf "$out"
  mkdir -p "$out" "${@/#/$out/}"
  bash "$root_sh" ensure
}

# build_bundle: the checkout is read-only inside, so the widget's bundle must
# exist before the run; an existing one is trusted (npm run build makes it).
build_bundle() {
  [ -s contents/code/proxmon.mjs ] || node scripts/build.mjs
}

# watch_host_process PID: a stand-in on the host that must not outlive the
# test, even when it stops early (set -e, a failed start).
watch_host_process() {
  host_pid=$1
  trap 'kill "$host_pid" 2>/dev/null || true' EXIT
}

# stop_host_process: the stand-in is done once the session is over.
stop_host_process() {
  stop_pid "$host_pid"
  trap - EXIT
}

# start_simulator SCENARIO OUT: the Proxmox VE simulator on the host's
# 127.0.0.1 (tests/plasma/widget/sim-runner.mjs; the CLI's `simulate` is not
# relied on), scripted through OUT/cmd. Sets sim_pid, port, token_id,
# fingerprint (SHA-256 of its certificate) and sim_settings (package.sh
# options pointing a package at it). The token secret goes from the scenario
# to OUT/secret.txt, file to file: it is never an argument.
start_simulator() {
  local scenario=$1 o=$2 bundle=build/$NAME-test/sim-runner.mjs info
  mkdir -p "build/$NAME-test" "$o/cmd"
  node_modules/.bin/esbuild tests/plasma/widget/sim-runner.mjs --bundle --platform=node --format=esm \
    --log-level=warning --outfile="$bundle"
  node "$bundle" "$scenario" "$o" >"$o/sim.out" 2>"$o/sim.err" &
  sim_pid=$!
  watch_host_process "$sim_pid"
  wait_until 100 test -s "$o/sim.json" || {
    echo "not ok - the simulator did not start"
    cat "$o/sim.err" >&2
    exit 1
  }
  info=$(node -e 'const fs = require("fs");
    const r = JSON.parse(fs.readFileSync(process.argv[1])), s = JSON.parse(fs.readFileSync(process.argv[2]));
    fs.writeFileSync(process.argv[3] + "/secret.txt", s.token.secret + "\n");
    console.log(new URL(r.url).port, s.token.id, r.fingerprint256 || "-");' "$o/sim.json" "$scenario" "$o")
  # shellcheck disable=SC2034 # for the test that sourced this file
  read -r port token_id fingerprint <<<"$info"
  # shellcheck disable=SC2034 # for the test that sourced this file
  sim_settings=(--test-default proxmoxHost=127.0.0.1 --test-default "proxmoxPort=$port"
    --test-default "apiTokenId=$token_id")
}

# write_wallet_seed FILE FOLDER KEY: a KWallet stand-in store holding
# $out/secret.txt as FOLDER/KEY in "kdewallet", written by node so the secret
# stays out of every command line.
write_wallet_seed() {
  node -e 'const fs = require("fs");
    const [file, folder, key, secretFile] = process.argv.slice(1);
    const s = fs.readFileSync(secretFile, "utf8").replace(/\n$/, "");
    fs.writeFileSync(file, JSON.stringify({ wallets: { kdewallet: { [folder]: { [key]: s } } } }));' \
    "$1" "$2" "$3" "$out/secret.txt"
}

# stage_package NAME PACKAGE.SH-OPTIONS...: a test staging of the widget in
# $out/NAME-pkg (settings baked in with --test-default and friends).
stage_package() {
  bash scripts/package.sh --stage "$out/$1-pkg" "${@:2}" >/dev/null
}

# run_in_session [ROOT.SH RUN OPTIONS]...: this script's --in-session half in
# the root under session.sh (X + session bus). Sets run_rc instead of failing:
# the checks report what went wrong inside.
# SC2120: most tests need no options; SC2034: the test checks run_rc.
# shellcheck disable=SC2120,SC2034
run_in_session() {
  run_rc=0
  bash "$root_sh" run "$@" -- bash scripts/plasma-host/session.sh \
    bash "tests/plasma/$(basename "$0")" --in-session || run_rc=$?
}

# check NAME CMD...: one "ok - NAME" / "not ok - NAME" line; CMD's output is
# not shown (the diagnostics after a failure say more).
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    echo "ok - $what"
  else
    echo "not ok - $what"
    failed=$((failed + 1))
  fi
}

# check_shown WHAT CMD…: check, and on failure the first lines CMD printed
# follow as "# " comments, so a CI log says which warning it was. Only for
# commands whose output is the widget's own diagnostics (never a secret).
check_shown() {
  local what=$1 said
  shift
  if said=$("$@" 2>&1); then
    echo "ok - $what"
  else
    echo "not ok - $what"
    printf '%s\n' "$said" | head -n 10 | sed 's/^/#   /'
    failed=$((failed + 1))
  fi
}

# file_is FILE TEXT: FILE holds just TEXT; a missing file never does.
file_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
# rc_is FILE CODE: the exit code record_rc wrote was CODE.
rc_is() { file_is "$@"; }
colors_over() { [ "$(cat "$1" 2>/dev/null || echo 0)" -gt "$2" ]; }
js() { node -e "$1" "${@:2}"; }

# show_ends tail|head LINES FILE...: the end or the start of each FILE (in
# $out unless absolute) that exists and is not empty, on stderr, for the
# diagnostics after a failure.
show_ends() {
  local how=$1 lines=$2 f path
  shift 2
  for f in "$@"; do
    case $f in /*) path=$f ;; *) path=$out/$f ;; esac
    if [ -s "$path" ]; then
      echo "--- $f" >&2
      "$how" -n "$lines" "$path" >&2
    fi
  done
}

# finish [DIAGNOSE]: the last line of a test. With a failed check, DIAGNOSE
# (a function of the test) shows what is worth seeing and the exit code is 1.
finish() {
  if [ "$failed" -ne 0 ]; then
    echo "--- $NAME: $failed check(s) failed; files in $out" >&2
    if [ $# -gt 0 ]; then "$1"; fi
    exit 1
  fi
  echo "--- $NAME: files in $out"
}
