// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The notifications plugin: wiring only. The projection, the inbox rules and the routes
// live in notifications_core (docs/notifications.md).

#include "notificationsconfig.h"
#include "notificationsroutes.h"
#include "notificationsservice.h"
#include "preferencesroutes.h"
#include "preferencesservice.h"
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
        m_preferences = std::make_unique<PreferencesService>(db);
        m_routes = std::make_unique<NotificationsRoutes>(db, *m_service);
        m_preferenceRoutes = std::make_unique<PreferencesRoutes>(db, *m_preferences);
        for (const QList<Http::Route> &table : {m_routes->routes(), m_preferenceRoutes->routes()})
            if (auto r = ctx.router().add(table); !r)
                return r;
        NotificationsService *service = m_service.get();
        ctx.events().subscribe(QString::fromLatin1(kInboxConsumer), projectedEventTypes(),
                               [service](const Events::Event &e) { return service->handle(e); });
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/notifications"); }

private:
    std::unique_ptr<NotificationsService> m_service;
    std::unique_ptr<PreferencesService> m_preferences;
    std::unique_ptr<NotificationsRoutes> m_routes;
    std::unique_ptr<PreferencesRoutes> m_preferenceRoutes;
};

} // namespace Notifications

#include "notificationsplugin.moc"
