import QtQuick
import org.kde.plasma.plasmoid

// Test harness (tests/plasma/test-keyring.sh stages it as the package's
// main.qml): drives Keyring.qml and ConfigConnection.qml against the KWallet
// stand-in and logs one "harness: …" line per step. Secrets are made here at
// run time and only their MD5 is logged, so the check can find them in the
// stand-in's store while logs and caches never hold them.
PlasmoidItem {
    id: root

    readonly property var accountA: ({ host: "Harness.Example", port: 8006, tokenId: "harness@pve!a" })
    readonly property var accountB: ({ host: "harness.example", port: 8007, tokenId: "harness@pve!b" })
    property string secretA: ""
    property var steps: []
    property var page: null
    property int revisionBefore: 0

    function log(level, message) {
        console.log("harness: log " + level + " " + message);
    }
    function say(line) {
        console.log("harness: " + line);
    }
    function made(tag) {
        return "hs-" + tag + "-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
    }
    function next() {
        const step = steps.shift();
        if (step)
            Qt.callLater(step);
        else
            say("done");
    }
    function failText(result) {
        return result.ok ? "ok" : result.error.kind + " " + result.error.message;
    }

    Keyring {
        id: keyring
        log: root.log
    }
    Keyring {
        id: broken
        busSource: Qt.resolvedUrl("KeyringBroken.qml")
        log: root.log
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
                secretA = made("a");
                say("write-a md5 " + Qt.md5(secretA));
                keyring.write(accountA, secretA, function (r) {
                    say("write-a " + failText(r));
                    next();
                });
            }, function () {
                keyring.read(accountA, function (r) {
                    say("read-a " + (r.ok ? (r.value === secretA ? "same" : "different") : failText(r)));
                    secretA = "";
                    next();
                });
            }, function () {
                keyring.write(accountB, made("b"), function (r) {
                    say("write-b " + failText(r));
                    keyring.remove(accountB, function (r2) {
                        say("remove-b " + failText(r2));
                        keyring.read(accountB, function (r3) {
                            say("read-b-after-remove " + (r3.ok ? (r3.value === null ? "null" : "still-there") : failText(r3)));
                            next();
                        });
                    });
                });
            }, function () {
                broken.read(accountA, function (r) {
                    say("broken-read " + (r.ok ? "ok?" : r.error.kind));
                    say("broken-message " + broken.messageFor(r.error));
                    next();
                });
            }, function () {
                // The settings page, as the config dialog would show it.
                const component = Qt.createComponent(Qt.resolvedUrl("ConfigConnection.qml"));
                if (component.status !== Component.Ready) {
                    say("dialog-load-failed " + component.errorString());
                    next();
                    return;
                }
                page = component.createObject(root, {
                    cfg_proxmoxHost: "dialog.example",
                    cfg_proxmoxPort: 8006,
                    cfg_apiTokenId: "dialog@pve!proxmon",
                    visible: false
                });
                page.keyringStateChanged.connect(function () {
                    say("dialog-state " + page.keyringState + " ready " + page.accountReady);
                });
                say("dialog-created ready " + page.accountReady + " host " + page.cfg_proxmoxHost + " token " + page.cfg_apiTokenId + " demo " + page.cfg_demoMode + " problem " + page.tokenProblem + " state " + page.keyringState);
                waitFor(function () {
                    return page.keyringState === "absent" || page.keyringState === "error";
                }, 10);
            }, function () {
                say("dialog-initial " + page.keyringState);
                revisionBefore = Plasmoid.configuration.secretRevision;
                const secret = made("c");
                say("dialog-save md5 " + Qt.md5(secret));
                page.secretInput = secret;
                page.saveConfig();
                waitFor(function () {
                    return page.keyringState === "stored" || page.keyringState === "error";
                }, 10);
            }, function () {
                say("dialog-after-save " + page.keyringState + " field-empty " + (page.secretInput === "") + " revision+" + (Plasmoid.configuration.secretRevision - revisionBefore));
                page.secretInput = made("d");
                page.forget();
                say("dialog-forget field-empty " + (page.secretInput === "") + " offer-delete " + page.offerDelete);
                page.deleteStored();
                waitFor(function () {
                    return page.keyringState === "absent" || page.keyringState === "error";
                }, 10);
            }, function () {
                say("dialog-after-delete " + page.keyringState + " revision+" + (Plasmoid.configuration.secretRevision - revisionBefore));
                page.destroy();
                page = null;
                next();
            }];
        next();
    }
}
