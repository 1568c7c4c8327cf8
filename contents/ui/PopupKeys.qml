import QtQuick
import org.kde.kirigami as Kirigami

// The popup's keyboard (issue 15): arrows, Home/End, PageUp/PageDown move
// the focus between node cards and guest rows — with several connections
// (issue 11) also over each section's header, across every section (the
// core decides where: src/view/popup-navigation.ts) — Enter opens or
// closes a node or a section or asks for a guest row's menu, Space opens
// or closes a section, Ctrl+F or just typing goes to the search, Escape
// clears it. This file only maps Qt's keys and scrolls.
QtObject {
    id: keys

    property var app
    // One connection: the node list (a ListView).
    property var list
    // Several: the ScrollView around the sections, the Repeater of
    // ConnectionSection (each with headerItem and cardAt(i)), and the item
    // inside that takes the keys.
    property var sectionsView: null
    property var sections: null
    property var sectionsFocus: null
    property var searchBar

    readonly property var names: ({
            [Qt.Key_Up]: "up",
            [Qt.Key_Down]: "down",
            [Qt.Key_Home]: "home",
            [Qt.Key_End]: "end",
            [Qt.Key_PageUp]: "pageUp",
            [Qt.Key_PageDown]: "pageDown"
        })

    readonly property bool several: app.several && sections !== null

    function pageSize() {
        const height = several ? sectionsView.height : list.height;
        return Math.max(1, Math.floor(height / (Kirigami.Units.gridUnit * 1.5)));
    }

    // Scrolls `flick` so that [top, top + height) of its content shows.
    function show(flick, top, height) {
        if (top < flick.contentY)
            flick.contentY = top;
        else if (top + height > flick.contentY + flick.height)
            flick.contentY = top + height - flick.height;
    }

    // Brings the focused card or row into view.
    function reveal(target) {
        if (several) {
            revealInSections(target);
            return;
        }
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
        show(list, top, height);
    }

    // Several connections: the header, card or row inside its section.
    function revealInSections(target) {
        const section = target.connectionIndex >= 0 ? sections.itemAt(target.connectionIndex) : null;
        if (!section)
            return;
        const item = target.nodeIndex < 0 ? section.headerItem : section.cardAt(target.nodeIndex);
        if (!item)
            return;
        const flick = sectionsView.contentItem;
        const top = item.mapToItem(flick.contentItem, 0, 0).y + (target.rowIndex < 0 ? 0 : item.rowY(target.rowIndex));
        const height = target.rowIndex < 0 ? Math.min(item.height, flick.height) : item.rowHeight(target.rowIndex);
        show(flick, top, height);
    }

    // The list (or the sections) take the keys.
    function takeKeys() {
        (several ? sectionsFocus : list).forceActiveFocus();
    }

    function move(name) {
        reveal(app.moveFocus(name, pageSize()));
        takeKeys();
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
            app.activateFocused("enter");
            return true;
        }
        if (event.key === Qt.Key_Space && !ctrl)
            return app.activateFocused("space");
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
