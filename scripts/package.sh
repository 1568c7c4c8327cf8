#!/usr/bin/env bash
# Stages or packs the ProxMon Plasma widget.
#
#   scripts/package.sh                 package/org.kde.plasma.proxmox.plasmoid (zip for the KDE Store)
#   scripts/package.sh --stage DIR     the package folder (metadata.json + contents/) in DIR,
#                                      ready for kpackagetool6 / plasmoidviewer
#
# Test-only options (with --stage; never used for a package users get):
#   --test-default KEY=VALUE   rewrite the <default> of KEY in the staged
#                              contents/config/main.xml (plasmoidviewer drops
#                              saved settings, defaults survive); repeatable
#   --test-expand              replace the staged contents/ui/TestHooks.qml so
#                              the popup opens on start (screenshots)
#   --test-dump-texts          as --test-expand, and every 4 s log each visible
#                              text of the popup and the panel item as
#                              "proxmon-test: text: …" (translation tests)
#   --test-hooks FILE          replace the staged contents/ui/TestHooks.qml with
#                              FILE (probes a test reads from the viewer's log)
#   --test-secret-file FILE    replace the staged contents/ui/SecretSource.qml
#                              with one holding FILE's first line as the token
#                              secret (stands in for the keyring in tests)
#
# Needs the built bundles contents/code/proxmon.mjs, demo.mjs and settings.mjs
# (`node scripts/build.mjs`). Translations (po/*.po) are compiled into the
# package's contents/locale with msgfmt (GNU gettext); the .plasmoid requires
# them, a staging without msgfmt takes those of the last build or none
# (English only).
set -euo pipefail
cd "$(dirname "$0")/.."
ID=org.kde.plasma.proxmox

