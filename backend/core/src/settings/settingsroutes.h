// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The runtime settings API (administrators, the operator token, API keys with scope
// admin:settings; docs/adr/0032-runtime-settings.md):
//   GET    /v1/admin/settings              every key: type, default, limits, value, effective, source, live
//   GET    /v1/admin/settings/diff         keys whose value is not the default
//   GET    /v1/admin/settings/export       the runtime layer {version, settings: {key: value}}
//   POST   /v1/admin/settings/import       {settings, reason, dryRun}: all or nothing
//   GET    /v1/admin/settings/{key}        one key
//   PUT    /v1/admin/settings/{key}        {value, reason, dryRun}: validated as at startup
//   DELETE /v1/admin/settings/{key}        remove the runtime value (the file's or the default returns)
// Every change is stored in `settings.runtime` and publishes `settings.changed` in the same
// transaction (the admin plugin's audit log records it; other daemons follow it).

#include "community/router.h"

#include <QHash>
#include <QJsonValue>

#include <string>

namespace Community {
namespace Db { class Database; }
namespace Events { class EventBus; }
class SettingsRegistry;
struct MigrationSet;

class SettingsRoutes {
public:
    /// Every argument must outlive the router's handlers.
    SettingsRoutes(SettingsRegistry &registry, Events::EventBus &bus, Db::Database &db);

    QList<Http::Route> routes();
    /// Follows changes made on other daemons of the database (broadcast; before the bus starts).
    void followOtherNodes();

    /// The `settings` schema.
    static Result<MigrationSet> migrations();
    /// The runtime layer (key → value) read over one short connection, before the plugins
    /// initialise; empty while the schema does not exist yet (first start).
    static Result<QHash<QString, QJsonValue>> readLayer(const std::string &conninfo);

private:
    struct Change {
        QString key;        ///< as declared
        QJsonValue value;   ///< undefined: remove the runtime value
    };

    void list(Http::HttpRequest &req, const Http::Responder &res);
    void diff(Http::HttpRequest &req, const Http::Responder &res);
    void exportLayer(Http::HttpRequest &req, const Http::Responder &res);
    void importLayer(Http::HttpRequest &req, const Http::Responder &res);
    void get(Http::HttpRequest &req, const Http::Responder &res);
    void put(Http::HttpRequest &req, const Http::Responder &res);
    void remove(Http::HttpRequest &req, const Http::Responder &res);

    /// Stores the changes and their events in one transaction, then applies them here.
    Result<void> store(const QList<Change> &changes, const QString &reason, const QString &actor);

    SettingsRegistry &m_registry;
    Events::EventBus &m_bus;
    Db::Database &m_db;
    QString m_instanceId;
};

} // namespace Community
