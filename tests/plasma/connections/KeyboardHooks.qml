import QtQuick
import QtQuick.Window

// TEST STAGING ONLY (scripts/package.sh --test-hooks FILE, run by
// tests/plasma/test-connections.sh): stands in for contents/ui/TestHooks.qml.
// Opens the popup, and whenever what it shows changes logs one
// "proxmon-test: {json}" line: the keyboard focus as the façade holds it,
// each connection's section as drawn (open or closed, its header marked
// as focused, its node cards shown and which one is marked, a guest row
// marked, whether the marked item is inside the visible part of the
// scrolled list), where the search field is on the screen (the script
// clicks it with a real X event, then presses real keys), and the guest
// menus each connection's façade was asked for (Enter on a guest row).
Item {
    id: hooks

    readonly property bool expandOnStart: true
    property string last: ""
    // Guest menus asked for, "connectionKey rowKey", in order.
    property var menus: []
    property var watched: []

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
    function center(item) {
        if (!item || !item.Window.window)
            return null;
        const p = item.mapToItem(null, item.width / 2, item.height / 2);
        const w = item.Window.window;
        return [Math.round(w.x + p.x), Math.round(w.y + p.y)];
    }
    // The item lies wholly inside the list's visible part.
    function inView(item, list) {
        if (!item || !list)
            return false;
        const flick = list.contentItem;
        const p = item.mapToItem(flick, 0, 0);
        return p.y >= -1 && p.y + Math.min(item.height, flick.height) <= flick.height + 1;
    }
    function watch(facade) {
        if (watched.indexOf(facade) >= 0)
            return;
        watched = watched.concat([facade]);
        facade.guestMenuRequested.connect(function (key) {
                hooks.menus = hooks.menus.concat([facade.connectionKey + " " + key]);
            });
    }
    function report() {
        const full = hooks.parent ? hooks.parent.fullRepresentationItem : null;
        if (!full || !full.app)
            return;
        const app = full.app;
        const out = {
            "phase": app.phase,
            "several": app.several,
            "focus": app.focusKey,
            "kind": app.focusTarget.kind,
            "connection": app.focusTarget.connectionKey || "",
            "collapsed": Array.prototype.slice.call(app.configuration.collapsedConnections || []),
            "expandedNodes": Array.prototype.slice.call(app.configuration.expandedNodes || []),
            "sections": [],
            "field": null,
            "fieldFocus": false,
            "keysFocus": false,
            "scrolls": false,
            "contentY": 0,
            "menus": hooks.menus
        };
        let list = null;
        const sections = [];
        walk(full, function (it) {
                const n = it.objectName || "";
                if (n === "connectionList")
                    list = it;
                else if (n === "sectionColumn")
                    out.keysFocus = it.activeFocus;
                else if (n === "searchField") {
                    out.field = center(it);
                    out.fieldFocus = it.activeFocus;
                } else if (n.indexOf("connectionSection:") === 0)
                    sections.push(it);
            });
        if (list) {
            out.scrolls = list.contentItem.contentHeight > list.contentItem.height + 1;
            out.contentY = Math.round(list.contentItem.contentY);
        }
        sections.sort(function (a, b) {
                return a.y - b.y;
            });
        for (let i = 0; i < sections.length; i++) {
            const s = sections[i];
            const entry = {
                "key": s.key,
                "name": s.name,
                "expanded": s.expanded,
                "headerFocused": false,
                "headerInView": false,
                "cards": [],
                "focusedCard": "",
                "focusedCardInView": false,
                "guestFocus": false,
                "guestFocusInView": false
            };
            walk(s, function (it) {
                    const n = it.objectName || "";
                    if (n === "headerFocus" && it.visible) {
                        entry.headerFocused = true;
                        entry.headerInView = hooks.inView(it, list);
                    } else if (n.indexOf("nodeCard:") === 0 && it.visible) {
                        entry.cards.push({
                                "key": it.key,
                                "y": it.mapToItem(s, 0, 0).y
                            });
                        if (it.cardFocused) {
                            entry.focusedCard = it.key;
                            entry.focusedCardInView = hooks.inView(it, list);
                        }
                    } else if (n === "guestFocus" && it.visible) {
                        entry.guestFocus = true;
                        entry.guestFocusInView = hooks.inView(it, list);
                    } else if (it.isChild === true && it.connectionKey !== undefined)
                        hooks.watch(it);
                });
            // In the order drawn (a re-sort moves the cards).
            entry.cards = entry.cards.sort(function (a, b) {
                    return a.y - b.y;
                }).map(function (c) {
                    return c.key;
                });
            out.sections.push(entry);
        }
        const line = JSON.stringify(out);
        if (line !== last)
            console.log("proxmon-test: " + line);
        last = line;
    }

    Timer {
        interval: 200
        running: true
        repeat: true
        onTriggered: hooks.report()
    }
}
