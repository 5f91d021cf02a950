// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "auditroutes.h"

#include "auditservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Community;
using namespace Community::Http;

namespace Admin {

namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 500;

QJsonValue parsedJson(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + "]");
    return doc.array().isEmpty() ? QJsonValue() : doc.array().first();
}

QJsonObject entryJson(const AuditEntry &e)
{
    return QJsonObject{
        {QStringLiteral("seq"), Json::idString(e.seq)},
        {QStringLiteral("occurredAt"), Json::iso(e.occurredAt)},
        {QStringLiteral("actor"), QJsonObject{{QStringLiteral("id"), e.actorId ? QJsonValue(Json::idString(e.actorId)) : QJsonValue()},
                                              {QStringLiteral("username"), e.actorName},
                                              {QStringLiteral("kind"), e.actorKind}}},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("target"), QJsonObject{{QStringLiteral("type"), e.targetType}, {QStringLiteral("id"), e.targetId}}},
        {QStringLiteral("reason"), e.reason},
        {QStringLiteral("requestId"), e.requestId},
        {QStringLiteral("before"), parsedJson(e.before)},
        {QStringLiteral("after"), parsedJson(e.after)},
        {QStringLiteral("source"), e.source},
        {QStringLiteral("prevHash"), e.prevHash},
        {QStringLiteral("hash"), e.hash},
    };
}

/// A time query parameter (ISO 8601); empty = invalid QDateTime.
QDateTime queryTime(const HttpRequest &req, const QString &name, QList<FieldError> &errors)
{
    const QString raw = queryValue(req, name);
    if (raw.isEmpty())
        return {};
    const QDateTime t = QDateTime::fromString(raw, Qt::ISODateWithMs);
    if (!t.isValid())
        errors.append({name, QStringLiteral("must be an ISO 8601 time"), QStringLiteral("invalid")});
    return t;
}

Result<AuditFilter> readFilter(const HttpRequest &req)
{
    if (auto r = checkQuery(req, {QStringLiteral("actor"), QStringLiteral("action"), QStringLiteral("targetType"),
                                  QStringLiteral("targetId"), QStringLiteral("since"), QStringLiteral("until"),
                                  QStringLiteral("limit"), QStringLiteral("cursor")});
        !r)
        return tl::unexpected(r.error());
    AuditFilter f;
    QList<FieldError> errors;
    const QString actor = queryValue(req, QStringLiteral("actor"));
    if (!actor.isEmpty()) {
        const auto id = parseId(actor);
        if (!id)
            errors.append({QStringLiteral("actor"), QStringLiteral("must be a user id"), QStringLiteral("invalid")});
        f.actorId = id.value_or(0);
    }
    f.action = queryValue(req, QStringLiteral("action"));
    f.targetType = queryValue(req, QStringLiteral("targetType"));
    f.targetId = queryValue(req, QStringLiteral("targetId"));
    const std::pair<const char *, const QString *> texts[] = {{"action", &f.action}, {"targetType", &f.targetType},
                                                               {"targetId", &f.targetId}};
    for (const auto &[name, value] : texts) {
        if (value->size() > 100)
            errors.append({QString::fromLatin1(name), QStringLiteral("at most 100 characters"), QStringLiteral("too_long")});
    }
    f.since = queryTime(req, QStringLiteral("since"), errors);
    f.until = queryTime(req, QStringLiteral("until"), errors);
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    auto cursor = queryCursor(req, QLatin1StringView("au"), 1);
    if (!cursor)
        return tl::unexpected(cursor.error());
    if (*cursor)
        f.beforeSeq = (**cursor)[0];
    return f;
}

} // namespace

QList<Route> AuditRoutes::routes()
{
    const RouteOptions admin = RouteOptions::authenticated(Role::Admin, QString::fromLatin1(kAuditScope));
    return {
        {"GET", QStringLiteral("/v1/admin/audit"), admin, memberHandler(this, &AuditRoutes::list)},
        {"GET", QStringLiteral("/v1/admin/audit/verify"), admin, memberHandler(this, &AuditRoutes::verify)},
    };
}

void AuditRoutes::list(Request &req, const Responder &res)
{
    auto filter = readFilter(req);
    if (!filter)
        return sendError(req, res, filter.error());
    auto limit = queryLimit(req, kDefaultPage, kMaxPage);
    if (!limit)
        return sendError(req, res, limit.error());
    m_db.respondWith(req, res, [svc = &m_service, f = *filter, n = *limit]() -> Result<HttpResponse> {
        auto rows = svc->list(f, n + 1);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        QJsonValue next;
        for (int i = 0; i < rows->size() && i < n; ++i)
            items.append(entryJson(rows->at(i)));
        if (rows->size() > n)
            next = encodeCursor(QLatin1StringView("au"), {rows->at(n - 1).seq});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void AuditRoutes::verify(Request &req, const Responder &res)
{
    if (auto r = checkQuery(req, {}); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_service]() -> Result<HttpResponse> {
        auto v = svc->verify();
        if (!v)
            return tl::unexpected(v.error());
        return HttpResponse::json(200, QJsonObject{
            {QStringLiteral("ok"), v->ok},
            {QStringLiteral("checked"), double(v->checked)},
            {QStringLiteral("lastSeq"), Json::idString(v->lastSeq)},
            {QStringLiteral("brokenSeq"), v->ok ? QJsonValue() : QJsonValue(Json::idString(v->brokenSeq))},
            {QStringLiteral("problem"), v->ok ? QJsonValue() : QJsonValue(v->problem)},
        });
    });
}

} // namespace Admin
