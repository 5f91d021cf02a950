// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commentroutes.h"

#include "anoncache.h"
#include "commentjson.h"
#include "commentservice.h"
#include "jsonwriter.h"
#include "postjson.h"
#include "routesupport.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;
using Community::Json::idString;

namespace Content {

namespace {

/// The path id and the tree parameters of a read: sort, limit and (`withCursor`) cursor.
struct TreeRequest {
    qint64 id = 0;
    TreeParams params;
};

Result<TreeRequest> treeRequest(const HttpRequest &req, const ContentConfig &cfg, const QString &what, bool withCursor)
{
    const auto id = pathId(req, QStringLiteral("id"), what);
    if (!id)
        return tl::unexpected(id.error());
    TreeRequest t{*id, {}};
    auto sort = parseCommentSort(queryValue(req, QStringLiteral("sort")));
    if (!sort)
        return tl::unexpected(sort.error());
    t.params.sort = *sort;
    auto limit = queryLimit(req, cfg.postPageComments, cfg.maxPostPageComments);
    if (!limit)
        return tl::unexpected(limit.error());
    t.params.limit = *limit;
    if (withCursor) {
        auto after = queryCursor(req, sortCursorKind(t.params.sort), sortCursorKeys(t.params.sort));
        if (!after)
            return tl::unexpected(after.error());
        t.params.after = *after;
    }
    return t;
}

Result<CommentInput> readCommentInput(BodyReader &body, const ContentConfig &cfg, bool create)
{
    CommentInput in;
    in.body = body.text(QStringLiteral("body"), {cfg.commentMax, Presence::Required, true}).value_or(QString());
    if (!in.body.isEmpty() && in.body.toUtf8().size() > cfg.markdown.maxInputBytes)
        body.addError(QStringLiteral("body"), QStringLiteral("must be at most %1 bytes").arg(cfg.markdown.maxInputBytes),
                      QStringLiteral("too_long"));
    if (create)
        in.parentId = body.id(QStringLiteral("parentId"), Presence::Optional).value_or(0);
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return in;
}

/// Comment answers show the whole comment: the caller is its author or a moderator.
Result<HttpResponse> commentResponse(const Result<CommentRow> &comment)
{
    if (!comment)
        return tl::unexpected(comment.error());
    return HttpResponse::json(200, commentJson(*comment, true));
}

HttpResponse rawJson(const QJsonObject &envelope, const char *key, const QByteArray &raw)
{
    return HttpResponse::text(200, JsonWriter::withRawMember(envelope, key, raw), "application/json");
}

/// The post page's answer with the overlay's places: the post's (found in the envelope
/// QJsonDocument wrote) and the comments' (noted by the tree writer, shifted by where
/// the tree lands in the body).
SharedPage postPageAnswer(const PostPage &page, CommentSort sort)
{
    const QJsonObject envelope{{QStringLiteral("post"), postJson(page.post, true, page.privileged)},
                               {QStringLiteral("nextCursor"), page.comments.nextCursor},
                               {QStringLiteral("sort"), QLatin1String(sortName(sort))}};
    SharedPage out;
    out.response = rawJson(envelope, "comments", page.comments.nodes);
    const QByteArray &body = out.response.body;
    const qsizetype tree = body.size() - 1 - page.comments.nodes.size();
    out.places.reserve(page.comments.places.size() + 6);
    for (PageSlot slot : page.comments.places) {
        slot.offset += tree;
        out.places.append(slot);
    }
    notePostPlaces(body, body.indexOf(R"("post":{)"), page.post.id, out.places);
    out.authors = page.comments.authors;
    out.seeMore = page.comments.seeMore;
    if (page.post.state != QLatin1String("visible"))
        out.seeMore.append(page.post.authorId);
    out.communityId = page.post.communityId;
    out.shareable = true;
    return out;
}

} // namespace

QList<Route> CommentRoutes::routes()
{
    // A comment of commentMax characters, JSON-escaped (up to 6 bytes per UTF-16 unit), plus headroom.
    const qint64 bodyLimit = qint64(m_ctx.config.commentMax) * 6 + 16 * 1024;
    AnonymousCache &cache = *m_ctx.anonymousCache;
    auto state = [this](bool deleting) -> Handler {
        return [this, deleting](HttpRequest &req, const Responder &res) { authorState(req, res, deleting); };
    };
    return {
        {"GET", QStringLiteral("/v1/posts/{id}"), readRoute(),
         cache.pages([this](HttpRequest &req, const Responder &res) { return postPageJobs(req, res); })},
        {"POST", QStringLiteral("/v1/posts/{id}/comments"), writeRoute(bodyLimit), memberHandler(this, &CommentRoutes::create)},
        {"GET", QStringLiteral("/v1/posts/{id}/comments"), readRoute(), cache.wrap(memberHandler(this, &CommentRoutes::list))},
        {"GET", QStringLiteral("/v1/comments/{id}"), readRoute(), memberHandler(this, &CommentRoutes::permalink)},
        {"GET", QStringLiteral("/v1/users/{username}/comments"), readRoute(),
         cache.wrap(memberHandler(this, &CommentRoutes::byAuthor))},
        {"PATCH", QStringLiteral("/v1/comments/{id}"), writeRoute(bodyLimit), cache.invalidating(memberHandler(this, &CommentRoutes::edit))},
        {"GET", QStringLiteral("/v1/comments/{id}/revisions"), readRoute(), memberHandler(this, &CommentRoutes::revisions)},
        {"DELETE", QStringLiteral("/v1/comments/{id}"), writeRoute(), cache.invalidating(state(true))},
        {"POST", QStringLiteral("/v1/comments/{id}/restore"), writeRoute(), cache.invalidating(state(false))},
        {"POST", QStringLiteral("/v1/comments/{id}/remove"), moderateRoute(), cache.invalidating(memberHandler(this, &CommentRoutes::remove))},
    };
}

std::optional<AnonymousCache::PageJobs> CommentRoutes::postPageJobs(HttpRequest &req, const Responder &res)
{
    auto t = treeRequest(req, m_ctx.config, QStringLiteral("post"), false);
    if (!t) {
        sendError(req, res, t.error());
        return std::nullopt;
    }
    ContentContext *ctx = &m_ctx;
    CommentService *svc = &m_service;
    AnonymousCache::PageJobs jobs;
    jobs.load = [svc, t = *t]() -> Result<SharedPage> {
        auto page = svc->postPage(Principal{}, t.id, t.params);
        if (!page)
            return tl::unexpected(page.error());
        return postPageAnswer(*page, t.params.sort);
    };
    jobs.personalize = [ctx, svc, t = *t, who = req.principal](const SharedPage *shared) -> Result<HttpResponse> {
        if (shared && !who.hasRole(Role::Moderator)) {   // site moderators see removed text everywhere
            auto overlay = overlayFor(*ctx, viewerOf(who), *shared);
            if (!overlay)
                return tl::unexpected(overlay.error());
            if (*overlay) {
                HttpResponse r = personalised(*shared, **overlay);
                r.setHeader("X-Cache", "shared");
                return r;
            }
        }
        auto page = svc->postPage(who, t.id, t.params);
        if (!page)
            return tl::unexpected(page.error());
        return postPageAnswer(*page, t.params.sort).response;
    };
    return jobs;
}

void CommentRoutes::list(HttpRequest &req, const Responder &res)
{
    auto t = treeRequest(req, m_ctx.config, QStringLiteral("post"), true);
    if (!t)
        return sendError(req, res, t.error());
    qint64 parentId = 0;
    if (const QString parent = queryValue(req, QStringLiteral("parentId")); !parent.isEmpty()) {
        const auto parsed = parseId(parent);
        if (!parsed)
            return sendError(req, res, invalidField(QStringLiteral("parentId"), QStringLiteral("must be a comment id"),
                                                    QStringLiteral("invalid")));
        parentId = *parsed;
    }
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, t = *t, parentId]() -> Result<HttpResponse> {
        auto page = svc->list(who, t.id, parentId, t.params);
        if (!page)
            return tl::unexpected(page.error());
        return rawJson(QJsonObject{{QStringLiteral("nextCursor"), page->nextCursor},
                                   {QStringLiteral("sort"), QLatin1String(sortName(t.params.sort))},
                                   {QStringLiteral("parentId"), parentId ? QJsonValue(idString(parentId)) : QJsonValue()}},
                       "items", page->nodes);
    });
}

