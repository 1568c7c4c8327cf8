#!/usr/bin/env bash
# The widget's QML components in qmltestrunner inside the Plasma 6.3 root
# (tests/plasma/README.md), where Kirigami, Plasma Components and KCMUtils
# resolve as in plasmashell:
#   tst_widget_components.qml  FullRepresentation / NodeCard / GuestRow /
#       StateView / CompactRepresentation over the real bundle and the demo
#       cluster: refreshes update delegates in place (none re-created when
#       nothing changed, one row updated, one removed), scroll position kept,
#       click to expand, footer triple-click → developer mode, sort box,
#       state-view buttons, aligned guest columns, compact item in
#       horizontal/vertical panels and on the desktop; at the popup's minimum
#       size the figures stay whole while names elide (Breeze and Breeze
#       Dark, screenshots/minimum-size-*.png); chip text contrast (WCAG
#       ratio >= 4.5) in the running theme's colours, focused and unfocused,
#       Breeze and Breeze Dark
#   tst_settings_pages.qml     the Connection, Connections, Behavior and
#       Appearance settings pages, rendered for screenshots
#       (screenshots/settings-*.png, connections-settings.png); the
#       Connections list edited through its own fields and buttons
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=components
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  src=/proxmon/tests/plasma/components
  # The desktop style, as Plasma's settings dialog uses it.
  export QT_QUICK_CONTROLS_STYLE=org.kde.desktop
  install_widget_icon
  for t in widget_components settings_pages; do
    record_rc "$t" qmltest -import "$src/imports" -input "$src/tst_$t.qml" \
      -o "$dir/$t.txt,txt" -o "$dir/$t.xml,xunitxml" >"$dir/$t.out" 2>&1
  done
  mv minimum-size.png minimum-size-light.png 2>/dev/null || true
  mv chips.png chips-light.png 2>/dev/null || true
  # The same layout and contrast checks in Breeze Dark.
  plasma-apply-colorscheme BreezeDark >colorscheme.txt 2>&1 || true
  record_rc widget_dark qmltest -import "$src/imports" -input "$src/tst_widget_components.qml" \
    -o "$dir/widget_dark.txt,txt" WidgetComponents::test_13_minimum_size_keeps_figures_whole \
    WidgetComponents::test_14_chip_contrast >"$dir/widget_dark.out" 2>&1
  mv minimum-size.png minimum-size-dark.png 2>/dev/null || true
  mv chips.png chips-dark.png 2>/dev/null || true
  plasma-apply-colorscheme BreezeLight >>colorscheme.txt 2>&1 || true
  # Panel strips are tiny: enlarge them for the README.
  for f in panel-horizontal panel-vertical; do
    if [ -s "$f.png" ]; then convert "$f.png" -filter point -resize 200% "$f-2x.png" 2>/dev/null || true; fi
  done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
run_in_session

