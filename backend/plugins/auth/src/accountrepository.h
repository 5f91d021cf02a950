// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for auth.users: accounts, their password hashes, roles and states. Works inside a
/// transaction the caller owns; one repository per transaction, used by one thread.

#include "community/contracts/auth.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

#include <pqxx/pqxx>

#include <optional>

namespace Auth {

struct UserFlags;

/// An account without its password hash.
struct Account {
    qint64 id = 0;
    QString username;
    QString email;             ///< empty = none (OAuth accounts without a verified email)
    Community::Role role = Community::Role::User;
    Community::Contracts::AccountState state = Community::Contracts::AccountState::Active;
    bool emailVerified = false;
    bool mustChangePassword = false;
    QDateTime createdAt;
    QString suspendedReason;   ///< empty = none

    Community::Contracts::UserRecord record() const;
};

/// "active", "suspended" or "disabled", and back (unknown text = active).
QString stateName(Community::Contracts::AccountState state);
Community::Contracts::AccountState parseState(const QString &text);

struct NewAccount {
    QString username;           ///< normalised (normalizeUsername)
    QString usernameSkeleton;   ///< usernameSkeleton(username); filled by the service
    QString email;
    QString passwordHash;
    Community::Role role = Community::Role::User;
    bool mustChangePassword = false;
};

/// Which of a username and an email already belong to an account.
struct Taken {
    bool username = false;
    bool email = false;
    bool confusable = false;   ///< another account's name has the same skeleton
};

/// A stored username and its id, for filling in skeletons (AccountService::backfillUsernames).
struct StoredUsername {
    qint64 id = 0;
    QString username;
};

class AccountRepository {
public:
    explicit AccountRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    std::optional<Account> byId(qint64 id, bool forUpdate = false);
    /// Case-insensitive, on the normalised (NFKC) name.
    std::optional<Account> byUsername(const QString &username);
    QList<Account> byIds(const QList<qint64> &ids);
    /// Active accounts above `afterId`, ascending (the primary key walks them).
    QList<qint64> activeIdsAfter(qint64 afterId, int limit);
    /// The account whose username (preferred) or email is `login`, with its password hash
    /// (empty = none).
    std::optional<std::pair<Account, QString>> forLogin(const QString &login);
    /// The password hash (empty = the account has none); nullopt for no such account.
    std::optional<QString> passwordHash(qint64 id);
    /// `skeleton` is usernameSkeleton(username): a look-alike name counts as confusable.
    std::optional<Taken> taken(const QString &username, const QString &skeleton, const QString &email);
    bool skeletonTaken(const QString &skeleton);
    /// Accounts whose skeleton is not filled in yet (rows from before migration 0003).
    QList<StoredUsername> withoutSkeleton(int limit);
    /// Stores the normalised name and its skeleton; false (nothing changed) when another
    /// account holds either already.
    bool setUsernameKey(qint64 id, const QString &username, const QString &skeleton);
    bool emailTaken(const QString &email);
    /// Lower-case usernames starting with `likePrefix` (a LIKE pattern, already escaped).
    QSet<QString> usernamesLike(const QString &likePrefix);
    bool exists(const QString &username);
    bool anyAdmin();
    /// The account's email (empty = none) and whether it is verified; nullopt for no such account.
    std::optional<std::pair<QString, bool>> email(qint64 id);
    /// An active account with this email: (id, email as stored).
    std::optional<std::pair<qint64, QString>> activeByEmail(const QString &email);
    /// Accounts with id > afterId whose username or email starts with `prefix`
    /// (case-insensitive), in id order.
    QList<Account> list(qint64 afterId, const QString &prefix, int limit);
    /// (id, flags) of every account whose role, state or forced password change differs
    /// from the default.
    QList<std::pair<qint64, UserFlags>> flagged();

    Account insert(const NewAccount &account);
    /// The first-start admin; nullopt when the name "admin" is taken.
    std::optional<Account> insertFirstAdmin(const QString &passwordHash, const QString &skeleton);
    /// An account without a password; `email` (may be empty) counts as verified.
    /// nullopt when the username or email is taken meanwhile.
    std::optional<qint64> insertExternal(const QString &username, const QString &skeleton, const QString &email);

    Account setPassword(qint64 id, const QString &passwordHash, bool mustChange);
    /// A stronger hash of the same password (parameters changed).
    void rehash(qint64 id, const QString &passwordHash);
    std::optional<Account> setRole(const QString &username, Community::Role role);
    /// Sets the state of the named account, except suspending `actorId` itself.
    std::optional<Account> setState(const QString &username, Community::Contracts::AccountState state,
                                    const QString &reason, qint64 actorId);
    /// Marks the email verified if it is still `email`.
    std::optional<Account> markEmailVerified(qint64 id, const QString &email);

    /// Serialises the first-start admin check of several nodes (until the transaction ends).
    void lockFirstAdmin();

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Auth
