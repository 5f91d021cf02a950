// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "permissions.h"

using Community::Principal;
using Community::Role;

namespace Content {

CommunityRole communityRole(pqxx::transaction_base &tx, qint64 communityId, qint64 userId)
{
    if (userId <= 0)
        return CommunityRole::None;
    const auto r = tx.exec_params("SELECT role FROM content.members WHERE community_id = $1 AND user_id = $2",
                                  communityId, userId);
    if (r.empty())
        return CommunityRole::None;
    const std::string role = r[0][0].as<std::string>();
    if (role == "owner")
        return CommunityRole::Owner;
    if (role == "moderator")
        return CommunityRole::Moderator;
    return CommunityRole::Member;
}

bool canModerate(const Principal &principal, CommunityRole role)
{
    if (principal.isAnonymous())
        return false;
    if (principal.hasRole(Role::Moderator))
        return true;
    return role == CommunityRole::Moderator || role == CommunityRole::Owner;
}

bool canManage(const Principal &principal, CommunityRole role)
{
    if (principal.isAnonymous())
        return false;
    if (principal.hasRole(Role::Admin))
        return true;
    return role == CommunityRole::Owner;
}

bool moderates(pqxx::transaction_base &tx, const Principal &principal, qint64 communityId)
{
    if (principal.isAnonymous())
        return false;
    if (principal.hasRole(Role::Moderator))
        return true;
    return canModerate(principal, communityRole(tx, communityId, principal.userId));
}

QString communityRoleName(CommunityRole role)
{
    switch (role) {
    case CommunityRole::Member: return QStringLiteral("member");
    case CommunityRole::Moderator: return QStringLiteral("moderator");
    case CommunityRole::Owner: return QStringLiteral("owner");
    case CommunityRole::None: break;
    }
    return {};
}

} // namespace Content
