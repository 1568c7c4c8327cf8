import QtQuick
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.plasma.components as PlasmaComponents3

// One line of the Storage section: a group heading, or a storage with its
// usage bar, used/total, type and state, and the "full in ~N days" forecast.
ColumnLayout {
    id: line

    property var app
    required property string key
    required property bool heading
    required property string title
    required property string detailText
    required property string usageText
    required property real fraction
    required property string color
    required property string stateColor
    required property string forecastText

    objectName: "storageLine:" + key
    spacing: 0

    PlasmaComponents3.Label {
        visible: line.heading
        Layout.fillWidth: true
        Layout.topMargin: Kirigami.Units.smallSpacing
        elide: Text.ElideRight
        textFormat: Text.PlainText
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
        text: line.title
    }
    RowLayout {
        visible: !line.heading
        Layout.fillWidth: true
        spacing: Kirigami.Units.smallSpacing
        Kirigami.Icon {
            source: "drive-harddisk"
            Layout.preferredWidth: Kirigami.Units.iconSizes.small
            Layout.preferredHeight: Kirigami.Units.iconSizes.small
        }
        PlasmaComponents3.Label {
            objectName: "storageName"
            text: line.title
            textFormat: Text.PlainText
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        PlasmaComponents3.Label {
            objectName: "storageDetail"
            Layout.minimumWidth: implicitWidth
            font: Kirigami.Theme.smallFont
            color: line.app.colorOf(line.stateColor, Kirigami.Theme)
            text: line.detailText
        }
    }
    RowLayout {
        visible: !line.heading
        Layout.fillWidth: true
        spacing: Kirigami.Units.smallSpacing
        PlasmaComponents3.ProgressBar {
            objectName: "storageBar"
            Layout.fillWidth: true
            from: 0
            to: 1
            value: Math.max(0, line.fraction)
            Kirigami.Theme.highlightColor: line.app.colorOf(line.color, line.Kirigami.Theme)
        }
        PlasmaComponents3.Label {
            objectName: "storageUsage"
            Layout.minimumWidth: implicitWidth
            font: Kirigami.Theme.smallFont
            text: line.usageText
        }
    }
    PlasmaComponents3.Label {
        objectName: "storageForecast"
        visible: !line.heading && text !== ""
        Layout.fillWidth: true
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.neutralTextColor
        text: line.forecastText
    }
}
