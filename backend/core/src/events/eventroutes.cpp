// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "events/eventroutes.h"

#include "community/database.h"
#include "community/eventbus.h"
#include "community/problem.h"
#include "community/router.h"

#include <QJsonArray>
#include <QJsonDocument>
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
                       {QStringLiteral("createdAt"), e.createdAt.toString(Qt::ISODateWithMs)}};
}

QJsonObject consumerJson(const Events::ConsumerStatus &s)
{
    return QJsonObject{{QStringLiteral("consumer"), s.consumer},
                       {QStringLiteral("lastId"), double(s.lastId)},
                       {QStringLiteral("lag"), double(s.lag)},
                       {QStringLiteral("dead"), double(s.dead)},
                       {QStringLiteral("retrying"), double(s.retrying)},
                       {QStringLiteral("updatedAt"), s.updatedAt.toString(Qt::ISODateWithMs)}};
}

HttpResponse badRequest(const QList<FieldError> &errors, const QString &rid)
{
    return problem(400, QStringLiteral("validation"), QStringLiteral("Bad Request"),
                   QStringLiteral("The request has invalid fields."), errors, rid);
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
            QList<FieldError> errors;
            qint64 after = -1;
            int limit = 50;
            if (req.query.hasQueryItem(QStringLiteral("after"))) {
                bool ok = false;
                after = req.query.queryItemValue(QStringLiteral("after")).toLongLong(&ok);
                if (!ok || after < 0)
                    errors.append({QStringLiteral("after"), QStringLiteral("must be an event id (>= 0)"), QStringLiteral("format")});
            }
            if (req.query.hasQueryItem(QStringLiteral("limit"))) {
                bool ok = false;
                limit = req.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
                if (!ok || limit < 1 || limit > 1000)
                    errors.append({QStringLiteral("limit"), QStringLiteral("must be 1..1000"), QStringLiteral("range")});
            }
            if (!errors.isEmpty()) {
                res.send(badRequest(errors, req.requestId));
                return;
            }
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
            QJsonParseError perr;
            const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
            if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
                res.send(problem(400, QStringLiteral("malformed-json"), QStringLiteral("Bad Request"),
                                 QStringLiteral("The body must be a JSON object."), {}, req.requestId));
                return;
            }
            QList<FieldError> errors;
            qint64 fromId = 0;
            const QJsonObject body = doc.object();
            for (auto it = body.begin(); it != body.end(); ++it) {
                if (it.key() != QLatin1String("fromId"))
                    errors.append({it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown")});
            }
            const QJsonValue v = body.value(QStringLiteral("fromId"));
            if (!v.isDouble() || v.toDouble() < 1 || v.toDouble() != double(qint64(v.toDouble())))
                errors.append({QStringLiteral("fromId"), QStringLiteral("must be an event id (>= 1)"), QStringLiteral("required")});
            else
                fromId = qint64(v.toDouble());
            if (!errors.isEmpty()) {
                res.send(badRequest(errors, req.requestId));
                return;
            }
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
