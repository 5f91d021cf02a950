// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "feedservice.h"

#include "community/database.h"

using Community::Result;

namespace Content {

Result<FeedRows> FeedService::page(const FeedQuery &query, qint64 viewer)
{
    FeedQuery q = query;
    if (q.feed == Feed::Author) {
        auto author = activityOwner(m_ctx, q.username);
        if (!author)
            return tl::unexpected(author.error());
        q.authorId = *author;
    }
    Community::Contracts::ViewerRelations rel;
    if (viewer != 0) {
        auto r = m_ctx.relations.relationsOf(viewer);
        if (!r)
            return tl::unexpected(r.error());
        rel = std::move(*r);
    }
    return m_ctx.db.read<FeedRows>([&](pqxx::nontransaction &tx) -> Result<FeedRows> {
        FeedRows rows = FeedRepository(tx).page(q, viewer, rel);
        if (!rows.communityFound)
            return tl::unexpected(Community::notFound(QStringLiteral("No such community.")));
        return rows;
    });
}

} // namespace Content
