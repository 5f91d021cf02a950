// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "accountroutes.h"

#include "accountservice.h"
#include "authhttp.h"
#include "registrationlimit.h"
#include "validation.h"

#include "community/database.h"
#include "community/problem.h"

using namespace Community;
using namespace Community::Http;

namespace Auth {

namespace {

HttpResponse userAnswer(int status, const Account &a)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("user"), userJson(a)}});
}

/// `newPassword`, checked against the password rules (and `username` when known).
QString readNewPassword(BodyReader &body, const QString &username = {})
{
    const QString field = QStringLiteral("newPassword");
    const auto next = body.string(field, Presence::Required, 256);
    if (next)
        addRuleError(body, checkPassword(*next, username), field);
    return next.value_or(QString());
}

} // namespace

QList<Route> AccountRoutes::routes()
{
    return {
        {"POST", QStringLiteral("/v1/auth/register"), publicRoute(), memberHandler(this, &AccountRoutes::registerAccount)},
        {"GET", QStringLiteral("/v1/auth/me"), userRoute(false, true), memberHandler(this, &AccountRoutes::me)},
        {"POST", QStringLiteral("/v1/auth/password"), userRoute(true, true), memberHandler(this, &AccountRoutes::changePassword)},
        {"POST", QStringLiteral("/v1/auth/verify-email/request"), userRoute(true),
         memberHandler(this, &AccountRoutes::requestEmailVerification)},
        {"POST", QStringLiteral("/v1/auth/verify-email"), publicRoute(), memberHandler(this, &AccountRoutes::verifyEmail)},
        {"POST", QStringLiteral("/v1/auth/password-reset/request"), publicRoute(),
         memberHandler(this, &AccountRoutes::requestPasswordReset)},
        {"POST", QStringLiteral("/v1/auth/password-reset"), publicRoute(), memberHandler(this, &AccountRoutes::resetPassword)},
    };
}

void AccountRoutes::registerAccount(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const auto [account, password] = readNewAccount(*body, Presence::Required);
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, limiter = &m_registrations, account, password = *password,
                                peer = req.peerAddress, requestId = req.requestId,
                                language = preferredMailLanguage(req.header("accept-language"))]() -> Result<HttpResponse> {
        qint64 retryAfter = 0;
        auto a = svc->create(
            account, password, QStringLiteral("register"), [&](pqxx::work &tx) { return limiter->admit(tx, peer, retryAfter); },
            language);
        if (!a && a.error().code == ErrorCode::RateLimited) {
            HttpResponse capped = problemFromError(a.error(), requestId);
            capped.setHeader("Retry-After", QByteArray::number(retryAfter));
            return capped;
        }
        if (!a)
            return tl::unexpected(a.error());
        return userAnswer(201, *a);
    });
}

void AccountRoutes::me(Request &req, const Responder &res)
{
    if (req.principal.userId <= 0) {   // the operator token, or a key the operator created
        res.send(problem(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"),
                         QStringLiteral("This credential belongs to no user account."), {}, req.requestId));
        return;
    }
    m_db.respondWith(req, res, [svc = &m_service, uid = req.principal.userId]() -> Result<HttpResponse> {
        auto a = svc->account(uid);
        if (!a)
            return tl::unexpected(a.error());
        return userAnswer(200, *a);
    });
}

void AccountRoutes::changePassword(Request &req, const Responder &res)
{
    if (!requireUserSession(req, res))
        return;
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const QString current = body->string(QStringLiteral("currentPassword"), Presence::Required, 256).value_or(QString());
    const QString next = readNewPassword(*body, req.principal.username);
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, uid = req.principal.userId, sid = req.principal.sessionId.toLongLong(),
                                current, next]() -> Result<HttpResponse> {
        if (auto r = svc->changePassword(uid, sid, current, next); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void AccountRoutes::requestEmailVerification(Request &req, const Responder &res)
{
    if (!requireUserSession(req, res))
        return;
    auto body = readAuthBody(req, res, true);
    if (!body || !finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, uid = req.principal.userId,
                                language = preferredMailLanguage(req.header("accept-language"))]() -> Result<HttpResponse> {
        if (auto r = svc->requestEmailVerification(uid, language); !r)
            return tl::unexpected(r.error());
        return HttpResponse::json(202, QJsonObject{{QStringLiteral("status"), QStringLiteral("sent")}});
    });
}

void AccountRoutes::verifyEmail(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const QString token = body->string(QStringLiteral("token"), Presence::Required, 128).value_or(QString());
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, token]() -> Result<HttpResponse> {
        auto a = svc->verifyEmail(token);
        if (!a)
            return tl::unexpected(a.error());
        return userAnswer(200, *a);
    });
}

void AccountRoutes::requestPasswordReset(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const auto email = body->string(QStringLiteral("email"), Presence::Required, 254);
    if (email)
        addRuleError(*body, checkEmail(*email));
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, email = *email,
                                language = preferredMailLanguage(req.header("accept-language"))]() -> Result<HttpResponse> {
        if (auto r = svc->requestPasswordReset(email, language); !r)
            return tl::unexpected(r.error());
        // The same answer whether or not the address is known.
        return HttpResponse::json(202, QJsonObject{{QStringLiteral("status"), QStringLiteral("accepted")}});
    });
}

void AccountRoutes::resetPassword(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const QString token = body->string(QStringLiteral("token"), Presence::Required, 128).value_or(QString());
    const QString next = readNewPassword(*body);
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, token, next]() -> Result<HttpResponse> {
        if (auto r = svc->resetPassword(token, next); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

} // namespace Auth
