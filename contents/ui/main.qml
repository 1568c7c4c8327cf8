import QtQuick
import org.kde.plasma.plasmoid
import org.kde.plasma.core as PlasmaCore
import org.kde.kirigami as Kirigami

// Thin root: wires the façade (WidgetFacade.qml, over the TypeScript session
// in contents/code/proxmon.mjs) to the plasmoid — its settings, the keyring,
// notifications, the popup's open state — and hands the façade to the
// compact and full representations, which only bind to it.
PlasmoidItem {
    id: root

    readonly property alias app: facade

    switchWidth: Kirigami.Units.gridUnit * 12
    switchHeight: Kirigami.Units.gridUnit * 12
    Plasmoid.icon: "proxmon"
    Plasmoid.status: facade.hasError ? PlasmaCore.Types.NeedsAttentionStatus : PlasmaCore.Types.ActiveStatus
    toolTipMainText: facade.toolTipMainText
    toolTipSubText: facade.toolTipSubText

    compactRepresentation: CompactRepresentation {
        app: facade
    }
    fullRepresentation: FullRepresentation {
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
        secretSource: storedSecret
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
    }

    SecretSource {
        id: storedSecret
        active: !facade.demoMode
        host: facade.host
        port: facade.port
        tokenId: facade.tokenId
        revision: Plasmoid.configuration.secretRevision
        log: facade.log
    }

    TestHooks {
        id: testHooks
    }

    Timer {
        interval: 1500
        running: testHooks.expandOnStart
        onTriggered: root.expanded = true
    }
}
