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
        id: connectionsPage
        UI.ConfigConnections {
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

        // Settings → Connections (issue 11): the list as stored, edited through
        // the page's own fields and buttons; what it would write on Apply.
        function test_connections_page() {
            const fp1 = "AA:".repeat(31) + "AA";
            const fp2 = "BB:".repeat(31) + "BB";
            const token = "monitor@pve!proxmon";
            const list = JSON.stringify([{
                        "name": "home",
                        "hosts": ["pve1.lan", "pve2.lan"],
                        "tokenId": token,
                        "tlsMode": "pin",
                        "fingerprints": {
                            "pve1.lan": fp1,
                            "pve2.lan": fp2
                        }
                    }, {
                        "name": "office",
                        "hosts": ["pve.office:8443"],
                        "tokenId": token,
                        "tlsMode": "system"
                    }]);
            const page = createTemporaryObject(connectionsPage, root, {
                cfg_connections: list,
                cfg_proxmoxHost: "pve1.lan",
                cfg_proxmoxPort: 8006,
                cfg_apiTokenId: token
            });
            verify(page, "ConfigConnections.qml loads");
            compare(page.drafts.length, 2);
            compare(page.selected, 0);
            verify(findChild(page, "connectionRow:1"), "a row per connection");
            compare(page.pageView.rows[1].subtitle, "pve.office:8443 · " + token);
            // One pin per address of the selected connection.
            compare(page.addresses.length, 2);
            compare(page.addresses[1].pin, fp2);
            waitForRendering(page);
            wait(300);
            shoot(root, "settings-connections.png");

            // Added: incomplete, so nothing is written yet, and the page says why.
            const before = page.cfg_connections;
            mouseClick(findChild(page, "addConnection"));
            compare(page.drafts.length, 3);
            compare(page.selected, 2);
            compare(page.cfg_connections, before);
            verify(page.pageView.summary.indexOf("no host address is set") >= 0, page.pageView.summary);
            // Typed into its address field: complete, written (the token ID came from the one before).
            findChild(page, "hostsField").text = "10.0.0.21";
            compare(JSON.parse(page.cfg_connections).length, 3);
            compare(page.pageView.summary, "");
            // Moved to the top: it becomes the first connection in the old keys too.
            page.move(2, 0);
            compare(JSON.parse(page.cfg_connections)[0].name, "Connection 3");
            compare(page.cfg_proxmoxHost, "10.0.0.21");
            // Switched off: kept, not watched.
            page.edit("enabled", false);
            compare(JSON.parse(page.cfg_connections)[0].enabled, false);
            // Removed: home is first again.
            page.removeAt(0);
            compare(JSON.parse(page.cfg_connections).length, 2);
            compare(page.cfg_proxmoxHost, "pve1.lan");
            // A typed secret never reaches a value Plasma writes to the config file.
            page.selected = 1;
            findChild(page, "secretField").text = "";
            page.setSecret("4f1c2d3e-0000-4000-8000-00000000abcd");
            verify(page.cfg_connections.indexOf("4f1c2d3e") < 0);
            compare(page.secrets[1], "4f1c2d3e-0000-4000-8000-00000000abcd");
        }

        // Power actions with a separate token: each connection's own actions
        // token ID on its entry (the first's in the old key), its secret only
        // in the page's memory until Apply writes it to KDE Wallet.
        function test_connections_page_actions_tokens() {
            const token = "monitor@pve!proxmon";
            const list = JSON.stringify([{
                        "name": "home",
                        "hosts": ["pve1.lan"],
                        "tokenId": token
                    }, {
                        "name": "office",
                        "hosts": ["pve.office:8443"],
                        "tokenId": token
                    }]);
            const page = createTemporaryObject(connectionsPage, root, {
                cfg_connections: list,
                cfg_proxmoxHost: "pve1.lan",
                cfg_proxmoxPort: 8006,
                cfg_apiTokenId: token,
                cfg_actionsTokenId: "ops@pve!home",
                actionsMode: "separate"
            });
            verify(page, "ConfigConnections.qml loads");
            verify(findChild(page, "actionsTokenField").visible, "shown with a separate token");
            // The first connection's is the old key's.
            compare(findChild(page, "actionsTokenField").text, "ops@pve!home");
            page.selected = 1;
            compare(findChild(page, "actionsTokenField").text, "");
            page.edit("actionsTokenId", "ops@pve");
            verify(page.pageView.summary.indexOf("Actions token:") >= 0, page.pageView.summary);
            page.edit("actionsTokenId", "ops@pve!office");
            compare(page.pageView.summary, "");
            compare(JSON.parse(page.cfg_connections)[1].actionsTokenId, "ops@pve!office");
            compare(page.cfg_actionsTokenId, "ops@pve!home");
            compare(JSON.stringify(page.actionsAccount), JSON.stringify({
                        "host": "pve.office",
                        "port": 8443,
                        "tokenId": "ops@pve!office"
                    }));
            page.setActionSecret("5e2d3c4b-0000-4000-8000-00000000abcd");
            verify(page.cfg_connections.indexOf("5e2d3c4b") < 0);
            compare(page.actionSecrets[1], "5e2d3c4b-0000-4000-8000-00000000abcd");
            // Moved to the top: office's actions token goes into the old key.
            page.move(1, 0);
            compare(page.cfg_actionsTokenId, "ops@pve!office");
            compare(page.actionSecrets[0], "5e2d3c4b-0000-4000-8000-00000000abcd");
            // Without a separate token the fields are hidden and never block Apply.
            page.actionsMode = "monitoring";
            verify(!findChild(page, "actionsTokenField").visible);
        }

        // With a list written, the Connection page points there and keeps the global settings.
        function test_connection_page_with_a_list() {
            const page = createTemporaryObject(connectionPage, root, {
                cfg_proxmoxHost: "pve.example.com",
                cfg_apiTokenId: "monitor@pve!proxmon",
                cfg_connections: "[]"
            });
            verify(page.listInUse);
            verify(findChild(page, "listInUse").visible);
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
