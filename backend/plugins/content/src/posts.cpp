// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Posts: create, edit with revisions, delete/restore, moderator remove/restore, pin, lock.
// (GET /v1/posts/{id}, the post page with its comments, is in comments.cpp.)
//
//   POST   /v1/communities/{slug}/posts      {title, body, tags}   Idempotency-Key
//   PATCH  /v1/posts/{id}                    {title?, body?, tags?} author only
//   GET    /v1/posts/{id}/revisions
//   DELETE /v1/posts/{id}                    author: soft delete
//   POST   /v1/posts/{id}/restore            author (deleted) or moderator (removed/deleted)
//   POST   /v1/posts/{id}/remove             {reason} moderator
//   PUT|DELETE /v1/posts/{id}/pin | /lock    moderator

#include "posts.h"

#include "common.h"
#include "communities.h"
#include "permissions.h"
#include "routes.h"

#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/router.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

constexpr int kReasonMax = 500;

std::string tagsLiteral(const QStringList &tags)
{
    // A PostgreSQL array literal; tags are validated letters/digits/hyphens only.
    return ("{" + tags.join(QLatin1Char(',')) + "}").toStdString();
}

Result<void> publishPost(pqxx::transaction_base &tx, ContentContext &ctx, const QString &type, const PostRow &post,
                         QJsonObject extra = {})
{
    QJsonObject payload = postEventPayload(post);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        payload.insert(it.key(), it.value());
    auto r = ctx.events.publish(tx, type, QStringLiteral("post:%1").arg(post.id), payload);
    if (!r)
        return tl::unexpected(r.error());
    return {};
}

struct PostInput {
    bool hasTitle = false, hasBody = false, hasTags = false;
    QString title, body;
    QStringList tags;
};

/// Validates a create (all required but tags) or a patch (at least one field).
Result<PostInput> parsePostInput(const QJsonObject &body, const ContentConfig &cfg, bool create)
{
    QList<FieldError> errors;
    PostInput in;
    if (create) {
        in.title = requireText(body, QStringLiteral("title"), cfg.titleMax, false, errors);
        in.hasTitle = true;
        in.hasBody = true;
        if (body.value(QStringLiteral("body")).isString() || !body.contains(QStringLiteral("body")))
            in.body = body.value(QStringLiteral("body")).toString();
        else
            errors.append({QStringLiteral("body"), QStringLiteral("must be a string"), QStringLiteral("type")});
    } else {
        in.title = optionalText(body, QStringLiteral("title"), cfg.titleMax, false, false, &in.hasTitle, errors);
        in.hasBody = body.contains(QStringLiteral("body"));
        if (in.hasBody) {
            if (body.value(QStringLiteral("body")).isString())
                in.body = body.value(QStringLiteral("body")).toString();
            else
                errors.append({QStringLiteral("body"), QStringLiteral("must be a string"), QStringLiteral("type")});
        }
    }
    in.hasTags = body.contains(QStringLiteral("tags"));
    in.tags = parseTags(body.value(QStringLiteral("tags")), cfg, errors);
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != QLatin1String("title") && it.key() != QLatin1String("body") && it.key() != QLatin1String("tags"))
            errors.append({it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown_field")});
    if (!create && !in.hasTitle && !in.hasBody && !in.hasTags && errors.isEmpty())
        errors.append({QStringLiteral("body"), QStringLiteral("nothing to change"), QStringLiteral("required")});
    if (in.hasBody && in.body.toUtf8().size() > cfg.markdown.maxInputBytes)
        errors.append({QStringLiteral("body"), QStringLiteral("must be at most %1 bytes").arg(cfg.markdown.maxInputBytes),
                       QStringLiteral("too_long")});
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    return in;
}

bool isAuthor(const Principal &who, const PostRow &post)
{
    return !who.isAnonymous() && who.userId == post.authorId;
}

HttpResponse postResponse(int status, const PostRow &post)
{
    return HttpResponse::json(status, postJson(post, true, true));
}

/// A moderator state change: remove/restore/pin/unpin/lock/unlock. `apply` runs the
/// UPDATE and returns the event type (empty: no change, no event).
using ModerationStep = std::function<Result<QString>(pqxx::work &, const PostRow &)>;

void moderate(ContentContext *c, const HttpRequest &req, const Responder &res, ModerationStep step)
{
    const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
    if (!id) {
        sendError(req, res, notFound(QStringLiteral("No such post.")));
        return;
    }
    const Principal who = req.principal;
    c->db.respond(req, res, [c, who, id = *id, step = std::move(step)](pqxx::work &tx) -> Result<HttpResponse> {
        auto post = lockPost(tx, id, who.userId);
        if (!post)
            return tl::unexpected(post.error());
        if (!moderates(tx, who, post->communityId))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can do that.")));
        auto type = step(tx, *post);
        if (!type)
            return tl::unexpected(type.error());
        auto updated = loadPost(tx, id, who.userId);
        if (!updated)
            return tl::unexpected(updated.error());
        if (!type->isEmpty()) {
            if (auto p = publishPost(tx, *c, *type, *updated, {{QStringLiteral("actorId"), idString(who.userId)}}); !p)
                return tl::unexpected(p.error());
        }
        return postResponse(200, *updated);
    });
}

/// Moves the community's post counter when a post leaves or re-enters the listings.
void countVisible(pqxx::work &tx, qint64 communityId, int delta)
{
    tx.exec_params("UPDATE content.communities SET post_count = greatest(post_count + $2, 0) WHERE id = $1", communityId,
                   delta);
}

} // namespace

