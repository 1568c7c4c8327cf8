import QtQuick
import org.kde.plasma.components as PlasmaComponents3

// A guest's or node's context menu with the snooze and maintenance entries
// only; the façade creates one on a right click on a guest row or a node
// header (openSnoozeMenu) and it goes away once closed.
PlasmaComponents3.Menu {
    id: menu

    property var app
    property string kind
    property string targetId

    objectName: "snoozeMenu"
    onAboutToShow: entries.refresh()
    // Closed by its row going away (a refresh, a test's teardown), the menu
    // goes with the row: Qt 5 then no longer resolves its id.
    onClosed: if (menu)
        menu.destroy()

    SnoozeMenuItems {
        id: entries
        app: menu.app
        menu: menu
        kind: menu.kind
        targetId: menu.targetId
    }
}
