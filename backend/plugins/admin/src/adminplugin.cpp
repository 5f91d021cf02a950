// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The admin plugin: wiring only. The audit log, the review queue, decisions and penalties
// live in admin_core (docs/adr/0012-admin-plugin.md). It reads no other plugin's schema:
// auth and content reach it through their typed events, and it acts on them through the
// contracts they provide (IAccountModeration, IContentModeration, IChatModeration: chat is
// optional, its reported messages are queue items when it is loaded).

#include "adminconfig.h"
#include "auditroutes.h"
#include "auditservice.h"
#include "contentpolicy.h"
#include "decisionservice.h"
#include "moderationtargets.h"
#include "queueroutes.h"
#include "queueservice.h"
#include "rulesroutes.h"
#include "rulesservice.h"
#include "staffevents.h"

#include "community/contracts/auth.h"
#include "community/contracts/chat.h"
#include "community/contracts/content.h"
#include "community/contracts/events/admin.h"
#include "community/contracts/events/chat.h"
#include "community/contracts/events/content.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"
#include "community/realtime.h"
#include "community/router.h"
#include "community/settings.h"

#include <QDebug>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Community;
namespace AdminEvents = Community::Contracts::Events::Admin;
namespace ContentEvents = Community::Contracts::Events::Content;

namespace Admin {

namespace {

template<typename T>
Result<T *> required(PluginContext &ctx, const char *what)
{
    auto r = ctx.lookup<T>();
    if (!r)
        return tl::unexpected(r.error());
    if (!*r)
        return fail(ErrorCode::Config, QStringLiteral("admin needs %1").arg(QLatin1String(what)));
    return *r;
}

// Consoles watching the queue refetch it: `admin:queue` (ephemeral, admins) says which
// report came or went (claims and releases are announced there too, by QueueRoutes). After the projection committed, so a refetch sees it.
void announceQueueChange(Realtime::Hub &hub, const Events::Event &e)
{
    const QJsonObject p = e.payload;
    const bool chat = e.type == Contracts::Events::Chat::Type::MessageReported;
    (void)hub.publishEphemeral(QStringLiteral("admin:queue"),
                               {{QStringLiteral("kind"), e.type},
                                {QStringLiteral("reportId"), p.value(QStringLiteral("reportId"))},
                                {QStringLiteral("targetType"), chat ? QJsonValue(QLatin1String(Contracts::kChatMessageTarget))
                                                                    : p.value(QStringLiteral("targetType"))},
                                {QStringLiteral("targetId"), p.value(chat ? QStringLiteral("messageId") : QStringLiteral("targetId"))}});
}

} // namespace

class AdminPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "admin.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readAdminConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        auto directory = required<Contracts::IUserDirectory>(ctx, "auth's user directory");
        auto accounts = required<Contracts::IAccountModeration>(ctx, "auth's account moderation");
        auto content = required<Contracts::IContentModeration>(ctx, "content's moderation contract");
        if (!directory || !accounts || !content)
            return tl::unexpected(!directory ? directory.error() : !accounts ? accounts.error() : content.error());
        auto chat = ctx.lookup<Contracts::IChatModeration>();
        if (!chat)
            return tl::unexpected(chat.error());
        m_targets = std::make_unique<ModerationTargets>(**content, *chat);
        Db::Database &db = ctx.database();
        m_sweepMs = config->penaltySweepMs;
        m_audit = std::make_unique<AuditService>(db, *directory);
        m_queue = std::make_unique<QueueService>(db, **directory, *m_audit, *config);
        m_decisions = std::make_unique<DecisionService>(db, ctx.events(), *m_queue, *m_audit, *m_targets, **accounts);
        m_policy = std::make_shared<ContentPolicy>(db);
        m_decisions->setWritePolicy(m_policy.get());
        m_decisions->setUndoMinutes(config->undoMinutes);
        m_rules = std::make_unique<RulesService>(db, *m_audit, *m_policy);
        m_auditRoutes = std::make_unique<AuditRoutes>(db, *m_audit);
        m_queueRoutes = std::make_unique<QueueRoutes>(db, *m_queue, *m_decisions);
        // Who holds an item reaches the other consoles at once (same topic, same authoriser).
        m_queueRoutes->onClaimChanged([hub = &ctx.realtime()](const QJsonObject &frame) {
            (void)hub->publishEphemeral(QStringLiteral("admin:queue"), frame);
        });
        m_rulesRoutes = std::make_unique<RulesRoutes>(db, *m_rules);
        for (const QList<Http::Route> &table : {m_auditRoutes->routes(), m_queueRoutes->routes(), m_rulesRoutes->routes()})
            if (auto r = ctx.router().add(table); !r)
                return r;
        AuditService *audit = m_audit.get();
        ctx.events().subscribe(QStringLiteral("admin.audit"), staffEventTypes(),
                               [audit](const Events::Event &e) { return audit->recordEvent(e); });
        QueueService *queue = m_queue.get();
        ctx.events().subscribe(QStringLiteral("admin.queue"),
                               {ContentEvents::Type::ReportCreated, ContentEvents::Type::ReportResolved,
                                Contracts::Events::Chat::Type::MessageReported},
                               [queue, hub = &ctx.realtime()](const Events::Event &e) {
                                   auto r = queue->ingest(e);
                                   if (r)
                                       announceQueueChange(*hub, e);
                                   return r;
                               });
        RulesService *rules = m_rules.get();
        ctx.events().subscribe(QStringLiteral("admin.watch"),
                               {ContentEvents::Type::PostCreated, ContentEvents::Type::PostEdited,
                                ContentEvents::Type::CommentCreated, ContentEvents::Type::CommentEdited},
                               [rules](const Events::Event &e) { return rules->flagFromEvent(e); });
        if (auto r = enforceAtWrite(ctx); !r)
            return r;
        if (auto r = watchSettings(ctx); !r)
            return r;
        m_db = &db;
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/admin"); }

