// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "systemroutes.h"

#include "community/host/faults.h"

#include "openapidocument.h"

#include "community/database.h"
#include "community/json.h"
#include "community/host/pipeline.h"
#include "community/request.h"
#include "community/host/pluginmanager.h"
#include "community/problem.h"
#include "community/router.h"

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

#ifndef COMMUNITY_VERSION
#define COMMUNITY_VERSION "0.0.0"
#endif

namespace Community {

using namespace Http;

Q_LOGGING_CATEGORY(lcOpenApi, "community.openapi")

namespace {

QJsonObject entryJson(const MigrationEntry &m)
{
    return QJsonObject{
        {QStringLiteral("plugin"), m.plugin},
        {QStringLiteral("version"), m.version},
        {QStringLiteral("name"), m.name},
        {QStringLiteral("checksum"), m.checksum},
        {QStringLiteral("state"), m.state},
        {QStringLiteral("appliedAt"), m.appliedAt.isValid() ? QJsonValue(m.appliedAt.toUTC().toString(Qt::ISODateWithMs))
                                                            : QJsonValue(QJsonValue::Null)},
    };
}

QJsonArray entriesJson(const QList<MigrationEntry> &entries)
{
    QJsonArray arr;
    for (const auto &m : entries)
        arr.append(entryJson(m));
    return arr;
}

// Injected faults are visible where an operator looks first; they do not by themselves
// make a node unready (the faults' effects may).
QJsonObject chaosSummary(const Chaos::FaultRegistry *faults)
{
    QJsonArray active;
    if (faults) {
        for (const Chaos::Fault &f : faults->faults())
            active.append(QJsonObject{{QStringLiteral("id"), f.id},
                                      {QStringLiteral("kind"), Chaos::kindName(f.kind)},
                                      {QStringLiteral("expiresAt"), f.expiresAt.toString(Qt::ISODateWithMs)}});
    }
    return QJsonObject{{QStringLiteral("enabled"), faults && faults->enabled()},
                       {QStringLiteral("activeFaults"), active.size()},
                       {QStringLiteral("faults"), active}};
}

HttpResponse notReady(const QStringList &reasons, const QString &requestId, const QJsonObject &chaos = {})
{
    HttpResponse r = problem(503, QStringLiteral("not-ready"), QStringLiteral("Service Unavailable"),
                             reasons.join(QStringLiteral("; ")), {}, requestId);
    QJsonObject body = QJsonDocument::fromJson(r.body).object();
    body.insert(QStringLiteral("reasons"), QJsonArray::fromStringList(reasons));
    if (!chaos.isEmpty())
        body.insert(QStringLiteral("chaos"), chaos);
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.setHeader("Retry-After", "5");
    return r;
}

} // namespace

SystemRoutes::SystemRoutes(Deps deps)
    : m_deps(std::move(deps))
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    QFile f(QStringLiteral(":/community/openapi.json"));
    if (f.open(QIODevice::ReadOnly))
        m_openApiBase = m_openApi = f.readAll();
    if (m_deps.registry) {
        m_pluginUp = &prometheus::BuildGauge()
                          .Name("community_plugin_state")
                          .Help("1 for the lifecycle state each plugin is in, 0 for the others")
                          .Register(*m_deps.registry);
        auto &build = prometheus::BuildGauge()
                          .Name("community_build_info")
                          .Help("Build information")
                          .Register(*m_deps.registry);
        build.Add({{"version", COMMUNITY_VERSION}, {"qt", qVersion()}}).Set(1);
        auto &start = prometheus::BuildGauge()
                          .Name("community_process_start_time_seconds")
                          .Help("Start time of the process since the Unix epoch")
                          .Register(*m_deps.registry);
        start.Add({}).Set(double(m_startedAt.toSecsSinceEpoch()));
    }
}

SystemRoutes::~SystemRoutes() = default;

void SystemRoutes::refreshPluginStates()
{
    const QList<PluginInfo> states = m_deps.plugins->plugins();
    std::lock_guard lock(m_pluginsMutex);
    m_pluginStates = states;
}

QList<PluginInfo> SystemRoutes::pluginStates() const
{
    std::lock_guard lock(m_pluginsMutex);
    return m_pluginStates;
}

void SystemRoutes::setStarted()
{
    refreshPluginStates();
    refreshOpenApi();
    m_started = true;
}

