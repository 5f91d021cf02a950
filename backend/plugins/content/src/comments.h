// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Comment helpers shared by the comment, vote and report modules: the SELECT list of a
/// comment, its row struct and JSON, and the 409 answers for content that is not open to
/// contributions. Thread-safe.

#include "community/http.h"
#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QJsonObject>

#include <string>

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

/// The comment columns (17, aliases c = content.comments, a = content.authors), in the
/// order commentFromRow() reads them from column `first` on; the viewer's vote follows.
extern const char *const kCommentColumns;

/// "SELECT <kCommentColumns>, <viewer's vote> FROM content.comments c LEFT JOIN
/// content.authors a ..." with the viewer's user id as $1 (0 = anonymous). Append
/// " WHERE ..." with parameters from $2 on.
extern const char *const kCommentSelect;

/// Reads kCommentColumns from column `first` and the vote after them.
CommentRow commentFromRow(const pqxx::row &row, int first = 0);

/// Loads one comment for a viewer; NotFound when it does not exist. `lock`: FOR NO KEY
/// UPDATE of the comment row.
Community::Result<CommentRow> loadComment(pqxx::transaction_base &tx, qint64 commentId, qint64 viewerId,
                                          bool lock = false);

/// The comment as JSON. A deleted or removed comment keeps its id, state, place in the
/// tree and counters but shows no author or text unless `privileged` (its author or a
/// moderator of the community).
QJsonObject commentJson(const CommentRow &comment, bool privileged);

/// kPostSelect-style SELECT with extra output columns spliced in before its FROM (the
/// extra columns come after the 23 that postFromRow() reads). `extra` starts with ", ".
std::string postSelectWith(const char *extra);

/// 409 problem for contributing to (commenting, voting, editing) content that is not
/// visible or is locked. Slugs: post-deleted, post-removed, post-locked, comment-deleted,
/// comment-removed. `what` is "post" or "comment", `state` deleted | removed | locked.
Community::Http::HttpResponse unavailableProblem(const QString &what, const QString &state, const QString &requestId);

} // namespace Content
