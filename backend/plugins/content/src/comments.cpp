// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Threaded comments and the post page.
//
//   GET    /v1/posts/{id}                      the post page: post + first page of the comment tree
//   POST   /v1/posts/{id}/comments             {body, parentId?}   Idempotency-Key
//   GET    /v1/posts/{id}/comments             ?parentId=&sort=&cursor=&limit= further pages
//   GET    /v1/comments/{id}                   one comment with its replies (permalink)
//   PATCH  /v1/comments/{id}                   {body} author only, old text kept as a revision
//   GET    /v1/comments/{id}/revisions
//   DELETE /v1/comments/{id}                   author: soft delete
//   POST   /v1/comments/{id}/restore           author (deleted) or moderator (removed/deleted)
//   POST   /v1/comments/{id}/remove            {reason?} moderator
//
// Decisions:
// - posts.comment_count and comments.reply_count count *visible* comments (Discourse-like:
//   the number a reader can see). Delete/remove decrement, restore increments, always in
//   the transaction of the change and under the post's row lock, so they stay exact.
// - Every change to a post's comments locks the post row first (FOR NO KEY UPDATE, which
//   does not block the foreign-key locks of concurrent inserts) and then the comment rows:
//   one lock order, no deadlocks, exact counters.
// - Replies are allowed to visible and to deleted comments (the conversation may go on
//   under an author's "[deleted]"), not to removed ones (409 comment-removed). A reply
//   deeper than plugins.content.maxCommentDepth is a 400 on parentId (code too_deep).
// - A locked post refuses comments with 409 post-locked except from the community's
//   moderators; a deleted or removed post refuses them from everyone (409 post-deleted /
//   post-removed); a post that does not exist is 404.
// - Trees: deleted/removed comments that have replies (in any state) stay as placeholders
//   (no author, no text, except for their author and the community's moderators) so the
//   tree holds; without replies they are left out. Comments by authors the viewer
//   blocked, is blocked by or muted are left out together with their replies.
// - The page is bounded: `limit` counts every node (top-level comments and replies).
//   Candidates are up to limit + 1 top-level comments in the sort (keyset), then their
//   replies breadth-first, at most limit/4 (3..50) per comment and each level in the sort,
//   3 x limit rows at most; the page takes candidates in order of (top-level rank +
//   level), which gives the first threads' replies before later threads appear and is
//   closed under parents. "moreReplies" counts a node's visible replies that were cut.
// - The post page is the hot path: one statement reads the post and, for a thread of at
//   most max(50, 2 x limit) (<= 400) comments, all its comment rows, which are shaped
//   here (flatCandidates); larger threads, later pages, replies and permalinks use the
//   recursive statement (treeSql), which stops after 3 x limit rows however large the
//   thread. Both give the same candidates (a test compares them). Statements are prepared
//   once per connection; comment JSON is written as bytes (appendCommentFields).

#include "comments.h"

#include "anoncache.h"
#include "common.h"
#include "permissions.h"
#include "posts.h"
#include "postview.h"
#include "routes.h"

#include "community/contracts/auth.h"
#include "community/contracts/users.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/problem.h"
#include "community/router.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>
#include <numeric>

using namespace Community;
using namespace Community::Http;

