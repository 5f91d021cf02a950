// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mfaroutes.h"

#include "oauthloginservice.h"
#include "requestorigin.h"
#include "twofactorservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcMfa, "community.auth.mfa")

using namespace Community;
using namespace Community::Http;

namespace Auth::Mfa {

namespace {

RouteOptions options(bool authenticated, bool authRateClass)
{
    RouteOptions o = authenticated ? RouteOptions::authenticated() : RouteOptions{};
    o.owner = QStringLiteral("auth");
    o.maxBodyBytes = 16 * 1024;
    if (authRateClass)
        o.rateClass = QStringLiteral("auth");
    return o;
}

/// 2FA management is for people: API keys and the operator may not do it.
bool requireUser(const HttpRequest &req, const Responder &res)
{
    if (req.principal.kind == Principal::Kind::User)
        return true;
    res.send(problem(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"),
                     QStringLiteral("Only a signed-in user can manage two-factor settings and identities."), {},
                     req.requestId));
    return false;
}

bool queryOk(const HttpRequest &req, const Responder &res, const QStringList &allowed = {})
{
    if (auto r = checkQuery(req, allowed); !r) {
        sendError(req, res, r.error());
        return false;
    }
    return true;
}

/// A string field of the body; a required one must not be empty either.
QString field(BodyReader &body, const QString &name, Presence presence, int maxLength)
{
    const auto s = body.string(name, presence, maxLength);
    if (s && s->isEmpty() && presence == Presence::Required)
        body.addError(name, QStringLiteral("must not be empty"), QStringLiteral("required"));
    return s.value_or(QString());
}

bool finished(BodyReader &body, const HttpRequest &req, const Responder &res)
{
    if (auto r = body.finish(); !r) {
        sendError(req, res, r.error());
        return false;
    }
    return true;
}

/// {password, code} of the routes that change 2FA.
std::optional<std::pair<QString, QString>> passwordAndCode(const HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res, true);
    if (!body)
        return std::nullopt;
    const QString password = field(*body, QStringLiteral("password"), Presence::Optional, 1024);
    const QString code = field(*body, QStringLiteral("code"), Presence::Required, 32);
    if (!finished(*body, req, res))
        return std::nullopt;
    return std::pair{password, code};
}

HttpResponse codesAnswer(const QStringList &codes)
{
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("recoveryCodes"), QJsonArray::fromStringList(codes)}});
}

void noSuchProvider(const HttpRequest &req, const Responder &res)
{
    sendError(req, res, notFound(QStringLiteral("No such identity provider.")));
}

} // namespace

QList<Route> MfaRoutes::routes()
{
    auto handler = [this](void (MfaRoutes::*method)(Request &, const Responder &)) -> Handler {
        return [this, method](Request &req, const Responder &res) { (this->*method)(req, res); };
    };
    return {
        {"POST", QStringLiteral("/v1/auth/2fa/enrol"), options(true, false), handler(&MfaRoutes::enrol)},
        {"POST", QStringLiteral("/v1/auth/2fa/enable"), options(true, true), handler(&MfaRoutes::enable)},
        {"POST", QStringLiteral("/v1/auth/2fa/disable"), options(true, true), handler(&MfaRoutes::disable)},
        {"POST", QStringLiteral("/v1/auth/2fa/recovery-codes"), options(true, true), handler(&MfaRoutes::regenerateCodes)},
        {"POST", QStringLiteral("/v1/auth/login/2fa"), options(false, true), handler(&MfaRoutes::loginSecondFactor)},
        {"GET", QStringLiteral("/v1/auth/oauth/providers"), options(false, false), handler(&MfaRoutes::providers)},
        {"GET", QStringLiteral("/v1/auth/oauth/{provider}/authorize"), options(false, true), handler(&MfaRoutes::authorize)},
        {"POST", QStringLiteral("/v1/auth/oauth/{provider}/callback"), options(false, true), handler(&MfaRoutes::callback)},
        {"GET", QStringLiteral("/v1/auth/identities"), options(true, false), handler(&MfaRoutes::identities)},
        {"DELETE", QStringLiteral("/v1/auth/identities/{provider}"), options(true, false), handler(&MfaRoutes::unlink)},
    };
}

