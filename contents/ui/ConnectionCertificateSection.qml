import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami

// Settings → Connection, the certificate: trust mode, pin, cluster CA, and
// Test connection with trust on first use.
Kirigami.FormLayout {
    // The page (ConfigConnection.qml): its state and what the buttons call.
    property var page
    property alias fingerprint: fingerprintField.text
    property alias caPemText: caPemArea.text

    // The box's own binding is gone once it was clicked; a mode set from
    // elsewhere (Defaults, a test, "Trust this certificate") must still show.
    function showMode(mode) {
        tlsBox.currentIndex = Math.max(0, tlsBox.indexOfValue(mode));
    }
    // The CA field back to what is stored (after a refused private key).
    function showStoredCa() {
        caPemArea.text = Qt.binding(function () {
                return page.cfg_tlsCaPem;
            });
    }

    Kirigami.Separator {
        Kirigami.FormData.isSection: true
        Kirigami.FormData.label: i18n("Certificate")
    }

    QQC2.ComboBox {
        id: tlsBox
        Kirigami.FormData.label: i18n("Trust:")
        enabled: !page.demoOn
        textRole: "text"
        valueRole: "value"
        model: [{
                "value": "system",
                "text": i18n("System certificate store")
            }, {
                "value": "pin",
                "text": i18n("Pinned fingerprint")
            }, {
                "value": "ca",
                "text": i18n("Proxmox cluster CA")
            }, {
                "value": "insecure",
                "text": i18n("Ignore certificate errors (insecure)")
            }]
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
        enabled: !page.demoOn
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
        visible: !page.caKeyRefused && page.advice.caProblemText !== "" && !page.demoOn
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
        visible: text !== "" && !page.demoOn
        type: Kirigami.MessageType.Warning
        text: page.advice.warning
    }
    Kirigami.InlineMessage {
        Layout.fillWidth: true
        visible: text !== "" && !page.demoOn
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
            enabled: !page.demoOn && page.testState !== "running"
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
