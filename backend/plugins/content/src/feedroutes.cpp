// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "feedroutes.h"

#include "anoncache.h"
#include "communityrepository.h"
#include "contentcontext.h"
#include "feedservice.h"
#include "jsonwriter.h"
#include "postjson.h"
#include "routesupport.h"

#include "community/database.h"
#include "community/problem.h"

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

void appendPosts(QByteArray &out, const QList<FeedEntry> &entries, qsizetype count)
{
    out += '[';
    for (qsizetype i = 0; i < count && i < entries.size(); ++i) {
        if (i)
            out += ',';
        appendPostExcerpt(out, entries[i].post);
    }
    out += ']';
}

HttpResponse feedResponse(const FeedQuery &q, const FeedRows &rows)
{
    QByteArray body;
    body.reserve(1024 + 800 * std::min<qsizetype>(rows.page.size() + rows.pinned.size(), q.limit + kMaxPinned));
    body += "{\"items\":";
    appendPosts(body, rows.page, q.limit);
    body += ",\"nextCursor\":";
    if (rows.page.size() > q.limit)
        JsonWriter::appendText(body, nextFeedCursor(q, q.firstPage ? rows.nowMicros : q.anchorMicros, rows.page[q.limit - 1]));
    else
        body += "null";
    if (q.feed == Feed::Community) {
        body += ",\"pinned\":";
        appendPosts(body, rows.pinned, rows.pinned.size());
    }
    body += '}';
    return HttpResponse::text(200, body, "application/json");
}

} // namespace

QList<Route> FeedRoutes::routes()
{
    auto feed = [this](Feed f) -> Handler {
        return [this, f](HttpRequest &req, const Responder &res) {
            answer(req, res, f, f == Feed::Home ? req.principal.userId : viewerOf(req.principal));
        };
    };
    AnonymousCache &cache = *m_ctx.anonymousCache;
    return {
        {"GET", QStringLiteral("/v1/communities/{slug}/posts"), readRoute(), cache.wrap(feed(Feed::Community))},
        {"GET", QStringLiteral("/v1/posts"), readRoute(), cache.wrap(feed(Feed::All))},
        {"GET", QStringLiteral("/v1/feed"), ownReadRoute(), feed(Feed::Home)},
        {"GET", QStringLiteral("/v1/users/{username}/posts"), readRoute(), cache.wrap(feed(Feed::Author))},
    };
}

void FeedRoutes::answer(const HttpRequest &req, const Responder &res, Feed feed, qint64 viewer)
{
    auto q = parseFeedQuery(req, feed, m_ctx.config);
    if (!q)
        return sendError(req, res, q.error());
    if (feed == Feed::Community) {
        q->slug = req.pathParams.value(QStringLiteral("slug"));
        if (!isValidSlug(q->slug.toLower()))
            return sendError(req, res, notFound(QStringLiteral("No such community.")));
    }
    if (feed == Feed::Author)
        q->username = req.pathParams.value(QStringLiteral("username"));
    m_ctx.db.respondWith(req, res, [svc = &m_service, q = *q, viewer]() -> Result<HttpResponse> {
        auto rows = svc->page(q, viewer);
        if (!rows)
            return tl::unexpected(rows.error());
        return feedResponse(q, *rows);
    });
}

} // namespace Content