void SystemRoutes::refreshOpenApi()
{
    // The document describes what this node serves: the host's routes plus the
    // fragments of the plugins it runs.
    QJsonObject doc = QJsonDocument::fromJson(m_openApiBase).object();
    QJsonObject info = doc.value(QStringLiteral("info")).toObject();
    info.insert(QStringLiteral("version"), QStringLiteral(COMMUNITY_VERSION));   // the build's, as /v1/system/info says
    doc.insert(QStringLiteral("info"), info);
    for (const PluginInfo &p : m_deps.plugins->plugins()) {
        if (p.state != PluginState::Running)
            continue;
        const QString dir = QStringLiteral(":/openapi/%1").arg(p.meta.id);
        const QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
        for (const QString &name : files) {
            QFile f(dir + QLatin1Char('/') + name);
            if (f.open(QIODevice::ReadOnly))
                OpenApi::mergeFragment(doc, QJsonDocument::fromJson(f.readAll()).object());
        }
    }
    // Who may call an operation comes from its route, never from the fragment.
    if (m_router) {
        const QStringList unserved = OpenApi::applyRouteSecurity(doc, m_router->routes());
        if (!unserved.isEmpty())
            qCWarning(lcOpenApi, "operations in openapi.json without a route: %s",
                      qPrintable(unserved.join(QStringLiteral(", "))));
    }
    std::lock_guard lock(m_openApiMutex);
    m_openApi = QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

void SystemRoutes::refreshGauges()
{
    if (!m_pluginUp)
        return;
    for (const PluginInfo &p : pluginStates()) {
        for (PluginState s : {PluginState::Discovered, PluginState::Resolved, PluginState::Loaded, PluginState::Initialized,
                              PluginState::Running, PluginState::Stopped, PluginState::Failed}) {
            auto &g = m_pluginUp->Add({{"plugin", p.meta.id.toStdString()}, {"state", pluginStateName(s).toStdString()}});
            g.Set(p.state == s ? 1 : 0);
        }
    }
}

QList<Route> SystemRoutes::routes(const Router &router)
{
    m_router = &router;
    RouteOptions pub;
    pub.owner = QStringLiteral("core");
    pub.rateClass = QStringLiteral("system");  // probes and scrapers are not throttled
    RouteOptions op = pub;
    op.operatorOnly = true;
    const RouteOptions opBody = RouteOptions(op).withBodyLimit(4096);
    const RouteOptions timeOpts = RouteOptions(pub).withRateClass(QStringLiteral("default"));
    // Metrics reveal routes, traffic, pool state and versions: operator token, or a
    // scraper from an allowed network (security.metricsAllowFrom).
    RouteOptions metricsOpts = op;
    metricsOpts.tokenlessNetworks = m_deps.metricsAllowFrom;
    auto handler = [this](auto method) { return memberHandler(this, method); };
    return {
        {"GET", QStringLiteral("/healthz"), pub, [](HttpRequest &, const Responder &res) {
             static const QByteArray body = R"({"status":"ok"})";
             res.send(HttpResponse::text(200, body, "application/json"));
         }},
        {"GET", QStringLiteral("/readyz"), pub, handler(&SystemRoutes::ready)},
        {"GET", QStringLiteral("/metrics"), metricsOpts, handler(&SystemRoutes::metrics)},
        {"GET", QStringLiteral("/openapi.json"), pub, handler(&SystemRoutes::openApi)},
        {"GET", QStringLiteral("/v1/system/info"), op, handler(&SystemRoutes::info)},
        {"GET", QStringLiteral("/v1/system/routes"), op, handler(&SystemRoutes::routeList)},
        {"GET", QStringLiteral("/v1/system/migrations"), op, handler(&SystemRoutes::migrations)},
        {"POST", QStringLiteral("/v1/system/migrations"), opBody, handler(&SystemRoutes::migrate)},
        {"GET", QStringLiteral("/v1/system/time"), timeOpts, handler(&SystemRoutes::time)},
    };
}

void SystemRoutes::ready(HttpRequest &req, const Responder &res)
{
    QStringList reasons;
    for (const PluginInfo &p : pluginStates()) {
        if (p.state != PluginState::Running && p.state != PluginState::Discovered)
            reasons << QStringLiteral("plugin %1 is %2").arg(p.meta.id, pluginStateName(p.state));
    }
    if (!m_started)
        reasons << QStringLiteral("the daemon is starting or stopping");
    if (!m_migrationsCurrent)
        reasons << QStringLiteral("migrations are pending");
    const QString rid = req.requestId;
    Db::Database *db = m_deps.db;
    const QJsonObject chaos = chaosSummary(m_deps.faults);
    const bool queued = db->trySubmit([db, reasons, rid, res, chaos]() mutable {
        auto ok = db->transact<int>([](pqxx::work &tx) -> Result<int> { return tx.exec("SELECT 1")[0][0].as<int>(); });
        if (!ok)
            reasons.prepend(QStringLiteral("database unreachable: %1").arg(ok.error().message));
        if (!reasons.isEmpty())
            return void(res.send(notReady(reasons, rid, chaos)));
        res.send(HttpResponse::json(200, QJsonObject{
            {QStringLiteral("status"), QStringLiteral("ready")},
            {QStringLiteral("checks"), QJsonObject{{QStringLiteral("database"), QStringLiteral("ok")},
                                                   {QStringLiteral("migrations"), QStringLiteral("ok")},
                                                   {QStringLiteral("plugins"), QStringLiteral("ok")}}},
            {QStringLiteral("chaos"), chaos}}));
    });
    if (!queued)
        res.send(notReady(reasons + QStringList{QStringLiteral("worker queue full")}, rid));
}

void SystemRoutes::metrics(HttpRequest &, const Responder &res)
{
    refreshGauges();
    const std::string text = prometheus::TextSerializer().Serialize(m_deps.registry->Collect());
    res.send(HttpResponse::text(200, QByteArray::fromStdString(text), "text/plain; version=0.0.4; charset=utf-8"));
}

void SystemRoutes::openApi(HttpRequest &, const Responder &res)
{
    QByteArray doc;
    {
        std::lock_guard lock(m_openApiMutex);
        doc = m_openApi;
    }
    res.send(HttpResponse::text(200, doc, "application/json"));
}

void SystemRoutes::info(HttpRequest &, const Responder &res)
{
    QJsonArray plugins;
    QJsonArray services;
    for (const PluginInfo &p : pluginStates()) {
        QJsonArray deps;
        for (const PluginDependency &dep : p.meta.dependencies) {
            deps.append(QJsonObject{{QStringLiteral("id"), dep.id},
                                    {QStringLiteral("minVersion"), dep.minVersion.toString()},
                                    {QStringLiteral("optional"), dep.optional}});
        }
        QJsonObject o{{QStringLiteral("id"), p.meta.id},
                      {QStringLiteral("version"), p.meta.version.toString()},
                      {QStringLiteral("state"), pluginStateName(p.state)},
                      {QStringLiteral("dependencies"), deps}};
        if (!p.error.isEmpty())
            o.insert(QStringLiteral("error"), p.error);
        plugins.append(o);
        if (p.state == PluginState::Running)
            services.append(p.meta.id);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    res.send(HttpResponse::json(200, QJsonObject{
        {QStringLiteral("version"), QStringLiteral(COMMUNITY_VERSION)},
        {QStringLiteral("node"), m_deps.nodeName},
        {QStringLiteral("startedAt"), Json::iso(m_startedAt)},
        {QStringLiteral("uptimeSeconds"), double(m_startedAt.secsTo(now))},
        {QStringLiteral("database"), QJsonObject{{QStringLiteral("mode"), m_deps.externalDatabase ? QStringLiteral("external")
                                                                                               : QStringLiteral("embedded")}}},
        {QStringLiteral("services"), services},
        {QStringLiteral("plugins"), plugins}}));
}

void SystemRoutes::routeList(HttpRequest &, const Responder &res)
{
    QJsonArray routes;
    for (const RouteInfo &ri : m_router->routes()) {
        routes.append(QJsonObject{{QStringLiteral("method"), QString::fromLatin1(ri.method)},
                                  {QStringLiteral("path"), ri.pattern},
                                  {QStringLiteral("owner"), ri.options.owner},
                                  {QStringLiteral("operatorOnly"), ri.options.operatorOnly},
                                  {QStringLiteral("access"), ri.options.access == Access::Public ? QStringLiteral("public")
                                                                                                 : QStringLiteral("authenticated")},
                                  {QStringLiteral("minRole"), roleName(ri.options.minRole)},
                                  {QStringLiteral("scope"), ri.options.scope}});
    }
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("routes"), routes}}));
}

