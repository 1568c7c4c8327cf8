import QtQuick
import org.kde.plasma.configuration

ConfigModel {
    ConfigCategory {
        name: i18n("Connection")
        icon: "network-server"
        source: "ConfigConnection.qml"
    }
    ConfigCategory {
        name: i18n("Connections")
        icon: "network-workgroup"
        source: "ConfigConnections.qml"
    }
    ConfigCategory {
        name: i18n("Behavior")
        icon: "preferences-system-notifications"
        source: "ConfigBehavior.qml"
    }
    ConfigCategory {
        name: i18n("Actions")
        icon: "system-shutdown"
        source: "ConfigActions.qml"
    }
    ConfigCategory {
        name: i18n("Appearance")
        icon: "preferences-desktop-color"
        source: "ConfigAppearance.qml"
    }
}
