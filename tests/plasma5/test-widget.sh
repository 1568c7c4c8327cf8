#!/usr/bin/env bash
# The Plasma 5 edition of the widget in a real Plasma 5.27 (Debian 12 root,
# scripts/plasma-host/root.sh with PROXMON_PLASMA_EDITION=5), with Debian
# 12's own plasmoidviewer, the package as scripts/package.sh --plasma5 makes
# it (generated from the shared QML by scripts/plasma5.mjs):
#   qmllint                  Qt 5.15's qmllint over every QML file of the package
#   demo-popup / demo-dark   the popup on the demo cluster, Breeze and Breeze Dark
#   demo-panel               the compact item in a horizontal panel
#   live                     against the simulator on the host's 127.0.0.1 over
#                            HTTPS (CA trusted system-wide inside the root):
#                            snapshot, one request per refresh, a change →
#                            exactly one notification on the session bus,
#                            simulator stopped → unreachable, restarted → ok
#   wallet                   the secret read from KDE Wallet through the native
#                            module (native/qt5, built inside the root) from a
#                            stand-in org.kde.kwalletd5; the secret in no log,
#                            no file of the test HOME and no command line
#   two                      two connections (issue 11) to the simulator,
#                            each with its own token and its own wallet
#                            entry: both refresh, the second signs with
#                            its own token
#   no-wallet                the same package without the module: the widget
#                            says plainly that Plasma 5 needs it
# Screenshots go to screenshots/plasma5/. Prints one "ok - …" / "not ok - …"
# line per check; exits non-zero on failure.
set -euo pipefail

