import QtQuick
import QtQuick.Layouts
import org.kde.plasma.plasmoid

// Test harness (tests/plasma/test-widget-tls.sh stages it as the package's
// main.qml): the Connection settings page's trust-on-first-use flow against
// the simulator, whose CA the system does not trust. One "harness: …" line
// per step. The secret comes from the test staging's SecretSource.qml and
// never appears in a line.
PlasmoidItem {
    id: root

    property var page: null
    property var steps: []

    preferredRepresentation: fullRepresentation
    fullRepresentation: Item {
        id: holder
        Layout.preferredWidth: 640
        Layout.preferredHeight: 900
        Component.onCompleted: root.holder = holder
    }
    property Item holder: null

    function say(line) {
        console.log("harness: " + line);
    }
    function next() {
        const step = steps.shift();
        if (step)
            Qt.callLater(step);
        else
            say("done");
    }

    SecretSource {
        id: secretSource
    }

    Timer {
        id: poll
        property var until: null
        property int left: 0
        interval: 100
        repeat: true
        onTriggered: {
            left--;
            if (until() || left <= 0) {
                stop();
                root.next();
            }
        }
    }
    function waitFor(condition, seconds) {
        poll.until = condition;
        poll.left = seconds * 10;
        poll.start();
    }

    Component.onCompleted: {
        steps = [function () {
                // The page goes into the shown representation, for the screenshot.
                waitFor(function () {
                    return root.holder !== null;
                }, 10);
            }, function () {
                const component = Qt.createComponent(Qt.resolvedUrl("ConfigConnection.qml"));
                if (component.status !== Component.Ready) {
                    say("page-load-failed " + component.errorString());
                    next();
                    return;
                }
                page = component.createObject(root.holder || root, {
                    cfg_proxmoxHost: Plasmoid.configuration.proxmoxHost,
                    cfg_proxmoxPort: Plasmoid.configuration.proxmoxPort,
                    cfg_apiTokenId: Plasmoid.configuration.apiTokenId,
                    cfg_tlsMode: "system",
                    cfg_tlsFingerprint: "",
                    cfg_ignoreSsl: false,
                    width: 640,
                    height: 900
                });
                say("page-created native " + page.nativeAvailable + " mode " + page.effectiveTlsMode);
                page.secretInput = secretSource.secret;
                page.runTest();
                waitFor(function () {
                    return page.testState === "ok" || (page.testState === "error" && (page.testCertificate === null || (page.testNodeCheck !== "" && page.testNodeCheck !== "checking")));
                }, 30);
            }, function () {
                const c = page.testCertificate;
                say("system-test " + page.testState + " certificate " + (c ? c.fingerprint256 : "none") + " node-check " + page.testNodeCheck + " " + page.testNodeName);
                say("system-test subject " + (c ? c.subject : "") + " | issuer " + (c ? c.issuer : "") + " | valid " + (c ? c.validFrom + " " + c.validTo : ""));
                say("system-test message " + page.testText);
                // Scrolled to the certificate for the screenshot.
                const flick = page.flickable;
                if (flick)
                    flick.contentY = Math.max(0, flick.contentHeight - flick.height);
                waitFor(function () {
                    return false;
                }, 2);
            }, function () {
                say("screenshot-ready");
                waitFor(function () {
                    return false;
                }, 3);
            }, function () {
                page.trustCertificate();
                say("trusted mode " + page.cfg_tlsMode + " fingerprint " + page.cfg_tlsFingerprint + " ignoreSsl " + page.cfg_ignoreSsl + " effective " + page.effectiveTlsMode);
                page.runTest();
                waitFor(function () {
                    return page.testState === "ok" || page.testState === "error";
                }, 30);
            }, function () {
                say("pinned-test " + page.testState + " " + page.testText);
                // The cluster CA mode: the simulator's CA (the staging's
                // tlsCaPem default) pasted into the page's text area.
                page.cfg_ignoreSsl = false;
                page.cfg_tlsMode = "ca";
                page.caPemInput = Plasmoid.configuration.tlsCaPem;
                say("ca-page effective " + page.effectiveTlsMode + " problem " + page.caProblem + " count " + page.caCount);
                page.runTest();
                waitFor(function () {
                    return page.testState === "ok" || page.testState === "error";
                }, 30);
            }, function () {
                say("ca-test " + page.testState + " " + page.testText);
                const flick = page.flickable;
                if (flick)
                    flick.contentY = Math.max(0, flick.contentHeight - flick.height);
                waitFor(function () {
                    return false;
                }, 2);
            }, function () {
                say("ca-screenshot-ready");
                waitFor(function () {
                    return false;
                }, 3);
            }, function () {
                const stored = page.cfg_tlsCaPem;
                // A pasted private key (made up: only its armour matters) must
                // neither reach the cfg_ value nor stay in the field.
                page.caPemInput = stored + "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n";
                say("ca-key refused " + page.caKeyRefused + " stored-unchanged " + (page.cfg_tlsCaPem === stored) + " field-has-key " + (page.caPemInput.indexOf("PRIVATE") >= 0) + " config-has-key " + (page.cfg_tlsCaPem.indexOf("PRIVATE") >= 0));
                page.secretInput = "";
                next();
            }];
        next();
    }
}
