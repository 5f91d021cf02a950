// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "overlayrepository.h"

#include "sqlarrays.h"

namespace Content {

PageOverlay readOverlay(pqxx::transaction_base &tx, qint64 viewer, const QList<PageSlot> &places)
{
    QList<qint64> posts, comments;
    for (const PageSlot &s : places) {
        if (s.kind == PageSlot::CommentVote)
            comments.append(s.id);
        else if (s.kind == PageSlot::PostVote)
            posts.append(s.id);
    }
    PageOverlay out;
    if (posts.isEmpty() && comments.isEmpty())
        return out;
    tx.conn().prepare("content_page_overlay",
                      "SELECT 0, post_id, value FROM content.post_votes WHERE user_id = $1 AND post_id = ANY ($2::bigint[]) "
                      "UNION ALL SELECT 1, post_id, 1 FROM content.bookmarks WHERE user_id = $1 "
                      "AND post_id = ANY ($2::bigint[]) "
                      "UNION ALL SELECT 2, comment_id, value FROM content.comment_votes WHERE user_id = $1 "
                      "AND comment_id = ANY ($3::bigint[])");
    static_assert(PageSlot::PostVote == 0 && PageSlot::PostBookmark == 1 && PageSlot::CommentVote == 2);
    const auto rows = tx.exec_prepared("content_page_overlay", viewer, idArrayLiteral(posts), idArrayLiteral(comments));
    for (const auto &row : rows)
        out.insert({row[0].as<int>(), row[1].as<qint64>()}, row[2].as<int>());
    return out;
}

} // namespace Content
