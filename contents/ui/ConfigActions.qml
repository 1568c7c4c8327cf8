import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM
import org.kde.plasma.plasmoid
import "../code/settings.mjs" as Settings

// Settings → Actions: power actions off (the default: no action UI at all),
// with the monitoring token, or with a separate token whose ID is a setting
// and whose secret goes to KDE Wallet exactly like the monitoring token's
// (ConnectionSecretSection.qml, with this page as its `page`): on Apply or
// "Update Keyring", never into the config file; then secretRevision is
// bumped so the widget reads it again. With several connections these
// fields are the first connection's; the others' actions tokens are on
// their Connections entries (the note says so).
KCM.SimpleKCM {
    id: page

    signal configurationChanged

    property string cfg_actionsMode: "off"
    property alias cfg_actionsTokenId: tokenField.text

    readonly property bool separate: cfg_actionsMode === "separate"
    readonly property var tokenProblem: cfg_actionsTokenId.trim() === "" ? null : Settings.validateTokenId(cfg_actionsTokenId)
    readonly property string host: (Plasmoid.configuration.proxmoxHost || "").trim()
    readonly property int port: Plasmoid.configuration.proxmoxPort || 8006
    readonly property string severalNote: Settings.actionsPageNote({
            "connections": Plasmoid.configuration.connections || "",
            "proxmoxHost": host,
            "proxmoxPort": port,
            "apiTokenId": Plasmoid.configuration.apiTokenId || ""
        }, translator.tr)

    // The interface ConnectionSecretSection.qml expects of its page.
    readonly property bool demoOn: !separate
    property string keyringState: ""
    property string keyringError: ""
    property bool offerDelete: false
    property alias secretInput: secretSection.secret
    readonly property var keyringTexts: Settings.keyringTexts(keyringState, translator.tr)
    readonly property bool accountReady: separate && host !== "" && cfg_actionsTokenId.trim() !== "" && tokenProblem === null

    function account() {
        return {
            "host": host,
            "port": port,
            "tokenId": cfg_actionsTokenId.trim()
        };
    }
    function bumpRevision() {
        const config = Plasmoid.configuration;
        config.secretRevision = (config.secretRevision || 0) + 1;
        if (typeof config.writeConfig === "function")
            config.writeConfig();
    }
    function keyringFailed(result) {
        keyringState = "error";
        keyringError = keyring.messageFor(result.error);
    }
    function checkKeyring() {
        offerDelete = false;
        if (!accountReady) {
            keyringState = "";
            return;
        }
        const wanted = JSON.stringify(account());
        keyringState = "checking";
        keyring.read(account(), function (result) {
                if (JSON.stringify(page.account()) !== wanted)
                    return;
                if (result.ok)
                    page.keyringState = result.value !== null ? "stored" : "absent";
                else
                    page.keyringFailed(result);
            });
    }
    function storeSecret() {
        const secret = secretInput;
        if (secret === "" || !accountReady)
            return;
        keyringState = "saving";
        offerDelete = false;
        keyring.write(account(), secret, function (result) {
                if (result.ok) {
                    if (secretInput === secret)
                        secretInput = "";
                    page.keyringState = "stored";
                    page.bumpRevision();
                } else {
                    page.keyringFailed(result);
                }
            });
    }
    function forget() {
        secretInput = "";
        offerDelete = accountReady && keyringState !== "absent";
    }
    function deleteStored() {
        offerDelete = false;
        if (!accountReady)
            return;
        keyringState = "saving";
        keyring.remove(account(), function (result) {
                if (result.ok) {
                    page.keyringState = "absent";
                    page.bumpRevision();
                } else {
                    page.keyringFailed(result);
                }
            });
    }
    // Called by Plasma's applet config dialog on Apply / OK.
    function saveConfig() {
        storeSecret();
    }

    // The box follows the setting (also when set from outside: Defaults, a test).
    function showMode() {
        modeBox.currentIndex = Math.max(0, modeBox.indexOfValue(cfg_actionsMode));
    }
    onCfg_actionsModeChanged: showMode()
    onAccountReadyChanged: checkTimer.restart()
    onCfg_actionsTokenIdChanged: checkTimer.restart()
    Component.onCompleted: {
        showMode();
        checkTimer.restart();
    }

    Translator {
        id: translator
    }
    Keyring {
        id: keyring
    }
    Timer {
        id: checkTimer
        interval: 700
        onTriggered: page.checkKeyring()
    }

    ColumnLayout {
        Kirigami.FormLayout {
            id: modeForm
            Layout.fillWidth: true
            twinFormLayouts: [secretSection]

            QQC2.ComboBox {
                id: modeBox
                objectName: "actionsModeBox"
                Kirigami.FormData.label: i18n("Power actions:")
                textRole: "text"
                valueRole: "value"
                model: [{
                        "value": "off",
                        "text": i18nc("power actions", "Off")
                    }, {
                        "value": "monitoring",
                        "text": i18nc("power actions", "With the monitoring token")
                    }, {
                        "value": "separate",
                        "text": i18nc("power actions", "With a separate token")
                    }]
                onActivated: page.cfg_actionsMode = currentValue
            }
            QQC2.TextField {
                id: tokenField
                objectName: "actionsTokenField"
                Kirigami.FormData.label: i18n("Actions token ID:")
                enabled: page.separate
                placeholderText: i18n("user@realm!tokenname")
            }
            Kirigami.InlineMessage {
                objectName: "actionsSeveralNote"
                Layout.fillWidth: true
                visible: page.separate && page.severalNote !== ""
                type: Kirigami.MessageType.Information
                text: page.severalNote
            }
            QQC2.Label {
                Layout.fillWidth: true
                visible: page.separate && page.tokenProblem !== null
                wrapMode: Text.WordWrap
                color: Kirigami.Theme.negativeTextColor
                text: page.tokenProblem || ""
            }
            Kirigami.InlineMessage {
                Layout.fillWidth: true
                visible: true
                type: Kirigami.MessageType.Information
                text: i18n("Start, shut down, reboot, stop, reset, pause and resume need only VM.PowerMgmt on the guest's path (/vms/ID, /vms or the guest's pool). A separate token keeps the monitoring token read-only. Every action asks for confirmation in the guest's row.")
            }
        }
        ConnectionSecretSection {
            id: secretSection
            Layout.fillWidth: true
            page: page
            twinFormLayouts: [modeForm]
        }
    }
}
