// The QML plugin of org.kde.proxmon.wallet (Qt 5): one type, WalletBus.
#include "walletbus.h"

#include <QQmlEngine>
#include <QQmlExtensionPlugin>

class ProxmonWalletPlugin : public QQmlExtensionPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID QQmlExtensionInterface_iid)

public:
    void registerTypes(const char *uri) override
    {
        qmlRegisterType<WalletBus>(uri, 1, 0, "WalletBus");
    }
};

#include "plugin.moc"
