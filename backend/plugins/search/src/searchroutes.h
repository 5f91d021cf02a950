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

#include "community/router.h"

#include <QString>

#include <optional>

namespace Community::Db { class Database; }

namespace Search {

class SearchService;

class SearchRoutes {
public:
    /// `db` and `service` must outlive the router's use of the handlers.
    SearchRoutes(Community::Db::Database &db, SearchService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void search(Request &req, const Responder &res);
    void suggest(Request &req, const Responder &res);
    void click(Request &req, const Responder &res);
    void stats(Request &req, const Responder &res);
    void status(Request &req, const Responder &res);
    void reindex(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    SearchService &m_service;
};

/// Opaque page cursors (an offset; relevance pages are not keyset).
QString encodeSearchCursor(int offset);
std::optional<int> decodeSearchCursor(const QString &cursor, int maxOffset);

} // namespace Search
