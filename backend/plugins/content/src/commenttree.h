// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Shaping a page of the comment tree from rows: which comments a page shows, nested
/// replies and "moreReplies". Pure functions (no HTTP, no database); thread-safe.
///
/// - Deleted/removed comments that have replies (in any state) stay as placeholders (no
///   author, no text, except for their author and the community's moderators) so the
///   tree holds; without replies they are left out. Comments by hidden authors (blocked,
///   blocking, muted) are left out together with their replies.
/// - The page is bounded: `limit` counts every node (top-level comments and replies).
///   Candidates are up to limit + 1 top-level comments in the sort (keyset), then their
///   replies breadth-first, at most repliesPerNode() per comment and each level in the
///   sort, candidateRows() rows at most; the page takes candidates in order of (top-level
///   rank + level), which gives the first threads' replies before later threads appear
///   and is closed under parents. "moreReplies" counts a node's visible replies that were
///   cut.
/// - Candidates come from the recursive statement (CommentRepository::treeCandidates) or,
///   for a small thread read whole with its post, from flatCandidates(): both give the
///   same candidates (tst_contentcomments compares them).

#include "commentrepository.h"
#include "sharedpage.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>

#include <optional>
#include <vector>

namespace Content {

enum class CommentSort { Best, New, Old };
/// Where a tree starts: the post's top-level comments, one comment's replies, or one comment.
enum class TreeScope { Roots, Replies, Single };

/// The sort's query name ("best") and its cursor kind ("tb").
const char *sortName(CommentSort sort);
QLatin1StringView sortCursorKind(CommentSort sort);
/// Keys in a cursor of the sort (best: score and id; new, old: id).
int sortCursorKeys(CommentSort sort);
/// "" → best; best | new | old; InvalidArgument (field "sort", invalid_choice) otherwise.
Community::Result<CommentSort> parseCommentSort(const QString &raw);

/// Children per comment that a tree page looks at (the rest are counted in moreReplies).
int repliesPerNode(int limit);
/// Rows a tree page looks at: enough to fill it with replies of the first threads.
int candidateRows(int limit);
/// Threads up to this many comments are read in one index range and shaped here, which
/// is cheaper than one index probe per comment; larger ones take the recursive statement.
int flatThreadMax(int limit);

struct TreeQuery {
    TreeScope scope = TreeScope::Roots;
    CommentSort sort = CommentSort::Best;
    qint64 anchor = 0;                    ///< post id (Roots), parent id (Replies), comment id (Single)
    int limit = 20;
    std::optional<QList<qint64>> after;   ///< keyset of the last top-level node of the previous page
    QList<qint64> hidden;                 ///< authors left out
    qint64 viewer = 0;
    bool moderator = false;               ///< the viewer moderates the community: sees removed text
};

/// A comment a page may show: `rank` of its top-level comment, `level` below it.
struct Candidate {
    CommentRow row;
    int rank = 0;
    int level = 0;
};

struct TreePage {
    QByteArray nodes = "[]";   ///< JSON array of comment trees
    int count = 0;             ///< top-level nodes in it
    QList<PageSlot> places;    ///< the overlay's places in `nodes` (sharedpage.h)
    QList<qint64> authors;     ///< every candidate's author (hiding one may change the page)
    QList<qint64> seeMore;     ///< authors of shown comments that are not visible (they see their text)
    QJsonValue nextCursor = QJsonValue(QJsonValue::Null);
};

/// True when comment a comes before b among siblings in the sort.
bool sortsBefore(CommentSort sort, const CommentRow &a, const CommentRow &b);

/// The candidates of the first page of a post's top-level comments, from every comment
/// row of the thread (any order).
std::vector<Candidate> flatCandidates(const std::vector<CommentRow> &all, const TreeQuery &q);

/// Chooses the page from the candidates and writes it: nodes by (rank + level, rank,
/// breadth-first position), at most `limit`, so that every node's parent comes before it
/// and the page is a tree; top-level nodes by rank, siblings in the sort. The next cursor
/// is set when more top-level comments were fetched than shown (not for Single).
TreePage shapePage(std::vector<Candidate> items, const TreeQuery &q);

} // namespace Content
