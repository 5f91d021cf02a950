// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "deliveryroutes.h"

#include "deliveryservice.h"
#include "pushservice.h"
#include "smsservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Notifications {

namespace {

constexpr QLatin1StringView kCursorKind("nd");

QJsonObject deliveryJson(const DeliveryRow &d)
{
    return QJsonObject{
        {QStringLiteral("id"), Json::idString(d.id)},
        {QStringLiteral("userId"), Json::idString(d.userId)},
        {QStringLiteral("channel"), d.channel},
        {QStringLiteral("kind"), d.kind},
        {QStringLiteral("status"), d.status},
        {QStringLiteral("attempts"), d.attempts},
        {QStringLiteral("digest"), d.digest},
        {QStringLiteral("lastError"), Json::orNull(d.lastError)},
        {QStringLiteral("messageId"), d.messageId},
        {QStringLiteral("dueAt"), Json::iso(d.dueAt)},
        {QStringLiteral("createdAt"), Json::iso(d.createdAt)},
        {QStringLiteral("sentAt"), Json::isoOrNull(d.sentAt)},
        {QStringLiteral("providerStatus"), Json::orNull(d.providerStatus)},
    };
}

Result<DeliveryFilter> readFilter(const HttpRequest &req)
{
    if (auto r = checkQuery(req, {QStringLiteral("status"), QStringLiteral("channel"), QStringLiteral("user"),
                                  QStringLiteral("limit"), QStringLiteral("cursor")}); !r)
        return tl::unexpected(r.error());
    DeliveryFilter f;
    f.status = queryValue(req, QStringLiteral("status"));
    f.channel = queryValue(req, QStringLiteral("channel"));
    QList<FieldError> errors;
    if (!f.status.isEmpty() && !QStringList{"pending", "sending", "sent", "dead", "failed"}.contains(f.status))
        errors.append({QStringLiteral("status"), QStringLiteral("must be pending, sending, sent, dead or failed"), QStringLiteral("invalid_choice")});
    if (!f.channel.isEmpty() && !QStringList{"email", "push", "sms"}.contains(f.channel))
        errors.append({QStringLiteral("channel"), QStringLiteral("must be email, push or sms"), QStringLiteral("invalid_choice")});
    if (const QString user = queryValue(req, QStringLiteral("user")); !user.isEmpty()) {
        f.userId = parseId(user);
        if (!f.userId)
            errors.append({QStringLiteral("user"), QStringLiteral("must be a user id"), QStringLiteral("type")});
    }
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    auto limit = queryLimit(req, 50, 500);
    auto cursor = queryCursor(req, kCursorKind, 1);
    if (!limit || !cursor)
        return tl::unexpected(!limit ? limit.error() : cursor.error());
    f.limit = *limit;
    if (*cursor)
        f.beforeId = (**cursor)[0];
    return f;
}

} // namespace

QList<Route> DeliveryRoutes::routes()
{
    RouteOptions pub;
    pub.rateClass = QStringLiteral("write");
    // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" as a form.
    RouteOptions oneClick = RouteOptions(pub).withBodyLimit(1024).withContentTypes(
        {QByteArrayLiteral("application/x-www-form-urlencoded"), QByteArrayLiteral("multipart/form-data")});
    const RouteOptions admin = RouteOptions::authenticated(Role::Admin, QStringLiteral("notifications:admin"));
    const RouteOptions adminWrite = RouteOptions(admin).withBodyLimit(1024);
    auto unsub = [this](bool apply) -> Handler {
        return [this, apply](HttpRequest &req, const Responder &res) { unsubscribe(req, res, apply); };
    };
    return {
        {"GET", QStringLiteral("/v1/notifications/unsubscribe"), pub, unsub(false)},
        {"POST", QStringLiteral("/v1/notifications/unsubscribe"), oneClick, unsub(true)},
        {"GET", QStringLiteral("/v1/admin/notifications/deliveries"), admin, memberHandler(this, &DeliveryRoutes::list)},
        {"POST", QStringLiteral("/v1/admin/notifications/deliveries/{id}/retry"), adminWrite, memberHandler(this, &DeliveryRoutes::retry)},
        {"POST", QStringLiteral("/v1/admin/notifications/test-send"), adminWrite, memberHandler(this, &DeliveryRoutes::testSend)},
    };
}

void DeliveryRoutes::unsubscribe(HttpRequest &req, const Responder &res, bool apply)
{
    if (auto r = checkQuery(req, {QStringLiteral("token")}); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_service, token = queryValue(req, QStringLiteral("token")), apply]() -> Result<HttpResponse> {
        auto u = apply ? svc->unsubscribe(token) : svc->checkToken(token);
        if (!u)
            return tl::unexpected(u.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("kind"), u->kind}, {QStringLiteral("unsubscribed"), apply}});
    });
}

void DeliveryRoutes::list(HttpRequest &req, const Responder &res)
{
    auto filter = readFilter(req);
    if (!filter)
        return sendError(req, res, filter.error());
    m_db.respondWith(req, res, [svc = &m_service, f = *filter]() -> Result<HttpResponse> {
        auto rows = svc->list(f);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        for (const DeliveryRow &d : *rows)
            items.append(deliveryJson(d));
        const QJsonValue next = rows->size() == f.limit ? QJsonValue(encodeCursor(kCursorKind, {rows->back().id})) : QJsonValue();
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void DeliveryRoutes::retry(HttpRequest &req, const Responder &res)
{
    auto id = pathId(req, QStringLiteral("id"), QStringLiteral("delivery"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_service, id = *id]() -> Result<HttpResponse> {
        if (auto r = svc->retry(id); !r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("id"), Json::idString(id)}, {QStringLiteral("status"), QStringLiteral("pending")}});
    });
}

void DeliveryRoutes::testSend(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const auto user = body->string(QStringLiteral("user"), Presence::Required, 64);
    const auto channel = body->string(QStringLiteral("channel"), Presence::Required, 16);
    if (channel && !QStringList{QStringLiteral("email"), QStringLiteral("push"), QStringLiteral("sms")}.contains(*channel))
        body->addError(QStringLiteral("channel"), QStringLiteral("must be email, push or sms"), QStringLiteral("invalid_choice"));
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_service, push = m_push, sms = m_sms, user = *user, channel = *channel]() -> Result<HttpResponse> {
        if (channel == QLatin1String("email")) {
            if (auto r = svc->sendTest(user); !r)
                return tl::unexpected(r.error());
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("sent"), true}});
        }
        auto id = svc->resolveUser(user);
        if (!id)
            return tl::unexpected(id.error());
        if (channel == QLatin1String("push")) {
            auto n = push ? push->sendTest(*id) : Result<int>(fail(ErrorCode::Conflict, QStringLiteral("Web push is not enabled.")));
            if (!n)
                return tl::unexpected(n.error());
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("sent"), true}, {QStringLiteral("subscriptions"), *n}});
        }
        auto r = sms ? sms->sendTest(*id) : Result<void>(fail(ErrorCode::Conflict, QStringLiteral("SMS is not enabled.")));
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("sent"), true}});
    });
}

} // namespace Notifications
