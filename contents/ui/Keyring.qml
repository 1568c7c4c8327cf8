import QtQuick
import "../code/proxmon.mjs" as Proxmon

// The token secret in KDE Wallet, for the widget and for its settings dialog
// (each runs in its own QML engine and has its own Keyring). The logic lives
// in the bundle's secret store; this file only supplies the D-Bus shim and
// turns the store's error kinds into sentences for people.
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
                    "kind": "unsupported",
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

    // What to tell the user about a failed keyring operation.
    function messageFor(error) {
        switch (error ? error.kind : "") {
        case "unsupported":
            return i18n("Storing the token secret needs Plasma 6.2 or newer: this Plasma has no D-Bus access for widgets (org.kde.plasma.workspace.dbus). Update Plasma to monitor a server; the demo cluster works without a secret.");
        case "unavailable":
            return i18n("The KDE Wallet service is not running, so the token secret cannot be read. Enable KDE Wallet in System Settings → KDE Wallet, then store the secret again in ProxMon's settings.");
        case "disabled":
            return i18n("KDE Wallet is disabled, so the token secret cannot be read. Enable it in System Settings → KDE Wallet, then store the secret again in ProxMon's settings.");
        case "denied":
            return i18n("Access to KDE Wallet was denied or the wallet stayed locked. Allow ProxMon when the wallet asks, then choose “Try again”.");
        case "locked":
            return i18n("Waiting for KDE Wallet: it is still locked. Unlock it when it asks for its password; ProxMon connects by itself as soon as the wallet is open.");
        default:
            return i18n("KDE Wallet could not be used: %1", error && error.message ? error.message : i18n("unknown error"));
        }
    }
}
