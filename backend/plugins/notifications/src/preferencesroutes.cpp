// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "preferencesroutes.h"

#include "preferencesservice.h"

#include "community/database.h"
#include "community/problem.h"
#include "community/request.h"

using namespace Community;
using namespace Community::Http;

namespace Notifications {

QList<Route> PreferencesRoutes::routes()
{
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:read"));
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:write"))
                                   .withRateClass(QStringLiteral("write")).withBodyLimit(8 * 1024);
    using Mute = PreferencesRepository::Mute;
    auto mute = [this](Mute what, bool muted) -> Handler {
        return [this, what, muted](HttpRequest &req, const Responder &res) { setMuted(req, res, what, muted); };
    };
    return {
        {"GET", QStringLiteral("/v1/notifications/preferences"), read, memberHandler(this, &PreferencesRoutes::get)},
        {"PATCH", QStringLiteral("/v1/notifications/preferences"), write, memberHandler(this, &PreferencesRoutes::update)},
        {"PUT", QStringLiteral("/v1/notifications/muted-threads/{postId}"), write, mute(Mute::Thread, true)},
        {"DELETE", QStringLiteral("/v1/notifications/muted-threads/{postId}"), write, mute(Mute::Thread, false)},
        {"PUT", QStringLiteral("/v1/notifications/muted-rooms/{roomId}"), write, mute(Mute::Room, true)},
        {"DELETE", QStringLiteral("/v1/notifications/muted-rooms/{roomId}"), write, mute(Mute::Room, false)},
    };
}

void PreferencesRoutes::get(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId]() -> Result<HttpResponse> {
        auto p = svc->get(user);
        if (!p)
            return tl::unexpected(p.error());
        return HttpResponse::json(200, preferencesJson(*p));
    });
}

void PreferencesRoutes::update(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    auto patch = readPreferencesPatch(*body);
    if (!patch)
        return sendError(req, res, patch.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, patch = *patch]() -> Result<HttpResponse> {
        auto p = svc->update(user, patch);
        if (!p)
            return tl::unexpected(p.error());
        return HttpResponse::json(200, preferencesJson(*p));
    });
}

void PreferencesRoutes::setMuted(HttpRequest &req, const Responder &res, PreferencesRepository::Mute what, bool muted)
{
    const bool room = what == PreferencesRepository::Mute::Room;
    auto id = pathId(req, room ? QStringLiteral("roomId") : QStringLiteral("postId"), room ? QStringLiteral("room") : QStringLiteral("post"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, what, id = *id, muted]() -> Result<HttpResponse> {
        if (auto r = svc->setMuted(what, user, id, muted); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

} // namespace Notifications
