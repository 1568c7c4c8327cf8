import QtQuick

// The rows of one chart (a node's or a guest's history, by row key): filled
// from the session by reload(), then kept in step with its updates — rows
// dropped from the front and appended at the end, cleared only when the
// session says the series was replaced — so a refresh never resets the
// chart model (no flicker).
Item {
    id: feed

    property var app
    property string key
    readonly property alias model: rows
    readonly property int count: rows.count
    // Each chart's axis top for the rows held now (the session's choice).
    property var tops: ({
            "cpu": 1,
            "mem": 1,
            "net": 1,
            "disk": 1
        })

    visible: false

    function reload() {
        rows.clear();
        const list = app ? app.historyRows(key) : [];
        for (let i = 0; i < list.length; i++)
            rows.append(list[i]);
        retop();
    }
    function retop() {
        const t = app ? app.historyTops(key) : null;
        if (t)
            tops = t;
    }
    function apply(update) {
        if (update.key !== key)
            return;
        if (update.reset)
            rows.clear();
        else if (update.dropped > 0)
            rows.remove(0, Math.min(update.dropped, rows.count));
        for (let i = 0; i < update.rows.length; i++)
            rows.append(update.rows[i]);
        retop();
    }

    Connections {
        target: feed.app
        function onHistoryUpdated(update) {
            feed.apply(update);
        }
    }

    ListModel {
        id: rows
    }
}
