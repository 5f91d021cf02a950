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
    auto mute = [this](bool muted) -> Handler {
        return [this, muted](HttpRequest &req, const Responder &res) { muteThread(req, res, muted); };
    };
    return {
        {"GET", QStringLiteral("/v1/notifications/preferences"), read, memberHandler(this, &PreferencesRoutes::get)},
        {"PATCH", QStringLiteral("/v1/notifications/preferences"), write, memberHandler(this, &PreferencesRoutes::update)},
        {"PUT", QStringLiteral("/v1/notifications/muted-threads/{postId}"), write, mute(true)},
        {"DELETE", QStringLiteral("/v1/notifications/muted-threads/{postId}"), write, mute(false)},
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

void PreferencesRoutes::muteThread(HttpRequest &req, const Responder &res, bool muted)
{
    auto post = pathId(req, QStringLiteral("postId"), QStringLiteral("post"));
    if (!post)
        return sendError(req, res, post.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, post = *post, muted]() -> Result<HttpResponse> {
        if (auto r = svc->setThreadMuted(user, post, muted); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

} // namespace Notifications
