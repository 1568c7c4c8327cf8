import QtQuick
import "../code/proxmon.mjs" as Proxmon

// The token secret in KDE Wallet, for the widget and for its settings dialog
// (each runs in its own QML engine and has its own Keyring). The logic lives
// in the bundle's secret store; this file only supplies the D-Bus shim.
QtObject {
    id: keyring

    // The file with the D-Bus import; a test points it at a broken one to
    // play Plasma 6.0/6.1.
    property url busSource: Qt.resolvedUrl("KeyringDBus.qml")
    // log(level, message) like main.qml's; never given the secret.
    property var log: null

    // "" until first used, then "ok" or "unsupported".
    property string busStatus: ""
    property var bus: null
    property var store: null

    function ensure() {
        if (busStatus !== "")
            return busStatus === "ok";
        const component = Qt.createComponent(busSource);
        if (component.status === Component.Ready)
            bus = component.createObject(keyring);
        if (!bus) {
            busStatus = "unsupported";
            if (log)
                // Without the file:// location, which test logs treat as a QML error of the package.
                log("warn", "keyring: the D-Bus QML module is missing: " + component.errorString().replace(/file:\/\/\S+?:\d+(:\d+)?:?\s*/g, "").trim());
            return false;
        }
        busStatus = "ok";
        store = Proxmon.createSecretStore({
                "bus": bus,
                "log": function (level, message) {
                    if (keyring.log)
                        keyring.log(level, "keyring: " + message);
                }
            });
        return true;
    }

    function unsupported(done) {
        done({
                "ok": false,
                "error": {
                    "kind": edition.keyringUnsupportedKind,
                    "message": "org.kde.plasma.workspace.dbus is missing"
                }
            });
    }

    // account: {host, port, tokenId}; done({ok, value} | {ok: false, error: {kind, message}}).
    function read(account, done) {
        if (!ensure())
            return unsupported(done);
        store.read(account, done);
    }

    function write(account, secret, done) {
        if (!ensure())
            return unsupported(done);
        store.write(account, secret, done);
    }

    // done({ok, value: bool}): whether the wallet is unlocked, asked without a prompt.
    function isOpen(done) {
        if (!ensure())
            return unsupported(done);
        store.isOpen(done);
    }

    function remove(account, done) {
        if (!ensure())
            return unsupported(done);
        store.remove(account, done);
    }

    // What to tell the user about a failed keyring operation (the texts are
    // the core's, src/keyring/messages.ts).
    function messageFor(error) {
        return Proxmon.keyringErrorMessage(error, translator.tr);
    }

    property Translator translator: Translator {
    }

    readonly property Edition edition: Edition {
    }
}