namespace Content {

// ---- shared comment view (comments.h) ----------------------------------------------------

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

namespace {
constexpr int kCommentColumnCount = 17;
} // namespace

CommentRow commentFromRow(const pqxx::row &r, int first)
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

Result<CommentRow> loadComment(pqxx::transaction_base &tx, qint64 commentId, qint64 viewerId, bool lock)
{
    static const std::string plain = std::string(kCommentSelect) + " WHERE c.id = $2";
    static const std::string locked = plain + " FOR NO KEY UPDATE OF c";
    const char *name = lock ? "content_comment_load_locked" : "content_comment_load";
    tx.conn().prepare(name, lock ? locked : plain);
    const auto rows = tx.exec_prepared(name, viewerId, commentId);
    if (rows.empty())
        return tl::unexpected(notFound(QStringLiteral("No such comment.")));
    return commentFromRow(rows[0]);
}

namespace {

// The comment JSON is written as bytes: the post page writes up to maxPostPageComments
// of them per request, and building QJsonObjects (sorted inserts into CBOR containers)
// and serialising them cost more than the database work. One writer serves every view.

void appendJsonString(QByteArray &out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    const char *run = utf8.constData();
    const char *const end = run + utf8.size();
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    for (const char *p = run; p < end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;   // copied with its run
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(run, end - run);
    out += '"';
}

void appendNumber(QByteArray &out, qint64 n)
{
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out.append(buf, end - buf);
}

void appendId(QByteArray &out, qint64 id)
{
    out += '"';
    appendNumber(out, id);
    out += '"';
}

/// The same text as iso() (Qt::ISODateWithMs in UTC, "2026-11-24T02:33:45.383Z"),
/// without QDateTime's formatter. Null when invalid.
void appendTime(QByteArray &out, const QDateTime &t)
{
    if (!t.isValid()) {
        out += "null";
        return;
    }
    using namespace std::chrono;
    const qint64 ms = t.toMSecsSinceEpoch();
    const auto day = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
    const year_month_day date(day);
    const qint64 inDay = ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "\"%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ\"", int(date.year()),
                                unsigned(date.month()), unsigned(date.day()), inDay / 3'600'000, inDay / 60'000 % 60,
                                inDay / 1000 % 60, inDay % 1000);
    out.append(buf, n);
}

/// The fields of a comment object, without braces (a tree adds replies after them).
void appendCommentFields(QByteArray &out, const CommentRow &c, bool privileged)
{
    const bool hidden = c.state != QLatin1String("visible") && !privileged;
    out += "\"id\":";
    appendId(out, c.id);
    out += ",\"postId\":";
    appendId(out, c.postId);
    out += ",\"parentId\":";
    if (c.parentId)
        appendId(out, c.parentId);
    else
        out += "null";
    out += ",\"author\":";
    if (hidden) {
        out += "null";
    } else {
        out += "{\"id\":";
        appendId(out, c.authorId);
        out += ",\"username\":";
        appendJsonString(out, c.authorName);
        out += '}';
    }
    out += ",\"body\":";
    appendJsonString(out, hidden ? QString() : c.body);
    out += ",\"bodyHtml\":";
    appendJsonString(out, hidden ? QString() : c.bodyHtml);
    out += ",\"state\":";
    appendJsonString(out, c.state);
    if (c.state == QLatin1String("removed") && privileged) {
        out += ",\"removedReason\":";
        appendJsonString(out, c.removedReason);
    }
    const std::pair<const char *, int> numbers[] = {{",\"depth\":", c.depth},         {",\"score\":", c.score},
                                                    {",\"upvotes\":", c.upvotes},     {",\"downvotes\":", c.downvotes},
                                                    {",\"replyCount\":", c.replyCount}, {",\"revision\":", c.revision},
                                                    {",\"myVote\":", c.myVote}};
    for (const auto &[key, value] : numbers) {
        out += key;
        appendNumber(out, value);
    }
    out += ",\"createdAt\":";
    appendTime(out, c.createdAt);
    out += ",\"editedAt\":";
    appendTime(out, c.editedAt);
}

} // namespace

QJsonObject commentJson(const CommentRow &c, bool privileged)
{
    QByteArray out = "{";
    appendCommentFields(out, c, privileged);
    out += '}';
    return QJsonDocument::fromJson(out).object();
}

std::string postSelectWith(const char *extra)
{
    std::string sql = kPostSelect;
    const auto at = sql.find(" FROM content.posts p");
    sql.insert(at, extra);
    return sql;
}

HttpResponse unavailableProblem(const QString &what, const QString &state, const QString &requestId)
{
    const QString detail = state == QLatin1String("locked")
                               ? QStringLiteral("The post is locked: only moderators can comment.")
                               : QStringLiteral("The %1 was %2.").arg(what, state == QLatin1String("deleted")
                                                                                ? QStringLiteral("deleted by its author")
                                                                                : QStringLiteral("removed by a moderator"));
    return problem(409, what + QLatin1Char('-') + state, QStringLiteral("Conflict"), detail, {}, requestId);
}

// ---- routes ------------------------------------------------------------------------------

namespace {

constexpr int kReasonMax = 500;

enum class Sort { Best, New, Old };
/// Where a tree starts: the post's top-level comments, one comment's replies, or one comment.
enum class Scope { Roots, Replies, Single };

struct SortInfo {
    Sort sort;
    const char *name;
    const char *cursorKind;
    const char *order;
    const char *after;   ///< keyset condition on the roots; $7 (and $8 for best)
};
constexpr std::array<SortInfo, 3> kSorts{{
    {Sort::Best, "best", "tb", "c.score DESC, c.id DESC", "(c.score, c.id) < ($7::int, $8::bigint)"},
    {Sort::New, "new", "tn", "c.id DESC", "c.id < $7::bigint"},
    {Sort::Old, "old", "to", "c.id ASC", "c.id > $7::bigint"},
}};

const SortInfo &sortInfo(Sort s) { return kSorts[size_t(s)]; }

Result<Sort> parseSort(const QString &raw)
{
    if (raw.isEmpty())
        return Sort::Best;
    for (const SortInfo &s : kSorts)
        if (raw == QLatin1String(s.name))
            return s.sort;
    return tl::unexpected(invalidField(QStringLiteral("sort"), QStringLiteral("must be best, new or old"),
                                       QStringLiteral("invalid_choice")));
}

/// The viewer's role in the post's community as an extra column ($1 = viewer).
constexpr const char *kRoleColumn =
    ", (SELECT m.role FROM content.members m WHERE m.community_id = p.community_id AND m.user_id = $1)";

/// Children per comment that a tree page looks at (the rest are counted in moreReplies).
int repliesPerNode(int limit) { return std::clamp(limit / 4, 3, 50); }
/// Rows a tree page looks at: enough to fill it with replies of the first threads.
int candidateRows(int limit) { return 3 * limit; }
/// Threads up to this many comments are read in one index range and shaped here, which
/// is cheaper than one index probe per comment; larger ones take the recursive statement.
int flatThreadMax(int limit) { return std::clamp(2 * limit, 50, 400); }

/// The recursive tree statement for a scope and sort. Parameters: $1 anchor (post id for
/// Roots, parent id for Replies, comment id for Single), $2 limit, $3 replies per node,
/// $4 hidden author ids (bigint[]), $5 viewer, $6 rows looked at, $7/$8 keyset
/// (Roots/Replies only). Output: rank, level, kCommentColumns, my vote.
///
/// Up to limit + 1 top-level comments (the extra one tells that there are more), then
/// their replies breadth-first, at most $3 per comment, each level in the sort. The outer
/// LIMIT stops the recursion after $6 rows (PostgreSQL evaluates a WITH query only as far
/// as its reader fetches), so the cost is bounded by the page size, not the thread.
std::string treeSql(Scope scope, Sort sort)
{
    const SortInfo &s = sortInfo(sort);
    const std::string cols = "c.id, c.post_id, c.parent_id, c.author_id, c.depth, c.body, c.body_html, c.state, "
                             "c.removed_reason, c.score, c.upvotes, c.downvotes, c.reply_count, c.revision, "
                             "c.created_at, c.edited_at";
    // Deleted/removed comments only as placeholders for their replies; hidden authors never.
    const std::string shown = "(c.state = 'visible' OR EXISTS (SELECT 1 FROM content.comments x WHERE x.parent_id = c.id)) "
                              "AND c.author_id <> ALL ($4::bigint[])";
    const std::string rank = ", row_number() OVER (ORDER BY " + std::string(s.order) + ") - 1 AS rank, 0 AS lvl";
    std::string roots;
    switch (scope) {
    case Scope::Roots:
        roots = "SELECT " + cols + rank + " FROM content.comments c WHERE c.post_id = $1 AND c.parent_id IS NULL AND "
                + s.after + " AND " + shown + " ORDER BY " + s.order + " LIMIT $2 + 1";
        break;
    case Scope::Replies:
        roots = "SELECT " + cols + rank + " FROM content.comments c WHERE c.parent_id = $1 AND " + s.after + " AND " + shown
                + " ORDER BY " + s.order + " LIMIT $2 + 1";
        break;
    case Scope::Single:
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
const std::string &prepared(pqxx::transaction_base &tx, Scope scope, Sort sort)
{
    static const auto defs = [] {
        std::array<std::array<std::pair<std::string, std::string>, 3>, 3> d;
        for (int sc = 0; sc < 3; ++sc)
            for (int so = 0; so < 3; ++so)
                d[sc][so] = {"content_comment_tree_" + std::to_string(sc) + "_" + std::to_string(so),
                             treeSql(Scope(sc), Sort(so))};
        return d;
    }();
    const auto &[name, sql] = defs[size_t(scope)][size_t(sort)];
    tx.conn().prepare(name, sql);
    return name;
}

struct TreeQuery {
    Scope scope = Scope::Roots;
    Sort sort = Sort::Best;
    qint64 anchor = 0;
    int limit = 20;
    std::optional<QList<qint64>> after;   ///< keyset of the last top-level node of the previous page
    QList<qint64> hidden;
    qint64 viewer = 0;
    bool moderator = false;               ///< the viewer moderates the community: sees removed text
};

struct TreePage {
    QByteArray nodes = "[]";   ///< JSON array of comment trees
    int count = 0;             ///< top-level nodes in it
    QJsonValue nextCursor = QJsonValue(QJsonValue::Null);
};

/// A comment a page may show: `rank` of its top-level comment, `level` below it.
struct Candidate {
    CommentRow row;
    int rank = 0;
    int level = 0;
};

/// True when comment a comes before b among siblings in the sort.
bool sortsBefore(Sort sort, const CommentRow &a, const CommentRow &b)
{
    switch (sort) {
    case Sort::Best: return a.score != b.score ? a.score > b.score : a.id > b.id;
    case Sort::New: return a.id > b.id;
    case Sort::Old: break;
    }
    return a.id < b.id;
}

std::vector<Candidate> treeCandidates(pqxx::transaction_base &tx, const TreeQuery &q)
{
    const std::string &stmt = prepared(tx, q.scope, q.sort);
    const int perNode = repliesPerNode(q.limit);
    const int cap = candidateRows(q.limit);
    const std::string hidden = idArrayLiteral(q.hidden);
    pqxx::result rows;
    if (q.scope == Scope::Single) {
        rows = tx.exec_prepared(stmt, q.anchor, q.limit, perNode, hidden, q.viewer, cap);
    } else if (q.sort == Sort::Best) {
        const qint64 score = q.after ? (*q.after)[0] : std::numeric_limits<int>::max();
        const qint64 id = q.after ? (*q.after)[1] : std::numeric_limits<qint64>::max();
        rows = tx.exec_prepared(stmt, q.anchor, q.limit, perNode, hidden, q.viewer, cap,
                                int(std::clamp<qint64>(score, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())),
                                id);
    } else {
        const qint64 id = q.after ? (*q.after)[0] : (q.sort == Sort::New ? std::numeric_limits<qint64>::max() : 0);
        rows = tx.exec_prepared(stmt, q.anchor, q.limit, perNode, hidden, q.viewer, cap, id);
    }
    std::vector<Candidate> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.push_back({commentFromRow(r, 2), r[0].as<int>(), r[1].as<int>()});
    return out;
}

/// The same candidates as treeCandidates() for the first page of a post's top-level
/// comments, shaped here from every comment row of a (small) thread.
std::vector<Candidate> flatCandidates(const std::vector<CommentRow> &all, const TreeQuery &q)
{
    QHash<qint64, QList<int>> children;   // parent id (0: top level) -> rows
    for (size_t i = 0; i < all.size(); ++i)
        children[all[i].parentId].append(int(i));
    const auto shown = [&](int i) {
        const CommentRow &c = all[size_t(i)];
        return (c.state == QLatin1String("visible") || children.contains(c.id)) && !q.hidden.contains(c.authorId);
    };
    // Shown children of a parent in the sort, at most `take`.
    const auto pick = [&](qint64 parent, int take) {
        QList<int> kids;
        for (int i : children.value(parent))
            if (shown(i))
                kids.append(i);
        std::sort(kids.begin(), kids.end(), [&](int a, int b) { return sortsBefore(q.sort, all[size_t(a)], all[size_t(b)]); });
        if (kids.size() > take)
            kids.resize(take);
        return kids;
    };
    std::vector<Candidate> out;
    const QList<int> roots = pick(0, q.limit + 1);
    for (int r = 0; r < roots.size(); ++r)
        out.push_back({all[size_t(roots[r])], r, 0});
    const size_t cap = size_t(candidateRows(q.limit));
    const int perNode = repliesPerNode(q.limit);
    for (size_t next = 0; next < out.size() && out.size() < cap; ++next) {   // breadth-first, like the statement
        const Candidate parent = out[next];
        for (int i : pick(parent.row.id, perNode)) {
            if (out.size() >= cap)
                break;
            out.push_back({all[size_t(i)], parent.rank, parent.level + 1});
        }
    }
    return out;
}

/// Chooses the page from the candidates and shapes it: nodes by (rank + level, rank,
/// breadth-first position), at most `limit`, so that every node's parent (one less on
/// both) comes before it and the page is a tree; top-level nodes by rank, siblings in the
/// sort. "moreReplies" counts the visible replies not on the page.
TreePage shapePage(std::vector<Candidate> items, const TreeQuery &q)
{
    int fetchedRoots = 0;
    for (const Candidate &c : items)
        fetchedRoots += c.level == 0;
    // The extra top-level comment only says that there are more.
    std::erase_if(items, [&](const Candidate &c) { return c.rank >= q.limit; });

    // Breadth-first positions (the statement's output order is the planner's business):
    // each level ordered by its parents' positions, then the sort.
    std::vector<size_t> bfs(items.size());
    std::iota(bfs.begin(), bfs.end(), 0);
    std::stable_sort(bfs.begin(), bfs.end(), [&](size_t a, size_t b) { return items[a].level < items[b].level; });
    QHash<qint64, size_t> position;
    std::vector<size_t> pos(items.size(), 0);
    for (size_t from = 0; from < bfs.size();) {
        size_t to = from;
        while (to < bfs.size() && items[bfs[to]].level == items[bfs[from]].level)
            ++to;
        std::sort(bfs.begin() + qsizetype(from), bfs.begin() + qsizetype(to), [&](size_t a, size_t b) {
            if (items[a].level == 0)
                return items[a].rank < items[b].rank;
            const size_t pa = position.value(items[a].row.parentId), pb = position.value(items[b].row.parentId);
            return pa != pb ? pa < pb : sortsBefore(q.sort, items[a].row, items[b].row);
        });
        for (size_t k = from; k < to; ++k) {
            position.insert(items[bfs[k]].row.id, k);
            pos[bfs[k]] = k;
        }
        from = to;
    }
    std::vector<size_t> order(items.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const int ka = items[a].rank + items[a].level, kb = items[b].rank + items[b].level;
        if (ka != kb)
            return ka < kb;
        return items[a].rank != items[b].rank ? items[a].rank < items[b].rank : pos[a] < pos[b];
    });
    if (order.size() > size_t(q.limit))
        order.resize(size_t(q.limit));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pos[a] < pos[b]; });

