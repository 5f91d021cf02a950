// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "pushroutes.h"

#include "pushservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Notifications {

namespace {

QJsonObject subscriptionJson(const PushSubscription &s)
{
    return QJsonObject{{QStringLiteral("id"), Json::idString(s.id)},
                       {QStringLiteral("endpoint"), s.endpoint},
                       {QStringLiteral("createdAt"), Json::iso(s.createdAt)}};
}

} // namespace

QList<Route> PushRoutes::routes()
{
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:read"));
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:write"))
                                   .withRateClass(QStringLiteral("write")).withBodyLimit(8 * 1024);
    return {
        {"GET", QStringLiteral("/v1/notifications/push/key"), RouteOptions{}, memberHandler(this, &PushRoutes::key)},
        {"GET", QStringLiteral("/v1/notifications/push/subscriptions"), read, memberHandler(this, &PushRoutes::list)},
        {"POST", QStringLiteral("/v1/notifications/push/subscriptions"), write, memberHandler(this, &PushRoutes::subscribe)},
        {"DELETE", QStringLiteral("/v1/notifications/push/subscriptions/{id}"), write, memberHandler(this, &PushRoutes::unsubscribe)},
    };
}

void PushRoutes::key(HttpRequest &req, const Responder &res)
{
    if (!m_service.enabled())
        return sendError(req, res, notFound(QStringLiteral("Web push is not enabled on this server.")));
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("publicKey"), QString::fromLatin1(m_service.publicKey())}}));
}

void PushRoutes::list(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId]() -> Result<HttpResponse> {
        auto subs = svc->subscriptions(user);
        if (!subs)
            return tl::unexpected(subs.error());
        QJsonArray items;
        for (const PushSubscription &s : *subs)
            items.append(subscriptionJson(s));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void PushRoutes::subscribe(HttpRequest &req, const Responder &res)
{
    if (!m_service.enabled())
        return sendError(req, res, notFound(QStringLiteral("Web push is not enabled on this server.")));
    auto body = readBody(req, res);
    if (!body)
        return;
    auto in = readSubscription(*body, m_service.allowHttp());
    if (!in)
        return sendError(req, res, in.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, in = *in]() -> Result<HttpResponse> {
        auto s = svc->subscribe(user, in);
        if (!s)
            return tl::unexpected(s.error());
        return HttpResponse::json(201, subscriptionJson(*s));
    });
}

void PushRoutes::unsubscribe(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("push subscription"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, id = *id]() -> Result<HttpResponse> {
        if (auto r = svc->unsubscribe(user, id); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

} // namespace Notifications
