// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// HTTP for the audit log: GET /v1/admin/audit (filters, keyset paging) and
/// GET /v1/admin/audit/verify. Administrators only (API keys: admin:audit; the operator
/// token acts as an administrator). Handlers run on I/O threads; the service on workers.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Admin {

class AuditService;

inline constexpr const char *kAuditScope = "admin:audit";

class AuditRoutes {
public:
    AuditRoutes(Community::Db::Database &db, AuditService &service) : m_db(db), m_service(service) {}
    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;
    void list(Request &req, const Responder &res);
    void verify(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    AuditService &m_service;
};

} // namespace Admin