    QHash<qint64, QList<size_t>> children;
    QList<size_t> top;
    for (size_t i : order) {
        if (items[i].level == 0)
            top.append(i);
        else
            children[items[i].row.parentId].append(i);
    }
    std::function<void(QByteArray &, size_t)> node = [&](QByteArray &out, size_t i) {
        const CommentRow &c = items[i].row;
        const bool privileged = q.moderator || (q.viewer > 0 && c.authorId == q.viewer);
        out += '{';
        appendCommentFields(out, c, privileged);
        out += ",\"replies\":[";
        int shownVisible = 0;
        bool first = true;
        for (size_t k : children.value(c.id)) {
            if (!first)
                out += ',';
            first = false;
            node(out, k);
            shownVisible += items[k].row.state == QLatin1String("visible");
        }
        out += "],\"moreReplies\":";
        appendNumber(out, std::max(0, c.replyCount - shownVisible));
        out += '}';
    };
    TreePage page;
    page.nodes = "[";
    page.nodes.reserve(1024 * qsizetype(order.size() + 1));
    for (size_t i : top) {
        if (page.count++)
            page.nodes += ',';
        node(page.nodes, i);
    }
    page.nodes += ']';
    if (q.scope != Scope::Single && !top.isEmpty() && fetchedRoots > top.size()) {
        const CommentRow &last = items[top.last()].row;
        const QLatin1StringView kind(sortInfo(q.sort).cursorKind);
        page.nextCursor = q.sort == Sort::Best ? encodeCursor(kind, {last.score, last.id}) : encodeCursor(kind, {last.id});
    }
    return page;
}

TreePage loadTree(pqxx::transaction_base &tx, const TreeQuery &q)
{
    return shapePage(treeCandidates(tx, q), q);
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
        for (int i = 0; i < 23; ++i)
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

/// 200 with `envelope` plus one member whose JSON is already written (`raw`).
HttpResponse withRawMember(const QJsonObject &envelope, const char *key, const QByteArray &raw)
{
    QByteArray body = QJsonDocument(envelope).toJson(QJsonDocument::Compact);
    body.chop(1);   // the closing brace
    body.reserve(body.size() + raw.size() + 32);
    if (body.size() > 1)
        body += ',';
    body += '"';
    body += key;
    body += "\":";
    body += raw;
    body += '}';
    return HttpResponse::text(200, body, "application/json");
}

/// The viewer's hidden authors, asked outside any transaction (the users plugin uses the
/// database too and must not wait for a connection we hold).
Result<QList<qint64>> hiddenFor(ContentContext &ctx, qint64 viewer)
{
    if (viewer <= 0)
        return QList<qint64>{};
    auto rel = ctx.relations.relationsOf(viewer);
    if (!rel)
        return tl::unexpected(rel.error());
    return rel->hidden;
}

bool roleModerates(const Principal &who, qint64 viewer, const pqxx::field &role)
{
    if (viewer <= 0)
        return false;
    if (who.hasRole(Role::Moderator))
        return true;
    const std::string r = role.is_null() ? std::string() : role.as<std::string>();
    return r == "moderator" || r == "owner";
}

struct ListParams {
    Sort sort = Sort::Best;
    int limit = 20;
    std::optional<QList<qint64>> after;
};

/// sort, limit and (when `withCursor`) cursor from the query; InvalidArgument otherwise.
Result<ListParams> parseListParams(const HttpRequest &req, const ContentConfig &cfg, bool withCursor)
{
    ListParams p;
    auto sort = parseSort(req.query.queryItemValue(QStringLiteral("sort")));
    if (!sort)
        return tl::unexpected(sort.error());
    p.sort = *sort;
    auto limit = parseLimit(req.query.queryItemValue(QStringLiteral("limit")), cfg.postPageComments, cfg.maxPostPageComments);
    if (!limit)
        return tl::unexpected(limit.error());
    p.limit = *limit;
    const QString cursor = withCursor ? req.query.queryItemValue(QStringLiteral("cursor")) : QString();
    if (!cursor.isEmpty()) {
        p.after = decodeCursor(QLatin1StringView(sortInfo(p.sort).cursorKind), cursor, p.sort == Sort::Best ? 2 : 1);
        if (!p.after)
            return tl::unexpected(invalidField(QStringLiteral("cursor"),
                                               QStringLiteral("is not a valid cursor for this sort"), QStringLiteral("invalid")));
    }
    return p;
}

/// A comment and what decides who may change it. Locks the post row first when
/// `lockPost` (every change of the post's counters does), then the comment row.
struct CommentTarget {
    CommentRow comment;
    qint64 communityId = 0;
    qint64 postAuthorId = 0;
    QString postState;
    bool postLocked = false;
};

Result<CommentTarget> lockCommentTarget(pqxx::work &tx, qint64 id, qint64 viewer, bool lockPost)
{
    const auto post = tx.exec_params(std::string("SELECT p.community_id, p.author_id, p.state, p.locked FROM content.posts p "
                                                 "WHERE p.id = (SELECT c.post_id FROM content.comments c WHERE c.id = $1)")
                                         + (lockPost ? " FOR NO KEY UPDATE" : ""),
                                     id);
    if (post.empty())
        return tl::unexpected(notFound(QStringLiteral("No such comment.")));
    auto comment = loadComment(tx, id, viewer, true);
    if (!comment)
        return tl::unexpected(comment.error());
    CommentTarget t;
    t.comment = *comment;
    t.communityId = post[0][0].as<qint64>();
    t.postAuthorId = post[0][1].as<qint64>();
    t.postState = QString::fromStdString(post[0][2].as<std::string>());
    t.postLocked = post[0][3].as<bool>();
    return t;
}

/// Moves the visible-comment counters of the post and of the parent by `delta`.
void countVisible(pqxx::work &tx, const CommentRow &c, int delta)
{
    tx.exec_params("UPDATE content.posts SET comment_count = greatest(comment_count + $2, 0) WHERE id = $1", c.postId, delta);
    if (c.parentId)
        tx.exec_params("UPDATE content.comments SET reply_count = greatest(reply_count + $2, 0) WHERE id = $1", c.parentId,
                       delta);
}

QJsonObject commentEventPayload(const CommentRow &c, qint64 communityId)
{
    return QJsonObject{
        {QStringLiteral("commentId"), idString(c.id)},
        {QStringLiteral("postId"), idString(c.postId)},
        {QStringLiteral("communityId"), idString(communityId)},
        {QStringLiteral("parentId"), c.parentId ? QJsonValue(idString(c.parentId)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("authorId"), idString(c.authorId)},
        {QStringLiteral("authorName"), c.authorName},
        {QStringLiteral("body"), c.body},
        {QStringLiteral("depth"), c.depth},
        {QStringLiteral("state"), c.state},
        {QStringLiteral("revision"), c.revision},
        {QStringLiteral("createdAt"), iso(c.createdAt)},
        {QStringLiteral("editedAt"), isoOrNull(c.editedAt)},
    };
}

Result<void> publishComment(pqxx::transaction_base &tx, ContentContext &ctx, const QString &type, const CommentRow &c,
                            qint64 communityId, const QJsonObject &extra = {})
{
    QJsonObject payload = commentEventPayload(c, communityId);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        payload.insert(it.key(), it.value());
    auto r = ctx.events.publish(tx, type, QStringLiteral("post:%1").arg(c.postId), payload);
    if (!r)
        return tl::unexpected(r.error());
    return {};
}

QJsonObject mentionSource(const CommentRow &c, const Principal &who)
{
    return QJsonObject{{QStringLiteral("targetType"), QStringLiteral("comment")},
                       {QStringLiteral("postId"), idString(c.postId)},
                       {QStringLiteral("commentId"), idString(c.id)},
                       {QStringLiteral("authorId"), idString(who.userId)},
                       {QStringLiteral("authorName"), who.username}};
}

/// An id in a JSON body: a decimal string (ids travel as strings) or a positive integer.
std::optional<qint64> jsonId(const QJsonValue &v)
{
    if (v.isString())
        return parseId(v.toString());
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d >= 1 && d <= 9007199254740991.0 && d == double(qint64(d)))
            return qint64(d);
    }
    return std::nullopt;
}

struct CommentInput {
    QString body;
    qint64 parentId = 0;
};

Result<CommentInput> parseCommentInput(const QJsonObject &body, const ContentConfig &cfg, bool create)
{
    QList<FieldError> errors;
    CommentInput in;
    in.body = requireText(body, QStringLiteral("body"), cfg.commentMax, true, errors);
    if (!in.body.isEmpty() && in.body.toUtf8().size() > cfg.markdown.maxInputBytes)
        errors.append({QStringLiteral("body"), QStringLiteral("must be at most %1 bytes").arg(cfg.markdown.maxInputBytes),
                       QStringLiteral("too_long")});
    const QJsonValue parent = body.value(QStringLiteral("parentId"));
    if (create && !parent.isUndefined() && !parent.isNull()) {
        const auto id = jsonId(parent);
        if (!id)
            errors.append({QStringLiteral("parentId"), QStringLiteral("must be a comment id"), QStringLiteral("invalid")});
        else
            in.parentId = *id;
    }
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != QLatin1String("body") && !(create && it.key() == QLatin1String("parentId")))
            errors.append({it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown_field")});
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    return in;
}

HttpResponse commentResponse(int status, const CommentRow &c)
{
    return HttpResponse::json(status, commentJson(c, true));
}

std::optional<qint64> pathId(const HttpRequest &req, const Responder &res, const char *what)
{
    const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
    if (!id)
        sendError(req, res, notFound(QStringLiteral("No such %1.").arg(QLatin1String(what))));
    return id;
}

// ---- handlers ----------------------------------------------------------------------------

/// The path id and list parameters of a tree read; answers the error itself (nullopt).
struct TreeRequest {
    qint64 id = 0;
    ListParams params;
};

std::optional<TreeRequest> treeRequest(ContentContext *c, HttpRequest &req, const Responder &res, const char *kind,
                                       bool withCursor)
{
    const auto id = pathId(req, res, kind);
    if (!id)
        return std::nullopt;
    auto params = parseListParams(req, c->config, withCursor);
    if (!params) {
        sendError(req, res, params.error());
        return std::nullopt;
    }
    return TreeRequest{*id, *params};
}

/// Runs a tree read on a worker: the viewer's hidden authors first (outside any
/// transaction), then `read` in one autocommit read.
void respondTreeRead(ContentContext *c, const HttpRequest &req, const Responder &res, qint64 viewer,
                     std::function<Result<HttpResponse>(pqxx::nontransaction &, const QList<qint64> &)> read)
{
    c->db.respondWith(req, res, [c, viewer, read = std::move(read)]() -> Result<HttpResponse> {
        auto hidden = hiddenFor(*c, viewer);
        if (!hidden)
            return tl::unexpected(hidden.error());
        return c->db.read<HttpResponse>([&](pqxx::nontransaction &tx) { return read(tx, *hidden); });
    });
}

TreeQuery treeQuery(Scope scope, const ListParams &p, qint64 anchor, const QList<qint64> &hidden, qint64 viewer,
                    bool moderator)
{
    TreeQuery q;
    q.scope = scope;
    q.sort = p.sort;
    q.anchor = anchor;
    q.limit = p.limit;
    q.hidden = hidden;
    q.viewer = viewer;
    q.moderator = moderator;
    return q;
}

void postPage(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto t = treeRequest(c, req, res, "post", false);
    if (!t)
        return;
    const Principal who = req.principal;
    const qint64 viewer = viewerOf(who);
    respondTreeRead(c, req, res, viewer, [who, viewer, id = t->id, p = t->params](pqxx::nontransaction &tx,
                                                                                  const QList<qint64> &hidden) -> Result<HttpResponse> {
        const int flatMax = flatThreadMax(p.limit);
        const auto rows = tx.exec_prepared(preparedPage(tx), viewer, id, flatMax);
        std::optional<PostRow> post;
        bool moderator = false;
        std::vector<CommentRow> thread;
        thread.reserve(rows.size());
        for (const auto &r : rows) {
            if (r[0].is_null()) {
                thread.push_back(commentFromRow(r, 24));
            } else {
                post = postFromRow(r);
                moderator = roleModerates(who, viewer, r[23]);
            }
        }
        if (!post)
            return tl::unexpected(notFound(QStringLiteral("No such post.")));
        const TreeQuery q = treeQuery(Scope::Roots, p, id, hidden, viewer, moderator);
        // A small thread came with the post; a large one takes the bounded recursive statement.
        const bool flat = post->commentCount <= flatMax && int(thread.size()) <= flatMax;
        const TreePage page = flat ? shapePage(flatCandidates(thread, q), q) : loadTree(tx, q);
        const bool privileged = moderator || (viewer > 0 && viewer == post->authorId);
        return withRawMember(QJsonObject{{QStringLiteral("post"), postJson(*post, true, privileged)},
                                         {QStringLiteral("nextCursor"), page.nextCursor},
                                         {QStringLiteral("sort"), QLatin1String(sortInfo(p.sort).name)}},
                             "comments", page.nodes);
    });
}

void listComments(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto t = treeRequest(c, req, res, "post", true);
    if (!t)
        return;
    qint64 parentId = 0;
    const QString parentText = req.query.queryItemValue(QStringLiteral("parentId"));
    if (!parentText.isEmpty()) {
        const auto parsed = parseId(parentText);
        if (!parsed) {
            sendError(req, res, invalidField(QStringLiteral("parentId"), QStringLiteral("must be a comment id"),
                                             QStringLiteral("invalid")));
            return;
        }
        parentId = *parsed;
    }
    const Principal who = req.principal;
    const qint64 viewer = viewerOf(who);
    respondTreeRead(c, req, res, viewer, [who, viewer, parentId, id = t->id, p = t->params](
                                             pqxx::nontransaction &tx, const QList<qint64> &hidden) -> Result<HttpResponse> {
        const auto rows = tx.exec_params(
            std::string("SELECT p.community_id") + kRoleColumn
                + ", coalesce((SELECT c.post_id FROM content.comments c WHERE c.id = $3), 0) FROM content.posts p WHERE p.id = $2",
            viewer, id, parentId);
        if (rows.empty())
            return tl::unexpected(notFound(QStringLiteral("No such post.")));
        if (parentId && rows[0][2].as<qint64>() != id)
            return tl::unexpected(notFound(QStringLiteral("No such comment on this post.")));
        TreeQuery q = treeQuery(parentId ? Scope::Replies : Scope::Roots, p, parentId ? parentId : id, hidden, viewer,
                                roleModerates(who, viewer, rows[0][1]));
        q.after = p.after;
        const TreePage page = loadTree(tx, q);
        return withRawMember(QJsonObject{
            {QStringLiteral("nextCursor"), page.nextCursor},
            {QStringLiteral("sort"), QLatin1String(sortInfo(p.sort).name)},
            {QStringLiteral("parentId"), parentId ? QJsonValue(idString(parentId)) : QJsonValue(QJsonValue::Null)}},
            "items", page.nodes);
    });
}

void getComment(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto t = treeRequest(c, req, res, "comment", false);
    if (!t)
        return;
    const Principal who = req.principal;
    const qint64 viewer = viewerOf(who);
    respondTreeRead(c, req, res, viewer, [who, viewer, id = t->id, p = t->params](pqxx::nontransaction &tx,
                                                                                  const QList<qint64> &hidden) -> Result<HttpResponse> {
        const auto rows = tx.exec_params(
            std::string("SELECT p.id, p.community_id, cm.slug, p.title, p.state, p.locked, p.author_id") + kRoleColumn
                + " FROM content.comments c JOIN content.posts p ON p.id = c.post_id "
                  "JOIN content.communities cm ON cm.id = p.community_id WHERE c.id = $2",
            viewer, id);
        if (rows.empty())
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        const auto &r = rows[0];
        const bool moderator = roleModerates(who, viewer, r[7]);
        const TreeQuery q = treeQuery(Scope::Single, p, id, hidden, viewer, moderator);
        const TreePage page = loadTree(tx, q);
        if (page.count == 0)
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        const QString postState = QString::fromStdString(r[4].as<std::string>());
        const bool postHidden = postState != QLatin1String("visible") && !moderator && viewer != r[6].as<qint64>();
        const QJsonObject post{
            {QStringLiteral("id"), idString(r[0].as<qint64>())},
            {QStringLiteral("community"), QJsonObject{{QStringLiteral("id"), idString(r[1].as<qint64>())},
                                                      {QStringLiteral("slug"), QString::fromStdString(r[2].as<std::string>())}}},
            {QStringLiteral("title"), postHidden ? QString() : QString::fromStdString(r[3].as<std::string>())},
            {QStringLiteral("state"), postState},
            {QStringLiteral("locked"), r[5].as<bool>()},
        };
        return withRawMember(QJsonObject{{QStringLiteral("post"), post},
                                         {QStringLiteral("sort"), QLatin1String(sortInfo(p.sort).name)}},
                             "comment", page.nodes.mid(1, page.nodes.size() - 2));   // the one tree, unwrapped
    });
}

void createComment(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto postId = pathId(req, res, "post");
    if (!postId)
        return;
    auto body = jsonBody(req, res);
    if (!body)
        return;
    auto key = idempotencyKey(req);
    if (!key) {
        sendError(req, res, key.error());
        return;
    }
    auto input = parseCommentInput(*body, c->config, true);
    if (!input) {
        sendError(req, res, input.error());
        return;
    }
    const Principal who = req.principal;
    const QString requestId = req.requestId;
    c->db.respondWith(req, res, [c, who, requestId, postId = *postId, in = *input, key = *key]() -> Result<HttpResponse> {
        // Render and resolve mentions before the transaction (CPU and directory calls).
        auto prepared = prepareBody(*c, in.body, who.userId);
        if (!prepared)
            return tl::unexpected(prepared.error());
        const RenderedMarkdown *rendered = &prepared->rendered;
        const QList<Contracts::UserRecord> *mentioned = &prepared->mentioned;
        return c->db.transact<HttpResponse>([&](pqxx::work &tx) {
            return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
                // Every check comes before the first write: a refusal writes nothing.
                tx.conn().prepare("content_comment_post", "SELECT community_id, state, locked, author_id FROM content.posts "
                                                          "WHERE id = $1 FOR NO KEY UPDATE");
                const auto post = tx.exec_prepared("content_comment_post", postId);
                if (post.empty())
                    return tl::unexpected(notFound(QStringLiteral("No such post.")));
                const qint64 communityId = post[0][0].as<qint64>();
                const QString postState = QString::fromStdString(post[0][1].as<std::string>());
                if (postState != QLatin1String("visible"))
                    return unavailableProblem(QStringLiteral("post"), postState, requestId);
                if (post[0][2].as<bool>() && !moderates(tx, who, communityId))
                    return unavailableProblem(QStringLiteral("post"), QStringLiteral("locked"), requestId);
                int depth = 0;
                qint64 parentAuthor = 0;
                if (in.parentId) {
                    const auto parent = tx.exec_params("SELECT post_id, depth, state, author_id FROM content.comments "
                                                       "WHERE id = $1 FOR NO KEY UPDATE",
                                                       in.parentId);
                    if (parent.empty())
                        return tl::unexpected(invalidField(QStringLiteral("parentId"), QStringLiteral("no such comment"),
                                                           QStringLiteral("not_found")));
                    if (parent[0][0].as<qint64>() != postId)
                        return tl::unexpected(invalidField(QStringLiteral("parentId"),
                                                           QStringLiteral("the comment belongs to another post"),
                                                           QStringLiteral("not_in_post")));
                    depth = parent[0][1].as<int>() + 1;
                    if (depth > c->config.maxCommentDepth)
                        return tl::unexpected(invalidField(
                            QStringLiteral("parentId"),
                            QStringLiteral("replies may nest at most %1 levels deep").arg(c->config.maxCommentDepth),
                            QStringLiteral("too_deep")));
                    if (parent[0][2].as<std::string>() == "removed")
                        return unavailableProblem(QStringLiteral("comment"), QStringLiteral("removed"), requestId);
                    parentAuthor = parent[0][3].as<qint64>();
                }
                // One prepared statement writes the comment, moves both counters and keeps the
                // author copy (the hot write path: each round trip costs both processes CPU).
                // The author copy takes no row lock unless the name changed (see rememberAuthor).
                // The id is drawn first so that the path (root .. this comment) is written at once.
                tx.conn().prepare("content_comment_insert",
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
                const auto inserted = tx.exec_prepared("content_comment_insert", postId, in.parentId, who.userId, depth,
                                                       in.body.toStdString(), rendered->html.toStdString(),
                                                       who.username.toStdString());
                const qint64 id = inserted[0][0].as<qint64>();
                auto comment = loadComment(tx, id, who.userId);
                if (!comment)
                    return tl::unexpected(comment.error());
                // Who to tell about the reply travels with the event (no call back into content).
                const QJsonObject extra{
                    {QStringLiteral("postAuthorId"), idString(post[0][3].as<qint64>())},
                    {QStringLiteral("parentAuthorId"), parentAuthor ? QJsonValue(idString(parentAuthor)) : QJsonValue(QJsonValue::Null)}};
                if (auto p = publishComment(tx, *c, QStringLiteral("content.comment.created"), *comment, communityId, extra); !p)
                    return tl::unexpected(p.error());
                if (auto m = publishMentions(tx, *c, *mentioned, mentionSource(*comment, who)); !m)
                    return tl::unexpected(m.error());
                HttpResponse resp = commentResponse(201, *comment);
                resp.setHeader("Location", QStringLiteral("/v1/comments/%1").arg(id).toUtf8());
                return resp;
            });
        });
    });
}

void editComment(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, res, "comment");
    if (!id)
        return;
    auto body = jsonBody(req, res);
    if (!body)
        return;
    auto input = parseCommentInput(*body, c->config, false);
    if (!input) {
        sendError(req, res, input.error());
        return;
    }
    const Principal who = req.principal;
    const QString requestId = req.requestId;
    c->db.respondWith(req, res, [c, who, requestId, id = *id, in = *input]() -> Result<HttpResponse> {
        // Render and resolve mentions before the transaction (CPU and directory calls).
        auto prepared = prepareBody(*c, in.body, who.userId);
        if (!prepared)
            return tl::unexpected(prepared.error());
        const RenderedMarkdown *rendered = &prepared->rendered;
        const QList<Contracts::UserRecord> *mentioned = &prepared->mentioned;
        return c->db.transact<HttpResponse>([&](pqxx::work &tx) -> Result<HttpResponse> {
            auto target = lockCommentTarget(tx, id, who.userId, false);
            if (!target)
                return tl::unexpected(target.error());
            const CommentRow &old = target->comment;
            if (old.authorId != who.userId)
                return tl::unexpected(forbidden(QStringLiteral("Only the author can edit a comment.")));
            if (old.state != QLatin1String("visible"))
                return unavailableProblem(QStringLiteral("comment"), old.state, requestId);
            if (old.body == in.body)
                return commentResponse(200, old);   // nothing changed: no revision, no event
            tx.exec_params("INSERT INTO content.revisions (target_type, target_id, revision, body, editor_id, created_at) "
                           "SELECT 'comment', id, revision, body, author_id, coalesce(edited_at, created_at) "
                           "FROM content.comments WHERE id = $1",
                           id);
            tx.exec_params("UPDATE content.comments SET body = $2, body_html = $3, revision = revision + 1, edited_at = now() "
                           "WHERE id = $1",
                           id, in.body.toStdString(), rendered->html.toStdString());
            auto updated = loadComment(tx, id, who.userId);
            if (!updated)
                return tl::unexpected(updated.error());
            if (auto p = publishComment(tx, *c, QStringLiteral("content.comment.edited"), *updated, target->communityId); !p)
                return tl::unexpected(p.error());
            // Only people newly mentioned by this revision hear about it.
            if (auto m = publishMentions(tx, *c, newlyMentioned(*c, old.body, *mentioned), mentionSource(*updated, who)); !m)
                return tl::unexpected(m.error());
            return commentResponse(200, *updated);
        });
    });
}

