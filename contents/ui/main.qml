import QtQuick
import QtQuick.Layouts
import org.kde.plasma.plasmoid
import org.kde.plasma.core as PlasmaCore
import org.kde.kirigami as Kirigami
import "../code/proxmon.mjs" as Proxmon

// Thin root: wires the TypeScript core (contents/code/proxmon.mjs) to QML
// (timers, XMLHttpRequest, notifications, i18n, settings) and exposes a flat
// read-only façade that the compact and full representations bind to.
PlasmoidItem {
    id: root

    // ---------------------------------------------------------- settings
    readonly property bool demoMode: Plasmoid.configuration.demoMode
    readonly property bool developerMode: Plasmoid.configuration.developerMode
    readonly property string host: demoMode ? Proxmon.DEMO_HOST : (Plasmoid.configuration.proxmoxHost || "").trim()
    readonly property int port: demoMode ? Proxmon.DEMO_PORT : Plasmoid.configuration.proxmoxPort
    readonly property string tokenId: (Plasmoid.configuration.apiTokenId || "").trim()
    readonly property int refreshSeconds: Math.max(Proxmon.MIN_REFRESH_SECONDS, Plasmoid.configuration.refreshInterval)
    readonly property string sortBy: Plasmoid.configuration.defaultSorting || "status"
    readonly property bool secretAvailable: secretSource.secret !== ""
    // The keyring's side of the "Missing token secret" state (StateView).
    readonly property bool secretNeeded: !demoMode && host !== "" && tokenId !== "" && Proxmon.validateTokenId(tokenId) === null
    readonly property bool secretPending: secretNeeded && !secretAvailable && (secretSource.state === "idle" || secretSource.state === "reading")
    readonly property bool secretMissing: secretNeeded && !secretAvailable && (secretSource.state === "missing" || secretSource.state === "error")
    readonly property string secretMessage: {
        if (!secretMissing)
            return "";
        if (secretSource.state === "error")
            return secretSource.errorMessage;
        return i18n("No token secret for this host, port and token ID is stored in KDE Wallet. Enter it in the settings (Connection → Token secret) and choose Apply or “Update Keyring”.");
    }
    readonly property string webUrl: host === "" ? "" : "https://" + (host.indexOf(":") >= 0 ? "[" + host + "]" : host) + ":" + port + "/"

    // Everything that needs a new pipeline when it changes.
    readonly property string connectionKey: JSON.stringify([demoMode, host, port, tokenId, refreshSeconds, secretSource.generation,
        Plasmoid.configuration.enableNotifications, Plasmoid.configuration.notifyMode, Plasmoid.configuration.notifyFilter,
        Plasmoid.configuration.notifyOnStart, Plasmoid.configuration.notifyOnStop, Plasmoid.configuration.notifyOnNodeChange,
        Plasmoid.configuration.notifyRateLimitEnabled, Plasmoid.configuration.notifyRateLimitSeconds])

    // ------------------------------------------------------ the façade
    property var monitor: null
    property var view: null
    property var age: null
    property string configurationProblem: ""
    // Waiting for the keyring looks like connecting, not like "not set up".
    readonly property string phase: !view || (view.phase === "unconfigured" && secretPending) ? "loading" : view.phase
    readonly property bool refreshing: view ? view.refreshing : false
    readonly property bool stale: view ? view.stale : false
    readonly property string errorKind: view && view.errorKind ? view.errorKind : ""
    readonly property string errorMessage: view && view.errorMessage ? view.errorMessage : ""
    readonly property string errorAclPath: view && view.errorAclPath ? view.errorAclPath : ""
    readonly property string errorPrivilege: view && view.errorPrivilege ? view.errorPrivilege : ""
    readonly property string clusterName: view && view.clusterName ? view.clusterName : ""
    // 1 quorate, 0 not, -1 unknown
    readonly property int quorate: view && view.quorate !== null ? (view.quorate ? 1 : 0) : -1
    readonly property string version: view && view.version ? view.version : ""
    readonly property int averageCpuPercent: view && view.panel.averageCpuPercent !== null ? view.panel.averageCpuPercent : -1
    readonly property string panelLabel: view ? view.panel.label : "\u2014"
    readonly property bool hasError: view ? view.panel.hasError : false
    readonly property color statusColor: colorOf(view ? view.panel.statusColor : "neutral")
    readonly property var summary: view ? view.summary : null
    readonly property string ageText: formatAge(age)
    readonly property alias nodeModel: nodeModel
    readonly property var guestsByNode: view ? view.guestsByNode : ({})

    property bool anonymise: false

    switchWidth: Kirigami.Units.gridUnit * 12
    switchHeight: Kirigami.Units.gridUnit * 12
    Plasmoid.icon: "proxmon"
    Plasmoid.status: hasError ? PlasmaCore.Types.NeedsAttentionStatus : PlasmaCore.Types.ActiveStatus

    toolTipMainText: demoMode ? i18n("ProxMon (demo cluster)") : (clusterName !== "" ? i18n("Proxmox cluster %1", clusterName) : i18n("ProxMon"))
    toolTipSubText: {
        if (phase === "unconfigured")
            return secretMissing ? i18n("Missing token secret") : i18n("Not configured");
        if (phase === "loading")
            return i18n("Connecting…");
        if (phase === "error")
            return errorMessage;
        const lines = [];
        if (summary) {
            lines.push(i18n("Nodes online: %1 of %2", summary.nodesOnline, summary.nodesTotal));
            lines.push(i18n("Guests running: %1 of %2", summary.guestsRunning, summary.guestsTotal));
            lines.push(i18n("Average CPU: %1", summary.cpuText));
        }
        if (ageText !== "")
            lines.push(i18n("Last update: %1", ageText));
        if (stale)
            lines.push(i18n("The last refresh failed: %1", errorMessage));
        return lines.join("\n");
    }

    compactRepresentation: CompactRepresentation {
        app: root
    }
    fullRepresentation: FullRepresentation {
        app: root
    }

    Plasmoid.contextualActions: [
        PlasmaCore.Action {
            text: i18n("Refresh now")
            icon.name: "view-refresh"
            onTriggered: root.refreshNow()
        },
        PlasmaCore.Action {
            text: i18n("Open web UI")
            icon.name: "internet-web-browser"
            enabled: !root.demoMode && root.host !== ""
            onTriggered: Qt.openUrlExternally(root.webUrl)
        }
    ]

    // ------------------------------------------------------------ helpers
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

    function formatAge(parts) {
        if (!parts)
            return "";
        switch (parts.unit) {
        case "seconds":
            return i18nc("how long ago", "%1 s ago", parts.value);
        case "minutes":
            return i18nc("how long ago", "%1 min ago", parts.value);
        case "hours":
            return i18nc("how long ago", "%1 h ago", parts.value);
        default:
            return i18nc("how long ago", "%1 d ago", parts.value);
        }
    }

    // The core's translator: the same "%1" placeholders as i18n.
    function tr(template, a, b, c, d) {
        switch (arguments.length) {
        case 0:
        case 1:
            return i18n(template);
        case 2:
            return i18n(template, a);
        case 3:
            return i18n(template, a, b);
        case 4:
            return i18n(template, a, b, c);
        default:
            return i18n(template, a, b, c, d);
        }
    }

    function log(level, message) {
        // The core never puts the secret into messages; nothing here adds it.
        if (level === "debug" && !root.developerMode)
            return;
        const line = "proxmon: " + message;
        if (level === "warn" || level === "error")
            console.warn(line);
        else
            console.log(line);
    }

    // Applies list-sync ops to a ListModel in order: rows update in place.
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

    property var nodeRows: []

    function onView(v) {
        root.view = v;
        root.age = v.age;
        const rows = v.nodes;
        applyOps(nodeModel, Proxmon.syncOps(root.nodeRows, rows));
        root.nodeRows = rows;
        if (root.monitor)
            root.configurationProblem = root.monitor.configurationProblem() || "";
    }

    function notificationSettings() {
        const c = Plasmoid.configuration;
        return {
            enabled: c.enableNotifications,
            mode: c.notifyMode || "all",
            patterns: c.notifyFilter || "",
            notifyOnStart: c.notifyOnStart,
            notifyOnStop: c.notifyOnStop,
            notifyOnNodeChange: c.notifyOnNodeChange,
            rateLimitEnabled: c.notifyRateLimitEnabled,
            rateLimitSeconds: c.notifyRateLimitSeconds
        };
    }

    function currentSettings() {
        let s;
        if (demoMode) {
            s = Proxmon.demoSettings(refreshSeconds);
        } else {
            s = {
                host: host,
                port: port,
                tokenId: tokenId,
                secret: secretSource.secret,
                refreshIntervalSec: refreshSeconds,
                timeoutSec: Proxmon.DEFAULT_TIMEOUT_SECONDS
            };
        }
        s.notifications = notificationSettings();
        return s;
    }

    function viewOptions() {
        return {
            sortBy: sortBy,
            anonymise: anonymise,
            expandedNodes: Plasmoid.configuration.expandedNodes || []
        };
    }

    property bool _usingDemo: false
    function reconfigure() {
        _appliedKey = connectionKey;
        const scheduler = timerScheduler.asDependency();
        if (!monitor || _usingDemo !== demoMode) {
            if (monitor)
                monitor.dispose();
            _usingDemo = demoMode;
            const transport = demoMode ? Proxmon.createDemoTransport({
                scheduler: scheduler
            }) : Proxmon.createXhrTransport({
                scheduler: scheduler,
                createRequest: function () {
                    return new XMLHttpRequest();
                },
                // Must stay in this QML file: Qt delivers XHR events only then.
                send: function (xhr, body) {
                    xhr.send(body);
                }
            });
            monitor = Proxmon.createMonitor({
                scheduler: scheduler,
                transport: transport,
                log: root.log,
                notify: function (n) {
                    notifier.send(n);
                },
                tr: root.tr
            });
            monitor.onView(root.onView);
        }
        monitor.setViewOptions(viewOptions());
        log("info", demoMode ? "demo mode" : "configuring " + (host || "(no host)"));
        monitor.configure(currentSettings());
        onView(monitor.view());
    }

    function reloadSecret() {
        secretSource.reload();
    }

    function refreshNow() {
        if (monitor)
            monitor.refreshNow();
    }

    function setSort(value) {
        Plasmoid.configuration.defaultSorting = value;
    }

    function isExpanded(key) {
        return (Plasmoid.configuration.expandedNodes || []).indexOf(key) >= 0;
    }

    function toggleNode(rowKey) {
        // In developer mode rows show stand-in names; remember the real node.
        const key = monitor ? monitor.nodeKeyForSetting(rowKey) : rowKey;
        const list = (Plasmoid.configuration.expandedNodes || []).slice();
        const i = list.indexOf(key);
        if (i >= 0)
            list.splice(i, 1);
        else
            list.push(key);
        Plasmoid.configuration.expandedNodes = list;
        if (monitor)
            monitor.setViewOptions({
                expandedNodes: list
            });
    }

    function tickAge() {
        if (monitor)
            age = monitor.view().age;
    }

    function setDeveloperMode(on) {
        Plasmoid.configuration.developerMode = on;
    }

    function startDemo() {
        Plasmoid.configuration.demoMode = true;
    }

    function stopDemo() {
        Plasmoid.configuration.demoMode = false;
    }

    function openSettings() {
        Plasmoid.internalAction("configure").trigger();
    }

    function sendTestNotification() {
        notifier.send({
            kind: "single",
            urgency: "normal",
            title: i18n("ProxMon test notification"),
            body: i18n("Notifications from ProxMon work."),
            guests: []
        });
    }

    property string _appliedKey: ""
    onConnectionKeyChanged: Qt.callLater(reconfigureIfChanged)
    function reconfigureIfChanged() {
        if (connectionKey !== _appliedKey)
            reconfigure();
    }
    onSortByChanged: if (monitor) monitor.setViewOptions({ sortBy: sortBy })
    onAnonymiseChanged: if (monitor) monitor.setViewOptions({ anonymise: anonymise })
    property bool _loggedDeveloperMode: false
    onDeveloperModeChanged: {
        anonymise = developerMode;
        if (developerMode !== _loggedDeveloperMode)
            log("info", developerMode ? "developer mode on" : "developer mode off");
        _loggedDeveloperMode = developerMode;
    }

    Component.onCompleted: {
        anonymise = developerMode;
        _loggedDeveloperMode = developerMode;
        if (developerMode)
            log("info", "developer mode on");
        reconfigure();
        if (testHooks.expandOnStart)
            expandTimer.start();
    }
    Component.onDestruction: {
        if (monitor)
            monitor.dispose();
        monitor = null;
    }

    ListModel {
        id: nodeModel
    }

    TimerScheduler {
        id: timerScheduler
        errorHandler: function (err) {
            root.log("warn", "scheduled callback failed: " + err);
        }
    }

    Notifier {
        id: notifier
        webUrl: root.demoMode ? "" : root.webUrl
    }

    SecretSource {
        id: secretSource
        active: !root.demoMode
        host: root.host
        port: root.port
        tokenId: root.tokenId
        revision: Plasmoid.configuration.secretRevision
        log: root.log
    }

    TestHooks {
        id: testHooks
    }

    Timer {
        id: expandTimer
        interval: 1500
        onTriggered: root.expanded = true
    }
}