void CommentRoutes::byAuthor(HttpRequest &req, const Responder &res)
{
    QList<FieldError> errors;
    auto limit = queryLimit(req, m_ctx.config.defaultPageSize, m_ctx.config.maxPageSize);
    if (!limit)
        errors.append(limit.error().fields);
    qint64 before = 0;
    if (const QString cursor = queryValue(req, QStringLiteral("cursor")); !cursor.isEmpty()) {
        const auto parsed = parseId(cursor);
        if (parsed)
            before = *parsed;
        else
            errors.append({QStringLiteral("cursor"), QStringLiteral("is not a cursor of this list"), QStringLiteral("invalid")});
    }
    if (!errors.isEmpty())
        return sendError(req, res, invalidFields(errors));
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, name = req.pathParams.value(QStringLiteral("username")),
                                    before, n = *limit]() -> Result<HttpResponse> {
        auto rows = svc->byAuthor(who, name, before, n);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        for (qsizetype i = 0; i < rows->size() && i < n; ++i) {
            const AuthoredComment &c = rows->at(i);
            QJsonObject item = commentJson(c.comment, false);
            item.insert(QStringLiteral("post"), QJsonObject{{QStringLiteral("id"), idString(c.comment.postId)},
                                                            {QStringLiteral("title"), c.postTitle},
                                                            {QStringLiteral("community"), c.communitySlug}});
            items.append(item);
        }
        const QJsonValue next = rows->size() > n ? QJsonValue(idString(rows->at(n - 1).comment.id)) : QJsonValue();
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), next}});
    });
}

