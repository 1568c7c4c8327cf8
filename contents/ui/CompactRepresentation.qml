import QtQuick
import QtQuick.Layouts
import org.kde.plasma.plasmoid
import org.kde.plasma.core as PlasmaCore
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// The panel item: icon + average CPU, a pulse while refreshing, an error
// badge, a faded look when the data is stale. Click toggles the popup.
MouseArea {
    id: compact

    property var app

    readonly property bool vertical: Plasmoid.formFactor === PlasmaCore.Types.Vertical
    readonly property bool inPanel: Plasmoid.formFactor === PlasmaCore.Types.Horizontal || vertical

    Layout.minimumWidth: vertical ? -1 : grid.implicitWidth
    Layout.minimumHeight: vertical ? grid.implicitHeight : -1
    Layout.preferredWidth: inPanel ? Layout.minimumWidth : Kirigami.Units.iconSizes.huge
    Layout.preferredHeight: inPanel ? Layout.minimumHeight : Kirigami.Units.iconSizes.huge

    hoverEnabled: true
    acceptedButtons: Qt.LeftButton | Qt.MiddleButton
    Accessible.name: i18n("ProxMon")
    Accessible.description: app.toolTipSubText
    Accessible.role: Accessible.Button

    // The tooltip shows the age: the session ticks it while hovered.
    onContainsMouseChanged: app.setHovered(containsMouse)

    property bool wasExpanded: false
    onPressed: wasExpanded = app.expanded
    onClicked: mouse => {
        if (mouse.button === Qt.MiddleButton)
            app.refreshNow();
        else
            app.expanded = !wasExpanded;
    }

    GridLayout {
        id: grid
        anchors.centerIn: parent
        flow: compact.vertical ? GridLayout.TopToBottom : GridLayout.LeftToRight
        columnSpacing: Kirigami.Units.smallSpacing
        rowSpacing: 0

        Item {
            Layout.alignment: Qt.AlignCenter
            implicitWidth: Math.min(compact.vertical ? compact.width : compact.height, Kirigami.Units.iconSizes.medium)
            implicitHeight: implicitWidth

            Kirigami.Icon {
                id: icon
                objectName: "compactIcon"
                anchors.fill: parent
                source: Plasmoid.icon
                fallback: "network-server"
                active: compact.containsMouse
                // A refresh dims the icon for its duration, without an animation:
                // a pulsing icon repaints the panel many times a second, which
                // was most of the widget's idle cost in plasmashell
                // (docs/benchmark.md).
                opacity: compact.app.stale ? 0.5 : compact.app.refreshing ? 0.7 : 1
            }

            // Error badge.
            Rectangle {
                visible: compact.app.hasError
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                width: Math.max(6, parent.width * 0.4)
                height: width
                radius: width / 2
                color: Kirigami.Theme.negativeTextColor
                border.color: Kirigami.Theme.backgroundColor
                border.width: 1

                PlasmaComponents3.Label {
                    anchors.centerIn: parent
                    text: "!"
                    color: "white"
                    font.bold: true
                    font.pixelSize: parent.height * 0.8
                }
            }
        }

        PlasmaComponents3.Label {
            id: label
            objectName: "compactLabel"
            Layout.alignment: Qt.AlignCenter
            visible: compact.inPanel && compact.app.phase !== "unconfigured" && !compact.app.panelIconOnly
            text: compact.app.panelText
            font.italic: compact.app.stale
            opacity: compact.app.stale ? 0.6 : 1
            color: compact.app.hasError && !compact.app.stale ? Kirigami.Theme.negativeTextColor : Kirigami.Theme.textColor
            font.pixelSize: compact.vertical ? Kirigami.Theme.smallFont.pixelSize : Kirigami.Theme.defaultFont.pixelSize
        }
    }
}
