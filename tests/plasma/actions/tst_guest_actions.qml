import QtQuick
import QtQuick.Layouts
// Qt 5's Window attached property (scene() below) is QtQuick.Window's.
import QtQuick.Window
import QtTest
import org.kde.kirigami as Kirigami
import "../../../contents/ui" as UI

// The guest row's power actions in qmltestrunner inside the Plasma 6.3 root:
// the real popup QML over the real façade and bundle, on the demo cluster
// (whose simulated pveproxy answers the POSTs). Off: no button, no menu.
// On: right-click opens the menu (stop and reset in the negative colour),
// the keyboard reaches it, an entry asks in the row, Cancel and Escape
// dismiss, Confirm runs with a spinner until the new state shows.
// Screenshots for the README go to /out/actions/. Run by
// tests/plasma/test-actions.sh.
Item {
    id: root
    width: 460
    height: 720

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
            property string mode: "off"
            expanded: true
            alwaysShown: true
            configuration: QtObject {
                property bool demoMode: true
                property bool developerMode: false
                property string defaultSorting: "status"
                property var expandedNodes: ["node/pve1"]
                property int refreshInterval: 3600
                property bool enableNotifications: true
                property string actionsMode: facade.mode
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

    Component {
        id: settingsPage
        UI.ConfigActions {
            width: root.width
            height: 420
        }
    }

    TestCase {
        id: tc
        name: "GuestActions"
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
        // The whole window: popups (the menu) live in its overlay.
        function scene() {
            return root.Window.window.contentItem;
        }
        function openMenu() {
            let menu = null;
            walk(scene(), function (it) {
                if (menu === null && (it.objectName || "").indexOf("guestActionItem:") === 0 && it.visible)
                    menu = it;
            });
            return menu;
        }
        // An item of the open menu (a closed one may linger until the next opens).
        function menuItem(id) {
            let found = null;
            walk(scene(), function (it) {
                if (found === null && it.objectName === "guestActionItem:" + id && it.visible)
                    found = it;
            });
            return found;
        }
        function shot(item, file) {
            let saved = false;
            item.grabToImage(function (result) {
                saved = result.saveToFile("/out/actions/" + file);
            });
            tryVerify(function () {
                return saved;
            }, 3000);
        }

        property var popup: null
        function cleanup() {
            if (popup)
                popup.destroy();
            popup = null;
            wait(0);
        }
        function setUp(mode) {
            const app = createTemporaryObject(appComponent, root, {
                "mode": mode
            });
            const full = createTemporaryObject(fullComponent, root, {
                "app": app
            });
            popup = full;
            tryCompare(app, "phase", "ok", 10000);
            tryVerify(function () {
                return find(full, "guestRow:" + runningKey(app)) !== null;
            }, 5000);
            waitForRendering(full);
            return {
                "app": app,
                "full": full
            };
        }
        function runningKey(app) {
            const rows = app.guestsByNode.pve1 || [];
            for (let i = 0; i < rows.length; i++) {
                const r = rows[i];
                if (r.type === "qemu" && r.status === "running" && r.lock === "" && r.hastate === "")
                    return r.key;
            }
            return "";
        }

        function test_1_off_means_no_action_ui() {
            const t = setUp("off");
            const key = runningKey(t.app);
            const row = find(t.full, "guestRow:" + key);
            compare(t.app.actionsEnabled, false);
            compare(find(row, "guestActions:" + key).visible, false);
            mouseClick(row, row.width / 3, row.height / 2, Qt.RightButton);
            wait(100);
            compare(openMenu(), null, "no menu with actions off");
            console.log("proxmon-test: actions off, right-click opened no menu");
        }

        function test_2_menu_confirm_and_run() {
            const t = setUp("monitoring");
            const key = runningKey(t.app);
            verify(key !== "", "a plain running VM on pve1");
            const row = find(t.full, "guestRow:" + key);
            const button = find(row, "guestActionButton");
            compare(t.app.actionsEnabled, true);
            // Hidden until hovered or focused; the keyboard can reach it. (The
            // pointer off the row first: test_1's click left it there.)
            mouseMove(root, root.width - 1, root.height - 1);
            compare(button.opacity, 0);
            button.forceActiveFocus();
            compare(button.opacity, 1);
            keyClick(Qt.Key_Menu);
            tryVerify(function () {
                return openMenu() !== null;
            }, 2000);
            keyClick(Qt.Key_Escape);
            tryVerify(function () {
                return openMenu() === null;
            }, 2000);

            // The confirmation without the menu: Cancel and Escape dismiss; for
            // stop the focus starts on Cancel.
            const bar = find(row, "guestConfirmBar:" + key);
            const name = (t.app.guestsByNode.pve1.filter(function (r) {
                    return r.key === key;
                })[0]).displayName;
            t.app.chooseAction(key, "power:stop");
            tryCompare(bar, "visible", true, 2000);
            tryCompare(find(bar, "guestCancel"), "activeFocus", true, 2000, "destructive: focus on Cancel, never Confirm");
            keyClick(Qt.Key_Escape);
            tryCompare(bar, "visible", false, 2000);
            t.app.chooseAction(key, "power:reboot");
            tryCompare(bar, "visible", true, 2000);
            compare(find(bar, "guestConfirmText").text, "Reboot " + name + "?");
            tryCompare(find(bar, "guestConfirm"), "activeFocus", true, 2000, "a gentle action: focus on Confirm");
            mouseClick(find(bar, "guestCancel"));
            tryCompare(bar, "visible", false, 2000);

            // Right-click: the menu at the pointer; Shut down asks in the row.
            mouseClick(row, row.width / 3, row.height / 2, Qt.RightButton);
            tryVerify(function () {
                return menuItem("power:shutdown") !== null;
            }, 2000);
            const stop = menuItem("power:stop");
            const start = menuItem("power:start");
            // The menu's own theme (Kirigami 2 gives this test object, which
            // is no Item, a default one).
            compare(find(stop, "guestActionLabel").color, stop.Kirigami.Theme.negativeTextColor);
            compare(find(menuItem("power:reset"), "guestActionLabel").color, stop.Kirigami.Theme.negativeTextColor);
            compare(start.enabled, false, "a running VM cannot start");
            compare(menuItem("power:shutdown").enabled, true);
            wait(300);
            shot(scene(), "actions-menu.png");
            mouseClick(menuItem("power:shutdown"));
            tryCompare(bar, "visible", true, 2000);
            compare(find(bar, "guestConfirmText").text, "Shut down " + name + "?");
            wait(200);
            shot(t.full, "actions-confirm.png");
            mouseClick(find(bar, "guestConfirm"));
            const busy = find(row, "guestActionBusy");
            tryCompare(busy, "visible", true, 2000);
            compare(busy.Accessible.name, "Shutting down " + name + "…");
            wait(300);
            shot(t.full, "actions-running.png");
            tryCompare(busy, "visible", false, 20000);
            tryVerify(function () {
                const now = t.app.guestsByNode.pve1.filter(function (r) {
                    return r.key === key;
                })[0];
                return now && now.status === "stopped";
            }, 10000);
            console.log("proxmon-test: actions: " + key + " shut down through the menu");
        }

        function test_3_settings_page() {
            const page = createTemporaryObject(settingsPage, root, {
                "cfg_actionsMode": "separate",
                "cfg_actionsTokenId": "ops@pve!proxmon"
            });
            verify(page, "ConfigActions.qml loads");
            const box = find(page, "actionsModeBox");
            compare(box.currentText, "With a separate token");
            compare(find(page, "actionsTokenField").enabled, true);
            waitForRendering(page);
            wait(300);
            shot(page, "settings-actions.png");
            page.cfg_actionsMode = "off";
            compare(box.currentText, "Off");
            compare(find(page, "actionsTokenField").enabled, false);
        }
    }
}
