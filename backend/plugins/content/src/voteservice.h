// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Votes and bookmarks: rules, transactions, events. Blocking: call from worker threads.
/// Thread-safe (no mutable state).
///
/// - One vote per user and target. The target row is locked (FOR NO KEY UPDATE) before
///   the previous vote is read, so concurrent votes on one target queue up and the
///   counters move by exactly the difference (score by value - previous, upvotes/downvotes
///   by the change of each side). posts.hot is recomputed from the new score in the same
///   UPDATE.
/// - Voting on deleted or removed content (or on a comment of a deleted/removed post) is a
///   409 (post-deleted, post-removed, comment-deleted, comment-removed); clearing a vote
///   (value 0) is always allowed so that nobody is stuck with a vote. Missing target: 404.
/// - content.vote.changed is published only when the value changed; a repeat is a no-op.
/// - Bookmarking a deleted or removed post is a 409; removing a bookmark always works.
///   The list keeps bookmarks of posts that were deleted or removed later, as placeholders.

#include "contentcontext.h"
#include "voterepository.h"

namespace Content {

class VoteService {
public:
    explicit VoteService(ContentContext &ctx) : m_ctx(ctx) {}

    /// Sets the user's vote (1, -1, 0 clears); returns the target's counts.
    Community::Result<VoteCounts> vote(qint64 userId, VoteTarget target, qint64 id, int value);
    /// Adds (`add`) or removes the user's bookmark of a post.
    Community::Result<void> bookmark(qint64 userId, qint64 postId, bool add);
    /// Up to `rows` bookmarks after `after`.
    Community::Result<QList<BookmarkRow>> bookmarks(qint64 userId, const std::optional<QList<qint64>> &after, int rows);

private:
    ContentContext &m_ctx;
};

} // namespace Content
