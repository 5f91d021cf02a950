// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Operator route of the realtime hub (operator token only):
//   GET  /v1/ws (without Upgrade)       426: the endpoint is a WebSocket
//   POST /v1/system/realtime/publish   {"topic": "user:7", "data": {...}}
// Publishes through the same Realtime::Hub interface plugins use (announcements, drills,
// tests). Durable topics answer 202 {"seq": N}; ephemeral ones 202 {"seq": 0}.

#include "community/router.h"

namespace Community {
namespace Db { class Database; }
namespace Realtime { class Hub; }

class RealtimeRoutes {
public:
    RealtimeRoutes(Realtime::Hub &hub, Db::Database &db) : m_hub(hub), m_db(db) {}

    QList<Http::Route> routes();

private:
    void publish(Http::HttpRequest &req, const Http::Responder &res);
    void upgradeRequired(Http::HttpRequest &req, const Http::Responder &res);

    Realtime::Hub &m_hub;
    Db::Database &m_db;
};

} // namespace Community
