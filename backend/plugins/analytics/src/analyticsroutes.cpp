// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "analyticsroutes.h"

#include "analyticsservice.h"
#include "eventratelimiter.h"
#include "reportquery.h"
#include "reportservice.h"

#include "community/database.h"
#include "community/problem.h"
#include "community/request.h"

#include <QDateTime>

using namespace Community;
using namespace Community::Http;

namespace Analytics {

namespace {

QJsonObject ingestJson(const IngestResult &r)
{
    return {{QStringLiteral("received"), r.received}, {QStringLiteral("accepted"), r.accepted},
            {QStringLiteral("duplicates"), r.duplicates}, {QStringLiteral("sampledOut"), r.sampledOut},
            {QStringLiteral("clamped"), r.clamped}, {QStringLiteral("optedOut"), r.optedOut}};
}

bool doNotTrack(const HttpRequest &req)
{
    return req.header("dnt") == "1" || req.header("sec-gpc") == "1";
}

/// A job that answers `status` with the object the service returns.
std::function<Result<HttpResponse>()> jsonJob(int status, std::function<Result<QJsonObject>()> work)
{
    return [status, work = std::move(work)]() -> Result<HttpResponse> {
        auto r = work();
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(status, *r);
    };
}

} // namespace

AnalyticsRoutes::AnalyticsRoutes(Db::Database &db, AnalyticsService &service, ReportService &reports)
    : m_db(db), m_service(service), m_reports(reports),
      m_limiter(std::make_unique<EventRateLimiter>(service.config().eventsPerSecond, service.config().eventsBurst))
{
}

AnalyticsRoutes::~AnalyticsRoutes() = default;

QList<Route> AnalyticsRoutes::routes()
{
    const RouteOptions ingest = RouteOptions().withBodyLimit(m_service.config().maxBodyBytes);
    const RouteOptions admin = RouteOptions::authenticated(Role::Admin, QStringLiteral("analytics:read"));
    const RouteOptions moderator = RouteOptions::authenticated(Role::Moderator, QStringLiteral("analytics:read"));
    const RouteOptions adminWrite = RouteOptions::authenticated(Role::Admin, QStringLiteral("analytics:write"))
                                        .withBodyLimit(1024);
    const RouteOptions self = RouteOptions::authenticated(Role::User).withBodyLimit(1024);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    auto optOut = [this](bool out) -> Handler {
        return [this, out](HttpRequest &req, const Responder &res) { setOptOut(req, res, out); };
    };
    return {
        {"POST", QStringLiteral("/v1/analytics/events"), ingest, handler(&AnalyticsRoutes::ingest)},
        {"GET", QStringLiteral("/v1/analytics/reports/moderation"), moderator, handler(&AnalyticsRoutes::report)},
        {"GET", QStringLiteral("/v1/analytics/reports/{name}"), admin, handler(&AnalyticsRoutes::report)},
        {"GET", QStringLiteral("/v1/analytics/live"), admin, handler(&AnalyticsRoutes::live)},
        {"GET", QStringLiteral("/v1/analytics/opt-out"), self, handler(&AnalyticsRoutes::optOutStatus)},
        {"PUT", QStringLiteral("/v1/analytics/opt-out"), self, optOut(true)},
        {"DELETE", QStringLiteral("/v1/analytics/opt-out"), self, optOut(false)},
        {"POST", QStringLiteral("/v1/analytics/rebuild"), adminWrite, handler(&AnalyticsRoutes::rebuild)},
        {"POST", QStringLiteral("/v1/analytics/maintenance"), adminWrite, handler(&AnalyticsRoutes::maintain)},
    };
}

void AnalyticsRoutes::ingest(HttpRequest &req, const Responder &res)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // The plain form clients send is read straight from the bytes; anything else (and
    // every refusal, worded) takes the general reader.
    std::optional<ParsedBatch> batch = readPlainBatch(req.body, m_service.config(), now);
    if (!batch) {
        auto body = readBody(req, res);
        if (!body)
            return;
        auto parsed = parseBatch(*body, m_service.config(), now);
        if (!parsed)
            return sendError(req, res, parsed.error());
        batch = std::move(*parsed);
    }
    Sender sender{req.principal.isAnonymous() ? 0 : req.principal.userId, req.peerAddress.toString(), doNotTrack(req)};
    const QString bucket = sender.userId ? QStringLiteral("u%1").arg(sender.userId) : QStringLiteral("i") + sender.address;
    const int events = int(batch->events.size() + batch->sampledOut);
    if (const int wait = m_limiter->take(bucket, events, now.toMSecsSinceEpoch()); wait > 0) {
        HttpResponse r = problem(429, QStringLiteral("rate-limited"), QStringLiteral("Too Many Requests"),
                                 QStringLiteral("Too many analytics events from this sender; retry later."), {}, req.requestId);
        r.setHeader("Retry-After", QByteArray::number(wait));
        res.send(std::move(r));
        return;
    }
    m_db.respondWith(req, res, [svc = &m_service, sender, batch = std::move(*batch), now]() -> Result<HttpResponse> {
        auto r = svc->ingest(sender, batch, now);
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(202, ingestJson(*r));
    });
}

void AnalyticsRoutes::report(HttpRequest &req, const Responder &res)
{
    QString name = req.pathParams.value(QStringLiteral("name"));
    if (name.isEmpty())
        name = QStringLiteral("moderation");
    auto query = readReportQuery(req, name, m_service.config());
    if (!query)
        return sendError(req, res, query.error());
    m_db.respondWith(req, res, [reports = &m_reports, q = *query]() -> Result<HttpResponse> {
        auto r = reports->run(q.request);
        if (!r)
            return tl::unexpected(r.error());
        if (!q.csv)
            return HttpResponse::json(200, r->json);
        HttpResponse out = HttpResponse::text(200, ReportService::csv(r->table), "text/csv; charset=utf-8");
        out.setHeader("Content-Disposition", QStringLiteral("attachment; filename=\"%1_%2_%3.csv\"")
                                                 .arg(q.request.name, q.request.range.from.toString(Qt::ISODate),
                                                      q.request.range.to.toString(Qt::ISODate))
                                                 .toUtf8());
        return out;
    });
}

void AnalyticsRoutes::live(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {}); !q)
        return sendError(req, res, q.error());
    m_db.respondWith(req, res, jsonJob(200, [svc = &m_service] { return svc->live(); }));
}

void AnalyticsRoutes::optOutStatus(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, jsonJob(200, [svc = &m_service, id = req.principal.userId]() -> Result<QJsonObject> {
        auto r = svc->optedOut(id);
        if (!r)
            return tl::unexpected(r.error());
        return QJsonObject{{QStringLiteral("optedOut"), *r}};
    }));
}

void AnalyticsRoutes::setOptOut(HttpRequest &req, const Responder &res, bool optOut)
{
    m_db.respondWith(req, res, jsonJob(200, [svc = &m_service, id = req.principal.userId, optOut]() -> Result<QJsonObject> {
        if (auto r = svc->setOptOut(id, optOut); !r)
            return tl::unexpected(r.error());
        return QJsonObject{{QStringLiteral("optedOut"), optOut}};
    }));
}

void AnalyticsRoutes::rebuild(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, jsonJob(202, [svc = &m_service] { return svc->rebuild(); }));
}

void AnalyticsRoutes::maintain(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, jsonJob(200, [svc = &m_service] {
        return svc->maintain(QDateTime::currentDateTimeUtc().date());
    }));
}

} // namespace Analytics
