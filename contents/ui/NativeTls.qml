// Only the import: main.qml and the settings page load this file with
// Qt.createComponent, so a package without the compiled module (a KDE Store
// install) fails here quietly and keeps using XMLHttpRequest.
import QtQml
import "../native/org/kde/proxmon/tls" as Tls

Tls.NativeTransport {
}
