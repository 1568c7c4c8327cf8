// See tlsclient.h. How each TLS policy is enforced:
//
//   system    Qt's defaults: the system trust store and the host name check.
//   ca        only the given PEM certificates as trust anchors (setCaCertificates
//             also turns off Qt's on-demand loading of the system roots), with
//             the usual chain and host name checks.
//   pin       no chain or name verification; the leaf certificate's SHA-256
//             must equal the pin. Decided in QNetworkReply::encrypted(), which
//             Qt emits after the handshake and before any byte of the request
//             (Qt delivers it through a blocking queued connection from its
//             HTTP thread and only queues the request's sending afterwards;
//             aborting in that slot is the documented way to refuse). The test
//             tests/plasma/test-native-tls.sh checks the server never sees a
//             request on a refused connection.
//   insecure  no verification at all.
//
// Kept-alive connections: Qt's HTTP connection cache is per
// QNetworkAccessManager and its key does not include the TLS configuration,
// so a connection opened under a lax policy could serve a request made under
// a strict one. Each distinct policy therefore gets its own manager.
#include "tlsclient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>

#include <utility>

namespace {

const QString kTls = QStringLiteral("tls");
const QString kUnreachable = QStringLiteral("unreachable");
const QString kTimeout = QStringLiteral("timeout");
const QString kAborted = QStringLiteral("aborted");
const QString kPinMismatch = QStringLiteral("certificate fingerprint mismatch");
constexpr int kMaxManagers = 16;

QString sslErrorName(QSslError::SslError e)
{
#define NAME(x) case QSslError::x: return QStringLiteral(#x);
    switch (e) {
    NAME(NoError)
    NAME(UnableToGetIssuerCertificate)
    NAME(UnableToDecryptCertificateSignature)
    NAME(UnableToDecodeIssuerPublicKey)
    NAME(CertificateSignatureFailed)
    NAME(CertificateNotYetValid)
    NAME(CertificateExpired)
    NAME(InvalidNotBeforeField)
    NAME(InvalidNotAfterField)
    NAME(SelfSignedCertificate)
    NAME(SelfSignedCertificateInChain)
    NAME(UnableToGetLocalIssuerCertificate)
    NAME(UnableToVerifyFirstCertificate)
    NAME(CertificateRevoked)
    NAME(InvalidCaCertificate)
    NAME(PathLengthExceeded)
    NAME(InvalidPurpose)
    NAME(CertificateUntrusted)
    NAME(CertificateRejected)
    NAME(SubjectIssuerMismatch)
    NAME(AuthorityIssuerSerialNumberMismatch)
    NAME(NoPeerCertificate)
    NAME(HostNameMismatch)
    NAME(NoSslSupport)
    NAME(CertificateBlacklisted)
    default:
        return QStringLiteral("Other%1").arg(int(e));
    }
#undef NAME
}

/** Upper-case hex without separators, or empty when it is not 32 bytes of hex. */
QByteArray canonicalPin(const QString &text)
{
    QByteArray hex;
    for (const QChar ch : text) {
        const char c = ch.toUpper().toLatin1();
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) {
            hex.append(c);
        } else if (c != ':' && c != ' ' && c != '-' && c != '\t') {
            return {};
        }
    }
    return hex.size() == 64 ? hex : QByteArray();
}

QByteArray digestHex(const QSslCertificate &cert)
{
    return cert.isNull() ? QByteArray() : cert.digest(QCryptographicHash::Sha256).toHex().toUpper();
}

QString distinguishedName(const QSslCertificate &cert, bool issuer)
{
    QStringList parts;
    const QList<QByteArray> attributes =
        issuer ? cert.issuerInfoAttributes() : cert.subjectInfoAttributes();
    for (const QByteArray &attribute : attributes) {
        const QStringList values = issuer ? cert.issuerInfo(attribute) : cert.subjectInfo(attribute);
        parts << QString::fromLatin1(attribute) + QLatin1Char('=') + values.join(QLatin1Char('+'));
    }
    return parts.join(QStringLiteral(", "));
}

