// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The auth plugin's services: sessions and tokens, password checks, the in-memory state
/// reload, the first-start admin, and the IUserDirectory contract. The 2FA and OAuth
/// modules call issueSession() / verifyPassword() inside their own transactions.
/// Threading: every method taking a pqxx::work runs on a worker thread; the Database
/// owns the transaction. Listeners are called after commit on the committing thread.

#include "authconfig.h"
#include "authstate.h"
#include "crypto.h"

#include "mfaroutes.h"

#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/http.h"

#include <QJsonObject>
#include <QMutex>

#include <functional>
#include <vector>

namespace Auth {

struct TokenPair {
    QString accessToken;
    QString refreshToken;
    qint64 expiresIn = 0;   ///< seconds
    qint64 sessionId = 0;
};

/// Actions to run once the transaction has committed (memory updates, listeners).
using AfterCommit = std::vector<std::function<void()>>;
using TxWork = std::function<Community::Result<Community::Http::HttpResponse>(pqxx::work &, AfterCommit &)>;

class AuthServices : public Community::Contracts::IUserDirectory {
public:
    AuthServices(AuthConfig config, Community::Db::Database *db);

    const AuthConfig &config() const { return m_config; }
    const PasswordHasher &hasher() const { return m_hasher; }
    AuthState &state() { return m_state; }
    TokenSigner &signer() { return m_signer; }
    Community::Db::Database &db() { return *m_db; }

    /// Creates a session and its refresh-token family; returns access + refresh tokens.
    Community::Result<TokenPair> issueSession(pqxx::work &tx, qint64 userId, const QString &userAgent,
                                              const QString &ip);
    /// True when `password` matches the user's stored hash (NotFound for no such user).
    Community::Result<bool> verifyPassword(pqxx::work &tx, qint64 userId, const QString &password);
    /// Signs an access token for an existing session.
    Community::Result<QString> accessToken(qint64 userId, const QString &username, qint64 sessionId);
    /// The body of a successful login ({accessToken, tokenType, expiresIn, refreshToken,
    /// user}) for a user who passed every factor: refuses suspended and disabled accounts
    /// (Forbidden), then creates the session. Used by POST /v1/auth/login and the 2FA and
    /// OAuth routes alike.
    Community::Result<QJsonObject> loginResponse(pqxx::work &tx, qint64 userId, const QString &userAgent,
                                                 const QString &ip);
    /// Creates the account of a first OAuth login: a valid, free, non-reserved username
    /// derived from `preferredUsername` or the email's local part (digits added on a
    /// clash), no password, `email` (verified by the provider; may be empty). Conflict
    /// when another account already uses that email.
    Community::Result<qint64> createExternalUser(pqxx::work &tx, const QString &preferredUsername,
                                                 const QString &email);
    /// Whether the account has a password hash (NotFound for no such user).
    Community::Result<bool> hasPassword(pqxx::work &tx, qint64 userId);
    /// Tells listeners about an account created outside AuthServices::respond() (after
    /// commit; blocking: reads the account).
    void accountCreated(qint64 userId);
    /// The hooks the 2FA / OAuth module calls (Auth::Mfa::registerRoutes).
    Mfa::Hooks mfaHooks();
    /// Lifetime of the 2FA challenge POST /v1/auth/login creates (plugins.auth.mfa.challengeTtlSeconds).
    void setMfaChallengeTtl(int seconds) { m_mfaChallengeTtl = seconds; }
    int mfaChallengeTtl() const { return m_mfaChallengeTtl; }

    /// Runs `work` in a transaction on a worker, then the after-commit actions, then answers.
    void respond(const Community::Http::HttpRequest &request, const Community::Http::Responder &responder,
                 TxWork work);

    // Startup and periodic work (blocking; start() and workers).
    Community::Result<void> ensureSigningKey();
    /// Creates `admin` when no admin exists; returns its one-time password (or empty).
    Community::Result<QString> ensureAdmin();
    Community::Result<void> reloadState();
    void flushKeyUsage();
    /// Creates a new active signing key (rotation); returns its kid.
    Community::Result<QString> rotateKey(pqxx::work &tx, AfterCommit &after);

    /// Applies a user's flags to memory and notifies listeners, after commit.
    void userChanged(AfterCommit &after, const Community::Contracts::UserRecord &user, bool mustChange,
                     Community::Contracts::UserChange::Kind kind);

    // IUserDirectory
    Community::Result<Community::Contracts::UserRecord> findByUsername(const QString &username) const override;
    Community::Result<Community::Contracts::UserRecord> findById(qint64 id) const override;
    Community::Result<QList<Community::Contracts::UserRecord>> findByIds(const QList<qint64> &ids) const override;
    void subscribe(std::function<void(const Community::Contracts::UserChange &)> listener) override;

    static Community::Contracts::UserRecord recordFromRow(const pqxx::row &row);
    /// Column list matching recordFromRow / userJson (prefix with a table alias via `alias`).
    static std::string userColumns(const std::string &alias = {});
    static QJsonObject userJson(const pqxx::row &row);
    static QJsonObject tokenJson(const TokenPair &tokens);

private:
    AuthConfig m_config;
    Community::Db::Database *m_db;
    PasswordHasher m_hasher;
    TokenSigner m_signer;
    AuthState m_state{&m_signer};
    int m_mfaChallengeTtl = 300;
    mutable QMutex m_listenersMutex;
    QList<std::function<void(const Community::Contracts::UserChange &)>> m_listeners;
};

QString toQ(const pqxx::field &f);
std::string toStd(const QString &s);
QString roleText(Community::Role r);
Community::Contracts::AccountState parseState(const QString &s);
QString stateText(Community::Contracts::AccountState s);
QString isoTime(const pqxx::field &f);

} // namespace Auth
