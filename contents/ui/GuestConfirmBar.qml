import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// The inline two-step confirmation over a guest row: "Shut down web-01?
// Confirm · Cancel". The session times it out by itself. For stop and reset
// the question is in the negative colour and the keyboard focus starts on
// Cancel, so Enter never pulls the plug.
Rectangle {
    id: bar

    property string question: ""
    property string confirmLabel: ""
    property string cancelLabel: ""
    property bool destructive: false

    signal confirmed
    signal cancelled

    implicitHeight: layout.implicitHeight
    radius: Kirigami.Units.cornerRadius
    color: Kirigami.Theme.backgroundColor
    border.color: destructive ? Kirigami.Theme.negativeTextColor : Kirigami.Theme.highlightColor

    // Where the keyboard focus starts: never on Confirm for a destructive action.
    readonly property var firstFocus: destructive ? cancelButton : confirmButton
    function focusFirst() {
        if (visible)
            firstFocus.forceActiveFocus();
    }
    // After this change's other bindings (destructive) have settled.
    onVisibleChanged: Qt.callLater(bar.focusFirst)
    Keys.onEscapePressed: bar.cancelled()

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.leftMargin: Kirigami.Units.smallSpacing
        spacing: Kirigami.Units.smallSpacing

        PlasmaComponents3.Label {
            objectName: "guestConfirmText"
            Layout.fillWidth: true
            text: bar.question
            textFormat: Text.PlainText
            elide: Text.ElideRight
            color: bar.destructive ? Kirigami.Theme.negativeTextColor : Kirigami.Theme.textColor
        }
        PlasmaComponents3.ToolButton {
            id: confirmButton
            objectName: "guestConfirm"
            text: bar.confirmLabel
            icon.name: "dialog-ok"
            onClicked: bar.confirmed()
            Keys.onEscapePressed: bar.cancelled()
        }
        PlasmaComponents3.ToolButton {
            id: cancelButton
            objectName: "guestCancel"
            text: bar.cancelLabel
            icon.name: "dialog-cancel"
            onClicked: bar.cancelled()
            Keys.onEscapePressed: bar.cancelled()
        }
    }
}
