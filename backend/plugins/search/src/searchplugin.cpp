// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The search plugin: wiring only. The projection (Indexer), queries, autocomplete and
// analytics (SearchService) and the routes live in search_core (docs/search.md).

#include "chatindexer.h"
#include "indexer.h"
#include "searchconfig.h"
#include "searchmetrics.h"
#include "searchroutes.h"
#include "searchservice.h"

#include "community/contracts/users.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"

#include <QDebug>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Community;

namespace Search {

class SearchPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "search.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readSearchConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        m_db = &ctx.database();
        m_metrics = std::make_unique<SearchMetrics>(&ctx.metrics());
        m_indexer = std::make_unique<Indexer>(*m_db, m_metrics.get());
        m_service = std::make_unique<SearchService>(*m_db, &ctx.events(), *config, m_metrics.get());
        auto relations = ctx.lookup<Contracts::IUserRelations>();
        if (!relations)
            return tl::unexpected(relations.error());
        m_service->setRelations(*relations);   // null without the users plugin on this node
        m_routes = std::make_unique<SearchRoutes>(*m_db, *m_service);
        if (auto r = ctx.router().add(m_routes->routes()); !r)
            return r;
        // Chat messages for search within a room: a consumer of their own (its offset and
        // lag apart from the site index's), queried by chat through IRoomSearch.
        m_config = *config;
        m_chatIndexer = std::make_unique<ChatIndexer>(*m_db);
        m_roomSearch = std::make_unique<RoomSearch>(*m_db, m_config);
        if (auto r = ctx.provide<Contracts::IRoomSearch>(m_roomSearch.get()); !r)
            return r;
        ChatIndexer *chatIndexer = m_chatIndexer.get();
        ctx.events().subscribeBatch(QString::fromLatin1(kChatIndexConsumer), ChatIndexer::eventTypes(),
                                    [chatIndexer](const QList<Events::Event> &e) { return chatIndexer->handleBatch(e); });
        Indexer *indexer = m_indexer.get();
        ctx.events().subscribe(QString::fromLatin1(kIndexConsumer), Indexer::eventTypes(),
                               [indexer](const Events::Event &e) { return indexer->handle(e); });
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/search"); }

    Result<void> start() override
    {
        m_running->store(true);
        // Lag gauge every few seconds; analytics retention at the configured interval (and
        // once shortly after start).
        m_lagTimer = std::make_unique<QTimer>();
        m_lagTimer->setInterval(5000);
        QObject::connect(m_lagTimer.get(), &QTimer::timeout, this, [this] { refreshLag(); });
        m_lagTimer->start();
        m_pruneTimer = std::make_unique<QTimer>();
        m_pruneTimer->setInterval(m_service->config().pruneIntervalMinutes * 60 * 1000);
        QObject::connect(m_pruneTimer.get(), &QTimer::timeout, this, [this] { prune(); });
        m_pruneTimer->start();
        QTimer::singleShot(10'000, this, [this] { prune(); });
        return {};
    }

    void stop(QDeadlineTimer) override
    {
        m_running->store(false);
        m_pruneTimer.reset();
        m_lagTimer.reset();
    }

private:
    void refreshLag()
    {
        SearchService *svc = m_service.get();
        std::shared_ptr<std::atomic<bool>> running = m_running;
        m_db->trySubmit([svc, running] {
            if (running->load())
                svc->refreshLag();
        });
    }

    void prune()
    {
        SearchService *svc = m_service.get();
        std::shared_ptr<std::atomic<bool>> running = m_running;
        m_db->trySubmit([svc, running] {
            if (!running->load())
                return;
            auto n = svc->pruneAnalytics();
            if (!n)
                qWarning().noquote() << "search: pruning analytics failed:" << n.error().message << n.error().logDetail;
            else if (*n > 0)
                qInfo().noquote() << "search: pruned" << *n << "analytics rows older than"
                                  << svc->config().analyticsRetentionDays << "days";
        });
    }

    Db::Database *m_db = nullptr;
    std::unique_ptr<SearchMetrics> m_metrics;
    std::unique_ptr<Indexer> m_indexer;
    SearchConfig m_config;
    std::unique_ptr<ChatIndexer> m_chatIndexer;
    std::unique_ptr<RoomSearch> m_roomSearch;
    std::unique_ptr<SearchService> m_service;
    std::unique_ptr<SearchRoutes> m_routes;
    std::unique_ptr<QTimer> m_lagTimer;
    std::unique_ptr<QTimer> m_pruneTimer;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Search

#include "searchplugin.moc"
