// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The in-memory state behind the gateway authenticator: signing keys, revoked sessions,
/// users whose role/state differ from the default, API keys. Local changes apply at once;
/// a periodic reload from the database (StateSync::reload) makes nodes agree.
/// Threading: authenticate() and the readers take a shared lock and never block on I/O;
/// writers take the exclusive lock briefly.

#include "community/contracts/auth.h"
#include "crypto.h"

#include <QHash>
#include <QMutex>
#include <QReadWriteLock>
#include <QSet>

#include <atomic>
#include <memory>

namespace Auth {

struct UserFlags {
    Community::Role role = Community::Role::User;
    Community::Contracts::AccountState state = Community::Contracts::AccountState::Active;
    bool mustChangePassword = false;
};

struct ApiKeyEntry {
    qint64 id = 0;
    QByteArray secretHash;     ///< SHA-256 of the secret part
    QStringList scopes;
    qint64 ownerId = 0;
    QString ownerName;
    mutable std::atomic<qint64> lastUsedMs{0};   ///< pending "last used", flushed periodically
};

/// Everything reloaded from the database in one go.
struct StateSnapshot {
    QHash<QString, QByteArray> keys;
    QString activeKid;
    QSet<qint64> revokedSessions;
    QHash<qint64, UserFlags> users;
    QList<std::shared_ptr<ApiKeyEntry>> apiKeys;
};

class AuthState : public Community::Contracts::IAuthenticator {
public:
    explicit AuthState(TokenSigner *signer) : m_signer(signer) {}

    Community::Result<Community::Principal> authenticate(QByteArrayView bearer) const override;

    /// Version counter of local changes; a reload that began before a change is dropped.
    quint64 version() const { return m_version.load(); }
    /// Applies a reload unless local changes happened since `startedAt` (then false).
    bool apply(StateSnapshot snapshot, quint64 startedAt);

    void revokeSession(qint64 sessionId);
    void setUser(qint64 userId, const UserFlags &flags);
    UserFlags user(qint64 userId) const;
    void addApiKey(std::shared_ptr<ApiKeyEntry> key);
    void revokeApiKey(qint64 id);
    /// (id, last-used ms) of keys used since the last call.
    QList<QPair<qint64, qint64>> takeKeyUsage();
    /// (session id, last-seen ms) of sessions used since the last call whose last written
    /// activity is at least `throttleMs` old; the rest stay pending.
    QList<QPair<qint64, qint64>> takeSessionActivity(qint64 throttleMs);

private:
    TokenSigner *m_signer;
    mutable QReadWriteLock m_lock;
    std::atomic<quint64> m_version{0};
    QSet<qint64> m_revoked;
    QHash<qint64, UserFlags> m_users;
    QHash<qint64, std::shared_ptr<ApiKeyEntry>> m_keys;
    QHash<qint64, qint64> m_flushedUse;
    // Session activity: its own small lock, so that recording it never waits for a reload.
    mutable QMutex m_seenLock;
    mutable QHash<qint64, qint64> m_seenPending;   ///< session id -> last request (ms)
    QHash<qint64, qint64> m_seenWritten;           ///< session id -> last written (ms)
};

} // namespace Auth
