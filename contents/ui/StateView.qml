import QtQuick
import QtQuick.Layouts
import org.kde.plasma.components as PlasmaComponents3
import org.kde.plasma.extras as PlasmaExtras
import org.kde.kirigami as Kirigami

// What the popup shows instead of the node list: not configured, connecting,
// or an error — each with a clear message and the next step.
Item {
    id: stateView

    property var app

    // The session's decision (src/widget/state-view.ts): texts, icon, buttons.
    readonly property var model: app.stateView
    readonly property var certificate: model.certificate

    // TLS explanations can be taller than the popup: scroll rather than clip.
    Flickable {
        id: flick
        anchors.fill: parent
        clip: true
        contentWidth: width
        contentHeight: Math.max(height, column.implicitHeight + Kirigami.Units.largeSpacing * 2)
        boundsBehavior: Flickable.StopAtBounds
        interactive: contentHeight > height

        ColumnLayout {
            id: column
            // Centred in the content (at least largeSpacing high, see
            // contentHeight): anchors, not a y binding on implicitHeight,
            // which Qt 5's layouts report as a binding loop.
            anchors.centerIn: parent
            // Never narrower than 10 grid units (the popup's minimum is 18):
            // hidden, the view is 0 wide, and wrapping labels in a zero-wide
            // column make Qt 5's layouts rearrange recursively.
            width: Math.max(Kirigami.Units.gridUnit * 10, Math.min(flick.width - Kirigami.Units.largeSpacing * 2, Kirigami.Units.gridUnit * 22))
            spacing: Kirigami.Units.largeSpacing

            PlasmaComponents3.BusyIndicator {
                Layout.alignment: Qt.AlignHCenter
                visible: stateView.model.busy
                running: visible
            }
            Kirigami.Icon {
                Layout.alignment: Qt.AlignHCenter
                visible: !stateView.model.busy
                source: stateView.model.icon
                Layout.preferredWidth: Kirigami.Units.iconSizes.huge
                Layout.preferredHeight: Kirigami.Units.iconSizes.huge
                opacity: 0.8
            }
            Kirigami.Heading {
                Layout.fillWidth: true
                level: 3
                wrapMode: Text.WordWrap
                horizontalAlignment: Text.AlignHCenter
                // Set, not Plasma 5's own binding on lineCount (a binding loop there).
                verticalAlignment: Text.AlignTop
                text: stateView.model.title
            }
            PlasmaComponents3.Label {
                Layout.fillWidth: true
                visible: text !== ""
                wrapMode: Text.WordWrap
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignTop
                color: Kirigami.Theme.negativeTextColor
                text: stateView.model.message
            }
            GridLayout {
                objectName: "tlsCertificateDetails"
                Layout.fillWidth: true
                visible: stateView.certificate !== null
                columns: 2
                columnSpacing: Kirigami.Units.smallSpacing
                rowSpacing: 0

                PlasmaComponents3.Label {
                    visible: stateView.model.pinnedFingerprint !== ""
                    Layout.alignment: Qt.AlignTop | Qt.AlignRight
                    font: Kirigami.Theme.smallFont
                    text: i18n("Pinned:")
                }
                PlasmaComponents3.Label {
                    objectName: "tlsPinnedFingerprint"
                    visible: stateView.model.pinnedFingerprint !== ""
                    Layout.fillWidth: true
                    wrapMode: Text.WrapAnywhere
                    font.family: "monospace"
                    font.pointSize: Kirigami.Theme.smallFont.pointSize
                    text: stateView.model.pinnedFingerprint
                }
                PlasmaComponents3.Label {
                    Layout.alignment: Qt.AlignTop | Qt.AlignRight
                    font: Kirigami.Theme.smallFont
                    text: stateView.certificate ? stateView.certificate.fingerprintLabel : ""
                }
                PlasmaComponents3.Label {
                    objectName: "tlsServerFingerprint"
                    Layout.fillWidth: true
                    wrapMode: Text.WrapAnywhere
                    font.family: "monospace"
                    font.pointSize: Kirigami.Theme.smallFont.pointSize
                    color: stateView.model.pinnedFingerprint !== "" ? Kirigami.Theme.negativeTextColor : Kirigami.Theme.textColor
                    text: stateView.certificate ? stateView.certificate.fingerprint256 : ""
                }
                PlasmaComponents3.Label {
                    Layout.alignment: Qt.AlignTop | Qt.AlignRight
                    font: Kirigami.Theme.smallFont
                    text: i18n("Subject:")
                }
                PlasmaComponents3.Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font: Kirigami.Theme.smallFont
                    text: stateView.certificate ? stateView.certificate.subject : ""
                }
                PlasmaComponents3.Label {
                    Layout.alignment: Qt.AlignTop | Qt.AlignRight
                    font: Kirigami.Theme.smallFont
                    text: i18n("Issuer:")
                }
                PlasmaComponents3.Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font: Kirigami.Theme.smallFont
                    text: stateView.certificate ? stateView.certificate.issuer : ""
                }
                PlasmaComponents3.Label {
                    Layout.alignment: Qt.AlignTop | Qt.AlignRight
                    font: Kirigami.Theme.smallFont
                    text: i18n("Valid:")
                }
                PlasmaComponents3.Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font: Kirigami.Theme.smallFont
                    text: stateView.certificate ? stateView.certificate.validText : ""
                }
            }
            PlasmaComponents3.Label {
                objectName: "stateExplanation"
                Layout.fillWidth: true
                visible: text !== ""
                wrapMode: Text.WordWrap
                horizontalAlignment: stateView.model.detailed ? Text.AlignLeft : Text.AlignHCenter
                verticalAlignment: Text.AlignTop
                font: stateView.model.detailed ? Kirigami.Theme.smallFont : Kirigami.Theme.defaultFont
                text: stateView.model.explanation
            }
            RowLayout {
                Layout.alignment: Qt.AlignHCenter
                spacing: Kirigami.Units.smallSpacing
                PlasmaComponents3.Button {
                    visible: stateView.model.showConfigure
                    icon.name: "configure"
                    text: i18n("Configure…")
                    onClicked: stateView.app.openSettings()
                }
                PlasmaComponents3.Button {
                    visible: stateView.model.showDemo
                    icon.name: "media-playback-start"
                    text: i18n("Try the demo cluster")
                    onClicked: stateView.app.startDemo()
                }
                PlasmaComponents3.Button {
                    visible: stateView.model.showRetry
                    icon.name: "view-refresh"
                    text: i18n("Try again")
                    onClicked: stateView.app.act(stateView.model.retryAction)
                }
            }
            PlasmaComponents3.Button {
                Layout.alignment: Qt.AlignHCenter
                visible: stateView.model.showLeaveDemo
                flat: true
                text: i18n("Leave the demo")
                onClicked: stateView.app.stopDemo()
            }
        }
    }
}
