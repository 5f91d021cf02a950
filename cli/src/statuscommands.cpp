// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "statuscommands.h"

#include "format.h"
#include "views.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

void StatusCommands::addTo(CLI::App &app, Action &action)
{
    app.add_subcommand("status", "Health, readiness, version and plugins")->callback([&] {
        action = [this] { return status(); };
    });

    auto *plugins = app.add_subcommand("plugins", "Plugins of the node");
    plugins->require_subcommand(1);
    plugins->add_subcommand("list", "List plugins with version, state and dependencies")
        ->callback([&] { action = [this] { return pluginsList(); }; });

    auto *migrate = app.add_subcommand("migrate", "Database migrations");
    migrate->require_subcommand(1);
    migrate->add_subcommand("status", "List migrations and whether they are applied")
        ->callback([&] { action = [this] { return migrateStatus(); }; });
    auto *up = migrate->add_subcommand("up", "Apply pending migrations");
    up->add_flag("--dry-run", m_dryRun, "Only show what would be applied");
    up->callback([&] { action = [this] { return migrateUp(m_dryRun); }; });
}

int StatusCommands::status()
{
    StatusSnapshot snapshot;
    snapshot.server = client().baseUrl().toDisplayString();

    const ApiReply health = client().send(Endpoints::health());
    if (!health.ok())
        return fail(health);
    snapshot.health = health.jsonObject().value_or(QJsonObject{});

    // 503 from /readyz is an answer ("not ready, because ..."), not a failure of the command.
    const ApiReply ready = client().send(Endpoints::ready());
    if (!ready.ok() && !(ready.outcome == ApiReply::Outcome::HttpError && ready.status == 503))
        return fail(ready);
    snapshot.ready = ready.ok();
    snapshot.readiness = ready.jsonObject().value_or(QJsonObject{});

    const auto [info, code] = fetchObject(Endpoints::systemInfo());
    if (!info)
        return code;
    snapshot.info = *info;

    printResult(statusJson(snapshot), renderStatus(snapshot));
    // Client and server should be of one build: say so when they are not (stderr, exit 0).
    const QString serverVersion = info->value(QLatin1String("version")).toString();
    if (serverVersion != QLatin1String(COMMUNITY_VERSION))
        note(QStringLiteral("warning: the server runs %1, this communityctl is %2")
                 .arg(serverVersion.isEmpty() ? QStringLiteral("an unknown version") : serverVersion,
                      QStringLiteral(COMMUNITY_VERSION)));
    return ExitOk;
}

int StatusCommands::pluginsList()
{
    const auto [json, code] = fetchObject(Endpoints::systemInfo());
    if (!json)
        return code;
    const QJsonArray plugins = json->value(QLatin1String("plugins")).toArray();
    printResult(plugins, renderPlugins(plugins));
    return ExitOk;
}

int StatusCommands::migrateStatus()
{
    const auto [json, code] = fetchObject(Endpoints::migrations());
    if (!json)
        return code;
    printResult(*json, renderMigrations(json->value(QLatin1String("migrations")).toArray()));
    return ExitOk;
}

int StatusCommands::migrateUp(bool dryRun)
{
    return printReply(client().send(Endpoints::migrate(dryRun)), renderMigrateUp);
}

} // namespace Community::Ctl
