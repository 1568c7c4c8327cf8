import QtQuick
import QtQuick.Window

// TEST STAGING ONLY (scripts/package.sh --test-hooks FILE, run by
// tests/plasma/test-search.sh): stands in for contents/ui/TestHooks.qml.
// Opens the popup, and whenever what it shows changes logs one
// "proxmon-test: {json}" line: the search text, the view, the count, the
// guest rows drawn (name, running, lock, status) and where the search field
// and the view buttons are on the screen, so the script can type and click
// with real X events (xdotool) and check what came out.
Item {
    id: hooks

    readonly property bool expandOnStart: true
    property string last: ""

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
    function cardOf(item) {
        let p = item.parent;
        while (p && (p.objectName || "").indexOf("nodeCard:") !== 0)
            p = p.parent;
        return p;
    }
    function center(item) {
        if (!item || !item.Window.window)
            return null;
        const p = item.mapToItem(null, item.width / 2, item.height / 2);
        const w = item.Window.window;
        return [Math.round(w.x + p.x), Math.round(w.y + p.y)];
    }
    function report() {
        const full = hooks.parent ? hooks.parent.fullRepresentationItem : null;
        if (!full || !full.app)
            return;
        const app = full.app;
        const out = {
            phase: app.phase,
            search: app.searchText,
            view: app.popupView,
            count: app.filterCountText,
            empty: app.filterEmptyText,
            problems: app.problemCount,
            focus: app.focusKey,
            cards: 0,
            rows: [],
            field: null,
            fieldFocus: false,
            buttons: {}
        };
        walk(full, function (it) {
            const n = it.objectName || "";
            if (n.indexOf("nodeCard:") === 0 && it.visible)
                out.cards++;
            else if (n.indexOf("guestRow:") === 0 && it.visible)
                out.rows.push({
                    name: it.displayName,
                    running: it.running,
                    lock: it.lock,
                    status: it.status,
                    nodeOnline: hooks.cardOf(it) ? hooks.cardOf(it).online : null
                });
            else if (n === "searchField") {
                out.field = center(it);
                out.fieldFocus = it.activeFocus;
            } else if (n.indexOf("viewButton:") === 0)
                out.buttons[n.slice(11)] = center(it);
        });
        const line = JSON.stringify(out);
        if (line !== last)
            console.log("proxmon-test: " + line);
        last = line;
    }

    Timer {
        interval: 500
        running: true
        repeat: true
        onTriggered: hooks.report()
    }
}
