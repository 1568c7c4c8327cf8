pragma Singleton
import QtQuick

// Stand-in for libplasma's Plasmoid attached object, which only exists
// inside a running applet: qmltestrunner has no applet, so the component
// tests put this module first on the import path. Only what the widget's
// representations read is here; tests change formFactor to place the
// compact representation in a horizontal or vertical panel.
QtObject {
    // PlasmaCore.Types.FormFactor: 0 planar, 2 horizontal, 3 vertical.
    property int formFactor: 0
    property int location: 0
    readonly property var configuration: ({})
    // main.qml sets the real one from WidgetIcon.qml.
    property string icon: "proxmon"
}
