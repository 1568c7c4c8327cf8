import QtQuick 2.15
import org.kde.notification 1.0

// One KNotification as KNotifications 5 takes it: actions are a list of
// labels and the first one's click is action1Activated (the Plasma 6 file
// of this name uses NotificationAction objects, which KF5 does not have).
Notification {
    id: note

    property string url: ""

    componentName: "plasma_workspace"
    eventId: "notification"
    // Notifier.qml destroys it once closed; KF5 would delete it itself.
    autoDelete: false
    // No web UI to open (the demo cluster): no button that does nothing.
    actions: note.url !== "" ? [i18n("Open web UI")] : []
    onAction1Activated: {
        if (note.url !== "")
            Qt.openUrlExternally(note.url);
    }
}
