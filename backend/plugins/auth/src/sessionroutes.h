// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// /v1/auth login, refresh, logout and the session list: HTTP only. Handlers read the
/// request on the I/O thread and call SessionService on a database worker.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Auth {

class SessionService;

class SessionRoutes {
public:
    /// `db` and `service` must outlive the router's use of the handlers.
    SessionRoutes(Community::Db::Database &db, SessionService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void login(Request &req, const Responder &res);
    void refresh(Request &req, const Responder &res);
    void logout(Request &req, const Responder &res);
    void sessions(Request &req, const Responder &res);
    void deleteSession(Request &req, const Responder &res);
    void revokeOthers(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    SessionService &m_service;
};

} // namespace Auth
