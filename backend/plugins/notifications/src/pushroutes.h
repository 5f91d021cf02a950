// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The web push routes: the VAPID public key and the caller's subscriptions. HTTP only;
/// handlers never block.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Notifications {

class PushService;

class PushRoutes {
public:
    PushRoutes(Community::Db::Database &db, PushService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void key(Request &req, const Responder &res);
    void list(Request &req, const Responder &res);
    void subscribe(Request &req, const Responder &res);
    void unsubscribe(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    PushService &m_service;
};

} // namespace Notifications
