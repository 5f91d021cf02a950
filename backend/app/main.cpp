// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/config.h"
#include "community/host/daemon.h"
#include "community/host/logging.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_signalFd[1], &c, 1);
}

int printError(const Community::Error &e)
{
    std::fprintf(stderr, "communityd: %s\n", qPrintable(Community::formatErrors(e)));
    return e.code == Community::ErrorCode::Config ? 2 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    // Without glib the event loop makes fewer system calls per request (DESIGN.md).
    ::setenv("QT_NO_GLIB", "1", 0);
    QCoreApplication app(argc, argv);
    Community::installLogHandler(qEnvironmentVariable("COMMUNITY_LOG_FORMAT") == QLatin1String("text")
                                     ? Community::LogFormat::Text
                                     : Community::LogFormat::Json);
    QCoreApplication::setApplicationName(QStringLiteral("communityd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(COMMUNITY_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Community Platform daemon: every service as a plugin."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption config({QStringLiteral("c"), QStringLiteral("config")}, QStringLiteral("Configuration file (JSON)."), QStringLiteral("file"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Data directory (default ./data)."), QStringLiteral("dir"));
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("Listen address host:port (default 127.0.0.1:8080)."), QStringLiteral("address"));
    const QCommandLineOption services(QStringLiteral("services"), QStringLiteral("Run only these plugins (comma-separated)."), QStringLiteral("ids"));
    const QCommandLineOption pluginDir(QStringLiteral("plugin-dir"), QStringLiteral("Plugin folder (repeatable)."), QStringLiteral("dir"));
    const QCommandLineOption set(QStringLiteral("set"), QStringLiteral("Override a configuration value (repeatable)."), QStringLiteral("key.path=value"));
    const QCommandLineOption checkConfig(QStringLiteral("check-config"), QStringLiteral("Validate the configuration and exit."));
    const QCommandLineOption noMigrate(QStringLiteral("no-migrate"), QStringLiteral("Do not apply pending migrations at start."));
    parser.addOptions({config, dataDir, listen, services, pluginDir, set, checkConfig, noMigrate});
    parser.process(app);

    Community::DaemonOptions opts;
    opts.configFile = parser.value(config);
    opts.dataDir = parser.value(dataDir);
    opts.listen = parser.value(listen);
    if (parser.isSet(services))
        opts.services = parser.value(services).split(QLatin1Char(','), Qt::SkipEmptyParts);
    opts.pluginDirs = parser.values(pluginDir);
    opts.sets = parser.values(set);
    opts.noMigrate = parser.isSet(noMigrate);

    Community::Daemon daemon(opts);
    if (parser.isSet(checkConfig)) {
        if (auto r = daemon.checkConfig(); !r)
            return printError(r.error());
        std::printf("configuration OK\n");
        return 0;
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalFd) != 0) {
        std::perror("communityd: socketpair");
        return 1;
    }
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    QSocketNotifier notifier(g_signalFd[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &daemon, [&] {
        char c;
        [[maybe_unused]] auto n = ::read(g_signalFd[0], &c, 1);
        daemon.shutdown();
    });
    QObject::connect(&daemon, &Community::Daemon::stopped, &app, [] { QCoreApplication::exit(0); });

    if (auto r = daemon.start(); !r)
        return printError(r.error());
    return app.exec();
}
