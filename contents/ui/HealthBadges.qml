import QtQuick
import QtQuick.Layouts
import org.kde.kirigami as Kirigami

// The popup header's HA and Ceph badges (texts and colours from the session,
// src/widget/backups-view.ts); nothing where the cluster has neither.
RowLayout {
    id: badges

    property var app
    // Off in the popup's header with several connections: each section shows its own.
    property bool shown: true

    visible: shown && repeater.count > 0
    spacing: 2

    Repeater {
        id: repeater
        model: badges.app.backups.headerBadges
        delegate: GuestChip {
            required property var modelData
            objectName: "healthBadge"
            text: modelData.text
            tip: modelData.tip
            iconName: modelData.icon
            tint: badges.app.colorOf(modelData.color, Kirigami.Theme)
        }
    }
}
