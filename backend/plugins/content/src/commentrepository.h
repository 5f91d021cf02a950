// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL on content.comments (and their revisions), nothing else. The hot statements (post
/// page, comment tree, comment insert, comment load) are prepared once per connection
/// (same name, same text: libpqxx makes a repeat a no-op), so that the hot path neither
/// parses nor plans. Runs in the caller's transaction or autocommit read.

#include "permissions.h"
#include "postrepository.h"

#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace Content {

struct CommentRow {
    qint64 id = 0;
    qint64 postId = 0;
    qint64 parentId = 0;     ///< 0 for a top-level comment
    qint64 authorId = 0;
    QString authorName;
    int depth = 0;
    QString body;            ///< markdown
    QString bodyHtml;
    QString state;           ///< visible | deleted | removed
    QString removedReason;
    int score = 0;
    int upvotes = 0;
    int downvotes = 0;
    int replyCount = 0;      ///< visible direct replies
    int revision = 1;
    QDateTime createdAt;
    QDateTime editedAt;      ///< invalid when never edited
    int myVote = 0;          ///< the viewer's vote: -1, 0, 1
};

struct TreeQuery;
struct Candidate;

/// A comment in an author's list, with the post it belongs to.
struct AuthoredComment {
    CommentRow comment;
    QString postTitle;
    QString communitySlug;
};

/// The post a new comment goes to, locked (FOR NO KEY UPDATE).
struct CommentedPost {
    qint64 communityId = 0;
    QString state;
    bool locked = false;
    qint64 authorId = 0;
};

/// The comment a reply answers, locked.
struct ParentComment {
    qint64 postId = 0;
    int depth = 0;
    QString state;
    qint64 authorId = 0;
};

struct NewComment {
    qint64 postId = 0;
    qint64 parentId = 0;     ///< 0: top level
    qint64 authorId = 0;
    QString authorName;      ///< kept in content.authors by the same statement
    int depth = 0;
    QString body;
    QString html;
};

/// A comment and what decides who may change it.
struct CommentTarget {
    CommentRow comment;
    qint64 communityId = 0;
    qint64 postAuthorId = 0;
    QString postState;
    bool postLocked = false;
};

/// The post page's rows: the post (nullopt: no such post), the viewer's role in its
/// community and, for a small thread, all its comments.
struct PostPageRows {
    std::optional<PostRow> post;
    CommunityRole role = CommunityRole::None;
    std::vector<CommentRow> thread;
};

/// What a comment list needs before its tree: the post's community role of the viewer
/// and the parent's post (0 when there is no such parent).
struct ListAnchor {
    CommunityRole role = CommunityRole::None;
    qint64 parentPostId = 0;
};

/// The post a permalinked comment belongs to.
struct PermalinkPost {
    qint64 id = 0;
    qint64 communityId = 0;
    QString communitySlug;
    QString title;
    QString state;
    bool locked = false;
    qint64 authorId = 0;
    CommunityRole role = CommunityRole::None;   ///< the viewer's
};

/// The current text of a comment and who may see its revisions.
struct CommentHead {
    QString state;
    qint64 authorId = 0;
    RevisionRow current;
    CommunityRole role = CommunityRole::None;   ///< the viewer's
};

class CommentRepository {
public:
    explicit CommentRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// One comment for a viewer; NotFound ("No such comment."). `lock`: FOR NO KEY UPDATE.
    Community::Result<CommentRow> load(qint64 commentId, qint64 viewerId, bool lock = false);

    std::optional<CommentedPost> lockPost(qint64 postId);
    std::optional<ParentComment> lockParent(qint64 parentId);
    /// Writes the comment, moves both counters and keeps the author copy, in one statement.
    qint64 insert(const NewComment &comment);

    /// Locks the post row first when `lockPost` (every change of the post's counters
    /// does), then the comment row; NotFound when missing.
    Community::Result<CommentTarget> lockTarget(qint64 commentId, qint64 viewerId, bool lockPost);
    /// Keeps the current text as a revision, then writes the new one.
    void edit(qint64 commentId, const QString &body, const QString &html);
    /// visible or deleted (clears a removal reason).
    void setState(qint64 commentId, const QString &state);
    void remove(qint64 commentId, const QString &reason);
    /// Moves the visible-comment counters of the post and of the parent by `delta`.
    void countVisible(const CommentRow &comment, int delta);
    /// Earlier revisions, newest first (no title, no tags).
    QList<RevisionRow> revisions(qint64 commentId);

    /// The recursive tree statement's rows for `q` (commenttree.h).
    std::vector<Candidate> treeCandidates(const TreeQuery &q);
    /// The post page in one round trip: the post and, when the thread has at most
    /// `flatMax` visible comments, every comment row of it.
    PostPageRows postPage(qint64 viewer, qint64 postId, int flatMax);
    std::optional<ListAnchor> listAnchor(qint64 viewer, qint64 postId, qint64 parentId);
    std::optional<PermalinkPost> permalinkPost(qint64 viewer, qint64 commentId);
    /// Visible comments of `authorId` on visible posts, newest first, after the comment id
    /// `before` (0: from the newest), at most `limit`; none on posts of `hidden` authors.
    QList<AuthoredComment> byAuthor(qint64 viewer, qint64 authorId, const QList<qint64> &hidden, qint64 before, int limit);
    std::optional<CommentHead> head(qint64 viewer, qint64 commentId);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Content
