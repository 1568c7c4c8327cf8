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

    readonly property string iconName: {
        if (secretMissing)
            return "dialog-password";
        if (phase === "unconfigured")
            return "configure";
        if (phase === "loading")
            return "network-connect";
        switch (kind) {
        case "tls":
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
            return i18n("Missing token secret");
        if (phase === "unconfigured")
            return i18n("ProxMon is not set up yet");
        if (phase === "loading")
            return i18n("Connecting to %1…", app.demoMode ? i18n("the demo cluster") : app.host);
        switch (kind) {
        case "tls":
            return i18n("The server's certificate is not trusted");
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
            return i18n("Install the Proxmox CA system-wide: copy /etc/pve/pve-root-ca.pem from the server to /usr/local/share/ca-certificates/pve-root-ca.crt, run “sudo update-ca-certificates”, then restart plasmashell (systemctl --user restart plasma-plasmashell). Pinning the fingerprint becomes possible once the native TLS module lands.");
        case "auth":
            return i18n("Tokens are listed in the Proxmox web UI under Datacenter → Permissions → API Tokens.");
        case "permission":
            return app.errorPrivilege !== ""
                ? i18n("Grant the privilege %1 on %2 to the token (or its user when privilege separation is off), e.g. with the PVEAuditor role.", app.errorPrivilege, app.errorAclPath !== "" ? app.errorAclPath : "/")
                : i18n("Give the token the PVEAuditor role on / in Datacenter → Permissions.");
        case "unreachable":
            return i18n("Check the host name and port (%1:%2) and your network. If the server uses the self-signed Proxmox certificate, this is also what an untrusted certificate looks like: install the Proxmox CA system-wide (/etc/pve/pve-root-ca.pem → /usr/local/share/ca-certificates/pve-root-ca.crt, then sudo update-ca-certificates and restart plasmashell).", app.host, app.port);
        case "timeout":
            return i18n("ProxMon keeps trying. A busy server or a slow link can cause this.");
        case "node-unreachable":
            return i18n("Point ProxMon at another node of the cluster, or check the cluster network.");
        default:
            return "";
        }
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - Kirigami.Units.largeSpacing * 2, Kirigami.Units.gridUnit * 22)
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
        PlasmaComponents3.Label {
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
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