QJsonObject postEventPayload(const PostRow &p)
{
    return QJsonObject{
        {QStringLiteral("postId"), idString(p.id)},
        {QStringLiteral("communityId"), idString(p.communityId)},
        {QStringLiteral("communitySlug"), p.communitySlug},
        {QStringLiteral("authorId"), idString(p.authorId)},
        {QStringLiteral("authorName"), p.authorName},
        {QStringLiteral("title"), p.title},
        {QStringLiteral("body"), p.body},
        {QStringLiteral("tags"), QJsonArray::fromStringList(p.tags)},
        {QStringLiteral("state"), p.state},
        {QStringLiteral("score"), p.score},
        {QStringLiteral("revision"), p.revision},
        {QStringLiteral("createdAt"), iso(p.createdAt)},
        {QStringLiteral("editedAt"), isoOrNull(p.editedAt)},
    };
}

Result<PostRow> lockPost(pqxx::transaction_base &tx, qint64 postId, qint64 viewerId)
{
    const auto locked = tx.exec_params("SELECT 1 FROM content.posts WHERE id = $1 FOR UPDATE", postId);
    if (locked.empty())
        return tl::unexpected(notFound(QStringLiteral("No such post.")));
    return loadPost(tx, postId, viewerId);
}

Result<void> registerPostRoutes(Router &router, ContentContext &ctx)
{
    ContentContext *c = &ctx;
    const qint64 bodyLimit = ctx.config.markdown.maxInputBytes * 2 + 16 * 1024; // JSON escaping headroom

    if (auto r = router.add("POST", QStringLiteral("/v1/communities/{slug}/posts"), [c](HttpRequest &req, const Responder &res) {
            auto body = jsonBody(req, res);
            if (!body)
                return;
            auto key = idempotencyKey(req);
            if (!key) {
                sendError(req, res, key.error());
                return;
            }
            auto input = parsePostInput(*body, c->config, true);
            if (!input) {
                sendError(req, res, input.error());
                return;
            }
            const QString slug = req.pathParams.value(QStringLiteral("slug"));
            const Principal who = req.principal;
            c->db.respondWith(req, res, [c, slug, who, in = *input, key = *key]() -> Result<HttpResponse> {
                // Render and resolve mentions before the transaction (CPU and directory calls).
                auto prepared = prepareBody(*c, in.body, who.userId);
                if (!prepared)
                    return tl::unexpected(prepared.error());
                const RenderedMarkdown *rendered = &prepared->rendered;
                const QList<Contracts::UserRecord> *mentioned = &prepared->mentioned;
                return c->db.transact<HttpResponse>([&](pqxx::work &tx) {
                    return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
                        auto community = findCommunity(tx, slug);
                        if (!community)
                            return tl::unexpected(community.error());
                        rememberAuthor(tx, who.userId, who.username);
                        const auto row = tx.exec_params(
                            "INSERT INTO content.posts (community_id, author_id, title, body, body_html, tags, hot) "
                            "VALUES ($1, $2, $3, $4, $5, $6::text[], extract(epoch FROM now()) / 45000.0) RETURNING id",
                            community->id, who.userId, in.title.toStdString(), in.body.toStdString(),
                            rendered->html.toStdString(), tagsLiteral(in.tags));
                        const qint64 id = row[0][0].as<qint64>();
                        countVisible(tx, community->id, 1);
                        auto post = loadPost(tx, id, who.userId);
                        if (!post)
                            return tl::unexpected(post.error());
                        if (auto p = publishPost(tx, *c, QStringLiteral("content.post.created"), *post); !p)
                            return tl::unexpected(p.error());
                        const QJsonObject source{{QStringLiteral("targetType"), QStringLiteral("post")},
                                                 {QStringLiteral("postId"), idString(id)},
                                                 {QStringLiteral("authorId"), idString(who.userId)},
                                                 {QStringLiteral("authorName"), who.username},
                                                 {QStringLiteral("title"), post->title}};
                        if (auto m = publishMentions(tx, *c, *mentioned, source); !m)
                            return tl::unexpected(m.error());
                        HttpResponse resp = postResponse(201, *post);
                        resp.setHeader("Location", QStringLiteral("/v1/posts/%1").arg(id).toUtf8());
                        return resp;
                    });
                });
            });
        }, writeRoute(bodyLimit)); !r)
        return r;

    if (auto r = router.add("PATCH", QStringLiteral("/v1/posts/{id}"), [c](HttpRequest &req, const Responder &res) {
            const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
            if (!id) {
                sendError(req, res, notFound(QStringLiteral("No such post.")));
                return;
            }
            auto body = jsonBody(req, res);
            if (!body)
                return;
            auto input = parsePostInput(*body, c->config, false);
            if (!input) {
                sendError(req, res, input.error());
                return;
            }
            const Principal who = req.principal;
            c->db.respondWith(req, res, [c, who, id = *id, in = *input]() -> Result<HttpResponse> {
                std::optional<RenderedMarkdown> rendered;
                QList<Contracts::UserRecord> mentioned;
                if (in.hasBody) {
                    auto prepared = prepareBody(*c, in.body, who.userId);
                    if (!prepared)
                        return tl::unexpected(prepared.error());
                    rendered = prepared->rendered;
                    mentioned = prepared->mentioned;
                }
                return c->db.transact<HttpResponse>([&](pqxx::work &tx) -> Result<HttpResponse> {
                    auto post = lockPost(tx, id, who.userId);
                    if (!post)
                        return tl::unexpected(post.error());
                    if (!isAuthor(who, *post))
                        return tl::unexpected(forbidden(QStringLiteral("Only the author can edit a post.")));
                    if (post->state != QLatin1String("visible"))
                        return tl::unexpected(Error::make(ErrorCode::Conflict, QStringLiteral("A deleted or removed post cannot be edited.")));
                    const QString title = in.hasTitle ? in.title : post->title;
                    const QString bodyText = in.hasBody ? in.body : post->body;
                    const QStringList tags = in.hasTags ? in.tags : post->tags;
                    if (title == post->title && bodyText == post->body && tags == post->tags)
                        return postResponse(200, *post);   // nothing changed: no revision, no event
                    tx.exec_params("INSERT INTO content.revisions (target_type, target_id, revision, title, body, tags, editor_id, created_at) "
                                   "SELECT 'post', id, revision, title, body, tags, author_id, coalesce(edited_at, created_at) "
                                   "FROM content.posts WHERE id = $1",
                                   id);
                    tx.exec_params("UPDATE content.posts SET title = $2, body = $3, body_html = CASE WHEN $4 THEN $5 ELSE body_html END, "
                                   "tags = $6::text[], revision = revision + 1, edited_at = now() WHERE id = $1",
                                   id, title.toStdString(), bodyText.toStdString(), rendered.has_value(),
                                   rendered ? rendered->html.toStdString() : std::string(), tagsLiteral(tags));
                    auto updated = loadPost(tx, id, who.userId);
                    if (!updated)
                        return tl::unexpected(updated.error());
                    if (auto p = publishPost(tx, *c, QStringLiteral("content.post.edited"), *updated); !p)
                        return tl::unexpected(p.error());
                    // Only people newly mentioned by this revision hear about it.
                    const QList<Contracts::UserRecord> fresh = newlyMentioned(*c, post->body, mentioned);
                    const QJsonObject source{{QStringLiteral("targetType"), QStringLiteral("post")},
                                             {QStringLiteral("postId"), idString(id)},
                                             {QStringLiteral("authorId"), idString(who.userId)},
                                             {QStringLiteral("authorName"), who.username},
                                             {QStringLiteral("title"), updated->title}};
                    if (auto m = publishMentions(tx, *c, fresh, source); !m)
                        return tl::unexpected(m.error());
                    return postResponse(200, *updated);
                });
            });
        }, writeRoute(bodyLimit)); !r)
        return r;

    if (auto r = router.add("GET", QStringLiteral("/v1/posts/{id}/revisions"), [c](HttpRequest &req, const Responder &res) {
            const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
            if (!id) {
                sendError(req, res, notFound(QStringLiteral("No such post.")));
                return;
            }
            const Principal who = req.principal;
            const qint64 viewer = viewerOf(who);
            c->db.respond(req, res, [who, viewer, id = *id](pqxx::work &tx) -> Result<HttpResponse> {
                auto post = loadPost(tx, id, viewer);
                if (!post)
                    return tl::unexpected(post.error());
                const bool privileged = isAuthor(who, *post) || moderates(tx, who, post->communityId);
                if (post->state != QLatin1String("visible") && !privileged)
                    return tl::unexpected(notFound(QStringLiteral("No such post.")));
                const auto rows = tx.exec_params(
                    "SELECT revision, coalesce(title, ''), body, array_to_string(coalesce(tags, '{}'), ' '), editor_id, "
                    "(extract(epoch FROM created_at) * 1000000)::bigint FROM content.revisions "
                    "WHERE target_type = 'post' AND target_id = $1 ORDER BY revision DESC",
                    id);
                QJsonArray items;
                items.append(QJsonObject{{QStringLiteral("revision"), post->revision},
                                         {QStringLiteral("title"), post->title},
                                         {QStringLiteral("body"), post->body},
                                         {QStringLiteral("tags"), QJsonArray::fromStringList(post->tags)},
                                         {QStringLiteral("current"), true},
                                         {QStringLiteral("createdAt"), iso(post->editedAt.isValid() ? post->editedAt : post->createdAt)}});
                for (const auto &row : rows) {
                    const QString tags = QString::fromStdString(row[3].as<std::string>());
                    items.append(QJsonObject{{QStringLiteral("revision"), row[0].as<int>()},
                                             {QStringLiteral("title"), QString::fromStdString(row[1].as<std::string>())},
                                             {QStringLiteral("body"), QString::fromStdString(row[2].as<std::string>())},
                                             {QStringLiteral("tags"), QJsonArray::fromStringList(
                                                                          tags.isEmpty() ? QStringList() : tags.split(QLatin1Char(' ')))},
                                             {QStringLiteral("current"), false},
                                             {QStringLiteral("createdAt"), iso(fromMicros(row[5].as<qint64>()))}});
                }
                return HttpResponse::json(200, QJsonObject{{QStringLiteral("postId"), idString(id)},
                                                           {QStringLiteral("items"), items}});
            });
        }, readRoute()); !r)
        return r;

    // Author delete / restore.
    auto authorState = [c](bool deleting) {
        return [c, deleting](HttpRequest &req, const Responder &res) {
            const auto id = parseId(req.pathParams.value(QStringLiteral("id")));
            if (!id) {
                sendError(req, res, notFound(QStringLiteral("No such post.")));
                return;
            }
            const Principal who = req.principal;
            c->db.respond(req, res, [c, who, deleting, id = *id](pqxx::work &tx) -> Result<HttpResponse> {
                auto post = lockPost(tx, id, who.userId);
                if (!post)
                    return tl::unexpected(post.error());
                const bool author = isAuthor(who, *post);
                const bool moderator = moderates(tx, who, post->communityId);
                if (deleting && !author)
                    return tl::unexpected(forbidden(QStringLiteral("Only the author can delete a post; moderators remove it.")));
                if (!deleting) {
                    // Authors restore what they deleted; removed posts only come back by a moderator.
                    const bool allowed = moderator || (author && post->state == QLatin1String("deleted"));
                    if (!allowed)
                        return tl::unexpected(forbidden(QStringLiteral("You cannot restore this post.")));
                }
                const QString target = deleting ? QStringLiteral("deleted") : QStringLiteral("visible");
                if (post->state == target)
                    return postResponse(200, *post);
                if (deleting && post->state == QLatin1String("removed"))
                    return tl::unexpected(Error::make(ErrorCode::Conflict, QStringLiteral("The post was removed by a moderator.")));
                tx.exec_params("UPDATE content.posts SET state = $2, removed_reason = NULL WHERE id = $1", id,
                               target.toStdString());
                countVisible(tx, post->communityId, deleting ? -1 : 1);
                auto updated = loadPost(tx, id, who.userId);
                if (!updated)
                    return tl::unexpected(updated.error());
                const QString type = deleting ? QStringLiteral("content.post.deleted") : QStringLiteral("content.post.restored");
                if (auto p = publishPost(tx, *c, type, *updated, {{QStringLiteral("actorId"), idString(who.userId)}}); !p)
                    return tl::unexpected(p.error());
                return postResponse(200, *updated);
            });
        };
    };
    if (auto r = router.add("DELETE", QStringLiteral("/v1/posts/{id}"), authorState(true), writeRoute()); !r)
        return r;
    if (auto r = router.add("POST", QStringLiteral("/v1/posts/{id}/restore"), authorState(false), writeRoute()); !r)
        return r;

    if (auto r = router.add("POST", QStringLiteral("/v1/posts/{id}/remove"), [c](HttpRequest &req, const Responder &res) {
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
            if (!errors.isEmpty()) {
                sendError(req, res, invalidFields(errors));
                return;
            }
            moderate(c, req, res, [reason](pqxx::work &tx, const PostRow &post) -> Result<QString> {
                if (post.state == QLatin1String("removed"))
                    return QString();
                tx.exec_params("UPDATE content.posts SET state = 'removed', removed_reason = $2 WHERE id = $1", post.id,
                               reason.toStdString());
                if (post.state == QLatin1String("visible"))
                    countVisible(tx, post.communityId, -1);
                return QStringLiteral("content.post.removed");
            });
        }, moderateRoute()); !r)
        return r;

    struct Flag { const char *path; const char *column; };
    for (const Flag flag : {Flag{"pin", "pinned"}, Flag{"lock", "locked"}}) {
        for (const bool on : {true, false}) {
            const QString pattern = QStringLiteral("/v1/posts/{id}/%1").arg(QLatin1String(flag.path));
            const std::string column = flag.column;
            if (auto r = router.add(on ? "PUT" : "DELETE", pattern, [c, on, column](HttpRequest &req, const Responder &res) {
                    moderate(c, req, res, [on, column](pqxx::work &tx, const PostRow &post) -> Result<QString> {
                        const bool current = column == "pinned" ? post.pinned : post.locked;
                        if (current == on)
                            return QString();
                        // `column` is one of two literals above, never user input.
                        tx.exec_params("UPDATE content.posts SET " + column + " = $2 WHERE id = $1", post.id, on);
                        return QStringLiteral("content.post.%1").arg(QString::fromStdString(
                            column == "pinned" ? (on ? "pinned" : "unpinned") : (on ? "locked" : "unlocked")));
                    });
                }, moderateRoute()); !r)
                return r;
        }
    }
    return {};
}

} // namespace Content
