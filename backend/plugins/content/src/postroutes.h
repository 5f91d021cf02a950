// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Post routes, HTTP only (PostService does the work on a worker). The post page
/// (GET /v1/posts/{id} with its comments) is in CommentRoutes.
///
///   POST   /v1/communities/{slug}/posts      {title, body, tags}   Idempotency-Key
///   PATCH  /v1/posts/{id}                    {title?, body?, tags?} author only
///   GET    /v1/posts/{id}/revisions
///   DELETE /v1/posts/{id}                    author: soft delete
///   POST   /v1/posts/{id}/restore            author (deleted) or moderator (removed/deleted)
///   POST   /v1/posts/{id}/remove             {reason} moderator
///   PUT|DELETE /v1/posts/{id}/pin | /lock    moderator
///
/// Threading: handlers run on I/O threads and never block.

#include "postrepository.h"

#include "community/router.h"

namespace Content {

struct ContentContext;
class PostService;

class PostRoutes {
public:
    /// `ctx` and `service` must outlive the router's use of the handlers.
    PostRoutes(ContentContext &ctx, PostService &service) : m_ctx(ctx), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void create(Request &req, const Responder &res);
    void edit(Request &req, const Responder &res);
    void revisions(Request &req, const Responder &res);
    void authorState(Request &req, const Responder &res, bool deleting);
    void remove(Request &req, const Responder &res);
    void setFlag(Request &req, const Responder &res, PostFlag flag, bool on);

    ContentContext &m_ctx;
    PostService &m_service;
};

} // namespace Content
