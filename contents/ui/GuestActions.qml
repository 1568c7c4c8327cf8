import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// A guest row's power actions (issue 10): the button that opens the menu
// (shown while the row is hovered or the button has the keyboard focus), the
// spinner while a task runs, and the inline confirmation drawn over the row.
// The entries, every text and every state come from the session
// (src/widget/guest-actions.ts); this file draws them and forwards clicks.
Item {
    id: actions

    property var app
    // The GuestRow this sits in (the confirmation covers all of it).
    property Item row
    property string key
    property bool rowHovered: false
    // The menu last opened (built from the entries of that moment).
    property var menu: null

    readonly property var rowState: app && app.guestActions[key] ? app.guestActions[key] : null
    readonly property bool pending: rowState !== null && rowState.pending === true
    readonly property bool confirming: rowState !== null && rowState.confirming === true

    objectName: "guestActions:" + key
    visible: app !== null && app !== undefined && app.actionsEnabled
    implicitWidth: Kirigami.Units.iconSizes.small + Kirigami.Units.smallSpacing
    implicitHeight: confirming ? confirmBar.implicitHeight : Kirigami.Units.iconSizes.small

    // Opens the menu at the pointer (right-click) or under the button (keyboard).
    function openMenu(atPointer) {
        const entries = app.actionMenu(key);
        if (entries.length === 0)
            return;
        // The previous menu goes now, not from its own closed() handler.
        if (menu)
            menu.destroy();
        menu = menuComponent.createObject(actions, {
                "entries": entries,
                "app": app,
                "vmid": row ? String(row.vmid) : ""
            });
        if (atPointer)
            menu.popup();
        else
            menu.popup(menuButton, 0, menuButton.height);
    }

    Component {
        id: menuComponent
        GuestActionMenu {
            onChosen: id => actions.app.chooseAction(actions.key, id)
        }
    }

    PlasmaComponents3.ToolButton {
        id: menuButton
        objectName: "guestActionButton"
        anchors.centerIn: parent
        width: Kirigami.Units.iconSizes.small + Kirigami.Units.smallSpacing
        height: width
        padding: 0
        display: PlasmaComponents3.AbstractButton.IconOnly
        icon.name: "overflow-menu"
        icon.width: Kirigami.Units.iconSizes.small
        icon.height: Kirigami.Units.iconSizes.small
        text: i18n("Actions")
        enabled: !actions.pending && !actions.confirming
        opacity: actions.rowHovered || activeFocus ? 1 : 0
        onClicked: actions.openMenu(false)
        Keys.onMenuPressed: actions.openMenu(false)
        PlasmaComponents3.ToolTip.text: text
        PlasmaComponents3.ToolTip.visible: hovered
        PlasmaComponents3.ToolTip.delay: Kirigami.Units.toolTipDelay
    }

    PlasmaComponents3.BusyIndicator {
        objectName: "guestActionBusy"
        anchors.centerIn: parent
        width: Kirigami.Units.iconSizes.small
        height: width
        visible: actions.pending
        running: visible
        Accessible.name: actions.pending ? actions.rowState.pendingText : ""
        PlasmaComponents3.ToolTip.text: Accessible.name
        PlasmaComponents3.ToolTip.visible: busyHover.hovered
        HoverHandler {
            id: busyHover
        }
    }

    GuestConfirmBar {
        id: confirmBar
        objectName: "guestConfirmBar:" + actions.key
        // Over the whole row: from its left edge to this column's right edge.
        x: -actions.x
        width: actions.row ? actions.row.width : 0
        height: actions.height
        visible: actions.confirming
        question: actions.confirming ? actions.rowState.confirmText : ""
        confirmLabel: actions.confirming ? actions.rowState.confirmLabel : ""
        cancelLabel: actions.confirming ? actions.rowState.cancelLabel : ""
        destructive: actions.confirming && actions.rowState.destructive === true
        onConfirmed: actions.app.confirmAction(actions.key)
        onCancelled: actions.app.cancelAction(actions.key)
    }
}
