// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// /v1/auth registration, the caller's account, password change, email verification and
/// password reset: HTTP only. Handlers read the request on the I/O thread (the account
/// rules included) and call AccountService on a database worker.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Auth {

class AccountService;
class RegistrationLimiter;

class AccountRoutes {
public:
    /// `db`, `service` and `registrations` must outlive the router's use of the handlers.
    AccountRoutes(Community::Db::Database &db, AccountService &service, const RegistrationLimiter &registrations)
        : m_db(db), m_service(service), m_registrations(registrations)
    {
    }

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void registerAccount(Request &req, const Responder &res);
    void me(Request &req, const Responder &res);
    void changePassword(Request &req, const Responder &res);
    void requestEmailVerification(Request &req, const Responder &res);
    void verifyEmail(Request &req, const Responder &res);
    void requestPasswordReset(Request &req, const Responder &res);
    void resetPassword(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    AccountService &m_service;
    const RegistrationLimiter &m_registrations;
};

} // namespace Auth
