#!/usr/bin/env bash
# The widget in German, in a real Plasma 6.3 (Debian 13 root, see
# tests/plasma/README.md): plasmoidviewer with LANGUAGE=de against the
# simulator on the host's 127.0.0.1, the package staged with its compiled
# catalogue (contents/locale/de/LC_MESSAGES/plasma_applet_<id>.mo, from
# po/de.po) and installed with kpackagetool6, as install.sh and a .plasmoid
# do: Plasma 6.3 reads an installed widget's contents/locale (an unpacked
# folder given to plasmoidviewer -a DIR stays English). Proves the whole
# path: Plasma finds the package's own translations, QML's i18n uses them,
# and the core's texts (handed to QML's i18n through the injected
# translator) come out German too:
#   popup         every visible text of the popup and the panel item, read
#                 from the live scene (package.sh --test-dump-texts): German
#                 words of QML's own strings, none of their English originals
#   notification  VM 105 stopped on the simulator → one Notify whose summary
#                 and body the core composed, in German, with the German
#                 "Open web UI" action label from QML
# glibc's gettext ignores LANGUAGE under the C locale, the only one the root
# has; rather than a locales package in the root, de_DE.UTF-8 is compiled at
# run time (the root's localedef, the host's locale sources from Debian's
# locales package) into /out/i18n/locale and used through LOCPATH.
# Screenshot: screenshots/popup-de.png.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=i18n
REFRESH=5
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  log=$dir/de.log
  mkdir -p locale
  I18NPATH=$dir/i18n-src localedef -i de_DE -f UTF-8 "$dir/locale/de_DE.UTF-8" >localedef.txt 2>&1 || true
  export LOCPATH=$dir/locale LANG=de_DE.UTF-8 LANGUAGE=de
  trust_sim_ca
  install_widget_icon
  kpackagetool6 -t Plasma/Applet -i "$dir/de-pkg" >kpackagetool.txt 2>&1 || true
  find "$HOME/.local/share/plasma/plasmoids/org.kde.plasma.proxmox/contents/locale" -name '*.mo' >installed-mo.txt 2>/dev/null || true
  start_recorder

  notifies() { grep -c '"member": "Notify"' notifications.jsonl 2>/dev/null || true; }
  (
    set +e
    : >script.log
    wait_log 'proxmon: refresh ok' 60 || echo "no-refresh" >>script.log
    # Two dumps of the texts after the first data, so the popup shows it all.
    n=$(log_count 'proxmon-test: texts [0-9]+ end')
    wait_log 'proxmon-test: texts [0-9]+ end' 20 $((n + 2)) || echo "no-texts" >>script.log
    import -window root popup-de.png 2>/dev/null
    simcmd stop '{"cmd":"action","action":{"action":"stop","vmid":105}}' >action-stop.json
    for _ in $(seq $(((REFRESH + 10) * 10))); do [ "$(notifies)" -gt 0 ] && break; sleep 0.1; done
    sleep 1
    echo "done" >>script.log
  ) &
  scripter=$!
  run_applet de -a org.kde.plasma.proxmox -s 600x120 -c org.kde.panel -f horizontal -l topedge \
    -t 150 -d 1 -W "$dir/script.log=^done"
  stop_pid "$scripter" "$recorder_pid"
  crop_window popup-de 445x620
  count_colors popup-de-window.png popup-de.colors
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
if [ ! -d /usr/share/i18n/locales ] || [ ! -d /usr/share/i18n/charmaps ]; then
  echo "not ok - the host has no locale sources (/usr/share/i18n): install Debian's locales package (scripts/install-test-deps.sh)"
  exit 1
fi
mkdir -p "$out/i18n-src"
cp -R /usr/share/i18n/locales /usr/share/i18n/charmaps "$out/i18n-src/"
start_simulator examples/scenario-basic.json "$out"
stage_package de "${sim_settings[@]}" --test-default "refreshInterval=$REFRESH" \
  --test-default expandedNodes=node/pve2 --test-dump-texts --test-secret-file "$out/secret.txt"

run_in_session -e LANGUAGE=de
stop_host_process

# ---------------------------------------------------------------- the checks
# The last complete dump of the popup's texts, one per line.
last=$(grep -o 'proxmon-test: texts [0-9]* end' "$out/de.log" 2>/dev/null | tail -n 1 | grep -o '[0-9]*' || true)
sed -n "/proxmon-test: texts ${last:-x} begin/,/proxmon-test: texts ${last:-x} end/p" "$out/de.log" 2>/dev/null |
  sed -n 's/.*proxmon-test: text: //p' >"$out/texts.txt"
has() { grep -qE -- "$1" "$out/texts.txt"; }
hasnt() { ! grep -qE -- "$1" "$out/texts.txt"; }
notify_is() { # notify_is JS-CONDITION-ON-n (the first Notify)
  node -e '
    const calls = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)
      .map((l) => JSON.parse(l)).filter((c) => c.member === "Notify");
    const n = calls[0];
    const ok = n !== undefined && new Function("n", "return " + process.argv[2])(n.args);
    if (!ok) console.error(JSON.stringify(calls, null, 1));
    process.exit(ok ? 0 : 1);' "$out/notifications.jsonl" "$1"
}

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "de: the de_DE.UTF-8 locale was compiled inside the root" test -s "$out/locale/de_DE.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES"
check "de: plasmoidviewer ran, waits met, no QML/JS errors from the package" rc_is "$out/de.rc" 0
check "de: the installed widget carries contents/locale/de/LC_MESSAGES/plasma_applet_org.kde.plasma.proxmox.mo" \
  grep -q '/contents/locale/de/LC_MESSAGES/plasma_applet_org.kde.plasma.proxmox.mo$' "$out/installed-mo.txt"
check "de: live data from the simulator (refresh ok)" grep -q 'proxmon: refresh ok' "$out/de.log"
check "popup: the texts were read from the scene ($(wc -l <"$out/texts.txt") texts)" test "$(wc -l <"$out/texts.txt")" -ge 10
check "popup: the cluster header is German (\"Quorum vorhanden\")" has '^Quorum vorhanden( ·|$)'
check "popup: the node cards are German (\"… von … Gästen laufen\", \"läuft seit …\")" \
  eval 'has "von [0-9]+ Gästen laufen" && has "^läuft seit "'
check "popup: none of the English originals (guests running, Quorate, up …, Refresh now)" \
  eval 'hasnt "guests? running" && hasnt "^Quorate" && hasnt "^up [0-9]" && hasnt "^Refresh now$"'
check "notification: one arrived after VM 105 stopped" notify_is 'true'
check "notification: the core's title in German (\"grafana wurde gestoppt\")" notify_is 'n.summary === "grafana wurde gestoppt"'
check "notification: the core's body in German (\"grafana (105) wurde auf … gestoppt\")" \
  notify_is '/^grafana \(105\) wurde auf pve[0-9] gestoppt$/.test(n.body)'
check "notification: the QML action label in German (\"Web-Oberfläche öffnen\")" \
  notify_is 'n.actions[1] === "Web-Oberfläche öffnen"'
check "screenshot popup-de: written and not blank" colors_over "$out/popup-de.colors" 20

mkdir -p screenshots
cp "$out/popup-de-window.png" screenshots/popup-de.png 2>/dev/null || true

diagnose() {
  show_ends tail 20 localedef.txt kpackagetool.txt script.log recorder.err de.errors texts.txt
  show_ends tail 5 notifications.jsonl
}
finish diagnose
