#!/usr/bin/env bash
# The native TLS module built against Qt 5.15 (native/qt5, from the same
# native/src/tlsclient.{h,cpp} as the Qt 6 module) inside the Plasma 5.27
# root (Debian 12):
#   - builds native/qt5 there with cmake (into /out/native5-build)
#   - runs tests/plasma/native/tst_native_tls.qml (the Plasma 6 edition's
#     test of every TLS case, imports turned into their Qt 5 form) in Qt 5's
#     qmltestrunner against the simulators of tests/plasma/native/sim-driver.ts:
#     system trust refused, correct pin works, wrong pin refused before any
#     request is sent, CA, insecure, changed certificate, timeout, abort, …
#   - lays the module out as install.sh does (contents/native beside the
#     generated Plasma 5 contents/ui) and runs
#     tests/plasma5/native/tst_widget_native_tls.qml there: the widget's
#     NativeLoader.qml finds the module by directory import, and the widget's
#     transport choice reaches the simulator with a pin, the CA and insecure,
#     while a wrong pin is refused without the token being sent
# Prints one "ok - …" / "not ok - …" line per check; exits non-zero on failure.
#
# Host side: PROXMON_PLASMA_EDITION=5 bash tests/plasma5/test-native-tls.sh   (as root)
set -euo pipefail

NAME=native-tls5
# shellcheck source-path=SCRIPTDIR source=../plasma/lib/common.sh
. "$(dirname "$0")/../plasma/lib/common.sh"

qmltestrunner5=/usr/lib/qt5/bin/qmltestrunner

# ------------------------------------------------------------ inside the root
if [ "${1:-}" = --in-session ]; then
  session_prologue "$NAME"
  build=/out/native5-build
  rm -rf "$build"
  rc=0
  { cmake -S /proxmon/native/qt5 -B "$build" -DCMAKE_BUILD_TYPE=Release -DPROXMON_QML_DIR=. &&
    cmake --build "$build" -j"$(nproc)"; } >cmake.log 2>&1 || rc=$?
  echo "$rc" >cmake.rc
  grep -ciE '(^|[^-])warning:' cmake.log >cmake.warnings || true
  ldd "$build/qml/org/kde/proxmon/tls/libproxmontls.so" >ldd.txt 2>&1 || true

  # Every TLS case, the module imported by URI from the build folder.
  record_rc qmltest env QT_QPA_PLATFORM=offscreen QV4_GC_TIMELIMIT=0 "$qmltestrunner5" \
    -import "$build/qml" -input "$dir/qml/tst_native_tls.qml" \
    -o "$dir/qmltest.txt,txt" -o -,txt >qmltest.out 2>&1

  # install.sh's layout: cmake --install into the package's contents/native.
  record_rc install cmake --install "$build" --prefix "$dir/pkg/contents/native" >install.log 2>&1
  find "$dir/pkg/contents/native" -type f | sort >installed.txt
  record_rc widget env QT_QPA_PLATFORM=offscreen QV4_GC_TIMELIMIT=0 "$qmltestrunner5" \
    -input "$dir/pkg/contents/ui/tst_widget_native_tls.qml" \
    -o "$dir/widget.txt,txt" -o -,txt >widget.out 2>&1
  exit 0
fi

# ------------------------------------------------------------------ the host
plasma_prologue "$NAME" qml qt6 sim pkg/contents
if [ "${PROXMON_PLASMA_EDITION:-6}" != 5 ]; then
  echo "not ok - set PROXMON_PLASMA_EDITION=5 (this test runs in the Plasma 5.27 root)"
  exit 1
fi

npx --no-install esbuild tests/plasma/native/sim-driver.ts --bundle --platform=node --format=esm \
  --outfile="$out/sim-driver.mjs" --log-level=warning
npx --no-install esbuild tests/plasma/native/entry.ts --bundle --platform=neutral --format=esm \
  --target=es2016 --outfile="$out/qml/native-core.mjs" --log-level=warning
# The Plasma 6 test, with Qt 5 imports (the module's URI needs its version on Qt 5).
sed 's/^import org\.kde\.proxmon\.tls as Tls$/import org.kde.proxmon.tls 1.0 as Tls/' \
  tests/plasma/native/tst_native_tls.qml >"$out/qt6/tst_native_tls.qml"
grep -q '^import org.kde.proxmon.tls 1.0 as Tls$' "$out/qt6/tst_native_tls.qml" || {
  echo "not ok - tst_native_tls.qml: its module import changed; update the rewrite above"
  exit 1
}
cp tests/plasma5/native/tst_widget_native_tls.qml "$out/qt6/"
node scripts/plasma5.mjs tests "$out/qt6" "$out/qml"
# The widget's QML as the Plasma 5 package has it; the widget test beside it.
node scripts/plasma5.mjs qml "$out/pkg"
mv "$out/qml/tst_widget_native_tls.qml" "$out/pkg/contents/ui/"
cp "$out/qml/native-core.mjs" "$out/pkg/contents/ui/"

