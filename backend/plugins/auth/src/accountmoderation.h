// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Auth's side of IAccountModeration (contracts/auth.h), used by the admin plugin: the
/// same AdminService::setState the admin routes use, addressed by account id.
/// Blocking; thread-safe.

#include "community/contracts/auth.h"

namespace Auth {

class AdminService;
class UserDirectory;

class AccountModeration : public Community::Contracts::IAccountModeration {
public:
    AccountModeration(AdminService &admin, UserDirectory &directory) : m_admin(admin), m_directory(directory) {}

    Community::Result<Community::Contracts::UserRecord> suspend(qint64 userId, const QString &reason,
                                                                qint64 actorId) override;
    Community::Result<Community::Contracts::UserRecord> unsuspend(qint64 userId) override;

private:
    Community::Result<Community::Contracts::UserRecord> setState(qint64 userId, Community::Contracts::AccountState state,
                                                                 const QString &reason, qint64 actorId);
    AdminService &m_admin;
    UserDirectory &m_directory;
};

} // namespace Auth
