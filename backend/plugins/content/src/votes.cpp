// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Votes and bookmarks.
//
//   PUT    /v1/posts/{id}/vote          {"value": 1 | -1 | 0}   0 clears the vote
//   PUT    /v1/comments/{id}/vote       {"value": 1 | -1 | 0}
//   PUT    /v1/posts/{id}/bookmark      204 (idempotent; keeps the first bookmark time)
//   DELETE /v1/posts/{id}/bookmark      204 (idempotent)
//   GET    /v1/me/bookmarks             ?cursor=&limit= newest bookmark first
//
// Decisions:
// - One vote per user and target. The target row is locked (FOR NO KEY UPDATE) before
//   the previous vote is read, so concurrent votes on one target queue up and the
//   counters move by exactly the difference (score by value - previous, upvotes/downvotes
//   by the change of each side). posts.hot is recomputed from the new score in the same
//   UPDATE (kHotSql with score replaced by the new score).
// - Voting on deleted or removed content (or on a comment of a deleted/removed post) is a
//   409 (post-deleted, post-removed, comment-deleted, comment-removed); clearing a vote
//   (value 0) is always allowed so that nobody is stuck with a vote. Missing target: 404.
// - content.vote.changed is published only when the value changed; a repeat is a no-op.
// - Bookmarking a deleted or removed post is a 409; removing a bookmark always works.
//   The list keeps bookmarks of posts that were deleted or removed later, as placeholders.

#include "comments.h"
#include "common.h"
#include "postview.h"
#include "routes.h"

#include "community/database.h"
#include "community/eventbus.h"
#include "community/router.h"

#include <QJsonArray>

#include <limits>

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

/// "UPDATE ... SET hot = <kHotSql for score + $2>": kHotSql reads the old row's columns,
/// so its score is replaced by the new score.
std::string hotOfNewScore()
{
    std::string sql = kHotSql;
    const std::string from = "score", to = "(score + $2)";
    for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size()))
        sql.replace(at, from.size(), to);
    return sql;
}

struct VoteTarget {
    bool post = true;            ///< post or comment
    const char *table;           ///< content.posts | content.comments
    const char *votes;           ///< content.post_votes | content.comment_votes
    const char *key;             ///< post_id | comment_id
};
const VoteTarget kPostTarget{true, "content.posts", "content.post_votes", "post_id"};
const VoteTarget kCommentTarget{false, "content.comments", "content.comment_votes", "comment_id"};

