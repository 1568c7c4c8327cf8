import QtQuick
import org.kde.plasma.workspace.dbus as DBus

// The only file that imports the D-Bus module. Plasma 6.0/6.1 do not have it
// and a QML file with a missing import does not load at all; Keyring.qml
// creates this file on demand so that only the keyring fails there, not the
// whole widget.
// Implements the WalletBus the TypeScript secret store expects:
// call(member, [{type, value}], done(error, value)). Typed D-Bus values can
// only be made in QML, which is why this part is not in the bundle.
QtObject {
    id: shim

    property string service: "org.kde.kwalletd6"
    property string path: "/modules/kwalletd6"
    property string iface: "org.kde.KWallet"

    function typed(arg) {
        switch (arg.type) {
        case "s":
            return new DBus.string(String(arg.value));
        case "x":
            return new DBus.int64(Number(arg.value));
        case "i":
            return new DBus.int32(Number(arg.value));
        case "b":
            return new DBus.bool(arg.value === true);
        default:
            throw new Error("unsupported D-Bus argument type " + arg.type);
        }
    }

    // Replies arrive as typed values (DBus.int32, DBus.string, …) with the
    // JavaScript value in `.value`; the store wants plain values.
    function plain(value) {
        if (value !== null && typeof value === "object" && !Array.isArray(value) && value.value !== undefined)
            return plain(value.value);
        return value;
    }

    function call(member, args, done) {
        const values = [];
        let signature = "";
        for (let k = 0; k < args.length; k++) {
            values.push(typed(args[k]));
            signature += args[k].type;
        }
        // An explicit signature: without one the module introspects the
        // service first, and KWallet's close/isOpen are overloaded.
        const reply = DBus.SessionBus.asyncCall({
                "service": shim.service,
                "path": shim.path,
                "iface": shim.iface,
                "member": member,
                "arguments": values,
                "signature": "(" + signature + ")"
            });
        let settled = false;
        const finish = function () {
            if (settled)
                return;
            settled = true;
            const failed = reply.isError;
            const error = failed ? (reply.error.name || "org.freedesktop.DBus.Error.Failed") + ": " + (reply.error.message || "") : null;
            const value = failed ? null : plain(reply.value);
            // The module leaves the reply to us; a secret in its value must
            // not outlive this call.
            reply.destroy();
            done(error, value);
        };
        if (reply.isFinished)
            finish();
        else
            reply.finished.connect(finish);
    }
}
