// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL on content.posts (and its revisions), nothing else. One way to read a post, shared
/// by the post routes, the post page, bookmarks and the feeds: the SELECT list (post +
/// community slug + author name + the viewer's vote and bookmark, in one statement) and
/// its row struct. Runs in the caller's transaction; thread-safe.

#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QList>
#include <QStringList>

#include <optional>
#include <string>

namespace Content {

struct PostRow {
    qint64 id = 0;
    qint64 communityId = 0;
    QString communitySlug;
    qint64 authorId = 0;
    QString authorName;
    QString title;
    QString body;            ///< markdown
    QString bodyHtml;
    QStringList tags;
    QString state;           ///< visible | deleted | removed
    QString removedReason;
    bool pinned = false;
    bool locked = false;
    int score = 0;
    int upvotes = 0;
    int downvotes = 0;
    int commentCount = 0;
    double hot = 0;
    int revision = 1;
    QDateTime createdAt;
    QDateTime editedAt;      ///< invalid when never edited
    int myVote = 0;          ///< the viewer's vote: -1, 0, 1
    bool bookmarked = false; ///< by the viewer
};

/// An earlier text of a post or comment (title and tags: posts only).
struct RevisionRow {
    int revision = 0;
    QString title;
    QString body;
    QStringList tags;
    QDateTime createdAt;
};

/// Columns postFromRow() reads; statements add theirs after these.
inline constexpr int kPostColumnCount = 23;

/// "SELECT <post columns> FROM content.posts p JOIN content.communities c ... LEFT JOIN
/// content.authors a ..." with the viewer's user id as parameter $1 (0 = anonymous).
/// Append " WHERE ..." (and ORDER BY / LIMIT) with parameters from $2 on.
extern const char *const kPostSelect;

/// The same columns for lists: `excerptOnly` selects only the first 281 characters of the
/// body and no HTML; without `viewerColumns` the vote and bookmark are constants (0, false)
/// for anonymous viewers, and $1 is not referenced.
std::string postSelect(bool excerptOnly, bool viewerColumns);

/// kPostSelect with extra output columns spliced in before its FROM (after the
/// kPostColumnCount that postFromRow() reads). `extra` starts with ", ".
std::string postSelectWith(const char *extra);

/// Reads a row selected with kPostSelect or postSelect().
PostRow postFromRow(const pqxx::row &row);

/// Reddit's hot rank of columns `score` and `created_at`, as SQL.
extern const char *const kHotSql;

enum class PostFlag { Pinned, Locked };

class PostRepository {
public:
    explicit PostRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// One post for a viewer; NotFound ("No such post.") when it does not exist.
    Community::Result<PostRow> load(qint64 postId, qint64 viewerId);
    /// Locks the post row (FOR UPDATE), then load().
    Community::Result<PostRow> lock(qint64 postId, qint64 viewerId);
    /// Inserts a visible post; returns its id.
    qint64 insert(qint64 communityId, qint64 authorId, const QString &title, const QString &body, const QString &html,
                  const QStringList &tags);
    /// Keeps the current text as a revision, then writes the new one (`html` nullopt: the
    /// body is unchanged).
    void edit(qint64 postId, const QString &title, const QString &body, const std::optional<QString> &html,
              const QStringList &tags);
    /// visible or deleted (clears a removal reason).
    void setState(qint64 postId, const QString &state);
    void remove(qint64 postId, const QString &reason);
    void setFlag(qint64 postId, PostFlag flag, bool on);
    /// Earlier revisions, newest first.
    QList<RevisionRow> revisions(qint64 postId);

    pqxx::transaction_base &transaction() const { return m_tx; }

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Content
