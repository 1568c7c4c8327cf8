import QtQuick
import "../code/proxmon.mjs" as Proxmon

// Where the widget gets the API token secret: KDE Wallet, for the configured
// (host, port, token ID). Read on start, whenever those change, and when the
// settings dialog bumps `revision` after it wrote or deleted the secret (the
// dialog runs in another QML engine; the configuration and the wallet are all
// the two share). The secret is never written to the widget's configuration.
// The bundle's secret source decides when to read and how long to wait for a
// wallet that is still locked; this file only mirrors its view.
// state: "idle" (nothing to read: demo mode or not set up), "reading", "ok",
// "missing" (no entry), "waiting" (the wallet is not open yet; the secret is
// read by itself once it is), "error" (errorKind, errorMessage).
QtObject {
    id: source

    property bool active: true
    property string host: ""
    property int port: 0
    property string tokenId: ""
    property int revision: 0
    property var log: null

    property string state: "idle"
    property string errorKind: ""
    property string errorMessage: ""
    // Kept only while the widget needs it: every refresh signs with it.
    property string secret: ""
    // Changes whenever `secret` does, so the widget reconfigures without
    // comparing or logging secrets.
    property int generation: 0
    readonly property bool testOnly: false

    property var _source: null
    property bool alive: true

    readonly property Keyring keyring: Keyring {
        log: source.log
    }
    readonly property TimerScheduler scheduler: TimerScheduler {
        errorHandler: function (err) {
            if (source.log)
                source.log("warn", "keyring retry failed: " + err);
        }
    }

    function show(view) {
        if (view.secret !== secret) {
            secret = view.secret;
            generation++;
        }
        errorKind = view.errorKind;
        errorMessage = view.errorKind === "" ? "" : keyring.messageFor({
                "kind": view.errorKind,
                "message": view.errorDetail
            });
        state = view.state;
    }

    function reload() {
        Qt.callLater(source.readNow);
    }

    function readNow() {
        // A source removed with its connection may still have a read queued.
        if (!alive)
            return;
        if (!_source)
            _source = Proxmon.createSecretSource({
                    "store": {
                        "read": function (account, done) {
                            keyring.read(account, done);
                        },
                        "isOpen": function (done) {
                            keyring.isOpen(done);
                        }
                    },
                    "scheduler": scheduler.asDependency(),
                    "onChange": source.show,
                    "log": function (level, message) {
                        if (source.log)
                            source.log(level, message);
                    }
                });
        const ready = active && host.trim() !== "" && tokenId.trim() !== "" && port > 0;
        _source.load(ready ? {
                "host": host,
                "port": port,
                "tokenId": tokenId
            } : null);
    }

    onActiveChanged: reload()
    onHostChanged: reload()
    onPortChanged: reload()
    onTokenIdChanged: reload()
    onRevisionChanged: reload()
    Component.onCompleted: reload()
    Component.onDestruction: {
        alive = false;
        if (_source)
            _source.dispose();
    }
}
