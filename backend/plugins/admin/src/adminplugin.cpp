// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The admin plugin: wiring only. The audit log, the review queue and decisions live in
// admin_core (docs/adr/0012-admin-plugin.md). It reads no other plugin's schema: auth and
// content reach it through their typed events, and it acts on them through the contracts
// they provide.

#include "auditroutes.h"
#include "auditservice.h"
#include "staffevents.h"

#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"
#include "community/router.h"

#include <QObject>

#include <memory>

using namespace Community;

namespace Admin {

class AdminPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "admin.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        if (!ctx.config().isEmpty())
            return fail(ErrorCode::Config, QStringLiteral("%1: unknown key \"%2\"").arg(ctx.configPath(), ctx.config().keys().first()));
        auto directory = ctx.lookup<Contracts::IUserDirectory>();
        if (!directory)
            return tl::unexpected(directory.error());
        Db::Database &db = ctx.database();
        m_audit = std::make_unique<AuditService>(db, *directory);
        m_auditRoutes = std::make_unique<AuditRoutes>(db, *m_audit);
        if (auto r = ctx.router().add(m_auditRoutes->routes()); !r)
            return r;
        AuditService *audit = m_audit.get();
        ctx.events().subscribe(QStringLiteral("admin.audit"), staffEventTypes(),
                               [audit](const Events::Event &e) { return audit->recordEvent(e); });
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/admin"); }

private:
    std::unique_ptr<AuditService> m_audit;
    std::unique_ptr<AuditRoutes> m_auditRoutes;
};

} // namespace Admin

#include "adminplugin.moc"
