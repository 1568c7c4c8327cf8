import QtQuick

// Where the widget gets the API token secret from. For now: nowhere. The
// secret is never written to the widget's configuration (it would end up in
// plain text in plasma-org.kde.plasma.desktop-appletsrc); storing it in the
// system keyring arrives with the keyring integration, which replaces this
// file. Until then a real server cannot be monitored from the panel; the
// demo cluster works without a secret.
QtObject {
    readonly property string secret: ""
    readonly property bool testOnly: false
}
