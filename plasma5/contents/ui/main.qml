import QtQuick 2.15
import org.kde.plasma.plasmoid 2.0
import org.kde.plasma.core 2.0 as PlasmaCore
import org.kde.kirigami 2.20 as Kirigami

// The Plasma 5 root: the same wiring as the Plasma 6 main.qml (façade,
// notifier, secret sources, test hooks), through Plasma 5's API — a plain Item
// with the Plasmoid attached properties instead of PlasmoidItem, actions
// through plasmoid.setAction. Everything else in the package is the Plasma 6
// QML with its imports rewritten (scripts/plasma5.mjs).
Item {
    id: root

    readonly property alias app: facade

    width: Plasmoid.formFactor === PlasmaCore.Types.Planar ? Kirigami.Units.gridUnit * 24 : undefined
    height: Plasmoid.formFactor === PlasmaCore.Types.Planar ? Kirigami.Units.gridUnit * 30 : undefined
    Plasmoid.switchWidth: Kirigami.Units.gridUnit * 12
    Plasmoid.switchHeight: Kirigami.Units.gridUnit * 12
    Plasmoid.icon: widgetIcon.name
    Plasmoid.status: facade.hasError ? PlasmaCore.Types.NeedsAttentionStatus : PlasmaCore.Types.ActiveStatus
    Plasmoid.toolTipMainText: facade.toolTipMainText
    Plasmoid.toolTipSubText: facade.toolTipSubText

    Plasmoid.compactRepresentation: CompactRepresentation {
        app: facade
    }
    // Created when the popup first opens, as on Plasma 6: with it closed the
    // session builds none of what only the popup shows.
    Plasmoid.fullRepresentation: PopupLoader {
        app: facade
    }

    // Plasma 5's contextual actions: plasmoid.setAction(name, text, icon)
    // calls action_<name>().
    function action_refresh() {
        facade.refreshNow();
    }

    function action_webui() {
        Qt.openUrlExternally(facade.webUrl);
    }

    function updateActions() {
        plasmoid.action("webui").enabled = facade.webUrl !== "";
    }

    Component.onCompleted: {
        plasmoid.setAction("refresh", i18n("Refresh now"), "view-refresh");
        plasmoid.setAction("webui", i18n("Open web UI"), "internet-web-browser");
        updateActions();
    }

    Connections {
        target: facade

        function onWebUrlChanged() {
            root.updateActions();
        }
    }

    // The popup's state goes both ways, as on Plasma 6.
    Connections {
        target: plasmoid

        function onExpandedChanged() {
            facade.expanded = plasmoid.expanded;
        }
    }

    WidgetFacade {
        id: facade
        configuration: plasmoid.configuration
        secretSource: secrets.primary
        actionSecretSource: secrets.actions
        expanded: plasmoid.expanded
        alwaysShown: Plasmoid.formFactor === PlasmaCore.Types.Planar
        notify: function (n) {
            notifier.send(n);
        }
        onExpandedChanged: plasmoid.expanded = facade.expanded
        onSettingsRequested: plasmoid.action("configure").trigger()
    }

    Notifier {
        id: notifier
        webUrl: facade.webUrl
        iconName: widgetIcon.name
    }

    SecretSources {
        id: secrets
        facade: facade
        revision: plasmoid.configuration.secretRevision
    }

    TestHooks {
        id: testHooks
    }

    WidgetIcon {
        id: widgetIcon
    }

    Timer {
        interval: 1500
        running: testHooks.expandOnStart
        onTriggered: plasmoid.expanded = true
    }
}
