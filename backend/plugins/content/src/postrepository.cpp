// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "postrepository.h"

#include "sqlarrays.h"

#include "community/json.h"

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
    p.createdAt = Community::Json::fromMicros(r[19].as<qint64>());
    const qint64 edited = r[20].as<qint64>();
    if (edited != 0)
        p.editedAt = Community::Json::fromMicros(edited);
    p.myVote = r[21].as<int>();
    p.bookmarked = r[22].as<bool>();
    return p;
}

std::string postSelectWith(const char *extra)
{
    std::string sql = kPostSelect;
    const auto at = sql.find(" FROM content.posts p");
    sql.insert(at, extra);
    return sql;
}

Community::Result<PostRow> PostRepository::load(qint64 postId, qint64 viewerId)
{
    const auto rows = m_tx.exec_params(std::string(kPostSelect) + " WHERE p.id = $2", viewerId, postId);
    if (rows.empty())
        return tl::unexpected(Community::notFound(QStringLiteral("No such post.")));
    return postFromRow(rows[0]);
}

Community::Result<PostRow> PostRepository::lock(qint64 postId, qint64 viewerId)
{
    const auto locked = m_tx.exec_params("SELECT 1 FROM content.posts WHERE id = $1 FOR UPDATE", postId);
    if (locked.empty())
        return tl::unexpected(Community::notFound(QStringLiteral("No such post.")));
    return load(postId, viewerId);
}

qint64 PostRepository::insert(qint64 communityId, qint64 authorId, const QString &title, const QString &body,
                              const QString &html, const QStringList &tags)
{
    const auto row = m_tx.exec_params(
        "INSERT INTO content.posts (community_id, author_id, title, body, body_html, tags, hot) "
        "VALUES ($1, $2, $3, $4, $5, $6::text[], extract(epoch FROM now()) / 45000.0) RETURNING id",
        communityId, authorId, title.toStdString(), body.toStdString(), html.toStdString(), tagsLiteral(tags));
    return row[0][0].as<qint64>();
}

void PostRepository::edit(qint64 postId, const QString &title, const QString &body, const std::optional<QString> &html,
                          const QStringList &tags)
{
    m_tx.exec_params("INSERT INTO content.revisions (target_type, target_id, revision, title, body, tags, editor_id, created_at) "
                     "SELECT 'post', id, revision, title, body, tags, author_id, coalesce(edited_at, created_at) "
                     "FROM content.posts WHERE id = $1",
                     postId);
    m_tx.exec_params("UPDATE content.posts SET title = $2, body = $3, body_html = CASE WHEN $4 THEN $5 ELSE body_html END, "
                     "tags = $6::text[], revision = revision + 1, edited_at = now() WHERE id = $1",
                     postId, title.toStdString(), body.toStdString(), html.has_value(),
                     html.value_or(QString()).toStdString(), tagsLiteral(tags));
}

void PostRepository::setState(qint64 postId, const QString &state)
{
    m_tx.exec_params("UPDATE content.posts SET state = $2, removed_reason = NULL WHERE id = $1", postId, state.toStdString());
}

void PostRepository::remove(qint64 postId, const QString &reason)
{
    m_tx.exec_params("UPDATE content.posts SET state = 'removed', removed_reason = $2 WHERE id = $1", postId,
                     reason.toStdString());
}

void PostRepository::setFlag(qint64 postId, PostFlag flag, bool on)
{
    m_tx.exec_params(flag == PostFlag::Pinned ? "UPDATE content.posts SET pinned = $2 WHERE id = $1"
                                              : "UPDATE content.posts SET locked = $2 WHERE id = $1",
                     postId, on);
}

QList<RevisionRow> PostRepository::revisions(qint64 postId)
{
    const auto rows = m_tx.exec_params(
        "SELECT revision, coalesce(title, ''), body, array_to_string(coalesce(tags, '{}'), ' '), "
        "(extract(epoch FROM created_at) * 1000000)::bigint FROM content.revisions "
        "WHERE target_type = 'post' AND target_id = $1 ORDER BY revision DESC",
        postId);
    QList<RevisionRow> out;
    for (const auto &r : rows) {
        const QString tags = QString::fromStdString(r[3].as<std::string>());
        out.append({r[0].as<int>(), QString::fromStdString(r[1].as<std::string>()),
                    QString::fromStdString(r[2].as<std::string>()),
                    tags.isEmpty() ? QStringList() : tags.split(QLatin1Char(' ')),
                    Community::Json::fromMicros(r[4].as<qint64>())});
    }
    return out;
}

} // namespace Content
