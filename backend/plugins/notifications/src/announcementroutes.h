// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The admin routes of system announcements: publish (202; the fan-out runs in the
/// background) and list with progress. HTTP only; handlers never block.

#include "notificationsconfig.h"

#include "community/router.h"

#include <functional>

namespace Community::Db { class Database; }

namespace Notifications {

class AnnouncementService;

class AnnouncementRoutes {
public:
    AnnouncementRoutes(Community::Db::Database &db, AnnouncementService &service, AnnouncementConfig config)
        : m_db(db), m_service(service), m_config(config) {}

    QList<Community::Http::Route> routes();
    /// Starts the fan-out (called after a new announcement committed).
    void onPublished(std::function<void()> wake) { m_wake = std::move(wake); }

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void publish(Request &req, const Responder &res);
    void list(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    AnnouncementService &m_service;
    AnnouncementConfig m_config;
    std::function<void()> m_wake;
};

} // namespace Notifications
