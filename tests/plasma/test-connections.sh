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
#     connection's session by tests/plasma/connections/ActionHooks.qml) reaches
#     that connection's simulator signed with that connection's actions token
#     (the simulator counts requests per signing token), and no secret shows
#     up in a log, a file of the test HOME or a command line.
#   the keyboard over both sections (real X key events, search/xinput.py):
#     Down from the search field walks office's header, its cards, home's
#     header and a card of home's (the same node names in both: only the
#     focused one is marked); Enter opens home's node, Down reaches its
#     guest row, End/Home reach the last card and the first header (in
#     view); Enter on office's header closes it and Down then skips its
#     cards; Space closes and opens home's; Enter on a guest row asks home's
#     façade for that row's menu.
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


  # The keyboard over both sections, with real X key events; the state the
  # hooks log (tests/plasma/connections/KeyboardHooks.qml) after each key.
  log=$dir/keys.log
  kstate() { grep -a 'proxmon-test: {' "$log" 2>/dev/null | tail -n 1 | sed 's/.*proxmon-test: //'; }
  # wait_state PYTHON-EXPR SECONDS: until the last state satisfies it
  # (s: the state; o, h: office's and home's sections, in the order drawn).
  wait_state() {
    local end=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$end" ]; do
      if kstate | python3 -c "import json,sys
s=json.load(sys.stdin); o=s['sections'][0]; h=s['sections'][1]
sys.exit(0 if ($1) else 1)" 2>/dev/null; then
        return 0
      fi
      sleep 0.1
    done
    return 1
  }
  # press NAME KEYSYM PYTHON-EXPR: one real key, then NAME (or NAME-missed
  # with the state) in keys-script.log once the state satisfies EXPR.
  press() {
    python3 /proxmon/tests/plasma/search/xinput.py key "$2"
    if wait_state "$3" 8; then echo "$1" >>keys-script.log; else echo "$1-missed $(kstate)" >>keys-script.log; fi
  }
  (
    set +e
    : >keys-script.log
    if ! wait_state "s['several'] and o['name'] == 'office' and h['name'] == 'home' and len(o['cards']) == 3 and len(h['cards']) == 3 and s['field'] is not None" 60; then
      echo "no-sections $(kstate)" >>keys-script.log
    fi
    sleep 1
    xy=$(kstate | python3 -c 'import json,sys; x, y = json.load(sys.stdin)["field"]; print(x, y)')
    # shellcheck disable=SC2086 # two numbers
    python3 /proxmon/tests/plasma/search/xinput.py click $xy
    wait_state "s['fieldFocus']" 5 || echo "field-not-focused" >>keys-script.log
    press office-header Down "s['focus'] == o['key'] and s['kind'] == 'connection' and o['headerFocused'] and o['headerInView'] and not h['headerFocused'] and s['keysFocus']"
    press office-card-1 Down "s['kind'] == 'node' and s['connection'] == o['key'] and s['focus'] == o['key'] + ' ' + o['cards'][0] and o['focusedCard'] == o['cards'][0] and h['focusedCard'] == '' and not o['headerFocused']"
    press office-card-2 Down "o['focusedCard'] == o['cards'][1] and h['focusedCard'] == ''"
    press office-card-3 Down "o['focusedCard'] == o['cards'][2] and h['focusedCard'] == ''"
    press home-header Down "s['focus'] == h['key'] and s['kind'] == 'connection' and h['headerFocused'] and h['headerInView'] and not o['headerFocused'] and o['focusedCard'] == ''"
    press home-card Down "s['kind'] == 'node' and s['connection'] == h['key'] and h['focusedCard'] == h['cards'][0] and h['focusedCardInView'] and o['focusedCard'] == '' and not h['headerFocused']"
    press home-node-opened Return "(h['key'] + ' ' + h['cards'][0]) in s['expandedNodes'] and not any(e.startswith(o['key'] + ' ') for e in s['expandedNodes']) and h['focusedCard'] == h['cards'][0]"
    press home-guest Down "s['kind'] == 'guest' and s['connection'] == h['key'] and h['guestFocus'] and h['guestFocusInView'] and not o['guestFocus'] and h['focusedCard'] == ''"
    press end-last-card End "s['connection'] == h['key'] and h['focusedCard'] == h['cards'][-1] and h['focusedCardInView']"
    kstate | python3 -c 'import json,sys; s=json.load(sys.stdin); print("end-scroll", s["scrolls"], s["contentY"])' >>keys-script.log
    press first-header Home "s['focus'] == o['key'] and o['headerFocused'] and o['headerInView']"
    press office-closed Return "o['key'] in s['collapsed'] and not o['expanded'] and len(o['cards']) == 0 and o['headerFocused'] and h['expanded']"
    press skipped-closed Down "s['focus'] == h['key'] and h['headerFocused'] and not o['headerFocused']"
    press space-closed space "h['key'] in s['collapsed'] and not h['expanded'] and h['headerFocused']"
    press space-opened space "h['key'] not in s['collapsed'] and h['expanded'] and len(h['cards']) == 3 and h['headerFocused']"
    press to-card Down "h['focusedCard'] == h['cards'][0]"
    press to-guest Down "s['kind'] == 'guest' and h['guestFocus']"
    press guest-menu Return "len(s['menus']) == 1 and s['menus'][0] == s['focus'] and s['menus'][0].startswith(h['key'] + ' ')"
    python3 /proxmon/tests/plasma/search/xinput.py key Escape
    echo "done" >>keys-script.log
  ) &
  scripter=$!
  run_applet keys -a "$dir/keys-pkg" -s 600x120 -c org.kde.panel -f horizontal -l topedge \
    -t 240 -d 1 -W "$dir/keys-script.log=^done"
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
  --test-hooks tests/plasma/connections/ActionHooks.qml
