// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the content route modules share: route options (what the gateway enforces:
/// access, role, API-key scope, rate class, body limit), the viewer of a personalised
/// read, handler binding, and the request shapes several routes read (a creating request
/// with its Idempotency-Key, a moderator's removal reason).
///
/// Scopes for API keys: content:read (viewer-specific reads), content:write (creating,
/// editing, voting, bookmarking, reporting), content:moderate (moderator actions).

#include "idempotency.h"

#include "community/http.h"
#include "community/principal.h"
#include "community/request.h"

#include <optional>

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

/// A creating request: its JSON body and Idempotency-Key.
struct CreateRequest {
    Community::Http::BodyReader body;
    std::optional<IdempotencyKey> key;
};
/// Reads a creating request; answers the 400 itself (nullopt) for a bad body or key.
std::optional<CreateRequest> readCreateRequest(const Community::Http::HttpRequest &req,
                                               const Community::Http::Responder &res);

/// A moderator's removal: an optional body {"reason"?}. Answers the 400 itself (nullopt).
std::optional<QString> readRemovalReason(const Community::Http::HttpRequest &req, const Community::Http::Responder &res);


} // namespace Content

