// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "permissions.h"

#include "communityrepository.h"

using Community::Principal;
using Community::Role;

namespace Content {

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
    return canModerate(principal, CommunityRepository(tx).role(communityId, principal.userId));
}

bool viewerModerates(const Principal &principal, qint64 viewer, CommunityRole role)
{
    return viewer > 0 && canModerate(principal, role);
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

CommunityRole communityRoleFromName(const std::string &name)
{
    if (name == "owner")
        return CommunityRole::Owner;
    if (name == "moderator")
        return CommunityRole::Moderator;
    return CommunityRole::Member;
}

} // namespace Content
