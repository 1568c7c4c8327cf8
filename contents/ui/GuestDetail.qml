import QtQuick
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.plasma.components as PlasmaComponents3

// The open guest's history, right below its row (a row of the card's guest
// model with rowKind "guestDetail"): CPU, memory, network and disk I/O, and
// the hour/day/week switch. Texts and the timeframe come from the session.
ColumnLayout {
    id: detail

    property var app
    // "detail/qemu/101": the detail's own row key (the guest's, prefixed).
    required property string key
    readonly property string guestKey: key.indexOf("detail/") === 0 ? key.slice(7) : key
    readonly property var texts: app.guestDetail

    objectName: "guestDetail:" + guestKey
    spacing: Kirigami.Units.smallSpacing

    Component.onCompleted: feed.reload()

    HistoryFeed {
        id: feed
        app: detail.app
        key: detail.guestKey
    }

    PlasmaComponents3.TabBar {
        id: timeframes
        objectName: "timeframeBar"
        Layout.fillWidth: true
        currentIndex: Math.max(0, detail.texts.timeframes.findIndex(t => t.value === detail.texts.timeframe))
        Repeater {
            // A count, not the array: when its content changes a Repeater
            // re-creates every tab, which would lose a click in progress.
            model: detail.texts.timeframes.length
            delegate: PlasmaComponents3.TabButton {
                required property int index
                readonly property var choice: detail.texts.timeframes[index]
                objectName: "timeframe:" + choice.value
                text: choice.text
                onClicked: detail.app.setHistoryTimeframe(choice.value)
            }
        }
    }

    PlasmaComponents3.Label {
        objectName: "guestDetailNotice"
        Layout.fillWidth: true
        visible: text !== ""
        wrapMode: Text.WordWrap
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
        text: detail.texts.notice
    }

    GridLayout {
        Layout.fillWidth: true
        columns: 2
        rowSpacing: 0
        columnSpacing: Kirigami.Units.smallSpacing

        PlasmaComponents3.Label {
            text: detail.texts.cpuTitle
            font: Kirigami.Theme.smallFont
        }
        PlasmaComponents3.Label {
            text: detail.texts.memTitle
            font: Kirigami.Theme.smallFont
        }
        HistoryChart {
            Layout.fillWidth: true
            implicitHeight: Kirigami.Units.gridUnit * 2.5
            app: detail.app
            feed: feed
            roles: ["cpu"]
            metric: "cpu"
        }
        HistoryChart {
            Layout.fillWidth: true
            implicitHeight: Kirigami.Units.gridUnit * 2.5
            app: detail.app
            feed: feed
            roles: ["mem"]
            metric: "mem"
        }
        PlasmaComponents3.Label {
            text: detail.texts.netTitle
            font: Kirigami.Theme.smallFont
        }
        PlasmaComponents3.Label {
            text: detail.texts.diskTitle
            font: Kirigami.Theme.smallFont
        }
        HistoryChart {
            Layout.fillWidth: true
            implicitHeight: Kirigami.Units.gridUnit * 2.5
            app: detail.app
            feed: feed
            roles: ["netin", "netout"]
            metric: "net"
            fraction: false
        }
        HistoryChart {
            Layout.fillWidth: true
            implicitHeight: Kirigami.Units.gridUnit * 2.5
            app: detail.app
            feed: feed
            roles: ["diskread", "diskwrite"]
            metric: "disk"
            fraction: false
        }
    }
}