# passed FILE FUNCTION: qmltestrunner reported PASS (or the expected XFAIL) for it.
passed() { grep -Eq "^(PASS|XFAIL) +: .*::$2\(\)" "$1" && ! grep -Eq "^(FAIL!|XPASS) +: .*::$2\(\)" "$1"; }
# No warning from the package's own QML (a TypeError, a failed assignment).
clean() { ! grep -E 'file:///proxmon/contents/' "$1"; }
w=$out/widget_components.txt
s=$out/settings_pages.txt
d=$out/widget_dark.txt
# passed_row FILE FUNCTION TAG: one row of a data-driven test passed.
passed_row() { grep -Eq "^PASS +: .*::$2\($3\)" "$1" && ! grep -Eq "^FAIL! +: .*::$2\($3\)" "$1"; }

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "a refresh that changed nothing re-creates no delegate (same view, equal view, re-published snapshot)" passed "$w" test_01_unchanged_refresh_recreates_no_delegate
check "a guest's CPU changed: the same row delegate shows the new text" passed "$w" test_02_changed_cpu_updates_the_row_in_place
check "a guest removed: exactly its delegate goes, no other is re-created" passed "$w" test_03_removed_guest_removes_exactly_one_delegate
check "a real demo refresh keeps the list's contentY and its node cards" passed "$w" test_04_scroll_position_survives_a_real_refresh
check "a click on a node shows its guests, a second hides them (card kept)" passed "$w" test_05_click_expands_and_collapses_a_node
check "three clicks on the footer toggle developer mode (label shown, names anonymised), two do not" passed "$w" test_06_triple_click_on_the_footer_toggles_developer_mode
check "developer mode keeps expanded nodes open and remembers real node keys" passed "$w" test_07_developer_mode_keeps_expanded_nodes
check "the sort box re-sorts by name, moving cards instead of rebuilding them" passed "$w" test_08_sort_combobox_reorders_in_place
check "not configured: \"Try the demo cluster\" and \"Configure…\" call the widget" passed "$w" test_09_state_view_buttons
check "guest rows: VMID, CPU and memory columns at the same x in every row" passed "$w" test_10_guest_columns_are_aligned
check "compact: side by side in a horizontal panel, stacked in a vertical one, icon only on the desktop; clicks" passed "$w" test_11_compact_in_panels_and_on_the_desktop
for scheme in Breeze:"$w" "Breeze Dark:$d"; do
  f=${scheme#*:} scheme=${scheme%%:*}
  check "$scheme, minimum size: node and guest figures inside their rows and not elided, long names elided, lock badge \"backup\" with its tooltip" \
    passed "$f" test_13_minimum_size_keeps_figures_whole
  for state in focused unfocused; do
    check "$scheme, $state window: chip text contrast >= 4.5 in the theme's colours" passed_row "$f" test_14_chip_contrast "$state"
  done
done
check "Breeze Dark run: qmltestrunner passed" grep -q '^0$' "$out/widget_dark.rc"
check "component tests: qmltestrunner passed overall" grep -q '^0$' "$out/widget_components.rc"
check_shown "component tests: no warnings from the widget's QML" clean "$w"
check "settings: the Connection page loads and renders" passed "$s" test_connection_page
check "settings: the Behavior page loads and renders" passed "$s" test_behavior_page
check "settings: the Appearance page shows and sets the panel label and the row density" passed "$s" test_appearance_page
check "settings: the Connections page shows the list, adds, checks, moves, switches off and removes; no secret in a cfg_ value" \
  passed "$s" test_connections_page
check "settings: with a separate actions token each connection has its own actions token ID (the first's in the old key) and secret, never in a cfg_ value" \
  passed "$s" test_connections_page_actions_tokens
check "settings: with a list written, the Connection page points to Connections" passed "$s" test_connection_page_with_a_list
check_shown "settings pages: no warnings from the widget's QML" clean "$s"
check "panel screenshots: the compact item on a real panel background, horizontal and vertical" \
  bash -c "grep -Eq '^PASS +: .*::test_12_panel_screenshots' '$w' && test -s '$out/panel-horizontal-2x.png' && test -s '$out/panel-vertical-2x.png'"

mkdir -p screenshots
for f in settings-connection settings-behavior settings-appearance; do
  [ -s "$out/$f.png" ] && cp "$out/$f.png" "screenshots/$f.png"
done
[ -s "$out/settings-connections.png" ] && cp "$out/settings-connections.png" screenshots/connections-settings.png
for f in minimum-size-light minimum-size-dark; do
  [ -s "$out/$f.png" ] && cp "$out/$f.png" "screenshots/$f.png"
done
# The measured ratios, for the record (docs and reports quote them).
grep -h 'chip-contrast' "$out/widget_components.txt" "$d" 2>/dev/null | sed 's/.*qml: //' >"$out/contrast.txt" || true
[ -s "$out/panel-horizontal-2x.png" ] && cp "$out/panel-horizontal-2x.png" screenshots/panel.png
[ -s "$out/panel-vertical-2x.png" ] && cp "$out/panel-vertical-2x.png" screenshots/panel-vertical.png

diagnose() {
  for f in "$out"/*.txt; do
    grep -E '^(FAIL!|XPASS)|Loc:|file:///proxmon/contents/' "$f" | head -n 30 >&2 || true
  done
}
finish diagnose
