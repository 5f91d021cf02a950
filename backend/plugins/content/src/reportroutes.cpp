// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reportroutes.h"

#include "reportservice.h"
#include "routesupport.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

#include <limits>

using namespace Community;
using namespace Community::Http;
using Community::Json::idString;

namespace Content {

namespace {

constexpr int kNoteMax = 1000;
constexpr int kExcerptMax = 280;
const QStringList kReasons{QStringLiteral("spam"), QStringLiteral("harassment"), QStringLiteral("off-topic"),
                           QStringLiteral("illegal"), QStringLiteral("other")};
const QStringList kStatuses{QStringLiteral("open"), QStringLiteral("resolved"), QStringLiteral("dismissed")};

QJsonValue userOrNull(qint64 id, const QString &name)
{
    if (id == 0)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{{QStringLiteral("id"), idString(id)}, {QStringLiteral("username"), name}};
}

/// The report as JSON; `withTarget` adds the preview moderators see.
QJsonObject reportJson(const ReportRow &r, bool withTarget)
{
    QJsonObject o{
        {QStringLiteral("id"), idString(r.id)},
        {QStringLiteral("targetType"), r.targetType},
        {QStringLiteral("targetId"), idString(r.targetId)},
        {QStringLiteral("postId"), r.postId ? QJsonValue(idString(r.postId)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("community"), QJsonObject{{QStringLiteral("id"), idString(r.communityId)},
                                                  {QStringLiteral("slug"), r.communitySlug}}},
        {QStringLiteral("reporter"), userOrNull(r.reporterId, r.reporterName)},
        {QStringLiteral("reason"), r.reason},
        {QStringLiteral("details"), r.details},
        {QStringLiteral("status"), r.status},
        {QStringLiteral("resolvedBy"), userOrNull(r.resolvedBy, r.resolvedByName)},
        {QStringLiteral("resolvedAt"), Json::isoOrNull(r.resolvedAt)},
        {QStringLiteral("note"), r.note ? QJsonValue(*r.note) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("createdAt"), Json::iso(r.createdAt)},
    };
    if (withTarget) {
        QString excerpt = r.targetBody.left(kExcerptMax);
        if (r.targetBody.size() > kExcerptMax)
            excerpt += QChar(0x2026);
        o.insert(QStringLiteral("target"), QJsonObject{
            {QStringLiteral("title"), r.targetTitle},
            {QStringLiteral("author"), userOrNull(r.targetAuthorId, r.targetAuthorName)},
            {QStringLiteral("excerpt"), excerpt},
            {QStringLiteral("state"), r.targetState},
        });
    }
    return o;
}

/// A required string from `allowed` (required / invalid_choice).
QString choice(BodyReader &body, const QString &field, const QStringList &allowed)
{
    const QJsonValue v = body.value(field);
    if (v.isUndefined() || v.isNull()) {
        body.addError(field, QStringLiteral("is required"), QStringLiteral("required"));
        return {};
    }
    if (!v.isString() || !allowed.contains(v.toString())) {
        body.addError(field, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))),
                      QStringLiteral("invalid_choice"));
        return {};
    }
    return v.toString();
}

Result<ReportInput> readReport(BodyReader &body, const ContentConfig &cfg)
{
    ReportInput in;
    in.targetType = choice(body, QStringLiteral("targetType"), {QStringLiteral("post"), QStringLiteral("comment")});
    in.targetId = body.id(QStringLiteral("targetId"), Presence::Required).value_or(0);
    in.reason = choice(body, QStringLiteral("reason"), kReasons);
    in.details = body.text(QStringLiteral("details"), {cfg.reportDetailsMax, Presence::Optional, true, true})
                     .value_or(QString()).trimmed();
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return in;
}

} // namespace

QList<Route> ReportRoutes::routes()
{
    RouteOptions create = writeRoute();
    create.maxBodyBytes = qint64(m_ctx.config.reportDetailsMax) * 6 + 4096;
    // The queue is a read, but one that only moderators make: their API keys need content:moderate.
    const RouteOptions queue = RouteOptions::authenticated(Role::User, QLatin1String(kModerateScope));
    return {
        {"POST", QStringLiteral("/v1/reports"), create, memberHandler(this, &ReportRoutes::create)},
        {"GET", QStringLiteral("/v1/reports"), queue, memberHandler(this, &ReportRoutes::queue)},
        {"POST", QStringLiteral("/v1/reports/{id}/resolve"), moderateRoute(), memberHandler(this, &ReportRoutes::resolve)},
    };
}

void ReportRoutes::create(HttpRequest &req, const Responder &res)
{
    auto request = readCreateRequest(req, res);
    if (!request)
        return;
    auto input = readReport(request->body, m_ctx.config);
    if (!input)
        return sendError(req, res, input.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, in = *input, key = request->key]() {
        return svc->create(who, in, key, [](const ReportRow &report, bool created) {
            HttpResponse resp = HttpResponse::json(created ? 201 : 200, reportJson(report, false));
            resp.setHeader("Location", QStringLiteral("/v1/reports/%1").arg(report.id).toUtf8());
            return resp;
        });
    });
}

void ReportRoutes::queue(HttpRequest &req, const Responder &res)
{
    QString status = queryValue(req, QStringLiteral("status"));
    if (status.isEmpty())
        status = QStringLiteral("open");
    if (!kStatuses.contains(status))
        return sendError(req, res, invalidField(QStringLiteral("status"), QStringLiteral("must be open, resolved or dismissed"),
                                                QStringLiteral("invalid_choice")));
    auto limit = queryLimit(req, m_ctx.config.defaultPageSize, m_ctx.config.maxPageSize);
    if (!limit)
        return sendError(req, res, limit.error());
    auto after = queryCursor(req, QLatin1StringView("rp"), 1);
    if (!after)
        return sendError(req, res, after.error());
    const qint64 before = *after ? (**after)[0] : std::numeric_limits<qint64>::max();
    const QString slug = queryValue(req, QStringLiteral("community"));
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, status, slug, before,
                                    n = *limit]() -> Result<HttpResponse> {
        auto rows = svc->queue(who, status, slug, before, n + 1);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        QJsonValue next(QJsonValue::Null);
        for (int i = 0; i < int(rows->size()) && i < n; ++i) {
            items.append(reportJson(rows->at(i), true));
            if (i == n - 1 && int(rows->size()) > n)
                next = encodeCursor(QLatin1StringView("rp"), {rows->at(i).id});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void ReportRoutes::resolve(HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("report"));
    if (!id)
        return sendError(req, res, id.error());
    auto body = readBody(req, res);
    if (!body)
        return;
    const QString resolution = choice(*body, QStringLiteral("resolution"), {QStringLiteral("resolved"), QStringLiteral("dismissed")});
    const QString note = body->text(QStringLiteral("note"), {kNoteMax, Presence::Optional, true, true}).value_or(QString()).trimmed();
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, resolution,
                                    note]() -> Result<HttpResponse> {
        auto report = svc->resolve(who, id, resolution, note);
        if (!report)
            return tl::unexpected(report.error());
        return HttpResponse::json(200, reportJson(*report, true));
    });
}

} // namespace Content
