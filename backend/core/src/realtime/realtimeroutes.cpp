// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "realtime/realtimeroutes.h"

#include "community/database.h"
#include "community/problem.h"
#include "community/realtime.h"
#include "community/request.h"

namespace Community {

using namespace Http;

QList<Route> RealtimeRoutes::routes()
{
    RouteOptions op = RouteOptions::operatorOnlyRoute();
    op.owner = QStringLiteral("core");
    op = op.withBodyLimit(1024 * 1024);
    RouteOptions upgrade;   // public: the socket authenticates itself (header or auth frame)
    upgrade.owner = QStringLiteral("core");
    return {{"POST", QStringLiteral("/v1/system/realtime/publish"), op, memberHandler(this, &RealtimeRoutes::publish)},
            {"GET", QStringLiteral("/v1/ws"), upgrade, memberHandler(this, &RealtimeRoutes::upgradeRequired)}};
}

// Upgrades never reach the router (the HTTP layer hands them to the hub); a plain GET does.
void RealtimeRoutes::upgradeRequired(HttpRequest &req, const Responder &res)
{
    HttpResponse r = problem(426, QStringLiteral("upgrade-required"), QStringLiteral("Upgrade Required"),
                             QStringLiteral("GET /v1/ws opens a WebSocket: send Upgrade: websocket."), {}, req.requestId);
    r.setHeader("Upgrade", "websocket");
    res.send(std::move(r));
}

void RealtimeRoutes::publish(HttpRequest &req, const Responder &res)
{
    auto body = BodyReader::parse(req.body);
    if (!body)
        return sendError(req, res, body.error());
    const auto topic = body->string(QStringLiteral("topic"), Presence::Required, 200);
    const auto data = body->object(QStringLiteral("data"), Presence::Required);
    const bool ephemeral = body->boolean(QStringLiteral("ephemeral"), Presence::Optional).value_or(false);
    if (auto done = body->finish(); !done)
        return sendError(req, res, done.error());
    auto accepted = [](qint64 seq) {
        return HttpResponse::json(202, QJsonObject{{QStringLiteral("seq"), seq}});
    };
    if (ephemeral) {
        if (auto r = m_hub.publishEphemeral(*topic, *data); !r)
            return sendError(req, res, r.error());
        res.send(accepted(0));
        return;
    }
    m_db.respond(req, res, [hub = &m_hub, topic = *topic, data = *data, accepted](pqxx::work &tx) -> Result<HttpResponse> {
        auto seq = hub->publish(tx, topic, data);
        if (!seq)
            return tl::unexpected(seq.error());
        return accepted(*seq);
    });
}

} // namespace Community
