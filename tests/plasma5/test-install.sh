#!/usr/bin/env bash
# ./install.sh on Plasma 5.27 (the Debian 12 root, with Debian 12's own
# Node.js 18 and the build tools): it detects Plasma 5, generates the Plasma
# 5 package, builds the native KDE Wallet and TLS modules against Qt 5 into it and
# installs it with kpackagetool5; ./uninstall.sh removes it again.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=install
# shellcheck source-path=SCRIPTDIR source=../plasma/lib/common.sh
. "$(dirname "$0")/../plasma/lib/common.sh"

ID=org.kde.plasma.proxmox
# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  # The checkout is read-only here: --prebuilt uses its built bundles.
  # (An installed id, not a folder: run-applet.sh then checks every QML file
  # for errors, Kirigami 2's own too; its InlineMessage's binding loop is
  # Kirigami's, not the widget's.)
  record_rc install bash /proxmon/install.sh --prebuilt >install.out 2>&1
  installed=$HOME/.local/share/plasma/plasmoids/$ID
  kpackagetool5 -t Plasma/Applet -l >list.txt 2>&1 || true
  cp "$installed/metadata.json" installed-metadata.json 2>/dev/null || true
  [ -f "$installed/contents/native/org/kde/proxmon/wallet/qmldir" ] && echo yes >wallet-module.txt
  [ -f "$installed/contents/native/org/kde/proxmon/tls/qmldir" ] &&
    [ -f "$installed/contents/native/org/kde/proxmon/tls/libproxmontls.so" ] &&
    [ -f "$installed/contents/native/org/kde/proxmon/tls/NativeTransport.qml" ] && echo yes >tls-module.txt
  run_applet installed -a "$ID" -s 600x120 -c org.kde.panel -f horizontal -l topedge -t 30 -m 6 -d 1 \
    -L 'QML (Label|Heading): Binding loop detected for property "verticalAlignment"' \
    -L 'kirigami.2/templates/InlineMessage.qml:[0-9:]+ QML SelectableLabel: Binding loop'
  record_rc uninstall bash /proxmon/uninstall.sh >uninstall.out 2>&1
  kpackagetool5 -t Plasma/Applet -l >list-after.txt 2>&1 || true
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
run_rc=0
bash "$root_sh" run -e KDE_SESSION_VERSION=5 -- bash scripts/plasma-host/session.sh \
  bash "tests/plasma5/$(basename "$0")" --in-session || run_rc=$?

check "root.sh run (Debian 12, Plasma 5.27): the session inside exited cleanly" test "$run_rc" -eq 0
check "install.sh: succeeds on Plasma 5.27" rc_is "$out/install.rc" 0
check "install.sh: detects Plasma 5 and says so" grep -q 'Installing the Plasma 5 edition' "$out/install.out"
check "install.sh: finds KF5's chart module (Qt 5's QML folder), asks for no Qt 6 package" \
  bash -c "! grep -q 'chart module' '$out/install.out' && ! grep -q 'qml6-module' '$out/install.out'"
check "install.sh: builds the native KDE Wallet module against Qt 5" grep -q 'KDE Wallet available' "$out/install.out"
check "install.sh: the installed package holds the wallet module" file_is "$out/wallet-module.txt" yes
check "install.sh: builds the native TLS module against Qt 5 too (pinning available)" grep -q 'certificate pinning available' "$out/install.out"
check "install.sh: the installed package holds the TLS module (plugin, qmldir, NativeTransport.qml)" file_is "$out/tls-module.txt" yes
check "install.sh: kpackagetool5 -l lists $ID" grep -qx "$ID" "$out/list.txt"
check "install.sh: the installed metadata.json is the Plasma 5 one" grep -q declarativeappletscript "$out/installed-metadata.json"
check "installed: plasmoidviewer loads the installed widget by its id, no QML errors" rc_is "$out/installed.rc" 0
check "uninstall.sh: removes it (kpackagetool5)" bash -c "grep -qx 0 '$out/uninstall.rc' && ! grep -qx '$ID' '$out/list-after.txt'"

diagnose() {
  show_ends tail 30 install.out uninstall.out installed.log
}
finish diagnose
