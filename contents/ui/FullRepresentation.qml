import QtQuick
import QtQuick.Layouts
import org.kde.plasma.plasmoid
import org.kde.plasma.components as PlasmaComponents3
import org.kde.plasma.extras as PlasmaExtras
import org.kde.kirigami as Kirigami

// The popup: header (cluster, quorum, sort, refresh), the nodes with their
// guests, a footer with quick stats and the age of the data; or a state view
// (not configured, connecting, an error) with the next step to take.
PlasmaExtras.Representation {
    id: full

    property var app

    Layout.minimumWidth: Kirigami.Units.gridUnit * 18
    Layout.minimumHeight: Kirigami.Units.gridUnit * 16
    Layout.preferredWidth: Kirigami.Units.gridUnit * 24
    Layout.preferredHeight: Kirigami.Units.gridUnit * 30

    // Several connections (issue 11): one section per connection instead of the one list.
    readonly property bool several: app.several
    readonly property bool showList: app.phase === "ok" && !several

    // Keyboard navigation and type-to-search (PopupKeys.qml).
    Keys.onPressed: event => event.accepted = popupKeys.handle(event)
    PopupKeys {
        id: popupKeys
        app: full.app
        list: nodeList
        sectionsView: connectionList
        sections: sectionRepeater
        sectionsFocus: sectionColumn
        searchBar: searchBar
    }
    // PopupLoader.qml creates the popup as it first opens: that opening's keys too.
    Component.onCompleted: {
        if (full.app.popupOpen)
            Qt.callLater(popupKeys.takeKeys);
    }
    Connections {
        target: full.app
        function onPopupOpenChanged() {
            if (full.app.popupOpen)
                popupKeys.takeKeys();
        }
        function onViewsAppliedChanged() {
            // The focused row may have moved or gone with a refresh or a filter.
            if (full.app.focusKey !== "")
                full.app.focusTarget = full.app.locateFocus();
        }
    }

    header: PlasmaExtras.PlasmoidHeading {
        RowLayout {
            anchors.fill: parent
            spacing: Kirigami.Units.smallSpacing

            Kirigami.Icon {
                objectName: "headerIcon"
                source: Plasmoid.icon
                fallback: "network-server"
                Layout.preferredWidth: Kirigami.Units.iconSizes.smallMedium
                Layout.preferredHeight: Kirigami.Units.iconSizes.smallMedium
            }
            ColumnLayout {
                spacing: 0
                Layout.fillWidth: true
                Kirigami.Heading {
                    Layout.fillWidth: true
                    level: 3
                    elide: Text.ElideRight
                    text: full.app.headerTitle
                }
                PlasmaComponents3.Label {
                    Layout.fillWidth: true
                    visible: text !== ""
                    elide: Text.ElideRight
                    font: Kirigami.Theme.smallFont
                    color: full.app.quorate === 0 ? Kirigami.Theme.negativeTextColor : Kirigami.Theme.disabledTextColor
                    text: full.app.headerSubtitle
                }
            }
            HealthBadges {
                app: full.app
                shown: !full.several
            }
            PlasmaComponents3.ComboBox {
                id: sortBox
                objectName: "sortBox"
                visible: full.showList || full.several
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
                currentIndex: Math.max(0, indexOfValue(full.app.sortBy))
                onActivated: full.app.setSort(currentValue)
                PlasmaComponents3.ToolTip.text: i18n("Sort nodes and guests")
                PlasmaComponents3.ToolTip.visible: hovered
            }
            PlasmaComponents3.ToolButton {
                icon.name: "view-refresh"
                enabled: full.app.phase !== "unconfigured" && !full.app.refreshing
                onClicked: full.app.refreshNow()
                display: PlasmaComponents3.AbstractButton.IconOnly
                text: i18n("Refresh now")
                PlasmaComponents3.ToolTip.text: text
                PlasmaComponents3.ToolTip.visible: hovered
                PlasmaComponents3.BusyIndicator {
                    anchors.fill: parent
                    visible: full.app.refreshing
                    running: visible
                }
            }
        }
    }

    contentItem: ColumnLayout {
        spacing: Kirigami.Units.smallSpacing

        // Stays while the setting is on: skipping certificate checks is a
        // choice to be reminded of, not a one-time notice.
        Kirigami.InlineMessage {
            objectName: "insecureWarning"
            Layout.fillWidth: true
            visible: full.app.tlsInsecure
            type: Kirigami.MessageType.Warning
            onVisibleChanged: if (visible)
                full.app.log("debug", "insecure warning shown")
            icon.name: "security-low"
            text: i18n("Certificate checks are off (“Ignore certificate errors”): anyone on the network path can pose as the server and read the API token. Pin the server's certificate in the settings instead.")
            actions: [
                Kirigami.Action {
                    text: i18n("Settings…")
                    icon.name: "configure"
                    onTriggered: full.app.openSettings()
                }
            ]
        }

        Kirigami.InlineMessage {
            Layout.fillWidth: true
            visible: full.app.stale && !full.several
            type: Kirigami.MessageType.Warning
            text: full.app.staleText
        }

        RowLayout {
            Layout.fillWidth: true
            visible: full.app.developerMode
            PlasmaComponents3.Label {
                objectName: "developerModeLabel"
                Layout.fillWidth: true
                text: i18n("Developer mode: names anonymised, verbose log")
                color: Kirigami.Theme.neutralTextColor
                font: Kirigami.Theme.smallFont
                elide: Text.ElideRight
            }
            PlasmaComponents3.Button {
                text: i18n("Send test notification")
                icon.name: "preferences-desktop-notification"
                onClicked: full.app.sendTestNotification()
            }
        }

        SearchBar {
            id: searchBar
            Layout.fillWidth: true
            visible: full.showList || full.several
            app: full.app
            onLeaveDown: popupKeys.move("down")
        }
        ViewSwitch {
            Layout.fillWidth: true
            visible: full.showList || full.several
            app: full.app
        }

        // Backups and cluster health (issue 13), above the list: as the list's
        // header it made a width binding loop with the list's scroll bar.
        RecentProblems {
            Layout.fillWidth: true
            visible: full.showList && full.app.backups.problems.length > 0
            app: full.app
        }

        PlasmaComponents3.ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: full.showList
            PlasmaComponents3.ScrollBar.horizontal.policy: PlasmaComponents3.ScrollBar.AlwaysOff
            // The list is as wide as the view: the storage footer takes its width from it.
            contentWidth: availableWidth

            contentItem: ListView {
                id: nodeList
                objectName: "nodeList"
                clip: true
                model: full.app.nodeModel
                spacing: full.app.compact ? Kirigami.Units.smallSpacing / 2 : Kirigami.Units.smallSpacing
                reuseItems: false
                keyNavigationEnabled: false
                Keys.onPressed: event => event.accepted = popupKeys.handle(event)
                delegate: NodeCard {
                    width: nodeList.width
                    app: full.app
                }
                Kirigami.PlaceholderMessage {
                    objectName: "filterEmpty"
                    // On the list itself, not its scrolling content.
                    parent: nodeList
                    anchors.centerIn: parent
                    width: parent.width - Kirigami.Units.gridUnit * 2
                    visible: full.app.filterEmptyText !== ""
                    text: full.app.filterEmptyText
                }
                // Issue 12: storage below the nodes, scrolling with them.
                footer: StorageSection {
                    listWidth: nodeList.width
                    app: full.app
                }
            }
        }

        // Below the list, not its footer: a footer's height moving the list's
        // scroll bar made a width binding loop.
        BackupsSection {
            Layout.fillWidth: true
            visible: full.showList && full.app.backups.sectionVisible
            app: full.app
        }

        // Several connections: a collapsible section each, with its own
        // state line, error and node cards; one failing never blanks another.
        PlasmaComponents3.ScrollView {
            id: connectionList
            objectName: "connectionList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: full.several
            PlasmaComponents3.ScrollBar.horizontal.policy: PlasmaComponents3.ScrollBar.AlwaysOff
            contentWidth: availableWidth

            ColumnLayout {
                id: sectionColumn
                objectName: "sectionColumn"
                width: parent.width
                spacing: Kirigami.Units.largeSpacing
                // The keys while a section's header, card or row has the
                // keyboard focus (PopupKeys.qml).
                Keys.onPressed: event => event.accepted = popupKeys.handle(event)

                Repeater {
                    id: sectionRepeater
                    model: full.app.connectionModel
                    delegate: ConnectionSection {
                        id: section
                        required property string key
                        objectName: "connectionSection:" + key
                        Layout.fillWidth: true
                        connection: full.app.connectionView(key)
                        expanded: full.app.isConnectionExpanded(key)
                        headerFocused: full.app.focusTarget.kind === "connection" && full.app.focusTarget.connectionKey === key
                        onToggled: full.app.toggleConnection(key)
                        // PopupKeys.qml scrolls to a card of this section.
                        function cardAt(i) {
                            return cardRepeater.itemAt(i);
                        }

                        WidgetFacade {
                            id: connectionApp
                            parentApp: full.app
                            connectionKey: section.key
                            configuration: full.app.configuration
                        }
                        // This connection's HA and Ceph badges and recent problems (issue 13).
                        HealthBadges {
                            app: connectionApp
                        }
                        RecentProblems {
                            Layout.fillWidth: true
                            visible: connectionApp.backups.problems.length > 0
                            app: connectionApp
                        }
                        Repeater {
                            id: cardRepeater
                            model: connectionApp.nodeModel
                            delegate: NodeCard {
                                Layout.fillWidth: true
                                app: connectionApp
                            }
                        }
                        Item {
                            Layout.fillWidth: true
                            implicitHeight: connectionStorage.implicitHeight
                            StorageSection {
                                id: connectionStorage
                                listWidth: parent.width
                                app: connectionApp
                            }
                        }
                        BackupsSection {
                            Layout.fillWidth: true
                            visible: connectionApp.backups.sectionVisible
                            app: connectionApp
                        }
                    }
                }
            }
        }

        StateView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !full.showList && !full.several
            app: full.app
        }
        Kirigami.Separator {
            Layout.fillWidth: true
        }
        Item {
            Layout.fillWidth: true
            implicitHeight: footerRow.implicitHeight
            RowLayout {
                id: footerRow
                anchors.fill: parent
                spacing: Kirigami.Units.largeSpacing
                PlasmaComponents3.Label {
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    font: Kirigami.Theme.smallFont
                    text: full.app.footerText
                }
                PlasmaComponents3.Label {
                    objectName: "ageLabel"
                    Layout.minimumWidth: implicitWidth
                    font: Kirigami.Theme.smallFont
                    color: full.app.stale ? Kirigami.Theme.neutralTextColor : Kirigami.Theme.disabledTextColor
                    text: full.app.updatedText
                }
            }
            // Three clicks within a second toggle developer mode.
            MouseArea {
                objectName: "footerArea"
                anchors.fill: parent
                property int clicks: 0
                property double first: 0
                onClicked: {
                    const now = Date.now();
                    if (now - first > 1000) {
                        first = now;
                        clicks = 0;
                    }
                    clicks++;
                    if (clicks >= 3) {
                        clicks = 0;
                        full.app.setDeveloperMode(!full.app.developerMode);
                    }
                }
            }
        }
    }
}
