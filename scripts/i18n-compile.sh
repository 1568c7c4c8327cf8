#!/usr/bin/env bash
# Compiles po/<lang>.po into DEST/locale/<lang>/LC_MESSAGES/plasma_applet_<KPlugin.Id>.mo,
# where Plasma 6 looks for a widget package's own translations.
#
#   scripts/i18n-compile.sh DEST_CONTENTS [--required]
#
# DEST_CONTENTS is a package's contents/ folder (the checkout's own, or a
# staging). Without msgfmt (GNU gettext) the widget still works, in English:
# the translations already compiled into the checkout's contents/locale are
# copied instead when there are any, else a notice is printed; --required
# (release packages, CI) makes that an error.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:?usage: i18n-compile.sh DEST_CONTENTS [--required]}
required=0
[ "${2:-}" = --required ] && required=1
id=$(sed -n 's/^ *"Id": *"\([^"]*\)".*/\1/p' metadata.json | head -n 1)
mo=plasma_applet_$id.mo

shopt -s nullglob
pos=(po/*.po)
[ ${#pos[@]} -gt 0 ] || exit 0

if command -v msgfmt >/dev/null 2>&1; then
  for po in "${pos[@]}"; do
    lang=$(basename "$po" .po)
    mkdir -p "$dest/locale/$lang/LC_MESSAGES"
    # --check: a translation with other %N placeholders than its original is an error.
    msgfmt --check -o "$dest/locale/$lang/LC_MESSAGES/$mo" "$po"
  done
  exit 0
fi

if [ "$(cd "$dest" 2>/dev/null && pwd)" != "$(pwd)/contents" ] && [ -d contents/locale ]; then
  mkdir -p "$dest/locale"
  cp -R contents/locale/. "$dest/locale/"
  exit 0
fi
echo "msgfmt (GNU gettext) not found: the widget's translations were not compiled, it will show English." >&2
echo "  Debian/Ubuntu: sudo apt install gettext · Fedora: sudo dnf install gettext · Arch: sudo pacman -S gettext" >&2
[ "$required" = 0 ]
