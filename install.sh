#!/usr/bin/env bash
# Installs (or upgrades) the ProxMon Plasma widget for the current user:
# the Plasma 6 edition, or on Plasma 5.27 the Plasma 5 edition (generated from
# the same sources by scripts/plasma5.mjs, installed with kpackagetool5).
#
#   ./install.sh             build, install or upgrade, install the icon
#   ./install.sh --plasma5 | --plasma6
#                            install that edition, whatever Plasma runs now
#                            (default: the running Plasma's, see below)
#   ./install.sh --prebuilt  skip the build: use contents/code/proxmon.mjs as
#                            it is (a release tarball, or no Node.js at hand)
#   ./install.sh --demo      also show the widget on the demo cluster in
#                            plasmoidviewer (if installed)
#   ./install.sh --no-native do not build the native TLS module (the widget
#                            then trusts only the system certificate store)
#
# The native TLS module (native/) lets the widget pin a server's certificate
# or ignore certificate errors. It is built when cmake, a C++ compiler, make
# (or ninja) and the Qt 6 development packages are there, and goes into the
# installed widget; without it the widget still works with certificates the
# system trusts. Its build folder: ~/.cache/proxmon/native-build.
#
# On Plasma 5 the native modules come from native/qt5 instead (Qt 5 Core +
# DBus + Network + Qml): the same TLS module built against Qt 5.15, and the
# widget's only route to KDE Wallet there (Plasma 5 has no D-Bus QML
# module). Its build folder: ~/.cache/proxmon/native5-build. Which Plasma runs:
# KDE_SESSION_VERSION in a Plasma session, else plasmashell --version, else
# which of kpackagetool6 / kpackagetool5 is installed.
#
# Translations (po/*.po) are compiled with msgfmt from GNU gettext; without
# it the widget shows English (a release tarball's prebuilt contents/locale
# is used when there is one).
#
# Safe to run again: an installed widget is upgraded. The checkout may be
# read-only: the build then runs in a temporary copy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
ID=org.kde.plasma.proxmox
demo=0 prebuilt=0 native=1 edition=""
for arg in "$@"; do
  case "$arg" in
    --plasma5) edition=5 ;;
    --plasma6) edition=6 ;;
    --demo) demo=1 ;;
    --no-native) native=0 ;;
    --prebuilt) prebuilt=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*"; }
missing() { # missing TOOL DEBIAN FEDORA ARCH
  say "$1 not found. Install it with one of:"
  say "  Debian/Ubuntu/KDE neon: sudo apt install $2"
  say "  Fedora:                 sudo dnf install $3"
  say "  Arch/Manjaro:           sudo pacman -S $4"
}

# Which Plasma: the session's own word first, then plasmashell's, then the tools.
if [ -z "$edition" ]; then
  case "${KDE_SESSION_VERSION:-}" in
    5 | 6) edition=$KDE_SESSION_VERSION ;;
  esac
fi
if [ -z "$edition" ] && command -v plasmashell >/dev/null 2>&1; then
  case "$(plasmashell --version 2>/dev/null | awk '{ print $2 }')" in
    5.*) edition=5 ;;
    6.*) edition=6 ;;
  esac
fi
if [ -z "$edition" ]; then
  if command -v kpackagetool6 >/dev/null 2>&1; then
    edition=6
  elif command -v kpackagetool5 >/dev/null 2>&1; then
    edition=5
  else
    edition=6
  fi
fi
kpackagetool=kpackagetool$edition
stage_options=()
[ "$edition" = 5 ] && stage_options=(--plasma5)

# Checked first: without it nothing below is of any use.
if ! command -v "$kpackagetool" >/dev/null 2>&1; then
  if [ "$edition" = 5 ]; then
    missing kpackagetool5 kpackagetool5 kf5-kpackage kpackage5
    say "(This is Plasma 5: kpackagetool5 installs Plasma 5 widgets.)"
  else
    missing kpackagetool6 kpackagetool6 kf6-kpackage kpackage
    say "(This widget needs Plasma 6 or 5.27; kpackagetool6 installs Plasma 6 widgets.)"
  fi
  exit 1