stage="" secret_file="" hooks_file="" expand=0 dump_texts=0 defaults=()
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) stage=${2:?--stage needs a folder}; shift 2 ;;
    --test-default) defaults+=("${2:?--test-default needs KEY=VALUE}"); shift 2 ;;
    --test-expand) expand=1; shift ;;
    --test-dump-texts) expand=1 dump_texts=1; shift ;;
    --test-hooks) hooks_file=${2:?--test-hooks needs a file}; shift 2 ;;
    --test-secret-file) secret_file=${2:?--test-secret-file needs a file}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "package.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$stage" ] && { [ ${#defaults[@]} -gt 0 ] || [ -n "$secret_file" ] || [ -n "$hooks_file" ] || [ "$expand" = 1 ]; }; then
  echo "package.sh: --test-default / --test-secret-file / --test-hooks / --test-expand only work with --stage" >&2
  exit 2
fi

if [ ! -s contents/code/proxmon.mjs ] || [ ! -s contents/code/demo.mjs ] || [ ! -s contents/code/settings.mjs ]; then
  echo "package.sh: contents/code/proxmon.mjs, demo.mjs or settings.mjs is missing: build them first with 'npm ci && npm run build' (Node.js 20 or newer)" >&2
  exit 1
fi

# Copies metadata.json and contents/ (without source maps) into $1. Only
# code/, config/, icons/ and ui/ (and the translations, compiled fresh):
# contents/native (the compiled TLS module, which install.sh adds to its own
# staging) must never reach a KDE Store package, whose rules forbid compiled
# code.
stage_into() {
  local dir=$1 translations=${2:-}
  rm -rf "$dir"
  mkdir -p "$dir/contents"
  cp metadata.json "$dir/"
  for sub in code config icons ui; do
    mkdir -p "$dir/contents/$sub"
    cp -R "contents/$sub/." "$dir/contents/$sub/"
  done
  rm -f "$dir"/contents/code/*.map
  bash scripts/i18n-compile.sh "$dir/contents" $translations
}

if [ -n "$stage" ]; then
  stage_into "$stage"
  xml=$stage/contents/config/main.xml
  for kv in ${defaults[@]+"${defaults[@]}"}; do
    key=${kv%%=*} value=${kv#*=}
    grep -q "<entry name=\"$key\"" "$xml" || { echo "package.sh: no key $key in main.xml" >&2; exit 2; }
    value=$(printf '%s' "$value" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/[|\\]/\\&/g')
    sed -i "/<entry name=\"$key\"/,/<\/entry>/ s|<default>.*</default>|<default>$value</default>|" "$xml"
  done
  if [ -n "$secret_file" ]; then
    secret=$(head -n 1 "$secret_file" | tr -d '\r\n')
    # JSON string syntax is valid QML/JS string syntax.
    quoted=$(printf '%s' "$secret" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
    cat >"$stage/contents/ui/SecretSource.qml" <<QML
import QtQuick

// TEST STAGING ONLY (scripts/package.sh --test-secret-file): stands in for
// the keyring, with the interface of the real SecretSource.qml. Never part
// of a package given to users.
QtObject {
    property bool active: true
    property string host: ""
    property int port: 0
    property string tokenId: ""
    property int revision: 0
    property var log: null
    readonly property string state: "ok"
    readonly property string errorKind: ""
    readonly property string errorMessage: ""
    readonly property string secret: "$quoted"
    readonly property int generation: 1
    readonly property bool testOnly: true
    function reload() {
    }
}
QML
  fi
  if [ "$dump_texts" = 1 ]; then
    # An Item, so its parent is the PlasmoidItem that declares it; the texts
    # are read from the live scene, exactly as drawn.
    cat >"$stage/contents/ui/TestHooks.qml" <<'QML'
import QtQuick

// TEST STAGING ONLY (scripts/package.sh --test-dump-texts).
Item {
    id: hooks
    readonly property bool expandOnStart: true
    property int round: 0
    function collect(item, out) {
        if (!item || item.visible === false)
            return;
        if (typeof item.text === "string" && item.text !== "")
            out.push(item.text);
        const kids = item.children || [];
        for (let i = 0; i < kids.length; i++)
            collect(kids[i], out);
    }
    Timer {
        interval: 4000
        repeat: true
        running: true
        onTriggered: {
            hooks.round += 1;
            const texts = [];
            hooks.collect(hooks.parent.fullRepresentationItem, texts);
            hooks.collect(hooks.parent.compactRepresentationItem, texts);
            console.log("proxmon-test: texts " + hooks.round + " begin");
            for (let i = 0; i < texts.length; i++)
                console.log("proxmon-test: text: " + texts[i].split("\n").join(" ⏎ "));
            console.log("proxmon-test: texts " + hooks.round + " end");
        }
    }
}
QML
  elif [ "$expand" = 1 ]; then
    cat >"$stage/contents/ui/TestHooks.qml" <<QML
import QtQuick

// TEST STAGING ONLY (scripts/package.sh --test-expand).
QtObject {
    readonly property bool expandOnStart: true
}
QML
  fi
  if [ -n "$hooks_file" ]; then cp "$hooks_file" "$stage/contents/ui/TestHooks.qml"; fi
  echo "staged $ID in $stage"
  exit 0
fi

mkdir -p build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stage_into "$tmp/pkg" --required
if [ -e "$tmp/pkg/contents/native" ] || find "$tmp/pkg" -name '*.so' | grep -q .; then
  echo "package.sh: compiled code in the .plasmoid staging; the KDE Store does not accept it" >&2
  exit 1
fi
out=$(pwd)/package/$ID.plasmoid
rm -f "$out"
if command -v zip >/dev/null 2>&1; then
  (cd "$tmp/pkg" && zip -qr -X "$out" .)
elif command -v python3 >/dev/null 2>&1; then
  python3 -c 'import shutil, sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2]); import os; os.rename(sys.argv[1] + ".zip", sys.argv[1])' "$out" "$tmp/pkg"
else
  echo "package.sh: need zip (sudo apt install zip) or python3 to make the .plasmoid" >&2
  exit 1
fi
echo "wrote $out"
