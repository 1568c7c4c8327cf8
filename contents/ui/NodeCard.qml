import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami
import Qt.labs.qmlmodels
import "../code/proxmon.mjs" as Proxmon

// One node: status, CPU and memory bars, uptime, guest count; a click
// shows or hides its guests (remembered in the expandedNodes setting).
// Short of room, the name elides and the bars get shorter; the figures
// (uptime, CPU, RAM) keep their whole text.
Item {
    id: card

    property var app
    // Tests find a delegate by its row key and compare identities across refreshes.
    objectName: "nodeCard:" + key
    // Roles of the node ListModel (see NodeRow in src/view/view-model.ts).
    required property string key
    required property string name
    required property string status
    required property string statusColor
    required property bool online
    required property real cpuFraction
    required property string cpuText
    required property int maxcpu
    required property real memFraction
    required property string memText
    required property string uptimeText
    required property int guestsRunning
    required property int guestsTotal
    required property int templates
    required property bool expanded

    readonly property var guestRows: app && app.guestsByNode[name] ? app.guestsByNode[name] : []
    property var appliedRows: []

    implicitHeight: layout.implicitHeight + Kirigami.Units.smallSpacing * 2

    function syncGuests() {
        const rows = card.expanded ? card.guestRows : [];
        card.app.applyOps(guestModel, Proxmon.syncOps(card.appliedRows, rows));
        card.appliedRows = rows;
    }
    onGuestRowsChanged: syncGuests()
    onExpandedChanged: syncGuests()
    Component.onCompleted: syncGuests()

    ListModel {
        id: guestModel
    }

    // Keyboard focus (PopupKeys.qml): this card, or one of its guest rows.
    readonly property bool cardFocused: app.focusTarget.key === key
    readonly property int focusedRow: app.focusTarget.kind === "guest" && app.focusTarget.nodeIndex === index ? app.focusTarget.rowIndex : -1
    required property int index
    function rowY(i) {
        const item = guestRepeater.itemAt(i);
        return item ? item.mapToItem(card, 0, 0).y : 0;
    }
    function rowHeight(i) {
        const item = guestRepeater.itemAt(i);
        return item ? item.height : 0;
    }

    Rectangle {
        anchors.fill: parent
        radius: Kirigami.Units.cornerRadius
        color: Kirigami.Theme.alternateBackgroundColor
        opacity: headerArea.containsMouse ? 0.9 : 0.5
        border.color: card.cardFocused ? Kirigami.Theme.focusColor : Qt.rgba(Kirigami.Theme.textColor.r, Kirigami.Theme.textColor.g, Kirigami.Theme.textColor.b, 0.12)
        border.width: card.cardFocused ? 2 : 1
    }
    Rectangle {
        objectName: "guestFocus"
        visible: card.focusedRow >= 0 && guestRepeater.itemAt(card.focusedRow) !== null
        x: Kirigami.Units.smallSpacing / 2
        width: parent.width - Kirigami.Units.smallSpacing
        y: visible ? card.rowY(card.focusedRow) - 1 : 0
        height: visible ? card.rowHeight(card.focusedRow) + 2 : 0
        radius: Kirigami.Units.cornerRadius
        color: Qt.rgba(Kirigami.Theme.highlightColor.r, Kirigami.Theme.highlightColor.g, Kirigami.Theme.highlightColor.b, 0.2)
        border.color: Kirigami.Theme.focusColor
    }

    ColumnLayout {
        id: layout
        anchors {
            left: parent.left
            right: parent.right
            top: parent.top
            margins: Kirigami.Units.smallSpacing
        }
        // Compact rows (Settings → Appearance): no gaps between guests.
        spacing: card.app.compact ? 0 : Kirigami.Units.smallSpacing

        Item {
            Layout.fillWidth: true
            implicitHeight: headerColumn.implicitHeight

            ColumnLayout {
                id: headerColumn
                anchors.left: parent.left
                anchors.right: parent.right
                spacing: Kirigami.Units.smallSpacing

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Kirigami.Units.smallSpacing
                    Kirigami.Icon {
                        source: card.expanded ? "go-down" : "go-next"
                        Layout.preferredWidth: Kirigami.Units.iconSizes.small
                        Layout.preferredHeight: Kirigami.Units.iconSizes.small
                    }
                    Rectangle {
                        width: Kirigami.Units.smallSpacing * 2.5
                        height: width
                        radius: width / 2
                        color: card.app.colorOf(card.statusColor, Kirigami.Theme)
                    }
                    Kirigami.Icon {
                        source: "network-server"
                        Layout.preferredWidth: Kirigami.Units.iconSizes.small
                        Layout.preferredHeight: Kirigami.Units.iconSizes.small
                    }
                    PlasmaComponents3.Label {
                        objectName: "nodeName"
                        text: card.name
                        textFormat: Text.PlainText
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    NodeChips {
                        app: card.app
                        rowKey: card.key
                    }
                    PlasmaComponents3.Label {
                        objectName: "nodeStatus"
                        visible: !card.online
                        Layout.minimumWidth: implicitWidth
                        text: card.status
                        color: card.app.colorOf(card.statusColor, Kirigami.Theme)
                    }
                    PlasmaComponents3.Label {
                        objectName: "nodeUptime"
                        visible: card.online
                        Layout.minimumWidth: implicitWidth
                        text: i18n("up %1", card.uptimeText)
                        font: Kirigami.Theme.smallFont
                        color: Kirigami.Theme.disabledTextColor
                    }
                }

                GridLayout {
                    Layout.fillWidth: true
                    visible: card.online
                    columns: 3
                    columnSpacing: Kirigami.Units.smallSpacing
                    rowSpacing: 0

                    PlasmaComponents3.Label {
                        text: i18n("CPU")
                        font: Kirigami.Theme.smallFont
                    }
                    PlasmaComponents3.ProgressBar {
                        Layout.fillWidth: true
                        from: 0
                        to: 1
                        value: Math.max(0, card.cpuFraction)
                        indeterminate: false
                    }
                    // Both figures sit in one column, so the bars keep one length.
                    PlasmaComponents3.Label {
                        objectName: "nodeCpuText"
                        Layout.minimumWidth: implicitWidth
                        Layout.alignment: Qt.AlignRight
                        horizontalAlignment: Text.AlignRight
                        font: Kirigami.Theme.smallFont
                        text: card.maxcpu > 0 ? i18np("%2 of 1 core", "%2 of %1 cores", card.maxcpu, card.cpuText) : card.cpuText
                    }
                    PlasmaComponents3.Label {
                        text: i18n("RAM")
                        font: Kirigami.Theme.smallFont
                    }
                    PlasmaComponents3.ProgressBar {
                        Layout.fillWidth: true
                        from: 0
                        to: 1
                        value: Math.max(0, card.memFraction)
                    }
                    PlasmaComponents3.Label {
                        objectName: "nodeMemText"
                        Layout.minimumWidth: implicitWidth
                        Layout.alignment: Qt.AlignRight
                        horizontalAlignment: Text.AlignRight
                        font: Kirigami.Theme.smallFont
                        text: card.memText
                    }
                }

                // History (issue 12): the last hour, read only while this card exists.
                Loader {
                    Layout.fillWidth: true
                    active: card.online && card.app !== null
                    visible: active
                    sourceComponent: Component {
                        NodeSparklines {
                            app: card.app
                            key: card.key
                        }
                    }
                }

                PlasmaComponents3.Label {
                    Layout.fillWidth: true
                    visible: !card.app.compact
                    elide: Text.ElideRight
                    font: Kirigami.Theme.smallFont
                    color: Kirigami.Theme.disabledTextColor
                    text: i18np("%2 of %1 guest running", "%2 of %1 guests running", card.guestsTotal, card.guestsRunning) + (card.templates > 0 ? " · " + i18np("1 template", "%1 templates", card.templates) : "")
                }
            }

            // Snooze and maintenance (issue 13): the menu is made on demand.
            TapHandler {
                acceptedButtons: Qt.RightButton
                onTapped: card.app.openSnoozeMenu(card, "node", card.key)
            }
            MouseArea {
                id: headerArea
                objectName: "nodeHeader"
                anchors.fill: parent
                hoverEnabled: true
                cursorShape: Qt.PointingHandCursor
                onClicked: card.app.toggleNode(card.key)
                Accessible.name: card.expanded ? i18n("Hide the guests of %1", card.name) : i18n("Show the guests of %1", card.name)
                Accessible.role: Accessible.Button
            }
        }

        Repeater {
            id: guestRepeater
            model: guestModel
            // The open guest detail is a row of its own (rowKind "guestDetail").
            // qmllint disable required
            delegate: DelegateChooser {
                role: "rowKind"
                DelegateChoice {
                    roleValue: "guestDetail"
                    GuestDetail {
                        Layout.fillWidth: true
                        app: card.app
                    }
                }
                // The chooser fills the rows' roles, which qmllint cannot see.
                DelegateChoice {
                    GuestRow {
                        Layout.fillWidth: true
                        app: card.app
                    }
                }
                // qmllint enable required
            }
        }

        PlasmaComponents3.Label {
            visible: card.expanded && card.guestRows.length === 0 && !card.app.filtering
            text: i18n("No guests on this node")
            font: Kirigami.Theme.smallFont
            color: Kirigami.Theme.disabledTextColor
        }
    }
}