fi
say "Installing the Plasma $edition edition."

# The popup's graphs (issue 12) use KDE's chart module; Plasma's System
# Monitor needs it too, so a Plasma desktop normally has it. Not fatal: the
# rest of the widget works, but a popup without it cannot load.
# The edition's own Qt: KQuickCharts 6 for Plasma 6, KQuickCharts 5 (KF5,
# Qt 5's QML folder) for Plasma 5.
if [ "$edition" = 5 ]; then
  qml_dirs="$(qtpaths --qt=5 --query QT_INSTALL_QML 2>/dev/null || true) /usr/lib/x86_64-linux-gnu/qt5/qml /usr/lib/aarch64-linux-gnu/qt5/qml /usr/lib/qt5/qml /usr/lib64/qt5/qml /usr/lib/qt/qml"
  charts_packages=(qml-module-org-kde-quickcharts kf5-kquickcharts kquickcharts5)
else
  qml_dirs="$(qtpaths6 --query QT_INSTALL_QML 2>/dev/null || true) /usr/lib/x86_64-linux-gnu/qt6/qml /usr/lib/aarch64-linux-gnu/qt6/qml /usr/lib/qt6/qml /usr/lib64/qt6/qml"
  charts_packages=(qml6-module-org-kde-quickcharts kf6-kquickcharts kquickcharts)
fi
quickcharts=0
for d in $qml_dirs; do
  if [ -f "$d/org/kde/quickcharts/qmldir" ]; then quickcharts=1; fi
done
if [ "$quickcharts" = 0 ]; then
  missing "KDE's chart module (org.kde.quickcharts, for the graphs)" "${charts_packages[@]}"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$here

# 1. The bundle (TypeScript core → contents/code/proxmon.mjs).
node_major=0
if command -v node >/dev/null 2>&1; then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
fi
if [ "$prebuilt" = 1 ]; then
  [ -s contents/code/proxmon.mjs ] && [ -s contents/code/demo.mjs ] && [ -s contents/code/settings.mjs ] || {
    say "--prebuilt: contents/code/proxmon.mjs, demo.mjs or settings.mjs is missing; build them with 'npm ci && npm run build' or drop --prebuilt."
    exit 1
  }
  say "Using the prebuilt contents/code/proxmon.mjs."
elif [ "$node_major" -ge 20 ] && command -v npm >/dev/null 2>&1; then
  if [ ! -w . ] || [ ! -w contents/code ]; then
    # A read-only checkout (a mounted share, a packaged copy): build a copy.
    say "The checkout is read-only; building in a temporary copy…"
    mkdir -p "$work/src"
    tar -C "$here" --exclude=./node_modules --exclude=./build --exclude=./.git -cf - . | tar -C "$work/src" -xf -
    src=$work/src
  fi
  say "Building the widget's code with Node.js $(node --version)…"
  (cd "$src" && npm ci --no-audit --no-fund && npm run build)
else
  # Name what is really missing: Node.js itself, or only npm next to it.
  if [ "$node_major" -ge 20 ]; then
    lacking="npm (Node.js $(node --version) is installed)"
  elif [ "$node_major" -gt 0 ]; then
    lacking="Node.js 20 or newer (this is $(node --version))"
  else
    lacking="Node.js 20 or newer with npm"
  fi
  if [ -s contents/code/proxmon.mjs ] && [ -s contents/code/demo.mjs ] && [ -s contents/code/settings.mjs ]; then
    say "Needed to build, but not found: $lacking; using the prebuilt bundles in contents/code."
  else
    say "The bundles in contents/code are missing and cannot be built. Needed, but not found: $lacking."
    if [ "$node_major" -ge 20 ]; then
      missing npm npm npm npm
    else
      missing "Node.js >= 20" "nodejs npm (Debian 13 / Ubuntu 24.04 or newer)" "nodejs npm" "nodejs npm"
    fi
    say "Or download a release .plasmoid and install it with: kpackagetool6 -t Plasma/Applet -i org.kde.plasma.proxmox.plasmoid"
    exit 1
  fi
