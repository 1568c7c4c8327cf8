import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// One VM or container (roles: GuestRow in src/view/view-model.ts).
// Everything right of the name sits in fixed-width columns, so the VMID and
// the usage figures line up from row to row whatever chips a guest carries.
RowLayout {
    id: row

    property var app
    required property string key
    required property int vmid
    required property string typeText
    required property string name
    required property string status
    required property string statusColor
    required property string icon
    required property bool running
    required property bool isTemplate
    required property string lock
    required property string tags
    required property string cpuText
    required property string memText

    objectName: "guestRow:" + key
    spacing: Kirigami.Units.smallSpacing

    // Column widths shared by every row: measured, not guessed, so a larger
    // font or a translation still fits.
    TextMetrics {
        id: idMetrics
        font: Kirigami.Theme.smallFont
        text: "VM 00000"
    }
    TextMetrics {
        id: cpuMetrics
        font: Kirigami.Theme.smallFont
        text: "100%"
    }
    TextMetrics {
        id: memMetrics
        font: Kirigami.Theme.smallFont
        text: "000 MiB / 000 MiB"
    }

    Item {
        implicitWidth: Kirigami.Units.iconSizes.small
    }
    Rectangle {
        width: Kirigami.Units.smallSpacing * 2
        height: width
        radius: width / 2
        color: row.app.colorOf(row.statusColor)
        Accessible.name: row.status
    }
    Kirigami.Icon {
        source: row.icon
        Layout.preferredWidth: Kirigami.Units.iconSizes.small
        Layout.preferredHeight: Kirigami.Units.iconSizes.small
        opacity: row.running ? 1 : 0.6
        PlasmaComponents3.ToolTip.text: row.typeText === "CT" ? i18n("Container") : i18n("Virtual machine")
    }
    PlasmaComponents3.Label {
        objectName: "guestName"
        text: row.name !== "" ? row.name : i18n("(no name)")
        elide: Text.ElideRight
        Layout.fillWidth: true
        Layout.minimumWidth: Kirigami.Units.gridUnit * 4
        opacity: row.running ? 1 : 0.7
    }
    // Chips: state badges first, then up to two tags; each chip elides
    // rather than pushing the columns to its right.
    Repeater {
        model: {
            const badges = [];
            if (row.isTemplate)
                badges.push({ text: i18n("template"), color: "neutral" });
            if (row.lock !== "")
                badges.push({ text: i18n("locked: %1", row.lock), color: "warning" });
            if (!row.running && !row.isTemplate && row.status !== "stopped")
                badges.push({ text: row.status, color: row.statusColor });
            const tags = row.tags === "" ? [] : row.tags.split(";");
            for (let i = 0; i < tags.length && i < 2; i++)
                badges.push({ text: tags[i], color: "tag" });
            return badges;
        }
        delegate: Rectangle {
            id: chip
            required property var modelData
            readonly property color tint: modelData.color === "tag" ? Kirigami.Theme.highlightColor : row.app.colorOf(modelData.color)
            Layout.maximumWidth: Kirigami.Units.gridUnit * 4
            implicitWidth: Math.min(badgeLabel.implicitWidth + Kirigami.Units.smallSpacing * 2, Kirigami.Units.gridUnit * 4)
            implicitHeight: badgeLabel.implicitHeight
            radius: height / 2
            color: "transparent"
            border.width: 1
            border.color: tint
            PlasmaComponents3.Label {
                id: badgeLabel
                anchors.fill: parent
                anchors.leftMargin: Kirigami.Units.smallSpacing
                anchors.rightMargin: Kirigami.Units.smallSpacing
                horizontalAlignment: Text.AlignHCenter
                elide: Text.ElideRight
                text: chip.modelData.text
                font: Kirigami.Theme.smallFont
                color: chip.tint
            }
        }
    }
    PlasmaComponents3.Label {
        objectName: "guestId"
        Layout.minimumWidth: Math.ceil(idMetrics.advanceWidth)
        Layout.preferredWidth: Layout.minimumWidth
        horizontalAlignment: Text.AlignRight
        text: row.typeText + " " + row.vmid
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
    }
    PlasmaComponents3.Label {
        objectName: "guestCpu"
        Layout.minimumWidth: Math.ceil(cpuMetrics.advanceWidth)
        Layout.preferredWidth: Layout.minimumWidth
        text: row.running ? row.cpuText : ""
        font: Kirigami.Theme.smallFont
        horizontalAlignment: Text.AlignRight
    }
    PlasmaComponents3.Label {
        objectName: "guestMem"
        Layout.minimumWidth: Math.ceil(memMetrics.advanceWidth)
        Layout.preferredWidth: Layout.minimumWidth
        text: row.running ? row.memText : (row.status === "stopped" ? i18n("stopped") : "")
        font: Kirigami.Theme.smallFont
        color: row.running ? Kirigami.Theme.textColor : Kirigami.Theme.disabledTextColor
        horizontalAlignment: Text.AlignRight
        elide: Text.ElideRight
    }
}
