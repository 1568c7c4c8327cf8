import QtQuick
import org.kde.kirigami as Kirigami
import "../code/proxmon.mjs" as Proxmon

// The one façade the representations bind to, used by main.qml and by the
// component tests alike: it hands the session (src/widget/session.ts) what
// only QML has — timers, XMLHttpRequest, the native module, the demo bundle,
// notifications, i18n — and exposes the session's complete view as plain
// properties. Decisions and texts come from the session, not from here.
Item {
    id: app

    visible: false

    // ------------------------------------------------------------ inputs
    // Plasmoid.configuration in the widget; a plain object with the same
    // keys in the tests. Writes go back into it.
    property var configuration: ({})
    // SecretSource.qml (secret, state, errorMessage, generation, reload()).
    property var secretSource: ({
            "secret": "",
            "state": "idle",
            "errorMessage": "",
            "generation": 0,
            "reload": function () {}
        })
    // The separate actions token's SecretSource.qml (Settings → Actions); unused otherwise.
    property var actionSecretSource: ({
            "secret": "",
            "state": "idle",
            "errorMessage": "",
            "generation": 0
        })
    // Several connections (issue 11): the SecretSource of every connection
    // after the first, by its wallet key (main.qml creates them from
    // extraSecretAccounts); the first reads `secretSource`, as today.
    property var secretSources: ({})
    // Power actions with a separate token: the SecretSource of every further
    // connection's actions token, by its wallet key (main.qml creates them
    // from extraActionAccounts); the first's is `actionSecretSource`.
    property var actionSecretSources: ({})
    // A connection's own façade (its section in the popup binds its node
    // cards to it): it shows that connection's session, taken from the
    // parent's multi-session, and updates nothing itself.
    property var parentApp: null
    property string connectionKey: ""
    readonly property bool isChild: parentApp !== null
    // Delivers a notification ({kind, urgency, title, body, guests}); null: none.
    property var notify: null
    // The popup is open (the panel's own state; set by main.qml).
    property bool expanded: false
    // The full representation shows without a popup (on the desktop).
    property bool alwaysShown: false

    // A user action, for the journal in developer mode and for tests.
    signal acted(string action)
    // "Configure…": main.qml opens the settings dialog.
    signal settingsRequested

    // ----------------------------------------------------------- outputs
    // Created once, when the façade is complete: not a binding, which Plasma
    // re-evaluates (i18n's translation domain arrives after creation).
    property var session: null
    // The multi-session (src/widget/multi-session.ts) and its view; null in a connection's own façade.
    property var multi: null
    property var multiView: null
    readonly property bool several: multiView !== null && !multiView.single
    // The panel's aggregate; for one connection (and in a child) the view's own fields.
    readonly property var panel: multiView !== null ? multiView.panel : view
    // The wallet accounts of the connections after the first ({key, host, port, tokenId}).
    property var extraSecretAccounts: []
    // The actions token accounts of the connections after the first ({key, connectionKey, host, port, tokenId}).
    property var extraActionAccounts: []
    property int secretRevision: 0
    readonly property alias connectionModel: connectionModel
    // Complete from the start: "connecting" until the session publishes.
    property var view: Proxmon.initialWidgetView(translator.tr, translator.trc)
    readonly property string phase: view.phase
    readonly property bool refreshing: panel.refreshing
    readonly property bool stale: panel.stale
    readonly property bool hasError: panel.hasError
    readonly property string errorKind: view.errorKind
    readonly property string errorMessage: view.errorMessage
    readonly property bool demoMode: view.demoMode
    readonly property bool developerMode: view.developerMode
    readonly property string host: view.host
    readonly property int port: view.port
    readonly property string tokenId: view.tokenId
    readonly property string webUrl: view.webUrl
    readonly property string clusterName: view.clusterName
    readonly property int quorate: view.quorate
    readonly property string version: view.version
    readonly property int averageCpuPercent: panel.averageCpuPercent
    readonly property string cpuLabel: panel.cpuLabel
    readonly property string ageText: view.ageText
    readonly property string headerTitle: multiView !== null ? multiView.headerTitle : view.headerTitle
    readonly property string headerSubtitle: multiView !== null ? multiView.headerSubtitle : view.headerSubtitle
    readonly property string footerText: multiView !== null ? multiView.footerText : view.footerText
    readonly property string updatedText: multiView !== null ? multiView.updatedText : view.updatedText
    readonly property string staleText: view.staleText
    readonly property bool tlsInsecure: view.tlsInsecure
    readonly property bool nativeAvailable: view.nativeAvailable
    readonly property string toolTipMainText: panel.toolTipMainText
    readonly property string toolTipSubText: panel.toolTipSubText
    readonly property var stateView: view.state
    readonly property string sortBy: configuration.defaultSorting || "status"
    // This connection's expanded nodes: with several, each stored entry carries its connection's prefix.
    readonly property string nodePrefix: isChild ? Proxmon.expandedPrefix(connectionKey) : ""
    readonly property var expandedNodes: Proxmon.expandedNodesOf(configuration.expandedNodes || [], nodePrefix)
    readonly property var collapsedConnections: configuration.collapsedConnections || []
    readonly property alias nodeModel: nodeModel
    property var guestsByNode: ({})
    // Power actions (src/widget/guest-actions.ts): on, and each row's confirmation or running task.
    readonly property bool actionsEnabled: view.actionsEnabled === true
    readonly property var guestActions: view.guestActions || ({})
    readonly property string actionsTokenId: view.actionsTokenId || ""
    // Backups and cluster health (src/widget/backups-view.ts). Assigned only
    // when the session built a new one (about once a minute), not with every
    // view: the guest rows' chips bind to it.
    property var backups: Proxmon.emptyBackupsView()
    property int viewsApplied: 0
    // Search, views, density and keyboard focus (issue 15; src/widget/popup-filter.ts).
    readonly property string popupView: view.popupView
    readonly property string searchText: view.searchText
    readonly property bool filtering: view.filtering
    readonly property string filterCountText: view.filterCountText
    readonly property string filterEmptyText: view.filterEmptyText
    readonly property string searchProblems: view.searchProblems
    readonly property int problemCount: view.problemCount
    readonly property var viewChoices: view.viewChoices
    readonly property bool compact: view.compact
    // The focus key of the keyboard-focused item ("" for none): a row key
    // with one connection; with several, qualified by the connection's key
    // (a section's header is the connection's key alone).
    readonly property string focusKey: focusTarget.key
    // Where it is: {key, nodeIndex, rowIndex (-1: the card), kind ("node",
    // "guest", "connection", ""), connectionKey, connectionIndex, rowKey}
    // (src/view/popup-navigation.ts). A connection's own façade derives its
    // part from the popup's: the focused card or row when it is one of its own.
    property var focusTarget: isChild ? Proxmon.focusInConnection(parentApp.focusKey, connectionKey, {
            "nodes": nodeRows,
            "guestsByNode": guestsByNode
        }) : ({
            "key": "",
            "nodeIndex": -1,
            "rowIndex": -1,
            "kind": "",
            "connectionKey": "",
            "connectionIndex": -1,
            "rowKey": ""
        })
    // Enter on a guest row: the row's menu opens (GuestRow listens once it has one).
    signal guestMenuRequested(string key)
    // Several connections: Enter on a card or row of connection `connectionKey`
    // ("toggleNode", "guestMenu"); that connection's façade acts on it.
    signal focusActivated(string connectionKey, string action, string rowKey)
    // History and storage (issue 12).
    readonly property string panelText: panel.panelText
    readonly property bool panelIconOnly: panel.panelIconOnly
    readonly property var storageView: view.storage
    readonly property var guestDetail: view.guestDetail
    // A chart's rows changed ({key, reset, dropped, rows}): HistoryFeed.qml applies it.
    signal historyUpdated(var update)

    readonly property bool popupOpen: expanded || alwaysShown
    onPopupOpenChanged: if (multi)
        multi.setPopupOpen(popupOpen)

    // The settings the session reads (main.xml); any change re-applies (coalesced).
    readonly property var configKeys: ["demoMode", "developerMode", "proxmoxHost", "proxmoxPort", "apiTokenId", "refreshInterval", "defaultSorting", "expandedNodes", "tlsMode", "tlsFingerprint", "tlsCaPem", "ignoreSsl", "enableNotifications", "notifyMode", "notifyFilter", "notifyOnStart", "notifyOnStop", "notifyOnNodeChange", "notifyRateLimitEnabled", "notifyRateLimitSeconds", "actionsMode", "actionsTokenId", "popupView", "rowDensity", "snoozes", "backupsEnabled", "notifyClusterHealth", "backupMaxAgeDays", "backupExclude", "backupIgnoreUncovered", "backupReadInterval", "panelLabelMode", "storageWarnPercent", "storageCriticalPercent", "connections"]
    readonly property var inputs: configKeys.map(function (key) {
            return configuration[key];
        }).concat([secretSource.secret, secretSource.state, secretSource.errorMessage, secretSource.generation, actionSecretSource.generation, actionSecretSource.state, secretRevision])
    onInputsChanged: Qt.callLater(app.update)

    function update() {
        if (!multi)
            return;
        const config = {};
        for (let i = 0; i < configKeys.length; i++)
            config[configKeys[i]] = configuration[configKeys[i]];
        // A QStringList from Plasmoid.configuration becomes a plain array.
        config.expandedNodes = Array.prototype.slice.call(configuration.expandedNodes || []);
        config.snoozes = Array.prototype.slice.call(configuration.snoozes || []);
        const accounts = Proxmon.connectionSecretAccounts(config);
        // Reassigned only when the entries change: main.qml re-creates the
        // sources then. (By key: a stored list of maps reads back with its
        // fields in another order.)
        const extra = accounts.slice(1);
        if (Proxmon.accountKeys(extra) !== Proxmon.accountKeys(extraSecretAccounts))
            extraSecretAccounts = extra;
        const actionAccounts = Proxmon.extraActionAccounts(config);
        if (Proxmon.accountKeys(actionAccounts) !== Proxmon.accountKeys(extraActionAccounts))
            extraActionAccounts = actionAccounts;
        const keys = accounts.map(function (a) {
                return a.key;
            });
        multi.update(config, Proxmon.gatherSecrets(keys, secretSource, secretSources), {
                "secret": actionSecretSource.secret,
                "state": actionSecretSource.state,
                "errorMessage": actionSecretSource.errorMessage,
                "generation": actionSecretSource.generation
            }, Proxmon.gatherActionSecrets(actionAccounts, actionSecretSources));
    }

    // ------------------------------------------------------ for the views
    // A status role's colour in `theme`, the Kirigami.Theme of the item that
    // draws it. Not the façade's own: the façade is in no window, and in
    // plasmoidviewer and plasmashell its theme kept the defaults (black dots).
    function colorOf(role, theme) {
        const t = theme || Kirigami.Theme;
        switch (role) {
        case "positive":
            return t.positiveTextColor;
        case "negative":
            return t.negativeTextColor;
        case "warning":
            return t.neutralTextColor;
        default:
            return t.disabledTextColor;
        }
    }

    // Applies list-sync ops to a ListModel in order: rows update in place,
    // a changed row with only its changed roles (src/view/list-sync.ts).
    function applyOps(model, ops) {
        Proxmon.applyListOps(model, ops);
    }

    property var nodeRows: []
    // The lists, only while they are shown (the session calls this then).
    function applyRows(v) {
        applyOps(nodeModel, Proxmon.syncOps(nodeRows, v.nodes));
        nodeRows = v.nodes;
        guestsByNode = v.guestsByNode;
        viewsApplied++;
    }
    // A whole view, as the session publishes it with the popup open.
    function onView(v) {
        view = v;
        if (v.backups !== backups)
            backups = v.backups;
        applyRows(v);
    }

    // ------------------------------------------------------------ actions
    function refreshNow() {
        acted("refreshNow");
        (multi || session).refreshNow();
    }
    function reloadSecret() {
        acted("reloadSecret");
        secretSource.reload();
    }
    // A state-view button: the session names what it does.
    function act(name) {
        ({
                "refreshNow": refreshNow,
                "reloadSecret": reloadSecret
            })[name]();
    }
    function setSort(value) {
        acted("setSort:" + value);
        configuration.defaultSorting = value;
    }
    function isExpanded(key) {
        return expandedNodes.indexOf(key) >= 0;
    }
    function toggleNode(rowKey) {
        // In developer mode rows show stand-in names; remember the real node.
        const key = session.nodeKeyForSetting(rowKey);
        acted("toggleNode:" + nodePrefix + key);
        configuration.expandedNodes = Proxmon.toggleExpandedNode(Array.prototype.slice.call(configuration.expandedNodes || []), nodePrefix, key);
    }
    function setSearch(value) {
        (multi || session).setSearch(value);
    }
    // Several connections: a section's view ({key, name, view, errorText}), and its open state.
    function connectionView(key) {
        const list = multiView ? multiView.connections : [];
        for (let i = 0; i < list.length; i++)
            if (list[i].key === key)
                return list[i];
        return null;
    }
    function isConnectionExpanded(key) {
        return collapsedConnections.indexOf(key) < 0;
    }
    function toggleConnection(key) {
        acted("toggleConnection:" + key);
        configuration.collapsedConnections = Proxmon.toggleEntry(Array.prototype.slice.call(collapsedConnections), key);
    }
    function secretsChanged() {
        secretRevision++;
    }
    function setSecretSource(key, source) {
        const next = {};
        for (const k in secretSources)
            next[k] = secretSources[k];
        next[key] = source;
        secretSources = next;
        secretsChanged();
    }
    function dropSecretSource(source) {
        const next = {};
        for (const k in secretSources)
            if (secretSources[k] !== source)
                next[k] = secretSources[k];
        secretSources = next;
        secretsChanged();
    }
    function setActionSecretSource(key, source) {
        const next = {};
        for (const k in actionSecretSources)
            next[k] = actionSecretSources[k];
        next[key] = source;
        actionSecretSources = next;
        secretsChanged();
    }
    function dropActionSecretSource(source) {
        const next = {};
        for (const k in actionSecretSources)
            if (actionSecretSources[k] !== source)
                next[k] = actionSecretSources[k];
        actionSecretSources = next;
        secretsChanged();
    }
    function setPopupView(value) {
        acted("setPopupView:" + value);
        configuration.popupView = value;
    }
    // Moves the keyboard focus ("up", "down", "home", "end", "pageUp",
    // "pageDown") over the one list or, with several connections, over every
    // section; returns where it went (focusTarget's fields).
    function moveFocus(key, page) {
        focusTarget = Proxmon.movePopupFocus(popupLists(), focusKey, key, page);
        return focusTarget;
    }
    function locateFocus() {
        return Proxmon.locatePopupFocus(popupLists(), focusKey);
    }
    function popupLists() {
        return {
            "several": several,
            "view": view,
            "connections": multiView ? multiView.connections : [],
            "collapsed": Array.prototype.slice.call(collapsedConnections)
        };
    }
    // Enter ("enter") or Space ("space") on the focused item: a section's
    // header opens or closes it, a node card opens or closes, a guest row
    // asks for its menu (in its connection's façade with several). Returns
    // whether the key did something.
    function activateFocused(pressed) {
        const target = locateFocus();
        const action = Proxmon.focusAction(target.kind, pressed || "enter");
        if (action === "")
            return false;
        if (action === "toggleConnection")
            toggleConnection(target.connectionKey);
        else if (several)
            focusActivated(target.connectionKey, action, target.rowKey);
        else
            activate(action, target.rowKey);
        return true;
    }
    function activate(action, rowKey) {
        if (action === "toggleNode")
            toggleNode(rowKey);
        else if (action === "guestMenu") {
            acted("openGuestMenu:" + rowKey);
            guestMenuRequested(rowKey);
        }
    }
    Connections {
        target: app.parentApp
        enabled: app.isChild
        function onFocusActivated(connectionKey, action, rowKey) {
            if (connectionKey === app.connectionKey)
                app.activate(action, rowKey);
        }
    }
    // The focused item may have moved or gone with a refresh, a filter or a
    // closed section (with one connection the popup does this when its rows arrive).
    function relocateFocus() {
        if (focusKey !== "")
            focusTarget = locateFocus();
    }
    onCollapsedConnectionsChanged: if (several)
        relocateFocus()
    // History (issue 12): what is on screen, and the rows and texts the charts draw.
    function showNodeHistory(rowKey, shown) {
        if (session)
            session.showNodeHistory(rowKey, shown);
    }
    function toggleGuestDetail(rowKey) {
        acted("toggleGuestDetail:" + rowKey);
        session.toggleGuestDetail(rowKey);
    }
    function setHistoryTimeframe(value) {
        acted("setHistoryTimeframe:" + value);
        session.setHistoryTimeframe(value);
    }
    function historyRows(rowKey) {
        return session ? session.historyRows(rowKey) : [];
    }
    function historyHover(rowKey, index, metric) {
        return session ? session.historyHover(rowKey, index, metric) : "";
    }
    function historyTops(rowKey) {
        return session ? session.historyTops(rowKey) : null;
    }
    function setHovered(on) {
        if (multi)
            multi.setHovered(on);
    }
    function setDeveloperMode(on) {
        acted("setDeveloperMode:" + on);
        configuration.developerMode = on;
    }
    function startDemo() {
        acted("startDemo");
        configuration.demoMode = true;
    }
    function stopDemo() {
        acted("stopDemo");
        configuration.demoMode = false;
    }
    function openSettings() {
        acted("openSettings");
        settingsRequested();
    }
    function sendTestNotification() {
        acted("sendTestNotification");
        if (notify)
            notify({
                    "kind": "single",
                    "urgency": "normal",
                    "title": i18n("ProxMon test notification"),
                    "body": i18n("Notifications from ProxMon work."),
                    "guests": []
                });
    }
    // Power actions: the session decides, these forward (GuestActions.qml).
    function actionMenu(key) {
        return session ? session.actionMenu(key) : [];
    }
    function chooseAction(key, id) {
        acted("chooseAction:" + key + ":" + id);
        const url = session.chooseAction(key, id);
        if (url !== "")
            Qt.openUrlExternally(url);
    }
    function confirmAction(key) {
        acted("confirmAction:" + key);
        session.confirmAction(key);
    }
    function cancelAction(key) {
        acted("cancelAction:" + key);
        session.cancelAction(key);
    }
    // Backups (issue 13): chips per guest and node, and the snooze menu.
    function guestChips(vmid) {
        return backups.guestChips[String(vmid)] || [];
    }
    // A node row's key ("node/<name>", a stand-in in developer mode) → the real name.
    function realNode(rowKey) {
        return (session ? session.nodeKeyForSetting(rowKey) : rowKey).slice(5);
    }
    function nodeChips(rowKey) {
        return backups.nodeChips[realNode(rowKey)] || [];
    }
    function snoozeMenu(kind, id) {
        return session ? session.snoozeMenu(kind, kind === "node" ? realNode(id) : id) : [];
    }
    function snooze(kind, id, action) {
        const target = kind === "node" ? realNode(id) : id;
        acted("snooze:" + kind + ":" + target + ":" + action);
        configuration.snoozes = session.snooze(kind, target, action);
    }
    function openSnoozeMenu(parentItem, kind, id) {
        const menu = snoozeMenuComponent.createObject(parentItem, {
                "app": app,
                "kind": kind,
                "targetId": id
            });
        if (menu)
            menu.popup();
    }
    onActed: action => log("debug", "user: " + action)

    // ------------------------------------------------ what the core needs
    function log(level, message) {
        // The core never puts the secret into messages; nothing here adds it.
        if (level === "debug" && configuration.developerMode !== true)
            return;
        const line = "proxmon: " + message;
        if (level === "warn" || level === "error")
            console.warn(line);
        else
            console.log(line);
    }

    function createSession() {
        return Proxmon.createMultiSession({
                "scheduler": timerScheduler.asDependency(),
                "createRequest": xhrShim.createRequest,
                "send": xhrShim.send,
                "loadNative": function () {
                    return nativeLoader.load(app) ? nativeLoader.asModule() : null;
                },
                "plasma": edition.plasma,
                "loadDemo": function () {
                    return demoLoader.load(app);
                },
                "notify": function (n) {
                    if (app.notify)
                        app.notify(n);
                },
                "log": app.log,
                "saveSnoozes": function (list) {
                    configuration.snoozes = list;
                },
                "tr": translator.tr,
                "trc": translator.trc
            });
    }

    // A view of the multi-session: the primary session's view as today,
    // and with several connections the sections' list (synced by key).
    function showMulti(mv) {
        const wasSeveral = several;
        multiView = mv;
        const s = multi.sessionFor("");
        if (s !== session)
            session = s;
        view = mv.primary;
        if (mv.primary.backups !== backups)
            backups = mv.primary.backups;
        const rows = mv.single ? [] : mv.connections.map(function (c) {
                return {
                    "key": c.key,
                    "name": c.name
                };
            });
        applyOps(connectionModel, Proxmon.syncOps(connectionRows, rows));
        connectionRows = rows;
        // Back to one connection: its rows at once, not at its next refresh.
        if (wasSeveral && mv.single)
            applyRows(mv.primary);
        if (several || wasSeveral)
            relocateFocus();
    }
    property var connectionRows: []
    property bool alive: true

    function attachChild() {
        session = parentApp.multi.sessionFor(connectionKey);
        if (!session)
            return;
        view = session.view();
        backups = view.backups;
        session.onView(function (v) {
                if (!app.alive)
                    return;
                app.view = v;
                if (v.backups !== app.backups)
                    app.backups = v.backups;
            });
        session.onRows(function (v) {
                if (app.alive)
                    app.applyRows(v);
            });
        session.onHistory(function (u) {
                if (app.alive)
                    app.historyUpdated(u);
            });
        applyRows(view);
    }

    Component.onCompleted: {
        if (isChild) {
            attachChild();
            return;
        }
        multi = createSession();
        multi.onView(app.showMulti);
        multi.onRows(function (key, v) {
                const mv = app.multi.view();
                if (mv.single && key === mv.primaryKey)
                    app.applyRows(v);
            });
        multi.onHistory(function (key, u) {
                const mv = app.multi.view();
                if (mv.single && key === mv.primaryKey)
                    app.historyUpdated(u);
            });
        multi.setPopupOpen(popupOpen);
        showMulti(multi.view());
        update();
    }
    Component.onDestruction: {
        alive = false;
        if (multi)
            multi.dispose();
    }

    ListModel {
        id: nodeModel
    }

    ListModel {
        id: connectionModel
    }

    Component {
        id: snoozeMenuComponent
        SnoozeMenu {
        }
    }

    NativeLoader {
        id: nativeLoader
    }

    // Which Plasma this package is for: the install advice names its Qt packages.
    Edition {
        id: edition
    }

    XhrShim {
        id: xhrShim
    }

    Translator {
        id: translator
    }

    DemoLoader {
        id: demoLoader
        log: app.log
    }

    TimerScheduler {
        id: timerScheduler
        errorHandler: function (err) {
            app.log("warn", "scheduled callback failed: " + err);
        }
    }
}
