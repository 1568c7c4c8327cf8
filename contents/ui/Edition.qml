import QtQml

// What the Plasma 6 and Plasma 5 editions differ in, as data for the shared
// QML (the Plasma 5 edition has its own file of this name, plasma5/contents/ui).
QtObject {
    // The Plasma major version this package is for.
    readonly property int plasma: 6
    // The keyring's error kind when the D-Bus route to KDE Wallet is missing
    // (its text: src/keyring/messages.ts).
    readonly property string keyringUnsupportedKind: "unsupported"
}
