import QtQuick

// TEST STAGING ONLY (tests/plasma/test-graphs.sh, via scripts/package.sh
// --test-hooks): opens the popup, then, once the demo's node history has
// arrived, the first running guest's detail; logs "proxmon-test: graphs
// ready N M" (node card and guest detail buckets) when both charts hold
// data, so plasmoidviewer's screenshot shows them drawn.
Item {
    id: hooks

    readonly property bool expandOnStart: true
    readonly property var app: hooks.parent ? hooks.parent.app : null
    property bool opened: false
    property bool done: false

    function walk(item, visit) {
        if (!item)
            return;
        visit(item);
        const kids = item.children || [];
        for (let i = 0; i < kids.length; i++)
            walk(kids[i], visit);
        if (item.contentItem && kids.indexOf(item.contentItem) < 0)
            walk(item.contentItem, visit);
    }
    function points(prefix, metric) {
        let n = 0;
        walk(hooks.parent.fullRepresentationItem, function (it) {
                if ((it.objectName || "").indexOf(prefix) === 0)
                    walk(it, function (c) {
                            if (c.objectName === "historyChart:" + metric && n === 0)
                                n = c.points;
                        });
            });
        return n;
    }

    Timer {
        interval: 500
        repeat: true
        running: !hooks.done
        onTriggered: {
            const app = hooks.app;
            if (!app || app.phase !== "ok" || !hooks.parent.fullRepresentationItem)
                return;
            if (!hooks.opened) {
                const rows = (app.guestsByNode["pve1"] || []).filter(r => r.running);
                if (rows.length === 0)
                    return;
                hooks.opened = true;
                app.toggleGuestDetail(rows[0].key);
                return;
            }
            const node = hooks.points("nodeSparklines", "cpu");
            const guest = hooks.points("guestDetail:", "disk");
            if (node > 0 && guest > 0) {
                hooks.done = true;
                console.log("proxmon-test: graphs ready " + node + " " + guest);
            }
        }
    }
}
