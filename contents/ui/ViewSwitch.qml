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
        // A count, not the array: a Repeater re-creates every button when
        // the array's content changes — the Problems count does, with the
        // cluster — which would lose a click in progress and the focus.
        model: viewSwitch.app.viewChoices.length
        delegate: PlasmaComponents3.ToolButton {
            required property int index
            readonly property var choice: viewSwitch.app.viewChoices[index]
            objectName: "viewButton:" + choice.value
            text: choice.text
            // Not checkable: a click must not toggle it off; the view decides.
            checked: viewSwitch.app.popupView === choice.value
            Accessible.checkable: true
            onClicked: viewSwitch.app.setPopupView(choice.value)
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
