// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The analytics routes: HTTP only. Ingestion is public (anonymous page views count);
/// reports are for administrators, the moderation report also for moderators — declared
/// in routes() for the gateway to enforce. Handlers run on I/O threads and never block.

#include "community/router.h"

#include <memory>

namespace Community::Db { class Database; }

namespace Analytics {

class AnalyticsService;
class ReportService;
class EventRateLimiter;

class AnalyticsRoutes {
public:
    AnalyticsRoutes(Community::Db::Database &db, AnalyticsService &service, ReportService &reports);
    ~AnalyticsRoutes();

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void ingest(Request &req, const Responder &res);
    void report(Request &req, const Responder &res);
    void live(Request &req, const Responder &res);
    void optOutStatus(Request &req, const Responder &res);
    void setOptOut(Request &req, const Responder &res, bool optOut);
    void rebuild(Request &req, const Responder &res);
    void maintain(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    AnalyticsService &m_service;
    ReportService &m_reports;
    std::unique_ptr<EventRateLimiter> m_limiter;
};

} // namespace Analytics
