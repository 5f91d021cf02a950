// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "postroutes.h"

#include "anoncache.h"

#include "contenttext.h"
#include "postjson.h"
#include "postservice.h"
#include "routesupport.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

#include <limits>

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

/// A create (title required, body may be empty) or a patch (at least one field).
Result<PostInput> readPostInput(BodyReader &body, const ContentConfig &cfg, bool create)
{
    PostInput in;
    in.title = body.text(QStringLiteral("title"), {cfg.titleMax, create ? Presence::Required : Presence::Optional});
    // Multi-line text under the SDK's one rule (a NUL used to reach PostgreSQL, which cut
    // the stored markdown there while the rendered HTML kept the rest); bytes counted below.
    in.body = body.text(QStringLiteral("body"), {std::numeric_limits<int>::max(), Presence::Optional, true, true});
    if (create && !in.body && !body.hasError(QStringLiteral("body")))
        in.body = QString();
    if (body.has(QStringLiteral("tags"))) {
        QList<FieldError> errors;
        in.tags = parseTags(body.value(QStringLiteral("tags")), cfg, errors);
        for (const FieldError &e : errors)
            body.addError(e);
    }
    if (!create && !in.title && !in.body && !in.tags && !body.hasErrors())
        body.addError(QStringLiteral("body"), QStringLiteral("nothing to change"), QStringLiteral("required"));
    if (in.body && in.body->toUtf8().size() > cfg.markdown.maxInputBytes)
        body.addError(QStringLiteral("body"), QStringLiteral("must be at most %1 bytes").arg(cfg.markdown.maxInputBytes),
                      QStringLiteral("too_long"));
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return in;
}

/// Post answers show the whole post: the caller is its author or a moderator.
HttpResponse postResponse(int status, const PostRow &post)
{
    return HttpResponse::json(status, postJson(post, true, true));
}

Result<HttpResponse> postResponse(const Result<PostRow> &post)
{
    if (!post)
        return tl::unexpected(post.error());
    return postResponse(200, *post);
}

} // namespace

QList<Route> PostRoutes::routes()
{
    const qint64 bodyLimit = m_ctx.config.markdown.maxInputBytes * 2 + 16 * 1024; // JSON escaping headroom
    auto state = [this](bool deleting) -> Handler {
        return [this, deleting](HttpRequest &req, const Responder &res) { authorState(req, res, deleting); };
    };
    auto flag = [this](PostFlag f, bool on) -> Handler {
        return [this, f, on](HttpRequest &req, const Responder &res) { setFlag(req, res, f, on); };
    };
    // Writes that take content away or change it empty the anonymous cache (anoncache.h).
    AnonymousCache &cache = *m_ctx.anonymousCache;
    return {
        {"POST", QStringLiteral("/v1/communities/{slug}/posts"), writeRoute(bodyLimit), memberHandler(this, &PostRoutes::create)},
        {"PATCH", QStringLiteral("/v1/posts/{id}"), writeRoute(bodyLimit), cache.invalidating(memberHandler(this, &PostRoutes::edit))},
        {"GET", QStringLiteral("/v1/posts/{id}/revisions"), readRoute(), memberHandler(this, &PostRoutes::revisions)},
        {"DELETE", QStringLiteral("/v1/posts/{id}"), writeRoute(), cache.invalidating(state(true))},
        {"POST", QStringLiteral("/v1/posts/{id}/restore"), writeRoute(), cache.invalidating(state(false))},
        {"POST", QStringLiteral("/v1/posts/{id}/remove"), moderateRoute(), cache.invalidating(memberHandler(this, &PostRoutes::remove))},
        {"PUT", QStringLiteral("/v1/posts/{id}/pin"), moderateRoute(), flag(PostFlag::Pinned, true)},
        {"DELETE", QStringLiteral("/v1/posts/{id}/pin"), moderateRoute(), flag(PostFlag::Pinned, false)},
        {"PUT", QStringLiteral("/v1/posts/{id}/lock"), moderateRoute(), cache.invalidating(flag(PostFlag::Locked, true))},
        {"DELETE", QStringLiteral("/v1/posts/{id}/lock"), moderateRoute(), cache.invalidating(flag(PostFlag::Locked, false))},
    };
}

void PostRoutes::create(HttpRequest &req, const Responder &res)
{
    auto request = readCreateRequest(req, res);
    if (!request)
        return;
    auto input = readPostInput(request->body, m_ctx.config, true);
    if (!input)
        return sendError(req, res, input.error());
    const QString slug = req.pathParams.value(QStringLiteral("slug"));
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, slug, in = *input, key = request->key]() {
        return svc->create(who, slug, in, key, [](const PostRow &post) {
            HttpResponse resp = postResponse(201, post);
            resp.setHeader("Location", QStringLiteral("/v1/posts/%1").arg(post.id).toUtf8());
            return resp;
        });
    });
}

void PostRoutes::edit(HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("post"));
    if (!id)
        return sendError(req, res, id.error());
    auto body = readBody(req, res);
    if (!body)
        return;
    auto input = readPostInput(*body, m_ctx.config, false);
    if (!input)
        return sendError(req, res, input.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, in = *input]() {
        return postResponse(svc->edit(who, id, in));
    });
}

void PostRoutes::revisions(HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("post"));
    if (!id)
        return sendError(req, res, id.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id]() -> Result<HttpResponse> {
        auto r = svc->revisions(who, viewerOf(who), id);
        if (!r)
            return tl::unexpected(r.error());
        const PostRow &post = r->post;
        const RevisionRow current{post.revision, post.title, post.body, post.tags,
                                  post.editedAt.isValid() ? post.editedAt : post.createdAt};
        return HttpResponse::json(200, revisionsJson(QStringLiteral("postId"), id, current, r->earlier, true));
    });
}

void PostRoutes::authorState(HttpRequest &req, const Responder &res, bool deleting)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("post"));
    if (!id)
        return sendError(req, res, id.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, deleting]() {
        return postResponse(svc->setAuthorState(who, id, deleting));
    });
}

void PostRoutes::remove(HttpRequest &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("post"));
    if (!id)
        return sendError(req, res, id.error());
    const auto reason = readRemovalReason(req, res);
    if (!reason)
        return;
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, reason = *reason]() {
        return postResponse(svc->remove(who, id, reason));
    });
}

void PostRoutes::setFlag(HttpRequest &req, const Responder &res, PostFlag flag, bool on)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("post"));
    if (!id)
        return sendError(req, res, id.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, who = req.principal, id = *id, flag, on]() {
        return postResponse(svc->setFlag(who, id, flag, on));
    });
}

} // namespace Content
