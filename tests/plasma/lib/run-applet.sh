#!/usr/bin/env bash
# Runs INSIDE the Plasma root, under scripts/plasma-host/session.sh: shows one
# applet in plasmoidviewer, waits for lines in its log (or other files),
# takes a screenshot of the whole X screen, stops the viewer and checks the
# log for QML/JS errors.
#
#   run-applet.sh -a PACKAGE_DIR|PLUGIN_ID -o OUTDIR [options]
#     -s WxH           window size (default 420x600)
#     -c CONTAINMENT   containment plugin (default: the viewer's desktop one;
#                      org.kde.panel puts the applet in a panel, with -f horizontal)
#     -f FORMFACTOR    planar|horizontal|vertical|mediacenter (default: viewer's)
#     -l LOCATION      floating|bottomedge|topedge|leftedge|rightedge|desktop|fullscreen
#     -w REGEX         wait until the viewer log matches REGEX (grep -E); repeatable
#     -W FILE=REGEX    wait until FILE matches REGEX; repeatable
#     -t SECONDS       give up waiting after this long (default 30)
#     -m SECONDS       keep the viewer up at least this long (default 0)
#     -d SECONDS       settle time after the waits, before the screenshot (default 2)
#     -E all|package   which QML/JS error lines fail the run: those naming a
#                      file of the package (default) or any file:// line
#     -C               console.error() lines ("[critical] qml: …") fail the run too
#     -L REGEX         error lines matching REGEX (grep -E) do not fail the run;
#                      repeatable (Plasma 5: its own Label's binding loops)
#     -n NAME          file name stem for the log and screenshot (default plasmoidviewer)
#
# Writes OUTDIR/NAME.log, OUTDIR/NAME.png and OUTDIR/NAME.errors (error lines).
# Exit: 0 fine, 1 the applet did not load or error lines in the log,
#       2 usage, 3 a wait timed out,
#       4 the viewer exited before the waits were met.
set -euo pipefail

applet="" out="" size=420x600 containment="" formfactor="" location="" timeout=30 min=0 settle=2 scope=package name=plasmoidviewer criticals=0
log_waits=() file_waits=() ignores=()
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
}
while getopts "a:o:s:c:f:l:w:W:t:m:d:E:n:L:Ch" opt; do
  case "$opt" in
    a) applet=$OPTARG ;;
    o) out=$OPTARG ;;
    s) size=$OPTARG ;;
    c) containment=$OPTARG ;;
    f) formfactor=$OPTARG ;;
    l) location=$OPTARG ;;
    w) log_waits+=("$OPTARG") ;;
    W) file_waits+=("$OPTARG") ;;
    t) timeout=$OPTARG ;;
    m) min=$OPTARG ;;
    d) settle=$OPTARG ;;
    E) scope=$OPTARG ;;
    n) name=$OPTARG ;;
    C) criticals=1 ;;
    L) ignores+=("$OPTARG") ;;
    *) usage ;;
  esac
done
if [ -z "$applet" ] || [ -z "$out" ]; then usage; fi
[ -n "${DISPLAY:-}" ] || {
  echo "run-applet.sh: no DISPLAY; run it under scripts/plasma-host/session.sh" >&2
  exit 2
}
mkdir -p "$out"
logf=$out/$name.log shot=$out/$name.png errf=$out/$name.errors
: >"$logf"

args=(-a "$applet" -s "$size")
[ -n "$containment" ] && args+=(-c "$containment")
[ -n "$formfactor" ] && args+=(-f "$formfactor")
[ -n "$location" ] && args+=(-l "$location")

start=$(date +%s)
plasmoidviewer "${args[@]}" >"$logf" 2>&1 &
viewer=$!

waits_met() {
  local re spec file
  for re in ${log_waits[@]+"${log_waits[@]}"}; do
    grep -Eq -- "$re" "$logf" || return 1
  done
  for spec in ${file_waits[@]+"${file_waits[@]}"}; do
    file=${spec%%=*}
    re=${spec#*=}
    [ -f "$file" ] && grep -Eq -- "$re" "$file" || return 1
  done
  return 0
}

status=0
while ! waits_met; do
  if ! kill -0 "$viewer" 2>/dev/null; then
    echo "run-applet.sh: plasmoidviewer exited before the waits were met" >&2
    status=4
    break
  fi
  # libplasma gives up on an applet whose QML does not load: no use waiting.
  if grep -q 'error when loading applet' "$logf"; then
    echo "run-applet.sh: the applet failed to load" >&2
    status=1
    break
  fi
  if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
    echo "run-applet.sh: waited ${timeout}s; still missing:" >&2
    for re in ${log_waits[@]+"${log_waits[@]}"}; do grep -Eq -- "$re" "$logf" || echo "  log: $re" >&2; done
    for spec in ${file_waits[@]+"${file_waits[@]}"}; do
      grep -Eq -- "${spec#*=}" "${spec%%=*}" 2>/dev/null || echo "  ${spec%%=*}: ${spec#*=}" >&2
    done
    status=3
    break
  fi
  sleep 0.25
done

if [ "$status" -eq 0 ]; then
  sleep "$settle"
  while [ $(($(date +%s) - start)) -lt "$min" ]; do sleep 0.5; done
fi
import -window root "$shot" 2>>"$logf" || echo "run-applet.sh: screenshot failed" >&2

if kill -0 "$viewer" 2>/dev/null; then
  kill -TERM "$viewer" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$viewer" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$viewer" 2>/dev/null || true
fi
wait "$viewer" 2>/dev/null || true

# QML load errors and runtime JS errors name their file: file:///…/X.qml:LINE:COL: …
# or file:///…/x.mjs:LINE: TypeError …
pattern='file://[^ ]*\.(qml|m?js):[0-9]+(:[0-9]+)?:'
if [ "$scope" = package ] && [ -d "$applet" ]; then
  pkg=$(cd "$applet" && pwd -P)
  grep -E -- "$pattern" "$logf" | grep -F -- "file://$pkg/" >"$errf" || true
else
  grep -E -- "$pattern" "$logf" >"$errf" || true
fi
if [ "$criticals" = 1 ]; then grep -E '^\[critical\] qml: ' "$logf" >>"$errf" || true; fi
for re in ${ignores[@]+"${ignores[@]}"}; do
  grep -Ev -- "$re" "$errf" >"$errf.kept" || true
  mv "$errf.kept" "$errf"
done
if [ -s "$errf" ]; then
  echo "run-applet.sh: QML/JS errors in $logf:" >&2
  sed 's/^/  /' "$errf" >&2
  [ "$status" -ne 0 ] || status=1
fi
if [ "$status" -ne 0 ]; then
  echo "run-applet.sh: last lines of $logf:" >&2
  tail -n 25 "$logf" | sed 's/^/  /' >&2
fi
exit "$status"
