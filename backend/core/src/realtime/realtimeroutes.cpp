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
    return {{"POST", QStringLiteral("/v1/system/realtime/publish"), op, memberHandler(this, &RealtimeRoutes::publish)}};
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
