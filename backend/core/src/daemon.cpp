// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/daemon.h"

#include "community/config.h"
#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/host/embeddedpostgres.h"
#include "db/postgressupervisor.h"
#include "community/host/postgreseventbus.h"
#include "community/host/realtimehub.h"
#include "community/contracts/events/auth.h"
#include "realtime/livemetrics.h"
#include "realtime/postgrestransport.h"
#include "realtime/realtimeroutes.h"
#include "chaos/chaosroutes.h"
#include "community/host/faults.h"
#include "community/host/httpserver.h"
#include "community/host/migrator.h"
#include "community/host/pipeline.h"
#include "community/plugin.h"
#include "community/host/pluginmanager.h"
#include "community/problem.h"
#include "community/router.h"
#include "community/settings.h"
#include "events/eventroutes.h"
#include "settings/settingsroutes.h"
#include "systemroutes.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>
#include <sodium.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

#include <array>
#include <cstdio>

Q_LOGGING_CATEGORY(lcDaemon, "community.daemon")

namespace Community {

namespace {

struct CoreConfig {
    Http::HttpServerConfig http;
    Http::PipelineConfig pipeline;
    Db::DatabaseConfig db;
    bool external = false;
    bool migrateOnStart = true;
    QString dataDir;
    QStringList services;
    QStringList pluginDirs;
    int drainTimeoutMs = 10'000;
    int stopTimeoutMs = 10'000;
    int inFlightGraceMs = 30'000;
    QList<Http::Subnet> metricsAllowFrom;
    QString nodeName;
    Events::EventBusConfig events;
    Realtime::HubConfig realtime;
    bool chaosEnabled = false;      ///< fault injection (docs/adr/0019); off by default
    int chaosMaxTtlSeconds = 3600;
};

// The `realtime` section (docs/realtime.md lists every key).
void parseRealtime(ConfigReader &rt, Realtime::HubConfig &c, const QStringList &corsOrigins)
{
    const QStringList origins = rt.stringList(QStringLiteral("allowedOrigins"));
    c.allowedOrigins = origins.isEmpty() ? corsOrigins : origins;
    c.authTimeoutMs = int(rt.integer(QStringLiteral("authTimeoutMs"), 5000, 100, 600'000,
                                     QStringLiteral("A WebSocket must authenticate within this (ms)")));
    c.pingIntervalMs = int(rt.integer(QStringLiteral("pingIntervalMs"), 25'000, 50, 3'600'000,
                                      QStringLiteral("WebSocket ping interval (ms)")));
    c.maxFrameBytes = rt.integer(QStringLiteral("maxFrameBytes"), 64 * 1024, 256, 16 * 1024 * 1024,
                                 QStringLiteral("Largest frame a client may send"));
    c.framesPerSecond = double(rt.integer(QStringLiteral("framesPerSecond"), 20, 1, 1'000'000));
    c.frameBurst = double(rt.integer(QStringLiteral("frameBurst"), 40, 1, 1'000'000));
    c.maxConnectionsPerUser = int(rt.integer(QStringLiteral("maxConnectionsPerUser"), 16, 0, 1'000'000,
                                             QStringLiteral("Open WebSockets per account (0: no limit)")));
    c.maxConnectionsPerIp = int(rt.integer(QStringLiteral("maxConnectionsPerIp"), 256, 0, 1'000'000,
                                           QStringLiteral("Open WebSockets per client address (0: no limit)")));
    c.maxSubscriptions = int(rt.integer(QStringLiteral("maxSubscriptions"), 256, 1, 100'000,
                                        QStringLiteral("Topics one WebSocket may subscribe to")));
    c.sendQueueBytes = rt.integer(QStringLiteral("sendQueueBytes"), 1024 * 1024, 4096, qint64(1) << 32);
    c.replayMaxFrames = int(rt.integer(QStringLiteral("replayMaxFrames"), 500, 0, 100'000));
    c.replayMaxAgeSeconds = int(rt.integer(QStringLiteral("replayMaxAgeSeconds"), 600, 1, 7 * 86400));
    c.metricsIntervalMs = int(rt.integer(QStringLiteral("metricsIntervalMs"), 1000, 0, 3'600'000));
    c.pruneIntervalMs = int(rt.integer(QStringLiteral("pruneIntervalMs"), 60'000, 100, 86'400'000));
    c.credentialCheckMs = int(rt.integer(QStringLiteral("credentialCheckMs"), 15'000, 0, 3'600'000));
}

Result<void> parseListen(const QString &listen, Http::HttpServerConfig &http)
{
    const int colon = listen.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&ok) : 0;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress addr;
    if (host == QLatin1String("localhost"))
        addr = QHostAddress::LocalHost;
    else if (!addr.setAddress(host))
        ok = false;
    if (!ok || port > 65535)
        return fail(ErrorCode::Config, QStringLiteral("http.listen: expected host:port (e.g. 127.0.0.1:8080), got \"%1\"").arg(listen));
    http.address = addr;
    http.port = quint16(port);
    return {};
}

/// Addresses ("192.0.2.7", "::1") and CIDR networks ("10.0.0.0/8"); a field error per bad entry.
QList<Http::Subnet> parseNetworks(const QStringList &entries, const QString &field, QList<FieldError> &errors)
{
    QList<Http::Subnet> out;
    for (const QString &entry : entries) {
        const QString e = entry.trimmed();
        Http::Subnet net;
        if (e.contains(QLatin1Char('/'))) {
            net = QHostAddress::parseSubnet(e);
        } else if (QHostAddress a; a.setAddress(e)) {
            net = {a, a.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
        }
        if (net.first.isNull() || net.second < 0) {
            errors.append(FieldError{field, QStringLiteral("not an address or a CIDR network: \"%1\"").arg(e),
                                     QStringLiteral("format")});
            continue;
        }
        out.append(net);
    }
    return out;
}

Result<CoreConfig> parseCore(const Config &config, const DaemonOptions &opts)
{
    CoreConfig c;
    ConfigReader root(config.root(), QString());

    c.dataDir = opts.dataDir.isEmpty() ? root.string(QStringLiteral("dataDir"), QStringLiteral("data"))
                                       : (root.accept(QStringLiteral("dataDir")), opts.dataDir);
    c.services = opts.services.isEmpty() ? root.stringList(QStringLiteral("services"))
                                         : (root.accept(QStringLiteral("services")), opts.services);
    c.pluginDirs = opts.pluginDirs.isEmpty() ? root.stringList(QStringLiteral("pluginDirs"))
                                             : (root.accept(QStringLiteral("pluginDirs")), opts.pluginDirs);
    c.nodeName = root.string(QStringLiteral("nodeName"), QSysInfo::machineHostName());
    root.accept(QStringLiteral("plugins"));  // validated against the discovered plugins

    ConfigReader http = root.child(QStringLiteral("http"));
    const QString listen = opts.listen.isEmpty() ? http.string(QStringLiteral("listen"), QStringLiteral("127.0.0.1:8080"))
                                                 : (http.accept(QStringLiteral("listen")), opts.listen);
    c.http.maxHeaderBytes = http.integer(QStringLiteral("maxHeaderBytes"), 16 * 1024, 1024, 1024 * 1024);
    c.http.maxBodyBytes = http.integer(QStringLiteral("maxBodyBytes"), 1024 * 1024, 0, qint64(1) << 32);
    c.http.headerTimeoutMs = int(http.integer(QStringLiteral("headerTimeoutMs"), 10'000, 100, 600'000));
    c.http.idleTimeoutMs = int(http.integer(QStringLiteral("idleTimeoutMs"), 60'000, 100, 3'600'000));
    c.http.ioThreads = int(http.integer(QStringLiteral("ioThreads"), 1, 1, 64));
    c.http.maxConnections = int(http.integer(QStringLiteral("maxConnections"), 10'000, 1, 1'000'000));
    c.http.maxConnectionsPerIp = int(http.integer(QStringLiteral("maxConnectionsPerIp"), 256, 0, 1'000'000));
    c.http.maxHeaderCount = int(http.integer(QStringLiteral("maxHeaderCount"), 100, 1, 10'000));
    // Bodies of streaming routes (ADR 0011); emptied at start: what is there is left from a crash.
    c.http.spoolDirectory = QDir(c.dataDir).absoluteFilePath(QStringLiteral("spool"));
    c.http.bodyTimeoutMs = int(http.integer(QStringLiteral("bodyTimeoutMs"), 60'000, 100, 3'600'000));
    c.http.minBodyBytesPerSecond = http.integer(QStringLiteral("minBodyBytesPerSecond"), 1024, 0, qint64(1) << 32);
    c.http.bodyRateGraceMs = int(http.integer(QStringLiteral("bodyRateGraceMs"), 5'000, 0, 3'600'000));
    ConfigReader cors = http.child(QStringLiteral("cors"));
    c.pipeline.cors.allowedOrigins = cors.stringList(QStringLiteral("allowedOrigins"));
    c.pipeline.cors.maxAgeSeconds = int(cors.integer(QStringLiteral("maxAgeSeconds"), 600, 0, 86400));

    ConfigReader log = root.child(QStringLiteral("log"));
    c.pipeline.accessLog = log.string(QStringLiteral("access"), QStringLiteral("stdout"));

    ConfigReader db = root.child(QStringLiteral("database"));
    const Secret url = db.secret(QStringLiteral("url"));
    c.external = !url.isEmpty();
    c.db.connectionString = url.reveal().toStdString();
    c.db.poolSize = int(db.integer(QStringLiteral("poolSize"), 8, 1, 1000));
    c.db.acquireTimeoutMs = int(db.integer(QStringLiteral("acquireTimeoutMs"), 2000, 1, 600'000));
    c.db.workers = int(db.integer(QStringLiteral("workers"), c.db.poolSize, 1, 1000));
    c.db.queueLimit = int(db.integer(QStringLiteral("queueLimit"), 1024, 0, 1'000'000));
    c.db.maxRetries = int(db.integer(QStringLiteral("maxRetries"), 3, 0, 20));
    c.db.statementTimeoutMs = int(db.integer(QStringLiteral("statementTimeoutMs"), 30'000, 0, 3'600'000));
    c.migrateOnStart = db.boolean(QStringLiteral("migrateOnStart"), true) && !opts.noMigrate;

    ConfigReader shutdown = root.child(QStringLiteral("shutdown"));
    c.drainTimeoutMs = int(shutdown.integer(QStringLiteral("drainTimeoutMs"), 10'000, 0, 600'000));
    c.stopTimeoutMs = int(shutdown.integer(QStringLiteral("stopTimeoutMs"), 10'000, 0, 600'000));
    // Handlers still running when the drain budget is spent are waited for this much longer:
    // their answer is the truth (a 503 could hide a committed write). The pool's statement
    // timeout (database.statementTimeoutMs, 30 s) bounds what they can still be waiting for.
    c.inFlightGraceMs = int(shutdown.integer(QStringLiteral("inFlightGraceMs"), 30'000, 0, 600'000));

    ConfigReader gateway = root.child(QStringLiteral("gateway"));
    ConfigReader limits = gateway.child(QStringLiteral("rateLimits"));
    c.pipeline.rateLimits = Http::defaultRateLimits();
    QList<ConfigReader> limitReaders;
    // The built-in classes are read too (with their defaults), so that the settings registry
    // shows them and they can be changed at runtime.
    QStringList classes = c.pipeline.rateLimits.keys() + config.subtree(QStringLiteral("gateway.rateLimits")).keys();
    classes.sort();
    classes.removeDuplicates();
    for (const QString &name : std::as_const(classes)) {
        ConfigReader cls = limits.child(name);
        Http::RateClass rc = c.pipeline.rateLimits.value(name);
        for (const QString &kind : {QStringLiteral("perIp"), QStringLiteral("perPrincipal")}) {
            ConfigReader lim = cls.child(kind);
            const bool perIp = kind == QLatin1String("perIp");
            Http::RateLimit &target = perIp ? rc.perIp : rc.perPrincipal;
            const QString who = perIp ? QStringLiteral("per client address") : QStringLiteral("per user or API key");
            target.ratePerSecond = double(lim.integer(QStringLiteral("rate"), qint64(target.ratePerSecond), 0, 1'000'000'000,
                                                      QStringLiteral("Requests per second %1 on %2 routes (0: unlimited); live").arg(who, name)));
            target.burst = double(lim.integer(QStringLiteral("burst"), qint64(qMax(target.burst, target.ratePerSecond)), 1, 1'000'000'000,
                                              QStringLiteral("Token-bucket size %1 on %2 routes; live").arg(who, name)));
            limitReaders.append(lim);
        }
        limitReaders.append(cls);
        c.pipeline.rateLimits.insert(name, rc);
    }

    ConfigReader security = root.child(QStringLiteral("security"));
    c.pipeline.operatorToken = security.secret(QStringLiteral("operatorToken"));
    QList<FieldError> networkErrors;
    c.metricsAllowFrom = parseNetworks(security.stringList(QStringLiteral("metricsAllowFrom")),
                                       QStringLiteral("security.metricsAllowFrom"), networkErrors);
    c.http.trustedProxies = parseNetworks(http.stringList(QStringLiteral("trustedProxies")),
                                          QStringLiteral("http.trustedProxies"), networkErrors);

    ConfigReader events = root.child(QStringLiteral("events"));
    c.events.maxAttempts = int(events.integer(QStringLiteral("maxAttempts"), 5, 1, 1000));
    c.events.backoffBaseMs = int(events.integer(QStringLiteral("backoffBaseMs"), 1000, 1, 3'600'000));
    c.events.backoffMaxMs = int(events.integer(QStringLiteral("backoffMaxMs"), 300'000, 1, 86'400'000));
    c.events.batchSize = int(events.integer(QStringLiteral("batchSize"), 100, 1, 10'000));
    c.events.pollIntervalMs = int(events.integer(QStringLiteral("pollIntervalMs"), 500, 10, 60'000));
    c.events.retentionHours = int(events.integer(QStringLiteral("retentionHours"), 0, 0, 24 * 365 * 100));
    c.events.retentionIntervalMs = int(events.integer(QStringLiteral("retentionIntervalMs"), 600'000, 100, 86'400'000));

    ConfigReader realtime = root.child(QStringLiteral("realtime"));
    parseRealtime(realtime, c.realtime, c.pipeline.cors.allowedOrigins);

    ConfigReader chaos = root.child(QStringLiteral("chaos"));
    c.chaosEnabled = chaos.boolean(QStringLiteral("enabled"), false);
    c.chaosMaxTtlSeconds = int(chaos.integer(QStringLiteral("maxTtlSeconds"), 3600, 1, 86'400));

    QList<FieldError> errors = networkErrors;
    for (ConfigReader *r : {&http, &cors, &log, &db, &shutdown, &limits, &gateway, &security, &events, &realtime, &chaos, &root}) {
        if (auto res = r->finish(); !res)
            errors += res.error().fields;
    }
    for (ConfigReader &r : limitReaders) {
        if (auto res = r.finish(); !res)
            errors += res.error().fields;
    }
    if (auto res = parseListen(listen, c.http); !res)
        errors.append(FieldError{QStringLiteral("http.listen"), res.error().message, QStringLiteral("format")});
    if (!errors.isEmpty()) {
        Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields = errors;
        return tl::unexpected(e);
    }
    return c;
}

// The operator token guards the system routes until API keys arrive with the auth
// service. It is generated once and kept in the data directory, readable by its owner only.
Result<Secret> loadOrCreateOperatorToken(const QString &dataDir)
{
    const QString path = QDir(dataDir).filePath(QStringLiteral("operator.token"));
    QFile f(path);
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Config, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        const QString token = QString::fromLatin1(f.readAll()).trimmed();
        if (token.size() < 32)
            return fail(ErrorCode::Config, QStringLiteral("%1 holds no valid token; delete it to create a new one").arg(path));
        return Secret(token);
    }
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    const QString token = QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(raw), sizeof raw).toHex());
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return fail(ErrorCode::Config, QStringLiteral("cannot create %1: %2").arg(path, f.errorString()));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(token.toLatin1() + '\n');
    return Secret(token);
}

class HostContext final : public PluginContext {
public:
    HostContext(QString id, QJsonObject config, Http::Router &router, Db::Database &db,
                 prometheus::Registry &metrics, InterfaceRegistry &interfaces, Events::EventBus &events,
                 Realtime::Hub &realtime, SettingsRegistry &settings)
        : m_id(std::move(id)), m_config(std::move(config)), m_router(router), m_db(db)
        , m_metrics(metrics), m_interfaces(interfaces), m_events(events), m_realtime(realtime), m_settings(settings)
    {
    }
    SettingsRegistry *settings() override { return &m_settings; }
    QString pluginId() const override { return m_id; }
    QJsonObject config() const override { return m_config; }
    QString configPath() const override { return QStringLiteral("plugins.") + m_id; }
    Http::Router &router() override { return m_router; }
    Db::Database &database() override { return m_db; }
    prometheus::Registry &metrics() override { return m_metrics; }
    Events::EventBus &events() override { return m_events; }
    Realtime::Hub &realtime() override { return m_realtime; }
    QString dataDirectory() const override { return m_dataDir; }
    void setDataDirectory(const QString &dir) { m_dataDir = dir; }
    Result<void> provideInterface(const QString &name, void *impl) override
    {
        return m_interfaces.provide(m_id, name, impl);
    }
    Result<void *> lookupInterface(const QString &name) const override
    {
        return m_interfaces.lookup(m_id, name);
    }

private:
    QString m_id;
    QJsonObject m_config;
    Http::Router &m_router;
    Db::Database &m_db;
    prometheus::Registry &m_metrics;
    InterfaceRegistry &m_interfaces;
    Events::EventBus &m_events;
    Realtime::Hub &m_realtime;
    SettingsRegistry &m_settings;
    QString m_dataDir;
};

// Auth events that close or re-filter sockets, on every node (broadcast: not durable).
void wireRevocations(Events::PostgresEventBus &bus, Realtime::RealtimeHub &hub)
{
    namespace A = Contracts::Events::Auth;
    using K = Realtime::AccountSignal::Kind;
    const QStringList types{QString::fromLatin1(A::SessionRevoked::type), QString::fromLatin1(A::AccountSuspended::type),
                            QString::fromLatin1(A::RoleChanged::type)};
    bus.subscribeBroadcast(types, [&hub](const Events::Event &e) -> Result<void> {
        if (e.type == QLatin1String(A::SessionRevoked::type)) {
            if (auto v = A::SessionRevoked::fromJson(e.payload))
                hub.accountChanged({K::SessionRevoked, v->userId, v->sessionIds, {}});
        } else if (e.type == QLatin1String(A::AccountSuspended::type)) {
            if (auto v = A::AccountSuspended::fromJson(e.payload))
                hub.accountChanged({K::Suspended, v->userId, {}, {}});
        } else if (auto v = A::RoleChanged::fromJson(e.payload)) {
            hub.accountChanged({K::RoleChanged, v->userId, {}, v->role});
        }
        return {};
    });
}

} // namespace

struct Daemon::Private {
    DaemonOptions options;
    CoreConfig core;
    Config config;
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    // Every key the readers declared (docs/adr/0032); before the plugins whose watchers it holds.
    SettingsRegistry settings;
    QHash<QString, QJsonValue> runtimeLayer;   ///< read from the database before configure()
    // Before everything that injects its faults (database, bus, pipeline): destroyed after them.
    std::unique_ptr<Chaos::FaultRegistry> faults;
    Http::Router router;
    std::unique_ptr<Db::EmbeddedPostgres> embedded;
    std::unique_ptr<Db::PostgresSupervisor> supervisor;  // restarts `embedded` when it dies
    std::unique_ptr<Db::Database> db;
    std::unique_ptr<Events::PostgresEventBus> events;  // stopped in teardown() before the plugins
    std::unique_ptr<EventRoutes> eventRoutes;
    std::unique_ptr<ChaosRoutes> chaosRoutes;
    std::unique_ptr<SettingsRoutes> settingsRoutes;
    std::unique_ptr<Realtime::PostgresTransport> realtimeTransport;
    std::unique_ptr<Realtime::RealtimeHub> realtime;   // before plugins: they hold ctx.realtime()
    std::unique_ptr<RealtimeRoutes> realtimeRoutes;
    std::unique_ptr<Realtime::LiveMetrics> liveMetrics;
    // After db: plugin instances are destroyed before the database they may reference.
    PluginManager plugins;
    std::unique_ptr<Http::Pipeline> pipeline;
    std::unique_ptr<Http::HttpServer> server;
    std::unique_ptr<SystemRoutes> system;
    QList<MigrationSet> migrationSets;
    bool configured = false;
    bool pluginsStarted = false;
    bool stopping = false;

    Result<void> configure();
    Result<void> readRuntimeLayer();
    Result<void> watchRateLimits();
    Result<void> loadMigrationSets();
    void startPendingPlugins();
    void teardown();
};

Daemon::Daemon(DaemonOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->options = std::move(options);
}

Daemon::~Daemon()
{
    d->teardown();
}

quint16 Daemon::port() const
{
    return d->server ? d->server->serverPort() : 0;
}

Result<void> Daemon::Private::configure()
{
    if (configured)
        return {};
    auto cfg = Config::load(options.configFile, QProcessEnvironment::systemEnvironment(), options.sets, runtimeLayer);
    if (!cfg)
        return tl::unexpected(cfg.error());
    config = *cfg;
    settings.setLayers(config.fileRoot(), runtimeLayer, config.overrides());
    // Read before the database is reached (the runtime layer lives there).
    const QString bootstrap = QStringLiteral("read before the database is reached: set it in the file or the environment");
    for (const char *key : {"dataDir", "services", "pluginDirs", "nodeName", "database"})
        settings.setReadOnly(QString::fromLatin1(key), bootstrap);
    const SettingsRegistry::Scope declaring(&settings);
    auto parsed = parseCore(config, options);
    if (!parsed)
        return tl::unexpected(parsed.error());
    core = *parsed;

    QStringList dirs = core.pluginDirs;
    if (dirs.isEmpty()) {
        // Uninstalled runs find the build tree's plugin folder; installed ones the
        // folder beside the binary.
        const QString appDir = QCoreApplication::applicationDirPath();
        dirs << QDir(appDir).absoluteFilePath(QStringLiteral("../plugins"))
             << QDir(appDir).absoluteFilePath(QStringLiteral("../lib/community/plugins"));
    }
    QStringList existing;
    for (const QString &dir : std::as_const(dirs)) {
        if (QFileInfo(dir).isDir())
            existing << dir;
    }
    if (auto r = plugins.discover(existing); !r)
        return r;
    if (auto r = plugins.resolve(core.services); !r)
        return r;

    // plugins.<id> must name a plugin this node runs.
    const QJsonObject pluginConfigs = config.subtree(QStringLiteral("plugins"));
    QStringList ids;
    for (const auto &m : plugins.ordered())
        ids << m.id;
    QList<FieldError> unknown;
    for (auto it = pluginConfigs.begin(); it != pluginConfigs.end(); ++it) {
        if (!ids.contains(it.key()))
            unknown.append(FieldError{QStringLiteral("plugins.") + it.key(), QStringLiteral("no such plugin on this node"),
                                      QStringLiteral("unknown")});
    }
    if (!unknown.isEmpty()) {
        Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields = unknown;
        return tl::unexpected(e);
    }

    if (!core.external) {
        // The embedded cluster's address follows from the data directory alone, so the
        // database facade can be built now; the server starts in start() (or already
        // did, to read the runtime settings).
        if (!embedded) {
            Db::EmbeddedPostgresConfig pg;
            pg.dataDir = QDir(core.dataDir).absolutePath();
            embedded = std::make_unique<Db::EmbeddedPostgres>(pg);
        }
        core.db.connectionString = embedded->connectionString();
    }
    faults = std::make_unique<Chaos::FaultRegistry>(
        Chaos::FaultRegistry::Options{core.chaosEnabled, core.nodeName, core.chaosMaxTtlSeconds, 64}, registry.get());
    db = std::make_unique<Db::Database>(core.db);
    Chaos::attachToDatabase(db.get(), faults.get());
    Chaos::attachToPlugins(faults.get());
    system = std::make_unique<SystemRoutes>(SystemRoutes::Deps{&plugins, db.get(), registry.get(), &migrationSets,
                                                               core.external, core.nodeName, core.metricsAllowFrom,
                                                               faults.get()});
    if (auto r = router.add(system->routes(router)); !r)
        return r;
    events = std::make_unique<Events::PostgresEventBus>(*db, core.events, registry.get());
    events->setFaults(faults.get());
    eventRoutes = std::make_unique<EventRoutes>(*events, *db);
    if (auto r = router.add(eventRoutes->routes()); !r)
        return r;
    chaosRoutes = std::make_unique<ChaosRoutes>(*faults, *events, *db);
    if (auto r = router.add(chaosRoutes->routes()); !r)
        return r;
    settingsRoutes = std::make_unique<SettingsRoutes>(settings, *events, *db);
    if (auto r = router.add(settingsRoutes->routes()); !r)
        return r;
    settingsRoutes->followOtherNodes();
    realtimeTransport = std::make_unique<Realtime::PostgresTransport>(*events, *db);
    realtime = std::make_unique<Realtime::RealtimeHub>(core.realtime, *realtimeTransport, *db, nullptr, registry.get());
    wireRevocations(*events, *realtime);
    realtimeRoutes = std::make_unique<RealtimeRoutes>(*realtime, *db);
    if (auto r = router.add(realtimeRoutes->routes()); !r)
        return r;

    if (auto r = plugins.load(); !r)
        return r;
    // Routes a plugin registers during its initialize() are tagged with its id, so the
    // gateway can answer 503 for a service that is not running. The factory runs right
    // before each plugin's initialize().
    auto lastCount = std::make_shared<int>(router.routeCount());
    auto lastId = std::make_shared<QString>();
    auto factory = [this, pluginConfigs, lastCount, lastId](const PluginMetadata &meta) -> std::unique_ptr<PluginContext> {
        if (!lastId->isEmpty())
            router.tagOwner(*lastCount, *lastId);
        *lastCount = router.routeCount();
        *lastId = meta.id;
        auto ctx = std::make_unique<HostContext>(meta.id, pluginConfigs.value(meta.id).toObject(), router, *db,
                                                 *registry, plugins.interfaces(), *events, *realtime, settings);
        ctx->setDataDirectory(QDir(core.dataDir).absolutePath());
        return ctx;
    };
    if (auto r = plugins.initialize(factory); !r)
        return r;
    if (!lastId->isEmpty())
        router.tagOwner(*lastCount, *lastId);
    if (auto r = loadMigrationSets(); !r)
        return r;
    configured = true;
    return {};
}

Result<void> Daemon::Private::loadMigrationSets()
{
    migrationSets.clear();
    // The core's own schema first: the event bus outbox that plugins publish into.
    auto eventsSet = Events::PostgresEventBus::migrations();
    if (!eventsSet)
        return tl::unexpected(eventsSet.error());
    migrationSets.append(*eventsSet);
    auto realtimeSet = Realtime::PostgresTransport::migrations();
    if (!realtimeSet)
        return tl::unexpected(realtimeSet.error());
    migrationSets.append(*realtimeSet);
    auto settingsSet = SettingsRoutes::migrations();
    if (!settingsSet)
        return tl::unexpected(settingsSet.error());
    migrationSets.append(*settingsSet);
    for (const auto &meta : plugins.ordered()) {
        IPlugin *p = plugins.instance(meta.id);
        if (!p || p->migrationsResource().isEmpty())
            continue;
        auto set = loadMigrations(meta.id, p->migrationsResource());
        if (!set)
            return tl::unexpected(set.error());
        migrationSets.append(*set);
    }
    return {};
}

Result<void> Daemon::checkConfig()
{
    return d->configure();
}

// The runtime layer sits between the file and the environment, so it must be known
// before anything reads the configuration: one short connection (starting the embedded
// cluster first when there is one) before configure(). --check-config does not read it.
Result<void> Daemon::Private::readRuntimeLayer()
{
    auto cfg = Config::load(options.configFile, QProcessEnvironment::systemEnvironment(), options.sets);
    if (!cfg)
        return tl::unexpected(cfg.error());
    auto early = parseCore(*cfg, options);
    if (!early)
        return tl::unexpected(early.error());
    std::string conninfo = early->db.connectionString;
    if (!early->external) {
        if (!QDir().mkpath(early->dataDir))
            return fail(ErrorCode::Config, QStringLiteral("cannot create data directory %1").arg(early->dataDir));
        Db::EmbeddedPostgresConfig pg;
        pg.dataDir = QDir(early->dataDir).absolutePath();
        embedded = std::make_unique<Db::EmbeddedPostgres>(pg);
        qCInfo(lcDaemon, "starting embedded PostgreSQL in %s", qPrintable(pg.dataDir));
        if (auto r = embedded->start(); !r)
            return r;
        conninfo = embedded->connectionString();
    }
    auto layer = SettingsRoutes::readLayer(conninfo);
    if (!layer)
        return tl::unexpected(layer.error());
    runtimeLayer = *layer;
    if (!runtimeLayer.isEmpty())
        qCInfo(lcDaemon, "runtime settings: %d keys from the database", int(runtimeLayer.size()));
    return {};
}

// Rate limits apply without restart: the next request meets the new bucket.
Result<void> Daemon::Private::watchRateLimits()
{
    Http::Pipeline *p = pipeline.get();
    for (auto it = core.pipeline.rateLimits.cbegin(); it != core.pipeline.rateLimits.cend(); ++it) {
        const QString cls = it.key();
        for (const bool perIp : {true, false}) {
            const QString base = QStringLiteral("gateway.rateLimits.%1.%2.").arg(cls, perIp ? QStringLiteral("perIp") : QStringLiteral("perPrincipal"));
            auto rate = settings.watch(base + QStringLiteral("rate"), [p, cls, perIp](const QJsonValue &v) {
                p->setRateLimit(cls, perIp, v.toDouble(), std::nullopt);
            });
            auto burst = settings.watch(base + QStringLiteral("burst"), [p, cls, perIp](const QJsonValue &v) {
                p->setRateLimit(cls, perIp, std::nullopt, v.toDouble());
            });
            if (!rate || !burst)
                return tl::unexpected(!rate ? rate.error() : burst.error());
        }
    }
    return {};
}

Result<void> Daemon::start()
{
    auto unwind = [this](Error e) -> Result<void> {
        d->teardown();
        return tl::unexpected(std::move(e));
    };
    if (!d->configured) {
        if (auto r = d->readRuntimeLayer(); !r)
            return unwind(r.error());
    }
    if (auto r = d->configure(); !r)
        return unwind(r.error());

    if (!QDir().mkpath(d->core.dataDir))
        return unwind(Error::make(ErrorCode::Config, QStringLiteral("cannot create data directory %1").arg(d->core.dataDir)));
    if (QDir spool(d->core.http.spoolDirectory); !(spool.removeRecursively() && QDir().mkpath(spool.path())))
        return unwind(Error::make(ErrorCode::Config, QStringLiteral("cannot create %1").arg(spool.path())));
    if (d->core.pipeline.operatorToken.isEmpty()) {
        auto token = loadOrCreateOperatorToken(d->core.dataDir);
        if (!token)
            return unwind(token.error());
        d->core.pipeline.operatorToken = *token;
    }

    if (d->embedded) {
        if (!d->embedded->isRunning()) {
            qCInfo(lcDaemon, "starting embedded PostgreSQL in %s", qPrintable(QDir(d->core.dataDir).absolutePath()));
            if (auto r = d->embedded->start(); !r)
                return unwind(r.error());
        }
        d->supervisor = std::make_unique<Db::PostgresSupervisor>(*d->embedded, Db::SupervisorOptions{});
        d->supervisor->registerMetrics(*d->registry);
        d->supervisor->start();
    }
    if (auto r = d->db->open(); !r)
        return unwind(r.error());
    d->db->registerMetrics(*d->registry);

    Migrator migrator(*d->db);
    if (d->core.migrateOnStart) {
        auto applied = migrator.migrate(d->migrationSets, false);
        if (!applied)
            return unwind(applied.error());
        for (const auto &m : *applied)
            qCInfo(lcDaemon, "migration applied: %s %04d %s", qPrintable(m.plugin), m.version, qPrintable(m.name));
    }
    auto current = migrator.isCurrent(d->migrationSets);
    if (!current)
        return unwind(current.error());
    d->system->setMigrationsCurrent(*current);
    if (*current) {
        if (auto r = d->plugins.startAll(); !r)
            return unwind(r.error());
        d->pluginsStarted = true;
        // After the plugins: handlers only run while their plugin runs.
        if (auto r = d->events->start(); !r)
            return unwind(r.error());
    } else {
        // Plugins need their schemas: they start once `communityctl migrate up` has run.
        qCWarning(lcDaemon, "migrations are pending: plugins wait, their routes answer 503 and /readyz is not ready "
                            "until `communityctl migrate up`");
    }

    d->pipeline = std::make_unique<Http::Pipeline>(d->router, d->core.pipeline, d->registry.get());
    if (auto r = d->watchRateLimits(); !r)
        return unwind(r.error());
    d->pipeline->setFaults(d->faults.get());
    d->faults->start();
    if (d->core.chaosEnabled)
        qCWarning(lcDaemon, "chaos.enabled: administrators may inject faults on this node (node %s)",
                  qPrintable(d->core.nodeName));
    if (!d->pluginsStarted) {
        QSet<QString> waiting;
        for (const auto &m : d->plugins.ordered())
            waiting.insert(m.id);
        d->pipeline->setUnavailableOwners(waiting);
    }
    d->system->setMigratedCallback([this] {
        QMetaObject::invokeMethod(this, [this] { d->startPendingPlugins(); }, Qt::QueuedConnection);
    });
    d->server = std::make_unique<Http::HttpServer>(d->core.http);
    Http::Pipeline *pipeline = d->pipeline.get();
    d->server->setHandler([pipeline](Http::HttpRequest &req, const Http::Responder &res) { pipeline->handle(req, res); });
    d->server->setBodySpooler(Http::routeBodySpooler(d->router, d->core.http.maxBodyBytes));
    d->server->setProtocolErrorObserver([pipeline](const Http::HttpRequest &req, Http::HttpResponse &res) {
        pipeline->observeProtocolError(req, res);
    });
    {
        auto &family = prometheus::BuildCounter()
                           .Name("community_http_refusals_total")
                           .Help("Connections refused and requests cut off by the HTTP server's limits, by reason")
                           .Register(*d->registry);
        std::array<prometheus::Counter *, 7> byReason{};
        for (std::size_t i = 0; i < byReason.size(); ++i)
            byReason[i] = &family.Add({{"reason", Http::refusalName(Http::Refusal(i))}});
        d->server->setRefusalObserver([byReason](Http::Refusal why) { byReason[std::size_t(why)]->Increment(); });
    }
    // The auth plugin, when this node runs it, checks credentials for the gateway.
    const QString authId = QString::fromLatin1(Contracts::IAuthenticator::interfaceId());
    const QString authProvider = d->plugins.interfaces().providerOf(authId);
    if (!authProvider.isEmpty()) {
        auto impl = d->plugins.interfaces().lookup(authProvider, authId);
        if (impl && *impl)
            d->pipeline->setAuthenticator(static_cast<const Contracts::IAuthenticator *>(*impl));
    }
    Realtime::RealtimeHub *hub = d->realtime.get();
    hub->setPipeline(pipeline);
    hub->setFaults(d->faults.get());
    d->server->setWebSocketRouter([hub](const Http::HttpRequest &req) -> QWebSocketServer * {
        return req.path == QLatin1String("/v1/ws") ? hub->server() : nullptr;
    });
    d->server->setWebSocketGate([hub](const Http::HttpRequest &req) { return hub->admit(req); });
    // A streamed upload is authorized from its head, before its body reaches the disk.
    d->server->setBodyGate([pipeline](const Http::HttpRequest &req) { return pipeline->refusalBeforeBody(req); });
    d->liveMetrics = std::make_unique<Realtime::LiveMetrics>(*d->registry, *d->db, *hub);
    hub->setMetricsSource([lm = d->liveMetrics.get()] { return lm->sample(); });
    hub->start();
    if (auto r = d->server->listen(); !r)
        return unwind(r.error());
    d->system->setStarted();

    const QString host = d->core.http.address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(d->core.http.address.toString())
                             : d->core.http.address.toString();
    std::printf("communityd listening on http://%s:%u\n", qPrintable(host), unsigned(d->server->serverPort()));
    std::printf("operator token: %s\n",
                qPrintable(QDir(d->core.dataDir).absoluteFilePath(QStringLiteral("operator.token"))));
    std::fflush(stdout);
    return {};
}

void Daemon::shutdown()
{
    if (d->stopping)
        return;
    d->stopping = true;
    d->system->setStopping();
    d->system->refreshPluginStates();
    qCInfo(lcDaemon, "shutting down: closing the listener and draining requests");
    if (!d->server) {
        d->teardown();
        QTimer::singleShot(0, this, &Daemon::stopped);
        return;
    }
    auto done = std::make_shared<bool>(false);
    auto finish = [this, done] {
        if (*done)
            return;
        *done = true;
        if (d->server && d->server->inFlight() > 0)
            qCWarning(lcDaemon, "drain deadline passed with %d requests in flight", d->server->inFlight());
        d->teardown();
        Q_EMIT stopped();
    };
    // Requests still being received near the end of the budget are answered 503 with
    // Connection: close, and the rest of the budget lets those answers go out.
    auto aborted = std::make_shared<bool>(false);
    connect(d->server.get(), &Http::HttpServer::drained, this, [finish, aborted] {
        if (!*aborted)
            finish();
    }, Qt::QueuedConnection);
    const int budget = d->core.drainTimeoutMs;
    const int reserve = qMin(1000, budget / 5);
    QTimer::singleShot(budget - reserve, this, [this, done, aborted] {
        if (*done || !d->server)
            return;
        *aborted = true;
        qCInfo(lcDaemon, "drain budget nearly spent: answering 503 to requests still being received");
        d->server->abortIncompleteRequests();
    });
    // At the end of the budget, handlers still running are given inFlightGraceMs to answer;
    // nothing new is read meanwhile (the incomplete requests were answered 503 above).
    QTimer::singleShot(budget, this, [this, done, aborted, finish] {
        if (*done)
            return;
        const int running = d->server ? d->server->inFlight() : 0;
        if (running == 0 || d->core.inFlightGraceMs == 0)
            return finish();
        qCWarning(lcDaemon, "drain budget spent with %d handlers running: waiting up to %d ms for their answers",
                  running, d->core.inFlightGraceMs);
        *aborted = false;   // drained() now ends the wait
        QTimer::singleShot(d->core.inFlightGraceMs, this, finish);
    });
    d->server->stopListening();
}

void Daemon::Private::startPendingPlugins()
{
    if (pluginsStarted || stopping)
        return;
    if (auto r = plugins.startAll(); !r) {
        qCCritical(lcDaemon, "starting plugins after migration failed: %s", qPrintable(r.error().message));
        system->refreshPluginStates();
        return;
    }
    pluginsStarted = true;
    if (auto r = events->start(); !r)
        qCCritical(lcDaemon, "starting the event bus failed: %s", qPrintable(r.error().message));
    pipeline->setUnavailableOwners({});
    system->refreshPluginStates();
    system->refreshOpenApi();
    qCInfo(lcDaemon, "plugins started after migration");
}

void Daemon::Private::teardown()
{
    // Exact reverse of start().
    if (supervisor)
        supervisor->stop();  // nothing restarts the cluster while the daemon winds down
    if (realtime)
        realtime->stop();   // sockets first: they are not part of the HTTP drain
    server.reset();
    if (events)
        events->stop();
    if (pluginsStarted) {
        plugins.stopAll(std::chrono::milliseconds(core.stopTimeoutMs));
        pluginsStarted = false;
    }
    if (chaosRoutes)
        chaosRoutes->stop();   // db.hold faults give their connections back first
    if (db)
        db->close();
    Chaos::attachToDatabase(nullptr, nullptr);
    Chaos::attachToPlugins(nullptr);
    if (pipeline)
        pipeline->flush();
    if (embedded && embedded->isRunning()) {
        if (auto r = embedded->stop(); !r)
            qCWarning(lcDaemon, "stopping embedded PostgreSQL: %s", qPrintable(r.error().message));
    }
}

} // namespace Community