Result<int> parseVoteValue(const QJsonObject &body)
{
    QList<FieldError> errors;
    int value = 0;
    const QJsonValue v = body.value(QStringLiteral("value"));
    if (v.isUndefined() || v.isNull())
        errors.append({QStringLiteral("value"), QStringLiteral("is required"), QStringLiteral("required")});
    else if (!v.isDouble() || (v.toDouble() != 1 && v.toDouble() != -1 && v.toDouble() != 0))
        errors.append({QStringLiteral("value"), QStringLiteral("must be 1, -1 or 0"), QStringLiteral("invalid_choice")});
    else
        value = int(v.toDouble());
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != QLatin1String("value"))
            errors.append({it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown_field")});
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    return value;
}

QJsonObject countsJson(const pqxx::row &r, int myVote)
{
    return QJsonObject{{QStringLiteral("score"), r[0].as<int>()},
                       {QStringLiteral("upvotes"), r[1].as<int>()},
                       {QStringLiteral("downvotes"), r[2].as<int>()},
                       {QStringLiteral("myVote"), myVote}};
}

void vote(ContentContext *c, const VoteTarget &target, HttpRequest &req, const Responder &res)
{
    const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
    if (!id) {
        sendError(req, res, notFound(target.post ? QStringLiteral("No such post.") : QStringLiteral("No such comment.")));
        return;
    }
    auto body = jsonBody(req, res);
    if (!body)
        return;
    auto value = parseVoteValue(*body);
    if (!value) {
        sendError(req, res, value.error());
        return;
    }
    const qint64 me = req.principal.userId;
    const QString requestId = req.requestId;
    c->db.respond(req, res, [c, &target, me, requestId, id = *id, value = *value](pqxx::work &tx) -> Result<HttpResponse> {
        // Lock the target, then read the previous vote: concurrent votes on it queue here.
        const auto row = target.post
            ? tx.exec_params("SELECT p.state, p.id, p.author_id, '' FROM content.posts p WHERE p.id = $1 FOR NO KEY UPDATE", id)
            : tx.exec_params("SELECT c.state, c.post_id, c.author_id, p.state FROM content.comments c "
                             "JOIN content.posts p ON p.id = c.post_id WHERE c.id = $1 FOR NO KEY UPDATE OF c",
                             id);
        if (row.empty())
            return tl::unexpected(notFound(target.post ? QStringLiteral("No such post.") : QStringLiteral("No such comment.")));
        const QString state = QString::fromStdString(row[0][0].as<std::string>());
        const qint64 postId = row[0][1].as<qint64>();
        const qint64 authorId = row[0][2].as<qint64>();
        const QString postState = QString::fromStdString(row[0][3].as<std::string>());
        if (value != 0) {
            if (!target.post && !postState.isEmpty() && postState != QLatin1String("visible"))
                return unavailableProblem(QStringLiteral("post"), postState, requestId);
            if (state != QLatin1String("visible"))
                return unavailableProblem(target.post ? QStringLiteral("post") : QStringLiteral("comment"), state, requestId);
        }
        const std::string table = target.table, votes = target.votes, key = target.key;
        const auto prev = tx.exec_params("SELECT value FROM " + votes + " WHERE " + key + " = $1 AND user_id = $2", id, me);
        const int previous = prev.empty() ? 0 : prev[0][0].as<int>();
        if (previous == value) {
            const auto counts = tx.exec_params("SELECT score, upvotes, downvotes FROM " + table + " WHERE id = $1", id);
            return HttpResponse::json(200, countsJson(counts[0], value));
        }
        if (value == 0)
            tx.exec_params("DELETE FROM " + votes + " WHERE " + key + " = $1 AND user_id = $2", id, me);
        else
            tx.exec_params("INSERT INTO " + votes + " (" + key + ", user_id, value) VALUES ($1, $2, $3) "
                           "ON CONFLICT (" + key + ", user_id) DO UPDATE SET value = EXCLUDED.value, created_at = now()",
                           id, me, value);
        const int up = (value == 1) - (previous == 1);
        const int down = (value == -1) - (previous == -1);
        static const std::string hot = hotOfNewScore();
        const auto counts = tx.exec_params("UPDATE " + table + " SET score = score + $2, upvotes = upvotes + $3, "
                                           "downvotes = downvotes + $4" + (target.post ? ", hot = " + hot : std::string())
                                               + " WHERE id = $1 RETURNING score, upvotes, downvotes",
                                           id, value - previous, up, down);
        const QJsonObject payload{
            {QStringLiteral("targetType"), target.post ? QStringLiteral("post") : QStringLiteral("comment")},
            {QStringLiteral("targetId"), idString(id)},
            {QStringLiteral("postId"), idString(postId)},
            {QStringLiteral("authorId"), idString(authorId)},
            {QStringLiteral("userId"), idString(me)},
            {QStringLiteral("value"), value},
            {QStringLiteral("previous"), previous},
            {QStringLiteral("score"), counts[0][0].as<int>()},
        };
        if (auto p = c->events.publish(tx, QStringLiteral("content.vote.changed"), QStringLiteral("post:%1").arg(postId), payload); !p)
            return tl::unexpected(p.error());
        return HttpResponse::json(200, countsJson(counts[0], value));
    });
}

void bookmark(ContentContext *c, bool add, HttpRequest &req, const Responder &res)
{
    const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
    if (!id) {
        sendError(req, res, notFound(QStringLiteral("No such post.")));
        return;
    }
    const qint64 me = req.principal.userId;
    const QString requestId = req.requestId;
    c->db.respond(req, res, [me, add, requestId, id = *id](pqxx::work &tx) -> Result<HttpResponse> {
        const auto post = tx.exec_params("SELECT state FROM content.posts WHERE id = $1", id);
        if (post.empty())
            return tl::unexpected(notFound(QStringLiteral("No such post.")));
        if (!add) {
            tx.exec_params("DELETE FROM content.bookmarks WHERE user_id = $1 AND post_id = $2", me, id);
            return HttpResponse::empty(204);
        }
        const QString state = QString::fromStdString(post[0][0].as<std::string>());
        if (state != QLatin1String("visible"))
            return unavailableProblem(QStringLiteral("post"), state, requestId);
        tx.exec_params("INSERT INTO content.bookmarks (user_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", me, id);
        return HttpResponse::empty(204);
    });
}

void listBookmarks(ContentContext *c, HttpRequest &req, const Responder &res)
{
    auto limit = parseLimit(req.query.queryItemValue(QStringLiteral("limit")), c->config.defaultPageSize, c->config.maxPageSize);
    if (!limit) {
        sendError(req, res, limit.error());
        return;
    }
    const QString cursorText = req.query.queryItemValue(QStringLiteral("cursor"));
    std::optional<QList<qint64>> after;
    if (!cursorText.isEmpty()) {
        after = decodeCursor(QLatin1StringView("bm"), cursorText, 2);
        if (!after) {
            sendError(req, res, invalidField(QStringLiteral("cursor"), QStringLiteral("is not a valid cursor"),
                                             QStringLiteral("invalid")));
            return;
        }
    }
    const qint64 me = req.principal.userId;
    const int n = *limit;
    c->db.respondRead(req, res, [me, n, after](pqxx::nontransaction &tx) -> Result<HttpResponse> {
        // Keyset on (created_at, post_id) descending; the cursor carries created_at in
        // microseconds, turned back into a timestamp exactly (integer interval arithmetic).
        static const std::string base = postSelectWith(", (extract(epoch FROM b.created_at) * 1000000)::bigint")
                                        + " JOIN content.bookmarks b ON b.post_id = p.id AND b.user_id = $1";
        static const std::string first = base + " ORDER BY b.created_at DESC, b.post_id DESC LIMIT $2";
        static const std::string next = base + " WHERE (b.created_at, b.post_id) < "
                                               "('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::bigint) "
                                               "ORDER BY b.created_at DESC, b.post_id DESC LIMIT $2";
        const pqxx::result rows = after ? tx.exec_params(next, me, n + 1, (*after)[0], (*after)[1])
                                        : tx.exec_params(first, me, n + 1);
        QJsonArray items;
        QJsonValue nextCursor(QJsonValue::Null);
        for (int i = 0; i < int(rows.size()) && i < n; ++i) {
            const PostRow post = postFromRow(rows[i]);
            const qint64 at = rows[i][23].as<qint64>();
            QJsonObject o = postJson(post, false, post.authorId == me);
            o.insert(QStringLiteral("bookmarkedAt"), iso(fromMicros(at)));
            items.append(o);
            if (i == n - 1 && int(rows.size()) > n)
                nextCursor = encodeCursor(QLatin1StringView("bm"), {at, post.id});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), nextCursor}});
    });
}

} // namespace

