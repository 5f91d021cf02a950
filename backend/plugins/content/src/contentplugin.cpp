// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The content plugin: wiring only. Communities, posts, comments, votes, bookmarks,
// reports and feeds live in content_core (one module per area, see routes.h).

#include "anoncache.h"
#include "common.h"
#include "routes.h"

#include "community/contracts/auth.h"
#include "community/contracts/users.h"
#include "community/database.h"
#include "community/plugin.h"

#include <QDebug>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Community;

namespace Content {

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
        m_cache = std::make_unique<AnonymousCache>(config->anonymousCacheMs, config->anonymousCacheEntries);
        m_ctx = std::make_unique<ContentContext>(
            ContentContext{ctx.database(), ctx.events(), **directory, **relations, *config, m_cache.get()});

        Http::Router &router = ctx.router();
        for (auto reg : {registerCommunityRoutes, registerPostRoutes, registerCommentRoutes, registerVoteRoutes,
                         registerReportRoutes, registerFeedRoutes}) {
            if (auto r = reg(router, *m_ctx); !r)
                return r;
        }

        // Keep the local copy of usernames current (renames, suspensions).
        std::shared_ptr<std::atomic<bool>> running = m_running;
        Db::Database *db = &ctx.database();
        (*directory)->subscribe([running, db](const Contracts::UserChange &change) {
            if (!running->load())
                return;
            const qint64 id = change.user.id;
            const std::string name = change.user.username.toStdString();
            const char *state = change.user.state == Contracts::AccountState::Active      ? "active"
                                : change.user.state == Contracts::AccountState::Suspended ? "suspended"
                                                                                          : "disabled";
            db->trySubmit([db, id, name, state] {
                auto r = db->transact<void>([&](pqxx::work &tx) -> Result<void> {
                    tx.exec_params("UPDATE content.authors SET username = $2, state = $3 WHERE user_id = $1", id, name,
                                   std::string(state));
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

    std::unique_ptr<AnonymousCache> m_cache;
    std::unique_ptr<ContentContext> m_ctx;
    std::unique_ptr<QTimer> m_prune;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Content

#include "contentplugin.moc"
