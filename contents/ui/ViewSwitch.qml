import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// "All", "Running", "Problems (3)" (texts from the core), one click each;
// the choice is remembered (popupView), and how many rows a filter shows.
RowLayout {
    id: viewSwitch

    property var app

    spacing: 0

    Repeater {
        model: viewSwitch.app.viewChoices
        delegate: PlasmaComponents3.ToolButton {
            required property var modelData
            objectName: "viewButton:" + modelData.value
            text: modelData.text
            // Not checkable: a click must not toggle it off; the view decides.
            checked: viewSwitch.app.popupView === modelData.value
            Accessible.checkable: true
            onClicked: viewSwitch.app.setPopupView(modelData.value)
        }
    }
    Item {
        Layout.fillWidth: true
    }
    PlasmaComponents3.Label {
        objectName: "filterCount"
        visible: text !== ""
        text: viewSwitch.app.filterCountText
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
        elide: Text.ElideRight
        Layout.minimumWidth: implicitWidth
    }
}
