// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "moderationroutes.h"

#include "chatjson.h"
#include "messageservice.h"
#include "moderationservice.h"
#include "routesupport.h"

#include "community/json.h"
#include "community/problem.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Chat {

QList<Route> ModerationRoutes::routes()
{
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("chat:read"));
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("chat:write"))
                                   .withRateClass(QStringLiteral("write")).withBodyLimit(16 * 1024);
    const RouteOptions op = RouteOptions::operatorOnlyRoute().withBodyLimit(4096);
    auto h = [this](auto method) { return memberHandler(this, method); };
    auto pinning = [this](bool pinned) -> Handler {
        return [this, pinned](HttpRequest &req, const Responder &res) { pin(req, res, pinned); };
    };
    const QString room = QStringLiteral("/v1/chat/rooms/{id}");
    return {
        {"GET", room + QStringLiteral("/pins"), read, h(&ModerationRoutes::pins)},
        {"PUT", room + QStringLiteral("/pins/{messageId}"), write, pinning(true)},
        {"DELETE", room + QStringLiteral("/pins/{messageId}"), write, pinning(false)},
        {"POST", room + QStringLiteral("/messages/{messageId}/reports"), write, h(&ModerationRoutes::report)},
        {"GET", QStringLiteral("/v1/chat/admin/rooms"), op, h(&ModerationRoutes::adminRooms)},
        {"GET", QStringLiteral("/v1/chat/admin/rooms/{id}/messages"), op, h(&ModerationRoutes::adminMessages)},
        {"POST", QStringLiteral("/v1/chat/admin/rooms/{id}/purge"), op, h(&ModerationRoutes::purge)},
    };
}

void ModerationRoutes::pins(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    run(m_db, req, res, [svc = &m_moderation, p = req.principal, roomId]() -> Result<HttpResponse> {
        auto pins = svc->pins(p, roomId);
        if (!pins)
            return tl::unexpected(pins.error());
        QJsonArray items;
        for (const Message &m : *pins)
            items.append(messageJson(m, p.hasRole(Role::Admin)));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void ModerationRoutes::pin(HttpRequest &req, const Responder &res, bool pinned)
{
    qint64 roomId = 0;
    qint64 messageId = 0;
    if (!roomAndMessage(req, res, &roomId, &messageId))
        return;
    run(m_db, req, res, [svc = &m_moderation, p = req.principal, roomId, messageId, pinned]() -> Result<HttpResponse> {
        auto changed = svc->pin(p, roomId, messageId, pinned);
        if (!changed)
            return tl::unexpected(changed.error());
        return HttpResponse::empty(pinned && *changed ? 201 : 204);
    });
}

void ModerationRoutes::report(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    qint64 messageId = 0;
    if (!roomAndMessage(req, res, &roomId, &messageId))
        return;
    auto body = readBody(req, res);
    if (!body)
        return;
    const auto reason = body->text(QStringLiteral("reason"), {1000, Presence::Required, true});
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_moderation, p = req.principal, roomId, messageId, reason = *reason]() -> Result<HttpResponse> {
        auto id = svc->report(p, roomId, messageId, reason);
        if (!id)
            return tl::unexpected(id.error());
        return HttpResponse::json(201, QJsonObject{{QStringLiteral("id"), Json::idString(*id)}});
    });
}

void ModerationRoutes::adminRooms(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {QStringLiteral("after"), QStringLiteral("limit")}); !q)
        return sendError(req, res, q.error());
    auto limit = queryLimit(req, 100, 1000);
    if (!limit)
        return sendError(req, res, limit.error());
    const QString after = queryValue(req, QStringLiteral("after"));
    const qint64 afterId = after.isEmpty() ? 0 : parseId(after).value_or(-1);
    if (afterId < 0)
        return sendError(req, res, invalidField(QStringLiteral("after"), QStringLiteral("a room id"), QStringLiteral("invalid")));
    run(m_db, req, res, [svc = &m_moderation, afterId, limit = *limit]() -> Result<HttpResponse> {
        auto rooms = svc->rooms(afterId, limit);
        if (!rooms)
            return tl::unexpected(rooms.error());
        QJsonArray items;
        for (const Room &r : *rooms)
            items.append(roomJson(r));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void ModerationRoutes::adminMessages(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    if (auto q = checkQuery(req, {QStringLiteral("before"), QStringLiteral("limit")}); !q)
        return sendError(req, res, q.error());
    auto limit = queryLimit(req, 50, 1000);
    if (!limit)
        return sendError(req, res, limit.error());
    HistoryQuery q;
    q.limit = *limit;
    if (const QString before = queryValue(req, QStringLiteral("before")); !before.isEmpty()) {
        q.anchor = HistoryQuery::Anchor::Before;
        q.seq = parseId(before).value_or(0);
        if (!q.seq)
            return sendError(req, res, invalidField(QStringLiteral("before"), QStringLiteral("a sequence number"),
                                                    QStringLiteral("invalid")));
    }
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, q]() -> Result<HttpResponse> {
        auto page = svc->history(p, roomId, q);
        if (!page)
            return tl::unexpected(page.error());
        return messagesJson(*page, true);
    });
}

void ModerationRoutes::purge(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    std::optional<BodyReader> body;
    if (!roomAndBody(req, res, &roomId, &body))
        return;
    const auto before = body->string(QStringLiteral("before"), Presence::Required, 64);
    const bool dryRun = body->boolean(QStringLiteral("dryRun"), Presence::Optional).value_or(false);
    const QDateTime at = before ? QDateTime::fromString(*before, Qt::ISODateWithMs) : QDateTime();
    if (before && (!at.isValid() || at.timeSpec() == Qt::LocalTime))
        body->addError(QStringLiteral("before"), QStringLiteral("an ISO 8601 time with its offset"), QStringLiteral("invalid"));
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_moderation, roomId, at, dryRun]() -> Result<HttpResponse> {
        auto r = svc->purge(roomId, at, dryRun);
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("messages"), r->messages},
                                                   {QStringLiteral("dryRun"), r->dryRun}});
    });
}

} // namespace Chat
