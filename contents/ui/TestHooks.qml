import QtQuick

// Switches for automated screenshots and tests. Always off in a package
// users get; only a test staging (scripts/package.sh --test-expand or
// --test-hooks) replaces this file.
QtObject {
    readonly property bool expandOnStart: false
}
