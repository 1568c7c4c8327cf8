import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM
import org.kde.plasma.plasmoid
import "../code/proxmon.mjs" as Proxmon

// Settings → Connection. The config dialog runs in its own QML engine with
// its own copy of the core, which "Test connection" uses directly.
//
// The token secret is not a cfg_ property: those are written to the widget's
// config file. It goes straight to KDE Wallet, on Apply (the dialog calls
// saveConfig() after saving the cfg_ values) or with "Update Keyring"; then
// secretRevision is bumped so the widget, in its own engine, reads it again.
KCM.SimpleKCM {
    id: page

    // Enables Apply when only the secret was typed (no cfg_ value changed).
    signal configurationChanged

    property alias cfg_proxmoxHost: hostField.text
    property alias cfg_proxmoxPort: portSpin.value
    property alias cfg_apiTokenId: tokenField.text
    property alias cfg_refreshInterval: refreshSpin.value
    property alias cfg_tlsFingerprint: fingerprintField.text
    property alias cfg_demoMode: demoCheck.checked
    property string cfg_tlsMode: "system"
    property bool cfg_ignoreSsl: false
    // Not an alias of the text area: a pasted private key must never reach
    // this property, which Plasma writes to the config file on Apply.
    property string cfg_tlsCaPem: ""

    // The earlier edition had only ignoreSsl: map it on first sight.
    readonly property string effectiveTlsMode: Proxmon.effectiveTlsMode({
        tlsMode: cfg_tlsMode,
        tlsFingerprint: "",
        ignoreSsl: cfg_ignoreSsl
    })
    // Whether install.sh put the native TLS module into this package.
    readonly property bool nativeAvailable: nativeLoader.available
    readonly property var tokenProblem: tokenField.text.trim() === "" ? null : Proxmon.validateTokenId(tokenField.text)
    // checkCaPem's verdict on the stored CA text (null: usable).
    readonly property var caProblem: Proxmon.checkCaPem(cfg_tlsCaPem)
    readonly property int caCount: caProblem === null ? Proxmon.countCaCertificates(cfg_tlsCaPem) : 0
    // Set when a pasted private key was thrown away; cleared by the next edit.
    property bool caKeyRefused: false

    // Every change of the CA text goes through here. A private key is wiped
    // from the field at once (the field goes back to what is stored), so it
    // is neither saved nor left on screen; the warning stays until the next
    // real edit.
    function caTextEdited(text) {
        if (Proxmon.checkCaPem(text) === "private-key") {
            caKeyRefused = true;
            caPemArea.text = Qt.binding(function () {
                return page.cfg_tlsCaPem;
            });
            return;
        }
        if (cfg_tlsCaPem !== text) {
            caKeyRefused = false;
            cfg_tlsCaPem = text;
        }
    }

    // What the Certificate section says (src/widget/certificate-advice.ts).
    readonly property var advice: Proxmon.certificateAdvice({
        mode: effectiveTlsMode,
        nativeAvailable: nativeAvailable,
        caProblem: caProblem
    }, translator.tr)

    // What the wallet holds for the account in the fields: "" (not known
    // yet), "checking", "stored", "absent", "saving", "error".
    property string keyringState: ""
    property string keyringError: ""
    // After "Forget": whether to offer deleting the stored entry too.
    property bool offerDelete: false
    // The field's text, for the test harness (tests/plasma/keyring).
    property alias secretInput: secretField.text
    // The CA text area, for the test harness (tests/plasma/widget-tls):
    // setting it behaves like pasting.
    property alias caPemInput: caPemArea.text

    readonly property bool accountReady: !demoCheck.checked && hostField.text.trim() !== "" && tokenField.text.trim() !== "" && tokenProblem === null

    function account() {
        return {
            host: hostField.text.trim(),
            port: portSpin.value,
            tokenId: tokenField.text.trim()
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
        const secret = secretField.text;
        if (secret === "" || !accountReady)
            return;
        keyringState = "saving";
        offerDelete = false;
        keyring.write(account(), secret, function (result) {
            if (result.ok) {
                // The field is emptied so the secret does not linger in this dialog.
                if (secretField.text === secret)
                    secretField.text = "";
                page.keyringState = "stored";
                page.bumpRevision();
            } else {
                page.keyringFailed(result);
            }
        });
    }

    function forget() {
        secretField.text = "";
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
    property var testResult: connectionTest.state()
    readonly property string testState: testResult.status
    readonly property string testText: testResult.text
    readonly property var testCertificate: testResult.certificate
    readonly property string testPinned: testResult.pinned
    readonly property string testNodeCheck: testResult.nodeCheck
    readonly property string testNodeName: testResult.nodeName
    readonly property bool testNeedsWayOut: testResult.needsWayOut
    readonly property var connectionTest: Proxmon.createConnectionTest({
        scheduler: timerScheduler.asDependency(),
        createRequest: function () {
            return new XMLHttpRequest();
        },
        // Must stay in a QML file: Qt delivers XHR events only then.
        send: function (xhr, body) {
            xhr.send(body);
        },
        native: nativeLoader.load(page) ? nativeLoader.asModule() : null,
        readStoredSecret: function (done) {
            keyring.read(page.account(), function (result) {
                done(result.ok ? result.value : null, result.ok ? "" : keyring.messageFor(result.error));
            });
        },
        tr: translator.tr,
        trc: translator.trc
    })

    function runTest() {
        connectionTest.run({
            host: hostField.text,
            port: portSpin.value,
            tokenId: tokenField.text,
            secret: secretField.text,
            secretStored: keyringState === "stored",
            tls: {
                tlsMode: page.effectiveTlsMode,
                tlsFingerprint: fingerprintField.text,
                tlsCaPem: page.cfg_tlsCaPem,
                ignoreSsl: page.cfg_ignoreSsl
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
        fingerprintField.text = fingerprint;
        tlsBox.currentIndex = tlsBox.indexOfValue("pin");
        page.configurationChanged();
    }

    Component.onDestruction: connectionTest.dispose()
    Component.onCompleted: {
        connectionTest.onChange(function (state) {
            page.testResult = state;
        });
        checkTimer.restart();
    }
    onAccountReadyChanged: checkTimer.restart()
    // The box's own binding is gone once it was clicked or set by "Trust
    // this certificate"; a mode set from elsewhere (Defaults, a test) must
    // still show in it.
    onEffectiveTlsModeChanged: tlsBox.currentIndex = Math.max(0, tlsBox.indexOfValue(effectiveTlsMode))

    TimerScheduler {
        id: timerScheduler
    }

    NativeLoader {
        id: nativeLoader
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

    Connections {
        target: hostField
        function onTextChanged() {
            checkTimer.restart();
        }
    }
    Connections {
        target: tokenField
        function onTextChanged() {
            checkTimer.restart();
        }
    }
    Connections {
        target: portSpin
        function onValueChanged() {
            checkTimer.restart();
        }
    }

    Kirigami.FormLayout {
        QQC2.CheckBox {
            id: demoCheck
            Kirigami.FormData.label: i18n("Demo:")
            text: i18n("Show the built-in demo cluster instead of a server")
        }

        Kirigami.Separator {
            Kirigami.FormData.isSection: true
            Kirigami.FormData.label: i18n("Server")
        }

        QQC2.TextField {
            id: hostField
            Kirigami.FormData.label: i18n("Host:")
            placeholderText: i18n("pve.example.lan or 192.0.2.10")
            enabled: !demoCheck.checked
        }
        QQC2.SpinBox {
            id: portSpin
            Kirigami.FormData.label: i18n("Port:")
            from: 1
            to: 65535
            editable: true
            enabled: !demoCheck.checked
            textFromValue: function (value) {
                return String(value);
            }
            valueFromText: function (text) {
                return parseInt(text, 10) || 8006;
            }
        }
        QQC2.TextField {
            id: tokenField
            Kirigami.FormData.label: i18n("API token ID:")
            placeholderText: i18n("monitor@pve!proxmon")
            enabled: !demoCheck.checked
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.tokenProblem !== null && !demoCheck.checked
            type: Kirigami.MessageType.Error
            text: page.tokenProblem || ""
        }
        Kirigami.PasswordField {
            id: secretField
            Kirigami.FormData.label: i18n("Token secret:")
            placeholderText: page.keyringState === "stored" ? i18n("Stored in KDE Wallet; type to replace it") : i18n("The secret shown when the token was created")
            enabled: !demoCheck.checked
            onTextEdited: {
                page.offerDelete = false;
                page.configurationChanged();
            }
        }
        RowLayout {
            enabled: !demoCheck.checked
            QQC2.Button {
                text: i18n("Update Keyring")
                icon.name: "document-save"
                enabled: page.accountReady && secretField.text !== "" && page.keyringState !== "saving"
                onClicked: page.storeSecret()
            }
            QQC2.Button {
                text: i18n("Forget")
                icon.name: "edit-clear"
                enabled: secretField.text !== "" || (page.accountReady && page.keyringState === "stored")
                onClicked: page.forget()
            }
        }
        QQC2.Label {
            Layout.fillWidth: true
            visible: !demoCheck.checked && text !== ""
            wrapMode: Text.WordWrap
            text: {
                switch (page.keyringState) {
                case "checking":
                    return i18n("Keyring: checking…");
                case "saving":
                    return i18n("Keyring: saving…");
                case "stored":
                    return i18n("Keyring: a secret is stored for this host, port and token ID.");
                case "absent":
                    return i18n("Keyring: no secret stored for this host, port and token ID.");
                default:
                    return "";
                }
            }
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: !demoCheck.checked && page.keyringState === "error"
            type: Kirigami.MessageType.Error
            text: page.keyringError
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: !demoCheck.checked && page.offerDelete
            type: Kirigami.MessageType.Warning
            text: i18n("The field is cleared. Also delete the secret stored in KDE Wallet for this host, port and token ID? The widget then stops signing in.")
            actions: [
                Kirigami.Action {
                    text: i18n("Delete from KDE Wallet")
                    icon.name: "edit-delete"
                    onTriggered: page.deleteStored()
                },
                Kirigami.Action {
                    text: i18n("Keep it")
                    icon.name: "dialog-cancel"
                    onTriggered: page.offerDelete = false
                }
            ]
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: !demoCheck.checked
            type: Kirigami.MessageType.Information
            text: i18n("The secret is stored in KDE Wallet on Apply or with “Update Keyring”, never in the widget's settings file.")
        }
        QQC2.SpinBox {
            id: refreshSpin
            Kirigami.FormData.label: i18n("Refresh every:")
            from: Proxmon.MIN_REFRESH_SECONDS
            to: 3600
            editable: true
            textFromValue: function (value) {
                return i18np("%1 second", "%1 seconds", value);
            }
            valueFromText: function (text) {
                return parseInt(text, 10) || Proxmon.DEFAULT_REFRESH_SECONDS;
            }
        }

        Kirigami.Separator {
            Kirigami.FormData.isSection: true
            Kirigami.FormData.label: i18n("Certificate")
        }

        QQC2.ComboBox {
            id: tlsBox
            Kirigami.FormData.label: i18n("Trust:")
            enabled: !demoCheck.checked
            textRole: "text"
            valueRole: "value"
            model: [
                { value: "system", text: i18n("System certificate store") },
                { value: "pin", text: i18n("Pinned fingerprint") },
                { value: "ca", text: i18n("Proxmox cluster CA") },
                { value: "insecure", text: i18n("Ignore certificate errors (insecure)") }
            ]
            currentIndex: Math.max(0, indexOfValue(page.effectiveTlsMode))
            onActivated: {
                page.cfg_tlsMode = currentValue;
                page.cfg_ignoreSsl = currentValue === "insecure";
            }
        }
        QQC2.TextField {
            id: fingerprintField
            Kirigami.FormData.label: i18n("SHA-256 fingerprint:")
            visible: page.effectiveTlsMode === "pin"
            placeholderText: i18nc("placeholder for a SHA-256 fingerprint", "AB:CD:…")
            font.family: "monospace"
        }
        // Paste only: a "Load from file…" button would need QtQuick.Dialogs
        // plus a way to read the chosen file, and QML's XMLHttpRequest refuses
        // file:// unless QML_XHR_ALLOW_FILE_READ=1 is in plasmashell's
        // environment (Qt 6.8), which users cannot be expected to set.
        QQC2.Label {
            Kirigami.FormData.label: i18n("Cluster CA:")
            Layout.fillWidth: true
            Layout.maximumWidth: Kirigami.Units.gridUnit * 24
            visible: page.effectiveTlsMode === "ca"
            wrapMode: Text.WordWrap
            text: i18n("Paste the cluster's CA certificate: run “cat /etc/pve/pve-root-ca.pem” on any Proxmox node (or copy that file from it) and paste all of the output. It is public; never paste a private key (pve-root-ca.key, pve-ssl.key).")
        }
        QQC2.ScrollView {
            id: caPemScroll
            Layout.fillWidth: true
            Layout.maximumWidth: Kirigami.Units.gridUnit * 24
            Layout.preferredHeight: Kirigami.Units.gridUnit * 8
            visible: page.effectiveTlsMode === "ca"
            enabled: !demoCheck.checked
            QQC2.TextArea {
                id: caPemArea
                objectName: "caPemArea"
                text: page.cfg_tlsCaPem
                placeholderText: i18nc("placeholder for a pasted PEM certificate", "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----")
                font.family: "monospace"
                wrapMode: TextEdit.WrapAnywhere
                onTextChanged: page.caTextEdited(text)
            }
        }
        Kirigami.InlineMessage {
            objectName: "caKeyRefused"
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "ca" && page.caKeyRefused
            type: Kirigami.MessageType.Error
            text: i18n("That was a PRIVATE KEY. It has been removed and was not saved: a private key must never leave the Proxmox node, and anyone holding it can pose as your cluster. Paste only the certificate, /etc/pve/pve-root-ca.pem. If the key was shared anywhere else, consider it compromised.")
        }
        Kirigami.InlineMessage {
            objectName: "caProblem"
            Layout.fillWidth: true
            visible: !page.caKeyRefused && page.advice.caProblemText !== "" && !demoCheck.checked
            type: page.advice.caProblemIsHint ? Kirigami.MessageType.Information : Kirigami.MessageType.Error
            text: page.advice.caProblemText
        }
        QQC2.Label {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "ca" && page.caProblem === null
            wrapMode: Text.WordWrap
            text: i18np("%1 CA certificate; the server's certificate must be issued by it and name the host.", "%1 CA certificates; the server's certificate must be issued by one of them and name the host.", page.caCount)
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: text !== "" && !demoCheck.checked
            type: Kirigami.MessageType.Warning
            text: page.advice.warning
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: text !== "" && !demoCheck.checked
            type: Kirigami.MessageType.Information
            text: page.advice.info
        }

        Kirigami.Separator {
            Kirigami.FormData.isSection: true
        }

        RowLayout {
            Kirigami.FormData.label: i18n("Check:")
            QQC2.Button {
                text: i18n("Test connection")
                icon.name: "network-connect"
                enabled: !demoCheck.checked && page.testState !== "running"
                onClicked: page.runTest()
            }
            QQC2.BusyIndicator {
                visible: page.testState === "running"
                running: visible
                implicitHeight: Kirigami.Units.iconSizes.medium
                implicitWidth: implicitHeight
            }
        }
        Kirigami.InlineMessage {
            objectName: "testResult"
            Layout.fillWidth: true
            visible: page.testState === "ok" || page.testState === "error"
            type: page.testState === "ok" ? Kirigami.MessageType.Positive : Kirigami.MessageType.Error
            text: page.testText
        }
        ColumnLayout {
            objectName: "testCertificate"
            Layout.fillWidth: true
            visible: page.testCertificate !== null
            spacing: Kirigami.Units.smallSpacing
            Kirigami.FormData.label: i18n("Certificate:")

            QQC2.Label {
                Layout.fillWidth: true
                visible: text !== ""
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                text: page.testResult.pinnedLine
            }
            QQC2.Label {
                Layout.fillWidth: true
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                text: page.testResult.fingerprintLine
            }
            QQC2.Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: page.testResult.detailsText
            }
            QQC2.Label {
                objectName: "testNodeCheck"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                visible: text !== ""
                text: page.testResult.nodeCheckText
            }
            QQC2.Button {
                objectName: "trustButton"
                text: i18n("Trust this certificate")
                icon.name: "security-high"
                onClicked: page.trustCertificate()
            }
        }
        Kirigami.InlineMessage {
            objectName: "testWayOut"
            Layout.fillWidth: true
            visible: page.testNeedsWayOut
            type: Kirigami.MessageType.Information
            text: page.testResult.wayOutText
        }
    }
}
