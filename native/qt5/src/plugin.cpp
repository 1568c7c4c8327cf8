// The QML plugin of org.kde.proxmon.wallet (Qt 5): one type, WalletBus.
//
// The widget imports the module's folder by path (it lives inside the
// installed package, on no import path). Qt 5 resolves only QML files in such
// a directory import (C++ types need a versioned module import), and while
// registerTypes() runs it accepts types only under the folder's path-derived
// URI. So the type is registered once the plugin is loaded, under its module
// URI, and QML creates it with "import org.kde.proxmon.wallet 1.0", which Qt 5
// resolves for a module registered from C++.
#include "walletbus.h"

#include <QQmlEngine>
#include <QQmlExtensionPlugin>

class ProxmonWalletPlugin : public QQmlExtensionPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID QQmlExtensionInterface_iid)

public:
    void registerTypes(const char *) override
    {
    }

    void initializeEngine(QQmlEngine *, const char *) override
    {
        static const int id = qmlRegisterType<WalletBus>("org.kde.proxmon.wallet", 1, 0, "WalletBus");
        Q_UNUSED(id)
    }
};

#include "plugin.moc"
