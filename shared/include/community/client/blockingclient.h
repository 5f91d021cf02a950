// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Blocking adapter over ApiClient for the CLI and tests.
/// Threading: one instance per thread; requires a QCoreApplication. Each call runs a
/// local QEventLoop until the reply finishes or the per-request timeout expires.
/// Failure: never throws; transport failures come back as Outcome::Unreachable.

#include "community/client/apiclient.h"

namespace Community::Client {

class BlockingClient
{
public:
    BlockingClient(QUrl baseUrl, QString token, std::chrono::milliseconds timeout);

    ApiReply send(const ApiRequest &request);
    ApiReply get(const QString &path, const QUrlQuery &query = {});
    ApiReply post(const QString &path, const QJsonObject &body);
    ApiReply put(const QString &path, const QJsonObject &body);
    ApiReply patch(const QString &path, const QJsonObject &body);
    ApiReply del(const QString &path);

    QUrl baseUrl() const { return m_client.baseUrl(); }
    QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const
    {
        return m_client.urlFor(path, query);
    }
    static QString pathSegment(const QString &segment) { return ApiClient::pathSegment(segment); }

    /// The asynchronous client underneath (token, user agent, requests in parallel).
    ApiClient &async() { return m_client; }

private:
    ApiReply wait(PendingReply *pending);

    ApiClient m_client;
};

} // namespace Community::Client