QString isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QVariantMap certificateInfo(const QSslCertificate &cert)
{
    return {
        {QStringLiteral("fingerprint256"),
         QString::fromLatin1(cert.digest(QCryptographicHash::Sha256).toHex(':').toUpper())},
        {QStringLiteral("subject"), distinguishedName(cert, false)},
        {QStringLiteral("issuer"), distinguishedName(cert, true)},
        {QStringLiteral("validFrom"), isoUtc(cert.effectiveDate())},
        {QStringLiteral("validTo"), isoUtc(cert.expiryDate())},
    };
}

QString networkErrorName(QNetworkReply::NetworkError e)
{
    const char *key = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(e);
    return key ? QString::fromLatin1(key) : QStringLiteral("UnknownNetworkError");
}

bool hasLineBreak(const QByteArray &bytes)
{
    return bytes.contains('\r') || bytes.contains('\n') || bytes.contains('\0');
}

QString formatMiB(qint64 bytes)
{
    if (bytes >= 1024 * 1024) {
        return QString::number(double(bytes) / (1024.0 * 1024.0), 'g', 4) + QStringLiteral(" MiB");
    }
    return QString::number(bytes) + QStringLiteral(" bytes");
}

} // namespace

TlsClient::TlsClient(QObject *parent)
    : QObject(parent)
{
}

TlsClient::~TlsClient()
{
    // No finished() during destruction: drop the bookkeeping, then end the replies.
    const QHash<int, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &p : pending) {
        if (p.reply) {
            p.reply->disconnect(this);
            p.reply->abort();
            p.reply->deleteLater();
        }
    }
}

void TlsClient::setMaxBodyBytes(qint64 bytes)
{
    if (bytes > 0 && bytes != m_maxBodyBytes) {
        m_maxBodyBytes = bytes;
        Q_EMIT maxBodyBytesChanged();
    }
}

QNetworkAccessManager *TlsClient::managerFor(const QString &key)
{
    // Retired managers (see retireManager) go once their replies are done.
    for (int i = m_retired.size() - 1; i >= 0; --i) {
        QNetworkAccessManager *old = m_retired.at(i);
        if (!old) {
            m_retired.removeAt(i);
        } else if (old->findChildren<QNetworkReply *>().isEmpty()) {
            old->deleteLater();
            m_retired.removeAt(i);
        }
    }
    if (QNetworkAccessManager *existing = m_managers.value(key)) {
        return existing;
    }
    if (m_managers.size() >= kMaxManagers) {
        // Forget managers of policies no longer in use (their replies are done).
        for (auto it = m_managers.begin(); it != m_managers.end();) {
            if (it.value()->findChildren<QNetworkReply *>().isEmpty()) {
                it.value()->deleteLater();
                it = m_managers.erase(it);
            } else {
                ++it;
            }
        }
    }
    auto *manager = new QNetworkAccessManager(this);
    manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_managers.insert(key, manager);
    return manager;
}

void TlsClient::failLater(int id, const QVariantMap &result)
{
    QMetaObject::invokeMethod(
        this, [this, id, result]() { Q_EMIT finished(id, result); }, Qt::QueuedConnection);
}

