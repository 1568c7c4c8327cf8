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

    // The earlier edition had only ignoreSsl: map it on first sight.
    readonly property string effectiveTlsMode: cfg_tlsMode === "system" && cfg_ignoreSsl ? "insecure" : cfg_tlsMode
    readonly property var tokenProblem: tokenField.text.trim() === "" ? null : Proxmon.validateTokenId(tokenField.text)

    // What the wallet holds for the account in the fields: "" (not known
    // yet), "checking", "stored", "absent", "saving", "error".
    property string keyringState: ""
    property string keyringError: ""
    // After "Forget": whether to offer deleting the stored entry too.
    property bool offerDelete: false
    // The field's text, for the test harness (tests/plasma/keyring).
    property alias secretInput: secretField.text

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

    property var testMonitor: null
    property string testState: "" // "", "running", "ok", "error"
    property string testText: ""

    function runTest() {
        if (secretField.text === "" && keyringState === "stored") {
            // Read for this one test; the monitor below keeps it only while it runs.
            testState = "running";
            testText = i18n("Reading the token secret from KDE Wallet…");
            keyring.read(account(), function (result) {
                if (result.ok && result.value !== null) {
                    page.startTest(result.value);
                } else {
                    page.testState = "error";
                    page.testText = result.ok ? i18n("No token secret is stored for this host, port and token ID.") : keyring.messageFor(result.error);
                }
            });
            return;
        }
        startTest(secretField.text);
    }

    function startTest(secret) {
        stopTest();
        const scheduler = timerScheduler.asDependency();
        const transport = Proxmon.createXhrTransport({
            scheduler: scheduler,
            createRequest: function () {
                return new XMLHttpRequest();
            },
            send: function (xhr, body) {
                xhr.send(body);
            }
        });
        const monitor = Proxmon.createMonitor({
            scheduler: scheduler,
            transport: transport
        });
        testMonitor = monitor;
        monitor.onView(function (v) {
            if (monitor !== page.testMonitor)
                return;
            if (v.phase === "ok") {
                const s = v.summary;
                page.testState = "ok";
                page.testText = i18n("Connected to Proxmox VE %1: %2 nodes online, %3 guests running.", v.version || "?", s ? s.nodesText : "?", s ? s.guestsText : "?");
                Qt.callLater(page.stopTest);
            } else if (v.phase === "error" || v.phase === "unconfigured") {
                page.testState = "error";
                page.testText = v.errorMessage || monitor.configurationProblem() || i18n("The test failed.");
                Qt.callLater(page.stopTest);
            }
        });
        testState = "running";
        testText = i18n("Connecting…");
        monitor.configure({
            host: hostField.text.trim(),
            port: portSpin.value,
            tokenId: tokenField.text.trim(),
            secret: secret,
            refreshIntervalSec: 3600,
            timeoutSec: 10
        });
    }

    function stopTest() {
        if (testMonitor)
            testMonitor.dispose();
        testMonitor = null;
    }

    Component.onDestruction: stopTest()
    Component.onCompleted: checkTimer.restart()
    onAccountReadyChanged: checkTimer.restart()

    TimerScheduler {
        id: timerScheduler
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
                { value: "pinned", text: i18n("Pinned fingerprint") },
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
            visible: page.effectiveTlsMode === "pinned"
            placeholderText: "AB:CD:…"
            font.family: "monospace"
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "insecure" && !demoCheck.checked
            type: Kirigami.MessageType.Warning
            text: i18n("Ignoring certificate errors lets anyone on the network read your API token. It also needs the native TLS module, which is not installed: until then the system certificate store decides.")
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "pinned" && !demoCheck.checked
            type: Kirigami.MessageType.Information
            text: i18n("Pinning needs the native TLS module, which is not installed: until then the system certificate store decides.")
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "system" && !demoCheck.checked
            type: Kirigami.MessageType.Information
            text: i18n("For the self-signed Proxmox certificate, install the cluster CA system-wide: copy /etc/pve/pve-root-ca.pem to /usr/local/share/ca-certificates/pve-root-ca.crt, run “sudo update-ca-certificates”, then restart plasmashell.")
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
            Layout.fillWidth: true
            visible: page.testState === "ok" || page.testState === "error"
            type: page.testState === "ok" ? Kirigami.MessageType.Positive : Kirigami.MessageType.Error
            text: page.testText
        }
    }
}
