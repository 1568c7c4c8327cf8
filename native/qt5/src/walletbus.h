// WalletBus: the KDE Wallet D-Bus calls of the Plasma 5 edition's secret
// store, for QML (plasma5/contents/ui/KeyringDBus.qml). Only the
// org.kde.KWallet interface of kwalletd5/kwalletd6 can be called, with
// typed arguments ({type: "s"|"x"|"i"|"b", value}); replies come back as
// plain values. Nothing here logs an argument or a reply (a secret is one).
#pragma once

#include <QObject>
#include <QString>
#include <QVariant>
#include <QVariantList>

class WalletBus : public QObject
{
    Q_OBJECT
    /** Version of the call/finished contract. */
    Q_PROPERTY(int apiVersion READ apiVersion CONSTANT)

public:
    explicit WalletBus(QObject *parent = nullptr);

    int apiVersion() const { return 1; }

    /**
     * Starts one method call on the session bus and returns its id (> 0);
     * finished(id, error, value) follows exactly once, never before this
     * returned. error is "" on success, else "name: message".
     */
    Q_INVOKABLE int call(const QString &service, const QString &path, const QString &iface,
                         const QString &member, const QVariantList &args);

Q_SIGNALS:
    void finished(int id, const QString &error, const QVariant &value);

private:
    void finishLater(int id, const QString &error);
    int m_next = 0;
};
