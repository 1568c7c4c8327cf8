import QtQuick
import QtTest
import org.kde.kirigami as Kirigami
import "../../../contents/ui" as UI

// The popup's search, views, keyboard and density (issue 15) in
// qmltestrunner inside the Plasma 6.3 root, over the real façade, bundle and
// demo cluster, with real key events: typing into the search keeps every
// delegate of a row that stays visible (none re-created), nodes without a
// match go, the views switch and are remembered, arrows/Home/End/Enter move
// and act, typing anywhere lands in the search, Escape clears it, and the
// compact density packs the rows closer. Run by tests/plasma/test-search.sh.
Item {
    id: root
    width: 460
    height: 700

    function fill(text, args, from) {
        let out = text;
        for (let i = from; i < args.length; i++)
            out = out.split("%" + (i - from + 1)).join(String(args[i]));
        return out;
    }
    function i18n(text) {
        return fill(text, arguments, 1);
    }
    function i18nc(context, text) {
        return fill(text, arguments, 2);
    }
    function i18np(singular, plural, n) {
        return fill(n === 1 ? singular : plural, arguments, 2);
    }
    function i18ncp(context, singular, plural, n) {
        return fill(n === 1 ? singular : plural, arguments, 3);
    }

    Component {
        id: appComponent
        UI.WidgetFacade {
            id: facade
            property var startExpanded: []
            expanded: true
            alwaysShown: true
            configuration: QtObject {
                property bool demoMode: true
                property bool developerMode: false
                property string defaultSorting: "name"
                property var expandedNodes: facade.startExpanded
                property int refreshInterval: 3600
                property bool enableNotifications: false
                property string popupView: "all"
                property string rowDensity: "normal"
            }
        }
    }
    Component {
        id: fullComponent
        UI.FullRepresentation {
            width: root.width
            height: root.height
        }
    }

    TestCase {
        id: tc
        name: "PopupSearch"
        when: windowShown

        function walk(item, visit) {
            if (!item)
                return;
            visit(item);
            const kids = item.children || [];
            for (let i = 0; i < kids.length; i++)
                walk(kids[i], visit);
            // Array's indexOf: Qt 5's children list has no methods of its own.
            if (item.contentItem && Array.prototype.indexOf.call(kids, item.contentItem) < 0)
                walk(item.contentItem, visit);
        }
        function find(item, name) {
            let found = null;
            walk(item, function (it) {
                if (found === null && it.objectName === name)
                    found = it;
            });
            return found;
        }
        function delegates(item, prefix) {
            const out = {};
            walk(item, function (it) {
                const n = it.objectName || "";
                if (n.indexOf(prefix) === 0)
                    out[n.slice(prefix.length)] = it;
            });
            return out;
        }
        function all(item) {
            const out = delegates(item, "nodeCard:");
            const guests = delegates(item, "guestRow:");
            for (const k in guests)
                out["guest " + k] = guests[k];
            return out;
        }
        function shownGuests(app) {
            const out = [];
            for (let i = 0; i < app.view.nodes.length; i++) {
                const n = app.view.nodes[i];
                const rows = app.view.guestsByNode[n.name] || [];
                for (let j = 0; j < rows.length; j++)
                    out.push(rows[j].key);
            }
            return out.sort();
        }

        property var popup: null
        function cleanup() {
            if (popup)
                popup.destroy();
            popup = null;
            wait(0);
        }
        function setUp(expandedNodes) {
            const app = createTemporaryObject(appComponent, root, {
                startExpanded: expandedNodes || []
            });
            const full = createTemporaryObject(fullComponent, root, {
                app: app
            });
            popup = full;
            tryCompare(app, "phase", "ok", 10000);
            const list = find(full, "nodeList");
            tryVerify(function () {
                return list.count === 3;
            }, 5000);
            waitForRendering(full);
            return {
                app: app,
                full: full,
                list: list,
                field: find(full, "searchField")
            };
        }
        function type(text) {
            for (let i = 0; i < text.length; i++)
                keyClick(text.charAt(i));
        }

        function test_01_typing_keeps_the_delegates_of_rows_that_stay() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"]);
            t.field.forceActiveFocus();
            let before = all(t.full);
            const typed = ["d", "b", "-", "p"];
            let text = "";
            for (let i = 0; i < typed.length; i++) {
                keyClick(typed[i]);
                text += typed[i];
                compare(t.field.text, text);
                compare(t.app.searchText, text, "the core got the keystroke at once");
                waitForRendering(t.full);
                const after = all(t.full);
                for (const k in after)
                    if (before[k] !== undefined)
                        verify(after[k] === before[k], "\"" + text + "\": " + k + " kept its delegate");
                for (const k in after)
                    verify(before[k] !== undefined, "\"" + text + "\": no delegate created (" + k + ")");
                before = after;
            }
            compare(shownGuests(t.app), Object.keys(delegates(t.full, "guestRow:")).sort(), "the rows drawn are the rows the core chose");
            // Nodes without a match are gone; the count is shown.
            compare(Object.keys(delegates(t.full, "guestRow:")).length, 1);
            compare(t.list.count, 1);
            verify(/^1 of \d+ guests$/.test(find(t.full, "filterCount").text), find(t.full, "filterCount").text);
            // Deleting the text brings every row back; the kept ones are still the same.
            const narrow = all(t.full);
            for (let i = 0; i < typed.length; i++)
                keyClick(Qt.Key_Backspace);
            compare(t.app.searchText, "");
            waitForRendering(t.full);
            const wide = all(t.full);
            for (const k in narrow)
                verify(wide[k] === narrow[k], "after deleting: " + k + " kept its delegate");
            compare(t.list.count, 3);
        }

        function test_02_search_syntax_reaches_collapsed_nodes() {
            const t = setUp([]);
            compare(Object.keys(delegates(t.full, "guestRow:")).length, 0);
            t.field.text = "node:pve2";
            tryVerify(function () {
                return t.list.count === 1;
            }, 3000);
            const cards = delegates(t.full, "nodeCard:");
            verify(cards["node/pve2"] !== undefined, "pve2 shown");
            verify(Object.keys(delegates(t.full, "guestRow:")).length > 0, "its guests are shown although it was collapsed");
            compare(t.app.expandedNodes, [], "the remembered expansion is not changed by a search");
            t.field.text = "nothing-like-this";
            tryCompare(t.list, "count", 0);
            const empty = find(t.full, "filterEmpty");
            verify(empty.visible);
            compare(empty.text, "No guest matches “nothing-like-this”");
        }

        function test_03_views_switch_and_are_remembered() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"]);
            const problems = find(t.full, "viewButton:problems");
            verify(problems !== null);
            // A refresh must not re-create the buttons: a click whose press
            // and release straddle it would be lost, and the focus too.
            const view = t.app.view;
            t.app.refreshNow();
            tryVerify(function () {
                return t.app.view !== view && !t.app.refreshing;
            }, 5000, "a refresh went through");
            waitForRendering(t.full);
            verify(find(t.full, "viewButton:problems") === problems, "the view buttons outlive a refresh");
            mouseClick(problems);
            tryCompare(t.app, "popupView", "problems");
            compare(t.app.configuration.popupView, "problems", "remembered in the settings");
            waitForRendering(t.full);
            const rows = delegates(t.full, "guestRow:");
            for (const k in rows)
                verify(!rows[k].running || rows[k].lock !== "", k + " is a problem");
            mouseClick(find(t.full, "viewButton:running"));
            tryCompare(t.app, "popupView", "running");
            waitForRendering(t.full);
            const running = delegates(t.full, "guestRow:");
            verify(Object.keys(running).length > 0);
            for (const k in running)
                verify(running[k].running, k + " runs");
            mouseClick(find(t.full, "viewButton:all"));
            tryCompare(t.app, "popupView", "all");
        }

        function test_04_keyboard_moves_focus_and_acts() {
            const t = setUp([]);
            t.list.forceActiveFocus();
            keyClick(Qt.Key_Down);
            compare(t.app.focusKey, "node/pve1");
            verify(delegates(t.full, "nodeCard:")["node/pve1"].cardFocused, "the card shows focus");
            keyClick(Qt.Key_Return);
            tryCompare(t.app, "expandedNodes", ["node/pve1"]);
            tryVerify(function () {
                return Object.keys(delegates(t.full, "guestRow:")).length > 0;
            }, 3000);
            keyClick(Qt.Key_Down);
            compare(t.app.focusTarget.kind, "guest");
            waitForRendering(t.full);
            verify(find(t.full, "guestFocus").visible, "the focused row is highlighted");
            const spy = createTemporaryObject(signalSpyComponent, tc, {
                target: t.app,
                signalName: "guestMenuRequested"
            });
            keyClick(Qt.Key_Return);
            compare(spy.count, 1, "Enter on a guest row asks for its menu");
            compare(spy.signalArguments[0][0], t.app.focusKey);
            // The row's menu opened (GuestRow.qml) and has the keys: Escape
            // closes it, and the list takes them again.
            keyClick(Qt.Key_Escape);
            t.list.forceActiveFocus();
            keyClick(Qt.Key_End);
            compare(t.app.focusKey, "node/pve3");
            keyClick(Qt.Key_Home);
            compare(t.app.focusKey, "node/pve1");
            keyClick(Qt.Key_PageDown);
            verify(t.app.focusKey !== "node/pve1");
            keyClick(Qt.Key_PageUp);
            compare(t.app.focusKey, "node/pve1");
        }

        function test_05_typing_anywhere_searches_and_escape_clears() {
            const t = setUp([]);
            t.list.forceActiveFocus();
            keyClick("g");
            verify(t.field.activeFocus, "typing moved the focus to the search");
            compare(t.field.text, "g");
            keyClick("i");
            compare(t.app.searchText, "gi");
            keyClick(Qt.Key_Escape);
            compare(t.field.text, "");
            compare(t.app.searchText, "");
            t.list.forceActiveFocus();
            keyClick(Qt.Key_F, Qt.ControlModifier);
            verify(t.field.activeFocus, "Ctrl+F focuses the search");
        }

        function test_06_compact_rows_are_closer() {
            const t = setUp(["node/pve1"]);
            const card = delegates(t.full, "nodeCard:")["node/pve1"];
            const normal = card.height;
            t.app.configuration.rowDensity = "compact";
            tryCompare(t.app, "compact", true);
            waitForRendering(t.full);
            verify(card.height < normal, "compact card " + card.height + " < " + normal);
            compare(delegates(t.full, "nodeCard:")["node/pve1"], card, "the card is kept");
            grabImage(t.full).save("search-compact.png");
        }
    }
    Component {
        id: signalSpyComponent
        SignalSpy {}
    }
}
