// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The chat plugin: wiring only. Rooms, messages and their rules live in chat_core.

#include "attachments.h"
#include "chataudience.h"
#include "chatroutes.h"
#include "messageservice.h"
#include "moderationroutes.h"
#include "moderationservice.h"
#include "presenceroutes.h"
#include "presenceservice.h"
#include "queuemoderation.h"
#include "roomservice.h"

#include "community/contracts/auth.h"
#include "community/contracts/content.h"
#include "community/contracts/events/chat.h"
#include "community/contracts/files.h"
#include "community/contracts/search.h"
#include "community/contracts/users.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"
#include "community/realtime.h"
#include "community/router.h"

#include <QDebug>
#include <QObject>
#include <QDateTime>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Community;

namespace Chat {

class ChatPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "chat.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readChatConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        auto directory = ctx.lookup<Contracts::IUserDirectory>();
        if (!directory)
            return tl::unexpected(directory.error());
        if (!*directory)
            return fail(ErrorCode::Config, QStringLiteral("chat needs the auth plugin's user directory"));
        auto relations = ctx.lookup<Contracts::IUserRelations>();
        if (!relations)
            return tl::unexpected(relations.error());
        auto communities = ctx.lookup<Contracts::ICommunityMembership>();
        if (!communities)
            return tl::unexpected(communities.error());
        auto files = ctx.lookup<Contracts::IFileAccess>();
        if (!files)
            return tl::unexpected(files.error());
        auto search = ctx.lookup<Contracts::IRoomSearch>();
        if (!search)
            return tl::unexpected(search.error());
        m_db = &ctx.database();
        m_ctx.files = *files;
        m_ctx.search = *search;
        m_ctx.communities = *communities;
        m_ctx.db = m_db;
        m_ctx.directory = *directory;
        m_ctx.relations = *relations;
        m_ctx.hub = &ctx.realtime();
        m_ctx.events = &ctx.events();
        m_ctx.cache = &m_cache;
        m_ctx.config = *config;
        m_ctx.userLimiter = std::make_shared<RateLimiter>(config->userMessagesPerSecond, config->userBurst);
        m_ctx.roomLimiter = std::make_shared<RateLimiter>(config->roomMessagesPerSecond, config->roomBurst);
        m_ctx.metrics = std::make_shared<ChatMetrics>(&ctx.metrics());
        if (auto r = registerTopics(ctx.realtime()); !r)
            return r;
        followMemberships(ctx.events());
        m_rooms = std::make_unique<RoomService>(m_ctx);
        m_messages = std::make_unique<MessageService>(m_ctx);
        m_moderation = std::make_unique<ModerationService>(m_ctx);
        m_presence = std::make_unique<PresenceService>(m_ctx);
        m_routes = std::make_unique<ChatRoutes>(*m_db, *m_rooms, *m_messages, m_ctx.config);
        m_moderationRoutes = std::make_unique<ModerationRoutes>(*m_db, *m_moderation, *m_messages);
        m_presenceRoutes = std::make_unique<PresenceRoutes>(*m_db, *m_presence);
        m_queueModeration = std::make_unique<QueueModeration>(m_ctx);
        if (auto r = ctx.provide<Contracts::IChatModeration>(m_queueModeration.get()); !r)
            return r;
        m_audience = std::make_unique<ChatAudience>(m_ctx);
        if (auto r = ctx.provide<Contracts::IChatAudience>(m_audience.get()); !r)
            return r;
        for (const auto &table : {m_routes->routes(), m_moderationRoutes->routes(), m_presenceRoutes->routes()}) {
            if (auto r = ctx.router().add(table); !r)
                return r;
        }
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/chat"); }

    Result<void> start() override
    {
        auto all = m_db->read<QHash<qint64, QSet<qint64>>>([](pqxx::nontransaction &tx) {
            return Result<QHash<qint64, QSet<qint64>>>(ChatRepository(tx).allMemberships());
        });
        if (!all)
            return tl::unexpected(all.error());
        m_cache.load(std::move(*all));
        m_running->store(true);
        if (m_ctx.config.sweepIntervalMs > 0) {
            m_sweep = std::make_unique<QTimer>();
            QObject::connect(m_sweep.get(), &QTimer::timeout, [this] { sweep(); });
            m_sweep->start(m_ctx.config.sweepIntervalMs);
        }
        return {};
    }

