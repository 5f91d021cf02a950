// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Operator routes of the event bus (operator token only):
//   GET  /v1/system/events?after=&limit=             tail of the outbox
//   GET  /v1/system/events/consumers                 offsets, lag, dead letters
//   POST /v1/system/events/consumers/{consumer}/replay      {"fromId": N}
//   POST /v1/system/events/consumers/{consumer}/retry-dead

#include "community/router.h"

namespace Community {
namespace Db { class Database; }
namespace Events { class EventBus; }

class EventRoutes {
public:
    /// `bus` and `db` must outlive the router's handlers.
    EventRoutes(Events::EventBus &bus, Db::Database &db) : m_bus(bus), m_db(db) {}

    QList<Http::Route> routes();

private:
    void tail(Http::HttpRequest &req, const Http::Responder &res);
    void consumers(Http::HttpRequest &req, const Http::Responder &res);
    void replay(Http::HttpRequest &req, const Http::Responder &res);
    void retryDead(Http::HttpRequest &req, const Http::Responder &res);

    Events::EventBus &m_bus;
    Db::Database &m_db;
};

} // namespace Community
