import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.plasma.extras as PlasmaExtras
import org.kde.kirigami as Kirigami

// What the popup shows instead of the node list: not configured, connecting,
// or an error — each with a clear message and the next step.
Item {
    id: stateView

    property var app

    readonly property string phase: app ? app.phase : "loading"
    readonly property string kind: app ? app.errorKind : ""
    // Host and token are set, but the keyring has no secret for them or failed.
    readonly property bool secretMissing: app ? phase === "unconfigured" && app.secretMissing : false
    // TLS details from the façade; a façade without them (tests) shows none.
    readonly property bool nativeAvailable: app ? app.nativeAvailable === true : false
    readonly property var certificate: app && phase === "error" && kind === "tls" && app.tlsCertificate ? app.tlsCertificate : null
    readonly property string pinnedFingerprint: certificate && app.tlsPinnedFingerprint ? app.tlsPinnedFingerprint : ""
    readonly property string tlsProblem: app && kind === "tls-setup" && app.tlsProblem ? app.tlsProblem : ""
    // The failure happened while checking against the CA pasted in the settings.
    readonly property bool caMode: app ? app.tlsActiveMode === "ca" : false

    // The two ways out of an untrusted Proxmox certificate, as steps to copy.
    readonly property string caSteps: i18n("Install the Proxmox CA system-wide (the system then trusts every node of the cluster):\n  scp root@%1:/etc/pve/pve-root-ca.pem pve-root-ca.crt\n  sudo cp pve-root-ca.crt /usr/local/share/ca-certificates/pve-root-ca.crt\n  sudo update-ca-certificates\n  systemctl --user restart plasma-plasmashell", app && app.host ? app.host : "pve")
    readonly property string nativeSteps: i18n("Or install ProxMon's native TLS module, which can pin the certificate: with cmake, g++, make, qt6-base-dev and qt6-declarative-dev installed (Fedora: qt6-qtbase-devel qt6-qtdeclarative-devel; Arch: qt6-base qt6-declarative), run ./install.sh in the ProxMon checkout, then restart plasmashell.")
    readonly property string pinSteps: i18n("Or pin this certificate: compare its fingerprint with Proxmox (Node → System → Certificates), then in the settings choose Test connection → Trust this certificate.")
    readonly property string caPasteSteps: i18n("On any node of the cluster run “cat /etc/pve/pve-root-ca.pem” and paste all of its output, the BEGIN and END lines included, into the settings (Connection → Trust: Proxmox cluster CA).")

    readonly property string iconName: {
        if (secretMissing)
            return "dialog-password";
        if (phase === "unconfigured")
            return "configure";
        if (phase === "loading")
            return "network-connect";
        switch (kind) {
        case "tls":
        case "tls-setup":
            return "security-low";
        case "auth":
        case "permission":
            return "dialog-password";
        case "timeout":
            return "chronometer";
        default:
            return "network-disconnect";
        }
    }

    readonly property string title: {
        if (secretMissing)
            return app.secretWaiting ? i18n("Waiting for KDE Wallet") : i18n("Missing token secret");
        if (phase === "unconfigured")
            return i18n("ProxMon is not set up yet");
        if (phase === "loading")
            return i18n("Connecting to %1…", app.demoMode ? i18n("the demo cluster") : app.host);
        switch (kind) {
        case "tls":
            return stateView.pinnedFingerprint !== "" ? i18n("The server's certificate has changed") : i18n("The server's certificate is not trusted");
        case "tls-setup":
            if (stateView.tlsProblem === "bad-fingerprint")
                return i18n("The pinned fingerprint is not valid");
            if (stateView.tlsProblem === "bad-ca")
                return i18n("The Proxmox cluster CA in the settings is not valid");
            return i18n("The native TLS module is not installed");
        case "auth":
            return i18n("The API token was rejected");
        case "permission":
            return i18n("The API token lacks a permission");
        case "unreachable":
            return i18n("The server cannot be reached");
        case "timeout":
            return i18n("The server did not answer in time");
        case "node-unreachable":
            return i18n("The node answering the API cannot reach the cluster");
        default:
            return i18n("Proxmox VE returned an error");
        }
    }

    readonly property string explanation: {
        if (secretMissing)
            return app.secretMessage;
        if (phase === "unconfigured") {
            return i18n("%1 Enter the host and an API token (user@realm!tokenname) in the settings, or look around the demo cluster first.", app.configurationProblem);
        }
        if (phase === "loading")
            return "";
        switch (kind) {
        case "tls":
            if (stateView.pinnedFingerprint !== "")
                return i18n("If the certificate was renewed on purpose, compare the new fingerprint with Proxmox (Node → System → Certificates) and trust it in the settings (Test connection → Trust this certificate). Otherwise do not connect: someone may be intercepting the connection.");
            if (stateView.caMode)
                return i18n("The server's certificate was not issued by the Proxmox cluster CA in the settings, or does not name %1. Check that the CA is this cluster's /etc/pve/pve-root-ca.pem; a node with a certificate from another issuer (e.g. Let's Encrypt) needs that issuer's CA.", app.host) + "\n\n" + stateView.caPasteSteps + "\n\n" + stateView.pinSteps;
            return stateView.caSteps + "\n\n" + (stateView.nativeAvailable ? stateView.pinSteps : stateView.nativeSteps);
        case "tls-setup":
            if (stateView.tlsProblem === "bad-fingerprint")
                return stateView.nativeAvailable ? stateView.pinSteps : stateView.nativeSteps;
            if (stateView.tlsProblem === "bad-ca")
                return stateView.caPasteSteps;
            return stateView.caSteps + i18n("\nThen set Trust to “System certificate store” in the settings.") + "\n\n" + stateView.nativeSteps;
        case "auth":
            return i18n("Tokens are listed in the Proxmox web UI under Datacenter → Permissions → API Tokens.");
        case "permission":
            return app.errorPrivilege !== ""
                ? i18n("Grant the privilege %1 on %2 to the token (or its user when privilege separation is off), e.g. with the PVEAuditor role.", app.errorPrivilege, app.errorAclPath !== "" ? app.errorAclPath : "/")
                : i18n("Give the token the PVEAuditor role on / in Datacenter → Permissions.");
        case "unreachable":
            if (stateView.nativeAvailable)
                return i18n("Check the host name and port (%1:%2), that pveproxy runs, and your network.", app.host, app.port);
            return i18n("Check the host name and port (%1:%2) and your network. If the server uses the self-signed Proxmox certificate, this is also what an untrusted certificate looks like (without the native TLS module ProxMon cannot tell the two apart).", app.host, app.port) + "\n\n" + stateView.caSteps + "\n\n" + stateView.nativeSteps;
        case "timeout":
            return i18n("ProxMon keeps trying. A busy server or a slow link can cause this.");
        case "node-unreachable":
            return i18n("Point ProxMon at another node of the cluster, or check the cluster network.");
        default:
            return "";
        }
    }

    // Developer mode logs what the state view says, so a test (or a bug
    // report) shows the text a user saw without a screenshot.
    function logShown() {
        if (app && typeof app.log === "function" && phase === "error" && visible)
            app.log("debug", ("state view: " + title + " | " + (app.errorMessage || "") + " | " + explanation).replace(/\s*\n\s*/g, " / "));
    }
    onExplanationChanged: Qt.callLater(logShown)
    onTitleChanged: Qt.callLater(logShown)
    onVisibleChanged: Qt.callLater(logShown)

    // TLS explanations can be taller than the popup: scroll rather than clip.
    Flickable {
        id: flick
        anchors.fill: parent
        clip: true
        contentWidth: width
        contentHeight: Math.max(height, column.implicitHeight + Kirigami.Units.largeSpacing * 2)
        boundsBehavior: Flickable.StopAtBounds
        interactive: contentHeight > height

    ColumnLayout {
        id: column
        x: (flick.width - width) / 2
        y: Math.max(Kirigami.Units.largeSpacing, (flick.height - implicitHeight) / 2)
        width: Math.min(flick.width - Kirigami.Units.largeSpacing * 2, Kirigami.Units.gridUnit * 22)
        spacing: Kirigami.Units.largeSpacing

        PlasmaComponents3.BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            visible: stateView.phase === "loading"
            running: visible
        }
        Kirigami.Icon {
            Layout.alignment: Qt.AlignHCenter
            visible: stateView.phase !== "loading"
            source: stateView.iconName
            Layout.preferredWidth: Kirigami.Units.iconSizes.huge
            Layout.preferredHeight: Kirigami.Units.iconSizes.huge
            opacity: 0.8
        }
        Kirigami.Heading {
            Layout.fillWidth: true
            level: 3
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
            text: stateView.title
        }
        PlasmaComponents3.Label {
            Layout.fillWidth: true
            visible: stateView.phase === "error" && stateView.app.errorMessage !== ""
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
            color: Kirigami.Theme.negativeTextColor
            text: stateView.app.errorMessage
        }
        GridLayout {
            objectName: "tlsCertificateDetails"
            Layout.fillWidth: true
            visible: stateView.certificate !== null
            columns: 2
            columnSpacing: Kirigami.Units.smallSpacing
            rowSpacing: 0

            PlasmaComponents3.Label {
                visible: stateView.pinnedFingerprint !== ""
                Layout.alignment: Qt.AlignTop | Qt.AlignRight
                font: Kirigami.Theme.smallFont
                text: i18n("Pinned:")
            }
            PlasmaComponents3.Label {
                objectName: "tlsPinnedFingerprint"
                visible: stateView.pinnedFingerprint !== ""
                Layout.fillWidth: true
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                font.pointSize: Kirigami.Theme.smallFont.pointSize
                text: stateView.pinnedFingerprint
            }
            PlasmaComponents3.Label {
                Layout.alignment: Qt.AlignTop | Qt.AlignRight
                font: Kirigami.Theme.smallFont
                text: stateView.pinnedFingerprint !== "" ? i18n("Server now:") : i18n("SHA-256:")
            }
            PlasmaComponents3.Label {
                objectName: "tlsServerFingerprint"
                Layout.fillWidth: true
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                font.pointSize: Kirigami.Theme.smallFont.pointSize
                color: stateView.pinnedFingerprint !== "" ? Kirigami.Theme.negativeTextColor : Kirigami.Theme.textColor
                text: stateView.certificate ? stateView.certificate.fingerprint256 : ""
            }
            PlasmaComponents3.Label {
                Layout.alignment: Qt.AlignTop | Qt.AlignRight
                font: Kirigami.Theme.smallFont
                text: i18n("Subject:")
            }
            PlasmaComponents3.Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                font: Kirigami.Theme.smallFont
                text: stateView.certificate ? stateView.certificate.subject : ""
            }
            PlasmaComponents3.Label {
                Layout.alignment: Qt.AlignTop | Qt.AlignRight
                font: Kirigami.Theme.smallFont
                text: i18n("Issuer:")
            }
            PlasmaComponents3.Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                font: Kirigami.Theme.smallFont
                text: stateView.certificate ? stateView.certificate.issuer : ""
            }
            PlasmaComponents3.Label {
                Layout.alignment: Qt.AlignTop | Qt.AlignRight
                font: Kirigami.Theme.smallFont
                text: i18n("Valid:")
            }
            PlasmaComponents3.Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                font: Kirigami.Theme.smallFont
                text: stateView.certificate ? i18nc("certificate validity, from – to", "%1 – %2", stateView.certificate.validFrom, stateView.certificate.validTo) : ""
            }
        }
        PlasmaComponents3.Label {
            objectName: "stateExplanation"
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.WordWrap
            horizontalAlignment: stateView.kind === "tls" || stateView.kind === "tls-setup" || stateView.kind === "unreachable" ? Text.AlignLeft : Text.AlignHCenter
            font: stateView.kind === "tls" || stateView.kind === "tls-setup" || stateView.kind === "unreachable" ? Kirigami.Theme.smallFont : Kirigami.Theme.defaultFont
            text: stateView.explanation
        }
        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: Kirigami.Units.smallSpacing
            PlasmaComponents3.Button {
                visible: stateView.phase !== "loading"
                icon.name: "configure"
                text: i18n("Configure…")
                onClicked: stateView.app.openSettings()
            }
            PlasmaComponents3.Button {
                visible: stateView.phase === "unconfigured"
                icon.name: "media-playback-start"
                text: i18n("Try the demo cluster")
                onClicked: stateView.app.startDemo()
            }
            PlasmaComponents3.Button {
                visible: stateView.phase === "error" || stateView.secretMissing
                icon.name: "view-refresh"
                text: i18n("Try again")
                onClicked: stateView.secretMissing ? stateView.app.reloadSecret() : stateView.app.refreshNow()
            }
        }
        PlasmaComponents3.Button {
            Layout.alignment: Qt.AlignHCenter
            visible: stateView.app.demoMode
            flat: true
            text: i18n("Leave the demo")
            onClicked: stateView.app.stopDemo()
        }
    }
    }
}
