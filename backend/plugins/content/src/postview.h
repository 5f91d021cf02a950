// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// One way to read and show a post, shared by the post routes, the post page and the
/// feeds: the SELECT list (post + community slug + author name + the viewer's vote and
/// bookmark, in one statement), the row struct and its JSON. Thread-safe.

#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace Community { struct Principal; }

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

/// "SELECT <post columns> FROM content.posts p JOIN content.communities c ... LEFT JOIN
/// content.authors a ..." with the viewer's user id as parameter $1 (0 = anonymous).
/// Append " WHERE ..." (and ORDER BY / LIMIT) with parameters from $2 on.
extern const char *const kPostSelect;

/// The same columns for lists: `excerptOnly` selects only the first 281 characters of the
/// body and no HTML; without `viewerColumns` the vote and bookmark are constants (0, false)
/// for anonymous viewers, and $1 is not referenced.
std::string postSelect(bool excerptOnly, bool viewerColumns);

/// Reads a row selected with kPostSelect or postSelect().
PostRow postFromRow(const pqxx::row &row);

/// Loads one post by id for a viewer; NotFound when it does not exist.
Community::Result<PostRow> loadPost(pqxx::transaction_base &tx, qint64 postId, qint64 viewerId);

/// The post as JSON. `full`: with body and bodyHtml (post page), else an excerpt (feeds).
/// A deleted or removed post shows no title/body unless `privileged` (its author or a
/// moderator of its community), but keeps its id, state and counters.
QJsonObject postJson(const PostRow &post, bool full, bool privileged);

/// Reddit's hot rank for a score and creation time (seconds since the epoch).
double hotRank(int score, qint64 createdEpochSeconds);
/// The SQL expression of the same rank for columns `score` and `created_at` (keep in sync).
extern const char *const kHotSql;

} // namespace Content
