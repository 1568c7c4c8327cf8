import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// One VM or container (roles: GuestRow in src/view/view-model.ts).
// Everything right of the name sits in fixed-width columns, so the VMID and
// the usage figures line up from row to row whatever chips a guest carries.
// When the row is short of room the name elides first, down to a few
// characters; then chips that no longer fit are left out; the figures
// never shrink. A narrow row (the popup at its minimum size, a small
// desktop widget) also drops the indent and the VMID column.
RowLayout {
    id: row

    property var app
    required property string key
    required property int vmid
    required property string typeText
    required property string typeName
    required property string displayName
    required property string status
    required property string statusColor
    required property string icon
    required property bool running
    required property bool isTemplate
    required property string lock
    required property string lockText
    required property string lockDescription
    required property string stateBadge
    required property string stateBadgeColor
    required property string tags
    required property string cpuColumn
    required property string memColumn

    objectName: "guestRow:" + key
    spacing: Kirigami.Units.smallSpacing

    // History (issue 12): a click opens or closes the guest's detail below the row.
    TapHandler {
        acceptedButtons: Qt.LeftButton
        onTapped: row.app.toggleGuestDetail(row.key)
    }
    HoverHandler {
        cursorShape: Qt.PointingHandCursor
    }

    readonly property bool narrow: width < Kirigami.Units.gridUnit * 20
    // The name keeps at least this much before chips give way.
    readonly property real nameMinimum: Kirigami.Units.gridUnit * 3
    readonly property real chipMaximum: Kirigami.Units.gridUnit * 5

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

    // Snooze and maintenance (issue 13) alone while power actions are off;
    // with them on, the action menu holds these entries too.
    TapHandler {
        acceptedButtons: Qt.RightButton
        enabled: !row.app.actionsEnabled
        onTapped: row.app.openSnoozeMenu(row, "guest", String(row.vmid))
    }
    Item {
        visible: !row.narrow
        implicitWidth: Kirigami.Units.iconSizes.small
    }
    Rectangle {
        width: Kirigami.Units.smallSpacing * 2
        height: width
        radius: width / 2
        color: row.app.colorOf(row.statusColor, Kirigami.Theme)
        Accessible.name: row.status
    }
    Kirigami.Icon {
        source: row.icon
        Layout.preferredWidth: Kirigami.Units.iconSizes.small
        Layout.preferredHeight: Kirigami.Units.iconSizes.small
        opacity: row.running ? 1 : 0.6
        Accessible.name: row.typeName
    }
    // The name and the chips share what the columns leave; its minimum does
    // not depend on the chips, so which chips fit is decided without a loop.
    RowLayout {
        id: nameAndChips
        Layout.fillWidth: true
        Layout.minimumWidth: row.nameMinimum
        spacing: Kirigami.Units.smallSpacing

        // The row's own badges (texts from the view model), the backup age and
        // snooze chips (WidgetFacade.guestChips), then up to two tags;
        // an empty text means that badge does not apply.
        readonly property var badges: [{
                "text": row.stateBadge,
                "tip": "",
                "color": row.stateBadgeColor,
                "icon": ""
            }, {
                "text": row.lockText,
                "tip": row.lockDescription,
                "color": "warning",
                "icon": "object-locked"
            }].concat(row.app.guestChips(row.vmid)).concat((row.tags === "" ? [] : row.tags.split(";").slice(0, 2)).map(tag => ({
                            "text": tag,
                            "tip": "",
                            "color": "tag",
                            "icon": ""
                        }))).filter(badge => badge.text !== "")
        // Chip i is shown when it and every chip before it fit beside the
        // name's minimum; state badges come first, so tags go first.
        function fits(index) {
            let used = row.nameMinimum;
            for (let i = 0; i <= index && i < chips.count; i++) {
                const chip = chips.itemAt(i);
                if (!chip)
                    return false;
                used += chip.wanted + spacing;
            }
            return used <= width;
        }

        PlasmaComponents3.Label {
            objectName: "guestName"
            text: row.displayName
            font: row.app.compact ? Kirigami.Theme.smallFont : Kirigami.Theme.defaultFont
            textFormat: Text.PlainText
            elide: Text.ElideRight
            Layout.fillWidth: true
            opacity: row.running ? 1 : 0.7
        }
        Repeater {
            id: chips
            model: nameAndChips.badges
            delegate: GuestChip {
                required property var modelData
                required property int index
                objectName: "guestChip"
                text: modelData.text
                tip: modelData.tip
                iconName: modelData.icon
                tint: modelData.color === "tag" ? Kirigami.Theme.highlightColor : row.app.colorOf(modelData.color, Kirigami.Theme)
                maximum: row.chipMaximum
                visible: nameAndChips.width > 0 && nameAndChips.fits(index)
            }
        }
    }
    PlasmaComponents3.Label {
        objectName: "guestId"
        visible: !row.narrow
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
        text: row.cpuColumn
        font: Kirigami.Theme.smallFont
        horizontalAlignment: Text.AlignRight
    }
    PlasmaComponents3.Label {
        objectName: "guestMem"
        Layout.minimumWidth: Math.ceil(memMetrics.advanceWidth)
        Layout.preferredWidth: Layout.minimumWidth
        text: row.memColumn
        font: Kirigami.Theme.smallFont
        color: row.running ? Kirigami.Theme.textColor : Kirigami.Theme.disabledTextColor
        horizontalAlignment: Text.AlignRight
        elide: Text.ElideRight
    }
    // Power actions (GuestActions.qml): right-click or the row's button opens the menu.
    HoverHandler {
        id: rowHover
    }
    TapHandler {
        acceptedButtons: Qt.RightButton
        enabled: row.app.actionsEnabled
        // Once the tap is handled: a menu opened inside the handler got no clicks.
        onTapped: Qt.callLater(guestActions.openMenu, true)
    }
    // Enter on the keyboard-focused row (PopupKeys.qml): the same menu as a right-click.
    Connections {
        target: row.app
        function onGuestMenuRequested(key) {
            if (key !== row.key)
                return;
            if (row.app.actionsEnabled)
                guestActions.openMenu(false);
            else
                row.app.openSnoozeMenu(row, "guest", String(row.vmid));
        }
    }
    GuestActions {
        id: guestActions
        app: row.app
        row: row
        key: row.key
        rowHovered: rowHover.hovered
    }
}
