// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The administrators' routes: /v1/admin/users (accounts), /v1/admin/api-keys,
/// /v1/admin/auth (signing-key rotation, the mail queue). HTTP only; AdminService,
/// AccountService and KeyService do the work on a database worker. The operator token
/// passes these routes too (kind Operator, user id 0).

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Auth {

class AccountService;
class AdminService;
class KeyService;

class AdminRoutes {
public:
    /// Everything passed in must outlive the router's use of the handlers.
    AdminRoutes(Community::Db::Database &db, AccountService &accounts, AdminService &admin, KeyService &keys)
        : m_db(db), m_accounts(accounts), m_admin(admin), m_keys(keys) {}

    QList<Community::Http::Route> routes();
    /// Where API-key scopes are checked against: every scope a route of `router` asks for,
    /// and "*". Set once the routes are added; `router` outlives the handlers.
    void setScopeSource(const Community::Http::Router *router) { m_router = router; }
    /// The scopes an API key may carry (sorted).
    QStringList knownScopes() const;

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void listUsers(Request &req, const Responder &res);
    void showUser(Request &req, const Responder &res);
    void createUser(Request &req, const Responder &res);
    void setRole(Request &req, const Responder &res);
    void setState(Request &req, const Responder &res, bool suspend);
    void resetPassword(Request &req, const Responder &res);
    void disableTwoFactor(Request &req, const Responder &res);
    void createApiKey(Request &req, const Responder &res);
    void listApiKeys(Request &req, const Responder &res);
    void revokeApiKey(Request &req, const Responder &res);
    void rotateKey(Request &req, const Responder &res);
    void mailQueue(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    AccountService &m_accounts;
    AdminService &m_admin;
    KeyService &m_keys;
    const Community::Http::Router *m_router = nullptr;
};

} // namespace Auth