    Result<void> start() override
    {
        m_running->store(true);
        if (auto r = m_policy->refresh(); !r)
            return r;
        // Penalties end by time: their state is in the database, so a restart only delays
        // the lift until the first sweep.
        m_sweep = std::make_unique<QTimer>();
        m_sweep->setInterval(m_sweepMs);
        QObject::connect(m_sweep.get(), &QTimer::timeout, this, [this] { sweep(); });
        m_sweep->start();
        return {};
    }

    void stop(QDeadlineTimer) override
    {
        if (m_gate)
            m_gate->removePolicy(m_policy.get());
        m_gate = nullptr;
        m_running->store(false);
        m_sweep.reset();
    }

private:
    /// The keys that apply without restart (docs/adr/0032): the next claim, the next page
    /// and the next undo use the new value. Values arrive validated with the startup rules.
    Result<void> watchSettings(PluginContext &ctx)
    {
        SettingsRegistry *settings = ctx.settings();
        if (!settings)
            return {};
        QueueService *queue = m_queue.get();
        DecisionService *decisions = m_decisions.get();
        const QString prefix = ctx.configPath() + QLatin1Char('.');
        auto watch = [&](const char *key, SettingsRegistry::Apply apply) {
            return settings->watch(prefix + QLatin1String(key), std::move(apply));
        };
        if (auto r = watch("claimMinutes", [queue](const QJsonValue &v) { queue->setClaimMinutes(v.toInt()); }); !r)
            return r;
        if (auto r = watch("undoMinutes", [decisions](const QJsonValue &v) { decisions->setUndoMinutes(v.toInt()); }); !r)
            return r;
        if (auto r = watch("defaultPageSize", [queue](const QJsonValue &v) { queue->setPageSizes(v.toInt(), std::nullopt); }); !r)
            return r;
        return watch("maxPageSize", [queue](const QJsonValue &v) { queue->setPageSizes(std::nullopt, v.toInt()); });
    }

    /// Silences and `block` rules refuse content's writes through its write gate; every
    /// node follows the penalty events (a lift reloads: the account may hold another).
    Result<void> enforceAtWrite(PluginContext &ctx)
    {
        auto gate = ctx.lookup<Contracts::IWriteGate>();
        if (!gate || !*gate)
            return fail(ErrorCode::Config, QStringLiteral("admin needs content's write gate"));
        m_gate = *gate;
        m_gate->addPolicy(m_policy);
        std::weak_ptr<ContentPolicy> weak = m_policy;
        Db::Database *db = &ctx.database();
        ctx.events().subscribeBroadcast(
            {AdminEvents::Type::PenaltyApplied, AdminEvents::Type::PenaltyLifted},
            [weak, db](const Events::Event &e) -> Result<void> {
                const auto penalty = AdminEvents::PenaltyChanged::fromJson(e.payload);
                const auto policy = weak.lock();
                if (!penalty || !policy || penalty->kind != QLatin1String("silence"))
                    return {};
                if (e.type == AdminEvents::Type::PenaltyApplied) {
                    policy->silenced(penalty->userId, penalty->endsAt);
                    return {};
                }
                // Not on the bus's broadcast thread: a worker reads the silences still in force.
                db->trySubmit([policy] {
                    if (auto r = policy->refresh(); !r)
                        qWarning().noquote() << "admin: reloading silences failed:" << r.error().logDetail;
                });
                return {};
            });
        return {};
    }

    void sweep()
    {
        if (m_sweeping->exchange(true))
            return;   // the previous sweep is still running
        std::shared_ptr<std::atomic<bool>> running = m_running, sweeping = m_sweeping;
        DecisionService *decisions = m_decisions.get();
        ContentPolicy *policy = m_policy.get();
        const bool queued = m_db->trySubmit([running, sweeping, decisions, policy] {
            if (running->load()) {
                if (auto r = decisions->sweepPenalties(); !r)
                    qWarning().noquote() << "admin: penalty sweep failed:" << r.error().message << r.error().logDetail;
                // Rules changed on other nodes.
                if (auto r = policy->refresh(); !r)
                    qWarning().noquote() << "admin: reloading watched words failed:" << r.error().logDetail;
            }
            sweeping->store(false);
        });
        if (!queued)
            m_sweeping->store(false);
    }

    Db::Database *m_db = nullptr;
    std::unique_ptr<ModerationTargets> m_targets;
    int m_sweepMs = 30'000;
    std::unique_ptr<AuditService> m_audit;
    std::unique_ptr<QueueService> m_queue;
    std::unique_ptr<DecisionService> m_decisions;
    std::shared_ptr<ContentPolicy> m_policy;   ///< also held by content's write gate until stop()
    Contracts::IWriteGate *m_gate = nullptr;
    std::unique_ptr<RulesService> m_rules;
    std::unique_ptr<AuditRoutes> m_auditRoutes;
    std::unique_ptr<QueueRoutes> m_queueRoutes;
    std::unique_ptr<RulesRoutes> m_rulesRoutes;
    std::unique_ptr<QTimer> m_sweep;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> m_sweeping = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Admin

#include "adminplugin.moc"