NAME=widget
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=../plasma/lib/common.sh
. "$(dirname "$0")/../plasma/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  log=$dir/live.log

  trust_sim_ca
  install_widget_icon
  start_ps_sampler

  # Qt 5.15's qmllint is a syntax check: it fails on what Qt 5's parser refuses.
  : >qmllint.txt
  qmllint_rc=0
  while IFS= read -r f; do
    if ! /usr/lib/qt5/bin/qmllint "$f" >>qmllint.txt 2>&1; then qmllint_rc=1; fi
  done < <(find "$dir/demo-pkg/contents" -name '*.qml' | sort)
  [ -s qmllint.txt ] && qmllint_rc=1
  echo "$qmllint_rc" >qmllint.rc

  # The native KDE Wallet module, built against the root's Qt 5 as install.sh
  # builds it on a user's Plasma 5, into the wallet package.
  record_rc native5 bash -c "cmake -S /proxmon/native/qt5 -B /tmp/native5 -DCMAKE_BUILD_TYPE=Release -DPROXMON_QML_DIR=. &&
    cmake --build /tmp/native5 -j2 && cmake --install /tmp/native5 --prefix '$dir/wallet-pkg/contents/native'" >native5.txt 2>&1

  start_recorder
  # Plasma 5's own PlasmaComponents3.Label binds verticalAlignment to its
  # lineCount, which Qt 5 reports as a binding loop for every wrapping label
  # in a layout: Plasma's warning, not the widget's.
  # Plasma 5's plasmoidviewer draws its toolbar over the top of the screen
  # and the popup below it, at the left edge.
  crop_popup() {
    convert "$1.png" -crop 500x640+0+114 +repage -bordercolor black -border 1 -trim +repage "$1-window.png" 2>/dev/null || true
  }
  plasma5_label=(-L 'QML (Label|Heading): Binding loop detected for property "verticalAlignment"')
  popup=(-s 600x120 -c org.kde.panel -f horizontal -l topedge "${plasma5_label[@]}")

  # The KDE Store archive: kpackagetool5 installs it, and Debian 12's
  # plasmoidviewer loads its unpacked folder (a widget not set up yet).
  record_rc store-install kpackagetool5 -t Plasma/Applet -i "$dir/store.plasmoid" >store-install.txt 2>&1
  python3 -m zipfile -e "$dir/store.plasmoid" "$dir/store-pkg"
  run_applet store -a "$dir/store-pkg" "${popup[@]}" -t 30 -m 8 -d 1
  # Gone again: the hygiene scan below reads the test HOME, and the demo
  # bundle holds the demo token (the simulator's scenario uses the same).
  record_rc store-remove kpackagetool5 -t Plasma/Applet -r org.kde.plasma.proxmox >store-remove.txt 2>&1

  run_applet demo-popup -a "$dir/demo-pkg" "${popup[@]}" -t 60 -d 5 -w 'proxmon: refresh ok'
  crop_popup demo-popup
  run_applet demo-panel -a "$dir/panel-pkg" -s 420x140 -t 60 -d 3 \
    -c org.kde.panel -f horizontal -l bottomedge -w 'proxmon: refresh ok' "${plasma5_label[@]}"
  convert demo-panel.png -crop 200x90+0+0 +repage -scale 200% demo-panel-window.png 2>/dev/null || true

  # The live run, scripted from the side.
  (
    set +e
    : >script.log
    notifies() {
      local n
      n=$(grep -c '"member": *"Notify"' notifications.jsonl 2>/dev/null) || true
      echo "${n:-0}"
    }
    wait_log 'proxmon: snapshot: ' 60 || echo "no-first-snapshot" >>script.log
    sleep 2
    simcmd reset '{"cmd":"reset-stats"}' >/dev/null
    sleep $((REFRESH * 3 + 1))
    simcmd stats '{"cmd":"stats"}' >stats.json
    n0=$(notifies)
    simcmd act '{"cmd":"action","action":{"action":"stop","vmid":105}}' >action.json
    if wait_log 'proxmon: notify \[' $((REFRESH + 3)); then echo "change-seen" >>script.log; else echo "change-not-seen" >>script.log; fi
    # One more refresh: a change is told once, not again on the next one.
    sleep $((REFRESH + 2))
    echo "notify-delta $(($(notifies) - n0))" >>script.log
    import -window root live-ok.png 2>/dev/null
    simcmd stop '{"cmd":"stop"}' >/dev/null
    if wait_log 'proxmon: refresh unreachable' $((REFRESH * 3)); then echo "unreachable-seen" >>script.log; fi
    n=$(grep -c 'proxmon: refresh ok' "$log")
    simcmd restart '{"cmd":"restart"}' >/dev/null
    if wait_log 'proxmon: refresh ok' $((REFRESH * 3)) $((n + 1)); then echo "recovered" >>script.log; fi
    echo "done" >>script.log
  ) &
  scripter=$!
  run_applet live -a "$dir/live-pkg" "${popup[@]}" -t 240 -d 1 -W "$dir/script.log=^done"
  stop_pid "$scripter"
  crop_popup live-ok

  # KDE Wallet through the native module and a stand-in kwalletd5.
  python3 /proxmon/tests/plasma/keyring/kwallet-standin.py --daemon kwalletd5 --store wallet.json --seed seed.json \
    --calls wallet-calls.jsonl --ready wallet.ready 2>wallet.err &
  wallet_pid=$!
  wait_until 50 test -f wallet.ready || true
  run_applet wallet -a "$dir/wallet-pkg" "${popup[@]}" -t 60 -d 2 -w 'proxmon: snapshot: 3 nodes'
  crop_popup wallet
  # Two connections (issue 11), each with its own token and wallet entry:
  # the second's secret comes through SecretSources.qml's Instantiator.
  cp -R "$dir/wallet-pkg/contents/native" "$dir/two-pkg/contents/" 2>/dev/null || true
  run_applet two -a "$dir/two-pkg" "${popup[@]}" -t 60 -d 2 \
    -w 'proxmon: \[first\] refresh ok' -w 'proxmon: \[second\] refresh ok'
  simcmd stats-two '{"cmd":"stats"}' >stats-two.json
  # Without the module: a plain sentence instead of a secret.
  rm -rf "$dir/nowallet-pkg" && cp -R "$dir/wallet-pkg" "$dir/nowallet-pkg" && rm -rf "$dir/nowallet-pkg/contents/native"
  run_applet no-wallet -a "$dir/nowallet-pkg" "${popup[@]}" -t 40 -d 5 -w 'token secret missing: keyring unsupported-plasma5'
  crop_popup no-wallet
  stop_pid "$wallet_pid"

  # Plasma 5 keeps the Plasma style (the popup's background) apart from the
  # colour scheme: Breeze Dark is both.
  plasma-apply-colorscheme BreezeDark >colorscheme.txt 2>&1 || true
  plasma-apply-desktoptheme breeze-dark >desktoptheme.txt 2>&1 || true
  run_applet demo-dark -a "$dir/demo-pkg" "${popup[@]}" -t 60 -d 5 -w 'proxmon: refresh ok'
  crop_popup demo-dark

  stop_pid "$recorder_pid" "$sampler_pid"
  printf '%s\n' "$(cat secret.txt)" "$(cat second-secret.txt)" >all-secrets.txt
  scan_for_secrets all-secrets.txt ./*.log
  for f in demo-popup demo-panel demo-dark live-ok wallet no-wallet; do
    count_colors "$f-window.png" "$f.colors"
  done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
# The basic scenario, plus a second token for the second connection of the
# "two" run; its secret goes file to file, never on a command line.
second_token="second@pve!two"
node -e 'const fs = require("fs"); const [from, to, id, file] = process.argv.slice(1);
  const s = JSON.parse(fs.readFileSync(from, "utf8")); const secret = require("crypto").randomUUID();
  s.tokens = [{ id, secret, privileges: s.token.privileges }];
  fs.writeFileSync(file, secret + "\n"); fs.writeFileSync(to, JSON.stringify(s));' \
  examples/scenario-basic.json "$out/scenario.json" "$second_token" "$out/second-secret.txt"
start_simulator "$out/scenario.json" "$out"
first_key="$token_id@127.0.0.1:$port" second_key="$second_token@127.0.0.1:$port"
node -e 'const fs = require("fs"); const [file, out, first, second] = process.argv.slice(1);
  const read = (f) => fs.readFileSync(out + "/" + f, "utf8").replace(/\n$/, "");
  fs.writeFileSync(file, JSON.stringify({ wallets: { kdewallet: { "ProxMon Plasma Widget": {
    [first]: read("secret.txt"), [second]: read("second-secret.txt") } } } }));' \
  "$out/seed.json" "$out" "$first_key" "$second_key"
two=$(node -e 'const [p, a, b] = process.argv.slice(1); console.log(JSON.stringify([
    { name: "first", hosts: ["127.0.0.1:" + p], tokenId: a }, { name: "second", hosts: ["127.0.0.1:" + p], tokenId: b }]));' \
  "$port" "$token_id" "$second_token")

live=("${sim_settings[@]}" --test-default "refreshInterval=$REFRESH")
stage_package demo --plasma5 --test-default demoMode=true --test-default expandedNodes=node/pve2 --test-expand
stage_package panel --plasma5 --test-default demoMode=true
stage_package live --plasma5 "${live[@]}" --test-default developerMode=true \
  --test-default expandedNodes=node/pve3 --test-expand --test-secret-file "$out/secret.txt"
stage_package wallet --plasma5 "${live[@]}" --test-default developerMode=true --test-expand
stage_package two --plasma5 "${live[@]}" --test-default developerMode=true --test-expand \
  --test-default "connections=$two"
bash scripts/package.sh >/dev/null
cp package/org.kde.plasma.proxmox-plasma5.plasmoid "$out/store.plasmoid"

run_rc=0
bash "$root_sh" run -e "REFRESH=$REFRESH" -e KDE_SESSION_VERSION=5 -- bash scripts/plasma-host/session.sh \
  bash "tests/plasma5/$(basename "$0")" --in-session || run_rc=$?
stop_host_process

# ---------------------------------------------------------------- the checks
check "root.sh run (Debian 12, Plasma 5.27): the session inside exited cleanly" test "$run_rc" -eq 0
check "metadata.json: Plasma/Applet, declarativeappletscript, the same plugin id as Plasma 6" js '
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p6 = JSON.parse(require("fs").readFileSync("metadata.json", "utf8"));
  process.exit(m.KPackageStructure === "Plasma/Applet" && m["X-Plasma-API"] === "declarativeappletscript"
    && m.KPlugin.Id === p6.KPlugin.Id && !("X-Plasma-API-Minimum-Version" in m) ? 0 : 1);' "$out/demo-pkg/metadata.json"
check "qmllint (Qt 5.15): every QML file of the Plasma 5 package parses" rc_is "$out/qmllint.rc" 0
check "store: the -plasma5.plasmoid is a zip with metadata.json at its top" python3 -c '
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(0 if "metadata.json" in names and "contents/ui/main.qml" in names else 1)' "$out/store.plasmoid"
check "store: kpackagetool5 -t Plasma/Applet -i installs the -plasma5.plasmoid (and -r removes it)" \
  bash -c "grep -qx 0 '$out/store-install.rc' && grep -qx 0 '$out/store-remove.rc'"
for run in store demo-popup demo-panel demo-dark live wallet two no-wallet; do
  check "$run: Plasma 5 plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/$run.rc" 0
done
check "demo: the demo cluster loaded in Qt 5.15's engine (refresh ok)" grep -q 'proxmon: refresh ok' "$out/demo-popup.log"
check "live: HTTPS to the simulator works through the system CA store" grep -q 'proxmon: refresh ok' "$out/live.log"
check "live: the snapshot (3 nodes, 8 guests)" grep -q 'proxmon: snapshot: 3 nodes, 8 guests' "$out/live.log"
# shellcheck disable=SC2016 # JavaScript, not shell
check "live: steady-state refresh costs one request (one path, ~1 per ${REFRESH} s)" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  // History reads for the open popup'"'"'s graphs (…/rrddata) are not the refresh.
  const paths = Object.keys(s.byPath).filter((p) => p.indexOf("/rrddata") < 0);
  const total = paths.reduce((n, p) => n + s.byPath[p].count, 0);
  const ok = paths.length === 1 && total >= 2 && total <= 4;
  if (!ok) console.error(JSON.stringify(s));
  process.exit(ok ? 0 : 1);' "$out/stats.json"
check "live: a change on the server shows within one refresh" grep -q '^change-seen' "$out/script.log"
check "live: the change → exactly one notification on the session bus" grep -qx 'notify-delta 1' "$out/script.log"
# shellcheck disable=SC2016 # JavaScript, not shell
check "live: the notification (KNotifications 5) names the guest and offers \"Open web UI\"" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  process.exit(calls.some((c) => c.member === "Notify" && /grafana/.test(c.args.summary + " " + c.args.body)
    && c.args.actions.indexOf("Open web UI") >= 0) ? 0 : 1);' "$out/notifications.jsonl"
check "live: simulator stopped → unreachable shown" grep -q '^unreachable-seen' "$out/script.log"
check "live: simulator restarted → recovered" grep -q '^recovered' "$out/script.log"
check "native/qt5: the KDE Wallet module builds against Qt 5.15" rc_is "$out/native5.rc" 0
check "wallet: the secret read from KDE Wallet (kwalletd5 stand-in) through the module → snapshot" \
  grep -q 'proxmon: snapshot: 3 nodes' "$out/wallet.log"
check "wallet: the widget called readPassword on org.kde.kwalletd5" grep -q '"readPassword"' "$out/wallet-calls.jsonl"
check "two connections: both refresh, each named in the journal" \
  bash -c "grep -q 'proxmon: \[first\] refresh ok' '$out/two.log' && grep -q 'proxmon: \[second\] refresh ok' '$out/two.log'"
# shellcheck disable=SC2016 # JavaScript, not shell
check "two connections: each secret read from its own KDE Wallet entry (token ID @ first address : port)" js '
  const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const read = (key) => calls.some((c) => c.member === "readPassword" && c.key === key && c.found);
  process.exit(read(process.argv[2]) && read(process.argv[3]) ? 0 : 1);' "$out/wallet-calls.jsonl" "$first_key" "$second_key"
# shellcheck disable=SC2016 # JavaScript, not shell
check "two connections: the second connection's refreshes are signed with its own token" js '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const mine = s.byToken[process.argv[2]] || {};
  process.exit((mine["GET /cluster/resources"] || 0) >= 1 ? 0 : 1);' "$out/stats-two.json" "$second_token"
check "no-wallet: without the module the widget says Plasma 5 needs it" grep -q 'token secret missing: keyring unsupported-plasma5' "$out/no-wallet.log"
check "hygiene: the secret is in no log" test ! -s "$out/hygiene-logs.txt"
check "hygiene: the secret is in no file of the test HOME" test ! -s "$out/hygiene-home.txt"
# The sampler sees every process of the machine; another test's own grep for
# the same scenario token is not the widget's doing.
check "hygiene: the secret was on no command line" \
  bash -c "! grep -aF -f '$out/all-secrets.txt' '$out/ps-samples.txt' | grep -vq '^grep '"
for shot in demo-popup demo-panel demo-dark live-ok wallet no-wallet; do
  check "screenshot $shot: written and not blank" colors_over "$out/$shot.colors" 20
done

mkdir -p screenshots/plasma5
cp "$out/demo-popup-window.png" screenshots/plasma5/popup-light.png 2>/dev/null || true
cp "$out/demo-dark-window.png" screenshots/plasma5/popup-dark.png 2>/dev/null || true
cp "$out/live-ok-window.png" screenshots/plasma5/live-developer-mode.png 2>/dev/null || true
cp "$out/no-wallet-window.png" screenshots/plasma5/no-native-module.png 2>/dev/null || true

diagnose() {
  show_ends tail 20 qmllint.txt native5.txt recorder.err wallet.err script.log sim.err
  show_ends head 20 "$out"/*.errors
}
finish diagnose
