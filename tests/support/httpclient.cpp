// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "httpclient.h"

#include "community/client/apiclient.h"
#include "community/client/apireply.h"
#include "community/client/blockingclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QTest>

#include <memory>
#include <vector>

namespace Community::Test {

namespace {

/// The origin of @p url (where a client points) and the request for its path and query.
std::pair<QUrl, Client::ApiRequest> split(const QUrl &url, const QByteArray &method,
                                          const QByteArray &body, const Headers &headers)
{
    QUrl origin = url;
    origin.setPath({});
    origin.setQuery(QString());
    origin.setFragment({});
    Client::ApiRequest request;
    request.method = method;
    request.path = url.path(QUrl::FullyEncoded);
    if (url.hasQuery())
        request.path += QLatin1Char('?') + url.query(QUrl::FullyEncoded);
    request.body = body;
    request.headers = headers;
    return {origin, request};
}

/// With COMMUNITY_RESPONSE_LOG set (ctest sets it for http tests), every answer is appended
/// to that file as one line {method, path, status, contentType, body (JSON answers only)},
/// for tst_responseschemas to check against the served OpenAPI document.
void record(const QByteArray &method, const QUrl &url, const HttpResult &r)
{
    static const QString path = qEnvironmentVariable("COMMUNITY_RESPONSE_LOG");
    const QByteArray type = r.header("Content-Type");
    if (path.isEmpty() || r.status == 0 || r.body.size() > 512 * 1024)
        return;
    const QJsonObject line{{QStringLiteral("method"), QString::fromLatin1(method)},
                           {QStringLiteral("path"), url.path()},
                           {QStringLiteral("status"), r.status},
                           {QStringLiteral("contentType"), QString::fromLatin1(type)},
                           {QStringLiteral("body"), type.contains("json") ? QString::fromUtf8(r.body) : QString()}};
    static QMutex lock;
    QMutexLocker locker(&lock);
    QFile f(path);
    // One unbuffered append per line: lines of concurrent test processes never interleave.
    if (f.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        f.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
}

} // namespace

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QJsonObject HttpResult::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpResult HttpResult::fromReply(const Client::ApiReply &reply)
{
    HttpResult r;
    r.status = reply.status;
    r.headers = reply.headers;
    r.body = reply.body;
    if (reply.timedOut)
        r.error = QStringLiteral("timeout");
    else if (reply.status == 0)
        r.error = reply.transportError;
    return r;
}

HttpResult httpRequest(const QUrl &url, const QByteArray &method, const QByteArray &body,
                       const Headers &headers, int timeoutMs, bool followRedirects)
{
    auto [origin, request] = split(url, method, body, headers);
    request.followRedirects = followRedirects;
    Client::BlockingClient client(origin, {}, std::chrono::milliseconds(timeoutMs));
    HttpResult r = HttpResult::fromReply(client.send(request));
    record(method, url, r);
    return r;
}

QList<HttpResult> parallelRequests(const QList<BatchRequest> &requests, int timeoutMs)
{
    // One client (one connection pool) per request, so that they really run side by side.
    std::vector<std::unique_ptr<Client::ApiClient>> clients;
    QList<HttpResult> results(requests.size());
    qsizetype pending = requests.size();
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const BatchRequest &b = requests[i];
        const auto [origin, request] = split(b.url, b.method, b.body, b.headers);
        clients.push_back(std::make_unique<Client::ApiClient>(origin, QString(),
                                                              std::chrono::milliseconds(timeoutMs)));
        clients.back()->send(request, [&results, &pending, &b, i](const Client::ApiReply &reply) {
            results[i] = HttpResult::fromReply(reply);
            record(b.method, b.url, results[i]);
            --pending;
        });
    }
    // The clients' own deadlines end every request, so this loop ends too.
    while (pending > 0)
        QTest::qWait(10);
    return results;
}

} // namespace Community::Test
