import QtQuick
import QtTest
import org.kde.kirigami as Kirigami
import "../../../contents/ui" as UI

// Issue 12's popup parts in qmltestrunner inside the Plasma 6.3 root, over
// the real façade and bundle on the demo cluster: the node card's
// sparklines (org.kde.quickcharts) and their hover text, the guest detail
// opened by a click with its hour/day/week switch, the Storage section, and
// the panel label modes. Run by tests/plasma/test-graphs.sh (light, then
// Breeze Dark for the screenshots).
Item {
    id: root
    width: 460
    height: 900

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
            property string mode: "average-cpu"
            expanded: true
            alwaysShown: true
            configuration: QtObject {
                property bool demoMode: true
                property bool developerMode: false
                property string defaultSorting: "status"
                property var expandedNodes: ["node/pve1"]
                property int refreshInterval: 3600
                property bool enableNotifications: false
                property string panelLabelMode: facade.mode
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
        id: compactComponent
        UI.CompactRepresentation {
        }
    }

    TestCase {
        id: tc
        name: "Graphs"
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
        function findPrefix(item, prefix) {
            let found = null;
            walk(item, function (it) {
                    if (found === null && (it.objectName || "").indexOf(prefix) === 0)
                        found = it;
                });
            return found;
        }
        // The popup goes before its app, as in the applet, so no delegate
        // outlives the façade it reads.
        property var shown: null
        function cleanup() {
            if (shown)
                shown.destroy();
            shown = null;
            wait(0);
        }
        function popup() {
            const app = createTemporaryObject(appComponent, root, {});
            tryCompare(app, "phase", "ok", 10000);
            const full = createTemporaryObject(fullComponent, root, {
                    "app": app
                });
            shown = full;
            tryVerify(function () {
                    const list = find(full, "nodeList");
                    return list && list.count === 3 && find(full, "nodeSparklines") !== null;
                }, 5000, "three node cards");
            waitForRendering(full);
            wait(100);
            return {
                "app": app,
                "full": full
            };
        }
        function save(item, file) {
            let saved = false;
            item.grabToImage(function (result) {
                    saved = result.saveToFile("/out/graphs/" + file);
                });
            tryVerify(function () {
                    return saved;
                }, 5000, file);
        }
        // How high a chart's series reaches, as a share of its height: the
        // topmost pixel of the highlight (series) colour in the popup's
        // rendering. A series squeezed into the bottom pixels looks empty.
        function seriesShare(full, chart) {
            waitForRendering(full);
            const image = grabImage(full);
            const p = chart.mapToItem(full, 0, 0);
            const k = image.width / full.width;
            // The chart's own theme: Kirigami 2 gives this test object,
            // which is no Item, a default (black) one.
            const hl = chart.Kirigami.Theme.highlightColor;
            for (let y = 0; y < chart.height; y++) {
                for (let x = 2; x < chart.width - 2; x += 2) {
                    const px = Math.round((p.x + x) * k);
                    const py = Math.round((p.y + y) * k);
                    const d = Math.abs(image.red(px, py) - hl.r * 255) + Math.abs(image.green(px, py) - hl.g * 255) + Math.abs(image.blue(px, py) - hl.b * 255);
                    if (d < 60)
                        return (chart.height - y) / chart.height;
                }
            }
            return 0;
        }
        function scheme(item) {
            return item.Kirigami.Theme.backgroundColor.hslLightness < 0.5 ? "dark" : "light";
        }

        function test_01_node_sparklines_render_and_hover() {
            const t = popup();
            const spark = find(t.full, "nodeSparklines");
            verify(spark, "a node card has sparklines");
            const cpu = find(spark, "historyChart:cpu");
            const net = find(spark, "historyChart:net");
            verify(cpu && net && find(spark, "historyChart:mem"));
            tryVerify(function () {
                    return cpu.points >= 30;
                }, 10000, "the hour's buckets arrived");
            verify(cpu.width > 20 && cpu.height > 10, "drawn with a size");
            compare(net.points, cpu.points, "one feed per card");
            cpu.pointerX = cpu.width - 1;
            verify(/^CPU \d/.test(cpu.hoverText), "hover text: " + cpu.hoverText);
            net.pointerX = 0;
            verify(/^In .* · out /.test(net.hoverText), "hover text: " + net.hoverText);
            cpu.pointerX = -1;
            compare(cpu.hoverText, "");
            const mem = find(spark, "historyChart:mem");
            verify(seriesShare(t.full, mem) > 0.1, "the memory series is drawn");
            const share = seriesShare(t.full, cpu);
            verify(share > 0.4, "the CPU series (~16 % of the cores) fills the sparkline, not its bottom pixels: " + share);
            waitForRendering(t.full);
            save(t.full, "graphs-node-" + scheme(t.full) + ".png");
            // The test's pointer leaves, as a real one would: an open tooltip
            // on a chart that later leaves the window warns in Qt 5.
            net.pointerX = -1;
        }

        function test_02_guest_detail_opens_below_its_row_and_switches_timeframe() {
            const t = popup();
            const rowKey = t.app.guestsByNode["pve1"].filter(function (r) {
                    return r.running;
                })[0].key;
            const row = find(t.full, "guestRow:" + rowKey);
            verify(row);
            const name = find(row, "guestName");
            tryVerify(function () {
                    return name.width > 0 && name.height > 0;
                }, 3000, "the row is laid out");
            mouseClick(name);
            tryVerify(function () {
                    return t.app.guestDetail.key === rowKey;
                }, 3000, "a click on the row opens its detail");
            let detail = null;
            wait(500);
            tryVerify(function () {
                    detail = find(t.full, "guestDetail:" + rowKey);
                    return detail !== null;
                }, 3000, "the detail opened");
            const rowY = row.mapToItem(t.full, 0, 0).y;
            const detailY = detail.mapToItem(t.full, 0, 0).y;
            verify(detailY > rowY && detailY < rowY + row.height * 3, "right below its row");
            const disk = find(detail, "historyChart:disk");
            verify(disk && find(detail, "historyChart:cpu") && find(detail, "historyChart:mem") && find(detail, "historyChart:net"));
            tryVerify(function () {
                    return disk.points >= 30;
                }, 10000, "the guest's hour arrived");
            disk.pointerX = disk.width / 2;
            verify(/^Read .* · write /.test(disk.hoverText), "hover text: " + disk.hoverText);
            const guestCpu = find(detail, "historyChart:cpu");
            const share = seriesShare(t.full, guestCpu);
            verify(share > 0.4, "the guest's CPU series fills its chart: " + share);
            waitForRendering(t.full);
            save(t.full, "graphs-guest-" + scheme(t.full) + ".png");
            disk.pointerX = -1;
            const day = find(detail, "timeframe:day");
            verify(day);
            mouseClick(day);
            compare(t.app.guestDetail.timeframe, "day");
            tryVerify(function () {
                    return disk.points > 0 && t.app.guestDetail.notice === "";
                }, 10000, "the day's buckets arrived");
            // A second click on the row closes it.
            mouseClick(name);
            tryVerify(function () {
                    return find(t.full, "guestDetail:" + rowKey) === null;
                }, 3000, "the detail closed");
        }

        function test_03_storage_section() {
            const t = popup();
            const section = find(t.full, "storageSection");
            verify(section && section.visible);
            const nas = find(section, "storageLine:storage/nas-backup");
            verify(nas, "the shared storage once");
            let count = 0;
            walk(section, function (it) {
                    if (it.objectName === "storageLine:storage/nas-backup")
                        count++;
                });
            compare(count, 1);
            verify(/ of .*\(\d+%\)$/.test(find(nas, "storageUsage").text));
            verify(find(nas, "storageDetail").text.indexOf("nfs") === 0);
            verify(find(nas, "storageBar").value > 0);
            verify(findPrefix(section, "storageLine:storage/pve1/"), "a local storage under its node");
        }

        function test_04_panel_label_modes() {
            const app = createTemporaryObject(appComponent, root, {});
            tryCompare(app, "phase", "ok", 10000);
            const compact = createTemporaryObject(compactComponent, root, {
                    "app": app,
                    "width": 120,
                    "height": 32
                });
            const label = find(compact, "compactLabel");
            verify(label);
            app.mode = "guests";
            tryVerify(function () {
                    return /^\d+\/\d+$/.test(label.text);
                }, 3000, label.text);
            app.mode = "icon-only";
            tryVerify(function () {
                    return app.panelIconOnly && label.text === "" && !label.visible;
                }, 3000, "icon only");
            verify(app.toolTipSubText.indexOf("Guests running") >= 0, "the tooltip keeps the summary");
            // Gone before its façade: Qt 5 re-evaluates a live item's bindings on it.
            compact.destroy();
        }
    }
}
