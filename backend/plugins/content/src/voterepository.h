// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL on votes (content.post_votes, content.comment_votes, the targets' counters) and
/// bookmarks (content.bookmarks), nothing else. Runs in the caller's transaction.

#include "postrepository.h"

#include <pqxx/pqxx>

#include <QList>
#include <QString>

#include <optional>

namespace Content {

enum class VoteTarget { Post, Comment };

/// The target of a vote, locked.
struct VotedRow {
    QString state;           ///< the target's
    qint64 postId = 0;
    qint64 authorId = 0;
    QString postState;       ///< comments: their post's; posts: empty
};

struct VoteCounts {
    int score = 0;
    int upvotes = 0;
    int downvotes = 0;
};

struct BookmarkRow {
    PostRow post;
    qint64 bookmarkedMicros = 0;
};

class VoteRepository {
public:
    explicit VoteRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Locks the target (FOR NO KEY UPDATE): concurrent votes on it queue here.
    std::optional<VotedRow> lockTarget(VoteTarget target, qint64 id);
    /// The user's current vote (0: none).
    int vote(VoteTarget target, qint64 id, qint64 userId);
    VoteCounts counts(VoteTarget target, qint64 id);
    /// Stores the vote (0 deletes it) and moves the counters by the change from
    /// `previous` (posts: hot is recomputed from the new score); returns the new counts.
    VoteCounts change(VoteTarget target, qint64 id, qint64 userId, int value, int previous);

    /// The post's state, or nullopt when it does not exist.
    std::optional<QString> postState(qint64 postId);
    void addBookmark(qint64 userId, qint64 postId);
    void removeBookmark(qint64 userId, qint64 postId);
    /// Up to `rows` bookmarks, newest first, after the keyset {bookmarked micros, post id}.
    QList<BookmarkRow> bookmarks(qint64 userId, const std::optional<QList<qint64>> &after, int rows);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Content
