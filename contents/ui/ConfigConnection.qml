import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM
import org.kde.plasma.plasmoid
import "../code/settings.mjs" as Settings

// Settings → Connection. The config dialog runs in its own QML engine with
// its own copy of the core, which "Test connection" uses directly.
// The token secret is not a cfg_ property: those are written to the widget's
// config file. It goes straight to KDE Wallet, on Apply (the dialog calls
// saveConfig() after saving the cfg_ values) or with "Update Keyring"; then
// secretRevision is bumped so the widget, in its own engine, reads it again.
KCM.SimpleKCM {
    id: page

    // Enables Apply when only the secret was typed (no cfg_ value changed).
    signal configurationChanged

    property alias cfg_proxmoxHost: server.host
    property alias cfg_proxmoxPort: server.port
    property alias cfg_apiTokenId: server.tokenId
    property alias cfg_refreshInterval: server.refreshInterval
    property alias cfg_tlsFingerprint: certificateSection.fingerprint
    property alias cfg_demoMode: server.demoMode
    property string cfg_tlsMode: "system"
    property bool cfg_ignoreSsl: false
    // Not an alias of the text area: a pasted private key must never reach
    // this property, which Plasma writes to the config file on Apply.
    property string cfg_tlsCaPem: ""
    // Issue 11: once Settings → Connections wrote a list, the connections are
    // edited there; this page keeps the demo switch and the interval.
    property string cfg_connections: ""
    readonly property bool listInUse: cfg_connections.trim() !== ""

    // The earlier edition had only ignoreSsl: map it on first sight.
    readonly property string effectiveTlsMode: Settings.effectiveTlsMode({
            "tlsMode": cfg_tlsMode,
            "tlsFingerprint": "",
            "ignoreSsl": cfg_ignoreSsl
        })
    // Whether install.sh put the native TLS module into this package.
    readonly property bool nativeAvailable: nativeLoader.available
    readonly property var tokenProblem: cfg_apiTokenId.trim() === "" ? null : Settings.validateTokenId(cfg_apiTokenId)
    // checkCaPem's verdict on the stored CA text (null: usable).
    readonly property var caProblem: Settings.checkCaPem(cfg_tlsCaPem)
    readonly property int caCount: caProblem === null ? Settings.countCaCertificates(cfg_tlsCaPem) : 0
    // Set when a pasted private key was thrown away; cleared by the next edit.
    property bool caKeyRefused: false

    // Every change of the CA text goes through here. A private key is wiped
    // from the field at once (the field goes back to what is stored), so it
    // is neither saved nor left on screen; the warning stays until the next
    // real edit.
    function caTextEdited(text) {
        if (Settings.checkCaPem(text) === "private-key") {
            caKeyRefused = true;
            certificateSection.showStoredCa();
            return;
        }
        if (cfg_tlsCaPem !== text) {
            caKeyRefused = false;
            cfg_tlsCaPem = text;
        }
    }

    // What the Certificate section says (src/widget/certificate-advice.ts).
    readonly property var advice: Settings.certificateAdvice({
            "mode": effectiveTlsMode,
            "nativeAvailable": nativeAvailable,
            "caProblem": caProblem,
            "plasma": edition.plasma
        }, translator.tr)

    // What the wallet holds for the account in the fields: "" (not known
    // yet), "checking", "stored", "absent", "saving", "error".
    property string keyringState: ""
    property string keyringError: ""
    // After "Forget": whether to offer deleting the stored entry too.
    property bool offerDelete: false
    // The field's text, for the test harness (tests/plasma/keyring).
    property alias secretInput: secretSection.secret
    // The CA text area, for the test harness (tests/plasma/widget-tls):
    // setting it behaves like pasting.
    property alias caPemInput: certificateSection.caPemText

    readonly property bool demoOn: cfg_demoMode
    // The secret section's texts (src/widget/settings-texts.ts).
    readonly property var keyringTexts: Settings.keyringTexts(keyringState, translator.tr)
    readonly property bool accountReady: !cfg_demoMode && cfg_proxmoxHost.trim() !== "" && cfg_apiTokenId.trim() !== "" && tokenProblem === null

    function account() {
        return {
            "host": cfg_proxmoxHost.trim(),
            "port": cfg_proxmoxPort,
            "tokenId": cfg_apiTokenId.trim()
        };
    }

    function bumpRevision() {
        const config = Plasmoid.configuration;
        config.secretRevision = (config.secretRevision || 0) + 1;
        if (typeof config.writeConfig === "function")
            config.writeConfig();
    }

    function keyringFailed(result) {
        keyringState = "error";
        keyringError = keyring.messageFor(result.error);
    }

    // Whether an entry exists; the secret read for that is dropped at once,
    // so the dialog holds one only while the user types it.
    function checkKeyring() {
        offerDelete = false;
        if (!accountReady) {
            keyringState = "";
            return;
        }
        const wanted = JSON.stringify(account());
        keyringState = "checking";
        keyring.read(account(), function (result) {
                if (JSON.stringify(page.account()) !== wanted)
                    return;
                if (result.ok)
                    page.keyringState = result.value !== null ? "stored" : "absent";
                else
                    page.keyringFailed(result);
            });
    }

    function storeSecret() {
        const secret = secretInput;
        if (secret === "" || !accountReady)
            return;
        keyringState = "saving";
        offerDelete = false;
        keyring.write(account(), secret, function (result) {
                if (result.ok) {
                    // The field is emptied so the secret does not linger in this dialog.
                    if (secretInput === secret)
                        secretInput = "";
                    page.keyringState = "stored";
                    page.bumpRevision();
                } else {
                    page.keyringFailed(result);
                }
            });
    }

    function forget() {
        secretInput = "";
        offerDelete = accountReady && keyringState !== "absent";
    }

    function deleteStored() {
        offerDelete = false;
        if (!accountReady)
            return;
        keyringState = "saving";
        keyring.remove(account(), function (result) {
                if (result.ok) {
                    page.keyringState = "absent";
                    page.bumpRevision();
                } else {
                    page.keyringFailed(result);
                }
            });
    }

    // Called by Plasma's applet config dialog on Apply / OK.
    function saveConfig() {
        storeSecret();
    }

    // Test connection and trust on first use (src/widget/connection-test.ts);
    // the page shows its state and calls it.
    property var testResult: Settings.blankConnectionTestState()
    readonly property string testState: testResult.status
    readonly property string testText: testResult.text
    readonly property var testCertificate: testResult.certificate
    readonly property string testPinned: testResult.pinned
    readonly property string testNodeCheck: testResult.nodeCheck
    readonly property string testNodeName: testResult.nodeName
    readonly property bool testNeedsWayOut: testResult.needsWayOut
    // Created once when the page is complete (a binding would be re-run).
    property var connectionTest: null
    function createConnectionTest() {
        return Settings.createConnectionTest({
                "scheduler": timerScheduler.asDependency(),
                "createRequest": xhrShim.createRequest,
                "send": xhrShim.send,
                "loadNative": function () {
                    return nativeLoader.asModule();
                },
                "plasma": edition.plasma,
                "readStoredSecret": function (done) {
                    keyring.read(page.account(), function (result) {
                            done(result.ok ? result.value : null, result.ok ? "" : keyring.messageFor(result.error));
                        });
                },
                "tr": translator.tr,
                "trc": translator.trc
            });
    }

    function runTest() {
        connectionTest.run({
                "host": cfg_proxmoxHost,
                "port": cfg_proxmoxPort,
                "tokenId": cfg_apiTokenId,
                "secret": secretInput,
                "secretStored": keyringState === "stored",
                "tls": {
                    "tlsMode": page.effectiveTlsMode,
                    "tlsFingerprint": cfg_tlsFingerprint,
                    "tlsCaPem": page.cfg_tlsCaPem,
                    "ignoreSsl": page.cfg_ignoreSsl
                }
            });
    }

    // Pins the certificate the test was shown; Apply stores it.
    function trustCertificate() {
        const fingerprint = connectionTest.trust();
        if (fingerprint === "")
            return;
        page.cfg_ignoreSsl = false;
        page.cfg_tlsMode = "pin";
        cfg_tlsFingerprint = fingerprint;
        certificateSection.showMode("pin");
        page.configurationChanged();
    }

    Component.onDestruction: {
        if (connectionTest)
            connectionTest.dispose();
    }
    Component.onCompleted: {
        nativeLoader.load(page);
        connectionTest = createConnectionTest();
        connectionTest.onChange(function (state) {
                page.testResult = state;
            });
        checkTimer.restart();
    }
    onAccountReadyChanged: checkTimer.restart()
    // The box's own binding is gone once it was clicked or set by "Trust
    // this certificate"; a mode set from elsewhere (Defaults, a test) must
    // still show in it.
    onEffectiveTlsModeChanged: certificateSection.showMode(effectiveTlsMode)

    TimerScheduler {
        id: timerScheduler
    }

    NativeLoader {
        id: nativeLoader
    }

    // Which Plasma this package is for: the install advice names its Qt packages.
    Edition {
        id: edition
    }

    XhrShim {
        id: xhrShim
    }

    Translator {
        id: translator
    }

    Keyring {
        id: keyring
    }

    // Asks the wallet once typing in host, port or token ID has paused.
    Timer {
        id: checkTimer
        interval: 700
        onTriggered: page.checkKeyring()
    }

    onCfg_proxmoxHostChanged: checkTimer.restart()
    onCfg_apiTokenIdChanged: checkTimer.restart()
    onCfg_proxmoxPortChanged: checkTimer.restart()

    ColumnLayout {
        Kirigami.InlineMessage {
            objectName: "listInUse"
            Layout.fillWidth: true
            visible: page.listInUse
            type: Kirigami.MessageType.Information
            text: i18n("The connections are set up in Settings → Connections: edit, add or test them there. This page keeps the demo switch and the refresh interval.")
        }
        ConnectionServerSection {
            id: server
            Layout.fillWidth: true
            page: page
            twinFormLayouts: [secretSection, certificateSection]
        }
        ConnectionSecretSection {
            id: secretSection
            Layout.fillWidth: true
            visible: !page.listInUse
            page: page
            twinFormLayouts: [server, certificateSection]
        }
        ConnectionCertificateSection {
            id: certificateSection
            Layout.fillWidth: true
            visible: !page.listInUse
            page: page
            twinFormLayouts: [server, secretSection]
        }
    }
}
