// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "ctlapp.h"

#include "admincommands.h"
#include "chatcommands.h"
#include "democommands.h"
#include "eventcommands.h"
#include "moderationcommands.h"
#include "notificationcommands.h"
#include "searchcommands.h"
#include "statuscommands.h"
#include "usercommands.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QUrl>

#include <chrono>
#include <cmath>
#include <iostream>
#include <ostream>
#include <string>

#include <unistd.h>

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

void addGlobalOptions(CLI::App &app, GlobalOptions &opts)
{
    app.set_version_flag("--version", std::string(COMMUNITY_VERSION));
    // Global options are accepted after the subcommand too ("status -o json").
    app.fallthrough();
    app.require_subcommand(1);
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

/// The client for the parsed global options, or (error printed) nullptr.
std::unique_ptr<BlockingClient> connectTo(const GlobalOptions &opts, std::ostream &err)
{
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
    ChatCommands chat(session);
    Action action;
    for (CommandGroup *group : std::initializer_list<CommandGroup *>{&status, &users, &admin, &events, &search,
                                                                     &moderation, &demo, &notifications, &chat})
        group->addTo(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        // --help and --version are "errors" with exit code 0.
        return app.exit(e, out, err) == 0 ? ExitOk : ExitUsage;
    }

    session.client = connectTo(opts, err);
    if (!session.client)
        return ExitUsage;
    const Terminal terminal{in, stdinIsTerminal};
    session.terminal = &terminal;
    session.format = opts.output == "json" ? OutputFormat::Json : OutputFormat::Table;
    return action ? action() : ExitUsage;
}

} // namespace Community::Ctl
