// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The notifications plugin: wiring only. The projection, the inbox rules and the routes
// live in notifications_core (docs/notifications.md).

#include "notificationsconfig.h"
#include "notificationsroutes.h"
#include "notificationsservice.h"
#include "projector.h"

#include "community/contracts/users.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"

#include <QObject>

#include <memory>

using namespace Community;

namespace Notifications {

class NotificationsPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "notifications.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readNotificationsConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        Db::Database &db = ctx.database();
        m_service = std::make_unique<NotificationsService>(db, ctx.realtime(), *config);
        auto relations = ctx.lookup<Contracts::IUserRelations>();
        if (!relations)
            return tl::unexpected(relations.error());
        m_service->setRelations(*relations);   // null without the users plugin on this node
        m_routes = std::make_unique<NotificationsRoutes>(db, *m_service);
        if (auto r = ctx.router().add(m_routes->routes()); !r)
            return r;
        NotificationsService *service = m_service.get();
        ctx.events().subscribe(QString::fromLatin1(kInboxConsumer), projectedEventTypes(),
                               [service](const Events::Event &e) { return service->handle(e); });
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/notifications"); }

private:
    std::unique_ptr<NotificationsService> m_service;
    std::unique_ptr<NotificationsRoutes> m_routes;
};

} // namespace Notifications

#include "notificationsplugin.moc"
