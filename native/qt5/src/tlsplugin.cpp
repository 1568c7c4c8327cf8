// The QML plugin of org.kde.proxmon.tls for Qt 5: TlsClient, built from the
// same native/src/tlsclient.{h,cpp} as the Qt 6 module (which registers it
// through QML_ELEMENT and qt_add_qml_module instead). NativeTransport, the
// plain-function wrapper, is the QML file beside the plugin.
//
// Registered once the plugin is loaded, under the module URI, for the reason
// given in plugin.cpp (the wallet module): the widget imports the folder by
// path, and Qt 5 accepts only the folder's path-derived URI in registerTypes().
#include "tlsclient.h"

#include <QQmlEngine>
#include <QQmlExtensionPlugin>

class ProxmonTlsPlugin : public QQmlExtensionPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID QQmlExtensionInterface_iid)

public:
    void registerTypes(const char *) override
    {
    }

    void initializeEngine(QQmlEngine *, const char *) override
    {
        static const int id = qmlRegisterType<TlsClient>("org.kde.proxmon.tls", 1, 0, "TlsClient");
        Q_UNUSED(id)
    }
};

#include "tlsplugin.moc"