Result<void> registerVoteRoutes(Router &router, ContentContext &ctx)
{
    ContentContext *c = &ctx;
    if (auto r = router.add("PUT", QStringLiteral("/v1/posts/{id}/vote"),
                            [c](HttpRequest &req, const Responder &res) { vote(c, kPostTarget, req, res); }, writeRoute());
        !r)
        return r;
    if (auto r = router.add("PUT", QStringLiteral("/v1/comments/{id}/vote"),
                            [c](HttpRequest &req, const Responder &res) { vote(c, kCommentTarget, req, res); }, writeRoute());
        !r)
        return r;
    for (const bool add : {true, false}) {
        if (auto r = router.add(add ? "PUT" : "DELETE", QStringLiteral("/v1/posts/{id}/bookmark"),
                                [c, add](HttpRequest &req, const Responder &res) { bookmark(c, add, req, res); }, writeRoute());
            !r)
            return r;
    }
    const RouteOptions mine = RouteOptions::authenticated(Role::User, QLatin1String(kReadScope));
    if (auto r = router.add("GET", QStringLiteral("/v1/me/bookmarks"),
                            [c](HttpRequest &req, const Responder &res) { listBookmarks(c, req, res); }, mine);
        !r)
        return r;
    return {};
}

} // namespace Content