void CommentRoutes::permalink(HttpRequest &req, const Responder &res)
{
    auto t = treeRequest(req, m_ctx.config, QStringLiteral("comment"), false);
    if (!t)
        return sendError(req, res, t.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, t = *t]() -> Result<HttpResponse> {
        auto link = svc->permalink(who, t.id, t.params);
        if (!link)
            return tl::unexpected(link.error());
        const PermalinkPost &p = link->post;
        const QJsonObject post{
            {QStringLiteral("id"), idString(p.id)},
            {QStringLiteral("community"), QJsonObject{{QStringLiteral("id"), idString(p.communityId)},
                                                      {QStringLiteral("slug"), p.communitySlug}}},
            {QStringLiteral("title"), link->postHidden ? QString() : p.title},
            {QStringLiteral("state"), p.state},
            {QStringLiteral("locked"), p.locked},
        };
        const QByteArray &nodes = link->comment.nodes;
        return rawJson(QJsonObject{{QStringLiteral("post"), post}, {QStringLiteral("sort"), QLatin1String(sortName(t.params.sort))}},
                       "comment", nodes.mid(1, nodes.size() - 2));   // the one tree, unwrapped
    });
}

void CommentRoutes::create(HttpRequest &req, const Responder &res)
{
    const auto postId = pathId(req, QStringLiteral("id"), QStringLiteral("post"));
    if (!postId)
        return sendError(req, res, postId.error());
    auto request = readCreateRequest(req, res);
    if (!request)
        return;
    auto input = readCommentInput(request->body, m_ctx.config, true);
    if (!input)
        return sendError(req, res, input.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, postId = *postId, in = *input,
                                    key = request->key]() {
        return svc->create(who, postId, in, key, [](const CommentRow &comment) {
            HttpResponse resp = HttpResponse::json(201, commentJson(comment, true));
            resp.setHeader("Location", QStringLiteral("/v1/comments/%1").arg(comment.id).toUtf8());
            return resp;
        });
    });
}

void CommentRoutes::edit(HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("comment"));
    if (!id)
        return sendError(req, res, id.error());
    auto body = readBody(req, res);
    if (!body)
        return;
    auto input = readCommentInput(*body, m_ctx.config, false);
    if (!input)
        return sendError(req, res, input.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, text = input->body]() {
        return commentResponse(svc->edit(who, id, text));
    });
}

void CommentRoutes::revisions(HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("comment"));
    if (!id)
        return sendError(req, res, id.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id]() -> Result<HttpResponse> {
        auto r = svc->revisions(who, id);
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, revisionsJson(QStringLiteral("commentId"), id, r->current, r->earlier, false));
    });
}

void CommentRoutes::authorState(HttpRequest &req, const Responder &res, bool deleting)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("comment"));
    if (!id)
        return sendError(req, res, id.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, deleting]() {
        return commentResponse(svc->setAuthorState(who, id, deleting));
    });
}

void CommentRoutes::remove(HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("comment"));
    if (!id)
        return sendError(req, res, id.error());
    const auto reason = readRemovalReason(req, res);
    if (!reason)
        return;
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, reason = *reason]() {
        return commentResponse(svc->remove(who, id, reason));
    });
}

} // namespace Content
