// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/blockingclient.h"

#include <QEventLoop>

namespace Community::Client {

BlockingClient::BlockingClient(QUrl baseUrl, QString token, std::chrono::milliseconds timeout)
    : m_client(std::move(baseUrl), std::move(token), timeout)
{
}

ApiReply BlockingClient::wait(PendingReply *pending)
{
    // The request's own deadline ends it (as Unreachable), so the loop always returns.
    ApiReply result;
    QEventLoop loop;
    QObject::connect(pending, &PendingReply::finished, &loop,
                     [&](const ApiReply &reply) {
                         result = reply;
                         loop.quit();
                     });
    if (pending->isFinished())
        return pending->reply();
    loop.exec();
    return result;
}

ApiReply BlockingClient::send(const ApiRequest &request)
{
    return wait(m_client.send(request));
}

ApiReply BlockingClient::get(const QString &path, const QUrlQuery &query)
{
    return wait(m_client.get(path, query));
}

ApiReply BlockingClient::post(const QString &path, const QJsonObject &body)
{
    return wait(m_client.post(path, body));
}

ApiReply BlockingClient::put(const QString &path, const QJsonObject &body)
{
    return wait(m_client.put(path, body));
}

ApiReply BlockingClient::patch(const QString &path, const QJsonObject &body)
{
    return wait(m_client.patch(path, body));
}

ApiReply BlockingClient::del(const QString &path)
{
    return wait(m_client.del(path));
}

} // namespace Community::Client
