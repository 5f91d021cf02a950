// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Accounts and their credentials: registration (and creation by an administrator or by
/// a first OAuth login), password change and reset, email verification, the first-start
/// admin. Each change publishes its account event (contracts/events/auth.h) in its
/// transaction and reaches the user directory's listeners after the commit. Mail tokens
/// (verification, reset) go to auth's own mail queue, never to the event bus.
/// Threading: blocking (worker threads); no mutable state of its own.

#include "accountrepository.h"
#include "aftercommit.h"

#include "community/result.h"

#include <functional>

namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }

namespace Auth {

class PasswordHasher;
class SessionService;
class UserDirectory;

/// The work of AccountService::backfillUsernames in the caller's transaction: every row
/// without a skeleton gets its NFKC name and skeleton unless that clashes with another
/// account (then it stays NULL; the ids come back in `clashes`). Returns the rows filled.
int fillUsernameKeys(pqxx::transaction_base &tx, QList<qint64> *clashes = nullptr);

struct AccountDeps {
    Community::Db::Database &db;
    const PasswordHasher &hasher;
    SessionService &sessions;
    UserDirectory &directory;
    Community::Events::EventBus &events;
};

class AccountService {
public:
    explicit AccountService(AccountDeps deps) : m_deps(deps) {}
    /// Whether self-service registration (source "register") with an email address queues
    /// the verification mail in the account's transaction (plugins.auth.verifyEmailOnRegister).
    void setVerifyEmailOnRegister(bool on) { m_verifyEmailOnRegister = on; }

    /// A new account with a password (checked by the caller); Conflict with field errors
    /// when the username or email is taken. `source`: "register" or "admin".
    /// `admit`, when given, runs first in the creating transaction (the registration caps);
    /// its error is the answer.
    /// `mailLanguage`: the registering client's language hint for the verification mail.
    Community::Result<Account> create(const NewAccount &account, const QString &password, const QString &source,
                                      const std::function<Community::Result<void>(pqxx::work &)> &admit = {},
                                      const QString &mailLanguage = {});
    Community::Result<Account> account(qint64 userId);
    /// Checks the current password, sets the new one, revokes every other session.
    Community::Result<void> changePassword(qint64 userId, qint64 sessionId, const QString &current, const QString &next);
    Community::Result<void> requestEmailVerification(qint64 userId, const QString &mailLanguage = {});
    Community::Result<Account> verifyEmail(const QString &token);
    /// Queues a reset mail when an active account has this address (silently nothing otherwise).
    Community::Result<void> requestPasswordReset(const QString &email, const QString &mailLanguage = {});
    Community::Result<void> resetPassword(const QString &token, const QString &next);
    /// Creates `admin` when no admin exists; returns its one-time password (or empty).
    Community::Result<QString> ensureAdmin();
    /// Accounts from before migration 0003 get their normalised name and confusable
    /// skeleton (PostgreSQL has no TS #39 skeleton, so this runs here, at start). A row
    /// whose name clashes with another account's is left as it is and logged. Returns how
    /// many rows were filled in.
    Community::Result<int> backfillUsernames();
    /// Sets a new password (hashed here), revokes the sessions but `keepSession`, and
    /// publishes auth.account.password_changed with `method` ("changed", "reset",
    /// "admin_reset"); its sessions are revoked with reason "password_<method>".
    Community::Result<Account> setPassword(pqxx::work &tx, AfterCommit &after, qint64 userId, const QString &password,
                                           bool mustChange, qint64 keepSession, const QString &method);

    // In the caller's transaction (the 2FA / OAuth module's hooks):
    /// true when `password` matches (false for an account without one); NotFound.
    Community::Result<bool> verifyPassword(pqxx::work &tx, qint64 userId, const QString &password);
    Community::Result<bool> hasPassword(pqxx::work &tx, qint64 userId);
    /// The account of a first OAuth login: a valid, free, non-reserved username derived
    /// from `preferredUsername` or the email (digits added on a clash), no password,
    /// `email` (verified by the provider; may be empty). Conflict when the email is taken.
    Community::Result<qint64> createExternal(pqxx::work &tx, const QString &preferredUsername, const QString &email);

private:
    void queueMailToken(pqxx::work &tx, qint64 userId, const QString &email, const QString &purpose, qint64 ttlSeconds,
                        const QString &mailType, const QString &language);

    AccountDeps m_deps;
    bool m_verifyEmailOnRegister = true;
};

} // namespace Auth
