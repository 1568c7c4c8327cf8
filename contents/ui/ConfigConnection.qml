import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM
import "../code/proxmon.mjs" as Proxmon

// Settings → Connection. The config dialog runs in its own QML engine with
// its own copy of the core, which "Test connection" uses directly.
KCM.SimpleKCM {
    id: page

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

    property var testMonitor: null
    property string testState: "" // "", "running", "ok", "error"
    property string testText: ""

    function runTest() {
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
            secret: secretField.text,
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

    TimerScheduler {
        id: timerScheduler
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
            placeholderText: i18n("Used for “Test connection” only")
            enabled: !demoCheck.checked
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: !demoCheck.checked
            type: Kirigami.MessageType.Information
            text: i18n("The secret is never written to the widget's settings. Storing it in the system keyring arrives with the keyring integration; until then it is only used for “Test connection” and kept in memory while this page is open.")
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
