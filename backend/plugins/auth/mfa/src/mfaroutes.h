// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The /v1/auth/2fa/*, /v1/auth/login/2fa, /v1/auth/oauth/* and /v1/auth/identities
/// routes (owner "auth"): HTTP only. Handlers read the request with the SDK on the I/O
/// thread and call TwoFactorService / OAuthLoginService on a database worker.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Auth::Mfa {

class OAuthLoginService;
class TwoFactorService;

class MfaRoutes {
public:
    /// Everything passed in must outlive the router's use of the handlers.
    MfaRoutes(Community::Db::Database &db, TwoFactorService &twoFactor, OAuthLoginService &oauth)
        : m_db(db), m_twoFactor(twoFactor), m_oauth(oauth) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void enrol(Request &req, const Responder &res);
    void enable(Request &req, const Responder &res);
    void loginSecondFactor(Request &req, const Responder &res);
    void disable(Request &req, const Responder &res);
    void regenerateCodes(Request &req, const Responder &res);
    void providers(Request &req, const Responder &res);
    void authorize(Request &req, const Responder &res);
    void callback(Request &req, const Responder &res);
    void identities(Request &req, const Responder &res);
    void unlink(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    TwoFactorService &m_twoFactor;
    OAuthLoginService &m_oauth;
};

} // namespace Auth::Mfa
