// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "sessionroutes.h"

#include "authhttp.h"
#include "sessionservice.h"
#include "validation.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Auth {

namespace {

HttpResponse accountSuspended(const QString &requestId)
{
    return problem(403, QStringLiteral("account-suspended"), QStringLiteral("Forbidden"),
                   QStringLiteral("This account is suspended."), {}, requestId);
}

HttpResponse loginAnswer(const LoginResult &r, const QString &requestId)
{
    switch (r.kind) {
    case LoginResult::Kind::Tokens:
        return HttpResponse::json(200, loginJson(r.account, r.tokens));
    case LoginResult::Kind::MfaRequired:
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("mfaRequired"), true},
                                                   {QStringLiteral("mfaToken"), r.mfaToken}});
    case LoginResult::Kind::Suspended:
        return accountSuspended(requestId);
    case LoginResult::Kind::Locked: {
        HttpResponse locked = problem(429, QStringLiteral("too-many-attempts"), QStringLiteral("Too Many Requests"),
                                      QStringLiteral("Too many failed logins; retry after %1 s.").arg(r.retryAfter), {},
                                      requestId);
        locked.setHeader("Retry-After", QByteArray::number(r.retryAfter));
        return locked;
    }
    case LoginResult::Kind::BadCredentials:
        break;
    }
    return problem(401, QStringLiteral("invalid-credentials"), QStringLiteral("Unauthorized"),
                   QStringLiteral("The login or the password is wrong."), {}, requestId);
}

HttpResponse refreshAnswer(const RefreshResult &r, const QString &requestId)
{
    switch (r.kind) {
    case RefreshResult::Kind::Tokens:
        return HttpResponse::json(200, tokenJson(r.tokens));
    case RefreshResult::Kind::Suspended:
        return accountSuspended(requestId);
    case RefreshResult::Kind::Invalid:
        break;
    }
    return problem(401, QStringLiteral("invalid-token"), QStringLiteral("Unauthorized"),
                   QStringLiteral("The refresh token is invalid, expired or revoked."), {}, requestId);
}

QJsonObject sessionJson(const SessionRow &s, qint64 current)
{
    return {{QStringLiteral("id"), Json::idString(s.id)},
            {QStringLiteral("userAgent"), s.userAgent},
            {QStringLiteral("ip"), s.ip},
            {QStringLiteral("createdAt"), Json::iso(s.createdAt)},
            {QStringLiteral("lastSeenAt"), Json::iso(s.lastSeenAt)},
            {QStringLiteral("current"), s.id == current}};
}

} // namespace

QList<Route> SessionRoutes::routes()
{
    return {
        {"POST", QStringLiteral("/v1/auth/login"), publicRoute(), memberHandler(this, &SessionRoutes::login)},
        {"POST", QStringLiteral("/v1/auth/refresh"), publicRoute(), memberHandler(this, &SessionRoutes::refresh)},
        {"POST", QStringLiteral("/v1/auth/logout"), userRoute(false, true), memberHandler(this, &SessionRoutes::logout)},
        {"GET", QStringLiteral("/v1/auth/sessions"), userRoute(false, true), memberHandler(this, &SessionRoutes::sessions)},
        {"DELETE", QStringLiteral("/v1/auth/sessions/{id}"), userRoute(), memberHandler(this, &SessionRoutes::deleteSession)},
        {"POST", QStringLiteral("/v1/auth/sessions/revoke-others"), userRoute(), memberHandler(this, &SessionRoutes::revokeOthers)},
    };
}

void SessionRoutes::login(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    auto nonEmpty = [&body](const QString &field, int maxLength) {
        const auto s = body->string(field, Presence::Required, maxLength);
        if (s && s->isEmpty())
            body->addError(field, QStringLiteral("is required"), QStringLiteral("required"));
        return s.value_or(QString());
    };
    // Normalised as usernames are stored (NFKC), so that every spelling of one name reaches
    // the one account and counts against one lockout key.
    const QString login = normalizeUsername(nonEmpty(QStringLiteral("login"), 254));
    const QString password = nonEmpty(QStringLiteral("password"), 256);
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, login, password, ip = clientIp(req), ua = userAgent(req),
                                rid = req.requestId]() -> Result<HttpResponse> {
        auto r = svc->login(login, password, ua, ip);
        if (!r)
            return tl::unexpected(r.error());
        return loginAnswer(*r, rid);
    });
}

void SessionRoutes::refresh(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const QString token = body->string(QStringLiteral("refreshToken"), Presence::Required, 128).value_or(QString());
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, token, rid = req.requestId]() -> Result<HttpResponse> {
        auto r = svc->refresh(token);
        if (!r)
            return tl::unexpected(r.error());
        return refreshAnswer(*r, rid);
    });
}

void SessionRoutes::logout(Request &req, const Responder &res)
{
    if (!requireUserSession(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, uid = req.principal.userId,
                                sid = req.principal.sessionId.toLongLong()]() -> Result<HttpResponse> {
        if (auto r = svc->logout(uid, sid); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void SessionRoutes::sessions(Request &req, const Responder &res)
{
    if (!requireUserSession(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, uid = req.principal.userId,
                                current = req.principal.sessionId.toLongLong()]() -> Result<HttpResponse> {
        auto list = svc->sessions(uid);
        if (!list)
            return tl::unexpected(list.error());
        QJsonArray items;
        for (const SessionRow &s : *list)
            items.append(sessionJson(s, current));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void SessionRoutes::deleteSession(Request &req, const Responder &res)
{
    if (!requireUserSession(req, res))
        return;
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("session"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_service, uid = req.principal.userId, id = *id]() -> Result<HttpResponse> {
        if (auto r = svc->revoke(uid, id); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void SessionRoutes::revokeOthers(Request &req, const Responder &res)
{
    if (!requireUserSession(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_service, uid = req.principal.userId,
                                current = req.principal.sessionId.toLongLong()]() -> Result<HttpResponse> {
        auto n = svc->revokeOthers(uid, current);
        if (!n)
            return tl::unexpected(n.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("revoked"), *n}});
    });
}

} // namespace Auth
