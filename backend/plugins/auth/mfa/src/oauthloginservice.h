// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// OAuth 2.0 / OIDC login (authorization code + PKCE): the authorization URL with a
/// single-use state, the callback that exchanges the code with the provider (outside any
/// transaction) and then links the identity, logs in, or creates the account; listing
/// and unlinking identities. An identity is never linked to an existing account by
/// email alone (that would hand a local account to whoever controls the provider's).
/// Threading: blocking (worker threads); immutable after construction.

#include "mfaconfig.h"
#include "mfahooks.h"
#include "mfarepository.h"

#include "community/result.h"

#include <QHash>
#include <QJsonObject>
#include <QUrl>

#include <memory>

namespace Community::Db { class Database; }

namespace Auth::Mfa {

class OAuthClient;
class TwoFactorService;

struct Authorization {
    QUrl url;
    QString state;
};

/// What a callback came to: an identity linked to the signed-in account, or a login.
struct OAuthOutcome {
    bool linked = false;
    QString email;         ///< linked: the provider-verified email (may be empty)
    QJsonObject login;     ///< otherwise: the login response (or the 2FA challenge)
};

struct Identity {
    IdentityRow row;
    QString displayName;   ///< empty for a provider no longer configured
};

class OAuthLoginService {
public:
    OAuthLoginService(Community::Db::Database &db, const Hooks &hooks, const Config &config, TwoFactorService &twoFactor);

    const QList<OAuthProviderConfig> &providers() const { return m_config.providers; }
    bool hasProvider(const QString &id) const { return m_clients.contains(id); }
    /// The redirect URI to use (`requested`, or the provider's default when empty);
    /// InvalidArgument unless it is configured for the provider.
    Community::Result<QString> redirectUri(const QString &providerId, const QString &requested) const;
    /// Stores a pending login; `linkUser` > 0 links the identity to that account instead.
    Community::Result<Authorization> authorize(const QString &providerId, const QString &redirectUri, qint64 linkUser);
    /// The callback's three steps: consume the state (committed), ask the provider, then
    /// link / log in / create the account in one transaction.
    Community::Result<OAuthOutcome> finish(const QString &providerId, const QString &code, const QString &state,
                                           const QString &userAgent, const QString &ip);
    Community::Result<QList<Identity>> identities(qint64 userId);
    /// Conflict when it is the account's only way in (no password, no other identity).
    Community::Result<void> unlink(qint64 userId, const QString &provider);

private:
    Community::Result<PendingLogin> takePendingLogin(const QString &providerId, const QString &state);
    Community::Result<OAuthOutcome> linkIdentity(MfaRepository &repo, const PendingLogin &p, const QString &providerId,
                                                 const QString &subject, const QString &email);
    /// Logs in the identity's account, or creates it; `created` gets a new account's id.
    Community::Result<qint64> accountFor(pqxx::work &tx, const QString &providerId, const QString &subject,
                                         const QString &preferredUsername, const QString &email, qint64 *created);

    Community::Db::Database &m_db;
    const Hooks &m_hooks;
    const Config &m_config;
    TwoFactorService &m_twoFactor;
    QHash<QString, std::shared_ptr<OAuthClient>> m_clients;
};

} // namespace Auth::Mfa
