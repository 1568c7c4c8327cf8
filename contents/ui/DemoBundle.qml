// Only the import: DemoLoader.qml creates this file when the user chooses the
// demo, so no engine parses contents/code/demo.mjs (the demo cluster and the
// simulated pveproxy it runs on) otherwise.
import QtQml
import "../code/demo.mjs" as Demo

QtObject {
    function create() {
        return Demo.createDemoModule();
    }
}
