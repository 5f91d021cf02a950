// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authhttp.h"

#include "accountrepository.h"
#include "sessionservice.h"
#include "validation.h"

#include "community/json.h"
#include "community/problem.h"

using namespace Community;
using namespace Community::Http;

namespace Auth {

namespace {

RouteOptions owned(RouteOptions o)
{
    o.owner = QStringLiteral("auth");
    o.maxBodyBytes = kAuthBodyLimit;
    return o;
}

} // namespace

RouteOptions publicRoute()
{
    return owned(RouteOptions{}).withRateClass(QStringLiteral("auth"));
}

RouteOptions userRoute(bool authRateClass, bool duringPasswordChange)
{
    RouteOptions o = owned(RouteOptions::authenticated(Role::User));
    if (authRateClass)
        o.rateClass = QStringLiteral("auth");
    // The gateway answers 403 password-change-required on every other authenticated route.
    o.allowPendingPasswordChange = duringPasswordChange;
    return o;
}

RouteOptions adminRoute()
{
    return owned(RouteOptions::authenticated(Role::Admin, QStringLiteral("admin")));
}

std::optional<BodyReader> readAuthBody(const HttpRequest &req, const Responder &res, bool allowEmpty)
{
    auto body = BodyReader::parse(req.body, allowEmpty);
    if (!body) {
        Error e = body.error();
        e.type.clear();   // "validation", not the SDK's "malformed-json": the auth API's documented answer
        sendError(req, res, e);
        return std::nullopt;
    }
    return std::move(*body);
}

bool finishBody(BodyReader &body, const HttpRequest &req, const Responder &res)
{
    if (auto r = body.finish(); !r) {
        sendError(req, res, r.error());
        return false;
    }
    return true;
}

void addRuleError(BodyReader &body, const std::optional<FieldError> &error, const QString &field)
{
    if (error)
        body.addError(field.isEmpty() ? error->field : field, error->message, error->code);
}

bool requireUserSession(const HttpRequest &req, const Responder &res)
{
    if (req.principal.kind == Principal::Kind::User && !req.principal.sessionId.isEmpty())
        return true;
    res.send(problem(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"),
                     QStringLiteral("This route needs a user session, not an API key."), {}, req.requestId));
    return false;
}

qint64 queryInteger(const HttpRequest &req, const QString &name, qint64 def, qint64 min, qint64 max,
                    const FieldError &error, QList<FieldError> &errors)
{
    const QString text = req.query.queryItemValue(name);
    if (text.isEmpty())
        return def;
    bool ok = false;
    const qint64 n = text.toLongLong(&ok);
    if (!ok || n < min || n > max)
        errors.append(error);
    return n;
}

std::pair<NewAccount, std::optional<QString>> readNewAccount(BodyReader &body, Presence passwordPresence)
{
    NewAccount account;
    const auto username = body.string(QStringLiteral("username"), Presence::Required, 64);
    const auto email = body.string(QStringLiteral("email"), Presence::Required, 254);
    const auto password = body.string(QStringLiteral("password"), passwordPresence, 256);
    if (username)
        addRuleError(body, checkUsername(account.username = normalizeUsername(*username)));
    if (email)
        addRuleError(body, checkEmail(account.email = *email));
    if (password)
        addRuleError(body, checkPassword(*password, account.username, account.email));
    return {account, password};
}

QJsonObject userJson(const Account &a)
{
    QJsonObject o{{QStringLiteral("id"), a.id},
                  {QStringLiteral("username"), a.username},
                  {QStringLiteral("email"), Json::orNull(a.email)},
                  {QStringLiteral("role"), roleName(a.role)},
                  {QStringLiteral("state"), stateName(a.state)},
                  {QStringLiteral("emailVerified"), a.emailVerified},
                  {QStringLiteral("mustChangePassword"), a.mustChangePassword},
                  {QStringLiteral("createdAt"), Json::iso(a.createdAt)}};
    if (!a.suspendedReason.isEmpty())
        o.insert(QStringLiteral("suspendedReason"), a.suspendedReason);
    return o;
}

QJsonObject tokenJson(const TokenPair &t)
{
    return {{QStringLiteral("accessToken"), t.accessToken},
            {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
            {QStringLiteral("expiresIn"), t.expiresIn},
            {QStringLiteral("refreshToken"), t.refreshToken}};
}

QJsonObject loginJson(const Account &account, const TokenPair &tokens)
{
    QJsonObject o = tokenJson(tokens);
    o.insert(QStringLiteral("user"), userJson(account));
    return o;
}

} // namespace Auth
