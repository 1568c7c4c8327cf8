// The native TLS module (org.kde.proxmon.tls, built from native/) in Qt's
// real engine, driven through the TypeScript adapter and API client exactly
// as the widget would: NativeTransport.request → createNativeTransport →
// createClient. The servers come from tests/plasma/native/sim-driver.ts on
// the host's loopback; env.mjs (written by it) says where they are.
// tests/plasma/test-native-tls.sh copies this file next to the bundles and
// runs it with qmltestrunner -import <build>/qml.
import QtQuick
import QtTest
import org.kde.proxmon.tls as Tls
import "native-core.mjs" as Core
import "env.mjs" as Env

TestCase {
    id: testCase
    name: "NativeTls"

    Tls.NativeTransport { id: nativeTls }
    Tls.NativeTransport { id: smallBodies }

    readonly property var env: Env.env

    function policyPin(fp) { return { mode: "pin", fingerprint256: fp }; }
    function policyCa() { return { mode: "ca", caPem: env.caPem }; }

    function transport(policy, nt) {
        return Core.createNativeTransport({ nativeRequest: (nt || nativeTls).request, policy: policy });
    }

    function url(port, path) { return "https://127.0.0.1:" + port + "/api2/json" + path; }

    function client(policy, port) {
        return Core.createClient({
            transport: transport(policy),
            host: "127.0.0.1",
            port: port,
            tokenId: env.token.id,
            secret: env.token.secret,
            timeoutMs: 8000
        });
    }

    // Promises settle on the event loop; tryVerify keeps it turning.
    function settle(promise, ms) {
        const box = { done: false, value: undefined };
        promise.then(function (v) { box.done = true; box.value = v; });
        tryVerify(function () { return box.done; }, ms || 10000, "promise settled");
        return box.value;
    }

    function send(policy, port, path, timeoutMs) {
        const pending = transport(policy).send({
            method: "GET",
            url: url(port, path || "/version"),
            headers: { Authorization: "PVEAPIToken=" + env.token.id + "=" + env.token.secret },
            timeoutMs: timeoutMs || 8000
        });
        return settle(pending.result);
    }

    function http(method, path) {
        const xhr = new XMLHttpRequest();
        const box = { done: false };
        xhr.onreadystatechange = function () {
            if (xhr.readyState === XMLHttpRequest.DONE) box.done = true;
        };
        xhr.open(method, env.control + path);
        xhr.send();
        tryVerify(function () { return box.done; }, 10000, "control server answered " + path);
        compare(xhr.status, 200, path);
        return JSON.parse(xhr.responseText);
    }

    function stats() { return http("GET", "/stats"); }

    function ctx(port) { return { host: "127.0.0.1", port: port, path: "/version" }; }

    function test_01_module_loads() {
        compare(nativeTls.apiVersion, 1);
        compare(typeof nativeTls.request, "function");
        compare(nativeTls.client.maxBodyBytes, 64 * 1024 * 1024);
    }

    function test_02_system_trust_refused_with_fingerprint() {
        const before = stats().a;
        const r = send({ mode: "system" }, env.a.port);
        compare(r.ok, false);
        compare(r.failure.kind, "tls");
        verify(r.failure.certificate !== undefined, "the refusal carries the certificate");
        compare(r.failure.certificate.fingerprint256, env.a.fingerprint256);
        verify(/CN=localhost/.test(r.failure.certificate.subject), r.failure.certificate.subject);
        verify(/PVE Cluster Manager CA/.test(r.failure.certificate.issuer), r.failure.certificate.issuer);
        verify(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.failure.certificate.validTo), r.failure.certificate.validTo);
        verify(/^(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/.test(r.failure.detail), r.failure.detail);
        const error = Core.classifyWireFailure(r.failure, ctx(env.a.port));
        verify(error.message.indexOf(env.a.fingerprint256) >= 0, error.message);
        compare(stats().a, before, "no request reached the server");
        console.log("proxmon-native: system → " + r.failure.detail);
    }

    function test_03_pin_correct_works() {
        // Pasted the way openssl prints it: the shared policy code normalises it.
        const pin = "sha256 Fingerprint=" + env.a.fingerprint256.toLowerCase();
        const r = settle(client(policyPin(pin), env.a.port).get("/version").result);
        verify(r.ok, JSON.stringify(r.error));
        verify(typeof r.value.version === "string", JSON.stringify(r.value));
    }

    function test_04_pin_wrong_refused_before_sending() {
        const before = stats().a;
        const r = send(policyPin(env.b.fingerprint256), env.a.port);
        compare(r.ok, false);
        compare(r.failure.kind, "tls");
        compare(r.failure.detail, Core.WIRE_DETAIL.pinMismatch);
        compare(r.failure.certificate.fingerprint256, env.a.fingerprint256);
        compare(stats().a, before, "the refused connection carried no request");
        const viaClient = settle(client(policyPin(env.b.fingerprint256), env.a.port).get("/version").result);
        compare(viaClient.ok, false);
        compare(viaClient.error.kind, "tls");
        verify(viaClient.error.message.indexOf("does not match the pinned fingerprint") >= 0, viaClient.error.message);
        compare(stats().a, before, "still no request");
    }

    // encrypted() fires per connection, not per request: a refused pin must
    // stay refused for requests queued or sent later on the same policy.
    function test_04b_pin_wrong_stays_refused_for_parallel_and_later_requests() {
        const before = stats().a;
        const policy = policyPin(env.b.fingerprint256);
        const t = transport(policy);
        const pending = [];
        for (let i = 0; i < 3; i++) {
            pending.push(t.send({ method: "GET", url: url(env.a.port, "/version"),
                                  headers: { Authorization: "PVEAPIToken=" + env.token.id + "=" + env.token.secret },
                                  timeoutMs: 8000 }));
        }
        for (let i = 0; i < pending.length; i++) {
            const r = settle(pending[i].result);
            compare(r.ok, false, "parallel request " + i);
            compare(r.failure.detail, Core.WIRE_DETAIL.pinMismatch);
        }
        // The widget's retry comes after its 5 s backoff, through the client.
        wait(5500);
        for (let i = 0; i < 3; i++) {
            const r = settle(client(policy, env.a.port).get("/version").result);
            compare(r.ok, false, "later request " + i);
            compare(r.error.kind, "tls");
        }
        for (let i = 0; i < 2; i++) {
            const r = send(policy, env.a.port);
            compare(r.ok, false, "later request " + i);
            compare(r.failure.detail, Core.WIRE_DETAIL.pinMismatch);
        }
        compare(stats().a, before, "no request reached the server");
    }

    function test_05_ca_works() {
        const r = settle(client(policyCa(), env.a.port).get("/version").result);
        verify(r.ok, JSON.stringify(r.error));
    }

    function test_06_ca_wrong_host_name_refused() {
        const before = stats().b;
        const r = send(policyCa(), env.b.port);
        compare(r.ok, false);
        compare(r.failure.kind, "tls");
        verify(r.failure.detail.indexOf("ERR_TLS_CERT_ALTNAME_INVALID") === 0, r.failure.detail);
        compare(r.failure.certificate.fingerprint256, env.b.fingerprint256);
        const error = Core.classifyWireFailure(r.failure, ctx(env.b.port));
        verify(error.message.indexOf("not valid for the name 127.0.0.1") >= 0, error.message);
        compare(stats().b, before, "no request reached the server");
    }

    function test_07_insecure_works() {
        // Against the certificate that is both untrusted and for another name.
        const r = settle(client({ mode: "insecure" }, env.b.port).get("/version").result);
        verify(r.ok, JSON.stringify(r.error));
    }

    function test_08_certificate_changed_after_pinning_refused() {
        const pinned = env.c.fingerprint256;
        const pinnedClient = client(policyPin(pinned), env.c.port);
        const first = settle(pinnedClient.get("/version").result);
        verify(first.ok, "works while the pinned certificate is served: " + JSON.stringify(first.error));
        const rotated = http("POST", "/rotate");
        verify(rotated.fingerprint256 !== pinned, "the server has a new certificate");
        const second = settle(pinnedClient.get("/version").result);
        compare(second.ok, false);
        compare(second.error.kind, "tls");
        compare(second.error.certificate.fingerprint256, rotated.fingerprint256);
        verify(second.error.message.indexOf(rotated.fingerprint256) >= 0, second.error.message);
        // Both fingerprints at the module boundary: what was pinned and what came.
        const box = { done: false, result: null };
        nativeTls.request({
            method: "GET", url: url(env.c.port, "/version"), headers: {}, timeoutMs: 8000,
            tls: Core.nativeTlsSpec(policyPin(pinned))
        }, function (result) { box.done = true; box.result = result; });
        tryVerify(function () { return box.done; }, 10000);
        compare(box.result.ok, false);
        compare(box.result.pinMismatch, true);
        compare(box.result.expectedFingerprint256, pinned);
        compare(box.result.certificate.fingerprint256, rotated.fingerprint256);
        compare(stats().cCurrent, 0, "the new server never saw a request");
    }

    function test_09_timeout() {
        const started = Date.now();
        const r = send({ mode: "insecure" }, env.hangPort, "/version", 700);
        compare(r.ok, false);
        compare(r.failure.kind, "timeout");
        verify(Date.now() - started < 5000, "ended by the deadline");
    }

    function test_10_refused_connection_unreachable() {
        const r = send({ mode: "insecure" }, env.closedPort);
        compare(r.ok, false);
        compare(r.failure.kind, "unreachable");
        verify(r.failure.detail.indexOf("ECONNREFUSED") === 0, r.failure.detail);
    }

    function test_11_abort() {
        const pending = transport({ mode: "insecure" }).send({
            method: "GET", url: url(env.hangPort, "/version"), headers: {}, timeoutMs: 20000
        });
        tryVerify(function () { return nativeTls.pending === 1; }, 2000);
        pending.abort();
        const r = settle(pending.result);
        compare(r.failure.kind, "aborted");
        compare(nativeTls.pending, 0, "the native request ended too");
    }

    function test_12_body_limit() {
        smallBodies.client.maxBodyBytes = 16;
        const r = settle(transport({ mode: "insecure" }, smallBodies).send({
            method: "GET", url: url(env.a.port, "/version"), timeoutMs: 8000,
            headers: { Authorization: "PVEAPIToken=" + env.token.id + "=" + env.token.secret }
        }).result);
        verify(r.ok, JSON.stringify(r));
        compare(r.response.status, 200);
        verify(/^response larger than/.test(r.response.headers["x-proxmon-body-error"]), JSON.stringify(r.response.headers));
    }

    function test_13_policies_do_not_share_connections() {
        // A kept-alive connection opened under "insecure" must not carry a "pin" request.
        const ok = send({ mode: "insecure" }, env.a.port);
        verify(ok.ok, JSON.stringify(ok));
        const r = send(policyPin(env.b.fingerprint256), env.a.port);
        compare(r.ok, false);
        compare(r.failure.detail, Core.WIRE_DETAIL.pinMismatch);
        const s = send(policyCa(), env.b.port);
        compare(s.ok, false, "CA after insecure on the same server still checks the name");
    }

    function test_14_http_errors_are_responses() {
        const r = send({ mode: "insecure" }, env.a.port, "/nodes/nosuchnode/status");
        verify(r.ok, JSON.stringify(r));
        verify(r.response.status >= 400, String(r.response.status));
        verify(r.response.headers["content-type"] !== undefined, JSON.stringify(r.response.headers));
    }
}
