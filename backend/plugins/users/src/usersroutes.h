// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The users routes: request parsing and validation on the I/O thread, the service call
/// on a database worker, JSON formatting of the answer. What each route needs (role,
/// API-key scope, rate class, body limit) is declared here for the gateway to enforce.

#include "community/result.h"

namespace Community::Db { class Database; }
namespace Community::Http { class Router; }

namespace Users {

class UsersService;

inline constexpr qint64 kPatchBodyLimit = 16 * 1024;

/// Registers every users route. `service` and `db` must outlive the router's use.
Community::Result<void> registerRoutes(Community::Http::Router &router, Community::Db::Database &db,
                                       UsersService &service);

} // namespace Users
