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

// Runs `work` on a worker; 503 when the queue is full.
void onWorker(Db::Database &db, const QString &rid, const Responder &res, std::function<HttpResponse()> work)
{
    if (!db.trySubmit([res, work = std::move(work)] { res.send(work()); }))
        res.send(problemFromError(Error::make(ErrorCode::Unavailable, QStringLiteral("The server is overloaded.")), rid));
}

} // namespace

Result<void> registerEventRoutes(Router &router, Events::EventBus &bus, Db::Database &db)
{
    RouteOptions op;
    op.owner = QStringLiteral("core");
    op.rateClass = QStringLiteral("system");
    op.operatorOnly = true;
    RouteOptions opBody = op;
    opBody.maxBodyBytes = 4096;
    Events::EventBus *busp = &bus;
    Db::Database *dbp = &db;

    if (auto r = router.add("GET", QStringLiteral("/v1/system/events"), [busp, dbp](HttpRequest &req, const Responder &res) {
            qint64 after = -1;
            if (req.query.hasQueryItem(QStringLiteral("after"))) {
                bool ok = false;
                after = queryValue(req, QStringLiteral("after")).toLongLong(&ok);
                if (!ok || after < 0)
                    return sendError(req, res, invalidField(QStringLiteral("after"), QStringLiteral("must be an event id (>= 0)"),
                                                            QStringLiteral("format")));
            }
            const auto limitOr = queryLimit(req, 50, 1000);
            if (!limitOr)
                return sendError(req, res, limitOr.error());
            const int limit = *limitOr;
            const QString rid = req.requestId;
            onWorker(*dbp, rid, res, [busp, after, limit, rid] {
                auto events = busp->tail(after, limit);
                if (!events)
                    return problemFromError(events.error(), rid);
                QJsonArray arr;
                for (const auto &e : *events)
                    arr.append(eventJson(e));
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("events"), arr}});
            });
        }, op); !r)
        return r;

    if (auto r = router.add("GET", QStringLiteral("/v1/system/events/consumers"), [busp, dbp](HttpRequest &req, const Responder &res) {
            const QString rid = req.requestId;
            onWorker(*dbp, rid, res, [busp, rid] {
                auto list = busp->consumers();
                if (!list)
                    return problemFromError(list.error(), rid);
                QJsonArray arr;
                for (const auto &s : *list)
                    arr.append(consumerJson(s));
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("consumers"), arr}});
            });
        }, op); !r)
        return r;

    if (auto r = router.add("POST", QStringLiteral("/v1/system/events/consumers/{consumer}/replay"),
                            [busp, dbp](HttpRequest &req, const Responder &res) {
            auto body = readBody(req, res);
            if (!body)
                return;
            const qint64 fromId = body->integer(QStringLiteral("fromId"), Presence::Required, 1,
                                                std::numeric_limits<qint64>::max()).value_or(0);
            if (auto valid = body->finish(); !valid)
                return sendError(req, res, valid.error());
            const QString consumer = req.pathParams.value(QStringLiteral("consumer"));
            const QString rid = req.requestId;
            onWorker(*dbp, rid, res, [busp, consumer, fromId, rid] {
                if (auto r = busp->replay(consumer, fromId); !r)
                    return problemFromError(r.error(), rid);
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("consumer"), consumer},
                                                           {QStringLiteral("fromId"), double(fromId)}});
            });
        }, opBody); !r)
        return r;

    if (auto r = router.add("POST", QStringLiteral("/v1/system/events/consumers/{consumer}/retry-dead"),
                            [busp, dbp](HttpRequest &req, const Responder &res) {
            const QString consumer = req.pathParams.value(QStringLiteral("consumer"));
            const QString rid = req.requestId;
            onWorker(*dbp, rid, res, [busp, consumer, rid] {
                auto n = busp->retryDead(consumer);
                if (!n)
                    return problemFromError(n.error(), rid);
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("consumer"), consumer},
                                                           {QStringLiteral("retried"), double(*n)}});
            });
        }, opBody); !r)
        return r;
    return {};
}

} // namespace Community
