// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Asynchronous client for communityd's JSON API on QNetworkAccessManager.
/// Threading: lives in one thread with an event loop (QObject affinity); replies are
/// delivered there through PendingReply::finished or a callback.
/// Ownership: the client owns its PendingReply objects; each deletes itself (deleteLater)
/// after `finished`. Failure: never throws; every request ends in exactly one ApiReply
/// (Ok, HttpError, Unreachable on transport failure or timeout, Cancelled).
/// Realtime (QWebSocket) is meant to join as a sibling class sharing baseUrl and token.

#include "community/client/apireply.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>

class QNetworkReply;

namespace Community::Client {

/// One request in flight. Valid until `finished` has been emitted.
class PendingReply : public QObject
{
    Q_OBJECT

public:
    /// Aborts the request; `finished` follows with Outcome::Cancelled. No-op once finished.
    void cancel();
    bool isFinished() const { return m_finished; }
    /// The answer; meaningful once finished.
    const ApiReply &reply() const { return m_reply; }

signals:
    void finished(const Community::Client::ApiReply &reply);

private:
    friend class ApiClient;
    PendingReply(QNetworkReply *reply, QUrl url, std::chrono::milliseconds timeout,
                 QObject *parent);
    void onFinished();
    /// Aborts the download once more than @p maxBytes arrived (fetch()).
    void limitBody(qint64 maxBytes);

    QPointer<QNetworkReply> m_network;
    QTimer m_deadline;
    std::chrono::milliseconds m_timeout;
    ApiReply m_reply;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_tooLarge = false;
    qint64 m_maxBytes = -1;
};

class ApiClient : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const ApiReply &)>;

    /// @p baseUrl may carry a path prefix (a node behind a reverse proxy); @p token is
    /// sent as a bearer token when non-empty; @p timeout bounds each request.
    ApiClient(QUrl baseUrl, QString token, std::chrono::milliseconds timeout,
              QObject *parent = nullptr);

    QUrl baseUrl() const { return m_baseUrl; }
    QString token() const { return m_token; }
    void setToken(QString token) { m_token = std::move(token); }
    std::chrono::milliseconds timeout() const { return m_timeout; }
    QByteArray userAgent() const { return m_userAgent; }
    /// Default: defaultUserAgent(); applications may name themselves.
    void setUserAgent(QByteArray userAgent) { m_userAgent = std::move(userAgent); }
    /// "community-client/<version>".
    static QByteArray defaultUserAgent();

    /// Resolves an API path ("/healthz") against the base URL, keeping its prefix. The
    /// path is taken as percent-encoded (a "?..." suffix as the encoded query); build
    /// variable segments with pathSegment().
    QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const;
    /// One path segment, percent-encoded ("a/b" -> "a%2Fb", "김" -> "%EA%B9%80").
    static QString pathSegment(const QString &segment);

    PendingReply *send(const ApiRequest &request);
    /// The same, with @p onFinished called once with the answer (in this thread).
    PendingReply *send(const ApiRequest &request, Callback onFinished);

    /// GET of an absolute URL outside the API (an image a post links to): the bearer token
    /// goes only to the API's own origin, never to a third-party host; the answer is
    /// refused (Unreachable, "larger than N bytes") past @p maxBytes; nothing is cached.
    PendingReply *fetch(const QUrl &url, qint64 maxBytes);
    /// The access manager every request goes through. It has no cache (cache() is null):
    /// nothing the client receives is written to disk (the console shows reported media).
    const QNetworkAccessManager *network() const { return &m_nam; }

    PendingReply *get(const QString &path, const QUrlQuery &query = {});
    PendingReply *post(const QString &path, const QJsonObject &body);
    PendingReply *put(const QString &path, const QJsonObject &body);
    PendingReply *patch(const QString &path, const QJsonObject &body);
    PendingReply *del(const QString &path);

private:
    QUrl m_baseUrl;
    QString m_token;
    std::chrono::milliseconds m_timeout;
    QByteArray m_userAgent;
    QNetworkAccessManager m_nam;
};

} // namespace Community::Client
