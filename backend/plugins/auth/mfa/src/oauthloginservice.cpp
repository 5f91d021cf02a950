// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "oauthloginservice.h"

#include "oauthprovider.h"
#include "pkce.h"
#include "twofactorservice.h"

#include "community/database.h"

using namespace Community;

namespace Auth::Mfa {

OAuthLoginService::OAuthLoginService(Db::Database &db, const Hooks &hooks, const Config &config,
                                     TwoFactorService &twoFactor)
    : m_db(db), m_hooks(hooks), m_config(config), m_twoFactor(twoFactor)
{
    for (const auto &p : m_config.providers)
        m_clients.insert(p.id, std::make_shared<OAuthClient>(p));
}

Result<QString> OAuthLoginService::redirectUri(const QString &providerId, const QString &requested) const
{
    const OAuthProviderConfig &pc = m_clients.value(providerId)->config();
    const QString uri = requested.isEmpty() ? pc.redirectUri : requested;
    // Only configured redirect URIs: anything else would hand the code to a stranger.
    if (uri != pc.redirectUri && !pc.allowedRedirectUris.contains(uri))
        return tl::unexpected(invalidField(QStringLiteral("redirectUri"), QStringLiteral("is not allowed for this provider"),
                                           QStringLiteral("not_allowed")));
    return uri;
}

Result<Authorization> OAuthLoginService::authorize(const QString &providerId, const QString &redirectUri, qint64 linkUser)
{
    const QString state = Pkce::generateState();
    const QString verifier = Pkce::generateVerifier();
    const QUrl url = m_clients.value(providerId)->authorizationUrl(state, Pkce::challengeS256(verifier), redirectUri);
    return m_db.transact<Authorization>([&](pqxx::work &tx) -> Result<Authorization> {
        // Only the state's hash is stored, like every other bearer-ish value.
        MfaRepository(tx).addPendingLogin(Pkce::sha256Hex(state), providerId, verifier, redirectUri, linkUser,
                                          m_config.oauthStateTtlSeconds);
        return Authorization{url, state};
    });
}

Result<PendingLogin> OAuthLoginService::takePendingLogin(const QString &providerId, const QString &state)
{
    // The state is single use: deleted (and committed) before anything else happens.
    auto pending = m_db.transact<std::optional<PendingLogin>>([&](pqxx::work &tx) -> Result<std::optional<PendingLogin>> {
        return MfaRepository(tx).takePendingLogin(Pkce::sha256Hex(state));
    });
    if (!pending)
        return tl::unexpected(pending.error());
    if (!*pending || (*pending)->provider != providerId || !(*pending)->live)
        return tl::unexpected(invalidField(QStringLiteral("state"), QStringLiteral("is unknown, used, expired or for another provider"),
                                           QStringLiteral("invalid")));
    return **pending;
}

Result<OAuthOutcome> OAuthLoginService::finish(const QString &providerId, const QString &code, const QString &state,
                                               const QString &userAgent, const QString &ip)
{
    const auto pending = takePendingLogin(providerId, state);
    if (!pending)
        return tl::unexpected(pending.error());
    // The provider, outside any transaction.
    const auto client = m_clients.value(providerId);
    auto tokens = client->exchangeCode(code, pending->verifier, pending->redirectUri);
    if (!tokens)
        return tl::unexpected(tokens.error());
    auto info = client->fetchUserInfo(tokens->accessToken);
    if (!info)
        return tl::unexpected(info.error());
    const OAuthUserInfo user = *info;
    // An unverified address is not evidence of anything: it is neither stored on a new
    // account nor trusted for matching.
    const QString email = user.emailVerified ? user.email.left(320) : QString();
    qint64 created = 0;
    auto outcome = m_db.transact<OAuthOutcome>([&](pqxx::work &tx) -> Result<OAuthOutcome> {
        created = 0;   // a retried transaction starts over
        MfaRepository repo(tx);
        if (pending->linkUser > 0)
            return linkIdentity(repo, *pending, providerId, user.subject, email);
        auto userId = accountFor(tx, providerId, user.subject, user.preferredUsername.left(64), email, &created);
        if (!userId)
            return tl::unexpected(userId.error());
        auto login = m_twoFactor.completeLogin(tx, *userId, userAgent, ip);
        if (!login)
            return tl::unexpected(login.error());
        return OAuthOutcome{false, {}, *login};
    });
    if (outcome && created > 0 && m_hooks.accountCreated)
        m_hooks.accountCreated(created);
    return outcome;
}

Result<OAuthOutcome> OAuthLoginService::linkIdentity(MfaRepository &repo, const PendingLogin &p, const QString &providerId,
                                                     const QString &subject, const QString &email)
{
    const auto owner = repo.identityOwnerForUpdate(providerId, subject);
    if (owner && *owner != p.linkUser)
        return fail(ErrorCode::Conflict, QStringLiteral("This identity is linked to another account."));
    if (!owner) {
        if (repo.hasIdentityOf(providerId, p.linkUser))
            return fail(ErrorCode::Conflict, QStringLiteral("Another identity of this provider is already linked to your account."));
        repo.addIdentity(providerId, subject, p.linkUser, email);
    }
    return OAuthOutcome{true, email, {}};
}

Result<qint64> OAuthLoginService::accountFor(pqxx::work &tx, const QString &providerId, const QString &subject,
                                             const QString &preferredUsername, const QString &email, qint64 *created)
{
    MfaRepository repo(tx);
    if (const auto owner = repo.identityOwnerForUpdate(providerId, subject)) {
        if (!email.isEmpty())
            repo.setIdentityEmail(providerId, subject, email);
        return *owner;
    }
    // No automatic linking to an existing account with the same email: createUser
    // answers Conflict when the email is taken; the user then logs in and links.
    auto userId = m_hooks.createUser(tx, preferredUsername, email);
    if (!userId)
        return tl::unexpected(userId.error());
    *created = *userId;
    repo.addIdentity(providerId, subject, *userId, email);
    return *userId;
}

Result<QList<Identity>> OAuthLoginService::identities(qint64 userId)
{
    return m_db.transact<QList<Identity>>([&](pqxx::work &tx) -> Result<QList<Identity>> {
        QList<Identity> out;
        for (const IdentityRow &row : MfaRepository(tx).identities(userId)) {
            const auto client = m_clients.value(row.provider);
            out.append(Identity{row, client ? client->config().displayName : QString()});
        }
        return out;
    });
}

Result<void> OAuthLoginService::unlink(qint64 userId, const QString &provider)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        MfaRepository repo(tx);
        // Serialises concurrent unlinks of one account: each would otherwise see the other's
        // identity and both succeed, leaving no way in.
        repo.lockAccount(userId);
        const QStringList linked = repo.linkedProviders(userId);
        if (!linked.contains(provider))
            return fail(ErrorCode::NotFound, QStringLiteral("No identity of that provider is linked."));
        auto has = m_hooks.hasPassword(tx, userId);
        if (!has)
            return tl::unexpected(has.error());
        if (!*has && linked.size() <= 1)
            return fail(ErrorCode::Conflict, QStringLiteral("This is the only way to sign in to the account; set a password first."));
        repo.deleteIdentity(userId, provider);
        return {};
    });
}

} // namespace Auth::Mfa
