// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The analytics plugin: wiring only. Ingestion, facts, rollups and reports live in
// analytics_core (docs/analytics.md, ADR 0018).

#include "analyticsconfig.h"
#include "analyticsroutes.h"
#include "analyticsservice.h"
#include "factsprojection.h"
#include "postgreseventstore.h"
#include "reportservice.h"

#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"
#include "community/realtime.h"
#include "community/router.h"

#include <QDebug>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Community;

namespace Analytics {

/// The admin topic the live figures go to (core owns "admin:", administrators only).
inline constexpr const char *kLiveTopic = "admin:analytics";

class AnalyticsPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "analytics.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readAnalyticsConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        m_db = &ctx.database();
        m_hub = &ctx.realtime();
        m_service = std::make_unique<AnalyticsService>(*m_db, m_store, *config, &ctx.events());
        m_reports = std::make_unique<ReportService>(*m_db);
        m_routes = std::make_unique<AnalyticsRoutes>(*m_db, *m_service, *m_reports);
        if (auto r = ctx.router().add(m_routes->routes()); !r)
            return r;
        AnalyticsService *service = m_service.get();
        ctx.events().subscribeBatch(QString::fromLatin1(kFactsConsumer), factEventTypes(),
                                    [service](const QList<Events::Event> &e) { return service->applyFacts(e); });
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/analytics"); }

    Result<void> start() override
    {
        // Partitions must exist before the first batch arrives.
        auto made = m_service->maintain(QDateTime::currentDateTimeUtc().date());
        if (!made)
            return tl::unexpected(made.error());
        auto zones = m_service->syncReportZones();
        if (!zones)
            return tl::unexpected(zones.error());
        if (!zones->isEmpty())
            qInfo().noquote() << "analytics: built distinct-user counters for" << zones->join(QStringLiteral(", "));
        m_running->store(true);
        connect(&m_maintenance, &QTimer::timeout, this, [this] { submit([](AnalyticsService *s, Realtime::Hub *) {
            if (auto r = s->maintain(QDateTime::currentDateTimeUtc().date()); !r)
                qWarning().noquote() << "analytics: partition maintenance failed:" << r.error().message << r.error().logDetail;
        }); });
        m_maintenance.start(m_service->config().maintenanceIntervalMs);
        if (m_service->config().liveIntervalMs > 0) {
            connect(&m_live, &QTimer::timeout, this, [this] { submit([](AnalyticsService *s, Realtime::Hub *hub) {
                if (auto figures = s->live(); figures)
                    (void)hub->publishEphemeral(QString::fromLatin1(kLiveTopic), *figures);
            }); });
            m_live.start(m_service->config().liveIntervalMs);
        }
        return {};
    }

    void stop(QDeadlineTimer) override
    {
        m_running->store(false);
        m_live.stop();
        m_maintenance.stop();
    }

private:
    /// Runs `job` on a database worker unless the plugin stopped meanwhile.
    template<typename Job>
    void submit(Job job)
    {
        std::shared_ptr<std::atomic<bool>> running = m_running;
        AnalyticsService *service = m_service.get();
        Realtime::Hub *hub = m_hub;
        m_db->trySubmit([running, service, hub, job] {
            if (running->load())
                job(service, hub);
        });
    }

    PostgresEventStore m_store;
    Db::Database *m_db = nullptr;
    Realtime::Hub *m_hub = nullptr;
    std::unique_ptr<AnalyticsService> m_service;
    std::unique_ptr<ReportService> m_reports;
    std::unique_ptr<AnalyticsRoutes> m_routes;
    QTimer m_maintenance;
    QTimer m_live;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Analytics

#include "analyticsplugin.moc"
