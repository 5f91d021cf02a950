// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "accountmoderation.h"

#include "adminservice.h"
#include "userdirectory.h"

using namespace Community;
using Community::Contracts::AccountState;
using Community::Contracts::UserRecord;

namespace Auth {

Result<UserRecord> AccountModeration::setState(qint64 userId, AccountState state, const QString &reason, qint64 actorId)
{
    auto user = m_directory.findById(userId);
    if (!user)
        return user;
    if (user->state == state)
        return user;
    auto changed = m_admin.setState(user->username, state, reason, actorId);
    if (!changed)
        return tl::unexpected(changed.error());
    return m_directory.findById(userId);
}

Result<UserRecord> AccountModeration::suspend(qint64 userId, const QString &reason, qint64 actorId)
{
    return setState(userId, AccountState::Suspended, reason, actorId);
}

Result<UserRecord> AccountModeration::unsuspend(qint64 userId)
{
    return setState(userId, AccountState::Active, QString(), 0);
}

} // namespace Auth