    void stop(QDeadlineTimer) override
    {
        m_running->store(false);
        m_sweep.reset();
    }

private:
    /// room:<id> (durable, members only, rechecked at every delivery) and chat:<user>
    /// (ephemeral typing frames, that user only).
    Result<void> registerTopics(Realtime::Hub &hub)
    {
        MemberCache *cache = &m_cache;
        auto room = hub.registerTopic({QStringLiteral("room:"), Realtime::Delivery::Durable,
                                       [cache](const Principal &p, const QString &topic) {
                                           return p.kind == Principal::Kind::User
                                               && cache->contains(MemberCache::roomOfTopic(topic), p.userId);
                                       }});
        if (!room)
            return room;
        return hub.registerTopic({QStringLiteral("chat:"), Realtime::Delivery::Ephemeral,
                                  [](const Principal &p, const QString &topic) {
                                      return p.kind == Principal::Kind::User
                                          && topic == QStringLiteral("chat:%1").arg(p.userId);
                                  }});
    }

    /// Other nodes' membership changes (and this node's, again: set() is idempotent),
    /// read from the room frames every node already receives: member.joined / member.left
    /// are published on room:<id> in the transaction that changed the membership, so the
    /// cache changes in the frames' own order. Riding the hub's broadcast type instead of
    /// adding chat.membership.changed to the broadcast set keeps the bus's broadcast query
    /// as it was (with one more type, large frame bursts slowed down: tst_realtimehub).
    void followMemberships(Events::EventBus &events)
    {
        MemberCache *cache = &m_cache;
        events.subscribeBroadcast({QStringLiteral("realtime.frame")}, [cache](const Events::Event &e) -> Result<void> {
            const qint64 room = MemberCache::roomOfTopic(e.payload.value(QStringLiteral("topic")).toString());
            const QJsonObject data = e.payload.value(QStringLiteral("data")).toObject();
            const QString kind = data.value(QStringLiteral("kind")).toString();
            const qint64 user = data.value(QStringLiteral("userId")).toString().toLongLong();
            if (room && user > 0 && (kind == QLatin1String("member.joined") || kind == QLatin1String("member.left")))
                cache->set(room, user, kind == QLatin1String("member.joined"));
            return {};
        });
    }

    /// Retention, the backlog gauges, expired presence and the presence gauges, on a worker (a full queue
    /// skips one period).
    void sweep()
    {
        auto running = m_running;
        ModerationService *moderation = m_moderation.get();
        PresenceService *presence = m_presence.get();
        std::shared_ptr<ChatMetrics> metrics = m_ctx.metrics;
        const ChatContext *ctx = &m_ctx;
        // Orphaned file references: at most every orphanSweepMinutes (0: every sweep).
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const bool orphans = now - m_lastOrphanSweepMs >= qint64(m_ctx.config.orphanSweepMinutes) * 60'000;
        if (orphans)
            m_lastOrphanSweepMs = now;
        m_db->trySubmit([running, moderation, presence, metrics, ctx, orphans] {
            if (!running->load())
                return;
            if (auto n = moderation->applyRetention(); !n)
                qWarning().noquote() << "chat: retention sweep failed:" << n.error().message << n.error().logDetail;
            if (auto r = moderation->measureBacklog(); !r)
                qWarning().noquote() << "chat: measuring the backlog failed:" << r.error().message << r.error().logDetail;
            drainReleases(*ctx);   // retention's deletions, and releases a failure left queued
            if (orphans)
                releaseOrphanReferences(*ctx);
            presence->expire();
            if (auto counts = presence->counts())
                metrics->presence(counts->value(PresenceState::Online), counts->value(PresenceState::Away));
        });
    }

    Db::Database *m_db = nullptr;
    MemberCache m_cache;
    ChatContext m_ctx;
    std::unique_ptr<RoomService> m_rooms;
    std::unique_ptr<MessageService> m_messages;
    std::unique_ptr<ModerationService> m_moderation;
    std::unique_ptr<PresenceService> m_presence;
    std::unique_ptr<QueueModeration> m_queueModeration;
    std::unique_ptr<ChatAudience> m_audience;
    std::unique_ptr<ChatRoutes> m_routes;
    std::unique_ptr<ModerationRoutes> m_moderationRoutes;
    std::unique_ptr<PresenceRoutes> m_presenceRoutes;
    std::unique_ptr<QTimer> m_sweep;
    qint64 m_lastOrphanSweepMs = 0;   ///< main thread only
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Chat

#include "chatplugin.moc"
