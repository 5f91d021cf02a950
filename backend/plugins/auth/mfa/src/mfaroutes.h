// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The auth plugin's TOTP two-factor and OAuth 2.0 / OIDC login routes.
/// The auth plugin owns accounts, passwords and sessions and lends them through Hooks;
/// this module owns auth.totp, auth.recovery_codes, auth.oauth_identities,
/// auth.oauth_states and completes auth.mfa_challenges.
/// Threading: registerRoutes() runs once during plugin initialisation (main thread).
/// Hooks are called on database worker threads inside the route's transaction (the
/// pqxx::work passed in); they must not commit it. `db` must outlive the router's use.
/// Failure: configuration errors are Config values; request errors are problem+json.

#include "community/config.h"
#include "community/database.h"
#include "community/result.h"
#include "community/router.h"

#include "oauthprovider.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace Auth::Mfa {

using Community::Result;

struct Hooks {
    /// Creates a session for a user who passed every factor; returns the login response
    /// body (the same one POST /v1/auth/login answers). Refuse suspended accounts here.
    std::function<Result<QJsonObject>(pqxx::work &, qint64 userId, const QString &userAgent, const QString &ip)>
        issueSession;
    /// Checks the user's password (Argon2id). false = wrong (or no password set).
    std::function<Result<bool>(pqxx::work &, qint64 userId, const QString &password)> verifyPassword;
    /// Creates an account for a first OAuth login; `email` is empty unless the provider
    /// verified it; `preferredUsername` may be empty, invalid or taken: the hook must
    /// derive a valid, free username. Conflict (e.g. email taken) is answered as 409.
    std::function<Result<qint64>(pqxx::work &, const QString &preferredUsername, const QString &email)> createUser;
    /// Whether the account has a password (a non-null password hash).
    std::function<Result<bool>(pqxx::work &, qint64 userId)> hasPassword;
    /// Optional: called once the transaction that created an account through createUser
    /// has committed (on the same worker thread, outside any transaction), e.g. to tell
    /// listeners about the new account. Not called when the transaction rolled back.
    std::function<void(qint64 userId)> accountCreated;
};

struct Config {
    QString issuer = QStringLiteral("Community");    ///< shown in authenticator apps
    QList<OAuthProviderConfig> providers;             ///< in display order
    Community::Secret recoveryCodePepper;             ///< keys the recovery-code hashes
    int challengeTtlSeconds = 300;                    ///< MFA challenges created here (OAuth logins)
    int oauthStateTtlSeconds = 600;
    /// Unix seconds for TOTP; empty = system clock. Tests set it to move time.
    std::function<qint64()> clock;
};

/// Reads this module's own subtree (hand it a dedicated child reader, e.g.
/// plugins.auth.mfa) and calls finish() on it: unknown keys are errors.
/// Keys: issuer, recoveryCodePepper|recoveryCodePepperFile, challengeTtlSeconds,
/// oauthStateTtlSeconds, oauthProviders ["id", ...], oauth { "<id>": {provider keys} }.
Result<Config> parseConfig(Community::ConfigReader &reader);

/// Adds the /v1/auth/2fa/*, /v1/auth/login/2fa, /v1/auth/oauth/* and /v1/auth/identities
/// routes (owner "auth"). Errors: a missing hook or a duplicate route.
Result<void> registerRoutes(Community::Http::Router &router, Community::Db::Database &db, Hooks hooks, Config config);

/// For POST /v1/auth/login: whether the user must pass a second factor.
Result<bool> totpEnabled(pqxx::work &tx, qint64 userId);
/// For POST /v1/auth/login: stores a single-use challenge (only its SHA-256 is kept) and
/// returns the token for {"mfaRequired":true,"mfaToken":"<token>"}.
Result<QString> createChallenge(pqxx::work &tx, qint64 userId, const QString &userAgent, const QString &ip,
                                int ttlSeconds = 300);

} // namespace Auth::Mfa
