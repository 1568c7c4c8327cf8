import QtQuick
import QtQuick.Layouts
import org.kde.kirigami as Kirigami

// A node's snooze or maintenance chip in its card's header (from the
// session, through WidgetFacade.nodeChips).
RowLayout {
    id: chips

    property var app
    property string rowKey

    visible: repeater.count > 0
    spacing: 2

    Repeater {
        id: repeater
        model: chips.app.nodeChips(chips.rowKey)
        delegate: GuestChip {
            required property var modelData
            objectName: "nodeChip"
            text: modelData.text
            tip: modelData.tip
            iconName: modelData.icon
            tint: chips.app.colorOf(modelData.color, Kirigami.Theme)
        }
    }
}