int TlsClient::request(const QVariantMap &spec)
{
    const int id = ++m_nextId;
    auto early = [this, id](const QString &kind, const QString &detail) {
        failLater(id, {{QStringLiteral("ok"), false},
                       {QStringLiteral("kind"), kind},
                       {QStringLiteral("detail"), detail}});
        return id;
    };

    const QUrl url(spec.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        return early(kUnreachable, QStringLiteral("invalid URL"));
    }
    if (url.scheme() != QLatin1String("https")) {
        return early(kUnreachable, QStringLiteral("only https:// URLs are supported"));
    }

    const QVariantMap tls = spec.value(QStringLiteral("tls")).toMap();
    QString mode = tls.value(QStringLiteral("mode")).toString();
    if (mode.isEmpty()) {
        mode = QStringLiteral("system");
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    QString key = mode;
    QByteArray pinHex;
    if (mode == QLatin1String("insecure")) {
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else if (mode == QLatin1String("pin")) {
        pinHex = canonicalPin(tls.value(QStringLiteral("fingerprint256")).toString());
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        key += QLatin1Char('\n') + QString::fromLatin1(pinHex);
    } else if (mode == QLatin1String("ca")) {
        const QByteArray pem = tls.value(QStringLiteral("caPem")).toString().toUtf8();
        const QList<QSslCertificate> anchors = QSslCertificate::fromData(pem, QSsl::Pem);
        if (anchors.isEmpty()) {
            return early(kTls, QStringLiteral("the CA file holds no PEM certificate"));
        }
        config.setCaCertificates(anchors);
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        key += QLatin1Char('\n')
            + QString::fromLatin1(QCryptographicHash::hash(pem, QCryptographicHash::Sha256).toHex());
    } else if (mode != QLatin1String("system")) {
        return early(kTls, QStringLiteral("unknown TLS policy"));
    }

    QNetworkRequest request(url);
    request.setSslConfiguration(config);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    const QVariantMap headers = spec.value(QStringLiteral("headers")).toMap();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        const QByteArray name = it.key().toUtf8();
        const QByteArray value = it.value().toString().toUtf8();
        if (name.isEmpty() || hasLineBreak(name) || hasLineBreak(value)) {
            // Never echo the header: it may be the Authorization one.
            return early(kUnreachable, QStringLiteral("a request header contains a line break"));
        }
        const QByteArray lower = name.toLower();
        if (lower == "accept-encoding" || lower == "content-length" || lower == "host") {
            continue; // Qt sets these itself (and decompresses what it asked for).
        }
        request.setRawHeader(name, value);
    }

    QByteArray verb = spec.value(QStringLiteral("method")).toString().toUtf8();
    if (verb.isEmpty()) {
        verb = "GET";
    }
    const QVariant bodyValue = spec.value(QStringLiteral("body"));
    const bool hasBody = bodyValue.isValid() && !bodyValue.isNull()
        && bodyValue.userType() == QMetaType::QString;

    QNetworkAccessManager *manager = managerFor(key);
    QNetworkReply *reply = hasBody
        ? manager->sendCustomRequest(request, verb, bodyValue.toString().toUtf8())
        : manager->sendCustomRequest(request, verb);

    Pending p;
    p.reply = reply;
    p.mode = mode;
    p.pinHex = pinHex;
    const double timeoutMs = spec.value(QStringLiteral("timeoutMs")).toDouble();
    if (timeoutMs > 0 && timeoutMs < 2.0e9) {
        p.timer = new QTimer(this);
        p.timer->setSingleShot(true);
        p.timer->setInterval(int(timeoutMs));
        connect(p.timer, &QTimer::timeout, this, [this, id]() { onTimeout(id); });
        p.timer->start();
    }
    m_pending.insert(id, p);

    connect(reply, &QNetworkReply::sslErrors, this,
            [this, id](const QList<QSslError> &errors) { onSslErrors(id, errors); });
    connect(reply, &QNetworkReply::encrypted, this, [this, id]() { onEncrypted(id); });
    connect(reply, &QNetworkReply::readyRead, this, [this, id]() { onReadyRead(id); });
    connect(reply, &QNetworkReply::finished, this, [this, id]() { onFinished(id); });
    return id;
}

void TlsClient::abort(int id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        return;
    }
    if (it->forcedKind.isEmpty()) {
        it->forcedKind = kAborted;
        it->forcedDetail = QStringLiteral("aborted by the caller");
    }
    if (QNetworkReply *reply = it->reply) {
        reply->abort(); // emits finished() right away → onFinished
    } else {
        onFinished(id);
    }
}

void TlsClient::onTimeout(int id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end() || !it->forcedKind.isEmpty()) {
        return;
    }
    it->forcedKind = kTimeout;
    it->forcedDetail = QStringLiteral("no answer within %1 ms").arg(it->timer ? it->timer->interval() : 0);
    if (QNetworkReply *reply = it->reply) {
        reply->abort();
    }
}

