// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/apiclient.h"

#include <QNetworkReply>
#include <QNetworkRequest>

namespace Community::Client {

namespace {

bool hasHeader(const RawHeaders &headers, const QByteArray &name)
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

PendingReply::PendingReply(QNetworkReply *reply, QUrl url, std::chrono::milliseconds timeout,
                           QObject *parent)
    : QObject(parent)
    , m_network(reply)
    , m_timeout(timeout)
{
    m_reply.url = std::move(url);
    reply->setParent(this);
    connect(reply, &QNetworkReply::finished, this, &PendingReply::onFinished);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_network)
            m_network->abort();
    });
    m_deadline.start(timeout);
}

void PendingReply::limitBody(qint64 maxBytes)
{
    m_maxBytes = maxBytes;
    connect(m_network, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        if (m_network && (received > m_maxBytes || total > m_maxBytes)) {
            m_tooLarge = true;
            m_network->abort();
        }
    });
}

void PendingReply::cancel()
{
    if (m_finished || !m_network)
        return;
    m_cancelled = true;
    m_network->abort();
}

void PendingReply::onFinished()
{
    m_deadline.stop();
    QNetworkReply *network = m_network;
    const QVariant status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (m_cancelled) {
        m_reply.outcome = ApiReply::Outcome::Cancelled;
        m_reply.transportError = QStringLiteral("cancelled");
    } else if (m_tooLarge) {
        m_reply.outcome = ApiReply::Outcome::Unreachable;
        m_reply.transportError = QStringLiteral("larger than %1 bytes").arg(m_maxBytes);
    } else if (!m_timedOut && status.isValid()) {
        m_reply.status = status.toInt();
        m_reply.reasonPhrase =
            network->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        m_reply.body = network->readAll();
        m_reply.headers = network->rawHeaderPairs();
        m_reply.outcome = (m_reply.status >= 200 && m_reply.status < 300)
            ? ApiReply::Outcome::Ok
            : ApiReply::Outcome::HttpError;
    } else {
        m_reply.outcome = ApiReply::Outcome::Unreachable;
        m_reply.timedOut = m_timedOut;
        m_reply.transportError = m_timedOut
            ? QStringLiteral("timed out after %1 s").arg(double(m_timeout.count()) / 1000.0)
            : network->errorString();
    }
    m_finished = true;
    network->deleteLater();
    emit finished(m_reply);
    deleteLater();
}

ApiClient::ApiClient(QUrl baseUrl, QString token, std::chrono::milliseconds timeout,
                     QObject *parent)
    : QObject(parent)
    , m_baseUrl(std::move(baseUrl))
    , m_token(std::move(token))
    , m_timeout(timeout)
    , m_userAgent(defaultUserAgent())
{
}

QByteArray ApiClient::defaultUserAgent()
{
    return QByteArrayLiteral("community-client/" COMMUNITY_VERSION);
}

QUrl ApiClient::urlFor(const QString &path, const QUrlQuery &query) const
{
    const qsizetype mark = path.indexOf(QLatin1Char('?'));
    const QString pathOnly = mark < 0 ? path : path.left(mark);
    QUrl url = m_baseUrl;
    QString prefix = url.path(QUrl::FullyEncoded);
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix
                    + (pathOnly.startsWith(QLatin1Char('/')) ? pathOnly
                                                             : QLatin1Char('/') + pathOnly),
                QUrl::TolerantMode);
    if (mark >= 0)
        url.setQuery(path.mid(mark + 1), QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QString ApiClient::pathSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

PendingReply *ApiClient::send(const ApiRequest &request)
{
    const QUrl url = urlFor(request.path, request.query);
    QNetworkRequest http(url);
    http.setRawHeader("Accept", "application/json, application/problem+json");
    http.setRawHeader("User-Agent", m_userAgent);
    if (!m_token.isEmpty())
        http.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    if (!request.body.isEmpty() && !hasHeader(request.headers, "Content-Type"))
        http.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    for (const auto &[name, value] : request.headers)
        http.setRawHeader(name, value);
    if (!request.followRedirects)
        http.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);

    QNetworkReply *reply = m_nam.sendCustomRequest(http, request.method, request.body);
    return new PendingReply(reply, url, request.timeout.value_or(m_timeout), this);
}

PendingReply *ApiClient::fetch(const QUrl &url, qint64 maxBytes)
{
    QNetworkRequest http(url);
    http.setRawHeader("User-Agent", m_userAgent);
    const bool sameOrigin = url.scheme() == m_baseUrl.scheme() && url.host() == m_baseUrl.host()
        && url.port(url.scheme() == QLatin1String("https") ? 443 : 80)
            == m_baseUrl.port(m_baseUrl.scheme() == QLatin1String("https") ? 443 : 80);
    if (sameOrigin && !m_token.isEmpty()) {
        http.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
        // A redirect must not carry the token elsewhere: it is the answer, not followed.
        http.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    }
    http.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    http.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    auto *pending = new PendingReply(m_nam.get(http), url, m_timeout, this);
    pending->limitBody(maxBytes);
    return pending;
}

PendingReply *ApiClient::send(const ApiRequest &request, Callback onFinished)
{
    PendingReply *pending = send(request);
    connect(pending, &PendingReply::finished, pending, std::move(onFinished));
    return pending;
}

PendingReply *ApiClient::get(const QString &path, const QUrlQuery &query)
{
    ApiRequest request;
    request.path = path;
    request.query = query;
    return send(request);
}

PendingReply *ApiClient::post(const QString &path, const QJsonObject &body)
{
    return send(ApiRequest::withJson(QByteArrayLiteral("POST"), path, body));
}

PendingReply *ApiClient::put(const QString &path, const QJsonObject &body)
{
    return send(ApiRequest::withJson(QByteArrayLiteral("PUT"), path, body));
}

PendingReply *ApiClient::patch(const QString &path, const QJsonObject &body)
{
    return send(ApiRequest::withJson(QByteArrayLiteral("PATCH"), path, body));
}

PendingReply *ApiClient::del(const QString &path)
{
    ApiRequest request;
    request.method = QByteArrayLiteral("DELETE");
    request.path = path;
    return send(request);
}

} // namespace Community::Client
