import QtQuick
import org.kde.notification

// Delivers the core's notifications ({kind, urgency, title, body, guests})
// as KNotifications. One Notification object per message, destroyed once the
// server closed it; at most `maxLive` are kept around.
QtObject {
    id: notifier

    property string webUrl: ""
    property string iconName: "proxmon"
    property int maxLive: 8
    property var live: []

    // The notification itself: the one part that differs between
    // KNotifications 6 and 5 (NotificationItem.qml of each edition).
    readonly property Component component: Component {
        NotificationItem {
            id: item

            onClosed: notifier.release(item)
        }
    }

    // The core marks node offline and quorum lost "high". KNotifications sends
    // its HighUrgency as the freedesktop "normal" (1); only CriticalUrgency
    // reaches the server as urgent (2), which keeps the bubble until read.
    function urgencyOf(level) {
        if (level === "high")
            return Notification.CriticalUrgency;
        if (level === "low")
            return Notification.LowUrgency;
        return Notification.NormalUrgency;
    }

    function release(note) {
        const i = live.indexOf(note);
        if (i >= 0)
            live.splice(i, 1);
        note.destroy(1000);
    }

    function send(n) {
        const note = component.createObject(notifier, {
                "title": n.title || "",
                "text": n.body || "",
                "iconName": notifier.iconName,
                "urgency": urgencyOf(n.urgency),
                "url": notifier.webUrl
            });
        if (!note)
            return;
        live.push(note);
        while (live.length > maxLive) {
            const old = live.shift();
            old.destroy();
        }
        note.sendEvent();
    }
}
