// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Operator routes of the event bus (operator token only):
//   GET  /v1/system/events?after=&limit=             tail of the outbox
//   GET  /v1/system/events/consumers                 offsets, lag, dead letters
//   POST /v1/system/events/consumers/{consumer}/replay      {"fromId": N}
//   POST /v1/system/events/consumers/{consumer}/retry-dead

#include "community/result.h"

namespace Community {
namespace Db { class Database; }
namespace Http { class Router; }
namespace Events { class EventBus; }

/// `bus` and `db` must outlive the router's handlers.
Result<void> registerEventRoutes(Http::Router &router, Events::EventBus &bus, Db::Database &db);

} // namespace Community
