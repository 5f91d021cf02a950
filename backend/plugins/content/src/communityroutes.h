// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Community routes, HTTP only (CommunityService does the work on a worker):
///
///   POST   /v1/communities                              create (role: plugins.content.communityCreateRole)
///   GET    /v1/communities?sort=members|new&cursor=&limit=
///   GET    /v1/communities/{slug}
///   PATCH  /v1/communities/{slug}                       title/description/rules (moderators)
///   POST   /v1/communities/{slug}/join | /leave
///   GET    /v1/me/communities                           the caller's memberships
///   GET    /v1/communities/{slug}/moderators
///   PUT    /v1/communities/{slug}/moderators/{username} appoint (owner or site admin)
///   DELETE /v1/communities/{slug}/moderators/{username} dismiss
///
/// Threading: handlers run on I/O threads and never block.

#include "community/router.h"

namespace Content {

struct ContentContext;
class CommunityService;

class CommunityRoutes {
public:
    /// `ctx` and `service` must outlive the router's use of the handlers.
    CommunityRoutes(ContentContext &ctx, CommunityService &service) : m_ctx(ctx), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void create(Request &req, const Responder &res);
    void list(Request &req, const Responder &res);
    void get(Request &req, const Responder &res);
    void update(Request &req, const Responder &res);
    void membership(Request &req, const Responder &res, bool join);
    void mine(Request &req, const Responder &res);
    void moderators(Request &req, const Responder &res);
    void setModerator(Request &req, const Responder &res, bool appoint);

    ContentContext &m_ctx;
    CommunityService &m_service;
};

} // namespace Content