void commentRevisions(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, res, "comment");
    if (!id)
        return;
    const Principal who = req.principal;
    const qint64 viewer = viewerOf(who);
    c->db.respondRead(req, res, [who, viewer, id = *id](pqxx::nontransaction &tx) -> Result<HttpResponse> {
        const auto rows = tx.exec_params(std::string("SELECT c.state, c.author_id, c.body, c.revision, "
                                                     "(extract(epoch FROM coalesce(c.edited_at, c.created_at)) * 1000000)::bigint")
                                             + kRoleColumn
                                             + " FROM content.comments c JOIN content.posts p ON p.id = c.post_id WHERE c.id = $2",
                                         viewer, id);
        if (rows.empty())
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        const auto &r = rows[0];
        const bool privileged = roleModerates(who, viewer, r[5]) || (viewer > 0 && viewer == r[1].as<qint64>());
        if (r[0].as<std::string>() != "visible" && !privileged)
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        QJsonArray items;
        items.append(QJsonObject{{QStringLiteral("revision"), r[3].as<int>()},
                                 {QStringLiteral("body"), QString::fromStdString(r[2].as<std::string>())},
                                 {QStringLiteral("current"), true},
                                 {QStringLiteral("createdAt"), iso(fromMicros(r[4].as<qint64>()))}});
        const auto revs = tx.exec_params("SELECT revision, body, (extract(epoch FROM created_at) * 1000000)::bigint "
                                         "FROM content.revisions WHERE target_type = 'comment' AND target_id = $1 "
                                         "ORDER BY revision DESC",
                                         id);
        for (const auto &row : revs)
            items.append(QJsonObject{{QStringLiteral("revision"), row[0].as<int>()},
                                     {QStringLiteral("body"), QString::fromStdString(row[1].as<std::string>())},
                                     {QStringLiteral("current"), false},
                                     {QStringLiteral("createdAt"), iso(fromMicros(row[2].as<qint64>()))}});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("commentId"), idString(id)},
                                                   {QStringLiteral("items"), items}});
    });
}

