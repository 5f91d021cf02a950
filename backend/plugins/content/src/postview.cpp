// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "postview.h"

#include "common.h"

#include <QJsonArray>

#include <cmath>

namespace Content {

// The select list in parts, so that the variants below stay the same columns in the same
// order (postFromRow reads all of them).
#define CONTENT_POST_HEAD "SELECT p.id, p.community_id, c.slug, p.author_id, coalesce(a.username, ''), p.title, "
#define CONTENT_POST_BODY "p.body, p.body_html, "
#define CONTENT_POST_EXCERPT "left(p.body, 281), ''::text, "
#define CONTENT_POST_MIDDLE                                                                                          \
    "array_to_string(p.tags, ' '), p.state, coalesce(p.removed_reason, ''), p.pinned, p.locked, p.score, p.upvotes, " \
    "p.downvotes, p.comment_count, p.hot, p.revision, (extract(epoch FROM p.created_at) * 1000000)::bigint, "       \
    "coalesce((extract(epoch FROM p.edited_at) * 1000000)::bigint, 0), "
#define CONTENT_POST_VIEWER                                                                       \
    "coalesce((SELECT v.value FROM content.post_votes v WHERE v.post_id = p.id AND v.user_id = $1), 0), " \
    "EXISTS (SELECT 1 FROM content.bookmarks b WHERE b.user_id = $1 AND b.post_id = p.id) "
#define CONTENT_POST_NO_VIEWER "0, false "
#define CONTENT_POST_FROM                                                        \
    "FROM content.posts p JOIN content.communities c ON c.id = p.community_id " \
    "LEFT JOIN content.authors a ON a.user_id = p.author_id"

const char *const kPostSelect =
    CONTENT_POST_HEAD CONTENT_POST_BODY CONTENT_POST_MIDDLE CONTENT_POST_VIEWER CONTENT_POST_FROM;

std::string postSelect(bool excerptOnly, bool viewerColumns)
{
    return std::string(CONTENT_POST_HEAD) + (excerptOnly ? CONTENT_POST_EXCERPT : CONTENT_POST_BODY) + CONTENT_POST_MIDDLE
           + (viewerColumns ? CONTENT_POST_VIEWER : CONTENT_POST_NO_VIEWER) + CONTENT_POST_FROM;
}

const char *const kHotSql =
    "(sign(score) * log(greatest(abs(score), 1)) + extract(epoch FROM created_at) / 45000.0)";

PostRow postFromRow(const pqxx::row &r)
{
    PostRow p;
    p.id = r[0].as<qint64>();
    p.communityId = r[1].as<qint64>();
    p.communitySlug = QString::fromStdString(r[2].as<std::string>());
    p.authorId = r[3].as<qint64>();
    p.authorName = QString::fromStdString(r[4].as<std::string>());
    p.title = QString::fromStdString(r[5].as<std::string>());
    p.body = QString::fromStdString(r[6].as<std::string>());
    p.bodyHtml = QString::fromStdString(r[7].as<std::string>());
    const QString tags = QString::fromStdString(r[8].as<std::string>());
    p.tags = tags.isEmpty() ? QStringList() : tags.split(QLatin1Char(' '));
    p.state = QString::fromStdString(r[9].as<std::string>());
    p.removedReason = QString::fromStdString(r[10].as<std::string>());
    p.pinned = r[11].as<bool>();
    p.locked = r[12].as<bool>();
    p.score = r[13].as<int>();
    p.upvotes = r[14].as<int>();
    p.downvotes = r[15].as<int>();
    p.commentCount = r[16].as<int>();
    p.hot = r[17].as<double>();
    p.revision = r[18].as<int>();
    p.createdAt = fromMicros(r[19].as<qint64>());
    const qint64 edited = r[20].as<qint64>();
    if (edited != 0)
        p.editedAt = fromMicros(edited);
    p.myVote = r[21].as<int>();
    p.bookmarked = r[22].as<bool>();
    return p;
}

Community::Result<PostRow> loadPost(pqxx::transaction_base &tx, qint64 postId, qint64 viewerId)
{
    const auto rows = tx.exec_params(std::string(kPostSelect) + " WHERE p.id = $2", viewerId, postId);
    if (rows.empty())
        return tl::unexpected(notFound(QStringLiteral("No such post.")));
    return postFromRow(rows[0]);
}

QJsonObject postJson(const PostRow &p, bool full, bool privileged)
{
    const bool hidden = p.state != QLatin1String("visible") && !privileged;
    QJsonObject o{
        {QStringLiteral("id"), idString(p.id)},
        {QStringLiteral("community"), QJsonObject{{QStringLiteral("id"), idString(p.communityId)},
                                                  {QStringLiteral("slug"), p.communitySlug}}},
        {QStringLiteral("author"), hidden ? QJsonValue(QJsonValue::Null)
                                          : QJsonValue(QJsonObject{{QStringLiteral("id"), idString(p.authorId)},
                                                                   {QStringLiteral("username"), p.authorName}})},
        {QStringLiteral("title"), hidden ? QString() : p.title},
        {QStringLiteral("tags"), QJsonArray::fromStringList(hidden ? QStringList() : p.tags)},
        {QStringLiteral("state"), p.state},
        {QStringLiteral("pinned"), p.pinned},
        {QStringLiteral("locked"), p.locked},
        {QStringLiteral("score"), p.score},
        {QStringLiteral("upvotes"), p.upvotes},
        {QStringLiteral("downvotes"), p.downvotes},
        {QStringLiteral("commentCount"), p.commentCount},
        {QStringLiteral("revision"), p.revision},
        {QStringLiteral("createdAt"), iso(p.createdAt)},
        {QStringLiteral("editedAt"), isoOrNull(p.editedAt)},
        {QStringLiteral("myVote"), p.myVote},
        {QStringLiteral("bookmarked"), p.bookmarked},
    };
    if (p.state == QLatin1String("removed") && privileged)
        o.insert(QStringLiteral("removedReason"), p.removedReason);
    if (full) {
        o.insert(QStringLiteral("body"), hidden ? QString() : p.body);
        o.insert(QStringLiteral("bodyHtml"), hidden ? QString() : p.bodyHtml);
    } else {
        QString excerpt = hidden ? QString() : p.body.left(280);
        if (!hidden && p.body.size() > 280)
            excerpt += QChar(0x2026);
        o.insert(QStringLiteral("excerpt"), excerpt);
    }
    return o;
}

double hotRank(int score, qint64 createdEpochSeconds)
{
    const double order = std::log10(std::max(std::abs(double(score)), 1.0));
    const double sign = score > 0 ? 1 : (score < 0 ? -1 : 0);
    return sign * order + double(createdEpochSeconds) / 45000.0;
}

} // namespace Content
