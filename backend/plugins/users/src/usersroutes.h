// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The users routes — the worked example of the plugin SDK's route layer (README "Adding
/// a plugin"): HTTP only. Each handler reads the request with the SDK (BodyReader, query
/// helpers), calls UsersService on a database worker (Database::respondWith) and formats
/// the answer; rules and SQL live in UsersService and UsersRepository. What each route
/// needs (role, API-key scope, rate class, body limit) is declared in routes() for the
/// gateway to enforce and for /openapi.json to document.
/// Threading: handlers run on I/O threads and never block; the service runs on workers.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Users {

class UsersService;
enum class Relation;
enum class Action;

inline constexpr qint64 kPatchBodyLimit = 16 * 1024;

class UsersRoutes {
public:
    /// `db` and `service` must outlive the router's use of the handlers.
    UsersRoutes(Community::Db::Database &db, UsersService &service) : m_db(db), m_service(service) {}

    /// The route table; the plugin adds it with Router::add().
    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void search(Request &req, const Responder &res);
    void me(Request &req, const Responder &res);
    void updateMe(Request &req, const Responder &res);
    void profile(Request &req, const Responder &res);
    /// Lists of accounts: one's own blocks/mutes, anyone's followers/following.
    void relationPage(Request &req, const Responder &res, Relation relation, bool own);
    void act(Request &req, const Responder &res, Action action);

    Community::Db::Database &m_db;
    UsersService &m_service;
};

} // namespace Users