/// Author delete (deleting) or restore (author for deleted, moderators for removed/deleted).
void authorState(ContentContext *c, bool deleting, HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, res, "comment");
    if (!id)
        return;
    const Principal who = req.principal;
    const QString requestId = req.requestId;
    c->db.respond(req, res, [c, who, requestId, deleting, id = *id](pqxx::work &tx) -> Result<HttpResponse> {
        auto target = lockCommentTarget(tx, id, who.userId, true);
        if (!target)
            return tl::unexpected(target.error());
        const CommentRow &cm = target->comment;
        const bool author = cm.authorId == who.userId;
        if (deleting && !author)
            return tl::unexpected(forbidden(QStringLiteral("Only the author can delete a comment; moderators remove it.")));
        if (!deleting) {
            // Authors restore what they deleted; removed comments only come back by a moderator.
            const bool allowed = (author && cm.state == QLatin1String("deleted")) || moderates(tx, who, target->communityId);
            if (!allowed)
                return tl::unexpected(forbidden(QStringLiteral("You cannot restore this comment.")));
        }
        const QString wanted = deleting ? QStringLiteral("deleted") : QStringLiteral("visible");
        if (cm.state == wanted)
            return commentResponse(200, cm);
        if (deleting && cm.state == QLatin1String("removed"))
            return unavailableProblem(QStringLiteral("comment"), cm.state, requestId);
        tx.exec_params("UPDATE content.comments SET state = $2, removed_reason = NULL WHERE id = $1", id, wanted.toStdString());
        countVisible(tx, cm, deleting ? -1 : 1);
        auto updated = loadComment(tx, id, who.userId);
        if (!updated)
            return tl::unexpected(updated.error());
        const QString type = deleting ? QStringLiteral("content.comment.deleted") : QStringLiteral("content.comment.restored");
        if (auto p = publishComment(tx, *c, type, *updated, target->communityId, {{QStringLiteral("actorId"), idString(who.userId)}}); !p)
            return tl::unexpected(p.error());
        return commentResponse(200, *updated);
    });
}

