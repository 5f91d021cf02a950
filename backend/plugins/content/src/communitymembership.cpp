// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "communitymembership.h"

#include "communityrepository.h"

#include "community/database.h"

using namespace Community;
using Community::Contracts::CommunityStanding;

namespace Content {

Result<CommunityStanding> CommunityMembership::standing(qint64 communityId, qint64 userId) const
{
    return m_db.read<CommunityStanding>([&](pqxx::nontransaction &tx) -> Result<CommunityStanding> {
        CommunityRepository repo(tx);
        if (!repo.exists(communityId))
            return tl::unexpected(notFound(QStringLiteral("No such community.")));
        switch (repo.role(communityId, userId)) {
        case CommunityRole::Owner:
        case CommunityRole::Moderator: return CommunityStanding::Moderator;
        case CommunityRole::Member: return CommunityStanding::Member;
        case CommunityRole::None: break;
        }
        return CommunityStanding::None;
    });
}

} // namespace Content
