// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The HTTP routes of the auth plugin (/v1/auth/*, /v1/admin/auth/*, /v1/admin/api-keys,
/// /v1/admin/users). Handlers validate on the I/O thread (cheap), then do every database
/// access and every password hash on a worker through AuthServices::respond().
/// Authorization (roles, scopes, the "must change password" gate) is declared per route
/// and enforced by the gateway; handlers cope with every principal kind that can pass it
/// (users, API keys, and the operator token: kind Operator, userId 0).
/// The 2FA / OAuth routes are registered by Auth::Mfa::registerRoutes (mfa/).

#include "authservices.h"

#include "community/router.h"

namespace Auth {

class AuthRoutes {
public:
    explicit AuthRoutes(AuthServices *services) : m_s(services) {}
    Community::Result<void> registerAll(Community::Http::Router &router);

private:
    using Req = Community::Http::HttpRequest;
    using Res = Community::Http::Responder;

    // /v1/auth
    void registerUser(Req &, const Res &);
    void login(Req &, const Res &);
    void refresh(Req &, const Res &);
    void logout(Req &, const Res &);
    void me(Req &, const Res &);
    void sessions(Req &, const Res &);
    void deleteSession(Req &, const Res &);
    void revokeOtherSessions(Req &, const Res &);
    void changePassword(Req &, const Res &);
    void requestEmailVerification(Req &, const Res &);
    void verifyEmail(Req &, const Res &);
    void requestPasswordReset(Req &, const Res &);
    void resetPassword(Req &, const Res &);
    // admin
    void rotateKey(Req &, const Res &);
    void outbox(Req &, const Res &);
    void createApiKey(Req &, const Res &);
    void listApiKeys(Req &, const Res &);
    void revokeApiKey(Req &, const Res &);
    void listUsers(Req &, const Res &);
    void showUser(Req &, const Res &);
    void createUser(Req &, const Res &);
    void setRole(Req &, const Res &);
    void suspend(Req &, const Res &);
    void unsuspend(Req &, const Res &);
    void adminResetPassword(Req &, const Res &);
    void disableTwoFactor(Req &, const Res &);

    /// Sends 403 (false) unless the caller is a user session (not an API key).
    bool userSession(const Req &req, const Res &res);
    void setUserState(Req &req, const Res &res, const QString &state, bool withReason);

    AuthServices *m_s;
};

} // namespace Auth
