#!/usr/bin/env bash
# Where the widget sits and how its chips read, in the real applet inside a
# real Plasma 6.3 (tests/plasma/README.md). The staged package carries
# tests/plasma/layout/TestHooks.qml, which logs the widget's geometry and its
# chips' colours as "proxmon-test: {json}" lines, first with the viewer's
# window focused, then after a window of its own took the focus.
#   install-demo / install-demo-dark   plasmoidviewer exactly as
#        `./install.sh --demo` starts it (its options are read from
#        install.sh), Breeze and Breeze Dark: the whole widget inside the
#        window, chip text contrast >= 4.5 focused and unfocused
# (Layout at the minimum size is checked in test-components.sh.)
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=layout
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# The plasmoidviewer options of `./install.sh --demo`, one word each.
viewer_options() {
  sed -n 's/^ *demo_viewer_options=(\(.*\))$/\1/p' "$1" | tr ' ' '\n' | grep .
}

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  install_widget_icon
  mapfile -t opts < <(viewer_options /proxmon/install.sh)
  printf '%s\n' "${opts[@]}" >viewer-options.txt
  run_applet install-demo -a "$dir/demo-pkg" "${opts[@]}" -t 60 -d 1 -w 'proxmon-test: done'
  plasma-apply-colorscheme BreezeDark >colorscheme.txt 2>&1 || true
  run_applet install-demo-dark -a "$dir/demo-pkg" "${opts[@]}" -t 60 -d 1 -w 'proxmon-test: done'
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
stage_package demo --test-default demoMode=true --test-default expandedNodes=node/pve2 \
  --test-hooks tests/plasma/layout/TestHooks.qml
run_in_session

# measured LOG: the hook's JSON lines → $out/LOG.json (an array).
measured() {
  grep -o 'proxmon-test: {.*' "$out/$1.log" 2>/dev/null | sed 's/^proxmon-test: //' |
    node -e 'const l = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
      process.stdout.write(JSON.stringify(l.map((x) => JSON.parse(x))));' >"$out/$1.json" 2>/dev/null || echo '[]' >"$out/$1.json"
}
# shellcheck disable=SC2016 # JavaScript, not shell
inside_window='
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const ok = m.length === 2 && m.every((s) => {
    const [x, y, w, h] = s.full, [W, H] = s.window;
    return x >= 0 && y >= 0 && x + w <= W && y + h <= H;
  });
  if (!ok) console.error(JSON.stringify(m.map((s) => ({ full: s.full, plasmoid: s.plasmoid, window: s.window }))));
  process.exit(ok ? 0 : 1);'
# shellcheck disable=SC2016 # JavaScript, not shell
contrast='
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const s = m.find((x) => x.state === process.argv[2]);
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  if (!s || s.chips.length < 5) process.exit(1);
  let worst = null;
  for (const c of s.chips) {
    const r = ratio(c.fg, c.bg);
    if (c.bg[3] !== 255 || !worst || r < worst.r) worst = { r: c.bg[3] !== 255 ? 0 : r, text: c.text };
  }
  // The old chip: its tint as text on the card (alternate background at half opacity over the background).
  const card = (c) => c.themeAlt.map((v, i) => v * 0.5 + c.themeBg[i] * 0.5);
  const before = Math.min.apply(null, s.chips.map((c) => ratio(c.tint, card(c))));
  console.log(process.argv[3] + " " + s.state + " (window active: " + s.active + "): min " + worst.r.toFixed(2) + " (" + worst.text + "), " + s.chips.length + " chips; the old chip colours: min " + before.toFixed(2));
  process.exit(worst.r >= 4.5 ? 0 : 1);'

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "install.sh --demo's plasmoidviewer options found in install.sh" test -s "$out/viewer-options.txt"
: >"$out/contrast.txt"
for run in install-demo:Breeze "install-demo-dark:Breeze Dark"; do
  scheme=${run#*:} run=${run%%:*}
  measured "$run"
  check "$scheme: plasmoidviewer as install.sh --demo runs it: loaded, no QML/JS errors" rc_is "$out/$run.rc" 0
  check "$scheme: the whole widget is inside the plasmoidviewer window" js "$inside_window" "$out/$run.json"
  check "$scheme: the second window took the focus (the unfocused case is real)" js '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    process.exit(m.length === 2 && m[0].active === true && m[1].active === false ? 0 : 1);' "$out/$run.json"
  for state in focused unfocused; do
    check "$scheme, $state: chip text contrast >= 4.5 in the applet's own colours" \
      bash -c 'node -e "$1" "$2" "$3" "$4" >>"$5"' _ "$contrast" "$out/$run.json" "$state" "$scheme" "$out/contrast.txt"
  done
done
cat "$out/contrast.txt"

diagnose() {
  show_ends tail 20 install-demo.errors install-demo-dark.errors
  show_ends tail 5 install-demo.json install-demo-dark.json
}
finish diagnose