void TlsClient::onSslErrors(int id, const QList<QSslError> &errors)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end() || !it->reply) {
        return;
    }
    QNetworkReply *reply = it->reply;
    it->tlsErrors = errors;
    QSslCertificate peer = reply->sslConfiguration().peerCertificate();
    if (peer.isNull()) {
        for (const QSslError &e : errors) {
            if (!e.certificate().isNull()) {
                peer = e.certificate();
                break;
            }
        }
    }
    it->peer = peer;
    if (it->mode == QLatin1String("insecure")) {
        reply->ignoreSslErrors();
    } else if (it->mode == QLatin1String("pin")) {
        // Verification is off for "pin", so this is not expected; decide by the pin anyway.
        if (!it->pinHex.isEmpty() && digestHex(peer) == it->pinHex) {
            reply->ignoreSslErrors();
        } else {
            it->pinMismatch = true;
        }
    }
    // "system" and "ca": not ignored, so the handshake fails and finished() reports it.
}

void TlsClient::onEncrypted(int id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end() || !it->reply) {
        return;
    }
    QNetworkReply *reply = it->reply;
    const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
    if (!peer.isNull()) {
        it->peer = peer;
    }
    if (it->mode == QLatin1String("pin")) {
        if (!it->pinHex.isEmpty() && !peer.isNull() && digestHex(peer) == it->pinHex) {
            it->pinChecked = true;
        } else {
            refusePin(*it, reply); // before the request is written: see the top of this file
        }
    }
}

// encrypted() fires once per connection, not per request: a request that
// Qt queues on a connection already open never sees it. So every reply in
// pin mode is checked again before any of its answer is used, and a refused
// connection is dropped from the cache so nothing can be queued on it.
bool TlsClient::pinHolds(Pending &p, QNetworkReply *reply)
{
    if (p.mode != QLatin1String("pin") || p.pinChecked) {
        return true;
    }
    const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
    if (!peer.isNull()) {
        p.peer = peer;
    }
    if (!p.pinHex.isEmpty() && !peer.isNull() && digestHex(peer) == p.pinHex) {
        p.pinChecked = true;
        return true;
    }
    return false;
}

void TlsClient::refusePin(Pending &p, QNetworkReply *reply)
{
    p.pinMismatch = true;
    p.forcedKind = kTls;
    p.forcedDetail = kPinMismatch;
    retireManager(reply->manager());
    reply->abort();
}

// A manager that met a connection failing its pin may keep that connection
// (Qt aborts the request, not the connection). Clearing its cache from
// inside a reply's signal proved unreliable, so the manager is retired: the
// next request of that policy gets a fresh manager and a fresh handshake.
void TlsClient::retireManager(QNetworkAccessManager *manager)
{
    if (!manager) {
        return;
    }
    for (auto it = m_managers.begin(); it != m_managers.end(); ++it) {
        if (it.value() == manager) {
            m_managers.erase(it);
            m_retired.append(manager);
            return;
        }
    }
}

void TlsClient::captureResponse(Pending &p, QNetworkReply *reply)
{
    if (!p.response.isEmpty()) {
        return;
    }
    QVariantMap headers;
    const auto pairs = reply->rawHeaderPairs();
    for (const auto &pair : pairs) {
        const QString name = QString::fromLatin1(pair.first).toLower();
        const QString value = QString::fromUtf8(pair.second);
        headers.insert(name, headers.contains(name)
                                 ? headers.value(name).toString() + QStringLiteral(", ") + value
                                 : value);
    }
    p.response = {
        {QStringLiteral("ok"), true},
        {QStringLiteral("status"), reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()},
        {QStringLiteral("reason"),
         QString::fromUtf8(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray())},
        {QStringLiteral("headers"), headers},
    };
}

bool TlsClient::appendBody(Pending &p, const QByteArray &chunk)
{
    if (p.body.size() + chunk.size() > m_maxBodyBytes) {
        p.bodyError = QStringLiteral("response larger than %1").arg(formatMiB(m_maxBodyBytes));
        p.body.clear();
        return false;
    }
    p.body.append(chunk);
    return true;
}