node "$out/sim-driver.mjs" "$out/sim" >"$out/sim-driver.log" 2>&1 &
watch_host_process $!
wait_until 100 test -s "$out/sim/env.mjs" || {
  echo "not ok - the simulators did not start"
  cat "$out/sim-driver.log" >&2
  exit 1
}
cp "$out/sim/env.mjs" "$out/qml/env.mjs"
cp "$out/sim/env.mjs" "$out/pkg/contents/ui/env.mjs"

run_rc=0
bash "$root_sh" run -e KDE_SESSION_VERSION=5 -- bash scripts/plasma-host/session.sh \
  bash "tests/plasma5/$(basename "$0")" --in-session || run_rc=$?
stop_host_process

# ---------------------------------------------------------------- the checks
passed() { grep -qE "^PASS   : (qmltestrunner::)?$1\(\)" "$out/$2"; }
links_only_qt5() {
  grep -q 'libQt5Network' "$out/ldd.txt" && ! grep -qiE 'libplasma|libKF5|libQt6' "$out/ldd.txt"
}

check "root.sh run (Debian 12, Plasma 5.27): the session inside exited cleanly" test "$run_rc" -eq 0
check "native/qt5: cmake builds the TLS module against Qt 5.15" rc_is "$out/cmake.rc" 0
check "native/qt5: the build has no compiler warnings" rc_is "$out/cmake.warnings" 0
check "native/qt5: the TLS plugin links Qt 5 Core/Network/Qml only (no libplasma, no KF5)" links_only_qt5
check "Qt 5: the module loads (NativeTransport, apiVersion 1)" passed NativeTls::test_01_module_loads qmltest.txt
check "Qt 5: system trust → TLS error with the server's fingerprint" passed NativeTls::test_02_system_trust_refused_with_fingerprint qmltest.txt
check "Qt 5: correct pin → works" passed NativeTls::test_03_pin_correct_works qmltest.txt
check "Qt 5: wrong pin → refused, and the server saw no request" passed NativeTls::test_04_pin_wrong_refused_before_sending qmltest.txt
check "Qt 5: a wrong pin stays refused for parallel and later requests" passed NativeTls::test_04b_pin_wrong_stays_refused_for_parallel_and_later_requests qmltest.txt
check "Qt 5: CA → works" passed NativeTls::test_05_ca_works qmltest.txt
check "Qt 5: CA with a wrong host name → refused" passed NativeTls::test_06_ca_wrong_host_name_refused qmltest.txt
check "Qt 5: insecure → works" passed NativeTls::test_07_insecure_works qmltest.txt
check "Qt 5: certificate changed after pinning → refused, no request sent" passed NativeTls::test_08_certificate_changed_after_pinning_refused qmltest.txt
check "Qt 5: timeout" passed NativeTls::test_09_timeout qmltest.txt
check "Qt 5: a closed port → unreachable" passed NativeTls::test_10_refused_connection_unreachable qmltest.txt
check "Qt 5: abort()" passed NativeTls::test_11_abort qmltest.txt
check "Qt 5: body limit" passed NativeTls::test_12_body_limit qmltest.txt
check "Qt 5: policies do not share kept-alive connections" passed NativeTls::test_13_policies_do_not_share_connections qmltest.txt
check "Qt 5: HTTP error statuses are responses" passed NativeTls::test_14_http_errors_are_responses qmltest.txt
check "Qt 5: qmltestrunner passed overall" rc_is "$out/qmltest.rc" 0
check "install layout: cmake --install puts the TLS module (qmldir, plugin, NativeTransport.qml) into contents/native" \
  bash -c "grep -q 'contents/native/org/kde/proxmon/tls/libproxmontls.so' '$out/installed.txt' &&
    grep -q 'contents/native/org/kde/proxmon/tls/NativeTransport.qml' '$out/installed.txt'"
check "widget (Plasma 5): NativeLoader.qml finds the module in contents/native by directory import" \
  passed WidgetNativeTls::test_01_loader_finds_the_module_in_the_package widget.txt
check "widget (Plasma 5): a pinned fingerprint reaches the simulator (not in the system store)" \
  passed WidgetNativeTls::test_02_pinned_fingerprint_works widget.txt
check "widget (Plasma 5): a wrong pin is refused without sending the token" \
  passed WidgetNativeTls::test_03_wrong_pin_refused_without_sending_the_token widget.txt
check "widget (Plasma 5): the cluster CA works" passed WidgetNativeTls::test_04_cluster_ca_works widget.txt
check "widget (Plasma 5): insecure works" passed WidgetNativeTls::test_05_insecure_works widget.txt
check "widget (Plasma 5): system trust refuses the simulator, nothing sent" \
  passed WidgetNativeTls::test_06_system_trust_refuses_the_simulator widget.txt
check "widget (Plasma 5): qmltestrunner passed overall" rc_is "$out/widget.rc" 0

diagnose() {
  show_ends tail 40 cmake.log qmltest.out install.log widget.out sim-driver.log
}
finish diagnose
