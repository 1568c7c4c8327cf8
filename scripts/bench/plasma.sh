#!/usr/bin/env bash
# `npm run bench:plasma`: what the widget costs inside a real Plasma 6.3
# (the Debian 13 root of tests/plasma, as root), against a 1,000-guest
# simulated cluster refreshed every 10 s, compared with an empty applet
# shown in the same place by the same plasmoidviewer:
#   panel    popup closed (compact representation in a panel): resident
#            memory, CPU time and wake-ups per minute
#   desktop  the full representation on the desktop (planar), one node
#            expanded as the widget remembers it
#   panel-first  as panel, but the very first start: no QML disk cache and
#            no shader cache yet (panel and desktop start each applet once
#            before, for BENCH_PLASMA_PRIME seconds, as every login after the
#            first finds them)
# Each run: WARM seconds to settle (the first refreshes), then a WINDOW of
# sampling /proc (scripts/bench/plasma-sample.py). Needs only the package
# (scripts/package.sh --stage) and the simulator (`proxmon simulate`), so it
# runs against whatever the QML is. Writes build/bench/plasma.json, which
# `npm run bench` prints with the goals.
#
# Environment: BENCH_PLASMA_WARM (default 30), BENCH_PLASMA_WINDOW (60),
# BENCH_PLASMA_RUNS ("panel panel-first desktop"), BENCH_PLASMA_PRIME (20;
# 0: every run is a first start), BENCH_PLASMA_APPLETS ("empty widget":
# "widget" alone for a long memory curve), BENCH_PLASMA_GUESTS (1000),
# BENCH_PLASMA_HOOK (a command run with the staged widget package folder as
# its argument before the runs, to try a change without committing it),
# plus PROXMON_PLASMA_ROOT / PROXMON_PLASMA_OUT as for the Plasma tests.
set -euo pipefail

NAME=plasma-bench
REFRESH=10
# shellcheck source-path=SCRIPTDIR source=../../tests/plasma/lib/common.sh
. "$(dirname "$0")/../../tests/plasma/lib/common.sh"

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  sampler=/proxmon/scripts/bench/plasma-sample.py
  # Trusted only for this run: removed again below, also on failure.
  cp ca.pem /usr/local/share/ca-certificates/proxmon-bench.crt
  update-ca-certificates >update-ca.txt 2>&1 || true
  trap 'rm -f /usr/local/share/ca-certificates/proxmon-bench.crt; update-ca-certificates --fresh >/dev/null 2>&1 || true' EXIT
  stats_url=$(cat stats-url.txt)

  for run in $RUNS; do
    case $run in
      panel | panel-first) where=(-s 420x140 -c org.kde.panel -f horizontal -l bottomedge) ;;
      desktop) where=(-s 480x640 -f planar -l floating) ;;
      *) continue ;;
    esac
    for applet in $APPLETS; do
      n=$run-$applet
      # Every applet starts from the same caches: none for a first start;
      # otherwise those of one start of its own before (stopped after PRIME
      # seconds), as plasmashell has them at every login after the first —
      # QML compiled into ~/.cache/*/qmlcache, the renderer's shaders.
      rm -rf "$HOME/.cache/plasmoidviewer" "$HOME"/.cache/mesa_shader_cache* "$HOME"/.cache/qtshadercache-*
      if [ "$run" != panel-first ] && [ "$PRIME" -gt 0 ]; then
        plasmoidviewer -a "$dir/$applet-pkg" "${where[@]}" >"$n.prime.log" 2>&1 &
        pid=$!
        sleep "$PRIME"
        stop_pid "$pid"
      fi
      plasmoidviewer -a "$dir/$applet-pkg" "${where[@]}" >"$n.log" 2>&1 &
      pid=$!
      python3 "$sampler" --pid "$pid" --warm "$WARM" --window "$WINDOW" --out "$n.json" \
        --stats-url "$stats_url" --ca ca.pem 2>"$n.sampler.err" || echo "sampler failed" >>"$n.sampler.err"
      import -window root "$n.png" 2>/dev/null || true
      stop_pid "$pid"
    done
  done
  exit 0
fi

