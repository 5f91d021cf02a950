// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "overlayrepository.h"

#include "sqlarrays.h"

namespace Content {

PageOverlay readOverlay(pqxx::transaction_base &tx, qint64 viewer, const SharedPage &page)
{
    const QList<PageSlot> &places = page.places;
    QList<qint64> posts, comments;
    for (const PageSlot &s : places) {
        if (s.kind == PageSlot::CommentVote)
            comments.append(s.id);
        else if (s.kind == PageSlot::PostVote)
            posts.append(s.id);
    }
    PageOverlay out;
    // kind 0/1/2: the viewer's post votes, bookmarks, comment votes (value in a);
    // kind 3/4: the posts' and comments' counters now (a..d);
    // kind 5: 1 if the viewer wrote a post (index on author, created_at) or one of their
    // last 8 comments (index on author, id) after $4;
    // kind 6: 1 if the viewer moderates community $5.
    tx.conn().prepare(
        "content_page_overlay",
        "SELECT 0, post_id, value, 0, 0, 0 FROM content.post_votes WHERE user_id = $1 AND post_id = ANY ($2::bigint[]) "
        "UNION ALL SELECT 1, post_id, 1, 0, 0, 0 FROM content.bookmarks WHERE user_id = $1 "
        "AND post_id = ANY ($2::bigint[]) "
        "UNION ALL SELECT 2, comment_id, value, 0, 0, 0 FROM content.comment_votes WHERE user_id = $1 "
        "AND comment_id = ANY ($3::bigint[]) "
        "UNION ALL SELECT 3, id, score, upvotes, downvotes, comment_count FROM content.posts WHERE id = ANY ($2::bigint[]) "
        "UNION ALL SELECT 4, id, score, upvotes, downvotes, 0 FROM content.comments WHERE id = ANY ($3::bigint[]) "
        "UNION ALL SELECT 5, 0, (EXISTS (SELECT 1 FROM content.posts WHERE author_id = $1 AND state = 'visible' "
        "AND created_at > to_timestamp($4::float8)) OR EXISTS (SELECT 1 FROM (SELECT created_at FROM content.comments "
        "WHERE author_id = $1 ORDER BY id DESC LIMIT 8) w WHERE w.created_at > to_timestamp($4::float8)))::int, 0, 0, 0 "
        "UNION ALL SELECT 6, 0, 1, 0, 0, 0 FROM content.members WHERE community_id = $5 AND user_id = $1 "
        "AND role IN ('moderator', 'owner')");
    const auto rows = tx.exec_prepared("content_page_overlay", viewer, idArrayLiteral(posts), idArrayLiteral(comments),
                                       std::to_string(double(page.loadedAtMs - kOwnWriteMarginMs) / 1000.0),
                                       page.communityId);
    using K = PageSlot::Kind;
    for (const auto &row : rows) {
        const int kind = row[0].as<int>();
        const qint64 id = row[1].as<qint64>();
        const qint64 a = row[2].as<qint64>(), b = row[3].as<qint64>(), c = row[4].as<qint64>(), d = row[5].as<qint64>();
        if (kind == 5 || kind == 6) {
            out.insert(kind == 5 ? kOwnRecentWrite : kModerates, a);
            continue;
        }
        if (kind <= 2) {
            out.insert({kind == 0 ? K::PostVote : kind == 1 ? K::PostBookmark : K::CommentVote, id}, a);
            continue;
        }
        const bool post = kind == 3;
        out.insert({post ? K::PostScore : K::CommentScore, id}, a);
        out.insert({post ? K::PostUpvotes : K::CommentUpvotes, id}, b);
        out.insert({post ? K::PostDownvotes : K::CommentDownvotes, id}, c);
        if (post)   // a comment's replyCount stays with its cached tree (moreReplies is derived from it)
            out.insert({K::PostComments, id}, d);
    }
    // No row: no vote, no bookmark (the shared page may have been loaded with other values).
    for (const PageSlot &s : places)
        if ((s.kind == K::PostVote || s.kind == K::PostBookmark || s.kind == K::CommentVote)
            && !out.contains({s.kind, s.id}))
            out.insert({s.kind, s.id}, 0);
    return out;
}

} // namespace Content
