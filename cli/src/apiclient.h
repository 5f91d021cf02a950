// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Blocking HTTP client for communityd's JSON API, used by communityctl.
/// Threading: one instance per thread; requires a QCoreApplication. Each call runs a
/// local QEventLoop until the reply finishes or the per-request timeout expires.
/// Failure: never throws; transport failures come back as Outcome::Unreachable.

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>
#include <optional>

namespace Community::Ctl {

struct ApiReply
{
    enum class Outcome {
        Ok,          ///< the server answered 2xx
        HttpError,   ///< the server answered with another status
        Unreachable, ///< no HTTP answer: refused, DNS, TLS, timeout, ...
    };

    Outcome outcome = Outcome::Unreachable;
    int status = 0;
    QString reasonPhrase;
    QByteArray body;
    QString transportError; ///< set when Unreachable
    QUrl url;               ///< the URL that was requested

    bool ok() const { return outcome == Outcome::Ok; }
    /// The body as a JSON object, or nullopt when it is not one.
    std::optional<QJsonObject> jsonObject() const;
};

class ApiClient
{
public:
    /// @p baseUrl may carry a path prefix (a node behind a reverse proxy); @p token is
    /// sent as a bearer token when non-empty.
    ApiClient(QUrl baseUrl, QString token, std::chrono::milliseconds timeout);

    ApiReply get(const QString &path, const QUrlQuery &query = {});
    ApiReply post(const QString &path, const QJsonObject &body);
    ApiReply put(const QString &path, const QJsonObject &body);
    ApiReply del(const QString &path);

    QUrl baseUrl() const { return m_baseUrl; }
    /// Resolves an API path ("/healthz") against the base URL, keeping its prefix. The
    /// path is taken as percent-encoded; build variable segments with pathSegment().
    QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const;

    /// One path segment, percent-encoded ("a/b" -> "a%2Fb", "김" -> "%EA%B9%80").
    static QString pathSegment(const QString &segment);

private:
    ApiReply send(const QByteArray &verb, const QString &path, const QByteArray &body,
                  const QUrlQuery &query = {});

    QUrl m_baseUrl;
    QString m_token;
    std::chrono::milliseconds m_timeout;
    QNetworkAccessManager m_nam;
};

} // namespace Community::Ctl
