import QtQml

// Finds the native TLS module (install.sh builds it into the package's
// contents/native) without a Loader: a Loader would print the missing
// import as a warning, which looks like a broken widget in the journal.
QtObject {
    id: loader

    /** The NativeTransport, or null when the module is not installed. */
    property var transport: null
    readonly property bool available: transport !== null

    property Component _component: null
    property QtObject _parent: null

    function load(parent) {
        if (transport)
            return transport;
        const component = Qt.createComponent(Qt.resolvedUrl("NativeTls.qml"), Component.PreferSynchronous, parent);
        if (component.status === Component.Ready) {
            const object = component.createObject(parent);
            // A module of another contract version would misread our specs.
            if (object && object.apiVersion === 1) {
                transport = object;
                _component = component;
                _parent = parent;
            } else if (object) {
                object.destroy();
            }
        }
        return transport;
    }

    // The module as the core takes it (src/widget/transport-choice.ts), or null.
    function asModule() {
        return transport ? {
            "request": transport.request,
            "requestFresh": requestFresh
        } : null;
    }

    // One request on a TlsClient of its own, for pinning. Measured in
    // tests/plasma/test-widget-tls.sh (Qt 6.8): after the module refused a
    // wrong pin, a later request on the same client went through unchecked —
    // its manager kept the refused, already encrypted connection and Qt does
    // not emit encrypted() again for a request on it. A fresh client has no
    // connection to reuse, so every request is a new handshake and a new check.
    // The module now also checks the pin on every reply and retires a manager
    // that met a wrong pin (tests/plasma/test-native-tls.sh); this stays as a
    // second line of defence for a module built before that fix.
    function requestFresh(spec, onDone) {
        const client = _component.createObject(_parent);
        return client.request(spec, function (result) {
                try {
                    onDone(result);
                } finally {
                    Qt.callLater(client.destroy);
                }
            });
    }
}
