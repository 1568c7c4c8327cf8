import QtQuick

// Every KDE Wallet secret the widget reads, for both editions' main.qml:
// the first connection's token and its separate actions token (Settings →
// Actions), and for every further connection (issue 11) its own token and
// actions token, each from its own wallet entry (token ID @ first address :
// port). The façade says which accounts it needs; the Instantiators make
// a SecretSource per account, recreated only when that list changes.
Item {
    id: secrets

    // The WidgetFacade the secrets are for.
    property var facade
    // The settings' secretRevision: bumped when a settings page wrote one.
    property int revision: 0

    readonly property alias primary: storedSecret
    readonly property alias actions: actionsSecret

    visible: false

    SecretSource {
        id: storedSecret
        active: !secrets.facade.demoMode
        host: secrets.facade.host
        port: secrets.facade.port
        tokenId: secrets.facade.tokenId
        revision: secrets.revision
        log: secrets.facade.log
    }

    // Idle unless the session names a separate actions token.
    SecretSource {
        id: actionsSecret
        active: secrets.facade.actionsTokenId !== ""
        host: secrets.facade.host
        port: secrets.facade.port
        tokenId: secrets.facade.actionsTokenId
        revision: secrets.revision
        log: secrets.facade.log
    }

    Instantiator {
        model: secrets.facade.extraSecretAccounts
        delegate: SecretSource {
            active: true
            host: modelData.host
            port: modelData.port
            tokenId: modelData.tokenId
            revision: secrets.revision
            log: secrets.facade.log
            onGenerationChanged: secrets.facade.secretsChanged()
            onStateChanged: secrets.facade.secretsChanged()
            onErrorMessageChanged: secrets.facade.secretsChanged()
        }
        onObjectAdded: function (index, object) {
            secrets.facade.setSecretSource(secrets.facade.extraSecretAccounts[index].key, object);
        }
        onObjectRemoved: function (index, object) {
            secrets.facade.dropSecretSource(object);
        }
    }

    Instantiator {
        model: secrets.facade.extraActionAccounts
        delegate: SecretSource {
            active: true
            host: modelData.host
            port: modelData.port
            tokenId: modelData.tokenId
            revision: secrets.revision
            log: secrets.facade.log
            onGenerationChanged: secrets.facade.secretsChanged()
            onStateChanged: secrets.facade.secretsChanged()
            onErrorMessageChanged: secrets.facade.secretsChanged()
        }
        onObjectAdded: function (index, object) {
            secrets.facade.setActionSecretSource(secrets.facade.extraActionAccounts[index].key, object);
        }
        onObjectRemoved: function (index, object) {
            secrets.facade.dropActionSecretSource(object);
        }
    }
}
