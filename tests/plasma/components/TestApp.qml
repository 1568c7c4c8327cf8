import QtQuick
import org.kde.kirigami as Kirigami
import "../../../contents/code/proxmon.mjs" as Proxmon
import "../../../contents/ui" as UI

// The façade that main.qml's PlasmoidItem gives the representations, for
// qmltestrunner (a PlasmoidItem only loads inside an applet). The list
// plumbing is main.qml's (onView → syncOps → applyOps on one ListModel), over
// the real bundle and the in-memory demo cluster; settings live in plain
// properties instead of Plasmoid.configuration, and actions that would leave
// the widget (open settings, notifications) are only recorded in `calls`.
Item {
    id: app

    property bool expanded: true
    property bool demoMode: true
    property bool developerMode: false
    readonly property bool anonymise: developerMode
    property string sortBy: "status"
    property var expandedNodes: []
    // A test forces a phase to see the state views.
    property string phaseOverride: ""
    property var calls: []
    property int viewsApplied: 0

    property var monitor: null
    property var view: null
    property var age: null
    property string configurationProblem: ""
    readonly property string host: demoMode ? Proxmon.DEMO_HOST : ""
    readonly property int port: Proxmon.DEMO_PORT
    readonly property string tokenId: ""
    readonly property bool secretAvailable: false
    // The keyring's side of the façade (StateView reads it).
    property bool secretMissing: false
    // The TLS side of the façade (StateView, FullRepresentation read it).
    property bool nativeAvailable: false
    property bool tlsInsecure: false
    property string tlsProblem: ""
    property var tlsCertificate: null
    property string tlsPinnedFingerprint: ""
    readonly property string webUrl: ""
    readonly property string phase: phaseOverride !== "" ? phaseOverride : (view ? view.phase : "loading")
    readonly property bool refreshing: view ? view.refreshing : false
    readonly property bool stale: view ? view.stale : false
    readonly property string errorKind: view && view.errorKind ? view.errorKind : ""
    readonly property string errorMessage: view && view.errorMessage ? view.errorMessage : ""
    readonly property string errorAclPath: view && view.errorAclPath ? view.errorAclPath : ""
    readonly property string errorPrivilege: view && view.errorPrivilege ? view.errorPrivilege : ""
    readonly property string clusterName: view && view.clusterName ? view.clusterName : ""
    readonly property int quorate: view && view.quorate !== null ? (view.quorate ? 1 : 0) : -1
    readonly property string version: view && view.version ? view.version : ""
    readonly property int averageCpuPercent: view && view.panel.averageCpuPercent !== null ? view.panel.averageCpuPercent : -1
    readonly property string panelLabel: view ? view.panel.label : "\u2014"
    readonly property bool hasError: view ? view.panel.hasError : false
    readonly property var summary: view ? view.summary : null
    readonly property string ageText: age ? age.value + " " + age.unit : ""
    readonly property alias nodeModel: nodeModel
    readonly property var guestsByNode: view ? view.guestsByNode : ({})
    readonly property string toolTipSubText: ""
    property var nodeRows: []

    function record(name) {
        calls = calls.concat([name]);
    }

    function colorOf(role) {
        switch (role) {
        case "positive":
            return Kirigami.Theme.positiveTextColor;
        case "negative":
            return Kirigami.Theme.negativeTextColor;
        case "warning":
            return Kirigami.Theme.neutralTextColor;
        default:
            return Kirigami.Theme.disabledTextColor;
        }
    }

    function applyOps(model, ops) {
        for (let i = 0; i < ops.length; i++) {
            const o = ops[i];
            if (o.op === "remove")
                model.remove(o.index, o.count);
            else if (o.op === "insert")
                model.insert(o.index, o.row);
            else if (o.op === "move")
                model.move(o.from, o.to, 1);
            else
                model.set(o.index, o.row);
        }
    }

    function onView(v) {
        app.view = v;
        app.age = v.age;
        applyOps(nodeModel, Proxmon.syncOps(app.nodeRows, v.nodes));
        app.nodeRows = v.nodes;
        app.viewsApplied++;
    }

    function start(refreshSeconds) {
        const scheduler = timerScheduler.asDependency();
        monitor = Proxmon.createMonitor({
            scheduler: scheduler,
            transport: Proxmon.createDemoTransport({
                scheduler: scheduler
            })
        });
        monitor.onView(app.onView);
        monitor.setViewOptions({
            sortBy: sortBy,
            anonymise: anonymise,
            expandedNodes: expandedNodes
        });
        monitor.configure(Proxmon.demoSettings(refreshSeconds || 3600));
        onView(monitor.view());
    }

    function refreshNow() {
        record("refreshNow");
        if (monitor)
            monitor.refreshNow();
    }
    function setSort(value) {
        record("setSort:" + value);
        sortBy = value;
        monitor.setViewOptions({
            sortBy: value
        });
    }
    function isExpanded(key) {
        return expandedNodes.indexOf(key) >= 0;
    }
    function toggleNode(rowKey) {
        // In developer mode rows show stand-in names; remember the real node.
        const key = monitor ? monitor.nodeKeyForSetting(rowKey) : rowKey;
        record("toggleNode:" + key);
        const list = expandedNodes.slice();
        const i = list.indexOf(key);
        if (i >= 0)
            list.splice(i, 1);
        else
            list.push(key);
        expandedNodes = list;
        monitor.setViewOptions({
            expandedNodes: list
        });
    }
    function tickAge() {
        if (monitor)
            age = monitor.view().age;
    }
    function setDeveloperMode(on) {
        record("setDeveloperMode:" + on);
        developerMode = on;
        monitor.setViewOptions({
            anonymise: on
        });
    }
    function startDemo() {
        record("startDemo");
    }
    function stopDemo() {
        record("stopDemo");
    }
    function openSettings() {
        record("openSettings");
    }
    function sendTestNotification() {
        record("sendTestNotification");
    }

    Component.onDestruction: {
        if (monitor)
            monitor.dispose();
        monitor = null;
    }

    ListModel {
        id: nodeModel
    }

    UI.TimerScheduler {
        id: timerScheduler
    }
}
