// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "presenceroutes.h"

#include "presenceservice.h"
#include "routesupport.h"

#include "community/json.h"
#include "community/problem.h"

using namespace Community;
using namespace Community::Http;

namespace Chat {

QList<Route> PresenceRoutes::routes()
{
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("chat:read"));
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("chat:write")).withBodyLimit(1024);
    return {
        {"PUT", QStringLiteral("/v1/chat/presence"), write, memberHandler(this, &PresenceRoutes::set)},
        {"GET", QStringLiteral("/v1/chat/presence"), read, memberHandler(this, &PresenceRoutes::get)},
    };
}

void PresenceRoutes::set(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const auto device = body->text(QStringLiteral("device"), {64, Presence::Required});
    const auto stateName = body->string(QStringLiteral("state"), Presence::Required, 16);
    std::optional<PresenceState> state;
    for (PresenceState s : {PresenceState::Online, PresenceState::Away, PresenceState::Offline}) {
        if (stateName && *stateName == presenceName(s))
            state = s;
    }
    if (stateName && !state)
        body->addError(QStringLiteral("state"), QStringLiteral("online, away or offline"), QStringLiteral("invalid"));
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_presence, uid = req.principal.userId, device = *device, state = *state]() -> Result<HttpResponse> {
        auto now = svc->set(uid, device, state);
        if (!now)
            return tl::unexpected(now.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("state"), presenceName(*now)}});
    });
}

void PresenceRoutes::get(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {QStringLiteral("users")}); !q)
        return sendError(req, res, q.error());
    QList<qint64> ids;
    const QStringList parts = queryValue(req, QStringLiteral("users")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        if (auto id = parseId(p); id && !ids.contains(*id))
            ids.append(*id);
        else
            return sendError(req, res, invalidField(QStringLiteral("users"), QStringLiteral("comma-separated account ids"),
                                                    QStringLiteral("invalid")));
    }
    if (ids.isEmpty() || ids.size() > 200)
        return sendError(req, res, invalidField(QStringLiteral("users"), QStringLiteral("1 to 200 account ids"),
                                                QStringLiteral("out_of_range")));
    run(m_db, req, res, [svc = &m_presence, ids]() -> Result<HttpResponse> {
        auto states = svc->of(ids);
        if (!states)
            return tl::unexpected(states.error());
        QJsonObject o;
        for (qint64 id : ids)
            o.insert(Json::idString(id), presenceName(states->value(id, PresenceState::Offline)));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("users"), o}});
    });
}

} // namespace Chat
