// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "httpclient.h"

#include "community/client/apiclient.h"
#include "community/client/apireply.h"
#include "community/client/blockingclient.h"

#include <QJsonDocument>
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
                       const Headers &headers, int timeoutMs)
{
    const auto [origin, request] = split(url, method, body, headers);
    Client::BlockingClient client(origin, {}, std::chrono::milliseconds(timeoutMs));
    return HttpResult::fromReply(client.send(request));
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
        clients.back()->send(request, [&results, &pending, i](const Client::ApiReply &reply) {
            results[i] = HttpResult::fromReply(reply);
            --pending;
        });
    }
    // The clients' own deadlines end every request, so this loop ends too.
    while (pending > 0)
        QTest::qWait(10);
    return results;
}

} // namespace Community::Test
