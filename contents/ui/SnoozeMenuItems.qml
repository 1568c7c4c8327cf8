import QtQuick
import org.kde.plasma.components as PlasmaComponents3

// The snooze and maintenance entries of a guest's or node's context menu
// (entries from the session: src/widget/snooze-menu.ts), inserted into
// `menu` from index `at`. Any menu can hold them: SnoozeMenu.qml, or a row's
// own context menu with more actions.
Instantiator {
    id: items

    property var app
    // The menu the entries go into.
    property var menu
    // "guest" with a VMID, or "node" with the node row's key ("node/<name>").
    property string kind
    property string targetId
    property int at: 0
    property var entries: []

    // Asked again each time the menu opens: snoozes run out.
    function refresh() {
        entries = app.snoozeMenu(kind, targetId);
    }

    model: entries
    delegate: PlasmaComponents3.MenuItem {
        required property var modelData
        objectName: "snooze:" + modelData.action
        text: modelData.text
        icon.name: modelData.icon
        checkable: modelData.checked
        checked: modelData.checked
        enabled: modelData.enabled
        onTriggered: items.app.snooze(items.kind, items.targetId, modelData.action)
    }
    onObjectAdded: (index, object) => items.menu.insertItem(items.at + index, object)
    onObjectRemoved: (index, object) => items.menu.removeItem(object)
}
