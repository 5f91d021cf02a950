// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "adminroutes.h"

#include "accountservice.h"
#include "adminservice.h"
#include "authhttp.h"
#include "crypto.h"
#include "keyservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"

#include <QJsonArray>

#include <limits>

using namespace Community;
using namespace Community::Http;
using Community::Contracts::AccountState;

namespace Auth {

namespace {

HttpResponse userAnswer(const Account &a, QJsonObject extra = {})
{
    extra.insert(QStringLiteral("user"), userJson(a));
    return HttpResponse::json(200, extra);
}

Role readRole(BodyReader &body, Presence presence)
{
    const auto text = body.string(QStringLiteral("role"), presence, 32);
    Role role = Role::User;
    if (text && !parseRole(*text, &role))
        body.addError(QStringLiteral("role"), QStringLiteral("Must be user, moderator or admin."), QStringLiteral("invalid_role"));
    return role;
}

/// Routes without fields take no body or an empty object.
bool emptyBody(const HttpRequest &req, const Responder &res)
{
    auto body = readAuthBody(req, res, true);
    return body && finishBody(*body, req, res);
}

QString pathUsername(const HttpRequest &req)
{
    return req.pathParams.value(QStringLiteral("username"));
}

QJsonObject apiKeyJson(const ApiKeyListing &k)
{
    return {{QStringLiteral("id"), Json::idString(k.id)},
            {QStringLiteral("name"), k.name},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(k.scopes)},
            {QStringLiteral("createdBy"), Json::orNull(k.createdBy)},
            {QStringLiteral("createdAt"), Json::iso(k.createdAt)},
            {QStringLiteral("lastUsedAt"), Json::isoOrNull(k.lastUsedAt)},
            {QStringLiteral("revoked"), k.revoked}};
}

QJsonObject mailJson(const OutboxMail &m)
{
    return {{QStringLiteral("id"), m.id},
            {QStringLiteral("type"), m.type},
            {QStringLiteral("payload"), m.payload},
            {QStringLiteral("createdAt"), Json::iso(m.createdAt)},
            {QStringLiteral("handedOverAt"), Json::isoOrNull(m.handedOverAt)}};
}

void sendInvalidQuery(const HttpRequest &req, const Responder &res, const QList<FieldError> &errors)
{
    Error e = invalidFields(errors);
    e.message = QStringLiteral("Invalid query parameters.");
    sendError(req, res, e);
}

} // namespace

QStringList AdminRoutes::knownScopes() const
{
    QStringList scopes{QStringLiteral("*")};
    if (m_router) {
        for (const RouteInfo &r : m_router->routes()) {
            if (!r.options.scope.isEmpty() && !scopes.contains(r.options.scope))
                scopes << r.options.scope;
        }
    }
    scopes.sort();
    return scopes;
}

QList<Route> AdminRoutes::routes()
{
    auto state = [this](bool suspend) -> Handler {
        return [this, suspend](Request &req, const Responder &res) { setState(req, res, suspend); };
    };
    const RouteOptions admin = adminRoute();
    return {
        {"POST", QStringLiteral("/v1/admin/auth/rotate-key"), admin, memberHandler(this, &AdminRoutes::rotateKey)},
        {"GET", QStringLiteral("/v1/admin/auth/outbox"), admin, memberHandler(this, &AdminRoutes::mailQueue)},
        {"POST", QStringLiteral("/v1/admin/api-keys"), admin, memberHandler(this, &AdminRoutes::createApiKey)},
        {"GET", QStringLiteral("/v1/admin/api-keys"), admin, memberHandler(this, &AdminRoutes::listApiKeys)},
        {"DELETE", QStringLiteral("/v1/admin/api-keys/{id}"), admin, memberHandler(this, &AdminRoutes::revokeApiKey)},
        {"GET", QStringLiteral("/v1/admin/users"), admin, memberHandler(this, &AdminRoutes::listUsers)},
        {"POST", QStringLiteral("/v1/admin/users"), admin, memberHandler(this, &AdminRoutes::createUser)},
        {"GET", QStringLiteral("/v1/admin/users/{username}"), admin, memberHandler(this, &AdminRoutes::showUser)},
        {"PUT", QStringLiteral("/v1/admin/users/{username}/role"), admin, memberHandler(this, &AdminRoutes::setRole)},
        {"POST", QStringLiteral("/v1/admin/users/{username}/suspend"), admin, state(true)},
        {"POST", QStringLiteral("/v1/admin/users/{username}/unsuspend"), admin, state(false)},
        {"POST", QStringLiteral("/v1/admin/users/{username}/reset-password"), admin, memberHandler(this, &AdminRoutes::resetPassword)},
        {"POST", QStringLiteral("/v1/admin/users/{username}/disable-2fa"), admin, memberHandler(this, &AdminRoutes::disableTwoFactor)},
    };
}

