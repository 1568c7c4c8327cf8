import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// "Recent problems": failed tasks of the last day, HA errors, Ceph health
// (rows from the session, src/widget/backups-view.ts); hidden when none.
Item {
    id: problems

    property var app

    objectName: "recentProblems"
    // Hidden, the popup's layout leaves it out; a condition on its own
    // visibility here was a binding loop in Qt 5's layouts.
    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 0

        Kirigami.Heading {
            level: 5
            text: problems.app.backups.problemsTitle
            Layout.fillWidth: true
        }
        Repeater {
            model: problems.app.backups.problems
            delegate: RowLayout {
                required property var modelData
                objectName: "problem:" + modelData.key
                Layout.fillWidth: true
                spacing: Kirigami.Units.smallSpacing
                Rectangle {
                    width: Kirigami.Units.smallSpacing * 2
                    height: width
                    radius: width / 2
                    color: problems.app.colorOf(modelData.color, Kirigami.Theme)
                }
                PlasmaComponents3.Label {
                    Layout.fillWidth: true
                    text: modelData.title
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    font: Kirigami.Theme.smallFont
                    PlasmaComponents3.ToolTip.text: modelData.detail
                    PlasmaComponents3.ToolTip.visible: hover.hovered && modelData.detail !== ""
                    HoverHandler {
                        id: hover
                    }
                }
                PlasmaComponents3.Label {
                    text: modelData.when
                    font: Kirigami.Theme.smallFont
                    color: Kirigami.Theme.disabledTextColor
                }
            }
        }
    }
}
