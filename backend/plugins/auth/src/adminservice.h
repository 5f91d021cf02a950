// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What administrators do to accounts: list and show them, set roles, suspend and
/// unsuspend, set a one-time password, turn two-factor off; and read auth's mail queue.
/// Changes publish their account events in their transactions.
/// Threading: blocking (worker threads); no mutable state of its own.

#include "accountrepository.h"
#include "accountservice.h"
#include "mailtokenrepository.h"

#include "community/result.h"

#include <optional>

namespace Auth {

struct AccountPage {
    QList<Account> items;
    std::optional<qint64> nextAfterId;
};

class AdminService {
public:
    AdminService(AccountDeps deps, AccountService &accounts) : m_deps(deps), m_accounts(accounts) {}

    Community::Result<AccountPage> list(const QString &prefix, qint64 afterId, int limit);
    Community::Result<Account> account(const QString &username);
    Community::Result<Account> setRole(const QString &username, Community::Role role);
    /// Suspends (with the administrator's note) or reactivates; Conflict for suspending
    /// oneself (`actorId`).
    Community::Result<Account> setState(const QString &username, Community::Contracts::AccountState state,
                                         const QString &reason, qint64 actorId);
    /// A generated one-time password the owner must change; every session revoked.
    Community::Result<std::pair<Account, QString>> resetPassword(const QString &username);
    /// Removes TOTP and recovery codes; whether TOTP was set up.
    Community::Result<std::pair<Account, bool>> disableTwoFactor(const QString &username);
    Community::Result<QList<OutboxMail>> mail(qint64 afterId, int limit);

private:
    AccountDeps m_deps;
    AccountService &m_accounts;
};

} // namespace Auth
