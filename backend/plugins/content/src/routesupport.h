// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The route options the content route modules share (what the gateway enforces: access,
/// role, API-key scope, rate class, body limit) and the viewer of a personalised read.
///
/// Scopes for API keys: content:read (viewer-specific reads), content:write (creating,
/// editing, voting, bookmarking, reporting), content:moderate (moderator actions).

#include "community/http.h"
#include "community/principal.h"

namespace Community::Http { struct RouteOptions; }

namespace Content {

inline constexpr const char *kReadScope = "content:read";
inline constexpr const char *kWriteScope = "content:write";
inline constexpr const char *kModerateScope = "content:moderate";

/// Options for a signed-in write route (scope content:write, rate class "write").
Community::Http::RouteOptions writeRoute(qint64 maxBodyBytes = 16 * 1024);
/// Options for a moderator action (scope content:moderate, rate class "write"); the
/// per-community check happens in the handler (permissions.h).
Community::Http::RouteOptions moderateRoute();
/// Options for a signed-in read of one's own things (scope content:read).
Community::Http::RouteOptions ownReadRoute();
/// Options for a public read (anonymous allowed; a principal personalises the answer).
Community::Http::RouteOptions readRoute();
/// The viewer id for personalised reads: 0 for anonymous callers and for API keys
/// without content:read.
qint64 viewerOf(const Community::Principal &principal);

/// A route handler calling `method` on `module` (which outlives the router's use).
template<typename Module>
Community::Http::Handler bindRoute(Module *module,
                                   void (Module::*method)(Community::Http::HttpRequest &, const Community::Http::Responder &))
{
    return [module, method](Community::Http::HttpRequest &req, const Community::Http::Responder &res) {
        (module->*method)(req, res);
    };
}

} // namespace Content

