// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "voteroutes.h"

#include "contentcontext.h"
#include "postjson.h"
#include "routesupport.h"
#include "voteservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

Result<int> readVoteValue(BodyReader &body)
{
    // An integer as sent: 1.0 and 1e0 are refused like any other integer field.
    const int value = int(body.integer(QStringLiteral("value"), Presence::Required, -1, 1).value_or(0));
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return value;
}

} // namespace

QList<Route> VoteRoutes::routes()
{
    auto vote = [this](VoteTarget target) -> Handler {
        return [this, target](HttpRequest &req, const Responder &res) { this->vote(req, res, target); };
    };
    auto bookmark = [this](bool add) -> Handler {
        return [this, add](HttpRequest &req, const Responder &res) { this->bookmark(req, res, add); };
    };
    return {
        {"PUT", QStringLiteral("/v1/posts/{id}/vote"), writeRoute(), vote(VoteTarget::Post)},
        {"PUT", QStringLiteral("/v1/comments/{id}/vote"), writeRoute(), vote(VoteTarget::Comment)},
        {"PUT", QStringLiteral("/v1/posts/{id}/bookmark"), writeRoute(), bookmark(true)},
        {"DELETE", QStringLiteral("/v1/posts/{id}/bookmark"), writeRoute(), bookmark(false)},
        {"GET", QStringLiteral("/v1/me/bookmarks"), ownReadRoute(), memberHandler(this, &VoteRoutes::bookmarks)},
    };
}

void VoteRoutes::vote(HttpRequest &req, const Responder &res, VoteTarget target)
{
    const auto id = pathId(req, QStringLiteral("id"), target == VoteTarget::Post ? QStringLiteral("post") : QStringLiteral("comment"));
    if (!id)
        return sendError(req, res, id.error());
    auto body = readBody(req, res);
    if (!body)
        return;
    auto value = readVoteValue(*body);
    if (!value)
        return sendError(req, res, value.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, me = req.principal.userId, target, id = *id,
                                    value = *value]() -> Result<HttpResponse> {
        auto counts = svc->vote(me, target, id, value);
        if (!counts)
            return tl::unexpected(counts.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("score"), counts->score},
                                                   {QStringLiteral("upvotes"), counts->upvotes},
                                                   {QStringLiteral("downvotes"), counts->downvotes},
                                                   {QStringLiteral("myVote"), value}});
    });
}

void VoteRoutes::bookmark(HttpRequest &req, const Responder &res, bool add)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("post"));
    if (!id)
        return sendError(req, res, id.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, me = req.principal.userId, id = *id, add]() -> Result<HttpResponse> {
        if (auto r = svc->bookmark(me, id, add); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void VoteRoutes::bookmarks(HttpRequest &req, const Responder &res)
{
    auto limit = queryLimit(req, m_ctx.config.defaultPageSize, m_ctx.config.maxPageSize);
    if (!limit)
        return sendError(req, res, limit.error());
    auto after = queryCursor(req, QLatin1StringView("bm"), 2);
    if (!after)
        return sendError(req, res, after.error());
    m_ctx.db.respondWith(req, res, [svc = &m_service, me = req.principal.userId, n = *limit,
                                    after = *after]() -> Result<HttpResponse> {
        auto rows = svc->bookmarks(me, after, n + 1);
        if (!rows)
            return tl::unexpected(rows.error());
        QJsonArray items;
        QJsonValue nextCursor(QJsonValue::Null);
        for (int i = 0; i < int(rows->size()) && i < n; ++i) {
            const BookmarkRow &b = rows->at(i);
            QJsonObject o = postJson(b.post, false, b.post.authorId == me);
            o.insert(QStringLiteral("bookmarkedAt"), Json::iso(Json::fromMicros(b.bookmarkedMicros)));
            items.append(o);
            if (i == n - 1 && int(rows->size()) > n)
                nextCursor = encodeCursor(QLatin1StringView("bm"), {b.bookmarkedMicros, b.post.id});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextCursor"), nextCursor}});
    });
}

} // namespace Content