// POST /v1/auth/2fa/enrol
void MfaRoutes::enrol(Request &req, const Responder &res)
{
    if (!requireUser(req, res))
        return;
    auto body = readBody(req, res, true);
    if (!body || !finished(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_twoFactor, uid = req.principal.userId,
                                name = req.principal.username]() -> Result<HttpResponse> {
        auto e = svc->enrol(uid, name);
        if (!e)
            return tl::unexpected(e.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("secret"), e->secret},
                                                   {QStringLiteral("otpauthUri"), e->otpauthUri}});
    });
}

// POST /v1/auth/2fa/enable {code}
void MfaRoutes::enable(Request &req, const Responder &res)
{
    if (!requireUser(req, res))
        return;
    auto body = readBody(req, res, true);
    if (!body)
        return;
    const QString code = field(*body, QStringLiteral("code"), Presence::Required, 16);
    if (!finished(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_twoFactor, uid = req.principal.userId, code]() -> Result<HttpResponse> {
        auto codes = svc->enable(uid, code);
        if (!codes)
            return tl::unexpected(codes.error());
        return codesAnswer(*codes);
    });
}

// POST /v1/auth/login/2fa {mfaToken, code | recoveryCode}
void MfaRoutes::loginSecondFactor(Request &req, const Responder &res)
{
    auto body = readBody(req, res, true);
    if (!body)
        return;
    const QString token = field(*body, QStringLiteral("mfaToken"), Presence::Required, 128);
    const QString code = field(*body, QStringLiteral("code"), Presence::Optional, 16);
    const QString recovery = field(*body, QStringLiteral("recoveryCode"), Presence::Optional, 32);
    if (!finished(*body, req, res))
        return;
    if (code.isEmpty() == recovery.isEmpty()) {
        const QString msg = QStringLiteral("give exactly one of code and recoveryCode");
        return sendError(req, res, invalidFields({{QStringLiteral("code"), msg, QStringLiteral("one_of")},
                                                  {QStringLiteral("recoveryCode"), msg, QStringLiteral("one_of")}}));
    }
    m_db.respondWith(req, res, [svc = &m_twoFactor, token, code, recovery, ua = userAgent(req), ip = clientIp(req),
                                rid = req.requestId]() -> Result<HttpResponse> {
        auto login = svc->login(token, code, recovery, ua, ip);
        if (!login)
            return tl::unexpected(login.error());
        if (!login->accepted)   // committed: the challenge is used up
            return problemFromError(Error::make(ErrorCode::Unauthorized,
                                                QStringLiteral("The code is not correct; please sign in again.")), rid);
        QJsonObject out = login->login;
        if (login->recoveryCodesRemaining >= 0)
            out.insert(QStringLiteral("recoveryCodesRemaining"), login->recoveryCodesRemaining);
        return HttpResponse::json(200, out);
    });
}

