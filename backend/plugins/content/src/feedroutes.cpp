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

void appendPosts(QByteArray &out, const QList<FeedEntry> &entries, qsizetype count, QList<PageSlot> *places)
{
    out += '[';
    for (qsizetype i = 0; i < count && i < entries.size(); ++i) {
        if (i)
            out += ',';
        appendPostExcerpt(out, entries[i].post, places);
    }
    out += ']';
}

/// The answer for these rows, with the places of the viewer's values and the authors
/// (the look-ahead row's too: hiding it would change nextCursor).
SharedPage feedPage(const FeedQuery &q, const FeedRows &rows)
{
    SharedPage page;
    QByteArray &body = page.response.body;
    body.reserve(1024 + 800 * std::min<qsizetype>(rows.page.size() + rows.pinned.size(), q.limit + kMaxPinned));
    body += "{\"items\":";
    appendPosts(body, rows.page, q.limit, &page.places);
    body += ",\"nextCursor\":";
    if (rows.page.size() > q.limit)
        JsonWriter::appendText(body, nextFeedCursor(q, q.firstPage ? rows.nowMicros : q.anchorMicros, rows.page[q.limit - 1]));
    else
        body += "null";
    if (q.feed == Feed::Community) {
        body += ",\"pinned\":";
        appendPosts(body, rows.pinned, rows.pinned.size(), &page.places);
    }
    body += '}';
    page.response = HttpResponse::text(200, body, "application/json");
    page.shareable = true;
    for (const QList<FeedEntry> *list : {&rows.page, &rows.pinned}) {
        for (const FeedEntry &e : *list) {
            page.authors.append(e.post.authorId);
            page.shareable = page.shareable && e.post.state == QLatin1String("visible");
        }
    }
    return page;
}

} // namespace

QList<Route> FeedRoutes::routes()
{
    AnonymousCache &cache = *m_ctx.anonymousCache;
    auto shared = [this, &cache](Feed f) {
        return cache.pages([this, f](HttpRequest &req, const Responder &res) { return jobs(req, res, f); });
    };
    auto home = [this](HttpRequest &req, const Responder &res) {
        auto q = parse(req, res, Feed::Home);
        if (!q)
            return;
        m_ctx.db.respondWith(req, res, [svc = &m_service, q = *q, viewer = req.principal.userId]() -> Result<HttpResponse> {
            auto rows = svc->page(q, viewer);
            if (!rows)
                return tl::unexpected(rows.error());
            return feedPage(q, *rows).response;
        });
    };
    return {
        {"GET", QStringLiteral("/v1/communities/{slug}/posts"), readRoute(), shared(Feed::Community)},
        {"GET", QStringLiteral("/v1/posts"), readRoute(), shared(Feed::All)},
        {"GET", QStringLiteral("/v1/feed"), ownReadRoute(), home},
        {"GET", QStringLiteral("/v1/users/{username}/posts"), readRoute(), shared(Feed::Author)},
    };
}

std::optional<FeedQuery> FeedRoutes::parse(const HttpRequest &req, const Responder &res, Feed feed)
{
    auto q = parseFeedQuery(req, feed, m_ctx.config);
    if (!q) {
        sendError(req, res, q.error());
        return std::nullopt;
    }
    if (feed == Feed::Community) {
        q->slug = req.pathParams.value(QStringLiteral("slug"));
        if (!isValidSlug(q->slug.toLower())) {
            sendError(req, res, notFound(QStringLiteral("No such community.")));
            return std::nullopt;
        }
    }
    if (feed == Feed::Author)
        q->username = req.pathParams.value(QStringLiteral("username"));
    return *q;
}

std::optional<AnonymousCache::PageJobs> FeedRoutes::jobs(const HttpRequest &req, const Responder &res, Feed feed)
{
    auto q = parse(req, res, feed);
    if (!q)
        return std::nullopt;
    ContentContext *ctx = &m_ctx;
    FeedService *svc = &m_service;
    const qint64 viewer = viewerOf(req.principal);
    AnonymousCache::PageJobs jobs;
    jobs.load = [svc, q = *q]() -> Result<SharedPage> {
        auto rows = svc->page(q, 0);
        if (!rows)
            return tl::unexpected(rows.error());
        return feedPage(q, *rows);
    };
    jobs.personalize = [ctx, svc, q = *q, viewer](const SharedPage *shared) -> Result<HttpResponse> {
        if (shared) {
            auto overlay = overlayFor(*ctx, viewer, *shared);
            if (!overlay)
                return tl::unexpected(overlay.error());
            if (*overlay) {
                HttpResponse r = personalised(*shared, **overlay);
                r.setHeader("X-Cache", "shared");
                return r;
            }
        }
        auto rows = svc->page(q, viewer);
        if (!rows)
            return tl::unexpected(rows.error());
        return feedPage(q, *rows).response;
    };
    return jobs;
}

} // namespace Content
