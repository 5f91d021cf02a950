// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Vote and bookmark routes, HTTP only (VoteService does the work):
///
///   PUT    /v1/posts/{id}/vote          {"value": 1 | -1 | 0}   0 clears the vote
///   PUT    /v1/comments/{id}/vote       {"value": 1 | -1 | 0}
///   PUT    /v1/posts/{id}/bookmark      204 (idempotent; keeps the first bookmark time)
///   DELETE /v1/posts/{id}/bookmark      204 (idempotent)
///   GET    /v1/me/bookmarks             ?cursor=&limit= newest bookmark first
///
/// Threading: handlers run on I/O threads and never block.

#include "voterepository.h"

#include "community/router.h"

namespace Content {

struct ContentContext;
class VoteService;

class VoteRoutes {
public:
    /// `ctx` and `service` must outlive the router's use of the handlers.
    VoteRoutes(ContentContext &ctx, VoteService &service) : m_ctx(ctx), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void vote(Request &req, const Responder &res, VoteTarget target);
    void bookmark(Request &req, const Responder &res, bool add);
    void bookmarks(Request &req, const Responder &res);

    ContentContext &m_ctx;
    VoteService &m_service;
};

} // namespace Content
