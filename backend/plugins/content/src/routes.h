// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The content plugin's route modules. Each registers its routes with the options the
/// gateway enforces (access, role, API-key scope, rate class, body limit) and keeps a
/// reference to the context, which outlives the router's use.
///
/// Scopes for API keys: content:read (viewer-specific reads), content:write (creating,
/// editing, voting, bookmarking, reporting), content:moderate (moderator actions).

#include "contentcontext.h"

#include "community/result.h"

namespace Community::Http { class Router; struct RouteOptions; }

namespace Content {

inline constexpr const char *kReadScope = "content:read";
inline constexpr const char *kWriteScope = "content:write";
inline constexpr const char *kModerateScope = "content:moderate";

/// Options for a signed-in write route (scope content:write, rate class "write").
Community::Http::RouteOptions writeRoute(qint64 maxBodyBytes = 16 * 1024);
/// Options for a moderator action (scope content:moderate, rate class "write"); the
/// per-community check happens in the handler (permissions.h).
Community::Http::RouteOptions moderateRoute();
/// Options for a public read (anonymous allowed; a principal personalises the answer).
Community::Http::RouteOptions readRoute();
/// The viewer id for personalised reads: 0 for anonymous callers and for API keys
/// without content:read.
qint64 viewerOf(const Community::Principal &principal);

Community::Result<void> registerCommunityRoutes(Community::Http::Router &router, ContentContext &ctx); // communities.cpp
Community::Result<void> registerPostRoutes(Community::Http::Router &router, ContentContext &ctx);      // posts.cpp
Community::Result<void> registerCommentRoutes(Community::Http::Router &router, ContentContext &ctx);   // comments.cpp (+ post page)
Community::Result<void> registerVoteRoutes(Community::Http::Router &router, ContentContext &ctx);      // votes.cpp (+ bookmarks)
Community::Result<void> registerReportRoutes(Community::Http::Router &router, ContentContext &ctx);    // reports.cpp
Community::Result<void> registerFeedRoutes(Community::Http::Router &router, ContentContext &ctx);      // feeds.cpp

} // namespace Content
