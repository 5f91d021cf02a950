// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Logins and sessions: password login with lockout, the second-factor hand-off, access
/// tokens, rotating refresh tokens with reuse detection, logout and session revocation.
/// Every revocation publishes auth.session.revoked in its transaction and reaches the
/// authenticator's memory after the commit.
/// Threading: blocking (worker threads); no mutable state of its own.

#include "accountrepository.h"
#include "aftercommit.h"
#include "authconfig.h"
#include "sessionrepository.h"

#include "community/result.h"

namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }

namespace Auth {

class AuthState;
class PasswordHasher;
class TokenSigner;

struct TokenPair {
    QString accessToken;
    QString refreshToken;
    qint64 expiresIn = 0;   ///< seconds
    qint64 sessionId = 0;
};

/// What a password login came to; every kind but Tokens is answered without tokens.
struct LoginResult {
    enum class Kind { Tokens, MfaRequired, BadCredentials, Locked, Suspended } kind = Kind::BadCredentials;
    Account account;
    TokenPair tokens;
    QString mfaToken;          ///< MfaRequired: the challenge for POST /v1/auth/login/2fa
    qint64 retryAfter = 0;     ///< Locked: seconds
};

struct RefreshResult {
    enum class Kind { Tokens, Invalid, Suspended } kind = Kind::Invalid;
    TokenPair tokens;
};

struct SessionDeps {
    Community::Db::Database &db;
    const AuthConfig &config;
    const PasswordHasher &hasher;
    TokenSigner &signer;
    AuthState &state;
    Community::Events::EventBus &events;
};

class SessionService {
public:
    explicit SessionService(SessionDeps deps) : m_deps(deps) {}

    /// Lifetime of the 2FA challenge a password login creates.
    void setMfaChallengeTtl(int seconds) { m_mfaChallengeTtl = seconds; }

    Community::Result<LoginResult> login(const QString &login, const QString &password, const QString &userAgent,
                                         const QString &ip);
    Community::Result<RefreshResult> refresh(const QString &refreshToken);
    Community::Result<void> logout(qint64 userId, qint64 sessionId);
    Community::Result<QList<SessionRow>> sessions(qint64 userId);
    /// NotFound unless an active session of the user.
    Community::Result<void> revoke(qint64 userId, qint64 sessionId);
    /// Revokes every other session of the user; returns how many.
    Community::Result<qint64> revokeOthers(qint64 userId, qint64 currentSessionId);

    // In the caller's transaction:
    /// A session for a user who passed every factor; Forbidden for a suspended or
    /// disabled account.
    Community::Result<std::pair<Account, TokenPair>> startSession(pqxx::work &tx, qint64 userId, const QString &userAgent,
                                                                  const QString &ip);
    /// Revokes the user's sessions but `keep` (0: all), with the event; memory after commit.
    Community::Result<void> revokeAll(pqxx::work &tx, AfterCommit &after, qint64 userId, qint64 keep,
                                      const QString &reason);

private:
    Community::Result<LoginResult> passwordLogin(pqxx::work &tx, const QString &login, const QString &password,
                                                 const QString &userAgent, const QString &ip);
    void recordFailure(pqxx::work &tx, const QString &key, int max, int delayAfter);
    Community::Result<TokenPair> issue(pqxx::work &tx, qint64 userId, const QString &username, const QString &userAgent,
                                       const QString &ip);
    Community::Result<QString> accessToken(qint64 userId, const QString &username, qint64 sessionId);
    Community::Result<RefreshResult> rotate(pqxx::work &tx, AfterCommit &after, const QString &refreshToken);
    /// The event plus the in-memory revocation after commit (nothing for no ids).
    Community::Result<void> revoked(pqxx::work &tx, AfterCommit &after, qint64 userId, const QList<qint64> &ids,
                                    const QString &reason);

    SessionDeps m_deps;
    int m_mfaChallengeTtl = 300;
};

} // namespace Auth
