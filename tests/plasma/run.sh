#!/usr/bin/env bash
# `npm run test:plasma`: every test of the widget inside a real Plasma 6.3
# (a Debian 13 root, see scripts/plasma-host/root.sh). Needs root.
#
#   tests/plasma/run.sh [NAME_SUBSTRING]...
#
# Runs tests/plasma/harness-selftest.sh, then every tests/plasma/test-*.sh
# (those whose path contains one of the given substrings, if any). A test
# prints "ok - …" / "not ok - …" per check; one that exits non-zero without
# a "not ok" line counts as one failure, one that exits 0 without an "ok"
# line as one pass. Writes build/test-results/plasma.json ({passed, failed})
# and ends with the line "plasma: N passed, N failed".
#
# PROXMON_PLASMA_SKIP=1 skips everything (writes 0 passed, 0 failed).
#
# PROXMON_PLASMA_EDITION=5 (`npm run test:plasma5`) runs the Plasma 5.27
# edition's tests instead: tests/plasma5/test-*.sh in a Debian 12 root
# (PROXMON_PLASMA5_ROOT, default /var/cache/proxmon/plasma5-root; output
# in PROXMON_PLASMA5_OUT, default /tmp/proxmon-plasma5-out), results in
# build/test-results/plasma5.json, last line "plasma5: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/test-results
results=build/test-results/plasma.json
suite=tests/plasma label=plasma
if [ "${PROXMON_PLASMA_EDITION:-6}" = 5 ]; then
  suite=tests/plasma5 label=plasma5
  results=build/test-results/plasma5.json
  export PROXMON_PLASMA_ROOT=${PROXMON_PLASMA5_ROOT:-/var/cache/proxmon/plasma5-root}
  export PROXMON_PLASMA_OUT=${PROXMON_PLASMA5_OUT:-/tmp/proxmon-plasma5-out}
fi

finish() {
  printf '{"passed":%d,"failed":%d}\n' "$1" "$2" >"$results"
  echo "$label: $1 passed, $2 failed"
  [ "$2" -eq 0 ]
}

if [ "${PROXMON_PLASMA_SKIP:-0}" = 1 ]; then
  echo "PROXMON_PLASMA_SKIP=1: Plasma tests skipped"
  finish 0 0
  exit
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "tests/plasma/run.sh needs root (debootstrap, mount, chroot); PROXMON_PLASMA_SKIP=1 skips it" >&2
  finish 0 1 || exit 1
fi

tests=()
for t in "$suite"/harness-selftest.sh "$suite"/test-*.sh; do
  [ -f "$t" ] || continue
  if [ $# -gt 0 ]; then
    keep=0
    for want in "$@"; do case "$t" in *"$want"*) keep=1 ;; esac done
    [ "$keep" = 1 ] || continue
  fi
  tests+=("$t")
done

passed=0 failed=0
start=$(date +%s)
# Build or check the root once, up front, so its time is not charged to a test.
if ! bash scripts/plasma-host/root.sh ensure; then
  echo "not ok - the Plasma root could not be built"
  finish 0 1 || exit 1
fi

outf=$(mktemp)
trap 'rm -f "$outf"' EXIT
for t in ${tests[@]+"${tests[@]}"}; do
  echo "=== $t"
  t0=$(date +%s)
  rc=0
  bash "$t" 2>&1 | tee "$outf" || rc=${PIPESTATUS[0]}
  ok=$(grep -c '^ok - ' "$outf" || true)
  bad=$(grep -c '^not ok - ' "$outf" || true)
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  if [ "$rc" -eq 0 ] && [ "$ok" -eq 0 ] && [ "$bad" -eq 0 ]; then ok=1; fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  echo "=== $t: $ok passed, $bad failed ($(($(date +%s) - t0)) s, exit $rc)"
done
echo "=== Plasma tests took $(($(date +%s) - start)) s"
# The root is shared by every run: no simulator CA may stay trusted in it.
# shellcheck source-path=SCRIPTDIR source=lib/trust-store.sh
. tests/plasma/lib/trust-store.sh
left=$(root_trust_problems "${PROXMON_PLASMA_ROOT:-/var/cache/proxmon/plasma-root}")
if [ -z "$left" ]; then
  echo "ok - the Plasma root's trust store holds no simulator CA after the run"
  passed=$((passed + 1))
else
  echo "not ok - the Plasma root's trust store still holds the simulator CA:"
  printf '%s\n' "$left" | sed 's/^/    /'
  failed=$((failed + 1))
fi
finish "$passed" "$failed"
