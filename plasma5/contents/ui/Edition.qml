import QtQml 2.15

// The Plasma 5 edition's side of contents/ui/Edition.qml.
QtObject {
    readonly property int plasma: 5
    // Plasma 5 has no D-Bus QML module: KDE Wallet only through the native
    // module (KeyringDBus.qml of this edition).
    readonly property string keyringUnsupportedKind: "unsupported-plasma5"
}
