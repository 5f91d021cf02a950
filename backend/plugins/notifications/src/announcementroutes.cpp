// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "announcementroutes.h"

#include "announcementservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>
#include <QUrl>

using namespace Community;
using namespace Community::Http;

namespace Notifications {

namespace {

QJsonObject announcementJson(const AnnouncementRow &a)
{
    QJsonObject o{
        {QStringLiteral("id"), Json::idString(a.announcement.id)},
        {QStringLiteral("title"), a.announcement.title},
        {QStringLiteral("body"), a.announcement.body},
        {QStringLiteral("url"), a.announcement.url.isEmpty() ? QJsonValue() : QJsonValue(a.announcement.url)},
        {QStringLiteral("createdAt"), Json::iso(a.announcement.createdAt)},
        {QStringLiteral("recipients"), a.recipients},
        {QStringLiteral("done"), a.doneAt.has_value()},
        {QStringLiteral("doneAt"), a.doneAt ? QJsonValue(Json::iso(*a.doneAt)) : QJsonValue()},
    };
    if (a.createdBy > 0)
        o.insert(QStringLiteral("createdBy"), Json::idString(a.createdBy));
    return o;
}

} // namespace

QList<Route> AnnouncementRoutes::routes()
{
    const RouteOptions admin = RouteOptions::authenticated(Role::Admin, QStringLiteral("notifications:admin"));
    const RouteOptions adminWrite = RouteOptions(admin).withRateClass(QStringLiteral("write")).withBodyLimit(32 * 1024);
    return {
        {"POST", QStringLiteral("/v1/admin/notifications/announcements"), adminWrite, memberHandler(this, &AnnouncementRoutes::publish)},
        {"GET", QStringLiteral("/v1/admin/notifications/announcements"), admin, memberHandler(this, &AnnouncementRoutes::list)},
    };
}

void AnnouncementRoutes::publish(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const auto title = body->text(QStringLiteral("title"), TextRule{m_config.titleMax, Presence::Required});
    const auto text = body->text(QStringLiteral("body"), TextRule{m_config.bodyMax, Presence::Required, true});
    const auto url = body->string(QStringLiteral("url"), Presence::Optional, 2000);
    if (url) {
        const QUrl u(*url, QUrl::StrictMode);
        if (!u.isValid() || (u.scheme() != QLatin1String("https") && u.scheme() != QLatin1String("http")) || u.host().isEmpty())
            body->addError(QStringLiteral("url"), QStringLiteral("must be an absolute http or https URL"), QStringLiteral("invalid_url"));
    }
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_service, wake = m_wake, by = req.principal.userId, title = *title, text = *text,
                                url = url.value_or(QString())]() -> Result<HttpResponse> {
        auto a = svc->create(by, title, text, url);
        if (!a)
            return tl::unexpected(a.error());
        if (wake)
            wake();
        return HttpResponse::json(202, announcementJson(*a));
    });
}

void AnnouncementRoutes::list(HttpRequest &req, const Responder &res)
{
    if (auto r = checkQuery(req, {QStringLiteral("limit")}); !r)
        return sendError(req, res, r.error());
    auto limit = queryLimit(req, 20, 100);
    if (!limit)
        return sendError(req, res, limit.error());
    m_db.respondWith(req, res, [svc = &m_service, limit = *limit]() -> Result<HttpResponse> {
        auto rows = svc->list(limit);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        for (const AnnouncementRow &a : *rows)
            items.append(announcementJson(a));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

} // namespace Notifications