void SystemRoutes::migrations(HttpRequest &req, const Responder &res)
{
    m_deps.db->respondWith(req, res, [db = m_deps.db, sets = *m_deps.migrationSets]() -> Result<HttpResponse> {
        auto st = Migrator(*db).status(sets);
        if (!st)
            return tl::unexpected(st.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("migrations"), entriesJson(*st)}});
    });
}

void SystemRoutes::migrate(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res, true);
    if (!body)
        return;
    const bool dryRun = body->boolean(QStringLiteral("dryRun"), Presence::Optional).value_or(false);
    if (auto valid = body->finish(); !valid)
        return sendError(req, res, valid.error());
    m_deps.db->respondWith(req, res, [this, db = m_deps.db, sets = *m_deps.migrationSets, dryRun]() -> Result<HttpResponse> {
        Migrator migrator(*db);
        auto applied = migrator.migrate(sets, dryRun);
        if (!applied)
            return tl::unexpected(applied.error());
        if (!dryRun) {
            auto current = migrator.isCurrent(sets);
            m_migrationsCurrent = current && *current;
            if (m_migrationsCurrent && m_onMigrated)
                m_onMigrated();
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("dryRun"), dryRun},
                                                   {QStringLiteral("applied"), entriesJson(*applied)}});
    });
}

void SystemRoutes::time(HttpRequest &req, const Responder &res)
{
    // One statement: autocommit, no BEGIN/COMMIT round trips.
    m_deps.db->respondRead(req, res, [](pqxx::nontransaction &tx) -> Result<HttpResponse> {
        const auto row = tx.exec("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")[0];
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("now"), QString::fromStdString(row[0].as<std::string>())}});
    });
}

} // namespace Community
