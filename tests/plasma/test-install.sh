#!/usr/bin/env bash
# install.sh and uninstall.sh for real, inside the Plasma 6.3 root
# (tests/plasma/README.md), from the read-only checkout at /proxmon, with a
# fresh HOME like a user's:
#   install → kpackagetool6 lists the widget, the icon is there; a second
#   run upgrades; --prebuilt works; a read-only checkout with npm builds in
#   a copy; plasmawindowed runs the installed widget without QML errors;
#   uninstall removes package and icon; --purge removes the settings that
#   plasmawindowed wrote and ProxMon's own folders; without kpackagetool6 on
#   PATH, install.sh says which package to install.
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
set -euo pipefail

NAME=install
ID=org.kde.plasma.proxmox
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  export HOME=/tmp/user-home
  rm -rf "$HOME"
  mkdir -p "$HOME"
  unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
  step() { # step NAME CMD... → NAME.out, NAME.rc
    record_rc "$1" "${@:2}" >"$1.out" 2>&1
  }
  listed() { kpackagetool6 -t Plasma/Applet -l 2>/dev/null | grep -qx "$ID" && echo yes || echo no; }
  icon=$HOME/.local/share/icons/hicolor/scalable/apps/proxmon.svg

  step install1 bash /proxmon/install.sh
  listed >install1.listed
  find "$HOME/.local/share/plasma/plasmoids/$ID" -type f | sort >install1.files
  [ -f "$icon" ] && echo yes >install1.icon || echo no >install1.icon
  step install2 bash /proxmon/install.sh
  listed >install2.listed
  step prebuilt bash /proxmon/install.sh --prebuilt

  # A user with npm and a read-only checkout: the build must run in a copy.
  # The stand-in npm records where it ran and "builds" by copying the bundle.
  mkdir -p fakebin
  cat >fakebin/npm <<'SH'
#!/bin/sh
echo "npm $* in $(pwd)" >>/out/install/npm.log
if [ "$1" = run ] && [ "$2" = build ]; then
  mkdir -p contents/code && cp /proxmon/contents/code/*.mjs contents/code/
fi
SH
  chmod +x fakebin/npm
  step readonly env PATH="$dir/fakebin:$PATH" bash /proxmon/install.sh

  # Node.js 20 without npm: install.sh must name npm, not Node.js, as missing.
  mkdir -p nonpm
  for f in /usr/bin/* /usr/local/bin/*; do
    case "$(basename "$f")" in node | nodejs | npm | npx) ;; *) ln -sf "$f" "nonpm/$(basename "$f")" ;; esac
  done
  printf '#!/bin/sh\ncase "$1" in -p) echo 20 ;; --version) echo v20.19.0 ;; esac\n' >nonpm/node
  chmod +x nonpm/node
  step nonpm env PATH="$dir/nonpm" bash /proxmon/install.sh --no-native

  # The installed widget, as a user runs it (plasmawindowed keeps settings).
  plasmawindowed "$ID" >plasmawindowed.log 2>&1 &
  pw=$!
  for _ in $(seq 200); do grep -q 'proxmon: ' plasmawindowed.log 2>/dev/null && break; sleep 0.1; done
  sleep 4
  import -window root plasmawindowed.png 2>/dev/null || true
  stop_pid "$pw"
  cp "$HOME/.config/plasmawindowedrc" plasmawindowedrc.before 2>/dev/null || true

  step uninstall bash /proxmon/uninstall.sh
  listed >uninstall.listed
  [ -f "$icon" ] && echo yes >uninstall.icon || echo no >uninstall.icon

  step install3 bash /proxmon/install.sh
  mkdir -p "$HOME/.config/proxmon" "$HOME/.cache/proxmon"
  step purge bash /proxmon/uninstall.sh --purge
  listed >purge.listed
  cp "$HOME/.config/plasmawindowedrc" plasmawindowedrc.after 2>/dev/null || true
  { [ -d "$HOME/.config/proxmon" ] || [ -d "$HOME/.cache/proxmon" ]; } && echo yes >purge.dirs || echo no >purge.dirs

  # Every tool but kpackagetool6.
  mkdir -p nokpkg
  for f in /usr/bin/* /usr/local/bin/*; do
    [ "$(basename "$f")" = kpackagetool6 ] || ln -sf "$f" "nokpkg/$(basename "$f")"
  done
  step nokpkg env PATH="$dir/nokpkg" bash /proxmon/install.sh
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME"
build_bundle
run_in_session

# Error lines from the installed package's files, or libplasma giving up on it.
widget_clean() {
  ! grep -E "file://[^ ]*/plasmoids/$ID/[^ ]*:[0-9]+|error when loading applet" "$1"
}

