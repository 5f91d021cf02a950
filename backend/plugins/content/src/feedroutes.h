// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Feed routes, HTTP only (FeedService reads the rows):
///
///   GET /v1/communities/{slug}/posts   one community (public; pinned posts apart on page 1)
///   GET /v1/feed                       home: posts by followed users + in joined communities
///                                      (signed in, scope content:read)
///   GET /v1/posts?tag=                 every community, optionally one tag (public)
///
/// Query: sort=hot|new|top (default hot), t=day|week|month|year|all (top only, default
/// all), limit, cursor (feedquery.h). Anonymous readers share a micro-cached answer, and
/// signed-in readers get it with their own votes and bookmarks written in unless it shows
/// an author they hide (anoncache.h, sharedpage.h; the home feed is always personal). The answer is written as bytes (postjson.h): QJsonObject and
/// QJsonDocument cost about twice the rest of a feed request.
/// Threading: handlers run on I/O threads and never block.

#include "anoncache.h"
#include "feedquery.h"

#include "community/router.h"

namespace Content {

struct ContentContext;
class FeedService;

class FeedRoutes {
public:
    /// `ctx` and `service` must outlive the router's use of the handlers.
    FeedRoutes(ContentContext &ctx, FeedService &service) : m_ctx(ctx), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    /// The query, or nothing (a bad one was answered).
    std::optional<FeedQuery> parse(const Community::Http::HttpRequest &req, const Community::Http::Responder &res,
                                   Feed feed);
    /// The shared page's load and the signed-in viewer's answer (anoncache.h).
    std::optional<AnonymousCache::PageJobs> jobs(const Community::Http::HttpRequest &req,
                                                 const Community::Http::Responder &res, Feed feed);

    ContentContext &m_ctx;
    FeedService &m_service;
};

} // namespace Content
