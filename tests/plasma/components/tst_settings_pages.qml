import QtQuick
import QtTest
import "../../../contents/ui" as UI

// The settings pages as Plasma's config dialog shows them (a KCM page
// in a window with the desktop style), for screenshots: plasmoidviewer's
// dialog is hard to drive headless. Run by tests/plasma/test-components.sh,
// which copies the images to screenshots/.
Item {
    id: root
    width: 640
    height: 760

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

    // What Plasma's dialog paints behind a page.
    Rectangle {
        anchors.fill: parent
        color: palette.window
    }

    Component {
        id: connectionPage
        UI.ConfigConnection {
            anchors.fill: parent
        }
    }
    Component {
        id: behaviorPage
        UI.ConfigBehavior {
            anchors.fill: parent
        }
    }

    Component {
        id: appearancePage
        UI.ConfigAppearance {
            anchors.fill: parent
        }
    }

    TestCase {
        name: "SettingsPages"
        when: windowShown

        function shoot(item, file) {
            let saved = false;
            item.grabToImage(function (result) {
                saved = result.saveToFile("/out/components/" + file);
            });
            tryVerify(function () {
                return saved;
            }, 5000, "saved " + file);
        }

        // Plasma's dialog hands a page its settings as cfg_ values: here the
        // defaults of contents/config/main.xml plus an example host and token.
        function test_connection_page() {
            const page = createTemporaryObject(connectionPage, root, {
                cfg_proxmoxHost: "pve.example.com",
                cfg_proxmoxPort: 8006,
                cfg_apiTokenId: "monitor@pve!proxmon",
                cfg_refreshInterval: 30
            });
            verify(page, "ConfigConnection.qml loads");
            waitForRendering(page);
            wait(300);
            shoot(root, "settings-connection.png");
        }

        function test_behavior_page() {
            const page = createTemporaryObject(behaviorPage, root, {
                cfg_enableNotifications: true,
                cfg_notifyOnStart: true,
                cfg_notifyOnStop: true,
                cfg_notifyOnNodeChange: true,
                cfg_notifyMode: "whitelist",
                cfg_notifyFilter: "web-*, 100-199, tag:prod",
                cfg_notifyRateLimitEnabled: true,
                cfg_notifyRateLimitSeconds: 120
            });
            verify(page, "ConfigBehavior.qml loads");
            waitForRendering(page);
            wait(300);
            shoot(root, "settings-behavior.png");
        }

        // The panel label's box shows the setting; the density buttons set it.
        function test_appearance_page() {
            const page = createTemporaryObject(appearancePage, root, {
                cfg_panelLabelMode: "guests",
                cfg_rowDensity: "compact"
            });
            verify(page, "ConfigAppearance.qml loads");
            waitForRendering(page);
            const box = findChild(page, "panelLabelBox");
            verify(box, "the panel label box");
            compare(box.currentValue, "guests");
            verify(findChild(page, "densityCompact").checked, "compact rows checked");
            mouseClick(findChild(page, "densityNormal"));
            compare(page.cfg_rowDensity, "normal");
            shoot(root, "settings-appearance.png");
        }
    }
}
