import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// The popup's Backups section: a summary line, and on a click the guests
// whose last backup failed, overdue, never backed up, in no job, due; then
// what the token cannot read. Groups, rows and texts come from the session
// (src/widget/backups-view.ts). The section is a layout itself, not an Item
// sized to a layout inside it: on Qt 5 that height binding looped when the
// rows arrived while the section showed.
ColumnLayout {
    id: section

    property var app
    // Starts as the session says (open while the list is short); a click toggles.
    property bool open: app.backups.sectionOpen

    objectName: "backupsSection"
    spacing: 0

    RowLayout {
        Layout.fillWidth: true
        spacing: Kirigami.Units.smallSpacing
        Kirigami.Icon {
            source: section.open ? "go-down" : "go-next"
            Layout.preferredWidth: Kirigami.Units.iconSizes.small
            Layout.preferredHeight: Kirigami.Units.iconSizes.small
        }
        Kirigami.Heading {
            level: 5
            text: section.app.backups.sectionTitle
        }
        PlasmaComponents3.Label {
            objectName: "backupsSummary"
            Layout.fillWidth: true
            text: section.app.backups.sectionSummary
            elide: Text.ElideRight
            font: Kirigami.Theme.smallFont
            color: Kirigami.Theme.disabledTextColor
        }
        TapHandler {
            onTapped: section.open = !section.open
        }
    }
    Repeater {
        model: section.open ? section.app.backups.groups : []
        delegate: ColumnLayout {
            id: group
            required property var modelData
            objectName: "backupGroup:" + modelData.key
            Layout.fillWidth: true
            Layout.leftMargin: Kirigami.Units.iconSizes.small
            spacing: 0
            PlasmaComponents3.Label {
                text: group.modelData.title
                font.bold: true
                font.pointSize: Kirigami.Theme.smallFont.pointSize
                color: section.app.colorOf(group.modelData.color, Kirigami.Theme)
            }
            Repeater {
                model: group.modelData.rows
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.leftMargin: Kirigami.Units.smallSpacing
                    PlasmaComponents3.Label {
                        text: modelData.text
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font: Kirigami.Theme.smallFont
                        Layout.maximumWidth: Kirigami.Units.gridUnit * 10
                    }
                    PlasmaComponents3.Label {
                        Layout.fillWidth: true
                        text: modelData.detail
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font: Kirigami.Theme.smallFont
                        color: Kirigami.Theme.disabledTextColor
                    }
                }
            }
        }
    }
    Repeater {
        model: section.open ? section.app.backups.notices : []
        delegate: PlasmaComponents3.Label {
            required property string modelData
            Layout.fillWidth: true
            Layout.leftMargin: Kirigami.Units.iconSizes.small
            text: modelData
            textFormat: Text.PlainText
            wrapMode: Text.WordWrap
            font: Kirigami.Theme.smallFont
            color: Kirigami.Theme.neutralTextColor
        }
    }
}
