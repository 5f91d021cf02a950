// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The users plugin: wiring only. Profiles, follows, blocks, mutes and search live in
// users_core (service, repository, validators, routes).

#include "relations.h"
#include "usersroutes.h"
#include "usersservice.h"

#include "community/contracts/auth.h"
#include "community/contracts/events/users.h"
#include "community/eventbus.h"
#include "community/database.h"
#include "community/plugin.h"

#include <QDebug>
#include <QObject>

#include <atomic>
#include <memory>

using namespace Community;

namespace Users {

class UsersPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "users.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readUsersConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        auto directory = ctx.lookup<Contracts::IUserDirectory>();
        if (!directory)
            return tl::unexpected(directory.error());
        if (!*directory)
            return fail(ErrorCode::Config, QStringLiteral("users needs the auth plugin's user directory"));
        Db::Database *db = &ctx.database();
        m_service = std::make_unique<UsersService>(*db, **directory, *config, &ctx.events());
        m_relations = std::make_unique<UserRelations>(*db, config->relationsCacheEntries, config->relationsCacheMs,
                                                       &ctx.metrics());
        if (auto r = ctx.provide<Contracts::IUserRelations>(m_relations.get()); !r)
            return r;
        keepRelationsCurrent(ctx.events());
        m_routes = std::make_unique<UsersRoutes>(*db, *m_service);
        if (auto r = ctx.router().add(m_routes->routes()); !r)
            return r;

        // Changes arrive on auth's threads; apply them on a worker so that a listener never
        // blocks the caller. A dropped change is repaired on the next lookup (ensureProfile).
        std::shared_ptr<std::atomic<bool>> running = m_running;
        UsersService *service = m_service.get();
        (*directory)->subscribe([running, service, db](const Contracts::UserChange &change) {
            if (!running->load())
                return;
            const bool queued = db->trySubmit([running, service, change] {
                if (!running->load())
                    return;
                if (auto r = service->applyChange(change); !r)
                    qWarning().noquote() << "users: applying account change for user" << change.user.id
                                         << "failed:" << r.error().message << r.error().logDetail;
            });
            if (!queued)
                qWarning().noquote() << "users: worker queue full; account change for user" << change.user.id
                                     << "will be applied on next access";
        });
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/users"); }

    Result<void> start() override
    {
        m_running->store(true);
        return {};
    }

    void stop(QDeadlineTimer) override { m_running->store(false); }

private:
    /// This node's changes forget both accounts before answering; other nodes' changes
    /// arrive through the bus's broadcast (relations.h).
    void keepRelationsCurrent(Events::EventBus &events)
    {
        UserRelations *relations = m_relations.get();
        m_service->onRelationsChanged([relations](qint64 a, qint64 b) { relations->forget(a, b); });
        namespace Type = Contracts::Events::Users::Type;
        events.subscribeBroadcast({Type::RelationChanged, Type::ProfileDeleted},
                                  [relations](const Events::Event &e) -> Result<void> {
                                      const auto changed = Contracts::Events::Users::RelationChanged::fromJson(e.payload);
                                      if (e.type == Type::RelationChanged && changed)
                                          relations->forget(changed->actorId, changed->targetId);
                                      else
                                          relations->forgetAll();
                                      return {};
                                  });
    }

    std::unique_ptr<UsersService> m_service;
    std::unique_ptr<UserRelations> m_relations;
    std::unique_ptr<UsersRoutes> m_routes;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Users

#include "usersplugin.moc"