void AdminRoutes::listUsers(Request &req, const Responder &res)
{
    QList<FieldError> errors;
    const int limit = int(queryInteger(req, QStringLiteral("limit"), 20, 1, 100,
                                       {QStringLiteral("limit"), QStringLiteral("Must be 1 to 100."), QStringLiteral("range")},
                                       errors));
    const qint64 after = queryInteger(req, QStringLiteral("cursor"), 0, 0, std::numeric_limits<qint64>::max(),
                                      {QStringLiteral("cursor"), QStringLiteral("Invalid cursor."), QStringLiteral("invalid")},
                                      errors);
    const QString prefix = req.query.queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded);
    if (codePoints(prefix) > 100)
        errors.append({QStringLiteral("query"), QStringLiteral("At most 100 characters."), QStringLiteral("too_long")});
    if (!errors.isEmpty())
        return sendInvalidQuery(req, res, errors);
    m_db.respondWith(req, res, [svc = &m_admin, prefix, after, limit]() -> Result<HttpResponse> {
        auto page = svc->list(prefix, after, limit);
        if (!page)
            return tl::unexpected(page.error());
        QJsonArray items;
        for (const Account &a : page->items)
            items.append(userJson(a));
        const QJsonValue next = page->nextAfterId ? QJsonValue(QString::number(*page->nextAfterId)) : QJsonValue();
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void AdminRoutes::showUser(Request &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_admin, name = pathUsername(req)]() -> Result<HttpResponse> {
        auto a = svc->account(name);
        if (!a)
            return tl::unexpected(a.error());
        return userAnswer(*a);
    });
}

void AdminRoutes::createUser(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    auto [account, password] = readNewAccount(*body, Presence::Optional);
    account.role = readRole(*body, Presence::Optional);
    account.mustChangePassword = true;   // an administrator knows the password: its owner must choose a new one
    if (!finishBody(*body, req, res))
        return;
    const bool generated = password.value_or(QString()).isEmpty();
    const QString chosen = generated ? QString::fromLatin1(randomToken(12)) : *password;
    m_db.respondWith(req, res, [svc = &m_accounts, account, chosen, generated]() -> Result<HttpResponse> {
        auto a = svc->create(account, chosen, QStringLiteral("admin"));
        if (!a)
            return tl::unexpected(a.error());
        QJsonObject o{{QStringLiteral("user"), userJson(*a)}};
        if (generated)
            o.insert(QStringLiteral("password"), chosen);
        return HttpResponse::json(201, o);
    });
}

void AdminRoutes::setRole(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const auto role = readRole(*body, Presence::Required);
    if (!finishBody(*body, req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_admin, name = pathUsername(req), role]() -> Result<HttpResponse> {
        auto a = svc->setRole(name, role);
        if (!a)
            return tl::unexpected(a.error());
        return userAnswer(*a);
    });
}

void AdminRoutes::setState(Request &req, const Responder &res, bool suspend)
{
    auto body = readAuthBody(req, res, true);
    if (!body)
        return;
    const QString reason = suspend ? body->text(QStringLiteral("reason"), {500, Presence::Optional, false, true}).value_or(QString())
                                   : QString();
    if (!finishBody(*body, req, res))
        return;
    const AccountState state = suspend ? AccountState::Suspended : AccountState::Active;
    m_db.respondWith(req, res, [svc = &m_admin, name = pathUsername(req), state, reason,
                                self = req.principal.userId]() -> Result<HttpResponse> {
        auto a = svc->setState(name, state, reason, self);
        if (!a)
            return tl::unexpected(a.error());
        return userAnswer(*a);
    });
}

void AdminRoutes::resetPassword(Request &req, const Responder &res)
{
    if (!emptyBody(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_admin, name = pathUsername(req)]() -> Result<HttpResponse> {
        auto r = svc->resetPassword(name);
        if (!r)
            return tl::unexpected(r.error());
        return userAnswer(r->first, {{QStringLiteral("password"), r->second}});
    });
}

