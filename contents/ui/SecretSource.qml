import QtQuick

// Where the widget gets the API token secret: KDE Wallet, for the configured
// (host, port, token ID). Read on start, whenever those change, and when the
// settings dialog bumps `revision` after it wrote or deleted the secret (the
// dialog runs in another QML engine; the configuration and the wallet are all
// the two share). The secret is never written to the widget's configuration.
//
// state: "idle" (nothing to read: demo mode or not set up), "reading", "ok",
// "missing" (no entry), "error" (errorKind, errorMessage).
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

    property int _sequence: 0

    readonly property Keyring keyring: Keyring {
        log: source.log
    }

    function setSecret(value) {
        if (value === secret)
            return;
        secret = value;
        generation++;
    }

    function reload() {
        Qt.callLater(source.readNow);
    }

    function readNow() {
        const sequence = ++_sequence;
        if (!active || host.trim() === "" || tokenId.trim() === "" || port <= 0) {
            setSecret("");
            errorKind = "";
            errorMessage = "";
            state = "idle";
            return;
        }
        // The old secret stays in use until the answer: no flicker on a re-read.
        state = "reading";
        keyring.read({
            host: host,
            port: port,
            tokenId: tokenId
        }, function (result) {
            if (sequence !== source._sequence)
                return;
            if (result.ok && result.value !== null) {
                setSecret(result.value);
                errorKind = "";
                errorMessage = "";
                state = "ok";
                if (log)
                    log("info", "token secret read from the keyring");
            } else if (result.ok) {
                setSecret("");
                errorKind = "";
                errorMessage = "";
                state = "missing";
                if (log)
                    log("warn", "token secret missing: no keyring entry for this host, port and token");
            } else {
                setSecret("");
                errorKind = result.error.kind;
                errorMessage = keyring.messageFor(result.error);
                state = "error";
                if (log)
                    log("warn", "token secret missing: keyring " + result.error.kind + ": " + result.error.message);
            }
        });
    }

    onActiveChanged: reload()
    onHostChanged: reload()
    onPortChanged: reload()
    onTokenIdChanged: reload()
    onRevisionChanged: reload()
    Component.onCompleted: reload()
}
