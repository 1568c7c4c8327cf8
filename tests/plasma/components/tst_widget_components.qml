import QtQuick
import QtQuick.Layouts
import QtTest
import org.kde.plasma.plasmoid
import org.kde.ksvg as KSvg
import org.kde.kirigami as Kirigami
import "../../../contents/ui" as UI

// The popup's and the panel item's real QML (FullRepresentation, NodeCard,
// GuestRow, StateView, CompactRepresentation) in qmltestrunner inside the
// Plasma 6.3 root, over the real façade (WidgetFacade.qml, the one main.qml
// uses) with the real bundle and the demo cluster loaded on demand; only the
// settings are a plain object instead of Plasmoid.configuration. Run by
// tests/plasma/test-components.sh.
Item {
    id: root
    width: 460
    height: 640

    // KLocalizedContext provides these inside Plasma; lookups from the
    // components' files reach this root object's context.
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
            // Backups (issue 13) only where a test asks: their first read
            // republishes the rows, which would undo a test's own edits.
            property bool withBackups: false
            expanded: true
            alwaysShown: true
            configuration: QtObject {
                property bool demoMode: true
                property bool developerMode: false
                property string defaultSorting: "status"
                property var expandedNodes: facade.startExpanded
                property int refreshInterval: 3600
                property bool enableNotifications: false
                property var snoozes: []
                property bool backupsEnabled: facade.withBackups
            }
        }
    }
    SignalSpy {
        id: actions
        signalName: "acted"
    }
    SignalSpy {
        id: settingsSpy
        signalName: "settingsRequested"
    }
    // Kirigami's colour group of an unfocused window (or the desktop, whose
    // window is never active) is what `inactive` puts the popup in.
    property bool inactive: false
    Component {
        id: fullComponent
        UI.FullRepresentation {
            width: root.width
            height: root.height
            Kirigami.Theme.colorGroup: root.inactive ? Kirigami.Theme.Inactive : Kirigami.Theme.Active
        }
    }
    Component {
        id: compactComponent
        UI.CompactRepresentation {}
    }
    // A strip of panel as plasmashell draws it (its PanelView paints this
    // SVG; plasmoidviewer's panel containment has none, so its screenshot
    // shows dark text on black).
    Component {
        id: panelComponent
        KSvg.FrameSvgItem {
            property alias app: panelCompact.app
            property alias compact: panelCompact
            imagePath: "widgets/panel-background"
            Kirigami.Theme.colorSet: Kirigami.Theme.View
            UI.CompactRepresentation {
                id: panelCompact
                anchors.fill: parent
                anchors.leftMargin: parent.margins.left
                anchors.rightMargin: parent.margins.right
                anchors.topMargin: parent.margins.top
                anchors.bottomMargin: parent.margins.bottom
            }
        }
    }

    TestCase {
        id: tc
        name: "WidgetComponents"
        when: windowShown

        // --------------------------------------------------------- helpers
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
        // objectName prefix → { key: delegate }
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
        // Delegates in `after` that are not the same object as in `before`.
        function created(before, after) {
            const out = [];
            for (const k in after)
                if (before[k] !== after[k])
                    out.push(k);
            return out;
        }
        function gone(before, after) {
            const out = [];
            for (const k in before)
                if (after[k] === undefined)
                    out.push(k);
            return out;
        }
        function findButton(item, text) {
            let found = null;
            walk(item, function (it) {
                if (found === null && it.text === text && it.clicked !== undefined && it.visible)
                    found = it;
            });
            return found;
        }
        function clone(v) {
            return JSON.parse(JSON.stringify(v));
        }
        // The popup goes before its app, as in the applet, so no delegate
        // outlives the façade it reads.
        property var popup: null
        function cleanup() {
            if (popup)
                popup.destroy();
            popup = null;
            wait(0);
        }
        function setUp(expandedNodes, width, height, withBackups) {
            const app = createTemporaryObject(appComponent, root, {
                startExpanded: expandedNodes || [],
                withBackups: withBackups === true
            });
            actions.clear();
            actions.target = app;
            settingsSpy.clear();
            settingsSpy.target = app;
            const full = createTemporaryObject(fullComponent, root, {
                app: app,
                width: width || root.width,
                height: height || root.height
            });
            popup = full;
            tryCompare(app, "phase", "ok", 10000);
            const list = find(full, "nodeList");
            // Every card the list makes: all three, unless they are taller
            // than the list and its cache buffer (a short popup with expanded
            // nodes, as in test_04; Qt 5's taller rows get there sooner): then
            // the last ones come with a scroll.
            tryVerify(function () {
                const made = Object.keys(delegates(full, "nodeCard:")).length;
                return list.count === 3 && made > 0 && (made === 3 || list.contentHeight > list.height + list.cacheBuffer);
            }, 5000);
            // The popup's history reads (node cards, storage forecasts) end
            // in a publish of the real view; the tests' own views come after.
            tryVerify(function () {
                return app.session.historyInFlight() === 0;
            }, 5000);
            waitForRendering(full);
            return { app: app, full: full, list: list };
        }
        function runningGuest(view) {
            for (const node in view.guestsByNode) {
                const rows = view.guestsByNode[node];
                for (let i = 0; i < rows.length; i++)
                    if (rows[i].running)
                        return { node: node, index: i, row: rows[i] };
            }
            return null;
        }

        // WCAG 2 relative luminance and contrast ratio of two colours.
        function luminance(c) {
            const f = function (v) {
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
            };
            return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
        }
        function contrast(a, b) {
            const la = luminance(a), lb = luminance(b);
            return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
        }
        function over(top, alpha, bottom) {
            return Qt.rgba(top.r * alpha + bottom.r * (1 - alpha), top.g * alpha + bottom.g * (1 - alpha), top.b * alpha + bottom.b * (1 - alpha), 1);
        }
        // `it` lies within `box` (both items), horizontally.
        function inside(it, box, what) {
            const p = it.mapToItem(box, 0, 0);
            verify(p.x >= -0.5 && p.x + it.width <= box.width + 0.5, what + " inside horizontally: x " + p.x.toFixed(1) + " + " + it.width.toFixed(1) + " within " + box.width.toFixed(1));
        }
        // A text item inside `box` with room for its whole text.
        function whole(it, box, what) {
            inside(it, box, what);
            verify(it.implicitWidth <= it.width + 0.5, what + " has room for its text \"" + it.text + "\": " + it.implicitWidth.toFixed(1) + " <= " + it.width.toFixed(1));
            verify(!it.truncated, what + " not elided: " + it.text);
        }
        // A guest of `view` with a long name, a lock and two tags, as PVE
        // reports one during a backup.
        function lockedGuest(view) {
            const g = runningGuest(view);
            const r = view.guestsByNode[g.node][g.index];
            r.name = "a-guest-name-far-too-long-for-a-narrow-widget";
            r.displayName = r.name;
            r.lock = "backup";
            r.lockText = "backup";
            r.lockDescription = "Locked (backup): a backup is running";
            r.tags = "monitoring;production";
            return r;
        }

        // ----------------------------------------------------------- tests
        function test_01_unchanged_refresh_recreates_no_delegate() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"]);
            const before = all(t.full);
            verify(Object.keys(before).length > 10, "node cards and guest rows exist: " + Object.keys(before).length);
            const views = t.app.viewsApplied;

            t.app.onView(t.app.view); // the same view again
            t.app.onView(clone(t.app.view)); // an equal view, every object new
            t.app.session.setViewOptions({}); // the core re-publishes from the same snapshot
            compare(t.app.viewsApplied, views + 3);
            wait(50);
            const after = all(t.full);
            compare(created(before, after), [], "no delegate re-created");
            compare(gone(before, after), [], "no delegate destroyed");
        }

        function test_02_changed_cpu_updates_the_row_in_place() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"]);
            const before = all(t.full);
            const v = clone(t.app.view);
            const g = runningGuest(v);
            verify(g !== null);
            v.guestsByNode[g.node][g.index].cpuColumn = "77.7%";
            t.app.onView(v);
            wait(50);
            const after = all(t.full);
            compare(created(before, after), [], "no delegate re-created");
            const rowItem = after["guest " + g.row.key];
            verify(rowItem === before["guest " + g.row.key], "the same delegate object");
            compare(find(rowItem, "guestCpu").text, "77.7%");
        }

        function test_03_removed_guest_removes_exactly_one_delegate() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"]);
            const before = all(t.full);
            const v = clone(t.app.view);
            const g = runningGuest(v);
            v.guestsByNode[g.node].splice(g.index, 1);
            t.app.onView(v);
            // The removed row's delegate goes once the repeater has run.
            tryVerify(function () {
                return gone(before, all(t.full)).length > 0;
            }, 3000);
            const after = all(t.full);
            compare(gone(before, after), ["guest " + g.row.key]);
            compare(created(before, after), []);
        }

        function test_04_scroll_position_survives_a_real_refresh() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"], root.width, 360);
            verify(t.list.contentHeight > t.list.height + 60, "the list scrolls: " + t.list.contentHeight + " > " + t.list.height);
            t.list.contentY = 60;
            waitForRendering(t.full);
            const before = delegates(t.full, "nodeCard:");
            const views = t.app.viewsApplied;
            t.app.session.refreshNow(); // a real refresh of the demo cluster
            tryVerify(function () {
                return t.app.viewsApplied > views && !t.app.refreshing;
            }, 10000);
            wait(100);
            compare(t.list.contentY, 60, "contentY kept");
            compare(created(before, delegates(t.full, "nodeCard:")), [], "node cards kept");
        }

        function test_05_click_expands_and_collapses_a_node() {
            const t = setUp([]);
            const cards = delegates(t.full, "nodeCard:");
            const card = cards["node/pve1"];
            verify(card);
            compare(Object.keys(delegates(card, "guestRow:")).length, 0);
            mouseClick(find(card, "nodeHeader"));
            tryVerify(function () {
                return Object.keys(delegates(card, "guestRow:")).length > 0;
            }, 3000);
            compare(t.app.expandedNodes, ["node/pve1"]);
            verify(delegates(t.full, "nodeCard:")["node/pve1"] === card, "the card was not re-created");
            mouseClick(find(card, "nodeHeader"));
            tryVerify(function () {
                return Object.keys(delegates(card, "guestRow:")).length === 0;
            }, 3000);
            compare(t.app.expandedNodes, []);
        }

        function test_06_triple_click_on_the_footer_toggles_developer_mode() {
            const t = setUp(["node/pve2"]);
            const footer = find(t.full, "footerArea");
            const label = find(t.full, "developerModeLabel");
            verify(footer && label);
            verify(!label.visible);
            mouseClick(footer);
            mouseClick(footer);
            wait(50);
            verify(!t.app.developerMode, "two clicks are not enough");
            mouseClick(footer);
            tryCompare(t.app, "developerMode", true);
            tryVerify(function () {
                return label.visible;
            }, 2000);
            waitForRendering(t.full);
            const cards = delegates(t.full, "nodeCard:");
            const names = Object.keys(cards).map(function (k) {
                return cards[k].name;
            }).sort();
            compare(names, ["node-1", "node-2", "node-3"], "node names anonymised");
            // Every visible guest name is anonymised too.
            walk(t.full, function (it) {
                if (it.objectName === "guestName")
                    verify(/^(vm|ct)-\d+$/.test(it.text), "guest name anonymised: " + it.text);
            });
            wait(1100); // a new series of clicks
            mouseClick(footer);
            mouseClick(footer);
            mouseClick(footer);
            tryCompare(t.app, "developerMode", false);
            tryVerify(function () {
                return !label.visible;
            }, 2000);
        }

        // Expansion is remembered by the real node key; anonymised names must
        // not change which nodes are open.
        function test_07_developer_mode_keeps_expanded_nodes() {
            const t = setUp(["node/pve2"]);
            const openNames = function () {
                const cards = delegates(t.full, "nodeCard:");
                return Object.keys(cards).filter(function (k) {
                    return cards[k].expanded;
                }).length;
            };
            compare(openNames(), 1);
            t.app.setDeveloperMode(true);
            tryVerify(function () {
                return t.app.view.nodes[0].name.indexOf("node-") === 0;
            }, 3000);
            wait(50);
            compare(openNames(), 1, "the node that was open is still open in developer mode");
            // A click in developer mode stores the real node, not the shown name.
            const cards = delegates(t.full, "nodeCard:");
            let first = null;
            for (const k in cards)
                if (cards[k].name === "node-1")
                    first = cards[k];
            mouseClick(find(first, "nodeHeader"));
            tryVerify(function () {
                return t.app.expandedNodes.length === 2;
            });
            compare(t.app.expandedNodes.filter(function (k) {
                return /^node\/node-\d+$/.test(k);
            }), [], "no anonymised name stored");
            t.app.setDeveloperMode(false);
            tryVerify(function () {
                return openNames() === 2;
            }, 3000, "both nodes open after leaving developer mode");
        }

        function test_08_sort_combobox_reorders_in_place() {
            const t = setUp([]);
            const box = find(t.full, "sortBox");
            verify(box && box.visible);
            const before = delegates(t.full, "nodeCard:");
            box.forceActiveFocus();
            keyClick(Qt.Key_Down); // Status → Name
            tryCompare(t.app, "sortBy", "name");
            compare(t.app.configuration.defaultSorting, "name");
            const names = [];
            for (let i = 0; i < t.app.nodeModel.count; i++)
                names.push(t.app.nodeModel.get(i).name);
            compare(names, names.slice().sort());
            compare(created(before, delegates(t.full, "nodeCard:")), [], "sorting moves cards, it does not rebuild them");
        }

        function test_09_state_view_buttons() {
            const t = setUp([]);
            // Leaving the demo with nothing set up: the real "not configured" state.
            t.app.configuration.demoMode = false;
            tryCompare(t.app, "phase", "unconfigured", 5000);
            waitForRendering(t.full);
            verify(!find(t.full, "nodeList").visible, "no list without data");
            const configure = findButton(t.full, "Configure…");
            verify(configure, "\"Configure…\" shown");
            mouseClick(configure);
            compare(settingsSpy.count, 1, "Configure… asks for the settings");
            const demo = findButton(t.full, "Try the demo cluster");
            verify(demo, "\"Try the demo cluster\" shown when not configured");
            mouseClick(demo);
            compare(t.app.configuration.demoMode, true, "the demo is switched on");
            tryVerify(function () {
                return find(t.full, "nodeList").visible;
            });
        }

        // The VMID column lines up whatever chips a guest carries.
        function test_10_guest_columns_are_aligned() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"], root.width, 900);
            const edges = {};
            let n = 0;
            walk(t.full, function (it) {
                if (it.objectName !== "guestId" && it.objectName !== "guestCpu" && it.objectName !== "guestMem")
                    return;
                const p = it.mapToItem(t.full, 0, 0);
                const left = Math.round(p.x);
                const right = Math.round(p.x + it.width);
                (edges[it.objectName] = edges[it.objectName] || []).push(left + ".." + right);
                n++;
            });
            verify(n >= 15, "guest rows measured: " + n);
            for (const k in edges) {
                const distinct = edges[k].filter(function (e, i, a) {
                    return a.indexOf(e) === i;
                });
                compare(distinct.length, 1, k + " at one place in every row: " + distinct.join(", "));
            }
            const shot = t.full;
            shot.grabToImage(function (result) {
                result.saveToFile("/out/components/popup-components.png");
            });
            wait(200);
        }

        function test_11_compact_in_panels_and_on_the_desktop() {
            const app = createTemporaryObject(appComponent, root, {});
            actions.clear();
            actions.target = app;
            tryCompare(app, "phase", "ok", 10000);
            const compact = createTemporaryObject(compactComponent, root, {
                app: app,
                width: 120,
                height: 32
            });
            const label = find(compact, "compactLabel");
            const icon = find(compact, "compactIcon");
            verify(label && icon);
            const at = function (it) {
                return it.mapToItem(compact, it.width / 2, it.height / 2);
            };
            // Horizontal panel: icon and CPU side by side.
            Plasmoid.formFactor = 2;
            waitForRendering(compact);
            verify(label.visible);
            compare(label.text, app.averageCpuPercent + "%");
            verify(at(label).x > at(icon).x + icon.width / 2, "the label right of the icon");
            fuzzyCompare(at(label).y, at(icon).y, 2, "on one line");
            // Vertical panel: stacked, as wide as the panel.
            Plasmoid.formFactor = 3;
            compact.width = 48;
            compact.height = 80;
            waitForRendering(compact);
            verify(compact.vertical);
            verify(label.visible);
            verify(at(label).y > at(icon).y + icon.height / 2, "the label below the icon");
            verify(icon.width <= 48 && label.width <= 48, "fits the panel's width");
            // Desktop: just the icon.
            Plasmoid.formFactor = 0;
            waitForRendering(compact);
            verify(!label.visible);
            // Left click toggles the popup, middle click refreshes.
            app.expanded = false;
            mouseClick(compact);
            compare(app.expanded, true);
            mouseClick(compact, 5, 5, Qt.MiddleButton);
            verify(actions.signalArguments.some(function (a) {
                return a[0] === "refreshNow";
            }), "middle click refreshes");
            // Gone before its façade (the temporary objects go in the order
            // they were made): Qt 5 re-evaluates a live item's bindings on it.
            compact.destroy();
        }

        function test_12_panel_screenshots() {
            const app = createTemporaryObject(appComponent, root, {});
            tryCompare(app, "phase", "ok", 10000);
            const shots = [{ form: 2, w: 110, h: 40, file: "panel-horizontal.png" }, { form: 3, w: 44, h: 110, file: "panel-vertical.png" }];
            for (let i = 0; i < shots.length; i++) {
                const s = shots[i];
                Plasmoid.formFactor = s.form;
                const strip = createTemporaryObject(panelComponent, root, { app: app, width: s.w, height: s.h });
                waitForRendering(strip);
                wait(200);
                let saved = false;
                strip.grabToImage(function (result) {
                    saved = result.saveToFile("/out/components/" + s.file);
                });
                tryVerify(function () {
                    return saved;
                }, 5000, s.file);
                strip.destroy();
            }
            Plasmoid.formFactor = 0;
        }
        // The popup at its minimum size (plasmawindowed's smallest window, a
        // narrow desktop widget): names elide, figures stay whole.
        function test_13_minimum_size_keeps_figures_whole() {
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"], root.width, 1400);
            const w = t.full.Layout.minimumWidth, h = t.full.Layout.minimumHeight;
            verify(w > 0 && h > 0, "the popup has a minimum size: " + w + "x" + h);
            console.log("minimum-size: " + w + "x" + h);
            // Tall, so every card is instantiated; the width is what matters.
            t.full.width = w;
            // Cards that came into view read their history; their publish
            // would replace the view this test sets next.
            tryVerify(function () {
                return t.app.session.historyInFlight() === 0;
            }, 5000);
            const v = clone(t.app.view);
            const locked = lockedGuest(v);
            t.app.onView(v);
            waitForRendering(t.full);
            const rows = delegates(t.full, "guestRow:");
            verify(Object.keys(rows).length >= 10, "guest rows: " + Object.keys(rows).length);
            for (const k in rows) {
                const row = rows[k];
                inside(row, t.list, "row " + k);
                whole(find(row, "guestCpu"), row, k + " CPU");
                whole(find(row, "guestMem"), row, k + " RAM");
                const id = find(row, "guestId");
                if (id.visible)
                    whole(id, row, k + " VMID");
                const name = find(row, "guestName");
                verify(name.width >= row.nameMinimum - 1, k + ": the name keeps " + name.width.toFixed(1));
                walk(row, function (it) {
                    if (it.objectName === "guestChip" && it.visible) {
                        const p = it.mapToItem(row, 0, 0);
                        verify(p.x + it.width <= find(row, "guestCpu").mapToItem(row, 0, 0).x, k + ": chip \"" + it.text + "\" left of the figures");
                    }
                });
            }
            const lockedRow = rows[locked.key];
            tryVerify(function () {
                return find(lockedRow, "guestName").truncated;
            }, 3000, "the long name elides");
            let lockChip = null;
            walk(lockedRow, function (it) {
                if (it.objectName === "guestChip" && it.text === "backup")
                    lockChip = it;
            });
            verify(lockChip && lockChip.visible, "the lock badge shows its kind");
            verify(!lockChip.label.truncated, "\"backup\" is not elided");
            compare(lockChip.toolTipText, "Locked (backup): a backup is running");
            const cards = delegates(t.full, "nodeCard:");
            for (const k in cards) {
                const card = cards[k];
                const names = ["nodeCpuText", "nodeMemText", card.online ? "nodeUptime" : "nodeStatus"];
                for (let i = 0; i < names.length; i++)
                    whole(find(card, names[i]), card, k + " " + names[i]);
                inside(card, t.list, k);
            }
            whole(find(t.full, "ageLabel"), t.full, "the age in the footer");
            // The screenshot at exactly the minimum size.
            t.full.height = h;
            t.list.contentY = 0;
            waitForRendering(t.full);
            wait(100);
            let saved = false;
            t.full.grabToImage(function (result) {
                saved = result.saveToFile("/out/components/minimum-size.png");
            });
            tryVerify(function () {
                return saved;
            }, 5000, "minimum-size.png");
        }

        // Chip text against the chip, in the colours of the running theme,
        // focused and not: WCAG AA asks 4.5:1 for text this small.
        function test_14_chip_contrast_data() {
            return [{ tag: "focused", inactive: false }, { tag: "unfocused", inactive: true }];
        }
        function test_14_chip_contrast(data) {
            root.inactive = data.inactive;
            const t = setUp(["node/pve1", "node/pve2", "node/pve3"], root.width, 1400);
            const v = clone(t.app.view);
            lockedGuest(v);
            t.app.onView(v);
            waitForRendering(t.full);
            let n = 0, worst = 100, worstBefore = 100, what = "";
            walk(t.full, function (it) {
                if (it.objectName !== "guestChip" || !it.visible)
                    return;
                n++;
                compare(it.color.a, 1, "the chip is opaque, so its colour is the text's background");
                const r = contrast(it.label.color, it.color);
                if (r < worst) {
                    worst = r;
                    what = it.text;
                }
                // The old chip: its tint as text, on the card (the
                // alternate background at half opacity over the popup).
                const theme = Qt.createQmlObject("import QtQuick; import org.kde.kirigami as Kirigami; Item { readonly property color bg: Kirigami.Theme.backgroundColor; readonly property color alt: Kirigami.Theme.alternateBackgroundColor }", it);
                const before = contrast(it.tint, over(theme.alt, 0.5, theme.bg));
                theme.destroy();
                worstBefore = Math.min(worstBefore, before);
            });
            verify(n >= 5, "chips measured: " + n);
            const sample = Qt.createQmlObject("import QtQuick; import org.kde.kirigami as Kirigami; Item { readonly property color hl: Kirigami.Theme.highlightColor; readonly property color fg: Kirigami.Theme.textColor; readonly property int group: Kirigami.Theme.colorGroup }", find(t.full, "nodeList"));
            console.log("chip-theme " + data.tag + ": group " + sample.group + ", highlight " + sample.hl + ", text " + sample.fg);
            sample.destroy();
            console.log("chip-contrast " + data.tag + ": min " + worst.toFixed(2) + " (\"" + what + "\"), before " + worstBefore.toFixed(2) + ", chips " + n);
            verify(worst >= 4.5, data.tag + ": chip text contrast " + worst.toFixed(2) + " on \"" + what + "\"");
            if (!data.inactive) {
                let saved = false;
                t.full.height = 640;
                waitForRendering(t.full);
                t.full.grabToImage(function (result) {
                    saved = result.saveToFile("/out/components/chips.png");
                });
                tryVerify(function () {
                    return saved;
                }, 5000);
            }
            root.inactive = false;
        }

        // Backups (issue 13): the age chip on guest rows, the Backups section
        // with its groups, HA header badge, and maintenance from the menu's
        // action (written into the settings, shown as a chip, left out).
        function test_15_backups_badges_and_section() {
            const t = setUp(["node/pve1"], root.width, 1400, true);
            tryVerify(function () {
                return t.app.backups.groups.length > 0;
            }, 10000, "the first backup read");
            waitForRendering(t.full);
            const section = find(t.full, "backupsSection");
            verify(section && section.visible, "the Backups section shows");
            const groups = delegates(t.full, "backupGroup:");
            verify(groups.failed !== undefined, "a group of failed backups: " + Object.keys(groups));
            verify(groups.uncovered !== undefined, "a group of guests in no job");
            const rows = delegates(t.full, "guestRow:");
            const row = rows["qemu/100"];
            verify(row !== undefined, "guest 100 shows");
            const chips = [];
            walk(row, function (it) {
                if (it.objectName === "guestChip" && it.visible)
                    chips.push(it.text);
            });
            verify(chips.indexOf("1 h") >= 0, "guest 100 has its backup age chip: " + chips);
            verify(find(t.full, "healthBadge") !== null, "the HA badge in the header");
            const before = t.app.backups.problemCount;
            t.app.snooze("guest", "104", "maintenance");
            compare(Array.prototype.slice.call(t.app.configuration.snoozes), ["guest:104=maintenance"]);
            tryVerify(function () {
                return t.app.backups.problemCount === before - 1;
            }, 3000, "maintenance is not counted");
            t.app.snooze("guest", "104", "off");
            compare(t.app.configuration.snoozes.length, 0);
            let saved = false;
            t.full.grabToImage(function (result) {
                saved = result.saveToFile("/out/components/backups-popup.png");
            });
            tryVerify(function () {
                return saved;
            }, 5000, "backups-popup.png");
        }
    }
}
