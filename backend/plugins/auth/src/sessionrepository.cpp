// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "sessionrepository.h"

#include "sqlvalues.h"

#include <QStringList>

using namespace Auth::Internal;

namespace Auth {

qint64 SessionRepository::create(qint64 userId, const QString &userAgent, const QString &ip, qint64 days)
{
    return m_tx.exec_params1("INSERT INTO auth.sessions (user_id, user_agent, ip, expires_at) "
                             "VALUES ($1, $2, $3, now() + ($4 || ' days')::interval) RETURNING id",
                             userId, str(userAgent.left(512)), str(ip), std::to_string(days))[0].as<qint64>();
}

void SessionRepository::addRefreshToken(const QByteArray &tokenHash, qint64 sessionId, qint64 days)
{
    m_tx.exec_params("INSERT INTO auth.refresh_tokens (token_hash, session_id, expires_at) "
                     "VALUES ($1, $2, now() + ($3 || ' days')::interval)",
                     bytes(tokenHash), sessionId, std::to_string(days));
}

std::optional<RefreshTokenRow> SessionRepository::refreshTokenForUpdate(const QByteArray &tokenHash, const QDateTime &now)
{
    const auto r = m_tx.exec_params(
        "SELECT r.session_id, r.used_at IS NOT NULL, r.expires_at < $2::timestamptz OR s.expires_at < $2::timestamptz, "
        "       s.revoked_at IS NOT NULL, s.user_id, u.username, u.state "
        "FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id "
        "JOIN auth.users u ON u.id = s.user_id WHERE r.token_hash = $1 FOR UPDATE OF r, s",
        bytes(tokenHash), now.toString(Qt::ISODateWithMs).toStdString());
    if (r.empty())
        return std::nullopt;
    RefreshTokenRow t;
    t.sessionId = r[0][0].as<qint64>();
    t.used = r[0][1].as<bool>();
    t.expired = r[0][2].as<bool>();
    t.revoked = r[0][3].as<bool>();
    t.userId = r[0][4].as<qint64>();
    t.username = text(r[0][5]);
    t.accountState = text(r[0][6]);
    return t;
}

void SessionRepository::markUsed(const QByteArray &tokenHash)
{
    m_tx.exec_params("UPDATE auth.refresh_tokens SET used_at = now() WHERE token_hash = $1", bytes(tokenHash));
}

void SessionRepository::touch(qint64 sessionId)
{
    m_tx.exec_params("UPDATE auth.sessions SET last_seen_at = now() WHERE id = $1", sessionId);
}

void SessionRepository::seenAt(const QList<QPair<qint64, qint64>> &sessionTimes)
{
    std::string ids = "{", times = "{";
    for (qsizetype i = 0; i < sessionTimes.size(); ++i) {
        const char *sep = i ? "," : "";
        ids += sep + std::to_string(sessionTimes[i].first);
        times += sep + std::to_string(sessionTimes[i].second);
    }
    m_tx.exec_params("UPDATE auth.sessions s SET last_seen_at = greatest(s.last_seen_at, to_timestamp(v.ms::float8 / 1000))"
                     " FROM unnest($1::bigint[], $2::bigint[]) AS v(id, ms) WHERE s.id = v.id",
                     ids + "}", times + "}");
}

void SessionRepository::revokeFamily(qint64 sessionId)
{
    m_tx.exec_params("UPDATE auth.sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1", sessionId);
    m_tx.exec_params("UPDATE auth.refresh_tokens SET used_at = coalesce(used_at, now()) WHERE session_id = $1", sessionId);
}

bool SessionRepository::revoke(qint64 sessionId, qint64 userId)
{
    return !m_tx.exec_params("UPDATE auth.sessions SET revoked_at = now() "
                             "WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id", sessionId, userId)
                .empty();
}

QList<qint64> SessionRepository::revokeAll(qint64 userId, qint64 keep)
{
    QList<qint64> ids;
    for (const auto &row : m_tx.exec_params("UPDATE auth.sessions SET revoked_at = now() "
                                            "WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id",
                                            userId, keep))
        ids << row[0].as<qint64>();
    return ids;
}

QList<SessionRow> SessionRepository::active(qint64 userId)
{
    QList<SessionRow> out;
    for (const auto &s : m_tx.exec_params("SELECT id, user_agent, ip, " + micros("created_at") + ", "
                                          + micros("last_seen_at") + " FROM auth.sessions "
                                          "WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() "
                                          "ORDER BY last_seen_at DESC, id DESC", userId))
        out.append(SessionRow{s[0].as<qint64>(), text(s[1]), text(s[2]), Internal::time(s[3]), Internal::time(s[4])});
    return out;
}

QSet<qint64> SessionRepository::recentlyRevoked(qint64 seconds)
{
    QSet<qint64> out;
    for (const auto &s : m_tx.exec_params("SELECT id FROM auth.sessions WHERE revoked_at > now() - ($1 || ' seconds')::interval",
                                          std::to_string(seconds)))
        out.insert(s[0].as<qint64>());
    return out;
}

std::optional<qint64> LockoutRepository::lockedFor(const QStringList &keys)
{
    Q_ASSERT(keys.size() <= 3);
    const auto key = [&](int i) { return i < keys.size() ? str(keys[i]) : std::string(); };
    const auto r = m_tx.exec_params("SELECT ceil(extract(epoch FROM max(locked_until) - now()))::bigint "
                                    "FROM auth.login_failures WHERE key IN ($1, $2, $3) AND locked_until > now()",
                                    key(0), key(1), key(2));
    if (r[0][0].is_null())
        return std::nullopt;
    return r[0][0].as<qint64>();
}

int LockoutRepository::addFailure(const QString &key, qint64 windowSeconds)
{
    return m_tx.exec_params1(
        "INSERT INTO auth.login_failures AS f (key, failures, window_start) VALUES ($1, 1, now()) "
        "ON CONFLICT (key) DO UPDATE SET "
        " failures = CASE WHEN f.window_start < now() - $2::interval THEN 1 ELSE f.failures + 1 END, "
        " window_start = CASE WHEN f.window_start < now() - $2::interval THEN now() ELSE f.window_start END "
        "RETURNING failures",
        str(key), std::to_string(windowSeconds) + " seconds")[0].as<int>();
}

void LockoutRepository::lock(const QString &key, qint64 seconds)
{
    m_tx.exec_params("UPDATE auth.login_failures SET locked_until = now() + ($2 || ' seconds')::interval WHERE key = $1",
                     str(key), std::to_string(seconds));
}

void LockoutRepository::clear(const QStringList &keys)
{
    for (const QString &key : keys)
        m_tx.exec_params("DELETE FROM auth.login_failures WHERE key = $1", str(key));
}

void LockoutRepository::clearPrefix(const QString &prefix)
{
    m_tx.exec_params("DELETE FROM auth.login_failures WHERE left(key, length($1)) = $1", str(prefix));
}

} // namespace Auth
