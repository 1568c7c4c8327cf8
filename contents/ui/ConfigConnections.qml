import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM
import org.kde.plasma.plasmoid
import "../code/settings.mjs" as Settings

// Settings → Connections (issue 11): every Proxmox installation the widget
// watches, each with its addresses in failover order, token ID, trust and
// its own secret in KDE Wallet (with power actions on a separate token,
// also its own actions token ID and secret). The list and its checks come
// from src/connections/page.ts; this page draws them and calls it. Typed
// secrets live only in `secrets` and `actionSecrets` (one per connection,
// never a cfg_ value) and go to KDE Wallet on Apply, keyed as the widget
// reads them.
KCM.SimpleKCM {
    id: page

    // Enables Apply when only a secret was typed.
    signal configurationChanged

    property string cfg_connections: ""
    // The first connection, written beside the list so the old keys stay readable.
    property string cfg_proxmoxHost: ""
    property int cfg_proxmoxPort: 8006
    property string cfg_apiTokenId: ""
    property string cfg_tlsMode: "system"
    property string cfg_tlsFingerprint: ""
    property string cfg_tlsCaPem: ""
    property bool cfg_ignoreSsl: false
    // The first connection's actions token ID (Settings → Actions edits the same key).
    property string cfg_actionsTokenId: ""
    property bool cfg_demoMode: false
    // Settings → Actions' mode: with "separate" each connection shows its actions token.
    property string actionsMode: Plasmoid.configuration.actionsMode || "off"
    readonly property var pageOptions: ({
            "actionsMode": actionsMode
        })

    // The connections as typed (ConnectionDraft[]) and a typed secret per connection.
    property var drafts: []
    property var secrets: []
    property var actionSecrets: []
    property var storedProblems: []
    property int selected: -1
    property bool caKeyRefused: false
    readonly property var pageView: Settings.pageState(drafts, translator.tr, pageOptions)
    readonly property var current: selected >= 0 && selected < drafts.length ? drafts[selected] : null
    readonly property var currentCheck: current ? pageView.checks[selected] : null
    readonly property var addresses: current ? Settings.addressRows(current) : []
    readonly property var account: current ? Settings.draftAccount(current) : null
    readonly property var actionsAccount: current && pageView.actionsSeparate ? Settings.draftActionsAccount(current) : null
    readonly property bool nativeAvailable: nativeLoader.available
    readonly property var caProblem: current && current.tlsMode === "ca" ? Settings.checkCaPem(current.tlsCaPem) : null
    readonly property var advice: Settings.certificateAdvice({
            "mode": current ? current.tlsMode : "system",
            "nativeAvailable": nativeAvailable,
            "caProblem": caProblem,
            "plasma": edition.plasma
        }, translator.tr)

    // Every change of the list: the cfg_ values follow while it is complete.
    function setDrafts(next, nextSecrets, nextActionSecrets) {
        drafts = next;
        if (nextSecrets !== undefined)
            secrets = nextSecrets;
        if (nextActionSecrets !== undefined)
            actionSecrets = nextActionSecrets;
        const s = Settings.pageState(next, translator.tr, pageOptions);
        if (!s.valid)
            return;
        cfg_connections = s.connectionsText;
        if (s.legacy) {
            cfg_proxmoxHost = s.legacy.proxmoxHost;
            cfg_proxmoxPort = s.legacy.proxmoxPort;
            cfg_apiTokenId = s.legacy.apiTokenId;
            cfg_tlsMode = s.legacy.tlsMode;
            cfg_tlsFingerprint = s.legacy.tlsFingerprint;
            cfg_tlsCaPem = s.legacy.tlsCaPem;
            cfg_ignoreSsl = s.legacy.ignoreSsl;
            cfg_actionsTokenId = s.legacy.actionsTokenId;
        }
    }
    function edit(field, value) {
        if (!current)
            return;
        setDrafts(Settings.replaceAt(drafts, selected, Settings.withField(current, field, value)));
    }
    function setPin(entry, value) {
        if (current)
            setDrafts(Settings.replaceAt(drafts, selected, Settings.withPin(current, entry, value)));
    }
    function addConnection() {
        setDrafts(drafts.concat([Settings.newDraft(drafts, translator.tr)]), secrets.concat([""]), actionSecrets.concat([""]));
        selected = drafts.length - 1;
    }
    function removeAt(index) {
        setDrafts(Settings.removeConnection(drafts, index), Settings.removeConnection(secrets, index), Settings.removeConnection(actionSecrets, index));
        selected = Math.min(selected, drafts.length - 1);
    }
    function move(from, to) {
        if (to < 0 || to >= drafts.length)
            return;
        setDrafts(Settings.moveConnection(drafts, from, to), Settings.moveConnection(secrets, from, to), Settings.moveConnection(actionSecrets, from, to));
        selected = to;
    }
    function setSecret(value) {
        secrets = Settings.replaceAt(secrets, selected, value);
        configurationChanged();
    }
    function setActionSecret(value) {
        actionSecrets = Settings.replaceAt(actionSecrets, selected, value);
        configurationChanged();
    }
    function addAddress(entry) {
        if (current)
            setDrafts(Settings.replaceAt(drafts, selected, Settings.withAddress(current, entry)));
    }

    // ------------------------------------------------------------ KDE Wallet
    // What the wallet holds for the selected connection: "", "checking", "stored", "absent", "saving", "error".
    property string keyringState: ""
    property string keyringError: ""
    readonly property var keyringTexts: Settings.keyringTexts(keyringState, translator.tr)
    function checkKeyring() {
        if (!account) {
            keyringState = "";
            return;
        }
        const wanted = JSON.stringify(account);
        keyringState = "checking";
        keyring.read(account, function (result) {
                if (JSON.stringify(page.account) !== wanted)
                    return;
                if (result.ok)
                    page.keyringState = result.value !== null ? "stored" : "absent";
                else {
                    page.keyringState = "error";
                    page.keyringError = keyring.messageFor(result.error);
                }
            });
    }
    onAccountChanged: checkTimer.restart()
    onActionsAccountChanged: checkTimer.restart()
    // What the wallet holds for the selected connection's actions token (same states).
    property string actionsKeyringState: ""
    property string actionsKeyringError: ""
    readonly property var actionsKeyringTexts: Settings.keyringTexts(actionsKeyringState, translator.tr)
    function checkActionsKeyring() {
        if (!actionsAccount) {
            actionsKeyringState = "";
            return;
        }
        const wanted = JSON.stringify(actionsAccount);
        actionsKeyringState = "checking";
        keyring.read(actionsAccount, function (result) {
                if (JSON.stringify(page.actionsAccount) !== wanted)
                    return;
                if (result.ok)
                    page.actionsKeyringState = result.value !== null ? "stored" : "absent";
                else {
                    page.actionsKeyringState = "error";
                    page.actionsKeyringError = keyring.messageFor(result.error);
                }
            });
    }
    Timer {
        id: checkTimer
        interval: 700
        onTriggered: {
            page.checkKeyring();
            page.checkActionsKeyring();
        }
    }
    function bumpRevision() {
        const config = Plasmoid.configuration;
        config.secretRevision = (config.secretRevision || 0) + 1;
        if (typeof config.writeConfig === "function")
            config.writeConfig();
    }
    // Called by Plasma's applet config dialog on Apply / OK: each typed
    // secret into its connection's wallet entry; the fields are emptied.
    function saveConfig() {
        for (let i = 0; i < drafts.length; i++) {
            const secret = secrets[i] || "";
            const where = Settings.draftAccount(drafts[i]);
            if (secret === "" || !where)
                continue;
            keyring.write(where, secret, function (result) {
                    if (result.ok) {
                        page.secrets = Settings.replaceAt(page.secrets, page.secrets.indexOf(secret), "");
                        page.bumpRevision();
                        page.checkKeyring();
                    } else {
                        page.keyringState = "error";
                        page.keyringError = keyring.messageFor(result.error);
                    }
                });
        }
        // Each actions token secret into its own entry (actions token ID @ first address : port).
        for (let j = 0; j < drafts.length; j++) {
            const actionSecret = actionSecrets[j] || "";
            const actionsWhere = pageView.actionsSeparate ? Settings.draftActionsAccount(drafts[j]) : null;
            if (actionSecret === "" || !actionsWhere)
                continue;
            keyring.write(actionsWhere, actionSecret, function (result) {
                    if (result.ok) {
                        page.actionSecrets = Settings.replaceAt(page.actionSecrets, page.actionSecrets.indexOf(actionSecret), "");
                        page.bumpRevision();
                        page.checkActionsKeyring();
                    } else {
                        page.actionsKeyringState = "error";
                        page.actionsKeyringError = keyring.messageFor(result.error);
                    }
                });
        }
    }

    // --------------------------------------------- Test connection, per address
    property var testResult: Settings.blankConnectionTestState()
    property string testEntry: ""
    readonly property var candidates: current && testResult.status === "ok" ? Settings.candidateRows(current, testResult.clusterStatus, translator.tr) : []
    property var connectionTest: null
    function runTest(row) {
        if (!current)
            return;
        testEntry = row.entry;
        connectionTest.run({
                "host": row.host,
                "port": row.port,
                "tokenId": current.tokenId,
                "secret": secrets[selected] || "",
                "secretStored": keyringState === "stored",
                "tls": {
                    "tlsMode": current.tlsMode,
                    "tlsFingerprint": row.pin,
                    "tlsCaPem": current.tlsCaPem,
                    "ignoreSsl": current.tlsMode === "insecure"
                }
            });
    }
    function trustCertificate() {
        const fingerprint = connectionTest.trust();
        if (fingerprint !== "" && current)
            setDrafts(Settings.replaceAt(drafts, selected, Settings.trustAddress(current, testEntry, fingerprint)));
    }
    onSelectedChanged: {
        testEntry = "";
        if (connectionTest)
            connectionTest.trust();
        testResult = Settings.blankConnectionTestState();
    }

    Component.onCompleted: {
        nativeLoader.load(page);
        const loaded = Settings.draftsFromSettings({
                "connections": cfg_connections,
                "proxmoxHost": cfg_proxmoxHost,
                "proxmoxPort": cfg_proxmoxPort,
                "apiTokenId": cfg_apiTokenId,
                "tlsMode": cfg_tlsMode,
                "tlsFingerprint": cfg_tlsFingerprint,
                "tlsCaPem": cfg_tlsCaPem,
                "ignoreSsl": cfg_ignoreSsl,
                "actionsTokenId": cfg_actionsTokenId
            }, translator.tr);
        storedProblems = loaded.problems;
        drafts = loaded.drafts;
        secrets = loaded.drafts.map(function () {
                return "";
            });
        actionSecrets = loaded.drafts.map(function () {
                return "";
            });
        selected = drafts.length > 0 ? 0 : -1;
        connectionTest = Settings.createConnectionTest({
                "scheduler": timerScheduler.asDependency(),
                "createRequest": xhrShim.createRequest,
                "send": xhrShim.send,
                "loadNative": function () {
                    return nativeLoader.asModule();
                },
                "plasma": edition.plasma,
                "readStoredSecret": function (done) {
                    keyring.read(page.account, function (result) {
                            done(result.ok ? result.value : null, result.ok ? "" : keyring.messageFor(result.error));
                        });
                },
                "tr": translator.tr,
                "trc": translator.trc
            });
        connectionTest.onChange(function (s) {
                page.testResult = s;
            });
    }
    Component.onDestruction: {
        if (connectionTest)
            connectionTest.dispose();
    }

    TimerScheduler {
        id: timerScheduler
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
    Keyring {
        id: keyring
    }

    ColumnLayout {
        spacing: Kirigami.Units.largeSpacing

        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.cfg_demoMode
            type: Kirigami.MessageType.Information
            text: i18n("The demo cluster is on (Settings → Connection): these connections are watched once it is off.")
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.storedProblems.length > 0
            type: Kirigami.MessageType.Warning
            text: page.storedProblems.join("\n")
        }
        QQC2.Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: i18n("Each connection is one Proxmox installation: a cluster or a standalone node. List several addresses of the same cluster to fail over when a node is down.")
        }

        // ------------------------------------------------------- the list
        ColumnLayout {
            objectName: "connectionRows"
            Layout.fillWidth: true
            spacing: 0

            Repeater {
                model: page.pageView.rows
                delegate: QQC2.ItemDelegate {
                    id: row
                    required property var modelData
                    required property int index
                    objectName: "connectionRow:" + index
                    Layout.fillWidth: true
                    highlighted: index === page.selected
                    onClicked: page.selected = index
                    contentItem: RowLayout {
                        spacing: Kirigami.Units.smallSpacing
                        Kirigami.Icon {
                            source: row.modelData.hasProblem ? "dialog-warning" : "network-server"
                            Layout.preferredWidth: Kirigami.Units.iconSizes.smallMedium
                            Layout.preferredHeight: Kirigami.Units.iconSizes.smallMedium
                        }
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 0
                            QQC2.Label {
                                Layout.fillWidth: true
                                text: row.modelData.name
                                font.bold: true
                                elide: Text.ElideRight
                            }
                            QQC2.Label {
                                Layout.fillWidth: true
                                text: row.modelData.subtitle
                                opacity: 0.7
                                elide: Text.ElideRight
                            }
                        }
                        QQC2.Switch {
                            checked: row.modelData.enabled
                            onToggled: {
                                page.selected = row.index;
                                page.edit("enabled", checked);
                            }
                            QQC2.ToolTip.text: i18n("Watch this connection")
                            QQC2.ToolTip.visible: hovered
                        }
                        QQC2.ToolButton {
                            icon.name: "go-up"
                            enabled: row.index > 0
                            display: QQC2.AbstractButton.IconOnly
                            text: i18n("Move up")
                            onClicked: page.move(row.index, row.index - 1)
                            QQC2.ToolTip.text: text
                            QQC2.ToolTip.visible: hovered
                        }
                        QQC2.ToolButton {
                            icon.name: "go-down"
                            enabled: row.index < page.drafts.length - 1
                            display: QQC2.AbstractButton.IconOnly
                            text: i18n("Move down")
                            onClicked: page.move(row.index, row.index + 1)
                            QQC2.ToolTip.text: text
                            QQC2.ToolTip.visible: hovered
                        }
                        QQC2.ToolButton {
                            icon.name: "list-remove"
                            display: QQC2.AbstractButton.IconOnly
                            text: i18n("Remove")
                            onClicked: page.removeAt(row.index)
                            QQC2.ToolTip.text: text
                            QQC2.ToolTip.visible: hovered
                        }
                    }
                }
            }
        }
        RowLayout {
            QQC2.Button {
                objectName: "addConnection"
                text: i18n("Add connection")
                icon.name: "list-add"
                onClicked: page.addConnection()
            }
        }
        Kirigami.InlineMessage {
            objectName: "pageSummary"
            Layout.fillWidth: true
            visible: text !== ""
            type: Kirigami.MessageType.Error
            text: page.pageView.summary
        }

        // ------------------------------------------- the selected connection
        Kirigami.FormLayout {
            Layout.fillWidth: true
            visible: page.current !== null

            Kirigami.Separator {
                Kirigami.FormData.isSection: true
                Kirigami.FormData.label: i18n("Connection")
            }
            QQC2.TextField {
                objectName: "nameField"
                Kirigami.FormData.label: i18n("Name:")
                text: page.current ? page.current.name : ""
                onTextEdited: page.edit("name", text)
            }
            QQC2.TextArea {
                objectName: "hostsField"
                Kirigami.FormData.label: i18n("Addresses:")
                Layout.preferredWidth: Kirigami.Units.gridUnit * 18
                text: page.current ? page.current.hostsText : ""
                placeholderText: i18n("pve1.lan\npve2.lan:8006\n10.0.0.13")
                onTextChanged: if (page.current && text !== page.current.hostsText)
                    page.edit("hostsText", text)
            }
            QQC2.Label {
                Layout.fillWidth: true
                Layout.maximumWidth: Kirigami.Units.gridUnit * 24
                wrapMode: Text.WordWrap
                opacity: 0.7
                text: i18n("One address per line, in failover order: host or host:port (port 8006 when none is given). Every address must belong to the same cluster.")
            }
            QQC2.TextField {
                objectName: "tokenField"
                Kirigami.FormData.label: i18n("API token ID:")
                placeholderText: i18n("monitor@pve!proxmon")
                text: page.current ? page.current.tokenId : ""
                onTextEdited: page.edit("tokenId", text)
            }
            Kirigami.PasswordField {
                objectName: "secretField"
                Kirigami.FormData.label: i18n("Token secret:")
                placeholderText: page.keyringTexts.placeholder
                text: page.selected >= 0 ? (page.secrets[page.selected] || "") : ""
                onTextEdited: page.setSecret(text)
            }
            QQC2.Label {
                Layout.fillWidth: true
                visible: text !== ""
                wrapMode: Text.WordWrap
                text: page.keyringState === "error" ? page.keyringError : page.keyringTexts.status
            }
            // Power actions with a separate token (Settings → Actions): this connection's own.
            QQC2.TextField {
                objectName: "actionsTokenField"
                visible: page.pageView.actionsSeparate
                Kirigami.FormData.label: i18n("Actions token ID:")
                placeholderText: i18n("user@realm!tokenname")
                text: page.current ? (page.current.actionsTokenId || "") : ""
                onTextEdited: page.edit("actionsTokenId", text)
            }
            Kirigami.PasswordField {
                objectName: "actionsSecretField"
                visible: page.pageView.actionsSeparate
                Kirigami.FormData.label: i18n("Actions token secret:")
                placeholderText: page.actionsKeyringTexts.placeholder
                text: page.selected >= 0 ? (page.actionSecrets[page.selected] || "") : ""
                onTextEdited: page.setActionSecret(text)
            }
            QQC2.Label {
                Layout.fillWidth: true
                visible: page.pageView.actionsSeparate && text !== ""
                wrapMode: Text.WordWrap
                text: page.actionsKeyringState === "error" ? page.actionsKeyringError : page.actionsKeyringTexts.status
            }
            QQC2.Label {
                Layout.fillWidth: true
                Layout.maximumWidth: Kirigami.Units.gridUnit * 24
                visible: page.pageView.actionsSeparate
                wrapMode: Text.WordWrap
                opacity: 0.7
                text: i18n("Power actions on this connection's guests sign with this token (VM.PowerMgmt on /vms/ID, /vms or the guest's pool); its secret goes to KDE Wallet on Apply. Without them, the guests' action menus say what to set up.")
            }
            QQC2.ComboBox {
                objectName: "trustBox"
                Kirigami.FormData.label: i18n("Trust:")
                textRole: "text"
                valueRole: "value"
                model: [{
                        "value": "system",
                        "text": i18n("System certificate store")
                    }, {
                        "value": "pin",
                        "text": i18n("Pinned fingerprint per address")
                    }, {
                        "value": "ca",
                        "text": i18n("Proxmox cluster CA")
                    }, {
                        "value": "insecure",
                        "text": i18n("Ignore certificate errors (insecure)")
                    }]
                currentIndex: Math.max(0, indexOfValue(page.current ? page.current.tlsMode : "system"))
                onActivated: page.edit("tlsMode", currentValue)
            }
            QQC2.TextArea {
                id: caArea
                Kirigami.FormData.label: i18n("Cluster CA:")
                Layout.preferredWidth: Kirigami.Units.gridUnit * 18
                visible: page.current !== null && page.current.tlsMode === "ca"
                font.family: "monospace"
                wrapMode: TextEdit.WrapAnywhere
                placeholderText: i18nc("placeholder for a pasted PEM certificate", "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----")
                text: page.current ? page.current.tlsCaPem : ""
                // A private key is never kept, not even in the draft or on screen.
                onTextChanged: {
                    if (!page.current || text === page.current.tlsCaPem)
                        return;
                    if (Settings.checkCaPem(text) === "private-key") {
                        page.caKeyRefused = true;
                        text = "";
                        text = Qt.binding(function () {
                                return page.current ? page.current.tlsCaPem : "";
                            });
                        return;
                    }
                    page.caKeyRefused = false;
                    page.edit("tlsCaPem", text);
                }
            }
            Kirigami.InlineMessage {
                Layout.fillWidth: true
                visible: page.caKeyRefused && caArea.visible
                type: Kirigami.MessageType.Error
                text: i18n("That was a PRIVATE KEY. It has been removed and was not saved: a private key must never leave the Proxmox node, and anyone holding it can pose as your cluster. Paste only the certificate, /etc/pve/pve-root-ca.pem. If the key was shared anywhere else, consider it compromised.")
            }
            Kirigami.InlineMessage {
                Layout.fillWidth: true
                visible: text !== ""
                type: page.advice.caProblemIsHint ? Kirigami.MessageType.Information : Kirigami.MessageType.Error
                text: page.current !== null && page.current.tlsMode === "ca" ? page.advice.caProblemText : ""
            }
            Kirigami.InlineMessage {
                Layout.fillWidth: true
                visible: text !== ""
                type: Kirigami.MessageType.Warning
                text: page.advice.warning
            }

            Kirigami.Separator {
                Kirigami.FormData.isSection: true
                Kirigami.FormData.label: i18n("Addresses")
            }
            Repeater {
                model: page.addresses
                delegate: RowLayout {
                    id: addressRow
                    required property var modelData
                    Kirigami.FormData.label: modelData.label
                    QQC2.TextField {
                        visible: page.current !== null && page.current.tlsMode === "pin"
                        Layout.preferredWidth: Kirigami.Units.gridUnit * 14
                        font.family: "monospace"
                        placeholderText: i18nc("placeholder for a SHA-256 fingerprint", "AB:CD:…")
                        text: addressRow.modelData.pin
                        onTextEdited: page.setPin(addressRow.modelData.entry, text)
                    }
                    QQC2.Button {
                        text: i18n("Test connection")
                        icon.name: "network-connect"
                        enabled: page.testResult.status !== "running"
                        onClicked: page.runTest(addressRow.modelData)
                    }
                }
            }
            QQC2.BusyIndicator {
                visible: page.testResult.status === "running"
                running: visible
            }
            Kirigami.InlineMessage {
                objectName: "testResult"
                Layout.fillWidth: true
                visible: page.testResult.status === "ok" || page.testResult.status === "error"
                type: page.testResult.status === "ok" ? Kirigami.MessageType.Positive : Kirigami.MessageType.Error
                text: page.testEntry !== "" ? i18n("%1: %2", page.testEntry, page.testResult.text) : page.testResult.text
            }
            ColumnLayout {
                Layout.fillWidth: true
                visible: page.testResult.certificate !== null
                Kirigami.FormData.label: i18n("Certificate:")
                QQC2.Label {
                    Layout.fillWidth: true
                    visible: text !== ""
                    wrapMode: Text.WrapAnywhere
                    font.family: "monospace"
                    text: page.testResult.pinnedLine
                }
                QQC2.Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WrapAnywhere
                    font.family: "monospace"
                    text: page.testResult.fingerprintLine
                }
                QQC2.Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: page.testResult.detailsText
                }
                QQC2.Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    visible: text !== ""
                    text: page.testResult.nodeCheckText
                }
                QQC2.Button {
                    text: i18n("Trust this certificate for %1", page.testEntry)
                    icon.name: "security-high"
                    onClicked: page.trustCertificate()
                }
            }
            Kirigami.InlineMessage {
                Layout.fillWidth: true
                visible: page.testResult.needsWayOut
                type: Kirigami.MessageType.Information
                text: page.testResult.wayOutText
            }
            ColumnLayout {
                objectName: "failoverCandidates"
                Layout.fillWidth: true
                visible: page.candidates.length > 0
                Kirigami.FormData.label: i18n("Other nodes:")
                Repeater {
                    model: page.candidates
                    delegate: QQC2.Button {
                        required property var modelData
                        text: modelData.text
                        icon.name: "list-add"
                        onClicked: page.addAddress(modelData.entry)
                    }
                }
            }
            Kirigami.InlineMessage {
                objectName: "draftProblems"
                Layout.fillWidth: true
                visible: text !== ""
                type: Kirigami.MessageType.Warning
                text: page.currentCheck ? page.currentCheck.problems.join("\n") : ""
            }
        }
    }
}
