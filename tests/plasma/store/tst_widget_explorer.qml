import QtQuick
import QtTest
import org.kde.kirigami as Kirigami
import org.kde.plasma.private.shell as Shell

// Plasma's own "Add Widgets" model (plasmashell's WidgetExplorer) over the
// widgets installed in $HOME, as the widget explorer shows them: the icon
// of a .plasmoid installed with kpackagetool6 alone, with no "proxmon" in
// any icon theme. Run by tests/plasma/test-store-package.sh.
Item {
    id: root
    width: 200
    height: 100

    Shell.WidgetExplorer {
        id: explorer
    }

    Instantiator {
        id: rows
        model: explorer.widgetsModel
        delegate: QtObject {
            required property string pluginName
            required property var decoration
        }
    }

    Kirigami.Icon {
        id: shown
        width: 64
        height: 64
    }

    TestCase {
        name: "WidgetExplorer"
        when: windowShown

        function row() {
            for (let i = 0; i < rows.count; i++)
                if (rows.objectAt(i).pluginName === "org.kde.plasma.proxmox")
                    return rows.objectAt(i);
            return null;
        }

        function test_proxmon_icon_comes_from_the_package() {
            tryVerify(function () {
                return row() !== null;
            }, 10000, "ProxMon is listed among " + rows.count + " widgets");
            const icon = String(row().decoration);
            console.log("explorer-icon: " + icon);
            verify(/\/plasma\/plasmoids\/org\.kde\.plasma\.proxmox\/contents\/+icons\/proxmon\.svg$/.test(icon), "the package's own SVG: " + icon);
            // Drawn the way the explorer's delegate draws it (Kirigami.Icon).
            shown.source = row().decoration;
            waitForRendering(shown);
            wait(200);
            compare(shown.status, Kirigami.Icon.Ready, "the icon loads");
            let saved = false;
            shown.grabToImage(function (result) {
                saved = result.saveToFile("/out/store-package/explorer-icon.png");
            });
            tryVerify(function () {
                return saved;
            }, 5000);
        }
    }
}
