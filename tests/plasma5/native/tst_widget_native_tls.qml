// The Plasma 5 widget's route to the native TLS module, as installed: this
// file sits in a package's contents/ui beside the generated Plasma 5
// NativeLoader.qml and NativeTls.qml, the module built from native/qt5 is in
// contents/native (install.sh's layout), and the requests go through the
// widget's own transport choice (src/widget/transport-choice.ts) to the
// simulator of tests/plasma/native/sim-driver.ts, whose certificate no system
// store trusts. tests/plasma5/test-native-tls.sh runs it in qmltestrunner
// without any import path: the module is found by directory, as in the widget.
import QtQuick
import QtTest
import "native-core.mjs" as Core
import "env.mjs" as Env

TestCase {
    id: testCase
    name: "WidgetNativeTls"

    NativeLoader { id: nativeLoader }

    readonly property var env: Env.env

    function settle(promise, ms) {
        const box = { done: false, value: undefined };
        promise.then(function (v) { box.done = true; box.value = v; });
        tryVerify(function () { return box.done; }, ms || 10000, "promise settled");
        return box.value;
    }

    function stats() {
        const xhr = new XMLHttpRequest();
        const box = { done: false };
        xhr.onreadystatechange = function () {
            if (xhr.readyState === XMLHttpRequest.DONE) box.done = true;
        };
        xhr.open("GET", env.control + "/stats");
        xhr.send();
        tryVerify(function () { return box.done; }, 10000, "control server answered");
        compare(xhr.status, 200);
        return JSON.parse(xhr.responseText);
    }

    function client(policy) {
        const module = nativeLoader.asModule();
        verify(module !== null, "the loader found the module");
        return Core.createClient({
            transport: Core.nativeTransportFor(module, policy),
            host: "127.0.0.1",
            port: env.a.port,
            tokenId: env.token.id,
            secret: env.token.secret,
            timeoutMs: 8000
        });
    }

    function test_01_loader_finds_the_module_in_the_package() {
        verify(nativeLoader.load(testCase) !== null, "NativeLoader.load() found contents/native");
        verify(nativeLoader.available);
        compare(nativeLoader.transport.apiVersion, 1);
    }

    function test_02_pinned_fingerprint_works() {
        nativeLoader.load(testCase);
        const before = stats().a;
        const r = settle(client({ mode: "pin", fingerprint256: env.a.fingerprint256 }).get("/version").result);
        verify(r.ok, JSON.stringify(r.error));
        verify(typeof r.value.version === "string", JSON.stringify(r.value));
        verify(stats().a > before, "the request reached the server");
    }

    function test_03_wrong_pin_refused_without_sending_the_token() {
        nativeLoader.load(testCase);
        const before = stats().a;
        const r = settle(client({ mode: "pin", fingerprint256: env.b.fingerprint256 }).get("/version").result);
        compare(r.ok, false);
        compare(r.error.kind, "tls");
        verify(r.error.message.indexOf("does not match the pinned fingerprint") >= 0, r.error.message);
        compare(stats().a, before, "the refused connection carried no request (no token sent)");
        // And the next one, on the same loader, is checked again.
        const again = settle(client({ mode: "pin", fingerprint256: env.b.fingerprint256 }).get("/version").result);
        compare(again.ok, false);
        compare(stats().a, before, "still no request");
    }

    function test_04_cluster_ca_works() {
        nativeLoader.load(testCase);
        const r = settle(client({ mode: "ca", caPem: env.caPem }).get("/version").result);
        verify(r.ok, JSON.stringify(r.error));
    }

    function test_05_insecure_works() {
        nativeLoader.load(testCase);
        const r = settle(client({ mode: "insecure" }).get("/version").result);
        verify(r.ok, JSON.stringify(r.error));
    }

    function test_06_system_trust_refuses_the_simulator() {
        nativeLoader.load(testCase);
        const before = stats().a;
        const r = settle(client({ mode: "system" }).get("/version").result);
        compare(r.ok, false);
        compare(r.error.kind, "tls");
        compare(stats().a, before, "no request reached the server");
    }
}
