import QtQml 2.15
// Loads the plugin (a missing folder: this file does not load); the type
// itself comes from the module URI the plugin registers (native/qt5/src/plugin.cpp).
import "../native/org/kde/proxmon/wallet" as WalletFolder

// The Plasma 5 edition's WalletBus for the TypeScript secret store:
// call(member, [{type, value}], done(error, value)), as the Plasma 6 file of
// this name gives it. Plasma 5.27 has no D-Bus QML module, so the calls go
// through ProxMon's native module (native/qt5, Qt 5 Core + DBus + Qml,
// built by install.sh into the package's contents/native). Without it this
// file does not load, and Keyring.qml reports "unsupported-plasma5".
QtObject {
    id: shim

    property string service: "org.kde.kwalletd5"
    property string path: "/modules/kwalletd5"
    property string iface: "org.kde.KWallet"

    property var _callbacks: ({})

    readonly property QtObject bus: Qt.createQmlObject("import org.kde.proxmon.wallet 1.0; WalletBus {}", shim, "WalletBus")

    readonly property Connections _replies: Connections {
        target: shim.bus

        function onFinished(id, error, value) {
            const done = shim._callbacks[id];
            delete shim._callbacks[id];
            if (done)
                done(error === "" ? null : error, value);
        }
    }

    function call(member, args, done) {
        const id = bus.call(shim.service, shim.path, shim.iface, member, args);
        shim._callbacks[id] = done;
    }
}
