import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import org.kde.kirigami as Kirigami

// Settings → Behavior → Notifications: the guests and nodes snoozed or in
// maintenance, each with a button that ends it. Rows and texts come from
// the core (snoozeSettingsRows in src/widget/snooze-menu.ts).
ColumnLayout {
    id: list

    // [{key, title, detail}]
    property var rows: []

    signal removed(string key)

    spacing: Kirigami.Units.smallSpacing

    QQC2.Label {
        visible: list.rows.length === 0
        text: i18n("No guest or node is snoozed or in maintenance. Right-click a guest or a node in the popup to snooze it.")
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
        font: Kirigami.Theme.smallFont
    }
    Repeater {
        model: list.rows
        delegate: RowLayout {
            required property var modelData
            objectName: "snoozeRow:" + modelData.key
            Layout.fillWidth: true
            QQC2.Label {
                text: modelData.title
                font.bold: true
            }
            QQC2.Label {
                Layout.fillWidth: true
                text: modelData.detail
                elide: Text.ElideRight
            }
            QQC2.Button {
                icon.name: "edit-undo"
                text: i18n("End")
                onClicked: list.removed(modelData.key)
            }
        }
    }
}
