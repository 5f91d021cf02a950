// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The content plugin: wiring only. Communities, posts, comments, votes, bookmarks,
// reports and feeds live in content_core: per area a *routes (HTTP), a *service (rules,
// transactions, events) and a *repository (SQL).

#include "anoncache.h"
#include "authorrepository.h"
#include "commentroutes.h"
#include "communitymembership.h"
#include "commentservice.h"
#include "communityroutes.h"
#include "communityservice.h"
#include "contentmoderation.h"
#include "feedroutes.h"
#include "feedservice.h"
#include "idempotency.h"
#include "postroutes.h"
#include "postservice.h"
#include "reportroutes.h"
#include "reportservice.h"
#include "voteroutes.h"
#include "voteservice.h"

#include "community/contracts/auth.h"
#include "community/contracts/events/content.h"
#include "community/contracts/users.h"
#include "community/contracts/writegate.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"
#include "community/realtime.h"

#include <QDebug>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Community;

namespace Content {

/// Every service and route module, built in one go (they keep references to the context).
struct ContentModules {
    explicit ContentModules(ContentContext &ctx)
        : communities(ctx), posts(ctx), comments(ctx), votes(ctx), reports(ctx), feeds(ctx),
          communityRoutes(ctx, communities), postRoutes(ctx, posts), commentRoutes(ctx, comments),
          voteRoutes(ctx, votes), reportRoutes(ctx, reports), feedRoutes(ctx, feeds),
          moderation(ctx, posts, comments, reports), membership(ctx.db)
    {
    }

    Result<void> addRoutes(Http::Router &router)
    {
        const QList<QList<Http::Route>> tables{communityRoutes.routes(), postRoutes.routes(), commentRoutes.routes(),
                                               voteRoutes.routes(), reportRoutes.routes(), feedRoutes.routes()};
        for (const QList<Http::Route> &table : tables) {
            if (auto r = router.add(table); !r)
                return r;
        }
        return {};
    }

    CommunityService communities;
    PostService posts;
    CommentService comments;
    VoteService votes;
    ReportService reports;
    FeedService feeds;
    CommunityRoutes communityRoutes;
    PostRoutes postRoutes;
    CommentRoutes commentRoutes;
    VoteRoutes voteRoutes;
    ReportRoutes reportRoutes;
    FeedRoutes feedRoutes;
    ContentModeration moderation;   ///< IContentModeration for the admin plugin's review queue
    CommunityMembership membership;   ///< ICommunityMembership (chat's channels)
};

class ContentPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "content.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readContentConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        auto directory = ctx.lookup<Contracts::IUserDirectory>();
        if (!directory)
            return tl::unexpected(directory.error());
        auto relations = ctx.lookup<Contracts::IUserRelations>();
        if (!relations)
            return tl::unexpected(relations.error());
        if (!*directory || !*relations)
            return fail(ErrorCode::Config, QStringLiteral("content needs the auth and users plugins"));
        m_cache = std::make_unique<AnonymousCache>(ctx.database(), config->anonymousCacheMs, config->anonymousCacheEntries,
                                                   &ctx.metrics());
        m_ctx = std::make_unique<ContentContext>(
            ContentContext{ctx.database(), ctx.events(), **directory, **relations, *config, m_cache.get(), &ctx.realtime(),
                           &m_writeGate});
        // A post's live feed: whoever may read posts (every signed-in account; posts have no
        // narrower audience yet).
        if (auto r = ctx.realtime().registerTopic({QStringLiteral("post:"), Realtime::Delivery::Durable,
                                                   [](const Principal &p, const QString &) { return !p.isAnonymous(); }});
            !r)
            return r;
        m_modules = std::make_unique<ContentModules>(*m_ctx);
        if (auto r = m_modules->addRoutes(ctx.router()); !r)
            return r;
        if (auto r = ctx.provide<Contracts::IContentModeration>(&m_modules->moderation); !r)
            return r;
        if (auto r = ctx.provide<Contracts::ICommunityMembership>(&m_modules->membership); !r)
            return r;
        if (auto r = ctx.provide<Contracts::IWriteGate>(&m_writeGate); !r)
            return r;

        // Another node took content away or changed it: empty this node's anonymous cache
        // too (the node that made the change did before answering).
        AnonymousCache *cache = m_cache.get();
        namespace Type = Contracts::Events::Content::Type;
        ctx.events().subscribeBroadcast(
            {Type::PostEdited, Type::PostDeleted, Type::PostRestored, Type::PostRemoved, Type::PostLocked,
             Type::PostUnlocked, Type::CommentEdited, Type::CommentDeleted, Type::CommentRestored, Type::CommentRemoved},
            [cache](const Community::Events::Event &) -> Result<void> {
                cache->invalidate();
                return {};
            });

        // Keep the local copy of usernames current (renames, suspensions).
        std::shared_ptr<std::atomic<bool>> running = m_running;
        Db::Database *db = &ctx.database();
        (*directory)->subscribe([running, db](const Contracts::UserChange &change) {
            if (!running->load())
                return;
            const qint64 id = change.user.id;
            const QString name = change.user.username;
            const char *state = change.user.state == Contracts::AccountState::Active      ? "active"
                                : change.user.state == Contracts::AccountState::Suspended ? "suspended"
                                                                                          : "disabled";
            db->trySubmit([db, id, name, state] {
                auto r = db->transact<void>([&](pqxx::work &tx) -> Result<void> {
                    AuthorRepository::update(tx, id, name, state);
                    return {};
                });
                if (!r)
                    qWarning().noquote() << "content: updating author" << id << "failed:" << r.error().logDetail;
            });
        });
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/content"); }

    Result<void> start() override
    {
        m_running->store(true);
        // Forget old Idempotency-Keys hourly (and once shortly after start).
        m_prune = std::make_unique<QTimer>();
        m_prune->setInterval(3600 * 1000);
        QObject::connect(m_prune.get(), &QTimer::timeout, this, [this] { prune(); });
        m_prune->start();
        QTimer::singleShot(5000, this, [this] { prune(); });
        return {};
    }

    void stop(QDeadlineTimer) override
    {
        m_running->store(false);
        m_prune.reset();
    }

private:
    void prune()
    {
        ContentContext *ctx = m_ctx.get();
        std::shared_ptr<std::atomic<bool>> running = m_running;
        ctx->db.trySubmit([ctx, running] {
            if (!running->load())
                return;
            auto r = ctx->db.transact<qint64>(
                [ctx](pqxx::work &tx) { return pruneIdempotencyKeys(tx, ctx->config.idempotencyHours); });
            if (!r)
                qWarning().noquote() << "content: pruning idempotency keys failed:" << r.error().logDetail;
        });
    }

    Contracts::WriteGate m_writeGate;   ///< IWriteGate: asked before every post and comment write
    std::unique_ptr<AnonymousCache> m_cache;
    std::unique_ptr<ContentContext> m_ctx;
    std::unique_ptr<ContentModules> m_modules;
    std::unique_ptr<QTimer> m_prune;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Content

#include "contentplugin.moc"
