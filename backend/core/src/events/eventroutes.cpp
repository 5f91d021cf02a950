// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "events/eventroutes.h"

#include "community/database.h"
#include "community/eventbus.h"
#include "community/json.h"
#include "community/request.h"
#include "community/problem.h"
#include "community/router.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <limits>
#include <QJsonObject>

namespace Community {

using namespace Http;

namespace {

QJsonObject eventJson(const Events::Event &e)
{
    return QJsonObject{{QStringLiteral("id"), double(e.id)},
                       {QStringLiteral("type"), e.type},
                       {QStringLiteral("aggregate"), e.aggregate},
                       {QStringLiteral("payload"), e.payload},
                       {QStringLiteral("createdAt"), Json::iso(e.createdAt)}};
}

QJsonObject consumerJson(const Events::ConsumerStatus &s)
{
    return QJsonObject{{QStringLiteral("consumer"), s.consumer},
                       {QStringLiteral("lastId"), double(s.lastId)},
                       {QStringLiteral("lag"), double(s.lag)},
                       {QStringLiteral("dead"), double(s.dead)},
                       {QStringLiteral("retrying"), double(s.retrying)},
                       {QStringLiteral("updatedAt"), Json::iso(s.updatedAt)}};
}

} // namespace

QList<Route> EventRoutes::routes()
{
    RouteOptions op = RouteOptions::operatorOnlyRoute();
    op.owner = QStringLiteral("core");
    const RouteOptions opBody = RouteOptions(op).withBodyLimit(4096);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    return {
        {"GET", QStringLiteral("/v1/system/events"), op, handler(&EventRoutes::tail)},
        {"GET", QStringLiteral("/v1/system/events/consumers"), op, handler(&EventRoutes::consumers)},
        {"POST", QStringLiteral("/v1/system/events/consumers/{consumer}/replay"), opBody, handler(&EventRoutes::replay)},
        {"POST", QStringLiteral("/v1/system/events/consumers/{consumer}/retry-dead"), opBody, handler(&EventRoutes::retryDead)},
    };
}

void EventRoutes::tail(HttpRequest &req, const Responder &res)
{
    qint64 after = -1;
    if (req.query.hasQueryItem(QStringLiteral("after"))) {
        bool ok = false;
        after = queryValue(req, QStringLiteral("after")).toLongLong(&ok);
        if (!ok || after < 0)
            return sendError(req, res, invalidField(QStringLiteral("after"), QStringLiteral("must be an event id (>= 0)"),
                                                    QStringLiteral("format")));
    }
    const auto limit = queryLimit(req, 50, 1000);
    if (!limit)
        return sendError(req, res, limit.error());
    m_db.respondWith(req, res, [bus = &m_bus, after, limit = *limit]() -> Result<HttpResponse> {
        auto events = bus->tail(after, limit);
        if (!events)
            return tl::unexpected(events.error());
        QJsonArray arr;
        for (const auto &e : *events)
            arr.append(eventJson(e));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("events"), arr}});
    });
}

void EventRoutes::consumers(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [bus = &m_bus]() -> Result<HttpResponse> {
        auto list = bus->consumers();
        if (!list)
            return tl::unexpected(list.error());
        QJsonArray arr;
        for (const auto &s : *list)
            arr.append(consumerJson(s));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("consumers"), arr}});
    });
}

void EventRoutes::replay(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const qint64 fromId = body->integer(QStringLiteral("fromId"), Presence::Required, 1,
                                        std::numeric_limits<qint64>::max()).value_or(0);
    if (auto valid = body->finish(); !valid)
        return sendError(req, res, valid.error());
    m_db.respondWith(req, res, [bus = &m_bus, consumer = req.pathParams.value(QStringLiteral("consumer")),
                                fromId]() -> Result<HttpResponse> {
        if (auto r = bus->replay(consumer, fromId); !r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("consumer"), consumer},
                                                   {QStringLiteral("fromId"), double(fromId)}});
    });
}

void EventRoutes::retryDead(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [bus = &m_bus, consumer = req.pathParams.value(QStringLiteral("consumer"))]()
                                   -> Result<HttpResponse> {
        auto n = bus->retryDead(consumer);
        if (!n)
            return tl::unexpected(n.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("consumer"), consumer},
                                                   {QStringLiteral("retried"), double(*n)}});
    });
}

} // namespace Community
