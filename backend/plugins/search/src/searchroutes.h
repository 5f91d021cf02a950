// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The search routes: parameters are parsed and validated on the I/O thread (400
/// problem+json with field errors), the service runs on a database worker, the answer is
/// formatted here. Access per route is declared for the gateway:
///   GET  /v1/search, /v1/search/suggest, POST /v1/search/click   public
///   GET  /v1/search/stats                                          moderators (scope search:read-stats)
///   GET  /v1/search/status                                         admins (scope search:admin)
///   POST /v1/search/reindex                                        operator token

#include "community/result.h"

#include <QString>

#include <optional>

namespace Community::Db { class Database; }
namespace Community::Http { class Router; }

namespace Search {

class SearchService;

/// Registers every search route. `service` and `db` must outlive the router's use.
Community::Result<void> registerSearchRoutes(Community::Http::Router &router, Community::Db::Database &db,
                                             SearchService &service);

/// Opaque page cursors (an offset; relevance pages are not keyset).
QString encodeSearchCursor(int offset);
std::optional<int> decodeSearchCursor(const QString &cursor, int maxOffset);

} // namespace Search