fi

# 2. Stage (always into the temporary folder) and install or upgrade.
# (Without msgfmt, package.sh says how to get it; the widget is then English.)
if command -v msgfmt >/dev/null 2>&1; then
  translations_status="compiled: $(for po in "$src"/po/*.po; do basename "$po" .po; done | tr '\n' ' ')"
elif [ -d "$src/contents/locale" ]; then
  translations_status="prebuilt (contents/locale)"
else
  translations_status="English only (msgfmt from gettext missing)"
fi
if [ "$edition" = 5 ] && ! command -v node >/dev/null 2>&1; then
  # scripts/plasma5.mjs generates the Plasma 5 package (any Node.js from 18 on).
  missing "Node.js (to generate the Plasma 5 package)" nodejs nodejs nodejs
  say "Or install the release's org.kde.plasma.proxmox-plasma5.plasmoid: kpackagetool5 -t Plasma/Applet -i org.kde.plasma.proxmox-plasma5.plasmoid"
  exit 1
fi
bash "$src/scripts/package.sh" ${stage_options[@]+"${stage_options[@]}"} --stage "$work/$ID" >/dev/null

# 2b. The native TLS module, built outside the checkout (which may be
# read-only) and installed into the staged package: kpackagetool6 then carries
# it into the installed widget, where contents/ui/NativeTls.qml imports it by
# directory, with no environment variable or system-wide install.

# native_hint QT REASON: why the native modules were not built, and the
# packages that build them for Qt 6 (QT=6) or Qt 5 (QT=5, Plasma 5).
native_hint() {
  if [ "$1" = 5 ]; then
    say "The native modules (KDE Wallet, certificate pinning, \"ignore certificate errors\" on Plasma 5) were not built: $2"
    say "Without them the widget cannot read the token secret on Plasma 5 (the demo cluster works). To build them, install:"
    say "  Debian/Ubuntu/KDE neon: sudo apt install cmake g++ make qtbase5-dev qtdeclarative5-dev"
    say "  Fedora:                 sudo dnf install cmake gcc-c++ make qt5-qtbase-devel qt5-qtdeclarative-devel"
    say "  Arch/Manjaro:           sudo pacman -S cmake gcc make qt5-base qt5-declarative"
  else
    say "The native TLS module (certificate pinning, \"ignore certificate errors\") was not built: $2"
    say "The widget works without it when the system trusts the server's certificate. To build it, install:"
    say "  Debian/Ubuntu/KDE neon: sudo apt install cmake g++ make qt6-base-dev qt6-declarative-dev"
    say "  Fedora:                 sudo dnf install cmake gcc-c++ make qt6-qtbase-devel qt6-qtdeclarative-devel"
    say "  Arch/Manjaro:           sudo pacman -S cmake gcc make qt6-base qt6-declarative"
  fi
  say "and run ./install.sh again."
}

