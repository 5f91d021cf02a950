// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The preference routes (/v1/notifications/preferences, /v1/notifications/muted-threads):
/// HTTP only. Threading: handlers run on I/O threads and never block.

#include "preferencesrepository.h"

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Notifications {

class PreferencesService;

class PreferencesRoutes {
public:
    PreferencesRoutes(Community::Db::Database &db, PreferencesService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void get(Request &req, const Responder &res);
    void update(Request &req, const Responder &res);
    void setMuted(Request &req, const Responder &res, PreferencesRepository::Mute what, bool muted);

    Community::Db::Database &m_db;
    PreferencesService &m_service;
};

} // namespace Notifications
