// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Report routes, HTTP only (ReportService does the work):
///
///   POST /v1/reports                {targetType, targetId, reason, details?}
///   GET  /v1/reports                ?status=open|resolved|dismissed&community=slug&cursor=&limit=
///   POST /v1/reports/{id}/resolve   {"resolution": "resolved" | "dismissed", "note"?}
///
/// Threading: handlers run on I/O threads and never block.

#include "community/router.h"

namespace Content {

struct ContentContext;
class ReportService;

class ReportRoutes {
public:
    /// `ctx` and `service` must outlive the router's use of the handlers.
    ReportRoutes(ContentContext &ctx, ReportService &service) : m_ctx(ctx), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void create(Request &req, const Responder &res);
    void queue(Request &req, const Responder &res);
    void resolve(Request &req, const Responder &res);

    ContentContext &m_ctx;
    ReportService &m_service;
};

} // namespace Content
