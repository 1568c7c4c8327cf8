#!/usr/bin/env bash
# Runs INSIDE the Plasma root: Qt 6.8's qmllint over QML files (folders are
# searched for *.qml). Fails on errors (qmllint's "critical" entries, i.e.
# syntax errors) and on warnings whose id is given with -f; prints the rest.
#
#   qmllint.sh [-f WARNING_ID]... [-I IMPORT_DIR]... FILE_OR_DIR...
#
# e.g. -f missing-property -f unresolved-type. Note that qmllint cannot
# resolve org.kde.plasma.plasmoid (libplasma registers it at run time, there
# is no qmldir), so "import", "unresolved-type" and "unqualified" warnings
# around PlasmoidItem / Plasmoid.* are expected and harmless.
set -euo pipefail

fail_ids=() import_args=()
while getopts "f:I:h" opt; do
  case "$opt" in
    f) fail_ids+=("$OPTARG") ;;
    I) import_args+=(-I "$OPTARG") ;;
    *)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
      exit 2
      ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || {
  echo "usage: qmllint.sh [-f WARNING_ID]... [-I IMPORT_DIR]... FILE_OR_DIR..." >&2
  exit 2
}

files=()
for p in "$@"; do
  if [ -d "$p" ]; then
    while IFS= read -r f; do files+=("$f"); done < <(find "$p" -name '*.qml' -type f | sort)
  else
    files+=("$p")
  fi
done
[ ${#files[@]} -gt 0 ] || {
  echo "qmllint.sh: no QML files in: $*" >&2
  exit 2
}

json=$(mktemp)
trap 'rm -f "$json"' EXIT
/usr/lib/qt6/bin/qmllint ${import_args[@]+"${import_args[@]}"} --json "$json" "${files[@]}" >/dev/null 2>&1 || true

python3 - "$json" ${fail_ids[@]+"${fail_ids[@]}"} <<'EOF'
import json, sys

path, fail_ids = sys.argv[1], set(sys.argv[2:])
try:
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
except (OSError, ValueError) as e:
    print(f"qmllint.sh: qmllint wrote no readable report: {e}")
    sys.exit(1)
errors = warnings = 0
for entry in report.get("files", []):
    name = entry.get("filename", "?")
    for w in entry.get("warnings", []):
        kind, wid = w.get("type", "?"), w.get("id", "")
        bad = kind in ("critical", "error") or wid in fail_ids
        errors += bad
        warnings += not bad and kind == "warning"
        label = "ERROR" if bad else kind
        print(f"{name}:{w.get('line', 0)}:{w.get('column', 0)}: {label} [{wid}] {w.get('message', '')}")
files = len(report.get("files", []))
print(f"qmllint: {files} file(s), {errors} error(s), {warnings} warning(s)")
sys.exit(1 if errors else 0)
EOF
