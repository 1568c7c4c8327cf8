import QtQuick
import org.kde.plasma.plasmoid
import org.kde.plasma.core as PlasmaCore
import org.kde.kirigami as Kirigami

// Thin root: wires the façade (WidgetFacade.qml, over the TypeScript session
// in contents/code/proxmon.mjs) to the plasmoid — its settings, the keyring,
// notifications, the popup's open state — and hands the façade to the
// compact and full representations, which only bind to it (the full one
// through PopupLoader.qml, created when the popup first opens).
PlasmoidItem {
    id: root

    readonly property alias app: facade

    // The size a desktop gives a new widget (the containment centres the
    // item as it is); FullRepresentation's preferred size.
    width: Plasmoid.formFactor === PlasmaCore.Types.Planar ? Kirigami.Units.gridUnit * 24 : undefined
    height: Plasmoid.formFactor === PlasmaCore.Types.Planar ? Kirigami.Units.gridUnit * 30 : undefined
    switchWidth: Kirigami.Units.gridUnit * 12
    switchHeight: Kirigami.Units.gridUnit * 12
    Plasmoid.icon: widgetIcon.name
    Plasmoid.status: facade.hasError ? PlasmaCore.Types.NeedsAttentionStatus : PlasmaCore.Types.ActiveStatus
    toolTipMainText: facade.toolTipMainText
    toolTipSubText: facade.toolTipSubText

    compactRepresentation: CompactRepresentation {
        app: facade
    }
    fullRepresentation: PopupLoader {
        app: facade
    }

    Plasmoid.contextualActions: [
        PlasmaCore.Action {
            text: i18n("Refresh now")
            icon.name: "view-refresh"
            onTriggered: facade.refreshNow()
        },
        PlasmaCore.Action {
            text: i18n("Open web UI")
            icon.name: "internet-web-browser"
            enabled: facade.webUrl !== ""
            onTriggered: Qt.openUrlExternally(facade.webUrl)
        }
    ]

    // The popup's state goes both ways: the panel opens it, and so does a
    // click on the compact item (through the façade).
    onExpandedChanged: facade.expanded = root.expanded

    WidgetFacade {
        id: facade
        configuration: Plasmoid.configuration
        secretSource: secrets.primary
        actionSecretSource: secrets.actions
        expanded: root.expanded
        alwaysShown: Plasmoid.formFactor === PlasmaCore.Types.Planar
        notify: function (n) {
            notifier.send(n);
        }
        onExpandedChanged: root.expanded = facade.expanded
        onSettingsRequested: Plasmoid.internalAction("configure").trigger()
    }

    Notifier {
        id: notifier
        webUrl: facade.webUrl
        iconName: widgetIcon.name
    }

    SecretSources {
        id: secrets
        facade: facade
        revision: Plasmoid.configuration.secretRevision
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
        onTriggered: root.expanded = true
    }
}
