import QtQuick
import org.kde.kirigami as Kirigami

// The widget's icon: "proxmon" from the icon theme when the theme has it
// (install.sh puts it into hicolor), else the copy shipped in the package,
// which is all a KDE Store install (Get New Widgets) has. Only loading a
// real icon in the window tells whether the theme had the name, so this is
// a 1×1 transparent Kirigami.Icon whose source never changes.
Kirigami.Icon {
    readonly property string packagePath: decodeURIComponent(Qt.resolvedUrl("../icons/proxmon.svg").toString().replace(/^file:\/\//, ""))
    // An icon name or an absolute file path: Kirigami.Icon and QIcon take both.
    readonly property string name: status === Kirigami.Icon.Ready ? "proxmon" : packagePath

    source: "proxmon"
    width: 1
    height: 1
    opacity: 0
}