void removeComment(ContentContext *c, HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, res, "comment");
    if (!id)
        return;
    QJsonObject body;
    if (!req.body.isEmpty()) {
        auto parsed = jsonBody(req, res);
        if (!parsed)
            return;
        body = *parsed;
    }
    QList<FieldError> errors;
    bool present = false;
    const QString reason = optionalText(body, QStringLiteral("reason"), kReasonMax, true, true, &present, errors);
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != QLatin1String("reason"))
            errors.append({it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown_field")});
    if (!errors.isEmpty()) {
        sendError(req, res, invalidFields(errors));
        return;
    }
    const Principal who = req.principal;
    c->db.respond(req, res, [c, who, reason, id = *id](pqxx::work &tx) -> Result<HttpResponse> {
        auto target = lockCommentTarget(tx, id, who.userId, true);
        if (!target)
            return tl::unexpected(target.error());
        if (!moderates(tx, who, target->communityId))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can remove comments.")));
        const CommentRow &cm = target->comment;
        if (cm.state == QLatin1String("removed"))
            return commentResponse(200, cm);
        tx.exec_params("UPDATE content.comments SET state = 'removed', removed_reason = $2 WHERE id = $1", id,
                       reason.toStdString());
        if (cm.state == QLatin1String("visible"))
            countVisible(tx, cm, -1);
        auto updated = loadComment(tx, id, who.userId);
        if (!updated)
            return tl::unexpected(updated.error());
        if (auto p = publishComment(tx, *c, QStringLiteral("content.comment.removed"), *updated, target->communityId,
                                    {{QStringLiteral("actorId"), idString(who.userId)}, {QStringLiteral("reason"), reason}});
            !p)
            return tl::unexpected(p.error());
        return commentResponse(200, *updated);
    });
}

} // namespace

