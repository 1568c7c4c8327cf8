#!/usr/bin/env bash
# Several connections in one widget (issue 11) in a real Plasma 6.3: two
# simulators on the host's 127.0.0.1, set up as two connections ("home" and
# "office", the list in the `connections` key), the popup open in a panel:
#   both sections side by side, each with its own nodes;
#   office's simulator stopped → only office's section shows the error (the
#     stale notice with the reason), the panel's error badge is on, and home
#     keeps refreshing on its own schedule (its simulator's request count);
#   office's simulator restarted → it recovers by itself, the badge goes.
# Each connection has its own token secret, read by its own SecretSource from
# its own KDE Wallet entry (keyed as before: token ID @ first address : port)
# through a KWallet stand-in (keyring/kwallet-standin.py) on the session bus;
# the package holds no secret. The journal names the connection of each line
# ("[office] refresh …"), and the drawn texts come from the live scene
# (package.sh --test-dump-texts).
#   office's section closed → only its heading, home's nodes below it.
#   power actions with a separate token (actionsMode=separate): each
#     connection's own actions token — office's (the first) from the old
#     `actionsTokenId` key, home's from its entry in the list — with its own
#     secret from its own wallet entry (actions token ID @ first address :
#     port); a shutdown of VM 100 on each (chosen and confirmed in that
#     connection's session by tests/plasma/connections/TestHooks.qml) reaches
#     that connection's simulator signed with that connection's actions token
#     (the simulator counts requests per signing token), and no secret shows
#     up in a log, a file of the test HOME or a command line.
# Screenshots: connections-popup.png (office closed), connections-error.png.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=connections
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  log=$dir/popup.log

  # Both simulators' CAs, trusted system-wide as a user would trust each
  # cluster's pve-root-ca.pem; taken out again on exit.
  office_crt=/usr/local/share/ca-certificates/proxmon-sim-office.crt
  untrust_both() {
    rm -f "$office_crt"
    untrust_sim_ca
  }
  cp sim-home/ca.pem ca.pem
  cp sim-office/ca.pem "$office_crt"
  trust_sim_ca
  trap untrust_both EXIT
  install_widget_icon
  start_recorder
  start_ps_sampler
  # The wallet, seeded with one entry per connection (the stand-in is up
  # first: org.kde.kwalletd6 is D-Bus activatable in the root).
  python3 /proxmon/tests/plasma/keyring/kwallet-standin.py --store wallet.json --seed wallet-seed.json \
    --calls wallet-calls.jsonl --ready wallet.ready 2>wallet.err &
  wallet_pid=$!
  wait_until 50 test -f wallet.ready || true

  # The texts of the last complete dump (TestHooks: every 4 s), and waiting
  # for a dump that starts after now.
  last_round() {
    grep -o 'proxmon-test: texts [0-9]* end' "$log" 2>/dev/null | tail -n 1 | grep -o '[0-9]*' || echo 0
  }
  texts_of() {
    awk -v r="$1" '$0 ~ "proxmon-test: texts " r " begin" { on = 1; next }
      $0 ~ "proxmon-test: texts " r " end" { on = 0 } on' "$log" | sed 's/.*proxmon-test: text: //'
  }
  next_round() {
    local from want
    from=$(last_round)
    want=$((from + 2))
    for _ in $(seq 200); do
      [ "$(last_round)" -ge "$want" ] && { echo "$want"; return 0; }
      sleep 0.1
    done
    echo "$want"
    return 1
  }
  home_requests() { (cd sim-home && simcmd "stats-$1" '{"cmd":"stats"}') | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const j = JSON.parse(s); console.log(j.byPath && j.byPath["/cluster/resources"] ? j.byPath["/cluster/resources"].count : 0); });'; }

  (
    set +e
    : >script.log
    wait_log 'proxmon: \[home\] refresh ok' 40 || echo "home-not-ok" >>script.log
    wait_log 'proxmon: \[office\] refresh ok' 40 || echo "office-not-ok" >>script.log
    r=$(next_round)
    texts_of "$r" >texts-both.txt
    import -window root popup.png 2>/dev/null
    echo "both-shown $r" >>script.log

    # Office's cluster goes away; home must not notice.
    h0=$(home_requests a)
    t0=$(date +%s)
    (cd sim-office && simcmd stop '{"cmd":"stop"}') >/dev/null
    if wait_log 'proxmon: \[office\] refresh unreachable' $((REFRESH * 3)); then echo "office-unreachable" >>script.log; fi
    sleep $((REFRESH * 2))
    r=$(next_round)
    texts_of "$r" >texts-error.txt
    import -window root error.png 2>/dev/null
    h1=$(home_requests b)
    echo "home-requests $h0 $h1 $(($(date +%s) - t0))" >>script.log

    n=$(log_count 'proxmon: \[office\] refresh ok')
    (cd sim-office && simcmd restart '{"cmd":"restart"}') >/dev/null
    # Its back-off (5 s doubling, with jitter) may have reached ~40 s by now.
    if wait_log 'proxmon: \[office\] refresh ok' 60 $((n + 1)); then echo "office-recovered" >>script.log; fi
    r=$(next_round)
    texts_of "$r" >texts-recovered.txt
    echo "done" >>script.log
  ) &
  scripter=$!
  run_applet popup -a "$dir/conn-pkg" -s 600x120 -c org.kde.panel -f horizontal -l topedge \
    -t 220 -d 1 -W "$dir/script.log=^done"
  stop_pid "$scripter"

  # Office's section closed (collapsedConnections, as a click leaves it):
  # only its heading, and home's nodes below it, both in one screenshot.
  log=$dir/collapsed.log
  run_applet collapsed -a "$dir/collapsed-pkg" -s 600x120 -c org.kde.panel -f horizontal -l topedge \
    -t 60 -d 1 -w 'proxmon: \[home\] refresh ok' -w 'proxmon: \[office\] refresh ok' -w 'proxmon-test: texts 3 end'
  texts_of 3 >texts-collapsed.txt

  # Power actions with a separate token per connection. The simulators'
  # clocks stand still, so the tasks stay running: only the POSTs count.
  log=$dir/act.log
  posts_of() { (cd "sim-$1" && simcmd "$2" '{"cmd":"stats"}') | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const j = JSON.parse(s); let n = 0;
      for (const k of Object.keys(j.byRequest || {})) if (k.indexOf("POST ") === 0) n += j.byRequest[k];
      console.log(n); });'; }
  (
    set +e
    : >act-script.log
    for site in home office; do
      wait_log "proxmon-test: action sent $site" 60 || echo "$site-not-sent" >>act-script.log
    done
    # The POSTs follow the confirmations: wait until each simulator counted one.
    for i in $(seq 100); do
      [ "$(posts_of home "act-h$i")" -ge 1 ] && [ "$(posts_of office "act-o$i")" -ge 1 ] && break
      sleep 0.2
    done
    (cd sim-home && simcmd act-home '{"cmd":"stats"}') >stats-home.json
    (cd sim-office && simcmd act-office '{"cmd":"stats"}') >stats-office.json
    echo "done" >>act-script.log
  ) &
  scripter=$!
  run_applet act -a "$dir/act-pkg" -s 600x120 -c org.kde.panel -f horizontal -l topedge \
    -t 120 -d 1 -W "$dir/act-script.log=^done"
  stop_pid "$scripter"

  stop_pid "$sampler_pid"
  scan_for_secrets secrets.txt ./*.log ./stats-*.json
  stop_pid "$recorder_pid"
  stop_pid "$wallet_pid"
  for f in popup error collapsed; do
    crop_window "$f" 445x620
    count_colors "$f-window.png" "$f.colors"
  done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
# Two simulators, each with its own CA and token; both stay up for the whole
# run (start_simulator watches only the last one it started).
# Each simulator also accepts a power-actions token of its own (another
# user, VM.PowerMgmt on /vms; the monitoring token has none), and office runs
# the same cluster under another monitoring secret, so a secret read from
# the wrong wallet entry would be refused. The secrets go from the scenarios
# to files, file to file: never an argument.
home_actions="ops@pve!home" office_actions="ops@pve!office"
for site in home office; do
  node -e 'const fs = require("fs"); const [from, to, site, id, file] = process.argv.slice(1);
    const s = JSON.parse(fs.readFileSync(from, "utf8"));
    if (site === "office") s.token.secret = require("crypto").randomUUID();
    const secret = require("crypto").randomUUID();
    s.tokens = [{ id, secret, privileges: { "/vms": ["VM.Audit", "VM.PowerMgmt"] } }];
    fs.mkdirSync(require("path").dirname(file), { recursive: true });
    fs.writeFileSync(file, secret + "\n");
    fs.writeFileSync(to, JSON.stringify(s));' examples/scenario-basic.json "$out/scenario-$site.json" "$site" \
    "$([ "$site" = home ] && echo "$home_actions" || echo "$office_actions")" "$out/sim-$site/actions-secret.txt"
done
start_simulator "$out/scenario-home.json" "$out/sim-home"
home_pid=$sim_pid home_port=$port
start_simulator "$out/scenario-office.json" "$out/sim-office"
office_pid=$sim_pid office_port=$port
trap 'kill "$home_pid" "$office_pid" 2>/dev/null || true' EXIT
cat "$out/sim-home/secret.txt" "$out/sim-office/secret.txt" \
  "$out/sim-home/actions-secret.txt" "$out/sim-office/actions-secret.txt" >"$out/secrets.txt"
home_key="$token_id@127.0.0.1:$home_port" office_key="$token_id@127.0.0.1:$office_port"
home_actions_key="$home_actions@127.0.0.1:$home_port" office_actions_key="$office_actions@127.0.0.1:$office_port"
# The wallet's contents, file to file: no secret on a command line.
node -e 'const fs = require("fs"); const [file, out, homeKey, officeKey, homeActions, officeActions] = process.argv.slice(1);
  const read = (f) => fs.readFileSync(out + "/" + f, "utf8").replace(/\n$/, "");
  fs.writeFileSync(file, JSON.stringify({ wallets: { kdewallet: { "ProxMon Plasma Widget": {
    [homeKey]: read("sim-home/secret.txt"), [officeKey]: read("sim-office/secret.txt"),
    [homeActions]: read("sim-home/actions-secret.txt"), [officeActions]: read("sim-office/actions-secret.txt") } } } }));' \
  "$out/wallet-seed.json" "$out" "$home_key" "$office_key" "$home_actions_key" "$office_actions_key"
# Office first: its section, the one that fails, is at the top of the screenshots.
# Home's actions token is in its entry; office's, the first connection's, is
# the old actionsTokenId key (set below for the actions run).
# shellcheck disable=SC2154 # token_id comes from start_simulator
connections=$(node -e 'const [t, a, b, homeActions] = process.argv.slice(1);
  console.log(JSON.stringify([
    { name: "office", hosts: ["127.0.0.1:" + b], tokenId: t },
    { name: "home", hosts: ["127.0.0.1:" + a], tokenId: t, actionsTokenId: homeActions }]));' \
  "$token_id" "$home_port" "$office_port" "$home_actions")

stage_package conn --test-default "connections=$connections" --test-default "refreshInterval=$REFRESH" \
  --test-dump-texts
stage_package collapsed --test-default "connections=$connections" --test-default "refreshInterval=$REFRESH" \
  --test-default "collapsedConnections=$office_key" --test-dump-texts
stage_package act --test-default "connections=$connections" --test-default "refreshInterval=$REFRESH" \
  --test-default actionsMode=separate --test-default "actionsTokenId=$office_actions" \
  --test-hooks tests/plasma/connections/TestHooks.qml

run_in_session -e "REFRESH=$REFRESH"
kill "$home_pid" "$office_pid" 2>/dev/null || true
trap - EXIT

# ---------------------------------------------------------------- the checks
s=$out/script.log
count() { grep -cxF -- "$1" "$2" 2>/dev/null || true; }
check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "popup: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/popup.rc" 0
check "popup: no error lines naming the package" test ! -s "$out/popup.errors"
check "both connections refresh on their own, and the journal names each" \
  bash -c "grep -q 'proxmon: \[home\] refresh ok' '$out/popup.log' && grep -q 'proxmon: \[office\] refresh ok' '$out/popup.log'"
check "neither secret appears in the log" test "$(grep -cF -f "$out/secrets.txt" "$out/popup.log")" -eq 0
# shellcheck disable=SC2016 # JavaScript, not shell
check "each connection read its own KDE Wallet entry, keyed as before (token ID @ first address : port)" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const read = (key) => calls.some((c) => c.member === "readPassword" && c.folder === "ProxMon Plasma Widget" && c.key === key && c.found);
  process.exit(read(process.argv[2]) && read(process.argv[3]) ? 0 : 1);' "$out/wallet-calls.jsonl" "$home_key" "$office_key"
check "each connection signs in with its own secret (no auth error)" bash -c "! grep -q 'refresh auth' '$out/popup.log'"
check "both connections are shown side by side: a section each with its name" \
  bash -c "[ \"\$(grep -cxF home '$out/texts-both.txt')\" -ge 1 ] && [ \"\$(grep -cxF office '$out/texts-both.txt')\" -ge 1 ]"
check "the popup's heading counts both connections, none failing" \
  bash -c "grep -qxF 'ProxMon: 2 connections' '$out/texts-both.txt' && grep -qxF 'all connections answer' '$out/texts-both.txt'"
# pve1's card says "2 of 2 guests running": once per section.
check "each section lists its own nodes (pve1's card once per cluster)" test "$(count '2 of 2 guests running' "$out/texts-both.txt")" -eq 2
check "no error shown while both answer (no badge, no stale notice)" \
  bash -c "! grep -qxF '!' '$out/texts-both.txt' && ! grep -q 'The last refresh failed' '$out/texts-both.txt'"
check "office stopped → its refresh is unreachable" grep -q '^office-unreachable' "$s"
# The error names the address that failed: office's, never home's.
check "office stopped → only office's section shows the error, with the reason and its address" \
  bash -c "grep -q 'The last refresh failed: .*127.0.0.1:$office_port' '$out/texts-error.txt' && ! grep -q 'The last refresh failed: .*127.0.0.1:$home_port' '$out/texts-error.txt' && [ \$(grep 'The last refresh failed' '$out/texts-error.txt' | sort -u | wc -l) -eq 1 ]"
check "office stopped → home's refresh never failed" bash -c "! grep -q 'proxmon: \[home\] refresh [a-z-]*:' '$out/popup.log'"
check "office stopped → both sections still there, home's nodes still listed" \
  bash -c "grep -qxF home '$out/texts-error.txt' && grep -qxF office '$out/texts-error.txt' && [ \"\$(grep -cxF '2 of 2 guests running' '$out/texts-error.txt')\" -eq 2 ]"
check "office stopped → the panel's error badge is on, the heading says one fails" \
  bash -c "grep -qxF '!' '$out/texts-error.txt' && grep -qxF '1 of 2 connections fail' '$out/texts-error.txt'"
# shellcheck disable=SC2016 # JavaScript, not shell
check "office stopped → home keeps refreshing on time (one /cluster/resources per ${REFRESH} s)" js '
  const line = require("fs").readFileSync(process.argv[1], "utf8").split("\n").find((l) => l.startsWith("home-requests "));
  if (!line) process.exit(1);
  const [, a, b, secs] = line.split(" ").map(Number);
  const want = Math.floor(secs / Number(process.argv[2])) - 1;
  if (!(b - a >= want && want >= 2)) { console.error(line); process.exit(1); }' "$s" "$REFRESH"
check "office restarted → recovered by itself" grep -q '^office-recovered' "$s"
check "office recovered → no error shown, the badge is off" \
  bash -c "! grep -qxF '!' '$out/texts-recovered.txt' && ! grep -q 'The last refresh failed' '$out/texts-recovered.txt' && grep -qxF 'all connections answer' '$out/texts-recovered.txt'"
check "collapsed: a closed section shows its heading, not its nodes; the other stays open" \
  bash -c "grep -qxF office '$out/texts-collapsed.txt' && grep -qxF home '$out/texts-collapsed.txt' && [ \"\$(grep -cxF '2 of 2 guests running' '$out/texts-collapsed.txt')\" -eq 1 ]"
check "collapsed: plasmoidviewer ran, no QML/JS errors from the package" rc_is "$out/collapsed.rc" 0
check "actions: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/act.rc" 0
check "actions: the action was sent on both connections' guests" \
  bash -c "! grep -q 'not-sent' '$out/act-script.log' && grep -q '^done' '$out/act-script.log'"
check "actions: the second connection's entry was enabled (its own actions token and secret)" \
  grep -q 'proxmon-test: entry home enabled' "$out/act.log"
# shellcheck disable=SC2016 # JavaScript, not shell
for pair in "home:$home_actions" "office:$office_actions"; do
  site=${pair%%:*} id=${pair#*:}
  check "actions: $site's shutdown reached $site's simulator once, signed with $site's actions token ($id), never the monitoring token" js '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const [id, monitor] = process.argv.slice(2);
    const post = "POST /nodes/pve1/qemu/100/status/shutdown";
    const mine = (s.byToken[id] || {})[post] || 0;
    const posts = Object.keys(s.byRequest).filter((k) => k.indexOf("POST ") === 0);
    const byMonitor = Object.keys(s.byToken[monitor] || {}).filter((k) => k.indexOf("POST ") === 0);
    const ok = mine === 1 && posts.length === 1 && s.byRequest[post] === 1 && byMonitor.length === 0;
    if (!ok) console.error(JSON.stringify(s.byToken));
    process.exit(ok ? 0 : 1);' "$out/stats-$site.json" "$id" "$token_id"
done
# shellcheck disable=SC2016 # JavaScript, not shell
check "actions: each actions secret was read from its own KDE Wallet entry (actions token ID @ first address : port)" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const read = (key) => calls.some((c) => c.member === "readPassword" && c.folder === "ProxMon Plasma Widget" && c.key === key && c.found);
  process.exit(read(process.argv[2]) && read(process.argv[3]) ? 0 : 1);' "$out/wallet-calls.jsonl" "$home_actions_key" "$office_actions_key"
check "actions: the journal names each connection's confirmed action" \
  bash -c "grep -q 'proxmon: \[home\] actions: shutdown of 100 confirmed' '$out/act.log' && grep -q 'proxmon: \[office\] actions: shutdown of 100 confirmed' '$out/act.log'"
check "hygiene: command lines were sampled" test "$(grep -c plasmoidviewer "$out/ps-samples.txt" 2>/dev/null || echo 0)" -gt 0
check "hygiene: no secret (monitoring or actions) in a viewer log or the simulators' stats" test ! -s "$out/hygiene-logs.txt"
check "hygiene: no file in the test HOME holds a secret" test ! -s "$out/hygiene-home.txt"
check "hygiene: no command line seen during the runs holds a secret" test "$(cat "$out/hygiene-ps.txt" 2>/dev/null || echo x)" = 0
for shot in popup error collapsed; do
  check "screenshot $shot: written and not blank" colors_over "$out/$shot.colors" 20
done

mkdir -p screenshots
cp "$out/collapsed-window.png" screenshots/connections-popup.png 2>/dev/null || true
cp "$out/error-window.png" screenshots/connections-error.png 2>/dev/null || true

diagnose() {
  show_ends tail 30 script.log recorder.err wallet.err sim-home/sim.err sim-office/sim.err
  show_ends head 20 "$out"/*.errors
  show_ends tail 40 popup.log
}
finish diagnose
