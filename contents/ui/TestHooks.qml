import QtQuick

// Switches for automated screenshots and tests. Always off in a package
// users get; only a test staging (scripts/package.sh --test-expand)
// replaces this file.
QtObject {
    readonly property bool expandOnStart: false
}
