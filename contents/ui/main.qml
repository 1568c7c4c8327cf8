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
    readonly property bool secretMissing: secretNeeded && !secretAvailable && (secretSource.state === "missing" || secretSource.state === "error" || secretSource.state === "waiting")
    // The wallet is still locked: the widget starts by itself once it opens.
    readonly property bool secretWaiting: secretMissing && secretSource.state === "waiting"
    readonly property string secretMessage: {
        if (!secretMissing)
            return "";
        if (secretSource.state === "error" || secretSource.state === "waiting")
            return secretSource.errorMessage;
        return i18n("No token secret for this host, port and token ID is stored in KDE Wallet. Enter it in the settings (Connection → Token secret) and choose Apply or “Update Keyring”.");
    }
    readonly property string tlsMode: Plasmoid.configuration.tlsMode || "system"
    readonly property string tlsFingerprint: Plasmoid.configuration.tlsFingerprint || ""
    readonly property string tlsCaPem: Plasmoid.configuration.tlsCaPem || ""
    readonly property bool ignoreSsl: Plasmoid.configuration.ignoreSsl
    readonly property string webUrl: host === "" ? "" : "https://" + (host.indexOf(":") >= 0 ? "[" + host + "]" : host) + ":" + port + "/"

    // Everything that needs a new pipeline when it changes.
    readonly property string connectionKey: JSON.stringify([demoMode, host, port, tokenId, refreshSeconds, secretSource.generation,
        tlsMode, tlsFingerprint, tlsCaPem, ignoreSsl,
        Plasmoid.configuration.enableNotifications, Plasmoid.configuration.notifyMode, Plasmoid.configuration.notifyFilter,
        Plasmoid.configuration.notifyOnStart, Plasmoid.configuration.notifyOnStop, Plasmoid.configuration.notifyOnNodeChange,
        Plasmoid.configuration.notifyRateLimitEnabled, Plasmoid.configuration.notifyRateLimitSeconds])

    // ------------------------------------------------------ the façade
    property var monitor: null
    property var view: null
    property var age: null
    property string configurationProblem: ""
    // The TLS setting cannot be honoured ("native-missing", "bad-fingerprint",
    // "bad-ca"): nothing is sent, and the popup says how to get out of it.
    property string tlsProblem: ""
    // With "bad-ca": what checkCaPem found wrong with the stored PEM.
    property string tlsCaProblem: ""
    // The mode in force ("system", "pin", "ca", "insecure") and how it travels.
    property string tlsActiveMode: "system"
    property bool nativeAvailable: false
    readonly property bool tlsInsecure: !demoMode && tlsActiveMode === "insecure" && tlsProblem === ""
    // What the server presented when TLS failed, and the pin it did not match.
    property var tlsCertificate: null
    property string tlsPinnedFingerprint: ""
    readonly property bool tlsBlocked: !demoMode && tlsProblem !== ""
    // Waiting for the keyring looks like connecting, not like "not set up".
    readonly property string phase: tlsBlocked ? "error" : !view || (view.phase === "unconfigured" && secretPending) ? "loading" : view.phase
    readonly property bool refreshing: view && !tlsBlocked ? view.refreshing : false
    readonly property bool stale: view && !tlsBlocked ? view.stale : false
    readonly property string errorKind: tlsBlocked ? "tls-setup" : view && view.errorKind ? view.errorKind : ""
    readonly property string errorMessage: {
        if (tlsProblem === "bad-fingerprint")
            return i18n("The pinned fingerprint is not a SHA-256 fingerprint (32 bytes as hex, e.g. AB:CD:…). Test the connection in the settings and trust the certificate shown, or paste the fingerprint from Proxmox (Node → System → Certificates).");
        if (tlsProblem === "bad-ca")
            return tlsCaProblem === "private-key"
                ? i18n("The Proxmox cluster CA setting holds a private key, which must never leave the Proxmox node. Nothing was sent. Remove it from the settings and paste only /etc/pve/pve-root-ca.pem.")
                : i18n("The Proxmox cluster CA setting does not hold a usable certificate. Paste the output of “cat /etc/pve/pve-root-ca.pem” (run on any node) in the settings. Nothing was sent to the server.");
        if (tlsProblem === "native-missing") {
            if (tlsActiveMode === "pin")
                return i18n("The pinned fingerprint can only be checked by ProxMon's native TLS module, which is not installed. Nothing was sent to the server.");
            if (tlsActiveMode === "ca")
                return i18n("Checking the certificate against the Proxmox cluster CA in the settings needs ProxMon's native TLS module, which is not installed. Nothing was sent to the server.");
            return i18n("Ignoring certificate errors needs ProxMon's native TLS module, which is not installed. Nothing was sent to the server.");
        }
        return view && view.errorMessage ? view.errorMessage : "";
    }
    readonly property string errorAclPath: view && view.errorAclPath ? view.errorAclPath : ""
    readonly property string errorPrivilege: view && view.errorPrivilege ? view.errorPrivilege : ""
    readonly property string clusterName: view && view.clusterName ? view.clusterName : ""
    // 1 quorate, 0 not, -1 unknown
    readonly property int quorate: view && view.quorate !== null ? (view.quorate ? 1 : 0) : -1
    readonly property string version: view && view.version ? view.version : ""
    readonly property int averageCpuPercent: view && view.panel.averageCpuPercent !== null ? view.panel.averageCpuPercent : -1
    readonly property string panelLabel: view && !tlsBlocked ? view.panel.label : "\u2014"
    readonly property bool hasError: tlsBlocked || (view ? view.panel.hasError : false)
    readonly property color statusColor: colorOf(tlsBlocked ? "negative" : view ? view.panel.statusColor : "neutral")
    readonly property var summary: view ? view.summary : null
    readonly property string ageText: formatAge(age)
    // Composed in the core, which knows not to add a full stop after the error's own.
    readonly property string staleNotice: Proxmon.composeStaleNotice(ageText, errorMessage, root.tr)
    readonly property alias nodeModel: nodeModel
    readonly property var guestsByNode: view ? view.guestsByNode : ({})

    property bool anonymise: false

    // The size a desktop gives a new widget (the containment centres the
    // item as it is); FullRepresentation's preferred size.
    width: Plasmoid.formFactor === PlasmaCore.Types.Planar ? Kirigami.Units.gridUnit * 24 : undefined
    height: Plasmoid.formFactor === PlasmaCore.Types.Planar ? Kirigami.Units.gridUnit * 30 : undefined
    switchWidth: Kirigami.Units.gridUnit * 12
    switchHeight: Kirigami.Units.gridUnit * 12
    Plasmoid.icon: widgetIcon.name
    Plasmoid.status: hasError ? PlasmaCore.Types.NeedsAttentionStatus : PlasmaCore.Types.ActiveStatus

    toolTipMainText: demoMode ? i18n("ProxMon (demo cluster)") : (clusterName !== "" ? i18n("Proxmox cluster %1", clusterName) : i18n("ProxMon"))
    toolTipSubText: {
        if (phase === "unconfigured")
            return secretWaiting ? i18n("Waiting for KDE Wallet") : secretMissing ? i18n("Missing token secret") : i18n("Not configured");
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
        const error = root.monitor && v.errorKind === "tls" ? root.monitor.state().error : null;
        const certificate = error && error.certificate ? error.certificate : null;
        const pinned = error && error.pinnedFingerprint256 ? error.pinnedFingerprint256 : "";
        if (certificate && (!root.tlsCertificate || root.tlsCertificate.fingerprint256 !== certificate.fingerprint256 || pinned !== root.tlsPinnedFingerprint))
            root.log("warn", "tls: server certificate SHA-256 " + certificate.fingerprint256 + (pinned !== "" ? ", pinned " + pinned : ""));
        root.tlsCertificate = certificate;
        root.tlsPinnedFingerprint = pinned;
    }

    function tlsSettings() {
        return {
            tlsMode: tlsMode,
            tlsFingerprint: tlsFingerprint,
            tlsCaPem: tlsCaPem,
            ignoreSsl: ignoreSsl
        };
    }

    function xhrTransport(scheduler) {
        return Proxmon.createXhrTransport({
            scheduler: scheduler,
            createRequest: function () {
                return new XMLHttpRequest();
            },
            // Must stay in this QML file: Qt delivers XHR events only then.
            send: function (xhr, body) {
                xhr.send(body);
            }
        });
    }

    // Plan → transport; null when the plan refuses to send anything.
    function transportFor(plan, scheduler) {
        const nativeTls = nativeLoader.transport;
        if (plan.transport === "native")
            return Proxmon.createNativeTransport({
                // A pin is checked only on a new connection (NativeLoader.qml).
                nativeRequest: plan.mode === "pin" ? nativeLoader.requestFresh : nativeTls.request,
                policy: plan.policy
            });
        if (plan.transport !== "xhr")
            return null;
        const xhr = xhrTransport(scheduler);
        // XHR cannot say why a connection failed; the module (system trust,
        // so it refuses exactly what XHR refused) can show the certificate.
        return nativeTls ? Proxmon.withTlsDiagnosis(xhr, Proxmon.createNativeTransport({
            nativeRequest: nativeTls.request,
            policy: {
                mode: "system"
            }
        })) : xhr;
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

    property string _transportKey: ""
    function reconfigure() {
        _appliedKey = connectionKey;
        const scheduler = timerScheduler.asDependency();
        const plan = demoMode ? null : Proxmon.planTls(tlsSettings(), nativeLoader.available);
        tlsActiveMode = plan ? plan.mode : "system";
        tlsProblem = plan && plan.transport === "blocked" ? plan.problem : "";
        tlsCaProblem = plan && plan.transport === "blocked" && plan.caProblem ? plan.caProblem : "";
        if (tlsProblem !== "") {
            if (monitor)
                monitor.dispose();
            monitor = null;
            _transportKey = "";
            view = null;
            applyOps(nodeModel, Proxmon.syncOps(nodeRows, []));
            nodeRows = [];
            tlsCertificate = null;
            tlsPinnedFingerprint = "";
            log("warn", "tls: " + tlsActiveMode + " mode cannot be used (" + tlsProblem + (tlsCaProblem !== "" ? ": " + tlsCaProblem : "") + "); nothing is sent");
            return;
        }
        const transportKey = JSON.stringify(plan);
        if (!monitor || _transportKey !== transportKey) {
            if (monitor)
                monitor.dispose();
            _transportKey = transportKey;
            const transport = demoMode ? Proxmon.createDemoTransport({
                scheduler: scheduler
            }) : transportFor(plan, scheduler);
            if (plan)
                log(plan.mode === "insecure" ? "warn" : "info", "tls: " + plan.mode + " mode via " + (plan.transport === "native" ? "the native module" : "XMLHttpRequest") + (plan.mode === "insecure" ? " — certificate checks are off" : "") + (nativeLoader.available ? "" : " (native module not installed)"));
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
        nativeLoader.load(root);
        nativeAvailable = nativeLoader.available;
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

    NativeLoader {
        id: nativeLoader
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
        iconName: widgetIcon.name
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

    WidgetIcon {
        id: widgetIcon
    }

    Timer {
        id: expandTimer
        interval: 1500
        onTriggered: root.expanded = true
    }
}