# ------------------------------------------------------------------ the host
WARM=${BENCH_PLASMA_WARM:-30}
WINDOW=${BENCH_PLASMA_WINDOW:-60}
RUNS=${BENCH_PLASMA_RUNS:-panel panel-first desktop}
PRIME=${BENCH_PLASMA_PRIME:-20}
APPLETS=${BENCH_PLASMA_APPLETS:-empty widget}
GUESTS=${BENCH_PLASMA_GUESTS:-1000}
plasma_prologue "$NAME"
[ -s dist/cli.mjs ] && [ -s contents/code/proxmon.mjs ] || node scripts/build.mjs

# The scenario of `npm run bench` at this size; the token secret is made
# here and goes file to file, never into an argument.
node -e 'const fs = require("fs"), crypto = require("crypto");
  const [out, guests] = [process.argv[1], Number(process.argv[2])];
  const secret = crypto.randomUUID();
  fs.writeFileSync(out + "/secret.txt", secret + "\n");
  fs.writeFileSync(out + "/scenario.json", JSON.stringify({
    description: "npm run bench:plasma", seed: 7,
    cluster: { name: "bench", count: Math.min(64, Math.max(1, Math.ceil(guests / 150))) },
    guests: { count: guests, lxcRatio: 0.3 },
    token: { id: "bench@pve!bench", secret },
  }));' "$out" "$GUESTS"
node bin/proxmon.mjs simulate --scenario "$out/scenario.json" --port 0 >"$out/sim.out" 2>"$out/sim.err" &
watch_host_process $!
wait_until 300 grep -q '^PROXMON_SIMULATOR ' "$out/sim.out" || {
  echo "bench:plasma: the simulator did not start" >&2
  cat "$out/sim.err" >&2
  exit 1
}
read -r port ca control <<<"$(node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").split("\n")
  .find((x) => x.startsWith("PROXMON_SIMULATOR ")); const r = JSON.parse(l.slice(18));
  console.log(new URL(r.url).port, r.caFile, r.control);' "$out/sim.out")"
cp "$ca" "$out/ca.pem"
echo "$control/stats" >"$out/stats-url.txt"

# The widget: 10 s refresh, one node expanded (what the desktop run shows).
stage_package widget --test-default proxmoxHost=127.0.0.1 --test-default "proxmoxPort=$port" \
  --test-default apiTokenId=bench@pve!bench --test-default "refreshInterval=$REFRESH" \
  --test-default expandedNodes=node/pve1 --test-secret-file "$out/secret.txt"
if [ -n "${BENCH_PLASMA_HOOK:-}" ]; then
  echo "bench:plasma: hook $BENCH_PLASMA_HOOK on the staged widget" >&2
  $BENCH_PLASMA_HOOK "$out/widget-pkg"
fi
# The empty applet: the same kind of package, a label and an icon, no code.
mkdir -p "$out/empty-pkg/contents/ui"
cat >"$out/empty-pkg/metadata.json" <<'JSON'
{
  "KPackageStructure": "Plasma/Applet",
  "KPlugin": { "Id": "org.kde.plasma.proxmonbenchempty", "Name": "Empty", "Icon": "network-server" },
  "X-Plasma-API-Minimum-Version": "6.0"
}
JSON
cat >"$out/empty-pkg/contents/ui/main.qml" <<'QML'
import QtQuick
import org.kde.plasma.plasmoid
import org.kde.plasma.components as PlasmaComponents3

PlasmoidItem {
    Plasmoid.icon: "network-server"
    fullRepresentation: PlasmaComponents3.Label {
        text: "empty"
    }
}
QML

echo "bench:plasma: $RUNS; ${WARM} s warm-up + ${WINDOW} s window per run, $GUESTS guests" >&2
run_rc=0
bash "$root_sh" run -e "WARM=$WARM" -e "WINDOW=$WINDOW" -e "RUNS=$RUNS" -e "APPLETS=$APPLETS" -e "PRIME=$PRIME" -- bash scripts/plasma-host/session.sh \
  bash scripts/bench/plasma.sh --in-session || run_rc=$?
stop_host_process
node scripts/bench/plasma-report.mjs "$out" "$GUESTS" "$REFRESH" build/bench/plasma.json
exit "$run_rc"
