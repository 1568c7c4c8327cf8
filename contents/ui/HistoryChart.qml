import QtQuick
import org.kde.kirigami as Kirigami
import org.kde.plasma.components as PlasmaComponents3
import org.kde.quickcharts as Charts

// One line chart of a HistoryFeed (org.kde.quickcharts): one or two roles
// in the theme's colours, oldest bucket on the left. The pointer's bucket
// is marked and its value shown; the text comes from the session.
Item {
    id: chart

    property var app
    property var feed
    // The first one or two roles of the feed's rows to draw.
    property var roles: ["cpu"]
    // What the hover text describes: "cpu", "mem", "net" or "disk".
    property string metric: "cpu"
    // Fractions (0..1, a fixed axis) or rates (an automatic axis).
    property bool fraction: true
    // The pointer's x, or -1; a test may set it.
    property real pointerX: hover.hovered ? hover.point.position.x : -1
    readonly property int hoverIndex: pointerX >= 0 && feed && feed.count > 0 ? Math.max(0, Math.min(feed.count - 1, Math.round(pointerX / Math.max(1, width) * (feed.count - 1)))) : -1
    readonly property string hoverText: hoverIndex >= 0 && app ? app.historyHover(feed.key, hoverIndex, metric) : ""
    readonly property int points: feed ? feed.count : 0

    objectName: "historyChart:" + metric
    implicitHeight: Kirigami.Units.gridUnit * 1.6
    implicitWidth: Kirigami.Units.gridUnit * 4

    Rectangle {
        anchors.fill: parent
        radius: Kirigami.Units.cornerRadius
        color: Qt.rgba(Kirigami.Theme.textColor.r, Kirigami.Theme.textColor.g, Kirigami.Theme.textColor.b, 0.05)
    }

    Charts.LineChart {
        id: line
        anchors.fill: parent
        smooth: true
        lineWidth: 1
        fillOpacity: 0.25
        xRange.automatic: true
        yRange {
            from: 0
            to: chart.feed ? chart.feed.tops[chart.metric] : 1
            automatic: !chart.fraction
        }
        colorSource: Charts.ArraySource {
            array: [Kirigami.Theme.highlightColor, Kirigami.Theme.positiveTextColor]
        }
        valueSources: chart.roles.length > 1 ? [first, second] : [first]

        Charts.ModelSource {
            id: first
            model: chart.feed ? chart.feed.model : null
            roleName: chart.roles[0]
        }
        Charts.ModelSource {
            id: second
            model: chart.feed ? chart.feed.model : null
            roleName: chart.roles.length > 1 ? chart.roles[1] : chart.roles[0]
        }
    }

    Rectangle {
        visible: chart.hoverIndex >= 0
        x: chart.points > 1 ? chart.hoverIndex / (chart.points - 1) * (chart.width - 1) : 0
        width: 1
        height: chart.height
        color: Kirigami.Theme.textColor
        opacity: 0.6
    }

    HoverHandler {
        id: hover
    }

    PlasmaComponents3.ToolTip {
        objectName: "historyHoverText"
        visible: chart.hoverText !== ""
        text: chart.hoverText
    }
}
