// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "notificationsroutes.h"

#include "notificationjson.h"
#include "notificationsservice.h"

#include "community/database.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Notifications {

namespace {

constexpr QLatin1StringView kCursorKind("nt");

/// `unread` query flag: absent, "true" or "false".
Result<bool> unreadOnly(const HttpRequest &req)
{
    const QString v = queryValue(req, QStringLiteral("unread"));
    if (v.isEmpty() || v == QLatin1String("false"))
        return false;
    if (v == QLatin1String("true"))
        return true;
    return tl::unexpected(invalidField(QStringLiteral("unread"), QStringLiteral("must be true or false"), QStringLiteral("type")));
}

/// The body of POST /v1/notifications/read: exactly one of {"id"}, {"upTo"}, {"all": true}.
Result<ReadScope> readScope(BodyReader &body)
{
    const auto id = body.id(QStringLiteral("id"), Presence::Optional);
    const auto upTo = body.id(QStringLiteral("upTo"), Presence::Optional);
    const auto all = body.boolean(QStringLiteral("all"), Presence::Optional);
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    const int given = int(bool(id)) + int(bool(upTo)) + int(all.value_or(false));
    if (given != 1) {
        const QString msg = QStringLiteral("give exactly one of id, upTo or all: true");
        return tl::unexpected(invalidFields({{QStringLiteral("id"), msg, QStringLiteral("one_of")},
                                             {QStringLiteral("upTo"), msg, QStringLiteral("one_of")},
                                             {QStringLiteral("all"), msg, QStringLiteral("one_of")}}));
    }
    if (id)
        return ReadScope{ReadScope::Kind::One, *id};
    if (upTo)
        return ReadScope{ReadScope::Kind::UpTo, *upTo};
    return ReadScope{ReadScope::Kind::All, 0};
}

} // namespace

QList<Route> NotificationsRoutes::routes()
{
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:read"));
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:write"))
                                   .withRateClass(QStringLiteral("write")).withBodyLimit(1024);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    return {
        {"GET", QStringLiteral("/v1/notifications"), read, handler(&NotificationsRoutes::list)},
        {"GET", QStringLiteral("/v1/notifications/unread"), read, handler(&NotificationsRoutes::unread)},
        {"POST", QStringLiteral("/v1/notifications/read"), write, handler(&NotificationsRoutes::markRead)},
        {"DELETE", QStringLiteral("/v1/notifications/{id}"), write, handler(&NotificationsRoutes::remove)},
    };
}

void NotificationsRoutes::list(HttpRequest &req, const Responder &res)
{
    if (auto r = checkQuery(req, {QStringLiteral("limit"), QStringLiteral("cursor"), QStringLiteral("unread")}); !r)
        return sendError(req, res, r.error());
    const NotificationsConfig &cfg = m_service.config();
    auto limit = queryLimit(req, cfg.defaultPageSize, cfg.maxPageSize);
    auto cursor = queryCursor(req, kCursorKind, 1);
    auto onlyUnread = unreadOnly(req);
    if (!limit || !cursor || !onlyUnread)
        return sendError(req, res, !limit ? limit.error() : !cursor ? cursor.error() : onlyUnread.error());
    const std::optional<qint64> before = *cursor ? std::optional<qint64>((**cursor)[0]) : std::nullopt;
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, before, limit = *limit,
                                unread = *onlyUnread]() -> Result<HttpResponse> {
        auto page = svc->list(user, before, limit, unread);
        if (!page)
            return tl::unexpected(page.error());
        QJsonArray items;
        for (const Notification &n : page->items)
            items.append(notificationJson(n));
        const QJsonValue next = page->nextPosition ? QJsonValue(encodeCursor(kCursorKind, {*page->nextPosition})) : QJsonValue();
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void NotificationsRoutes::unread(HttpRequest &req, const Responder &res)
{
    if (auto r = checkQuery(req, {}); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId]() -> Result<HttpResponse> {
        auto counts = svc->unread(user);
        if (!counts)
            return tl::unexpected(counts.error());
        return HttpResponse::json(200, unreadJson(*counts));
    });
}

void NotificationsRoutes::markRead(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    auto scope = readScope(*body);
    if (!scope)
        return sendError(req, res, scope.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, scope = *scope]() -> Result<HttpResponse> {
        auto marked = svc->markRead(user, scope);
        if (!marked)
            return tl::unexpected(marked.error());
        auto counts = svc->unread(user);
        if (!counts)
            return tl::unexpected(counts.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("marked"), *marked},
                                                   {QStringLiteral("unread"), unreadJson(*counts)}});
    });
}

void NotificationsRoutes::remove(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("notification"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, id = *id]() -> Result<HttpResponse> {
        if (auto r = svc->remove(user, id); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

} // namespace Notifications
