import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// One VM or container (roles: GuestRow in src/view/view-model.ts).
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

    spacing: Kirigami.Units.smallSpacing

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
        text: row.name !== "" ? row.name : i18n("(no name)")
        elide: Text.ElideRight
        Layout.fillWidth: true
        Layout.minimumWidth: Kirigami.Units.gridUnit * 4
        opacity: row.running ? 1 : 0.7
    }
    PlasmaComponents3.Label {
        text: row.typeText + " " + row.vmid
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
    }
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
            required property var modelData
            implicitWidth: badgeLabel.implicitWidth + Kirigami.Units.smallSpacing * 2
            implicitHeight: badgeLabel.implicitHeight
            radius: height / 2
            color: "transparent"
            border.width: 1
            border.color: modelData.color === "tag" ? Kirigami.Theme.highlightColor : row.app.colorOf(modelData.color)
            PlasmaComponents3.Label {
                id: badgeLabel
                anchors.centerIn: parent
                text: parent.modelData.text
                font: Kirigami.Theme.smallFont
                color: parent.modelData.color === "tag" ? Kirigami.Theme.highlightColor : row.app.colorOf(parent.modelData.color)
            }
        }
    }
    PlasmaComponents3.Label {
        visible: row.running
        text: row.cpuText
        font: Kirigami.Theme.smallFont
        horizontalAlignment: Text.AlignRight
        Layout.minimumWidth: Kirigami.Units.gridUnit * 2.5
    }
    PlasmaComponents3.Label {
        visible: row.running
        text: row.memText
        font: Kirigami.Theme.smallFont
        horizontalAlignment: Text.AlignRight
        Layout.minimumWidth: Kirigami.Units.gridUnit * 6
    }
    PlasmaComponents3.Label {
        visible: row.status === "stopped"
        text: i18n("stopped")
        font: Kirigami.Theme.smallFont
        color: Kirigami.Theme.disabledTextColor
    }
}
