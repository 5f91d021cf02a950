// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "routesupport.h"

#include "chatjson.h"

#include "community/problem.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Chat {

HttpResponse errorResponse(const Error &e, const QString &requestId)
{
    HttpResponse r = problemFromError(e, requestId);
    if (e.code == ErrorCode::RateLimited)
        r.setHeader("Retry-After", e.logDetail.isEmpty() ? QByteArray("1") : e.logDetail.toLatin1());
    return r;
}

bool roomAndBody(const HttpRequest &req, const Responder &res, qint64 *roomId, std::optional<BodyReader> *body)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("room"));
    if (!id) {
        sendError(req, res, id.error());
        return false;
    }
    *roomId = *id;
    if (body) {
        *body = readBody(req, res);
        if (!*body)
            return false;
    }
    return true;
}

bool roomAndMessage(const HttpRequest &req, const Responder &res, qint64 *roomId, qint64 *messageId)
{
    if (!roomAndBody(req, res, roomId, nullptr))
        return false;
    auto id = idParam(req, "messageId", "message");
    if (!id) {
        sendError(req, res, id.error());
        return false;
    }
    *messageId = *id;
    return true;
}

bool finished(const HttpRequest &req, const Responder &res, BodyReader &body)
{
    if (auto r = body.finish(); !r) {
        sendError(req, res, r.error());
        return false;
    }
    return true;
}

Result<qint64> idParam(const HttpRequest &req, const char *name, const char *what)
{
    return pathId(req, QString::fromLatin1(name), QString::fromLatin1(what));
}

HttpResponse messagesJson(const HistoryPage &page, bool showDeleted)
{
    QJsonArray items;
    for (const Message &m : page.items)
        items.append(messageJson(m, showDeleted));
    QJsonObject o{
        {QStringLiteral("items"), items},
        {QStringLiteral("before"), page.moreBefore && !page.items.isEmpty() ? QJsonValue(page.items.first().seq) : QJsonValue()},
        {QStringLiteral("after"), page.moreAfter && !page.items.isEmpty() ? QJsonValue(page.items.last().seq) : QJsonValue()},
    };
    if (page.threadUnread)
        o.insert(QStringLiteral("threadUnread"), *page.threadUnread);
    return HttpResponse::json(200, o);
}

} // namespace Chat
