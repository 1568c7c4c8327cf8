import QtQuick
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.plasma.components as PlasmaComponents3

// A node card's last hour: CPU, memory, network in/out. Created only for an
// online node whose card exists in the open popup; telling the session so
// is what makes it read that node's history (and stop when destroyed).
GridLayout {
    id: spark

    property var app
    property string key

    objectName: "nodeSparklines"
    columns: 3
    rowSpacing: 0
    columnSpacing: Kirigami.Units.smallSpacing

    Component.onCompleted: {
        app.showNodeHistory(key, true);
        feed.reload();
    }
    Component.onDestruction: if (app)
        app.showNodeHistory(key, false)

    HistoryFeed {
        id: feed
        app: spark.app
        key: spark.key
    }

    PlasmaComponents3.Label {
        text: i18n("CPU")
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
    }
    PlasmaComponents3.Label {
        text: i18n("Memory")
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
    }
    PlasmaComponents3.Label {
        text: i18n("Network")
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
    }
    HistoryChart {
        Layout.fillWidth: true
        app: spark.app
        feed: feed
        roles: ["cpu"]
        metric: "cpu"
    }
    HistoryChart {
        Layout.fillWidth: true
        app: spark.app
        feed: feed
        roles: ["mem"]
        metric: "mem"
    }
    HistoryChart {
        Layout.fillWidth: true
        app: spark.app
        feed: feed
        roles: ["netin", "netout"]
        metric: "net"
        fraction: false
    }
}
