#!/usr/bin/env bash
# The widget's component tests (tests/plasma/components: the popup, the
# settings pages, the graphs, search and views; tests/plasma/actions: the
# power actions and their settings page) on the Plasma 5 edition: the same
# test files with their imports in the Qt 5 form
# (scripts/plasma5.mjs tests), over the Plasma 5 package's contents/ui, in
# Qt 5.15's qmltestrunner inside the Debian 12 root, where Kirigami 2,
# Plasma Components 3 and KDeclarative's KCM module resolve as in Plasma
# 5.27's plasmashell. Their renders (panel, settings pages) go to
# screenshots/plasma5/.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=components
# shellcheck source-path=SCRIPTDIR source=../plasma/lib/common.sh
. "$(dirname "$0")/../plasma/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  src=$dir/tree/tests/plasma/components
  export QT_QUICK_CONTROLS_STYLE=org.kde.desktop
  install_widget_icon
  for t in widget_components settings_pages graphs popup_search; do
    record_rc "$t" /usr/lib/qt5/bin/qmltestrunner -import "$src/imports" -input "$src/tst_$t.qml" \
      -o "$dir/$t.txt,txt" >"$dir/$t.out" 2>&1
  done
  record_rc guest_actions /usr/lib/qt5/bin/qmltestrunner -import "$src/imports" \
    -input "$dir/tree/tests/plasma/actions/tst_guest_actions.qml" -o "$dir/guest_actions.txt,txt" >"$dir/guest_actions.out" 2>&1
  for f in panel-horizontal panel-vertical; do
    if [ -s "$f.png" ]; then convert "$f.png" -filter point -resize 200% "$f-2x.png" 2>/dev/null || true; fi
  done
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
# The Plasma 5 package as users get it, and beside it the component tests
# where their relative import ("../../../contents/ui") finds it.
bash scripts/package.sh --plasma5 --stage "$out/tree" >/dev/null
node scripts/plasma5.mjs tests tests/plasma/components "$out/tree/tests/plasma/components"
node scripts/plasma5.mjs tests tests/plasma/actions "$out/tree/tests/plasma/actions"
# Their renders go to this run's folder, not to the Plasma 6 tests' ones.
sed -i 's|"/out/graphs/"|"/out/components/"|; s|"/out/actions/"|"/out/components/"|' \
  "$out/tree/tests/plasma/components/tst_graphs.qml" "$out/tree/tests/plasma/actions/tst_guest_actions.qml"
imports=$out/tree/tests/plasma/components/imports/org/kde/plasma/plasmoid
mkdir -p "$imports"
node scripts/plasma5.mjs tests tests/plasma/components/imports/org/kde/plasma/plasmoid "$imports"
# Plasma 5's import is "org.kde.plasma.plasmoid 2.0": the stand-in answers it.
sed -i 's/^singleton Plasmoid 1.0 /singleton Plasmoid 2.0 /' "$imports/qmldir"

run_rc=0
bash "$root_sh" run -e KDE_SESSION_VERSION=5 -- bash scripts/plasma-host/session.sh \
  bash "tests/plasma5/$(basename "$0")" --in-session || run_rc=$?

# ---------------------------------------------------------------- the checks
check "root.sh run (Debian 12, Plasma 5.27): the session inside exited cleanly" test "$run_rc" -eq 0
# passed FILE FUNCTION: qmltestrunner reported PASS for it.
passed() { grep -Eq "^PASS +: .*::$2\(\)" "$out/$1.txt"; }
# clean FILE: no warning from the package's own QML (a TypeError, a binding
# loop, a failed assignment), but two loops of Plasma 5's own bindings that
# Qt 5 reports at the widget's files: PlasmaComponents3.Label's
# verticalAlignment (see test-widget.sh), and Kirigami 2's FormLayout's
# `Layout.preferredHeight: lay.implicitHeight` on a settings page's form
# that holds wrapping text (FormLayout.qml; Kirigami 6 has no such binding).
clean() {
  ! grep -E 'file:///out/components/tree/contents/' "$out/$1.txt" "$out/$1.out" |
    grep -Ev 'QML (Label|Heading): Binding loop detected for property "verticalAlignment"' |
    grep -Ev '/contents/ui/Config[A-Za-z]+\.qml:[0-9]+:[0-9]+: QML [A-Za-z]+ \(parent or ancestor of QQuickLayoutAttached\): Binding loop detected for property "preferredHeight"'
}
for t in widget_components settings_pages graphs popup_search guest_actions; do
  check "Qt 5.15 qmltestrunner: tst_$t.qml loads (no QML errors)" bash -c "! grep -q 'QML errors\|module .* is not installed\|is not a type' '$out/$t.out'"
  check "Qt 5.15 qmltestrunner: tst_$t.qml passed" rc_is "$out/$t.rc" 0
  check_shown "Qt 5.15 qmltestrunner: tst_$t.qml, no warnings from the widget's QML" clean "$t"
done
check "settings: the Connection page renders" passed settings_pages test_connection_page
check "settings: the Behavior page renders" passed settings_pages test_behavior_page
check "settings: the Appearance page renders" passed settings_pages test_appearance_page

mkdir -p screenshots/plasma5
for f in settings-connection settings-behavior settings-appearance settings-actions actions-menu; do
  [ -s "$out/$f.png" ] && cp "$out/$f.png" "screenshots/plasma5/$f.png"
done
[ -s "$out/graphs-node-light.png" ] && cp "$out/graphs-node-light.png" screenshots/plasma5/graphs-node.png
[ -s "$out/graphs-guest-light.png" ] && cp "$out/graphs-guest-light.png" screenshots/plasma5/graphs-guest.png
[ -s "$out/panel-horizontal-2x.png" ] && cp "$out/panel-horizontal-2x.png" screenshots/plasma5/panel.png
[ -s "$out/panel-vertical-2x.png" ] && cp "$out/panel-vertical-2x.png" screenshots/plasma5/panel-vertical.png

diagnose() {
  show_ends tail 40 widget_components.out settings_pages.out graphs.out popup_search.out guest_actions.out
  grep -h '^FAIL' "$out"/*.txt >&2 || true
}
finish diagnose
