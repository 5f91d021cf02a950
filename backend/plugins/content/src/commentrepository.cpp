// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commentrepository.h"

#include "commenttree.h"
#include "sqlarrays.h"

#include "community/json.h"

#include <algorithm>
#include <array>
#include <limits>

using Community::Result;
using Community::Json::fromMicros;

namespace Content {

namespace {

// Literals (no dynamic initialisation): kCommentSelect is kCommentColumns plus the vote.
#define CONTENT_COMMENT_COLUMNS                                                                                          \
    "c.id, c.post_id, coalesce(c.parent_id, 0), c.author_id, coalesce(a.username, ''), c.depth, c.body, c.body_html, " \
    "c.state, coalesce(c.removed_reason, ''), c.score, c.upvotes, c.downvotes, c.reply_count, c.revision, "            \
    "(extract(epoch FROM c.created_at) * 1000000)::bigint, "                                                            \
    "coalesce((extract(epoch FROM c.edited_at) * 1000000)::bigint, 0)"

const char *const kCommentColumns = CONTENT_COMMENT_COLUMNS;
const char *const kCommentSelect =
    "SELECT " CONTENT_COMMENT_COLUMNS
    ", coalesce((SELECT v.value FROM content.comment_votes v WHERE v.comment_id = c.id AND v.user_id = $1), 0) "
    "FROM content.comments c LEFT JOIN content.authors a ON a.user_id = c.author_id";
#undef CONTENT_COMMENT_COLUMNS

constexpr int kCommentColumnCount = 17;

/// The viewer's role in the post's community as an extra column ($1 = viewer).
constexpr const char *kRoleColumn =
    ", (SELECT m.role FROM content.members m WHERE m.community_id = p.community_id AND m.user_id = $1)";

/// Reads kCommentColumns from column `first` and the vote after them.
CommentRow commentFromRow(const pqxx::row &r, int first = 0)
{
    CommentRow c;
    const auto at = [&](int i) { return r[first + i]; };
    const auto text = [&](int i) {
        const pqxx::field f = at(i);
        return QString::fromUtf8(f.c_str(), qsizetype(f.size()));
    };
    c.id = at(0).as<qint64>();
    c.postId = at(1).as<qint64>();
    c.parentId = at(2).as<qint64>();
    c.authorId = at(3).as<qint64>();
    c.authorName = text(4);
    c.depth = at(5).as<int>();
    c.body = text(6);
    c.bodyHtml = text(7);
    c.state = text(8);
    c.removedReason = text(9);
    c.score = at(10).as<int>();
    c.upvotes = at(11).as<int>();
    c.downvotes = at(12).as<int>();
    c.replyCount = at(13).as<int>();
    c.revision = at(14).as<int>();
    c.createdAt = fromMicros(at(15).as<qint64>());
    const qint64 edited = at(16).as<qint64>();
    if (edited != 0)
        c.editedAt = fromMicros(edited);
    c.myVote = at(kCommentColumnCount).as<int>();
    return c;
}

QString text(const pqxx::field &f)
{
    return QString::fromStdString(f.as<std::string>());
}

CommunityRole roleOf(const pqxx::field &f)
{
    return f.is_null() ? CommunityRole::None : communityRoleFromName(f.as<std::string>());
}

/// ORDER BY and the keyset condition on the roots ($7, and $8 for best) of each sort.
struct SortSql {
    const char *order;
    const char *after;
};
constexpr SortSql kSortSql[] = {
    {"c.score DESC, c.id DESC", "(c.score, c.id) < ($7::int, $8::bigint)"},
    {"c.id DESC", "c.id < $7::bigint"},
    {"c.id ASC", "c.id > $7::bigint"},
};

/// The recursive tree statement for a scope and sort. Parameters: $1 anchor (post id for
/// Roots, parent id for Replies, comment id for Single), $2 limit, $3 replies per node,
/// $4 hidden author ids (bigint[]), $5 viewer, $6 rows looked at, $7/$8 keyset
/// (Roots/Replies only). Output: rank, level, kCommentColumns, my vote.
///
/// Up to limit + 1 top-level comments (the extra one tells that there are more), then
/// their replies breadth-first, at most $3 per comment, each level in the sort. The outer
/// LIMIT stops the recursion after $6 rows (PostgreSQL evaluates a WITH query only as far
/// as its reader fetches), so the cost is bounded by the page size, not the thread.
std::string treeSql(TreeScope scope, CommentSort sort)
{
    const SortSql &s = kSortSql[size_t(sort)];
    const std::string cols = "c.id, c.post_id, c.parent_id, c.author_id, c.depth, c.body, c.body_html, c.state, "
                             "c.removed_reason, c.score, c.upvotes, c.downvotes, c.reply_count, c.revision, "
                             "c.created_at, c.edited_at";
    // Deleted/removed comments only as placeholders for their replies; hidden authors never.
    const std::string shown = "(c.state = 'visible' OR EXISTS (SELECT 1 FROM content.comments x WHERE x.parent_id = c.id)) "
                              "AND c.author_id <> ALL ($4::bigint[])";
    const std::string rank = ", row_number() OVER (ORDER BY " + std::string(s.order) + ") - 1 AS rank, 0 AS lvl";
    std::string roots;
    switch (scope) {
    case TreeScope::Roots:
        roots = "SELECT " + cols + rank + " FROM content.comments c WHERE c.post_id = $1 AND c.parent_id IS NULL AND "
                + s.after + " AND " + shown + " ORDER BY " + s.order + " LIMIT $2 + 1";
        break;
    case TreeScope::Replies:
        roots = "SELECT " + cols + rank + " FROM content.comments c WHERE c.parent_id = $1 AND " + s.after + " AND " + shown
                + " ORDER BY " + s.order + " LIMIT $2 + 1";
        break;
    case TreeScope::Single:
        roots = "SELECT " + cols + ", 0::bigint AS rank, 0 AS lvl FROM content.comments c WHERE c.id = $1 AND $2::bigint > 0";
        break;
    }
    return "WITH RECURSIVE tree AS ((" + roots + ") "
           "UNION ALL SELECT k.*, t.rank, t.lvl + 1 FROM tree t CROSS JOIN LATERAL (SELECT " + cols
           + " FROM content.comments c WHERE c.parent_id = t.id AND " + shown + " ORDER BY " + s.order
           + " LIMIT $3) k) "
             "SELECT c.rank, c.lvl, " + kCommentColumns + ", coalesce(v.value, 0) "
             "FROM (SELECT * FROM tree LIMIT $6) c LEFT JOIN content.authors a ON a.user_id = c.author_id "
             "LEFT JOIN content.comment_votes v ON v.comment_id = c.id AND v.user_id = $5";
}

/// Prepared once per connection (same name, same text: libpqxx makes a repeat a no-op),
/// so that the hot path neither parses nor plans.
const std::string &prepared(pqxx::transaction_base &tx, TreeScope scope, CommentSort sort)
{
    static const auto defs = [] {
        std::array<std::array<std::pair<std::string, std::string>, 3>, 3> d;
        for (int sc = 0; sc < 3; ++sc)
            for (int so = 0; so < 3; ++so)
                d[sc][so] = {"content_comment_tree_" + std::to_string(sc) + "_" + std::to_string(so),
                             treeSql(TreeScope(sc), CommentSort(so))};
        return d;
    }();
    const auto &[name, sql] = defs[size_t(scope)][size_t(sort)];
    tx.conn().prepare(name, sql);
    return name;
}

/// The post page's statement: the post (kPostSelect, the viewer's community role) and,
/// when the thread has at most $3 visible comments, every comment row of it (at most
/// $3 + 1), in one round trip. Columns: 23 post columns, role, kCommentColumns, my vote;
/// the post row has the comment columns null and the comment rows the post columns.
/// $1 viewer, $2 post id, $3 flat thread maximum.
const std::string &preparedPage(pqxx::transaction_base &tx)
{
    static const std::string name = "content_post_page";
    static const std::string sql = [] {
        std::string nulls;
        for (int i = 0; i < kPostColumnCount; ++i)
            nulls += "NULL, ";
        std::string noComment;
        for (int i = 0; i <= kCommentColumnCount; ++i)
            noComment += ", NULL";
        return "(" + postSelectWith((std::string(kRoleColumn) + noComment).c_str()) + " WHERE p.id = $2) UNION ALL (SELECT " + nulls
               + "NULL, " + kCommentColumns + ", coalesce(v.value, 0) FROM content.comments c "
               "LEFT JOIN content.authors a ON a.user_id = c.author_id "
               "LEFT JOIN content.comment_votes v ON v.comment_id = c.id AND v.user_id = $1 "
               "WHERE c.post_id = $2 AND (SELECT p.comment_count FROM content.posts p WHERE p.id = $2) <= $3 LIMIT $3 + 1)";
    }();
    tx.conn().prepare(name, sql);
    return name;
}

} // namespace

std::vector<Candidate> CommentRepository::treeCandidates(const TreeQuery &q)
{
    const std::string &stmt = prepared(m_tx, q.scope, q.sort);
    const int perNode = repliesPerNode(q.limit);
    const int cap = candidateRows(q.limit);
    const std::string hidden = idArrayLiteral(q.hidden);
    pqxx::result rows;
    if (q.scope == TreeScope::Single) {
        rows = m_tx.exec_prepared(stmt, q.anchor, q.limit, perNode, hidden, q.viewer, cap);
    } else if (q.sort == CommentSort::Best) {
        const qint64 score = q.after ? (*q.after)[0] : std::numeric_limits<int>::max();
        const qint64 id = q.after ? (*q.after)[1] : std::numeric_limits<qint64>::max();
        rows = m_tx.exec_prepared(stmt, q.anchor, q.limit, perNode, hidden, q.viewer, cap,
                                int(std::clamp<qint64>(score, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())),
                                id);
    } else {
        const qint64 id = q.after ? (*q.after)[0] : (q.sort == CommentSort::New ? std::numeric_limits<qint64>::max() : 0);
        rows = m_tx.exec_prepared(stmt, q.anchor, q.limit, perNode, hidden, q.viewer, cap, id);
    }
    std::vector<Candidate> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.push_back({commentFromRow(r, 2), r[0].as<int>(), r[1].as<int>()});
    return out;
}

Result<CommentRow> CommentRepository::load(qint64 commentId, qint64 viewerId, bool lock)
{
    static const std::string plain = std::string(kCommentSelect) + " WHERE c.id = $2";
    static const std::string locked = plain + " FOR NO KEY UPDATE OF c";
    const char *name = lock ? "content_comment_load_locked" : "content_comment_load";
    m_tx.conn().prepare(name, lock ? locked : plain);
    const auto rows = m_tx.exec_prepared(name, viewerId, commentId);
    if (rows.empty())
        return tl::unexpected(Community::notFound(QStringLiteral("No such comment.")));
    return commentFromRow(rows[0]);
}

std::optional<CommentedPost> CommentRepository::lockPost(qint64 postId)
{
    m_tx.conn().prepare("content_comment_post", "SELECT community_id, state, locked, author_id FROM content.posts "
                                                "WHERE id = $1 FOR NO KEY UPDATE");
    const auto rows = m_tx.exec_prepared("content_comment_post", postId);
    if (rows.empty())
        return std::nullopt;
    return CommentedPost{rows[0][0].as<qint64>(), text(rows[0][1]), rows[0][2].as<bool>(), rows[0][3].as<qint64>()};
}

std::optional<ParentComment> CommentRepository::lockParent(qint64 parentId)
{
    const auto rows = m_tx.exec_params("SELECT post_id, depth, state, author_id FROM content.comments "
                                       "WHERE id = $1 FOR NO KEY UPDATE",
                                       parentId);
    if (rows.empty())
        return std::nullopt;
    return ParentComment{rows[0][0].as<qint64>(), rows[0][1].as<int>(), text(rows[0][2]), rows[0][3].as<qint64>()};
}

qint64 CommentRepository::insert(const NewComment &c)
{
    // One prepared statement writes the comment, moves both counters and keeps the
    // author copy (the hot write path: each round trip costs both processes CPU). The
    // author copy takes no row lock unless the name changed (see AuthorRepository). The
    // id is drawn first so that the path (root .. this comment) is written at once.
    m_tx.conn().prepare("content_comment_insert",
        "WITH renamed AS (UPDATE content.authors SET username = $7 WHERE user_id = $3 AND username <> $7), "
        "author AS (INSERT INTO content.authors (user_id, username) VALUES ($3, $7) "
        "  ON CONFLICT (user_id) DO NOTHING), "
        "n AS (SELECT nextval(pg_get_serial_sequence('content.comments', 'id')) AS id), "
        "ins AS (INSERT INTO content.comments (id, post_id, parent_id, author_id, depth, path, body, body_html) "
        "  OVERRIDING SYSTEM VALUE "
        "  SELECT n.id, $1, NULLIF($2, 0::bigint), $3, $4, "
        "  coalesce((SELECT p.path FROM content.comments p WHERE p.id = NULLIF($2, 0::bigint)), '{}'::bigint[]) || n.id, "
        "  $5, $6 FROM n RETURNING id), "
        "counted AS (UPDATE content.posts SET comment_count = comment_count + 1 WHERE id = $1), "
        "replied AS (UPDATE content.comments SET reply_count = reply_count + 1 WHERE id = NULLIF($2, 0::bigint)) "
        "SELECT id FROM ins");
    const auto rows = m_tx.exec_prepared("content_comment_insert", c.postId, c.parentId, c.authorId, c.depth,
                                         c.body.toStdString(), c.html.toStdString(), c.authorName.toStdString());
    return rows[0][0].as<qint64>();
}

Result<CommentTarget> CommentRepository::lockTarget(qint64 commentId, qint64 viewerId, bool lockPost)
{
    const auto post = m_tx.exec_params(std::string("SELECT p.community_id, p.author_id, p.state, p.locked FROM content.posts p "
                                                   "WHERE p.id = (SELECT c.post_id FROM content.comments c WHERE c.id = $1)")
                                           + (lockPost ? " FOR NO KEY UPDATE" : ""),
                                       commentId);
    if (post.empty())
        return tl::unexpected(Community::notFound(QStringLiteral("No such comment.")));
    auto comment = load(commentId, viewerId, true);
    if (!comment)
        return tl::unexpected(comment.error());
    return CommentTarget{std::move(*comment), post[0][0].as<qint64>(), post[0][1].as<qint64>(), text(post[0][2]),
                         post[0][3].as<bool>()};
}

void CommentRepository::edit(qint64 commentId, const QString &body, const QString &html)
{
    m_tx.exec_params("INSERT INTO content.revisions (target_type, target_id, revision, body, editor_id, created_at) "
                     "SELECT 'comment', id, revision, body, author_id, coalesce(edited_at, created_at) "
                     "FROM content.comments WHERE id = $1",
                     commentId);
    m_tx.exec_params("UPDATE content.comments SET body = $2, body_html = $3, revision = revision + 1, edited_at = now() "
                     "WHERE id = $1",
                     commentId, body.toStdString(), html.toStdString());
}

void CommentRepository::setState(qint64 commentId, const QString &state)
{
    m_tx.exec_params("UPDATE content.comments SET state = $2, removed_reason = NULL WHERE id = $1", commentId,
                     state.toStdString());
}

void CommentRepository::remove(qint64 commentId, const QString &reason)
{
    m_tx.exec_params("UPDATE content.comments SET state = 'removed', removed_reason = $2 WHERE id = $1", commentId,
                     reason.toStdString());
}

void CommentRepository::countVisible(const CommentRow &c, int delta)
{
    m_tx.exec_params("UPDATE content.posts SET comment_count = greatest(comment_count + $2, 0) WHERE id = $1", c.postId,
                     delta);
    if (c.parentId)
        m_tx.exec_params("UPDATE content.comments SET reply_count = greatest(reply_count + $2, 0) WHERE id = $1",
                         c.parentId, delta);
}

QList<RevisionRow> CommentRepository::revisions(qint64 commentId)
{
    const auto rows = m_tx.exec_params("SELECT revision, body, (extract(epoch FROM created_at) * 1000000)::bigint "
                                       "FROM content.revisions WHERE target_type = 'comment' AND target_id = $1 "
                                       "ORDER BY revision DESC",
                                       commentId);
    QList<RevisionRow> out;
    for (const auto &r : rows)
        out.append({r[0].as<int>(), QString(), text(r[1]), QStringList(), fromMicros(r[2].as<qint64>())});
    return out;
}

PostPageRows CommentRepository::postPage(qint64 viewer, qint64 postId, int flatMax)
{
    const auto rows = m_tx.exec_prepared(preparedPage(m_tx), viewer, postId, flatMax);
    PostPageRows page;
    page.thread.reserve(rows.size());
    for (const auto &r : rows) {
        if (r[0].is_null()) {
            page.thread.push_back(commentFromRow(r, kPostColumnCount + 1));
        } else {
            page.post = postFromRow(r);
            page.role = roleOf(r[kPostColumnCount]);
        }
    }
    return page;
}

std::optional<ListAnchor> CommentRepository::listAnchor(qint64 viewer, qint64 postId, qint64 parentId)
{
    const auto rows = m_tx.exec_params(
        std::string("SELECT p.community_id") + kRoleColumn
            + ", coalesce((SELECT c.post_id FROM content.comments c WHERE c.id = $3), 0) FROM content.posts p WHERE p.id = $2",
        viewer, postId, parentId);
    if (rows.empty())
        return std::nullopt;
    return ListAnchor{roleOf(rows[0][1]), rows[0][2].as<qint64>()};
}

std::optional<PermalinkPost> CommentRepository::permalinkPost(qint64 viewer, qint64 commentId)
{
    const auto rows = m_tx.exec_params(
        std::string("SELECT p.id, p.community_id, cm.slug, p.title, p.state, p.locked, p.author_id") + kRoleColumn
            + " FROM content.comments c JOIN content.posts p ON p.id = c.post_id "
              "JOIN content.communities cm ON cm.id = p.community_id WHERE c.id = $2",
        viewer, commentId);
    if (rows.empty())
        return std::nullopt;
    const auto &r = rows[0];
    return PermalinkPost{r[0].as<qint64>(), r[1].as<qint64>(), text(r[2]), text(r[3]), text(r[4]),
                         r[5].as<bool>(), r[6].as<qint64>(), roleOf(r[7])};
}

std::optional<CommentHead> CommentRepository::head(qint64 viewer, qint64 commentId)
{
    const auto rows = m_tx.exec_params(std::string("SELECT c.state, c.author_id, c.body, c.revision, "
                                                   "(extract(epoch FROM coalesce(c.edited_at, c.created_at)) * 1000000)::bigint")
                                           + kRoleColumn
                                           + " FROM content.comments c JOIN content.posts p ON p.id = c.post_id WHERE c.id = $2",
                                       viewer, commentId);
    if (rows.empty())
        return std::nullopt;
    const auto &r = rows[0];
    return CommentHead{text(r[0]), r[1].as<qint64>(),
                       RevisionRow{r[3].as<int>(), QString(), text(r[2]), QStringList(), fromMicros(r[4].as<qint64>())},
                       roleOf(r[5])};
}

QList<AuthoredComment> CommentRepository::byAuthor(qint64 viewer, qint64 authorId, const QList<qint64> &hidden,
                                                  qint64 before, int limit)
{
    static const std::string sql =
        "SELECT x.*, p.title, cm.slug FROM (" + std::string(kCommentSelect)
        + " WHERE c.author_id = $2 AND c.state = 'visible' AND ($3::bigint = 0 OR c.id < $3::bigint)"
          " ORDER BY c.id DESC) x JOIN content.posts p ON p.id = x.post_id"
          " JOIN content.communities cm ON cm.id = p.community_id"
          " WHERE p.state = 'visible' AND p.author_id <> ALL ($4::bigint[]) ORDER BY x.id DESC LIMIT $5";
    const pqxx::result rows = m_tx.exec_params(sql, viewer, authorId, before, idArrayLiteral(hidden), limit);
    QList<AuthoredComment> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.append({commentFromRow(r), text(r[kCommentColumnCount + 1]), text(r[kCommentColumnCount + 2])});
    return out;
}

} // namespace Content
