// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "apiclient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace Community::Ctl {

std::optional<QJsonObject> ApiReply::jsonObject() const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

ApiClient::ApiClient(QUrl baseUrl, QString token, std::chrono::milliseconds timeout)
    : m_baseUrl(std::move(baseUrl))
    , m_token(std::move(token))
    , m_timeout(timeout)
{
}

QUrl ApiClient::urlFor(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_baseUrl;
    QString prefix = url.path(QUrl::FullyEncoded);
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + (path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path),
                QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QString ApiClient::pathSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

ApiReply ApiClient::get(const QString &path, const QUrlQuery &query)
{
    return send(QByteArrayLiteral("GET"), path, {}, query);
}

ApiReply ApiClient::post(const QString &path, const QJsonObject &body)
{
    return send(QByteArrayLiteral("POST"), path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

ApiReply ApiClient::put(const QString &path, const QJsonObject &body)
{
    return send(QByteArrayLiteral("PUT"), path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

ApiReply ApiClient::del(const QString &path)
{
    return send(QByteArrayLiteral("DELETE"), path, {});
}

ApiReply ApiClient::send(const QByteArray &verb, const QString &path, const QByteArray &body,
                         const QUrlQuery &query)
{
    ApiReply result;
    result.url = urlFor(path, query);

    QNetworkRequest request(result.url);
    request.setRawHeader("Accept", "application/json, application/problem+json");
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QStringLiteral("communityctl/" COMMUNITY_VERSION));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));

    QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);

    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    deadline.start(m_timeout);
    if (!reply->isFinished())
        loop.exec();
    deadline.stop();

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!timedOut && status.isValid()) {
        result.status = status.toInt();
        result.reasonPhrase =
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        result.body = reply->readAll();
        result.outcome = (result.status >= 200 && result.status < 300)
            ? ApiReply::Outcome::Ok
            : ApiReply::Outcome::HttpError;
    } else {
        result.outcome = ApiReply::Outcome::Unreachable;
        result.transportError = timedOut
            ? QStringLiteral("timed out after %1 s").arg(double(m_timeout.count()) / 1000.0)
            : reply->errorString();
    }
    reply->deleteLater();
    return result;
}

} // namespace Community::Ctl
