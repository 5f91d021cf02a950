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

    /// Listener called (on the thread that made the change, after commit) for every
    /// account change. Register during initialize(); never unregistered.
    virtual void subscribe(std::function<void(const UserChange &)> listener) = 0;
};

} // namespace Community::Contracts
