import QtQuick
import QtQuick.Layouts
import org.kde.kirigami as Kirigami

// The full representation as Plasma gets it (both editions): the popup's content
// (FullRepresentation.qml) is created the first time it is shown — the popup
// opens, or the desktop shows the full view at once — and kept from then on.
// Plasma creates every widget's full representation a few seconds after
// start whether or not anyone opens it; for this popup that is its node
// list, charts, sections and their bindings, ~4 MiB of plasmashell's memory
// (npm run bench:plasma) for a widget that mostly sits in the panel.
FocusScope {
    id: popup

    property var app

    // Until the content exists, the sizes it will ask for (Plasma sizes the
    // popup from these before it opens).
    Layout.minimumWidth: content.item ? content.item.Layout.minimumWidth : Kirigami.Units.gridUnit * 18
    Layout.minimumHeight: content.item ? content.item.Layout.minimumHeight : Kirigami.Units.gridUnit * 16
    Layout.preferredWidth: content.item ? content.item.Layout.preferredWidth : Kirigami.Units.gridUnit * 24
    Layout.preferredHeight: content.item ? content.item.Layout.preferredHeight : Kirigami.Units.gridUnit * 30

    // By URL, not as an inline component: naming the type here would make
    // Qt compile the popup's QML, and load its modules (charts, models),
    // at start all the same. Once created it stays: reopening is instant.
    function load() {
        if (content.source.toString() === "")
            content.setSource(Qt.resolvedUrl("FullRepresentation.qml"), {
                    "app": popup.app
                });
    }

    Component.onCompleted: {
        if (app.popupOpen)
            load();
    }
    Connections {
        target: popup.app
        function onPopupOpenChanged() {
            if (popup.app.popupOpen)
                popup.load();
        }
    }

    Loader {
        id: content
        anchors.fill: parent
        focus: true
    }
}