Result<void> registerCommentRoutes(Router &router, ContentContext &ctx)
{
    ContentContext *c = &ctx;
    // A comment of commentMax characters, JSON-escaped (up to 6 bytes per UTF-16 unit), plus headroom.
    const qint64 bodyLimit = qint64(ctx.config.commentMax) * 6 + 16 * 1024;
    using H = void (*)(ContentContext *, HttpRequest &, const Responder &);
    struct Route { const char *method; const char *pattern; H handler; RouteOptions options; bool anonCache = false; };
    const Route routes[] = {
        {"GET", "/v1/posts/{id}", postPage, readRoute(), true},
        {"POST", "/v1/posts/{id}/comments", createComment, writeRoute(bodyLimit)},
        {"GET", "/v1/posts/{id}/comments", listComments, readRoute(), true},
        {"GET", "/v1/comments/{id}", getComment, readRoute()},
        {"PATCH", "/v1/comments/{id}", editComment, writeRoute(bodyLimit)},
        {"GET", "/v1/comments/{id}/revisions", commentRevisions, readRoute()},
        {"DELETE", "/v1/comments/{id}", [](ContentContext *c, HttpRequest &q, const Responder &r) { authorState(c, true, q, r); },
         writeRoute()},
        {"POST", "/v1/comments/{id}/restore",
         [](ContentContext *c, HttpRequest &q, const Responder &r) { authorState(c, false, q, r); }, writeRoute()},
        {"POST", "/v1/comments/{id}/remove", removeComment, moderateRoute()},
    };
    for (const Route &r : routes) {
        const H handler = r.handler;
        Handler h = [c, handler](HttpRequest &req, const Responder &res) { handler(c, req, res); };
        if (r.anonCache)
            h = ctx.anonymousCache->wrap(std::move(h));
        if (auto added = router.add(r.method, QString::fromLatin1(r.pattern), std::move(h), r.options); !added)
            return added;
    }
    return {};
}

} // namespace Content