check "root.sh run: the session inside exited cleanly" test "$run_rc" -eq 0
check "install.sh from the read-only checkout: exit 0, says it installed" \
  bash -c "grep -qx 0 '$out/install1.rc' && grep -q 'Installing the widget' '$out/install1.out'"
check "install.sh: kpackagetool6 -l lists $ID" file_is "$out/install1.listed" yes
check "install.sh: the icon is installed" file_is "$out/install1.icon" yes
check "install.sh: builds the native TLS module (outside the read-only checkout) into the installed widget" \
  bash -c "grep -q 'Native TLS module: installed' '$out/install1.out' && grep -q 'plasmoids/$ID/contents/native/org/kde/proxmon/tls/libproxmontls.so$' '$out/install1.files' && grep -q 'plasmoids/$ID/contents/native/org/kde/proxmon/tls/qmldir$' '$out/install1.files'"
check "install.sh again: upgrades cleanly" \
  bash -c "grep -qx 0 '$out/install2.rc' && grep -q 'Upgrading the installed widget' '$out/install2.out' && grep -qx yes '$out/install2.listed'"
check "install.sh --prebuilt: uses the bundle as it is" \
  bash -c "grep -qx 0 '$out/prebuilt.rc' && grep -q 'Using the prebuilt' '$out/prebuilt.out'"
check "install.sh with npm and a read-only checkout: builds in a temporary copy" \
  bash -c "grep -qx 0 '$out/readonly.rc' && grep -q 'read-only' '$out/readonly.out' && grep -q '^npm run build in /tmp/' '$out/npm.log'"
check "install.sh with Node.js but no npm: names npm as missing, not Node.js" \
  bash -c "grep -qx 0 '$out/nonpm.rc' && grep -q 'not found: npm (Node.js v20.19.0 is installed)' '$out/nonpm.out' && ! grep -q 'Node.js 20 or newer' '$out/nonpm.out'"
check "plasmawindowed $ID: the installed widget loads and runs" grep -q 'proxmon: ' "$out/plasmawindowed.log"
check_shown "plasmawindowed: no QML/JS errors from the installed package" widget_clean "$out/plasmawindowed.log"
check "uninstall.sh: package removed" bash -c "grep -qx 0 '$out/uninstall.rc' && grep -qx no '$out/uninstall.listed'"
check "uninstall.sh: icon removed" file_is "$out/uninstall.icon" no
check "plasmawindowed wrote settings of the widget (precondition for --purge)" grep -qx "plugin=$ID" "$out/plasmawindowedrc.before"
check "uninstall.sh --purge: package removed, the widget's settings and ProxMon's folders gone" \
  bash -c "grep -qx 0 '$out/purge.rc' && grep -qx no '$out/purge.listed' && grep -qx no '$out/purge.dirs' && ! grep -qx 'plugin=$ID' '$out/plasmawindowedrc.after'"
check "install.sh without kpackagetool6: fails and names the package" \
  bash -c "grep -qx 1 '$out/nokpkg.rc' && grep -q 'kpackagetool6 not found' '$out/nokpkg.out' && grep -q 'sudo apt install kpackagetool6' '$out/nokpkg.out'"

diagnose() {
  for f in "$out"/*.out; do echo "--- $f" >&2; tail -n 8 "$f" >&2; done
  grep -E 'file://|error when loading' "$out/plasmawindowed.log" | head -n 20 >&2 || true
}
finish diagnose
