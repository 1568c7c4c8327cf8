import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// One connection's collapsible section in the popup when several clusters
// are watched (issue 11): its name, quorum and version, its own state line
// and, when it fails, its error with the next step. The popup binds
// `connection` to MultiView.connections[i] (ConnectionView in
// src/widget/multi-session.ts) and puts that connection's node cards
// inside. Every text comes from the core. The popup's keyboard walks the
// header too (PopupKeys.qml): the focused header is marked like a focused
// node card.
ColumnLayout {
    id: section

    // MultiView.connections[i]: {key, name, view, errorText}.
    property var connection: null
    readonly property string name: connection ? connection.name : ""
    readonly property var view: connection ? connection.view : null
    property bool expanded: true
    // The keyboard focus is on this header (PopupKeys.qml).
    property bool headerFocused: false
    readonly property alias headerItem: header
    // The node cards of this connection go here.
    default property alias content: body.data

    signal toggled

    spacing: Kirigami.Units.smallSpacing

    PlasmaComponents3.ToolButton {
        id: header

        Layout.fillWidth: true
        Accessible.name: i18n("Show or hide the connection %1", section.name)
        onClicked: section.toggled()

        // As NodeCard.qml marks a focused card.
        Rectangle {
            objectName: "headerFocus"
            z: 1
            anchors.fill: parent
            visible: section.headerFocused
            color: "transparent"
            radius: Kirigami.Units.cornerRadius
            border.color: Kirigami.Theme.focusColor
            border.width: 2
        }

        contentItem: RowLayout {
            spacing: Kirigami.Units.smallSpacing

            Kirigami.Icon {
                source: section.expanded ? "arrow-down" : "arrow-right"
                Layout.preferredWidth: Kirigami.Units.iconSizes.small
                Layout.preferredHeight: Kirigami.Units.iconSizes.small
            }

            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0

                Kirigami.Heading {
                    level: 4
                    text: section.name
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }

                PlasmaComponents3.Label {
                    text: section.view ? section.view.headerSubtitle : ""
                    visible: text !== ""
                    opacity: 0.7
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }

            PlasmaComponents3.Label {
                text: section.view ? section.view.updatedText : ""
                visible: text !== ""
                opacity: 0.7
            }

            Kirigami.Icon {
                source: "dialog-error"
                visible: section.view !== null && section.view.hasError
                Layout.preferredWidth: Kirigami.Units.iconSizes.small
                Layout.preferredHeight: Kirigami.Units.iconSizes.small
            }
        }
    }

    Kirigami.InlineMessage {
        Layout.fillWidth: true
        visible: text !== ""
        type: Kirigami.MessageType.Error
        text: section.connection ? section.connection.errorText : ""
    }

    ColumnLayout {
        id: body

        Layout.fillWidth: true
        visible: section.expanded
        spacing: Kirigami.Units.smallSpacing
    }
}
