// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Threaded comments and the post page: rules, authorization, transactions and events.
/// Blocking: call from worker threads. Thread-safe (no mutable state).
///
/// - posts.comment_count and comments.reply_count count *visible* comments (Discourse-like:
///   the number a reader can see). Delete/remove decrement, restore increments, always in
///   the transaction of the change and under the post's row lock, so they stay exact.
/// - Every change to a post's comments locks the post row first (FOR NO KEY UPDATE, which
///   does not block the foreign-key locks of concurrent inserts) and then the comment rows:
///   one lock order, no deadlocks, exact counters.
/// - Replies are allowed to visible and to deleted comments (the conversation may go on
///   under an author's "[deleted]"), not to removed ones (409 comment-removed). A reply
///   deeper than plugins.content.maxCommentDepth is a 400 on parentId (code too_deep).
/// - A locked post refuses comments with 409 post-locked except from the community's
///   moderators; a deleted or removed post refuses them from everyone (409 post-deleted /
///   post-removed); a post that does not exist is 404.
/// - The post page is the hot path: one statement reads the post and, for a thread of at
///   most flatThreadMax() comments, all its comment rows, shaped by commenttree; larger
///   threads, later pages, replies and permalinks use the bounded recursive statement.
/// - Reads ask the users plugin for the viewer's hidden authors first, outside any
///   transaction (it uses the database too and must not wait for a connection we hold).

#include "commenttree.h"
#include "contentcontext.h"
#include "idempotency.h"

#include "community/http.h"
#include "community/principal.h"

#include <functional>

namespace Content {

/// Which part of a tree a read asks for.
struct TreeParams {
    CommentSort sort = CommentSort::Best;
    int limit = 20;
    std::optional<QList<qint64>> after;
};

struct PostPage {
    PostRow post;
    bool privileged = false;   ///< the viewer is the post's author or a moderator
    TreePage comments;
};

struct Permalink {
    PermalinkPost post;
    bool postHidden = false;   ///< deleted/removed, and the viewer may not see its title
    TreePage comment;          ///< one tree
};

struct CommentInput {
    QString body;
    qint64 parentId = 0;       ///< create only
};

struct CommentRevisions {
    RevisionRow current;
    QList<RevisionRow> earlier;   ///< newest first
};

class CommentService {
public:
    explicit CommentService(ContentContext &ctx) : m_ctx(ctx) {}

    Community::Result<PostPage> postPage(const Community::Principal &who, qint64 postId, const TreeParams &params);
    /// A user's comments for /v1/users/{username}/comments (see byAuthor in the repository),
    /// `limit` + 1 rows at most; empty when the viewer must not see the author. NotFound
    /// for an unknown or deleted account.
    Community::Result<QList<AuthoredComment>> byAuthor(const Community::Principal &who, const QString &username,
                                                       qint64 before, int limit);
    /// Further pages of a post's top-level comments, or of one comment's replies (`parentId`).
    Community::Result<TreePage> list(const Community::Principal &who, qint64 postId, qint64 parentId,
                                     const TreeParams &params);
    Community::Result<Permalink> permalink(const Community::Principal &who, qint64 commentId, const TreeParams &params);

    /// Creates a comment (content.comment.created, mentions); `reply` makes the (stored)
    /// response. Every check comes before the first write: a refusal writes nothing.
    Community::Result<Community::Http::HttpResponse> create(
        const Community::Principal &who, qint64 postId, const CommentInput &input,
        const std::optional<IdempotencyKey> &key,
        const std::function<Community::Http::HttpResponse(const CommentRow &)> &reply);
    /// The author edits a visible comment; the old text becomes a revision.
    Community::Result<CommentRow> edit(const Community::Principal &who, qint64 commentId, const QString &body);
    Community::Result<CommentRevisions> revisions(const Community::Principal &who, qint64 commentId);
    /// Author delete (`deleting`) or restore (author for deleted, moderators for any).
    Community::Result<CommentRow> setAuthorState(const Community::Principal &who, qint64 commentId, bool deleting);
    Community::Result<CommentRow> remove(const Community::Principal &who, qint64 commentId, const QString &reason);

private:
    Community::Result<QList<qint64>> hiddenFor(qint64 viewer) const;
    /// After a moderation or author state change: the comment as it is now, published
    /// with the actor (and the moderator's reason).
    Community::Result<CommentRow> publishState(pqxx::transaction_base &tx, QLatin1StringView type, qint64 commentId,
                                               qint64 communityId, const Community::Principal &who,
                                               std::optional<QString> reason = std::nullopt);

    /// A new comment on the post's live topic `post:<id>` (ids only: clients fetch the
    /// comment over REST with their own visibility rules).
    Community::Result<void> publishLive(pqxx::transaction_base &tx, const CommentRow &comment);

    ContentContext &m_ctx;
};

} // namespace Content
