import QtQuick
import org.kde.kirigami as Kirigami

// The popup's keyboard (issue 15): arrows, Home/End, PageUp/PageDown move
// the focus between node cards and guest rows (the core decides where:
// src/view/popup-navigation.ts), Enter opens or closes a node or asks for
// a guest row's menu, Ctrl+F or just typing goes to the search, Escape
// clears it. This file only maps Qt's keys and scrolls.
QtObject {
    id: keys

    property var app
    property var list
    property var searchBar

    readonly property var names: ({
            [Qt.Key_Up]: "up",
            [Qt.Key_Down]: "down",
            [Qt.Key_Home]: "home",
            [Qt.Key_End]: "end",
            [Qt.Key_PageUp]: "pageUp",
            [Qt.Key_PageDown]: "pageDown"
        })

    function pageSize() {
        return Math.max(1, Math.floor(list.height / (Kirigami.Units.gridUnit * 1.5)));
    }

    // Brings the focused card or row into view.
    function reveal(target) {
        if (target.nodeIndex < 0)
            return;
        let card = list.itemAtIndex(target.nodeIndex);
        if (!card) {
            list.positionViewAtIndex(target.nodeIndex, ListView.Contain);
            card = list.itemAtIndex(target.nodeIndex);
        }
        if (!card)
            return;
        const top = card.y + (target.rowIndex < 0 ? 0 : card.rowY(target.rowIndex));
        const height = target.rowIndex < 0 ? Math.min(card.height, list.height) : card.rowHeight(target.rowIndex);
        if (top < list.contentY)
            list.contentY = top;
        else if (top + height > list.contentY + list.height)
            list.contentY = top + height - list.height;
    }

    function move(name) {
        reveal(app.moveFocus(name, pageSize()));
        list.forceActiveFocus();
    }

    // Returns true when the key was used.
    function handle(event) {
        const ctrl = (event.modifiers & Qt.ControlModifier) !== 0;
        if (ctrl && event.key === Qt.Key_F) {
            searchBar.focusAll();
            return true;
        }
        const name = names[event.key];
        if (name !== undefined && !ctrl) {
            move(name);
            return true;
        }
        if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
            app.activateFocused();
            return true;
        }
        if (event.key === Qt.Key_Escape && searchBar.text !== "") {
            searchBar.clear();
            return true;
        }
        const printable = event.text.length > 0 && event.text.charCodeAt(0) > 32 && event.text.charCodeAt(0) !== 127;
        if (printable && !ctrl && (event.modifiers & Qt.AltModifier) === 0) {
            searchBar.typeIn(event.text);
            return true;
        }
        return false;
    }
}
