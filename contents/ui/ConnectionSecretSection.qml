import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami

// Settings → Connection, the token secret and what KDE Wallet holds for it.
Kirigami.FormLayout {
    // The page (ConfigConnection.qml): its state and what the buttons call.
    property var page
    property alias secret: secretField.text

    Kirigami.PasswordField {
        id: secretField
        Kirigami.FormData.label: i18n("Token secret:")
        placeholderText: page.keyringTexts.placeholder
        enabled: !page.demoOn
        onTextEdited: {
            page.offerDelete = false;
            page.configurationChanged();
        }
    }
    RowLayout {
        enabled: !page.demoOn
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
        visible: !page.demoOn && text !== ""
        wrapMode: Text.WordWrap
        text: page.keyringTexts.status
    }
    Kirigami.InlineMessage {
        Layout.fillWidth: true
        visible: !page.demoOn && page.keyringState === "error"
        type: Kirigami.MessageType.Error
        text: page.keyringError
    }
    Kirigami.InlineMessage {
        Layout.fillWidth: true
        visible: !page.demoOn && page.offerDelete
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
        visible: !page.demoOn
        type: Kirigami.MessageType.Information
        text: i18n("The secret is stored in KDE Wallet on Apply or with “Update Keyring”, never in the widget's settings file.")
    }
}
