// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "relations.h"

#include "community/database.h"

using Community::Result;
using Community::Contracts::ViewerRelations;

namespace Users {

Result<ViewerRelations> UserRelations::relationsOf(qint64 viewerId) const
{
    return m_db.read<ViewerRelations>([viewerId](pqxx::nontransaction &tx) -> Result<ViewerRelations> {
        // kind 0: followed; kind 1: hidden (blocked by or blocking the viewer, or muted);
        // kind 2: blocking the viewer (they refuse the viewer's comments, votes, mentions).
        // Prepared: it runs before every signed-in feed and post page, and planning it
        // cost more than running it.
        tx.conn().prepare("users_relations_of",
                          "SELECT 0, followee_id FROM users.follows WHERE follower_id = $1 "
                          "UNION ALL SELECT 1, blocked_id FROM users.blocks WHERE blocker_id = $1 "
                          "UNION ALL SELECT 1, blocker_id FROM users.blocks WHERE blocked_id = $1 "
                          "UNION ALL SELECT 1, muted_id FROM users.mutes WHERE muter_id = $1 "
                          "UNION ALL SELECT 2, blocker_id FROM users.blocks WHERE blocked_id = $1 "
                          "ORDER BY 1, 2");
        const auto rows = tx.exec_prepared("users_relations_of", viewerId);
        ViewerRelations out;
        for (const auto &row : rows) {
            const qint64 id = row[1].as<qint64>();
            const int kind = row[0].as<int>();
            QList<qint64> &list = kind == 0 ? out.following : kind == 1 ? out.hidden : out.blockedBy;
            if (list.isEmpty() || list.back() != id)
                list.append(id);
        }
        return out;
    });
}

} // namespace Users
