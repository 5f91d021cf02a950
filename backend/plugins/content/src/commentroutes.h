// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Comment routes and the post page, HTTP only (CommentService does the work):
///
///   GET    /v1/posts/{id}                      the post page: post + first page of the comment tree
///   POST   /v1/posts/{id}/comments             {body, parentId?}   Idempotency-Key
///   GET    /v1/posts/{id}/comments             ?parentId=&sort=&cursor=&limit= further pages
///   GET    /v1/comments/{id}                   one comment with its replies (permalink)
///   GET    /v1/users/{username}/comments       a user's comments, newest first, with their posts
///   PATCH  /v1/comments/{id}                   {body} author only, old text kept as a revision
///   GET    /v1/comments/{id}/revisions
///   DELETE /v1/comments/{id}                   author: soft delete
///   POST   /v1/comments/{id}/restore           author (deleted) or moderator (removed/deleted)
///   POST   /v1/comments/{id}/remove            {reason?} moderator
///
/// Anonymous post pages and comment lists are micro-cached (anoncache.h).
/// Threading: handlers run on I/O threads and never block.

#include "anoncache.h"

#include "community/router.h"

namespace Content {

struct ContentContext;
class CommentService;

class CommentRoutes {
public:
    /// `ctx` and `service` must outlive the router's use of the handlers.
    CommentRoutes(ContentContext &ctx, CommentService &service) : m_ctx(ctx), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    /// GET /v1/posts/{id}: a shared page (anoncache.h) with the viewer's values written in.
    std::optional<AnonymousCache::PageJobs> postPageJobs(Request &req, const Responder &res);
    void list(Request &req, const Responder &res);
    void byAuthor(Request &req, const Responder &res);
    void permalink(Request &req, const Responder &res);
    void create(Request &req, const Responder &res);
    void edit(Request &req, const Responder &res);
    void revisions(Request &req, const Responder &res);
    void authorState(Request &req, const Responder &res, bool deleting);
    void remove(Request &req, const Responder &res);

    ContentContext &m_ctx;
    CommentService &m_service;
};

} // namespace Content
