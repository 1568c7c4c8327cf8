// ProxMon native TLS transport: HTTPS requests with a per-request TLS
// policy, for QML. It moves bytes and nothing else — no Proxmox knowledge
// lives here; the TypeScript core (src/api/transport-native.ts) turns the
// results into the project's WireFailure / TransportResponse shapes.
// The same sources build against Qt 6 (native/CMakeLists.txt, Plasma 6) and
// Qt 5.15 (native/qt5/CMakeLists.txt, Plasma 5.27).
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QVariantMap>
// QML_ELEMENT: Qt 6 registers the type from it at build time
// (qt_add_qml_module); Qt 5.15's qqml.h defines it too, as a class info the
// Qt 5 build ignores (native/qt5 registers the type from its plugin). One
// header for both, with no version guard in what moc reads.
#include <QtQml/qqml.h>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

class TlsClient : public QObject
{
    Q_OBJECT
    QML_ELEMENT

    /** Version of the request/result contract below; bumped on incompatible changes. */
    Q_PROPERTY(int apiVersion READ apiVersion CONSTANT)
    /** Largest response body accepted (bytes); larger ones end with `bodyError`. */
    Q_PROPERTY(qint64 maxBodyBytes READ maxBodyBytes WRITE setMaxBodyBytes NOTIFY maxBodyBytesChanged)

public:
    explicit TlsClient(QObject *parent = nullptr);
    ~TlsClient() override;

    int apiVersion() const { return 1; }
    qint64 maxBodyBytes() const { return m_maxBodyBytes; }
    void setMaxBodyBytes(qint64 bytes);

    /**
     * Starts a request and returns its id (> 0). `finished(id, result)` follows
     * exactly once, never before this returns. spec:
     *   method     "GET" | "POST" | "PUT" | "DELETE" (any token is passed on)
     *   url        "https://host:port/path?query" (only https)
     *   headers    { name: value }
     *   body       string (UTF-8) or absent
     *   timeoutMs  number; <= 0 means none
     *   tls        { mode: "system" | "pin" | "ca" | "insecure",
     *                fingerprint256: "AA:BB:…" (pin), caPem: "-----BEGIN…" (ca) }
     */
    Q_INVOKABLE int request(const QVariantMap &spec);

    /** Ends a request; its `finished` then reports kind "aborted" (synchronously). No-op for unknown ids. */
    Q_INVOKABLE void abort(int id);

    /** Number of requests not finished yet. */
    Q_INVOKABLE int pendingCount() const { return m_pending.size(); }

Q_SIGNALS:
    /**
     * result on an HTTP answer (any status):
     *   { ok: true, status, reason, body, headers: { lower-case name: value },
     *     bodyError?: "…" (the status line came, the body could not be delivered) }
     * result on a failure:
     *   { ok: false, kind: "tls" | "unreachable" | "timeout" | "aborted",
     *     detail: "…", networkError: "ConnectionRefusedError" | …,
     *     tlsErrors: [ { name: "HostNameMismatch" | …, message } ],
     *     pinMismatch: bool, expectedFingerprint256?: "…",
     *     certificate?: { fingerprint256, subject, issuer, validFrom, validTo } }
     */
    void finished(int id, const QVariantMap &result);
    void maxBodyBytesChanged();

private:
    struct Pending {
        QPointer<QNetworkReply> reply;
        QTimer *timer = nullptr;
        QString mode;
        QByteArray pinHex; // upper-case hex, no separators; empty: matches nothing
        QByteArray body;
        QSslCertificate peer;
        QList<QSslError> tlsErrors;
        QString forcedKind; // "timeout", "aborted", "tls" (policy refusal), "" = from the reply
        QString forcedDetail;
        bool pinMismatch = false;
        bool pinChecked = false; // this reply's connection was shown to carry the pinned leaf
        QString bodyError;
        QVariantMap response; // status line and headers, once they arrived
    };

    QNetworkAccessManager *managerFor(const QString &key);
    void failLater(int id, const QVariantMap &result);
    void onSslErrors(int id, const QList<QSslError> &errors);
    void onEncrypted(int id);
    bool pinHolds(Pending &p, QNetworkReply *reply);
    void refusePin(Pending &p, QNetworkReply *reply);
    void retireManager(QNetworkAccessManager *manager);
    QList<QPointer<QNetworkAccessManager>> m_retired;
    void onReadyRead(int id);
    void captureResponse(Pending &p, QNetworkReply *reply);
    bool appendBody(Pending &p, const QByteArray &chunk);
    void onFinished(int id);
    void onTimeout(int id);
    QVariantMap failure(const Pending &p, const QString &kind, const QString &detail) const;

    QHash<QString, QNetworkAccessManager *> m_managers;
    QHash<int, Pending> m_pending;
    int m_nextId = 0;
    qint64 m_maxBodyBytes = 64 * 1024 * 1024;
};
