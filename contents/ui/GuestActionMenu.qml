import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// A guest's action menu, built from the session's entries when it opens
// ({id, text, icon, enabled, destructive, tooltip, separator}; see
// ActionMenuEntry in src/widget/guest-actions.ts); GuestActions.qml
// destroys it when it opens the next one. Stop and reset are drawn in the negative colour.
PlasmaComponents3.Menu {
    id: menu

    property var entries: []
    // For the snooze and maintenance entries below the actions (issue 13).
    property var app: null
    property string vmid: ""

    signal chosen(string id)

    objectName: "guestActionMenu"

    // Which component draws an entry: a line, or an item.
    readonly property var kinds: ({
            "separator": separatorComponent,
            "item": itemComponent
        })

    Component {
        id: separatorComponent
        PlasmaComponents3.MenuSeparator {
            property var entry
        }
    }

    Component {
        id: itemComponent
        PlasmaComponents3.MenuItem {
            id: item
            property var entry
            objectName: "guestActionItem:" + entry.id
            text: entry.text
            icon.name: entry.icon
            enabled: entry.enabled
            onTriggered: menu.chosen(entry.id)
            // Why it is disabled, for screen readers (a disabled item gets no hover tooltip).
            Accessible.description: entry.tooltip
            contentItem: RowLayout {
                spacing: Kirigami.Units.smallSpacing
                Kirigami.Icon {
                    source: item.entry.icon
                    Layout.preferredWidth: Kirigami.Units.iconSizes.small
                    Layout.preferredHeight: Kirigami.Units.iconSizes.small
                    opacity: item.enabled ? 1 : 0.5
                }
                PlasmaComponents3.Label {
                    objectName: "guestActionLabel"
                    Layout.fillWidth: true
                    text: item.text
                    textFormat: Text.PlainText
                    color: item.entry.destructive ? Kirigami.Theme.negativeTextColor : item.highlighted ? Kirigami.Theme.highlightedTextColor : Kirigami.Theme.textColor
                    opacity: item.enabled ? 1 : 0.6
                }
            }
        }
    }

    SnoozeMenuItems {
        id: snoozeItems
        app: menu.app
        menu: menu
        kind: "guest"
        targetId: menu.vmid
        at: menu.entries.length + 1
    }

    Component.onCompleted: {
        for (let i = 0; i < entries.length; i++) {
            const entry = entries[i];
            menu.addItem(kinds[entry.separator ? "separator" : "item"].createObject(null, {
                        "entry": entry
                    }));
        }
        if (app && vmid !== "") {
            menu.addItem(separatorComponent.createObject(null, {
                        "entry": null
                    }));
            snoozeItems.refresh();
        }
    }
}
