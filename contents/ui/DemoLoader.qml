import QtQml

// Loads the demo bundle on first use, the way NativeLoader.qml finds the
// native module: Qt.createComponent of a file holding only the import.
QtObject {
    id: loader

    property var log: null
    property var module: null
    property QtObject _bundle: null

    function load(parent) {
        if (module)
            return module;
        const component = Qt.createComponent(Qt.resolvedUrl("DemoBundle.qml"), Component.PreferSynchronous, parent);
        if (component.status === Component.Ready) {
            _bundle = component.createObject(parent);
            module = _bundle ? _bundle.create() : null;
        } else if (log) {
            log("warn", "demo: " + component.errorString());
        }
        return module;
    }
}
