// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "ctlapp.h"

#include "apiclient.h"
#include "commands.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QUrl>

#include <chrono>
#include <cmath>
#include <ostream>
#include <string>

namespace Community::Ctl {

namespace {

struct GlobalOptions
{
    std::string server = "http://127.0.0.1:8080";
    std::string token;
    std::string tokenFile;
    std::string output = "table";
    double timeoutSeconds = 10;
};

enum class Command { Status, PluginsList, MigrateStatus, MigrateUp };

bool readToken(const std::string &path, QString &token, QString &error)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) {
        error = file.errorString();
        return false;
    }
    token = QString::fromUtf8(file.readAll()).trimmed();
    if (token.isEmpty()) {
        error = QStringLiteral("file is empty");
        return false;
    }
    return true;
}

int usageError(std::ostream &err, const QString &message)
{
    err << "communityctl: " << message.toStdString() << '\n';
    return ExitUsage;
}

} // namespace

int runCtl(int argc, const char *const *argv, std::ostream &out, std::ostream &err)
{
    CLI::App app{"Operate a communityd node through its API.", "communityctl"};
    app.set_version_flag("--version", std::string(COMMUNITY_VERSION));
    // Global options are accepted after the subcommand too ("status -o json").
    app.fallthrough();
    app.require_subcommand(1);

    GlobalOptions opts;
    app.add_option("--server", opts.server, "Base URL of the node")
        ->envname("COMMUNITY_SERVER")
        ->capture_default_str();
    app.add_option("--token", opts.token, "Operator token")->envname("COMMUNITY_TOKEN");
    app.add_option("--token-file", opts.tokenFile,
                   "File holding the operator token (e.g. <data-dir>/operator.token)")
        ->envname("COMMUNITY_TOKEN_FILE");
    app.add_option("-o,--output", opts.output, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    app.add_option("--timeout", opts.timeoutSeconds, "Per-request timeout in seconds")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    Command command = Command::Status;
    bool dryRun = false;

    auto *status = app.add_subcommand("status", "Health, readiness, version and plugins");
    status->callback([&] { command = Command::Status; });

    auto *plugins = app.add_subcommand("plugins", "Plugins of the node");
    plugins->require_subcommand(1);
    plugins->add_subcommand("list", "List plugins with version, state and dependencies")
        ->callback([&] { command = Command::PluginsList; });

    auto *migrate = app.add_subcommand("migrate", "Database migrations");
    migrate->require_subcommand(1);
    migrate->add_subcommand("status", "List migrations and whether they are applied")
        ->callback([&] { command = Command::MigrateStatus; });
    auto *up = migrate->add_subcommand("up", "Apply pending migrations");
    up->add_flag("--dry-run", dryRun, "Only show what would be applied");
    up->callback([&] { command = Command::MigrateUp; });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        // --help and --version are "errors" with exit code 0.
        return app.exit(e, out, err) == 0 ? ExitOk : ExitUsage;
    }

    const QUrl server(QString::fromStdString(opts.server), QUrl::StrictMode);
    if (!server.isValid() || server.host().isEmpty()
        || (server.scheme() != QLatin1String("http") && server.scheme() != QLatin1String("https")))
        return usageError(err, QStringLiteral("invalid --server '%1': expected http(s)://HOST:PORT")
                                   .arg(QString::fromStdString(opts.server)));

    // An explicit token beats a token file; either may come from the environment.
    QString token = QString::fromStdString(opts.token).trimmed();
    if (token.isEmpty() && !opts.tokenFile.empty()) {
        QString error;
        if (!readToken(opts.tokenFile, token, error))
            return usageError(err, QStringLiteral("cannot read token file %1: %2")
                                       .arg(QString::fromStdString(opts.tokenFile), error));
    }

    const auto timeout = std::chrono::milliseconds(std::llround(opts.timeoutSeconds * 1000.0));
    ApiClient client(server, token, timeout);
    Commands commands(client, opts.output == "json" ? OutputFormat::Json : OutputFormat::Table,
                      out, err);

    switch (command) {
    case Command::Status:
        return commands.status();
    case Command::PluginsList:
        return commands.pluginsList();
    case Command::MigrateStatus:
        return commands.migrateStatus();
    case Command::MigrateUp:
        return commands.migrateUp(dryRun);
    }
    return ExitUsage;
}

} // namespace Community::Ctl
