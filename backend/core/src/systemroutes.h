// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The host's own routes: /healthz, /readyz, /metrics, /openapi.json and /v1/system/*.

#include "community/host/migrator.h"
#include "community/host/pluginmanager.h"
#include "community/result.h"
#include "community/router.h"

#include <QDateTime>

#include <atomic>
#include <functional>
#include <mutex>
#include <memory>

namespace prometheus { class Registry; template<typename T> class Family; class Gauge; }

namespace Community {

class PluginManager;
namespace Chaos { class FaultRegistry; }
namespace Db { class Database; }

class SystemRoutes {
public:
    struct Deps {
        PluginManager *plugins;
        Db::Database *db;
        prometheus::Registry *registry;
        const QList<MigrationSet> *migrationSets;
        bool externalDatabase;
        QString nodeName;
        /// Client networks that may scrape /metrics without the operator token.
        QList<Http::Subnet> metricsAllowFrom = {};
        /// Active injected faults, shown by /readyz; may be null.
        const Chaos::FaultRegistry *faults = nullptr;
    };
    explicit SystemRoutes(Deps deps);
    ~SystemRoutes();

    /// The host's route table; `router` (which will hold them) is kept for /v1/system/routes
    /// and for deriving /openapi.json security.
    QList<Http::Route> routes(const Http::Router &router);
    void setMigrationsCurrent(bool current) { m_migrationsCurrent = current; }
    void setStarted();
    /// Copies the plugin states for the handlers (which run on I/O threads, while the
    /// PluginManager is main-thread only). Call on the main thread after state changes.
    void refreshPluginStates();
    /// /readyz reports not ready from now on (the daemon is draining).
    void setStopping() { m_started = false; }
    /// Rebuilds /openapi.json from the host document and the running plugins' fragments;
    /// each operation's `security` comes from its route in the router of registerRoutes().
    void refreshOpenApi();
    /// Called (on a worker thread) after a successful, complete `migrate up`.
    void setMigratedCallback(std::function<void()> cb) { m_onMigrated = std::move(cb); }

private:
    using Request = Http::HttpRequest;
    using Responder = Http::Responder;
    void ready(Request &req, const Responder &res);
    void metrics(Request &req, const Responder &res);
    void openApi(Request &req, const Responder &res);
    void info(Request &req, const Responder &res);
    void routeList(Request &req, const Responder &res);
    void migrations(Request &req, const Responder &res);
    void migrate(Request &req, const Responder &res);
    void time(Request &req, const Responder &res);
    void refreshGauges();
    QList<PluginInfo> pluginStates() const;
    Deps m_deps;
    QDateTime m_startedAt;
    std::atomic_bool m_migrationsCurrent{false};
    std::atomic_bool m_started{false};
    const Http::Router *m_router = nullptr;  ///< set by routes(); outlives this
    QByteArray m_openApiBase;
    QByteArray m_openApi;
    std::mutex m_openApiMutex;
    mutable std::mutex m_pluginsMutex;
    QList<PluginInfo> m_pluginStates;
    std::function<void()> m_onMigrated;
    prometheus::Family<prometheus::Gauge> *m_pluginUp = nullptr;
};

} // namespace Community
