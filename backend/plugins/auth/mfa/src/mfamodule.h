// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The 2FA / OAuth module as one object: its configuration, the hooks into the auth
/// plugin, the two services and the route table. The auth plugin (and the module's own
/// route test) creates it and adds routes() to the router.
/// Threading: created during plugin initialisation (main thread); `db` must outlive it.
/// Failure: a missing hook is a Config error.

#include "mfaconfig.h"
#include "mfahooks.h"
#include "mfaroutes.h"
#include "oauthloginservice.h"
#include "twofactorservice.h"

#include <memory>

namespace Auth::Mfa {

class MfaModule {
public:
    static Community::Result<std::unique_ptr<MfaModule>> create(Community::Db::Database &db, Hooks hooks, Config config);

    QList<Community::Http::Route> routes() { return m_routes.routes(); }

private:
    MfaModule(Community::Db::Database &db, Hooks hooks, Config config);

    Hooks m_hooks;
    Config m_config;
    TwoFactorService m_twoFactor;
    OAuthLoginService m_oauth;
    MfaRoutes m_routes;
};

} // namespace Auth::Mfa
