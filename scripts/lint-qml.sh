#!/usr/bin/env bash
# QML lint on the development machine (Qt 6's qmlformat and qmllint, Debian:
# qt6-declarative-dev-tools; scripts/install-test-deps.sh installs it):
#
#   scripts/lint-qml.sh          check: every QML file under contents/ (and
#                                plasma5/contents/, the Plasma 5 files) is as
#                                qmlformat writes it, and qmllint finds nothing
#   scripts/lint-qml.sh --fix    rewrite the files with qmlformat
#
# qmllint here has no KDE modules (org.kde.plasma.*, Kirigami, KCMUtils are
# Plasma's, not the host's), so the checks that need their types (import,
# unqualified, type, property, alias) are off: it catches syntax errors and
# what Qt's own modules can tell. The full qmllint against Plasma 6.3's
# modules runs inside the Plasma root (tests/plasma/lib/qmllint.sh, called
# by tests/plasma/test-widget.sh).
#
# QMLFORMAT / QMLLINT / QMLLINT5: other binaries (default /usr/lib/qt6/bin/…,
# /usr/lib/qt5/bin/qmllint for the Plasma 5 edition's QML). The
# formatter's version matters: the files are kept as the one here writes them.
set -euo pipefail
cd "$(dirname "$0")/.."
qmlformat=${QMLFORMAT:-/usr/lib/qt6/bin/qmlformat}
qmllint=${QMLLINT:-/usr/lib/qt6/bin/qmllint}
qmllint5=${QMLLINT5:-/usr/lib/qt5/bin/qmllint}
fix=0
case "${1:-}" in
  --fix) fix=1 ;;
  "") ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
for tool in "$qmlformat" "$qmllint"; do
  [ -x "$tool" ] || {
    echo "lint-qml: $tool not found (Debian: sudo apt install qt6-declarative-dev-tools)" >&2
    exit 1
  }
done

files=()
while IFS= read -r f; do files+=("$f"); done < <(find contents plasma5/contents -name '*.qml' -type f | sort)

if [ "$fix" = 1 ]; then
  # Not qmlformat -i: Qt 6.4's leaves a "FILE~" backup beside each file.
  out=$(mktemp)
  for f in "${files[@]}"; do "$qmlformat" --ignore-settings "$f" >"$out" && cat "$out" >"$f"; done
  rm -f "$out"
  echo "lint-qml: formatted ${#files[@]} files"
  exit 0
fi

bad=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for f in "${files[@]}"; do
  if ! "$qmlformat" --ignore-settings "$f" >"$tmp" 2>&1; then
    echo "$f: qmlformat failed: $(head -n 3 "$tmp")"
    bad=$((bad + 1))
  elif ! cmp -s "$tmp" "$f"; then
    echo "$f: not formatted ($(diff "$f" "$tmp" | grep -c '^[<>]' || true) lines differ; run npm run format:qml)"
    diff -u "$f" "$tmp" | sed -n '3,14p' || true
    bad=$((bad + 1))
  fi
done

# Exit code 0 with no "Warning:" output is clean; qmllint returns non-zero on warnings.
if ! "$qmllint" --import disable --unqualified disable --type disable --property disable \
  --alias disable --unused-imports disable --multiline-strings disable "${files[@]}" >"$tmp" 2>&1 || [ -s "$tmp" ]; then
  cat "$tmp"
  bad=$((bad + 1))
fi
# The Plasma 5 edition: the same QML as scripts/plasma5.mjs generates it,
# through Qt 5.15's qmllint (a syntax check: what Qt 5.15's parser refuses,
# such as Qt 6-only syntax in a shared file, fails here, not in a user's panel).
qt5_files=0
if [ -x "$qmllint5" ]; then
  p5=$(mktemp -d)
  if node scripts/plasma5.mjs qml "$p5" >"$tmp" 2>&1; then
    while IFS= read -r f; do
      qt5_files=$((qt5_files + 1))
      if ! "$qmllint5" "$f" >"$tmp" 2>&1 || [ -s "$tmp" ]; then
        echo "Plasma 5 edition, Qt 5.15 qmllint: ${f#"$p5"/}: $(head -n 3 "$tmp")"
        bad=$((bad + 1))
      fi
    done < <(find "$p5" -name '*.qml' -type f | sort)
  else
    echo "lint-qml: scripts/plasma5.mjs qml failed: $(cat "$tmp")"
    bad=$((bad + 1))
  fi
  rm -rf "$p5"
else
  echo "lint-qml: $qmllint5 not found (Debian: sudo apt install qtdeclarative5-dev-tools)" >&2
  bad=$((bad + 1))
fi
if [ "$bad" -ne 0 ]; then
  echo "lint-qml: ${#files[@]} QML files, $bad problem(s)"
  exit 1
fi
echo "lint-qml: ${#files[@]} QML files formatted, qmllint clean; Plasma 5 edition: $qt5_files files, Qt 5.15 qmllint clean"
