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

    readonly property alias app: app

    switchWidth: Kirigami.Units.gridUnit * 12
    switchHeight: Kirigami.Units.gridUnit * 12
    Plasmoid.icon: "proxmon"
    Plasmoid.status: app.hasError ? PlasmaCore.Types.NeedsAttentionStatus : PlasmaCore.Types.ActiveStatus
    toolTipMainText: app.toolTipMainText
    toolTipSubText: app.toolTipSubText

    compactRepresentation: CompactRepresentation {
        app: app
    }
    fullRepresentation: FullRepresentation {
        app: app
    }

    Plasmoid.contextualActions: [
        PlasmaCore.Action {
            text: i18n("Refresh now")
            icon.name: "view-refresh"
            onTriggered: app.refreshNow()
        },
        PlasmaCore.Action {
            text: i18n("Open web UI")
            icon.name: "internet-web-browser"
            enabled: app.webUrl !== ""
            onTriggered: Qt.openUrlExternally(app.webUrl)
        }
    ]

    // The popup's state goes both ways: the panel opens it, and so does a
    // click on the compact item (through the façade).
    onExpandedChanged: app.expanded = expanded

    WidgetFacade {
        id: app
        configuration: Plasmoid.configuration
        secretSource: secretSource
        expanded: root.expanded
        alwaysShown: Plasmoid.formFactor === PlasmaCore.Types.Planar
        notify: function (n) {
            notifier.send(n);
        }
        onExpandedChanged: root.expanded = expanded
        onSettingsRequested: Plasmoid.internalAction("configure").trigger()
    }

    Notifier {
        id: notifier
        webUrl: app.webUrl
    }

    SecretSource {
        id: secretSource
        active: !app.demoMode
        host: app.host
        port: app.port
        tokenId: app.tokenId
        revision: Plasmoid.configuration.secretRevision
        log: app.log
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
