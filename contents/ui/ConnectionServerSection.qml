import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import "../code/settings.mjs" as Settings

// Settings → Connection, the server: demo switch, host, port, token ID, interval.
Kirigami.FormLayout {
    // The page (ConfigConnection.qml): its state and what the buttons call.
    property var page
    property alias demoMode: demoCheck.checked
    property alias host: hostField.text
    property alias port: portSpin.value
    property alias tokenId: tokenField.text
    property alias refreshInterval: refreshSpin.value

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
        enabled: !demoCheck.checked && !page.listInUse
    }
    QQC2.SpinBox {
        id: portSpin
        Kirigami.FormData.label: i18n("Port:")
        from: 1
        to: 65535
        editable: true
        enabled: !demoCheck.checked && !page.listInUse
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
        enabled: !demoCheck.checked && !page.listInUse
    }
    Kirigami.InlineMessage {
        Layout.fillWidth: true
        visible: page.tokenProblem !== null && !demoCheck.checked
        type: Kirigami.MessageType.Error
        text: page.tokenProblem || ""
    }

    QQC2.SpinBox {
        id: refreshSpin
        Kirigami.FormData.label: i18n("Refresh every:")
        from: Settings.MIN_REFRESH_SECONDS
        to: 3600
        editable: true
        textFromValue: function (value) {
            return i18np("%1 second", "%1 seconds", value);
        }
        valueFromText: function (text) {
            return parseInt(text, 10) || Settings.DEFAULT_REFRESH_SECONDS;
        }
    }
}