// POST /v1/auth/2fa/disable {password, code}
void MfaRoutes::disable(Request &req, const Responder &res)
{
    if (!requireUser(req, res))
        return;
    const auto input = passwordAndCode(req, res);
    if (!input)
        return;
    m_db.respondWith(req, res, [svc = &m_twoFactor, uid = req.principal.userId, input = *input]() -> Result<HttpResponse> {
        if (auto r = svc->disable(uid, input.first, input.second); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

// POST /v1/auth/2fa/recovery-codes {password, code}
void MfaRoutes::regenerateCodes(Request &req, const Responder &res)
{
    if (!requireUser(req, res))
        return;
    const auto input = passwordAndCode(req, res);
    if (!input)
        return;
    m_db.respondWith(req, res, [svc = &m_twoFactor, uid = req.principal.userId, input = *input]() -> Result<HttpResponse> {
        auto codes = svc->regenerateRecoveryCodes(uid, input.first, input.second);
        if (!codes)
            return tl::unexpected(codes.error());
        return codesAnswer(*codes);
    });
}

// GET /v1/auth/oauth/providers
void MfaRoutes::providers(Request &req, const Responder &res)
{
    if (!queryOk(req, res))
        return;
    QJsonArray arr;
    for (const auto &p : m_oauth.providers())
        arr.append(QJsonObject{{QStringLiteral("id"), p.id}, {QStringLiteral("displayName"), p.displayName}});
    res.send(HttpResponse::json(200, QJsonDocument(arr)));
}

// GET /v1/auth/oauth/{provider}/authorize?redirectUri=
void MfaRoutes::authorize(Request &req, const Responder &res)
{
    const QString provider = req.pathParams.value(QStringLiteral("provider"));
    if (!m_oauth.hasProvider(provider))
        return noSuchProvider(req, res);
    if (!queryOk(req, res, {QStringLiteral("redirectUri")}))
        return;
    const auto redirectUri = m_oauth.redirectUri(provider, queryValue(req, QStringLiteral("redirectUri")));
    if (!redirectUri)
        return sendError(req, res, redirectUri.error());
    if (req.principal.kind == Principal::Kind::ApiKey || req.principal.kind == Principal::Kind::Operator) {
        requireUser(req, res);
        return;
    }
    // A signed-in caller links the identity to their account instead of logging in.
    const qint64 linkUser = req.principal.kind == Principal::Kind::User ? req.principal.userId : 0;
    m_db.respondWith(req, res, [svc = &m_oauth, provider, uri = *redirectUri, linkUser]() -> Result<HttpResponse> {
        auto a = svc->authorize(provider, uri, linkUser);
        if (!a)
            return tl::unexpected(a.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("authorizationUrl"), a->url.toString(QUrl::FullyEncoded)},
                                                   {QStringLiteral("state"), a->state}});
    });
}

// POST /v1/auth/oauth/{provider}/callback {code, state}
void MfaRoutes::callback(Request &req, const Responder &res)
{
    const QString provider = req.pathParams.value(QStringLiteral("provider"));
    if (!m_oauth.hasProvider(provider))
        return noSuchProvider(req, res);
    auto body = readBody(req, res, true);
    if (!body)
        return;
    const QString code = field(*body, QStringLiteral("code"), Presence::Required, 2048);
    const QString state = field(*body, QStringLiteral("state"), Presence::Required, 256);
    if (!finished(*body, req, res))
        return;
    // The service talks to the provider outside any transaction (it would hold a
    // connection for seconds, and a retried transaction would replay a single-use code).
    m_db.respondWith(req, res, [svc = &m_oauth, provider, code, state, ua = userAgent(req), ip = clientIp(req),
                                rid = req.requestId]() -> Result<HttpResponse> {
        auto outcome = svc->finish(provider, code, state, ua, ip);
        if (!outcome) {
            if (outcome.error().code == ErrorCode::Unavailable)   // the provider (Internal is logged by the SDK)
                qCWarning(lcMfa).noquote() << "request" << rid << "oauth callback:" << outcome.error().message
                                           << outcome.error().logDetail;
            return tl::unexpected(outcome.error());
        }
        if (!outcome->linked)
            return HttpResponse::json(200, outcome->login);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("linked"), true},
                                                   {QStringLiteral("provider"), provider},
                                                   {QStringLiteral("email"), outcome->email}});
    });
}

// GET /v1/auth/identities
void MfaRoutes::identities(Request &req, const Responder &res)
{
    if (!requireUser(req, res) || !queryOk(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_oauth, uid = req.principal.userId]() -> Result<HttpResponse> {
        auto list = svc->identities(uid);
        if (!list)
            return tl::unexpected(list.error());
        QJsonArray arr;
        for (const Identity &i : *list) {
            QJsonObject o{{QStringLiteral("provider"), i.row.provider},
                          {QStringLiteral("email"), i.row.email},
                          {QStringLiteral("createdAt"), Json::iso(i.row.createdAt)}};
            if (!i.displayName.isEmpty())
                o.insert(QStringLiteral("displayName"), i.displayName);
            arr.append(o);
        }
        return HttpResponse::json(200, QJsonDocument(arr));
    });
}

// DELETE /v1/auth/identities/{provider}
void MfaRoutes::unlink(Request &req, const Responder &res)
{
    if (!requireUser(req, res) || !queryOk(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_oauth, uid = req.principal.userId,
                                provider = req.pathParams.value(QStringLiteral("provider"))]() -> Result<HttpResponse> {
        if (auto r = svc->unlink(uid, provider); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

} // namespace Auth::Mfa
