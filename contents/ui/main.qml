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
        actionSecretSource: actionsSecret
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

    SecretSource {
        id: storedSecret
        active: !facade.demoMode
        host: facade.host
        port: facade.port
        tokenId: facade.tokenId
        revision: Plasmoid.configuration.secretRevision
        log: facade.log
    }

    // Several connections (issue 11): every connection after the first reads
    // its own secret, from its own KDE Wallet entry (keyed as today by its
    // token ID and first address). Recreated only when the list of entries changes.
    Instantiator {
        model: facade.extraSecretAccounts
        delegate: SecretSource {
            active: true
            host: modelData.host
            port: modelData.port
            tokenId: modelData.tokenId
            revision: Plasmoid.configuration.secretRevision
            log: facade.log
            onGenerationChanged: facade.secretsChanged()
            onStateChanged: facade.secretsChanged()
            onErrorMessageChanged: facade.secretsChanged()
        }
        onObjectAdded: (index, object) => facade.setSecretSource(facade.extraSecretAccounts[index].key, object)
        onObjectRemoved: (index, object) => facade.dropSecretSource(object)
    }

    // The separate actions token's secret (Settings → Actions); idle unless the session names that token.
    SecretSource {
        id: actionsSecret
        active: facade.actionsTokenId !== ""
        host: facade.host
        port: facade.port
        tokenId: facade.actionsTokenId
        revision: Plasmoid.configuration.secretRevision
        log: facade.log
    }

    // Power actions with a separate token and several connections: every
    // connection after the first reads its own actions token secret, from
    // its own KDE Wallet entry (actions token ID @ first address : port).
    Instantiator {
        model: facade.extraActionAccounts
        delegate: SecretSource {
            active: true
            host: modelData.host
            port: modelData.port
            tokenId: modelData.tokenId
            revision: Plasmoid.configuration.secretRevision
            log: facade.log
            onGenerationChanged: facade.secretsChanged()
            onStateChanged: facade.secretsChanged()
            onErrorMessageChanged: facade.secretsChanged()
        }
        onObjectAdded: (index, object) => facade.setActionSecretSource(facade.extraActionAccounts[index].key, object)
        onObjectRemoved: (index, object) => facade.dropActionSecretSource(object)
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
