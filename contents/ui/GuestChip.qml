import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.kirigami as Kirigami

// A badge beside a guest's name: a tag, a lock, a state. The text is always
// the theme's text colour on an opaque pill tinted with the chip's colour,
// so it stays readable where the tint itself is faint: the highlight colour
// of an unfocused window, on the desktop, in Breeze and Breeze Dark alike.
// A chip too narrow for its text elides and says the whole in a tooltip.
Rectangle {
    id: chip

    property string text
    // What the tooltip says instead of the text ("" = the text).
    property string tip
    property string iconName
    property color tint: Kirigami.Theme.highlightColor
    property real maximum: Kirigami.Units.gridUnit * 5

    // The width the chip asks for, whether or not it is shown.
    readonly property real wanted: Math.min(content.implicitWidth + Kirigami.Units.smallSpacing * 2, maximum)
    readonly property alias label: badgeLabel
    readonly property string toolTipText: tip !== "" ? tip : text

    Layout.preferredWidth: wanted
    Layout.maximumWidth: wanted
    implicitHeight: badgeLabel.implicitHeight
    radius: height / 2
    color: Kirigami.ColorUtils.tintWithAlpha(Kirigami.Theme.backgroundColor, tint, 0.2)
    border.width: 1
    border.color: tint

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: Kirigami.Units.smallSpacing
        anchors.rightMargin: Kirigami.Units.smallSpacing
        spacing: Kirigami.Units.smallSpacing / 2
        Kirigami.Icon {
            visible: chip.iconName !== ""
            source: chip.iconName
            Layout.preferredWidth: badgeLabel.implicitHeight * 0.8
            Layout.preferredHeight: Layout.preferredWidth
        }
        PlasmaComponents3.Label {
            id: badgeLabel
            objectName: "chipLabel"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            elide: Text.ElideRight
            textFormat: Text.PlainText
            text: chip.text
            font: Kirigami.Theme.smallFont
            color: Kirigami.Theme.textColor
        }
    }

    HoverHandler {
        id: hover
    }
    PlasmaComponents3.ToolTip.visible: hover.hovered && (chip.tip !== "" || badgeLabel.truncated)
    PlasmaComponents3.ToolTip.text: chip.toolTipText
    Accessible.name: chip.toolTipText
}
