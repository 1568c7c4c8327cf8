#!/usr/bin/env bash
# BENCH_PLASMA_HOOK=scripts/bench/hook-gc.sh: collects the JS garbage once
# per refresh interval (a Timer calling gc() every 10 s in the staged main.qml),
# so a memory curve can tell the engine's heap growth from memory that is
# really kept: with it, what is left is what the widget holds on to.
set -euo pipefail
main="$1/contents/ui/main.qml"
last=$(grep -n '^}' "$main" | tail -1 | cut -d: -f1)
head -n $((last - 1)) "$main" >"$main.new"
cat >>"$main.new" <<'QML'
    Timer {
        interval: 10000
        running: true
        repeat: true
        onTriggered: gc()
    }
}
QML
mv "$main.new" "$main"
