#!/usr/bin/env bash
# The KDE Store package (`npm run package`) installed as "Get New Widgets"
# installs it: kpackagetool6 -i on the .plasmoid alone, no install.sh, no
# "proxmon" in any icon theme. Checks, in a real Plasma 6.3:
#   - the .plasmoid holds contents/icons/proxmon.svg and metadata.json points
#     the widget explorer at it ("Icon": "/icons/proxmon.svg")
#   - the panel shows the ProxMon icon (its orange pulse line, which the
#     generic fallback icon does not have), by screenshot
#   - Plasma's own widget explorer model (plasmashell's WidgetExplorer)
#     lists ProxMon with the package's SVG as its icon, and it renders
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=store-package
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# orange_pixels IMAGE: how many pixels have the icon's pulse colour (#e57000
# and its anti-aliased neighbours); 0 without an image.
orange_pixels() {
  [ -s "$1" ] || { echo 0; return; }
  convert "$1" -alpha off -depth 8 txt:- 2>/dev/null | awk -F'[(),]+' 'NR > 1 {
    r = $3; g = $4; b = $5
    if (r > 170 && g > 60 && g < 150 && b < 80 && r - g > 70) n++
  } END { print n + 0 }'
}

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  # On purpose no install_widget_icon: a Store install has no theme icon.
  find /usr/share/icons "$HOME/.local/share/icons" -name 'proxmon*' >theme-icons.txt 2>/dev/null || true
  record_rc install kpackagetool6 -t Plasma/Applet -i "$dir/org.kde.plasma.proxmox.plasmoid" >install.txt 2>&1
  installed=$HOME/.local/share/plasma/plasmoids/org.kde.plasma.proxmox
  (cd "$installed" 2>/dev/null && find . -type f | sort) >installed-files.txt || true

  # The panel: the compact item of an unconfigured widget is its icon.
  run_applet panel -a "$installed" -s 420x140 -t 40 -d 3 -c org.kde.panel -f horizontal -l bottomedge \
    -w 'proxmon: configuring'
  convert panel.png -crop 200x90+0+0 +repage panel-window.png 2>/dev/null || true
  orange_pixels panel-window.png >panel-orange.txt
  # The same panel without the packaged SVG (what a .plasmoid without it
  # gave): the generic fallback icon, for comparison.
  cp -a "$installed" without-icon
  rm without-icon/contents/icons/proxmon.svg
  run_applet panel-without-icon -a "$dir/without-icon" -s 420x140 -t 40 -d 3 -c org.kde.panel -f horizontal \
    -l bottomedge -w 'proxmon: configuring'
  convert panel-without-icon.png -crop 200x90+0+0 +repage panel-without-icon-window.png 2>/dev/null || true
  orange_pixels panel-without-icon-window.png >fallback-orange.txt

  record_rc explorer qmltest -input /proxmon/tests/plasma/store/tst_widget_explorer.qml \
    -o "$dir/explorer.txt,txt" >"$dir/explorer.out" 2>&1
  orange_pixels explorer-icon.png >explorer-orange.txt
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
bash scripts/package.sh >"$out/package.txt"
cp package/org.kde.plasma.proxmox.plasmoid "$out/"
run_in_session

# shellcheck disable=SC2016 # JavaScript, not shell
check "the .plasmoid holds contents/icons/proxmon.svg and metadata Icon \"/icons/proxmon.svg\"" python3 -c '
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
meta = json.loads(z.read("metadata.json"))
ok = "contents/icons/proxmon.svg" in names and meta["KPlugin"]["Icon"] == "/icons/proxmon.svg"
ok = ok and z.read("contents/icons/proxmon.svg") == open("contents/icons/proxmon.svg", "rb").read()
sys.exit(0 if ok else 1)' "$out/org.kde.plasma.proxmox.plasmoid"
check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "no proxmon icon in any icon theme inside the root (as after a Store install)" test ! -s "$out/theme-icons.txt"
check "kpackagetool6 -i installs the .plasmoid alone" rc_is "$out/install.rc" 0
check "the installed package holds the icon" grep -qx './contents/icons/proxmon.svg' "$out/installed-files.txt"
check "panel: plasmoidviewer ran the installed widget without QML/JS errors" rc_is "$out/panel.rc" 0
check "panel: the icon is ProxMon's, its orange pulse line $(cat "$out/panel-orange.txt" 2>/dev/null) px; without the packaged SVG $(cat "$out/fallback-orange.txt" 2>/dev/null) px" \
  bash -c '[ "$(cat "$1")" -ge 15 ] && [ "$(cat "$2")" -lt 3 ]' _ "$out/panel-orange.txt" "$out/fallback-orange.txt"
check "widget explorer: ProxMon listed with the package's SVG as its icon, and it renders" \
  grep -Eq '^PASS +: .*::test_proxmon_icon_comes_from_the_package\(\)' "$out/explorer.txt"
check "widget explorer: the rendered icon is ProxMon's, $(cat "$out/explorer-orange.txt" 2>/dev/null) orange px" \
  bash -c '[ "$(cat "$1")" -ge 40 ]' _ "$out/explorer-orange.txt"

diagnose() {
  show_ends tail 20 install.txt theme-icons.txt explorer.out panel.errors
  grep -E '^(FAIL!|QDEBUG|QWARN)|Loc:' "$out/explorer.txt" >&2 || true
}
finish diagnose
