// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authstate.h"

#include "community/clock.h"

#include <QDateTime>

using namespace Community;
using Community::Contracts::AccountState;

namespace Auth {

static tl::unexpected<Error> unauthorized()
{
    return fail(ErrorCode::Unauthorized, QStringLiteral("Invalid or expired credentials."));
}

static tl::unexpected<Error> refused(AccountState s)
{
    return fail(ErrorCode::Forbidden, s == AccountState::Suspended ? QStringLiteral("This account is suspended.")
                                                                   : QStringLiteral("This account is disabled."));
}

Result<Principal> AuthState::authenticate(QByteArrayView bearer) const
{
    // Token expiry follows the platform clock (a chaos clock offset moves it).
    const qint64 nowMs = Clock::nowMs(QStringLiteral("auth"));
    if (bearer.startsWith("cpk_")) {
        // cpk_<id>_<secret>
        const QByteArrayView rest = bearer.sliced(4);
        const qsizetype us = rest.indexOf('_');
        if (us <= 0)
            return unauthorized();
        bool ok = false;
        const qint64 id = rest.first(us).toLongLong(&ok);
        if (!ok)
            return unauthorized();
        const QByteArray hash = sha256(rest.sliced(us + 1));
        QReadLocker lock(&m_lock);
        const auto it = m_keys.constFind(id);
        if (it == m_keys.constEnd() || !constantTimeEqual((*it)->secretHash, hash))
            return unauthorized();
        const ApiKeyEntry &k = **it;
        const UserFlags owner = m_users.value(k.ownerId);
        if (owner.state != AccountState::Active)
            return refused(owner.state);
        k.lastUsedMs.store(nowMs);
        Principal p;
        p.kind = Principal::Kind::ApiKey;
        p.userId = k.ownerId;
        p.username = k.ownerName;
        // An admin key keeps admin power only while its creator is still an admin; keys the
        // operator created (owner 0) act for the operator, an administrator.
        const Role ownerRole = k.ownerId == 0 ? Role::Admin : owner.role;
        p.role = k.scopes.contains(QStringLiteral("admin")) ? ownerRole : Role::User;
        p.scopes = k.scopes;
        p.apiKeyId = QString::number(k.id);
        return p;
    }
    auto claims = m_signer->verify(bearer, nowMs / 1000);
    if (!claims)
        return tl::unexpected(claims.error());
    QReadLocker lock(&m_lock);
    if (m_revoked.contains(claims->sessionId))
        return unauthorized();
    const UserFlags flags = m_users.value(claims->userId);
    if (flags.state != AccountState::Active)
        return refused(flags.state);
    Principal p;
    p.kind = Principal::Kind::User;
    p.userId = claims->userId;
    p.username = claims->username;
    p.role = flags.role;
    p.sessionId = QString::number(claims->sessionId);
    {
        QMutexLocker seen(&m_seenLock);
        m_seenPending.insert(claims->sessionId, nowMs);
    }
    // The gateway refuses every route not marked allowPendingPasswordChange while set; it
    // comes from memory, so a password change lifts it at once.
    p.passwordChangeRequired = flags.mustChangePassword;
    return p;
}

bool AuthState::apply(StateSnapshot s, quint64 startedAt)
{
    QWriteLocker lock(&m_lock);
    if (m_version.load() != startedAt)
        return false;
    if (!s.activeKid.isEmpty())
        m_signer->setKeys(s.keys, s.activeKid);
    m_revoked = std::move(s.revokedSessions);
    m_users = std::move(s.users);
    QHash<qint64, std::shared_ptr<ApiKeyEntry>> keys;
    for (auto &k : s.apiKeys) {
        // Keep the entry (and its pending last-used time) of keys we already know.
        auto old = m_keys.value(k->id);
        keys.insert(k->id, old ? old : k);
    }
    m_keys = std::move(keys);
    return true;
}

void AuthState::revokeSession(qint64 sessionId)
{
    QWriteLocker lock(&m_lock);
    ++m_version;
    m_revoked.insert(sessionId);
}

void AuthState::setUser(qint64 userId, const UserFlags &flags)
{
    QWriteLocker lock(&m_lock);
    ++m_version;
    if (flags.role == Role::User && flags.state == AccountState::Active && !flags.mustChangePassword)
        m_users.remove(userId);
    else
        m_users.insert(userId, flags);
}

UserFlags AuthState::user(qint64 userId) const
{
    QReadLocker lock(&m_lock);
    return m_users.value(userId);
}

void AuthState::addApiKey(std::shared_ptr<ApiKeyEntry> key)
{
    QWriteLocker lock(&m_lock);
    ++m_version;
    m_keys.insert(key->id, std::move(key));
}

void AuthState::revokeApiKey(qint64 id)
{
    QWriteLocker lock(&m_lock);
    ++m_version;
    m_keys.remove(id);
}

QList<QPair<qint64, qint64>> AuthState::takeKeyUsage()
{
    QList<QPair<qint64, qint64>> out;
    QWriteLocker lock(&m_lock);
    for (const auto &k : std::as_const(m_keys)) {
        const qint64 used = k->lastUsedMs.load();
        if (used != 0 && used != m_flushedUse.value(k->id)) {
            out.append({k->id, used});
            m_flushedUse.insert(k->id, used);
        }
    }
    return out;
}

QList<QPair<qint64, qint64>> AuthState::takeSessionActivity(qint64 throttleMs)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QList<QPair<qint64, qint64>> out;
    QMutexLocker seen(&m_seenLock);
    for (auto it = m_seenPending.begin(); it != m_seenPending.end();) {
        const auto written = m_seenWritten.constFind(it.key());
        if (written != m_seenWritten.constEnd() && it.value() - *written < throttleMs) {
            ++it;
            continue;
        }
        out.append({it.key(), it.value()});
        m_seenWritten.insert(it.key(), it.value());
        it = m_seenPending.erase(it);
    }
    // Forget what was written longer ago than the throttle: the next use writes again.
    m_seenWritten.removeIf([&](const auto &e) { return nowMs - e.value() >= throttleMs && !m_seenPending.contains(e.key()); });
    return out;
}

} // namespace Auth
