import QtQuick

// TEST STAGING ONLY (tests/plasma/test-actions.sh, through scripts/package.sh
// --test-hooks): opens the popup, and twice a second logs where the items
// the test clicks are on the screen and what the action UI shows, each line
// only when it changed. The test reads the log and clicks with XTest, so
// the clicks go through the real X server, window and menu.
Item {
    id: hooks

    readonly property bool expandOnStart: true
    property var said: ({})

    function say(key, line) {
        if (said[key] === line)
            return;
        said[key] = line;
        console.log("proxmon-test: " + line);
    }
    function walk(item, visit) {
        if (!item)
            return;
        visit(item);
        const kids = item.children || [];
        for (let i = 0; i < kids.length; i++)
            walk(kids[i], visit);
    }
    function at(item) {
        const p = item.mapToGlobal(item.width / 2, item.height / 2);
        return Math.round(p.x) + " " + Math.round(p.y);
    }

    Timer {
        interval: 500
        repeat: true
        running: true
        onTriggered: {
            const full = hooks.parent.fullRepresentationItem;
            const app = hooks.parent.app;
            if (!full || !full.Window.window || !app)
                return;
            const entries = [];
            hooks.walk(full.Window.window.contentItem, function (it) {
                const name = it.objectName || "";
                // The guests the test clicks are on the last node (pve3): its
                // card at the top of the list, below the popup's header, the
                // graphs and the search, where the pointer can reach them.
                if (name === "nodeList" && it.count > 0)
                    it.positionViewAtIndex(it.count - 1, ListView.Beginning);
                if (!it.visible || name === "")
                    return;
                if (name.indexOf("guestRow:") === 0 || name === "guestConfirm" || name === "guestCancel")
                    hooks.say("at " + name, "at " + name + " " + hooks.at(it));
                if (name.indexOf("guestActionItem:") === 0) {
                    entries.push(name.slice(16));
                    hooks.say("entry " + name, "entry " + name.slice(16) + " " + (it.enabled ? "enabled" : "disabled") + " " + hooks.at(it) + " " + it.text);
                    hooks.say("highlight " + name, "highlight " + name.slice(16) + " " + it.highlighted);
                }
            });
            hooks.say("menu", "menu " + (entries.length > 0 ? "open " + entries.join(",") : "closed"));
            hooks.say("ui", "actions-ui " + app.actionsEnabled);
            const states = app.guestActions;
            const keys = Object.keys(states);
            for (let i = 0; i < keys.length; i++) {
                const s = states[keys[i]];
                hooks.say("state " + keys[i], "state " + keys[i] + (s.pending ? " pending " + s.pendingText : s.confirming ? " confirming " + s.confirmText : " none"));
            }
            const rows = app.guestsByNode;
            const nodes = Object.keys(rows);
            for (let n = 0; n < nodes.length; n++) {
                const list = rows[nodes[n]];
                for (let j = 0; j < list.length; j++) {
                    const r = list[j];
                    hooks.say("status " + r.key, "status " + r.key + " " + r.status + (states[r.key] ? "" : " idle"));
                }
            }
        }
    }
}
