import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Layouts
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM
import "../code/proxmon.mjs" as Proxmon

// Settings → Behavior: sorting and notifications.
KCM.SimpleKCM {
    id: page

    property string cfg_defaultSorting: "status"
    property alias cfg_enableNotifications: enableCheck.checked
    property string cfg_notifyMode: "all"
    property alias cfg_notifyFilter: filterArea.text
    property alias cfg_notifyOnStart: startCheck.checked
    property alias cfg_notifyOnStop: stopCheck.checked
    property alias cfg_notifyOnNodeChange: nodeCheck.checked
    property alias cfg_notifyRateLimitEnabled: rateCheck.checked
    property alias cfg_notifyRateLimitSeconds: rateSpin.value
    // Backups and cluster health (issue 13).
    property var cfg_snoozes: []
    property alias cfg_backupsEnabled: backupsCheck.checked
    property alias cfg_notifyClusterHealth: healthCheck.checked
    property alias cfg_backupMaxAgeDays: maxAgeSpin.value
    property alias cfg_backupExclude: excludeField.text
    property alias cfg_backupIgnoreUncovered: uncoveredCheck.checked
    readonly property var tr: function (template, a, b) {
        return i18n(template, a === undefined ? "" : a, b === undefined ? "" : b);
    }
    readonly property var trc: function (context, template, a, b) {
        return i18nc(context, template, a === undefined ? "" : a, b === undefined ? "" : b);
    }
    property alias cfg_storageWarnPercent: warnSpin.value
    property alias cfg_storageCriticalPercent: criticalSpin.value

    readonly property var compiled: Proxmon.parseFilter(filterArea.text, function (template, a, b) {
            return i18n(template, a === undefined ? "" : a, b === undefined ? "" : b);
        })
    readonly property bool emptyWhitelist: Proxmon.isEmptyWhitelist({
            "mode": cfg_notifyMode,
            "patterns": filterArea.text
        }, compiled)

    Kirigami.FormLayout {
        QQC2.ComboBox {
            Kirigami.FormData.label: i18n("Sort by:")
            textRole: "text"
            valueRole: "value"
            model: [{
                    "value": "status",
                    "text": i18nc("sort by", "Status")
                }, {
                    "value": "name",
                    "text": i18nc("sort by", "Name")
                }, {
                    "value": "id",
                    "text": i18nc("sort by", "ID")
                }]
            currentIndex: Math.max(0, indexOfValue(page.cfg_defaultSorting))
            onActivated: page.cfg_defaultSorting = currentValue
        }

        Kirigami.Separator {
            Kirigami.FormData.isSection: true
            Kirigami.FormData.label: i18n("Notifications")
        }

        QQC2.CheckBox {
            id: enableCheck
            Kirigami.FormData.label: i18n("Notify:")
            text: i18n("Show desktop notifications for changes")
        }
        QQC2.CheckBox {
            id: startCheck
            enabled: enableCheck.checked
            text: i18n("When a guest starts or resumes")
        }
        QQC2.CheckBox {
            id: stopCheck
            enabled: enableCheck.checked
            text: i18n("When a guest stops or pauses")
        }
        QQC2.CheckBox {
            id: nodeCheck
            enabled: enableCheck.checked
            text: i18n("When nodes, quorum or guest placement change")
        }

        QQC2.ComboBox {
            Kirigami.FormData.label: i18n("Guests:")
            enabled: enableCheck.checked
            textRole: "text"
            valueRole: "value"
            model: [{
                    "value": "all",
                    "text": i18n("All guests")
                }, {
                    "value": "whitelist",
                    "text": i18n("Only those matching the filter")
                }, {
                    "value": "blacklist",
                    "text": i18n("All except those matching the filter")
                }]
            currentIndex: Math.max(0, indexOfValue(page.cfg_notifyMode))
            onActivated: page.cfg_notifyMode = currentValue
        }
        QQC2.TextArea {
            id: filterArea
            Kirigami.FormData.label: i18n("Filter:")
            enabled: enableCheck.checked && page.cfg_notifyMode !== "all"
            Layout.fillWidth: true
            Layout.minimumHeight: Kirigami.Units.gridUnit * 4
            placeholderText: i18n("web-*, 100-199, tag:prod, node:pve1")
            wrapMode: TextEdit.Wrap
        }
        QQC2.Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            font: Kirigami.Theme.smallFont
            text: i18n("Names (with * and ?), VMIDs, ranges like 100-199, tag:NAME or node:NAME; separated by commas or lines.")
        }
        Repeater {
            model: page.compiled.problems
            delegate: Kirigami.InlineMessage {
                required property var modelData
                Layout.fillWidth: true
                visible: true
                type: Kirigami.MessageType.Warning
                text: modelData.message
            }
        }
        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: page.emptyWhitelist && enableCheck.checked
            type: Kirigami.MessageType.Warning
            text: i18n("The filter matches nothing, so no guest notifications will be shown. Node and quorum changes are still notified.")
        }

        RowLayout {
            Kirigami.FormData.label: i18n("Rate limit:")
            enabled: enableCheck.checked
            QQC2.CheckBox {
                id: rateCheck
                text: i18n("At most one notification per guest change every")
            }
            QQC2.SpinBox {
                id: rateSpin
                enabled: rateCheck.checked
                from: 0
                to: 3600
                editable: true
            }
            QQC2.Label {
                text: i18np("second", "seconds", rateSpin.value)
            }
        }

        // Issue 12: filling-up alerts (3 points of hysteresis, src/history/storage-alerts.ts).
        RowLayout {
            Kirigami.FormData.label: i18n("Storage warning at:")
            enabled: enableCheck.checked
            QQC2.SpinBox {
                id: warnSpin
                objectName: "storageWarnSpin"
                from: 1
                to: 100
                editable: true
            }
            QQC2.Label {
                text: i18n("% used")
            }
        }
        RowLayout {
            Kirigami.FormData.label: i18n("Storage critical at:")
            enabled: enableCheck.checked
            QQC2.SpinBox {
                id: criticalSpin
                objectName: "storageCriticalSpin"
                from: warnSpin.value
                to: 100
                editable: true
            }
            QQC2.Label {
                text: i18n("% used")
            }
        }
        QQC2.Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            font: Kirigami.Theme.smallFont
            text: i18n("Needs the Datastore.Audit privilege on /storage. Use storage:NAME in the filter to choose storages.")
        }

        QQC2.CheckBox {
            id: healthCheck
            Kirigami.FormData.label: i18n("Cluster health:")
            enabled: enableCheck.checked
            text: i18n("When a task fails, HA reports an error or fencing, or Ceph health changes")
        }
        SnoozeList {
            Kirigami.FormData.label: i18n("Snoozed:")
            Layout.fillWidth: true
            rows: Proxmon.snoozeSettingsRows(Array.prototype.slice.call(page.cfg_snoozes || []), Math.floor(Date.now() / 1000), page.tr, page.trc)
            onRemoved: key => page.cfg_snoozes = Proxmon.removeSnoozeEntry(Array.prototype.slice.call(page.cfg_snoozes || []), key)
        }

        Kirigami.Separator {
            Kirigami.FormData.isSection: true
            Kirigami.FormData.label: i18n("Backups")
        }
        QQC2.CheckBox {
            id: backupsCheck
            Kirigami.FormData.label: i18n("Backups:")
            text: i18n("Show backup age and state (read every 10 minutes and after a backup)")
        }
        RowLayout {
            Kirigami.FormData.label: i18n("Warn after:")
            enabled: backupsCheck.checked
            QQC2.SpinBox {
                id: maxAgeSpin
                from: 1
                to: 366
                editable: true
            }
            QQC2.Label {
                text: i18np("day without a good backup (overdue after twice that), where no job schedule tells", "days without a good backup (overdue after twice that), where no job schedule tells", maxAgeSpin.value)
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
        }
        QQC2.TextField {
            id: excludeField
            Kirigami.FormData.label: i18n("Never check:")
            enabled: backupsCheck.checked
            Layout.fillWidth: true
            placeholderText: i18n("100-199, tag:nobackup, scratch-*")
        }
        QQC2.CheckBox {
            id: uncoveredCheck
            enabled: backupsCheck.checked
            text: i18n("Ignore guests that are in no backup job")
        }
    }
}
