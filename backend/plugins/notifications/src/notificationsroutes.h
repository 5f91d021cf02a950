// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The inbox routes (/v1/notifications…): HTTP only. Each handler reads the request with
/// the SDK, calls NotificationsService on a database worker and formats the answer.
/// Threading: handlers run on I/O threads and never block.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Notifications {

class NotificationsService;

class NotificationsRoutes {
public:
    NotificationsRoutes(Community::Db::Database &db, NotificationsService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void list(Request &req, const Responder &res);
    void unread(Request &req, const Responder &res);
    void markRead(Request &req, const Responder &res);
    void remove(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    NotificationsService &m_service;
};

} // namespace Notifications
