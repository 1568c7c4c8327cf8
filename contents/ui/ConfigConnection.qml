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

    function caProblemText(problem) {
        switch (problem) {
        case "empty":
            return i18n("Paste the cluster CA: run “cat /etc/pve/pve-root-ca.pem” on any Proxmox node and paste all of its output, the BEGIN and END lines included.");
        case "no-certificate":
            return i18n("This is not a certificate: the text needs a block from “-----BEGIN CERTIFICATE-----” to “-----END CERTIFICATE-----”, as in /etc/pve/pve-root-ca.pem.");
        case "too-long":
            return i18n("This text is far longer than a CA certificate. Paste only /etc/pve/pve-root-ca.pem.");
        case "bad-certificate":
            return i18n("A certificate block is incomplete or damaged. Copy /etc/pve/pve-root-ca.pem again, the BEGIN and END lines included.");
        default:
            return "";
        }
    }

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

    property var testMonitor: null
    property string testState: "" // "", "running", "ok", "error"
    property string testText: ""
    // Trust on first use: what the server presented when the test was
    // refused, the pin it did not match, and what /nodes says about it.
    property var testCertificate: null
    property string testPinned: ""
    property string testNodeCheck: "" // "", "checking", "match", "no-match", "unknown"
    property string testNodeName: ""
    // The test failed the way an untrusted certificate does, and without the
    // module there is no way to see the certificate.
    property bool testNeedsWayOut: false
    property var nodeCheck: null

    function tlsSettings() {
        return {
            tlsMode: page.effectiveTlsMode,
            tlsFingerprint: fingerprintField.text,
            tlsCaPem: page.cfg_tlsCaPem,
            ignoreSsl: page.cfg_ignoreSsl
        };
    }

    function nativeTransport(policy) {
        return Proxmon.createNativeTransport({
            // A pin is checked only on a new connection (NativeLoader.qml).
            nativeRequest: policy.mode === "pin" ? nativeLoader.requestFresh : nativeLoader.transport.request,
            policy: policy
        });
    }

    // The same choice as the widget's (main.qml): XHR for system trust,
    // re-asked through the module to see a refused certificate.
    function transportFor(plan, scheduler) {
        if (plan.transport === "native")
            return nativeTransport(plan.policy);
        const xhr = Proxmon.createXhrTransport({
            scheduler: scheduler,
            createRequest: function () {
                return new XMLHttpRequest();
            },
            send: function (xhr, body) {
                xhr.send(body);
            }
        });
        return page.nativeAvailable ? Proxmon.withTlsDiagnosis(xhr, nativeTransport({
            mode: "system"
        })) : xhr;
    }

    function clearTrust() {
        if (nodeCheck)
            nodeCheck.abort();
        nodeCheck = null;
        testCertificate = null;
        testPinned = "";
        testNodeCheck = "";
        testNodeName = "";
        testNeedsWayOut = false;
    }

    // Pins the certificate the test was shown; Apply stores it.
    function trustCertificate() {
        if (!testCertificate)
            return;
        const fingerprint = testCertificate.fingerprint256;
        page.cfg_ignoreSsl = false;
        page.cfg_tlsMode = "pin";
        fingerprintField.text = fingerprint;
        tlsBox.currentIndex = tlsBox.indexOfValue("pin");
        clearTrust();
        testState = "";
        testText = "";
        page.configurationChanged();
    }

    // Asks the cluster, over a connection pinned to the shown certificate,
    // which node it belongs to: a second opinion before trusting it.
    function checkNodes(fingerprint, secret) {
        if (!page.nativeAvailable || secret === "")
            return;
        testNodeCheck = "checking";
        const wanted = fingerprint;
        nodeCheck = Proxmon.checkNodeFingerprint({
            transport: nativeTransport({
                mode: "pin",
                fingerprint256: fingerprint
            }),
            host: hostField.text.trim(),
            port: portSpin.value,
            tokenId: tokenField.text.trim(),
            secret: secret,
            timeoutMs: 10000
        }, fingerprint, function (check) {
            if (!page.testCertificate || page.testCertificate.fingerprint256 !== wanted)
                return;
            page.nodeCheck = null;
            page.testNodeCheck = check.outcome;
            page.testNodeName = check.node || "";
        });
    }

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
        clearTrust();
        const scheduler = timerScheduler.asDependency();
        const plan = Proxmon.planTls(tlsSettings(), page.nativeAvailable);
        if (plan.transport === "blocked") {
            testState = "error";
            testNeedsWayOut = plan.problem === "native-missing";
            if (plan.problem === "bad-fingerprint")
                testText = i18n("The pinned fingerprint is not a SHA-256 fingerprint (32 bytes as hex, e.g. AB:CD:…).");
            else if (plan.problem === "bad-ca")
                testText = caProblemText(plan.caProblem || "empty");
            else
                testText = i18n("This trust setting needs ProxMon's native TLS module, which is not installed. Nothing was sent.");
            return;
        }
        const transport = transportFor(plan, scheduler);
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
                const error = monitor.state().error;
                page.testState = "error";
                page.testText = v.errorMessage || monitor.configurationProblem() || i18n("The test failed.");
                if (error && error.kind === "tls" && error.certificate) {
                    page.testCertificate = error.certificate;
                    page.testPinned = error.pinnedFingerprint256 || "";
                    page.checkNodes(error.certificate.fingerprint256, secret);
                } else if (error && error.kind === "unreachable" && !page.nativeAvailable && plan.mode === "system") {
                    page.testNeedsWayOut = true;
                }
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

    Component.onDestruction: {
        stopTest();
        clearTrust();
    }
    Component.onCompleted: {
        nativeLoader.load(page);
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
            visible: page.effectiveTlsMode === "ca" && !page.caKeyRefused && page.caProblem !== null && !demoCheck.checked
            type: page.caProblem === "empty" ? Kirigami.MessageType.Information : Kirigami.MessageType.Error
            text: page.caProblemText(page.caProblem)
        }
        QQC2.Label {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "ca" && page.caProblem === null
            wrapMode: Text.WordWrap
            text: i18np("%1 CA certificate; the server's certificate must be issued by it and name the host.", "%1 CA certificates; the server's certificate must be issued by one of them and name the host.", page.caCount)
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "ca" && !demoCheck.checked && !page.nativeAvailable
            type: Kirigami.MessageType.Warning
            text: i18n("Checking against a CA pasted here needs ProxMon's native TLS module, which is not installed: the widget will not connect in this mode. Run ./install.sh in the ProxMon checkout with cmake, g++, make, qt6-base-dev and qt6-declarative-dev installed, or install the Proxmox CA system-wide and use the system certificate store.")
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "insecure" && !demoCheck.checked
            type: Kirigami.MessageType.Warning
            text: page.nativeAvailable
                ? i18n("Ignoring certificate errors lets anyone on the network path pose as the server and read your API token. Prefer pinning (Test connection, then Trust this certificate) or the Proxmox cluster CA.")
                : i18n("Ignoring certificate errors lets anyone on the network path read your API token. It also needs ProxMon's native TLS module, which is not installed: the widget will not connect in this mode.")
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.effectiveTlsMode === "pin" && !demoCheck.checked && !page.nativeAvailable
            type: Kirigami.MessageType.Warning
            text: i18n("Pinning needs ProxMon's native TLS module, which is not installed: the widget will not connect in this mode. Run ./install.sh in the ProxMon checkout with cmake, g++, make, qt6-base-dev and qt6-declarative-dev installed, or install the Proxmox CA and use the system certificate store.")
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
                visible: page.testPinned !== ""
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                text: i18n("Pinned:      %1", page.testPinned)
            }
            QQC2.Label {
                Layout.fillWidth: true
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                text: page.testPinned !== "" ? i18n("Server now:  %1", page.testCertificate ? page.testCertificate.fingerprint256 : "") : i18n("SHA-256: %1", page.testCertificate ? page.testCertificate.fingerprint256 : "")
            }
            QQC2.Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: page.testCertificate ? i18n("Subject: %1\nIssuer: %2\nValid: %3 – %4", page.testCertificate.subject, page.testCertificate.issuer, page.testCertificate.validFrom, page.testCertificate.validTo) : ""
            }
            QQC2.Label {
                objectName: "testNodeCheck"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                visible: text !== ""
                text: {
                    switch (page.testNodeCheck) {
                    case "checking":
                        return i18n("Asking Proxmox which node this certificate belongs to…");
                    case "match":
                        return i18n("Proxmox reports this fingerprint for node %1.", page.testNodeName);
                    case "no-match":
                        return i18n("No node of this cluster reports this fingerprint: do not trust it unless you know why (e.g. a reverse proxy in front of Proxmox).");
                    case "unknown":
                        return i18n("The token cannot read /nodes, so Proxmox could not confirm the fingerprint: compare it with Proxmox (Node → System → Certificates).");
                    default:
                        return "";
                    }
                }
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
            text: i18n("Without ProxMon's native TLS module the certificate cannot be shown or pinned. Two ways out: install the Proxmox CA system-wide (copy /etc/pve/pve-root-ca.pem from the server to /usr/local/share/ca-certificates/pve-root-ca.crt, run “sudo update-ca-certificates”, then “systemctl --user restart plasma-plasmashell”), or install the native module: run ./install.sh in the ProxMon checkout with cmake, g++, make, qt6-base-dev and qt6-declarative-dev installed.")
        }
    }
}
