import QtQuick
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.plasma.components as PlasmaComponents3
import "../code/proxmon.mjs" as Proxmon

// The popup's Storage section (src/widget/storage-view.ts): shared storages
// once, local ones under their node, fullest first; or, without
// Datastore.Audit, the notice that says so. Lines update in place. An Item
// around the column, so the list's width is given to it, not taken from it.
Item {
    id: section

    property var app
    readonly property var view: app ? app.storageView : ({
            "visible": false,
            "title": "",
            "lines": [],
            "notice": ""
        })
    property var applied: []
    // The list's width, taken one event later: as the list's footer, its
    // height feeds back into the list's scroll bar and so into its width.
    property real listWidth: 0
    property real shownWidth: 0
    function applyWidth() {
        shownWidth = listWidth;
    }
    onListWidthChanged: Qt.callLater(applyWidth)

    objectName: "storageSection"
    width: shownWidth
    visible: view.visible
    // The column's own height: with nothing to show all of its rows are
    // hidden and it is 0 high. (A condition on the section's visibility
    // here was a binding loop in Qt 5, through the list's footer.)
    implicitHeight: column.implicitHeight

    function sync() {
        if (!app)
            return;
        app.applyOps(lines, Proxmon.syncOps(applied, view.lines));
        applied = view.lines;
    }
    onViewChanged: sync()
    Component.onCompleted: {
        applyWidth();
        sync();
    }

    ListModel {
        id: lines
    }

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: Kirigami.Units.smallSpacing

        Kirigami.Heading {
            visible: section.view.visible
            Layout.fillWidth: true
            Layout.topMargin: Kirigami.Units.smallSpacing
            level: 4
            wrapMode: Text.NoWrap
            elide: Text.ElideRight
            text: section.view.title
        }
        PlasmaComponents3.Label {
            objectName: "storageNotice"
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.WordWrap
            font: Kirigami.Theme.smallFont
            color: Kirigami.Theme.neutralTextColor
            text: section.view.notice
        }
        Repeater {
            model: lines
            delegate: StorageLine {
                Layout.fillWidth: true
                app: section.app
            }
        }
    }
}