void AdminRoutes::disableTwoFactor(Request &req, const Responder &res)
{
    if (!emptyBody(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_admin, name = pathUsername(req)]() -> Result<HttpResponse> {
        auto r = svc->disableTwoFactor(name);
        if (!r)
            return tl::unexpected(r.error());
        return userAnswer(r->first, {{QStringLiteral("disabled"), r->second}});
    });
}

void AdminRoutes::createApiKey(Request &req, const Responder &res)
{
    auto body = readAuthBody(req, res);
    if (!body)
        return;
    const auto name = body->text(QStringLiteral("name"), {100, Presence::Required});
    const QStringList scopes = body->stringList(QStringLiteral("scopes"), Presence::Required, 32, 64).value_or(QStringList());
    const QStringList known = knownScopes();
    for (const QString &scope : scopes) {
        if (!known.contains(scope)) {
            body->addError(QStringLiteral("scopes"),
                           QStringLiteral("Unknown scope \"%1\"; valid scopes: %2.").arg(scope, known.join(QStringLiteral(", "))),
                           QStringLiteral("unknown_scope"));
            break;
        }
    }
    if (!finishBody(*body, req, res))
        return;
    // The operator token has no account (userId 0): such keys record no creator.
    const qint64 owner = req.principal.kind == Principal::Kind::Operator ? 0 : req.principal.userId;
    m_db.respondWith(req, res, [svc = &m_keys, name = *name, scopes, owner,
                                ownerName = req.principal.username]() -> Result<HttpResponse> {
        auto k = svc->createApiKey(name, scopes, owner, ownerName);
        if (!k)
            return tl::unexpected(k.error());
        return HttpResponse::json(201, QJsonObject{{QStringLiteral("id"), Json::idString(k->id)},
                                                   {QStringLiteral("name"), name},
                                                   {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)},
                                                   {QStringLiteral("createdBy"), owner > 0 ? QJsonValue(owner) : QJsonValue()},
                                                   {QStringLiteral("createdAt"), Json::iso(k->createdAt)},
                                                   {QStringLiteral("key"), k->key}});
    });
}

void AdminRoutes::listApiKeys(Request &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_keys]() -> Result<HttpResponse> {
        auto keys = svc->apiKeys();
        if (!keys)
            return tl::unexpected(keys.error());
        QJsonArray items;
        for (const ApiKeyListing &k : *keys)
            items.append(apiKeyJson(k));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void AdminRoutes::revokeApiKey(Request &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("API key"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_keys, id = *id]() -> Result<HttpResponse> {
        if (auto r = svc->revokeApiKey(id); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void AdminRoutes::rotateKey(Request &req, const Responder &res)
{
    if (!emptyBody(req, res))
        return;
    m_db.respondWith(req, res, [svc = &m_keys]() -> Result<HttpResponse> {
        auto kid = svc->rotateSigningKey();
        if (!kid)
            return tl::unexpected(kid.error());
        return HttpResponse::json(201, QJsonObject{{QStringLiteral("kid"), *kid}});
    });
}

void AdminRoutes::mailQueue(Request &req, const Responder &res)
{
    QList<FieldError> errors;
    const qint64 after = queryInteger(req, QStringLiteral("after"), 0, 0, std::numeric_limits<qint64>::max(),
                                      {QStringLiteral("after"), QStringLiteral("Must be an event id."), QStringLiteral("invalid")},
                                      errors);
    const int limit = int(queryInteger(req, QStringLiteral("limit"), 50, 1, 500,
                                       {QStringLiteral("limit"), QStringLiteral("Must be 1 to 500."), QStringLiteral("range")},
                                       errors));
    if (!errors.isEmpty())
        return sendInvalidQuery(req, res, errors);
    m_db.respondWith(req, res, [svc = &m_admin, after, limit]() -> Result<HttpResponse> {
        auto mail = svc->mail(after, limit);
        if (!mail)
            return tl::unexpected(mail.error());
        QJsonArray items;
        for (const OutboxMail &m : *mail)
            items.append(mailJson(m));
        const qint64 last = mail->isEmpty() ? after : mail->last().id;
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextAfter"), last}});
    });
}

} // namespace Auth