void TlsClient::onReadyRead(int id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end() || !it->reply || !it->bodyError.isEmpty() || !it->forcedKind.isEmpty()) {
        return;
    }
    QNetworkReply *reply = it->reply;
    if (!pinHolds(*it, reply)) {
        refusePin(*it, reply);
        return;
    }
    captureResponse(*it, reply);
    if (!appendBody(*it, reply->readAll())) {
        reply->abort(); // finished() reports the status line with bodyError
    }
}

QVariantMap TlsClient::failure(const Pending &p, const QString &kind, const QString &detail) const
{
    QVariantMap result{
        {QStringLiteral("ok"), false},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("detail"), detail},
    };
    if (kind == kTls) {
        QVariantList errors;
        for (const QSslError &e : p.tlsErrors) {
            errors.append(QVariantMap{{QStringLiteral("name"), sslErrorName(e.error())},
                                      {QStringLiteral("message"), e.errorString()}});
        }
        result.insert(QStringLiteral("tlsErrors"), errors);
        result.insert(QStringLiteral("pinMismatch"), p.pinMismatch);
        if (p.mode == QLatin1String("pin")) {
            QString expected;
            for (int i = 0; i + 1 < p.pinHex.size(); i += 2) {
                expected += (i ? QStringLiteral(":") : QString()) + QString::fromLatin1(p.pinHex.mid(i, 2));
            }
            result.insert(QStringLiteral("expectedFingerprint256"), expected);
        }
        if (!p.peer.isNull()) {
            result.insert(QStringLiteral("certificate"), certificateInfo(p.peer));
        }
    }
    return result;
}

void TlsClient::onFinished(int id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        return;
    }
    Pending p = *it;
    m_pending.erase(it);
    if (p.timer) {
        p.timer->stop();
        p.timer->deleteLater();
    }
    QNetworkReply *reply = p.reply;
    if (reply) {
        reply->disconnect(this);
        reply->deleteLater();
    }

    QVariantMap result;
    if (!p.bodyError.isEmpty()) {
        result = p.response;
        result.insert(QStringLiteral("body"), QString());
        result.insert(QStringLiteral("bodyError"), p.bodyError);
    } else if (!p.forcedKind.isEmpty()) {
        result = failure(p, p.forcedKind, p.forcedDetail);
    } else if (!reply) {
        result = failure(p, kUnreachable, QStringLiteral("the request vanished"));
    } else if (!pinHolds(p, reply)) {
        p.pinMismatch = true;
        retireManager(reply->manager());
        result = failure(p, kTls, kPinMismatch);
    } else {
        const QNetworkReply::NetworkError error = reply->error();
        if (error == QNetworkReply::NoError || error >= QNetworkReply::ContentAccessDenied) {
            // An HTTP answer (Qt maps 4xx/5xx to errors ≥ 201): hand it on as it is.
            if (error != QNetworkReply::NoError
                && !reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()) {
                result = failure(p, kUnreachable, reply->errorString());
                result.insert(QStringLiteral("networkError"), networkErrorName(error));
            } else {
                captureResponse(p, reply);
                if (appendBody(p, reply->readAll())) {
                    result = p.response;
                    result.insert(QStringLiteral("body"), QString::fromUtf8(p.body));
                } else {
                    result = p.response;
                    result.insert(QStringLiteral("body"), QString());
                    result.insert(QStringLiteral("bodyError"), p.bodyError);
                }
            }
        } else if (error == QNetworkReply::SslHandshakeFailedError || p.pinMismatch) {
            if (p.peer.isNull()) {
                p.peer = reply->sslConfiguration().peerCertificate();
            }
            QString detail = p.pinMismatch ? kPinMismatch
                : (!p.tlsErrors.isEmpty() ? p.tlsErrors.first().errorString() : reply->errorString());
            result = failure(p, kTls, detail);
            result.insert(QStringLiteral("networkError"), networkErrorName(error));
        } else {
            result = failure(p, kUnreachable, reply->errorString());
            result.insert(QStringLiteral("networkError"), networkErrorName(error));
        }
    }
    Q_EMIT finished(id, result);
}
