#include "walletbus.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QMetaObject>
#include <QVariantMap>

namespace
{
// A wallet password prompt may take its time: the caller decides how long
// to wait (the secret store polls a locked wallet), not a D-Bus timeout.
constexpr int callTimeoutMs = 5 * 60 * 1000;

bool allowedTarget(const QString &service, const QString &path, const QString &iface)
{
    const bool five = service == QLatin1String("org.kde.kwalletd5") && path == QLatin1String("/modules/kwalletd5");
    const bool six = service == QLatin1String("org.kde.kwalletd6") && path == QLatin1String("/modules/kwalletd6");
    return (five || six) && iface == QLatin1String("org.kde.KWallet");
}

bool allowedMember(const QString &member)
{
    if (member.isEmpty() || member.size() > 64)
        return false;
    for (const QChar c : member) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128))
            return false;
    }
    return true;
}

// {type, value} → a QVariant of the D-Bus type; false on anything else.
bool typed(const QVariant &arg, QVariant *out)
{
    const QVariantMap map = arg.toMap();
    const QString type = map.value(QStringLiteral("type")).toString();
    const QVariant value = map.value(QStringLiteral("value"));
    if (type == QLatin1String("s"))
        *out = QVariant::fromValue(value.toString());
    else if (type == QLatin1String("x"))
        *out = QVariant::fromValue(static_cast<qlonglong>(value.toDouble()));
    else if (type == QLatin1String("i"))
        *out = QVariant::fromValue(static_cast<int>(value.toDouble()));
    else if (type == QLatin1String("b"))
        *out = QVariant::fromValue(value.toBool());
    else
        return false;
    return true;
}

// A reply argument as a plain value for JavaScript.
QVariant plain(const QVariant &v)
{
    if (v.userType() == qMetaTypeId<QDBusVariant>())
        return plain(v.value<QDBusVariant>().variant());
    if (v.userType() == qMetaTypeId<QDBusArgument>()) {
        const QDBusArgument arg = v.value<QDBusArgument>();
        if (arg.currentType() == QDBusArgument::ArrayType) {
            QStringList list;
            arg >> list;
            return list;
        }
        return QVariant();
    }
    return v;
}
} // namespace

WalletBus::WalletBus(QObject *parent)
    : QObject(parent)
{
}

void WalletBus::finishLater(int id, const QString &error)
{
    QMetaObject::invokeMethod(
        this, [this, id, error]() { Q_EMIT finished(id, error, QVariant()); }, Qt::QueuedConnection);
}

int WalletBus::call(const QString &service, const QString &path, const QString &iface, const QString &member,
                    const QVariantList &args)
{
    const int id = ++m_next;
    if (!allowedTarget(service, path, iface) || !allowedMember(member)) {
        finishLater(id, QStringLiteral("org.freedesktop.DBus.Error.AccessDenied: only org.kde.KWallet calls are allowed"));
        return id;
    }
    QVariantList values;
    for (const QVariant &arg : args) {
        QVariant v;
        if (!typed(arg, &v)) {
            finishLater(id, QStringLiteral("org.freedesktop.DBus.Error.InvalidArgs: unsupported argument type"));
            return id;
        }
        values.append(v);
    }
    QDBusMessage message = QDBusMessage::createMethodCall(service, path, iface, member);
    message.setArguments(values);
    auto *watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(message, callTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, id](QDBusPendingCallWatcher *w) {
        const QDBusMessage reply = w->reply();
        w->deleteLater();
        if (reply.type() == QDBusMessage::ErrorMessage) {
            Q_EMIT finished(id, reply.errorName() + QStringLiteral(": ") + reply.errorMessage(), QVariant());
            return;
        }
        const QVariantList out = reply.arguments();
        Q_EMIT finished(id, QString(), out.isEmpty() ? QVariant() : plain(out.first()));
    });
    return id;
}