# build_native QT: builds native/ (QT=6) or native/qt5 (QT=5: the KDE Wallet
# and TLS modules of the Plasma 5 edition) in ~/.cache/proxmon and installs
# the QML modules into the staged package; sets native_status.
build_native() {
  local qt=$1 source=$here/native folder=native-build what="the native TLS module"
  local modules=(tls) missing="" available="certificate pinning available" lost=""
  if [ "$qt" = 5 ]; then
    source=$here/native/qt5 folder=native5-build what="the native KDE Wallet and TLS modules for Qt 5"
    modules=(wallet tls) available="KDE Wallet available; certificate pinning available"
    lost="; KDE Wallet and certificate pinning unavailable"
  fi
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/proxmon
  local nbuild=$cache/$folder nlog=$cache/$folder.log gen=()
  command -v ninja >/dev/null 2>&1 && ! command -v make >/dev/null 2>&1 && gen=(-G Ninja)
  if ! command -v cmake >/dev/null 2>&1; then
    missing="cmake not found."
    native_status="not built (cmake missing$lost)"
  elif ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1 && ! command -v clang++ >/dev/null 2>&1; then
    missing="no C++ compiler found."
    native_status="not built (no C++ compiler$lost)"
  elif ! command -v make >/dev/null 2>&1 && ! command -v ninja >/dev/null 2>&1; then
    missing="neither make nor ninja found."
    native_status="not built (make missing$lost)"
  fi
  if [ -n "$missing" ]; then
    native_hint "$qt" "$missing"
    return 0
  fi
  mkdir -p "$cache"
  say "Building $what (log: $nlog)…"
  configure() {
    cmake -S "$source" -B "$nbuild" -DCMAKE_BUILD_TYPE=Release -DPROXMON_QML_DIR=. ${gen[@]+"${gen[@]}"} >"$nlog" 2>&1
  }
  # A build folder made from a checkout elsewhere refuses the new source: start over.
  if ! configure; then rm -rf "$nbuild"; configure || true; fi
  local ok=0 m
  if [ -f "$nbuild/CMakeCache.txt" ] && cmake --build "$nbuild" -j"$(nproc 2>/dev/null || echo 2)" >>"$nlog" 2>&1 &&
    cmake --install "$nbuild" --prefix "$work/$ID/contents/native" >>"$nlog" 2>&1; then
    ok=1
    for m in "${modules[@]}"; do
      [ -f "$work/$ID/contents/native/org/kde/proxmon/$m/qmldir" ] || ok=0
    done
  fi
  if [ "$ok" = 1 ]; then
    native_status="installed ($available)"
    return 0
  fi
  rm -rf "$work/$ID/contents/native"
  if grep -q "Qt$qt" "$nlog" && grep -qiE 'could not find|not found' "$nlog"; then
    native_hint "$qt" "the Qt $qt development files were not found (see $nlog)."
  else
    native_hint "$qt" "the build failed (see $nlog)."
  fi
  native_status="not built (see $nlog$lost)"
}

native_status="skipped (--no-native)"
if [ "$native" = 1 ]; then
  if [ "$edition" = 5 ]; then build_native 5; else build_native 6; fi
fi

if "$kpackagetool" -t Plasma/Applet -s "$ID" >/dev/null 2>&1; then
  say "Upgrading the installed widget…"
  "$kpackagetool" -t Plasma/Applet -u "$work/$ID"
else
  say "Installing the widget…"
  "$kpackagetool" -t Plasma/Applet -i "$work/$ID"
fi

# 3. The icon.
data=${XDG_DATA_HOME:-$HOME/.local/share}
icon_dir=$data/icons/hicolor/scalable/apps
mkdir -p "$icon_dir"
cp contents/icons/proxmon.svg "$icon_dir/proxmon.svg"
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
fi

# 4. Stale QML caches would keep the old code running.
rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/plasmashell/qmlcache"

say ""
say "ProxMon is installed (Plasma $edition edition)."
say "Native TLS module: $native_status"
say "Translations: $translations_status"
say "Add it: right-click the panel → Add or Manage Widgets… → search for \"ProxMon\"."
say "If the panel still runs an older version, restart Plasma: systemctl --user restart plasma-plasmashell"
say "No Proxmox server at hand? Click \"Try the demo cluster\" in the widget."

if [ "$demo" = 1 ]; then
  if command -v plasmoidviewer >/dev/null 2>&1; then
    bash "$src/scripts/package.sh" ${stage_options[@]+"${stage_options[@]}"} --stage "$work/demo" --test-default demoMode=true >/dev/null
    say "Starting plasmoidviewer on the demo cluster (close the window to finish)…"
    # tests/plasma/test-layout.sh reads this line and checks that the whole
    # widget fits the window these options give.
    demo_viewer_options=(-s 480x640)
    plasmoidviewer -a "$work/demo" "${demo_viewer_options[@]}" || true
  else
    missing plasmoidviewer plasma-sdk plasma-sdk plasma-sdk
  fi
fi
