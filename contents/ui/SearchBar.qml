import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.plasma.extras as PlasmaExtras

// The popup's search field (issue 15): the notification filter's syntax,
// matched in the core (src/view/guest-filter.ts) on every keystroke.
// Escape clears it (and, when already empty, lets the popup close); Down
// moves into the list.
PlasmaExtras.SearchField {
    id: field

    property var app
    // Down (or Tab) from the field: the list takes the keyboard.
    signal leaveDown

    objectName: "searchField"
    placeholderText: i18n("Search: name, 100-199, tag:prod, node:pve2")
    onTextChanged: app.setSearch(text)

    // Typing into the popup anywhere lands here.
    function typeIn(chars) {
        forceActiveFocus();
        insert(cursorPosition, chars);
    }
    function focusAll() {
        forceActiveFocus();
        selectAll();
    }

    Keys.onEscapePressed: event => {
        if (text !== "") {
            clear();
            event.accepted = true;
        } else {
            event.accepted = false;
        }
    }
    Keys.onDownPressed: leaveDown()

    PlasmaComponents3.ToolTip.text: app.searchProblems
    PlasmaComponents3.ToolTip.visible: app.searchProblems !== "" && activeFocus
}
