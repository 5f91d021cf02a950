// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "ctlapp.h"

#include "admincommands.h"
#include "backupcommands.h"
#include "chaoscommands.h"
#include "chatcommands.h"
#include "contextcommands.h"
#include "democommands.h"
#include "eventcommands.h"
#include "moderationcommands.h"
#include "settingscommands.h"
#include "notificationcommands.h"
#include "analyticscommands.h"
#include "filescommands.h"
#include "searchcommands.h"
#include "statuscommands.h"
#include "topcommands.h"
#include "usercommands.h"

#include "community/client/contexts.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QUrl>

#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>

#include <unistd.h>

namespace Community::Ctl {

namespace {

constexpr const char *kDefaultServer = "http://127.0.0.1:8080";

struct GlobalOptions
{
    std::string server;   ///< empty: the context's, else kDefaultServer
    std::string context;
    std::string token;
    std::string tokenFile;
    std::string output = "table";
    double timeoutSeconds = 10;
};

void addGlobalOptions(CLI::App &app, GlobalOptions &opts)
{
    app.set_version_flag("--version", std::string(COMMUNITY_VERSION));
    // Global options are accepted after the subcommand too ("status -o json").
    app.fallthrough();
    app.require_subcommand(1);
    app.add_option("--server", opts.server,
                   std::string("Base URL of the node (default: the current context's, else ") + kDefaultServer + ")")
        ->envname("COMMUNITY_SERVER");
    app.add_option("--context", opts.context, "Named server from the contexts file (communityctl context list)")
        ->envname("COMMUNITY_CONTEXT");
    app.add_option("--token", opts.token, "Operator token")->envname("COMMUNITY_TOKEN");
    app.add_option("--token-file", opts.tokenFile,
                   "File holding the operator token (e.g. <data-dir>/operator.token)")
        ->envname("COMMUNITY_TOKEN_FILE");
    app.add_option("-o,--output", opts.output, "Output format (csv: analytics report; other commands print their table)")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    app.add_option("--timeout", opts.timeoutSeconds, "Per-request timeout in seconds")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
}

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

/// The context the global options name: --context, else the current one unless --server
/// names a server explicitly (a token must never go to a server it was not stored for).
/// False (error printed) when --context names none or the file cannot be used.
bool contextFor(GlobalOptions &opts, std::optional<Client::Context> &context, std::ostream &err)
{
    if (opts.context.empty() && !opts.server.empty())
        return true;
    Client::ContextStore store;
    if (auto r = store.load(); !r) {
        if (opts.context.empty())
            return true;   // no context asked for: the defaults still work
        usageError(err, r.error().message);
        return false;
    }
    const QString name = opts.context.empty() ? store.current() : QString::fromStdString(opts.context);
    if (name.isEmpty())
        return true;
    context = store.find(name);
    if (!context) {
        usageError(err, QStringLiteral("no context named \"%1\" in %2").arg(name, store.path()));
        return false;
    }
    if (opts.server.empty())
        opts.server = context->server.toString().toStdString();
    if (opts.token.empty() && opts.tokenFile.empty()) {
        opts.token = context->token.toStdString();
        opts.tokenFile = context->tokenFile.toStdString();
    }
    return true;
}

/// The client for the parsed global options, or (error printed) nullptr.
std::unique_ptr<BlockingClient> connectTo(GlobalOptions &opts, QString &target, std::ostream &err)
{
    std::optional<Client::Context> context;
    if (!contextFor(opts, context, err))
        return nullptr;
    if (opts.server.empty())
        opts.server = kDefaultServer;
    const QUrl server(QString::fromStdString(opts.server), QUrl::StrictMode);
    if (!server.isValid() || server.host().isEmpty()
        || (server.scheme() != QLatin1String("http") && server.scheme() != QLatin1String("https"))) {
        usageError(err, QStringLiteral("invalid --server '%1': expected http(s)://HOST:PORT")
                            .arg(QString::fromStdString(opts.server)));
        return nullptr;
    }

    // An explicit token beats a token file; either may come from the environment.
    QString token = QString::fromStdString(opts.token).trimmed();
    if (token.isEmpty() && !opts.tokenFile.empty()) {
        QString error;
        if (!readToken(opts.tokenFile, token, error)) {
            usageError(err, QStringLiteral("cannot read token file %1: %2")
                                .arg(QString::fromStdString(opts.tokenFile), error));
            return nullptr;
        }
    }

    target = context ? QStringLiteral("context %1 (%2)").arg(context->name, server.toDisplayString())
                     : server.toDisplayString();
    const auto timeout = std::chrono::milliseconds(std::llround(opts.timeoutSeconds * 1000.0));
    auto client = std::make_unique<BlockingClient>(server, token, timeout);
    client->async().setUserAgent(QByteArrayLiteral("communityctl/" COMMUNITY_VERSION));
    return client;
}

} // namespace

int runCtl(int argc, const char *const *argv, std::ostream &out, std::ostream &err)
{
    return runCtl(argc, argv, out, err, std::cin, isatty(STDIN_FILENO) == 1);
}

int runCtl(int argc, const char *const *argv, std::ostream &out, std::ostream &err,
           std::istream &in, bool stdinIsTerminal)
{
    CLI::App app{"Operate a communityd node through its API.", "communityctl"};
    GlobalOptions opts;
    addGlobalOptions(app, opts);

    Session session{out, err};
    StatusCommands status(session);
    UserCommands users(session);
    AdminCommands admin(session);
    EventCommands events(session);
    SearchCommands search(session);
    ModerationCommands moderation(session);
    DemoCommands demo(session);
    NotificationCommands notifications(session);
    ContextCommands contexts(session);
    TopCommands top(session);
    ChaosCommands chaos(session);
    AnalyticsCommands analytics(session);
    ChatCommands chat(session);
    BackupCommands backup(session);
    FilesCommands files(session);
    SettingsCommands settings(session);
    Action action;
    for (CommandGroup *group : std::initializer_list<CommandGroup *>{&status, &users, &admin, &events, &search,
                                                                     &moderation, &demo, &notifications, &contexts, &top,
                                                                     &chaos, &analytics, &chat, &backup, &files,
                                                                     &settings})
        group->addTo(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        // --help and --version are "errors" with exit code 0.
        return app.exit(e, out, err) == 0 ? ExitOk : ExitUsage;
    }

    if (!session.local) {
        session.client = connectTo(opts, session.target, err);
        if (!session.client)
            return ExitUsage;
    }
    session.outIsTerminal = &out == &std::cout && isatty(STDOUT_FILENO) == 1;
    const Terminal terminal{in, stdinIsTerminal};
    session.terminal = &terminal;
    session.format = opts.output == "json"  ? OutputFormat::Json
                     : opts.output == "csv" ? OutputFormat::Csv
                                            : OutputFormat::Table;
    return action ? action() : ExitUsage;
}

} // namespace Community::Ctl
