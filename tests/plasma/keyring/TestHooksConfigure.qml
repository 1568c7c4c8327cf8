import QtQuick
import org.kde.plasma.plasmoid

// TEST STAGING ONLY (tests/plasma/test-keyring.sh, run "apply"): replaces
// contents/ui/TestHooks.qml so the widget opens its real configuration
// dialog, as the "Configure…" menu entry does.
QtObject {
    readonly property bool expandOnStart: false
    property Timer opener: Timer {
        interval: 3000
        running: true
        onTriggered: {
            console.log("proxmon-test: opening the configuration dialog");
            Plasmoid.internalAction("configure").trigger();
        }
    }
}