stage_package keys --test-default "connections=$connections" --test-default "refreshInterval=$REFRESH" \
  --test-hooks tests/plasma/connections/KeyboardHooks.qml

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
k=$out/keys-script.log
check "keys: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/keys.rc" 0
check "keys: Down from the search field focuses the first connection's header, marked and in view" grep -qx office-header "$k"
check "keys: Down walks the first connection's node cards, one marked at a time" \
  bash -c "grep -qx office-card-1 '$k' && grep -qx office-card-2 '$k' && grep -qx office-card-3 '$k'"
check "keys: Down from its last card reaches the second connection's header" grep -qx home-header "$k"
check "keys: Down reaches a node card of the second connection; the same node of the first is not marked" grep -qx home-card "$k"
check "keys: Enter opens that connection's node (its own expanded entry)" grep -qx home-node-opened "$k"
check "keys: Down reaches the open node's guest row, marked and in view" grep -qx home-guest "$k"
check "keys: End reaches the last card, scrolled into view" grep -qx end-last-card "$k"
check "keys: Home goes back to the first header" grep -qx first-header "$k"
check "keys: Enter on a header closes its section" grep -qx office-closed "$k"
check "keys: Down from a closed section's header skips its cards" grep -qx skipped-closed "$k"
check "keys: Space on a header closes and opens its section" \
  bash -c "grep -qx space-closed '$k' && grep -qx space-opened '$k'"
check "keys: Enter on a guest row asks its connection's façade for that row's menu" \
  bash -c "grep -qx to-guest '$k' && grep -qx guest-menu '$k'"
for shot in popup error collapsed; do
  check "screenshot $shot: written and not blank" colors_over "$out/$shot.colors" 20
done

mkdir -p screenshots
cp "$out/collapsed-window.png" screenshots/connections-popup.png 2>/dev/null || true
cp "$out/error-window.png" screenshots/connections-error.png 2>/dev/null || true

diagnose() {
  show_ends tail 30 script.log keys-script.log recorder.err wallet.err sim-home/sim.err sim-office/sim.err
  show_ends head 20 "$out"/*.errors
  show_ends tail 40 popup.log
}
finish diagnose
