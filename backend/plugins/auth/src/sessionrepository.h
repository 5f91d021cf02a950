// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for auth.sessions and auth.refresh_tokens: a session is a refresh-token family.
/// Tokens are stored as SHA-256 hashes only. Works inside a transaction the caller owns.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

#include <pqxx/pqxx>

#include <optional>

namespace Auth {

/// A refresh token looked up (and locked, with its session) for rotation.
struct RefreshTokenRow {
    qint64 sessionId = 0;
    qint64 userId = 0;
    QString username;
    QString accountState;
    bool used = false;
    bool expired = false;    ///< the token or its session
    bool revoked = false;    ///< the session
};

struct SessionRow {
    qint64 id = 0;
    QString userAgent;
    QString ip;
    QDateTime createdAt;
    QDateTime lastSeenAt;
};

class SessionRepository {
public:
    explicit SessionRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// A new session living `days`; returns its id.
    qint64 create(qint64 userId, const QString &userAgent, const QString &ip, qint64 days);
    void addRefreshToken(const QByteArray &tokenHash, qint64 sessionId, qint64 days);
    /// Expired relative to `now` (the platform clock, community/clock.h).
    std::optional<RefreshTokenRow> refreshTokenForUpdate(const QByteArray &tokenHash, const QDateTime &now);
    void markUsed(const QByteArray &tokenHash);
    void touch(qint64 sessionId);
    /// Requests were made with each session until its time (ms since the epoch); one
    /// statement for all, never moving a session's lastSeenAt back.
    void seenAt(const QList<QPair<qint64, qint64>> &sessionTimes);
    /// Revokes the session and marks every token of its family used (reuse detected).
    void revokeFamily(qint64 sessionId);
    /// Revokes the user's session if it is active; false when there was nothing to revoke.
    bool revoke(qint64 sessionId, qint64 userId);
    /// Revokes the user's active sessions except `keep`; returns their ids.
    QList<qint64> revokeAll(qint64 userId, qint64 keep = 0);
    /// The user's live sessions, most recently used first.
    QList<SessionRow> active(qint64 userId);
    /// Sessions revoked within the last `seconds`.
    QSet<qint64> recentlyRevoked(qint64 seconds);

private:
    pqxx::transaction_base &m_tx;
};

/// SQL for auth.login_failures: failed logins counted per key ("login:<login>",
/// "ip:<address>") in a window, and the lock that follows.
/// Lockout keys: "acct:<id>" counts an account's failures from every address ("login:<lower
/// login>" for names that match no account), "pair:<account key>|<address>" one address's
/// failures on it, "ip:<address>" an address's failures on any account.
inline QString lockoutAccountKey(qint64 userId)
{
    return QStringLiteral("acct:") + QString::number(userId);
}
inline QString lockoutPairPrefix(const QString &accountKey)
{
    return QStringLiteral("pair:") + accountKey + QLatin1Char('|');
}

class LockoutRepository {
public:
    explicit LockoutRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Seconds until the latest lock of `keys` (at most three) ends; nullopt when none is locked.
    std::optional<qint64> lockedFor(const QStringList &keys);
    /// Counts a failure (a new window after `windowSeconds`); returns the count.
    int addFailure(const QString &key, qint64 windowSeconds);
    void lock(const QString &key, qint64 seconds);
    void clear(const QStringList &keys);
    /// Deletes every key that starts with `prefix` (e.g. all addresses of one account).
    void clearPrefix(const QString &prefix);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Auth
