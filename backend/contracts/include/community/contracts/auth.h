// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Contracts the auth plugin provides.
///
/// IAuthenticator: the gateway pipeline turns a bearer credential into a Principal.
/// Called on I/O threads for every authenticated request, so it must not block: signed
/// access tokens are verified in memory; API keys, suspensions and revoked sessions are
/// answered from in-memory state that the auth plugin keeps current (and refreshes from
/// the database periodically so that several nodes agree within seconds).
///
/// IUserDirectory: other plugins (users, content, ...) learn about accounts — id,
/// username, role, state — only through this, never by reading auth's schema. Blocking:
/// call it from worker threads.

#include "community/principal.h"
#include "community/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>

namespace Community::Contracts {

class IAuthenticator {
public:
    static constexpr const char *interfaceId() { return "community.auth.Authenticator/1"; }
    virtual ~IAuthenticator() = default;

    /// Errors: Unauthorized (bad, expired or revoked credential), Forbidden (account
    /// suspended or disabled). Thread-safe, non-blocking.
    virtual Result<Principal> authenticate(QByteArrayView bearer) const = 0;
};

enum class AccountState { Active, Suspended, Disabled };

struct UserRecord {
    qint64 id = 0;
    QString username;
    QString email;           ///< only for callers that need it (notifications); never in public responses
    Role role = Role::User;
    AccountState state = AccountState::Active;
    QDateTime createdAt;
};

/// What changed about an account, for in-process listeners (until the event bus lands).
struct UserChange {
    enum class Kind { Registered, Updated, Suspended, Unsuspended, RoleChanged, Deleted };
    Kind kind;
    UserRecord user;
};

class IUserDirectory {
public:
    static constexpr const char *interfaceId() { return "community.auth.UserDirectory/1"; }
    virtual ~IUserDirectory() = default;

    /// Case-insensitive username lookup. NotFound if none.
    virtual Result<UserRecord> findByUsername(const QString &username) const = 0;
    virtual Result<UserRecord> findById(qint64 id) const = 0;
    /// Accounts for many ids at once (missing ids are left out).
    virtual Result<QList<UserRecord>> findByIds(const QList<qint64> &ids) const = 0;
    /// Ids of active accounts above `afterId`, ascending, at most `limit`: a walk over the
    /// directory one page at a time (system announcements), never all of it at once.
    virtual Result<QList<qint64>> activeIdsAfter(qint64 afterId, int limit) const = 0;

    /// Listener called (on the thread that made the change, after commit) for every
    /// account change. Register during initialize(); never unregistered.
    virtual void subscribe(std::function<void(const UserChange &)> listener) = 0;
};

/// IAccountModeration: what the admin plugin's decisions and timed penalties do to
/// accounts (suspend for a while, ban, lift), through auth's own rules and events
/// (auth.account.suspended / unsuspended). Blocking: call from worker threads, outside
/// your own transaction.
class IAccountModeration {
public:
    static constexpr const char *interfaceId() { return "community.auth.AccountModeration/1"; }
    virtual ~IAccountModeration() = default;

    /// Suspends the account with `reason`; a no-op for a suspended one. NotFound for no
    /// such account; Conflict when `actorId` is the account itself.
    virtual Result<UserRecord> suspend(qint64 userId, const QString &reason, qint64 actorId) = 0;
    /// Reactivates a suspended account; a no-op for an active one.
    virtual Result<UserRecord> unsuspend(qint64 userId) = 0;
};

} // namespace Community::Contracts
