// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Presence routes: PUT /v1/chat/presence (a device's state, refreshed by the client) and
/// GET /v1/chat/presence?users=1,2 (accounts' states). HTTP only.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Chat {

class PresenceService;

class PresenceRoutes {
public:
    PresenceRoutes(Community::Db::Database &db, PresenceService &presence) : m_db(db), m_presence(presence) {}

    QList<Community::Http::Route> routes();

private:
    void set(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void get(Community::Http::HttpRequest &req, const Community::Http::Responder &res);

    Community::Db::Database &m_db;
    PresenceService &m_presence;
};

} // namespace Chat
