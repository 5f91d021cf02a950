// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "smsroutes.h"

#include "smsservice.h"

#include "community/database.h"
#include "community/problem.h"
#include "community/request.h"

using namespace Community;
using namespace Community::Http;

namespace Notifications {

namespace {

HttpResponse phoneJson(int status, const QString &number, bool verified)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("number"), number}, {QStringLiteral("verified"), verified}});
}

} // namespace

QList<Route> SmsRoutes::routes()
{
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:read"));
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("notifications:write"))
                                   .withRateClass(QStringLiteral("write")).withBodyLimit(1024);
    // The provider's status callbacks: no login, a Twilio-style signed form.
    const RouteOptions callback = RouteOptions().withBodyLimit(4096).withContentTypes(
        {QByteArrayLiteral("application/x-www-form-urlencoded")});
    return {
        {"GET", QStringLiteral("/v1/notifications/phone"), read, memberHandler(this, &SmsRoutes::get)},
        {"PUT", QStringLiteral("/v1/notifications/phone"), write, memberHandler(this, &SmsRoutes::set)},
        {"POST", QStringLiteral("/v1/notifications/phone/verify"), write, memberHandler(this, &SmsRoutes::verify)},
        {"DELETE", QStringLiteral("/v1/notifications/phone"), write, memberHandler(this, &SmsRoutes::remove)},
        {"POST", QStringLiteral("/v1/notifications/sms/status"), callback, memberHandler(this, &SmsRoutes::status)},
    };
}

void SmsRoutes::get(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId]() -> Result<HttpResponse> {
        auto p = svc->phone(user);
        if (!p)
            return tl::unexpected(p.error());
        if (!*p)
            return tl::unexpected(notFound(QStringLiteral("No phone number.")));
        return phoneJson(200, (*p)->number, (*p)->verified);
    });
}

void SmsRoutes::set(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const auto number = body->string(QStringLiteral("number"), Presence::Required, 16);
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, number = *number]() -> Result<HttpResponse> {
        if (auto r = svc->setNumber(user, number); !r)
            return tl::unexpected(r.error());
        return phoneJson(202, number, false);
    });
}

void SmsRoutes::verify(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const auto code = body->string(QStringLiteral("code"), Presence::Required, 6);
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId, code = *code]() -> Result<HttpResponse> {
        if (auto r = svc->verify(user, code); !r)
            return tl::unexpected(r.error());
        auto p = svc->phone(user);
        if (!p || !*p)
            return tl::unexpected(p ? notFound(QStringLiteral("No phone number.")) : p.error());
        return phoneJson(200, (*p)->number, (*p)->verified);
    });
}

void SmsRoutes::remove(HttpRequest &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_service, user = req.principal.userId]() -> Result<HttpResponse> {
        if (auto r = svc->removeNumber(user); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void SmsRoutes::status(HttpRequest &req, const Responder &res)
{
    if (auto r = checkQuery(req, {QStringLiteral("d")}); !r)
        return sendError(req, res, r.error());
    // application/x-www-form-urlencoded: '+' is a space.
    QByteArray body = req.body;
    body.replace('+', "%20");
    QList<std::pair<QString, QString>> form;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        form.append({QString::fromUtf8(QByteArray::fromPercentEncoding(eq < 0 ? pair : pair.left(eq))),
                     QString::fromUtf8(QByteArray::fromPercentEncoding(eq < 0 ? QByteArray() : pair.mid(eq + 1)))});
        if (form.size() > 64)
            return sendError(req, res, invalidField(QStringLiteral("body"), QStringLiteral("too many form fields"), QStringLiteral("range")));
    }
    m_db.respondWith(req, res, [svc = &m_service, d = queryValue(req, QStringLiteral("d")), form,
                                signature = req.header("x-twilio-signature")]() -> Result<HttpResponse> {
        auto outcome = svc->statusCallback(d, form, signature);
        if (!outcome)
            return tl::unexpected(outcome.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("applied"), outcome->applied},
                                                   {QStringLiteral("status"), outcome->status}});
    });
}

} // namespace Notifications
