import QtQuick
import org.kde.notification

// One KNotification as KNotifications 6 takes it (actions are
// NotificationAction objects); Notifier.qml makes one per message. The
// Plasma 5 edition has its own file of this name (plasma5/contents/ui).
Notification {
    id: note

    property string url: ""

    componentName: "plasma_workspace"
    eventId: "notification"
    actions: [
        NotificationAction {
            label: i18n("Open web UI")
            onActivated: {
                if (note.url !== "")
                    Qt.openUrlExternally(note.url);
            }
        }
    ]

    // No web UI to open (the demo cluster): no button that does nothing.
    Component.onCompleted: {
        if (note.url === "")
            note.actions = [];
    }
}
