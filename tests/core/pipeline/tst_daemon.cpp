// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The daemon as a whole: configuration checks, failed start, --services, migrations at
// start or on demand, SIGTERM drain with requests in flight, embedded PostgreSQL kept
// across restarts, and the OpenAPI document matching the registered routes (one operation
// per route, each with a unique operationId and the security its route's options imply).

#include "daemonprocess.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QtTest>

#include <csignal>

using namespace Community::Test;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray output;
};

Run runDaemon(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(COMMUNITY_BIN_DIR "/communityd"), args);
    if (!p.waitForFinished(60'000)) {
        p.kill();
        p.waitForFinished();
    }
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAll()};
}

// The security an operation must state, from its route's declaration as /v1/system/routes
// reports it: operator-only → the operator token; public → none required; authenticated →
// a user token (with the role, above user) or an API key with the route's scope (plus
// admin above user), and above user also the operator token.
QJsonArray expectedSecurity(const QJsonObject &route)
{
    if (route.value(QStringLiteral("operatorOnly")).toBool())
        return {QJsonObject{{QStringLiteral("operatorToken"), QJsonArray{}}}};
    if (route.value(QStringLiteral("access")).toString() == QLatin1String("public"))
        return {};
    const QString role = route.value(QStringLiteral("minRole")).toString();
    const QString scope = route.value(QStringLiteral("scope")).toString();
    const bool elevated = role != QLatin1String("user");
    QJsonArray roles;
    QJsonArray scopes;
    if (elevated)
        roles.append(role);
    if (!scope.isEmpty())
        scopes.append(scope);
    if (elevated && scope != QLatin1String("admin"))
        scopes.append(QStringLiteral("admin"));
    QJsonArray alternatives{QJsonObject{{QStringLiteral("bearerAuth"), roles}},
                            QJsonObject{{QStringLiteral("apiKey"), scopes}}};
    if (elevated)
        alternatives.append(QJsonObject{{QStringLiteral("operatorToken"), QJsonArray{}}});
    return alternatives;
}

} // namespace

class TstDaemon : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void checkConfigAcceptsDefaults()
    {
        const Run r = runDaemon({QStringLiteral("--check-config"), QStringLiteral("--plugin-dir"), QStringLiteral(PROBE_PLUGIN_DIR)});
        QVERIFY2(r.exitCode == 0, r.output.constData());
        QVERIFY(r.output.contains("configuration OK"));
    }

    void checkConfigRejectsUnknownKeys_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("expected");
        QTest::newRow("core") << QStringLiteral("http.bogus=1") << QStringLiteral("http.bogus: unknown key");
        QTest::newRow("top") << QStringLiteral("colour=1") << QStringLiteral("colour: unknown key");
        QTest::newRow("plugin key") << QStringLiteral("plugins.probe.typo=1") << QStringLiteral("plugins.probe.typo: unknown key");
        QTest::newRow("no such plugin") << QStringLiteral("plugins.nope.x=1") << QStringLiteral("plugins.nope: no such plugin");
        QTest::newRow("type") << QStringLiteral("database.poolSize=\"many\"") << QStringLiteral("database.poolSize: must be an integer");
        QTest::newRow("listen") << QStringLiteral("http.listen=nowhere") << QStringLiteral("http.listen");
        QTest::newRow("header count") << QStringLiteral("http.maxHeaderCount=0")
                                      << QStringLiteral("http.maxHeaderCount: must be between 1 and 10000");
        QTest::newRow("body rate") << QStringLiteral("http.minBodyBytesPerSecond=-1")
                                   << QStringLiteral("http.minBodyBytesPerSecond: must be between");
        QTest::newRow("per-ip") << QStringLiteral("http.maxConnectionsPerIp=\"many\"")
                                << QStringLiteral("http.maxConnectionsPerIp: must be an integer");
        QTest::newRow("metrics allowlist") << QStringLiteral("security.metricsAllowFrom=[\"10.0.0.0/8\",\"nonsense\"]")
                                           << QStringLiteral("security.metricsAllowFrom: not an address or a CIDR network: \"nonsense\"");
    }
    void checkConfigRejectsUnknownKeys()
    {
        QFETCH(QString, set);
        QFETCH(QString, expected);
        const Run r = runDaemon({QStringLiteral("--check-config"), QStringLiteral("--plugin-dir"), QStringLiteral(PROBE_PLUGIN_DIR),
                                 QStringLiteral("--set"), set});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains(expected.toUtf8()), r.output.constData());
    }

    void environmentOverrides()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("COMMUNITY_HTTP__MAXBODYBYTES"), QStringLiteral("\"big\""));
        const Run r = runDaemon({QStringLiteral("--check-config"), QStringLiteral("--plugin-dir"), QStringLiteral(PROBE_PLUGIN_DIR)}, env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains("http.maxBodyBytes: must be an integer"), r.output.constData());
    }

    void unknownServiceRefused()
    {
        const Run r = runDaemon({QStringLiteral("--check-config"), QStringLiteral("--plugin-dir"), QStringLiteral(PROBE_PLUGIN_DIR),
                                 QStringLiteral("--services"), QStringLiteral("probe,nope")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.output.contains("nope"), r.output.constData());
    }

    void failedStartUnwinds()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--set"), QStringLiteral("plugins.probe.failStart=true")};
        QVERIFY(!d.start(o));
        QVERIFY2(d.errorString().contains(QStringLiteral("probe was told to fail its start")), qPrintable(d.errorString()));
        QVERIFY(d.process()->exitCode() != 0);
        QVERIFY(!d.errorString().contains(QStringLiteral("listening on")));
    }

    void noMigrateThenMigrateUp()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--no-migrate")};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        auto ready = d.get(QStringLiteral("/readyz"));
        QCOMPARE(ready.status, 503);
        QVERIFY(ready.json().value(QStringLiteral("reasons")).toArray().contains(QStringLiteral("migrations are pending")));
        auto pending = d.operatorRequest("GET", QStringLiteral("/v1/system/migrations"));
        QCOMPARE(pending.json().value(QStringLiteral("migrations")).toArray()[0].toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("pending"));
        auto dry = d.operatorRequest("POST", QStringLiteral("/v1/system/migrations"), R"({"dryRun":true})");
        // The core's own sets (events: two migrations; realtime: one; settings: one) and the probe's two.
        QCOMPARE(dry.json().value(QStringLiteral("applied")).toArray().size(), 6);
        QCOMPARE(d.get(QStringLiteral("/readyz")).status, 503);
        auto up = d.operatorRequest("POST", QStringLiteral("/v1/system/migrations"), R"({"dryRun":false})");
        QCOMPARE(up.status, 200);
        QCOMPARE(up.json().value(QStringLiteral("applied")).toArray().size(), 6);
        QCOMPARE(d.get(QStringLiteral("/readyz")).status, 200);
        QCOMPARE(d.get(QStringLiteral("/v1/probe/items/a")).json().value(QStringLiteral("count")).toInt(), 2);
        QCOMPARE(d.stop(), 0);
    }

    void sigtermDrainsInFlightRequests()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        QNetworkAccessManager nam;
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 5; ++i)
            replies << nam.get(QNetworkRequest(d.url(QStringLiteral("/v1/probe/slow?ms=1500"))));
        QTest::qWait(400);  // the requests are in the server now
        ::kill(pid_t(d.process()->processId()), SIGTERM);
        QTest::qWait(200);
        // The listener is closed: a new connection is refused.
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(d.baseUrl().port()));
        QVERIFY(!probe.waitForConnected(1000) || !probe.waitForReadyRead(500));
        for (QNetworkReply *r : replies) {
            QTRY_VERIFY_WITH_TIMEOUT(r->isFinished(), 10'000);
            QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            QCOMPARE(QJsonDocument::fromJson(r->readAll()).object().value(QStringLiteral("slept")).toInt(), 1500);
        }
        QTRY_VERIFY_WITH_TIMEOUT(d.process()->state() == QProcess::NotRunning, 15'000);
        QCOMPARE(d.process()->exitCode(), 0);
        QVERIFY(d.output().contains("stopped"));
    }

    // Issue 10 (7): a handler still running when the drain budget is spent is waited for
    // (shutdown.inFlightGraceMs) and its own answer goes out; it is never cut off unanswered.
    void sigtermWaitsForHandlersPastTheBudget()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--set"), QStringLiteral("shutdown.drainTimeoutMs=500")};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        QNetworkAccessManager nam;
        QNetworkReply *slow = nam.get(QNetworkRequest(d.url(QStringLiteral("/v1/probe/slow?ms=2500"))));
        QTest::qWait(300);
        QElapsedTimer sinceTerm;
        sinceTerm.start();
        ::kill(pid_t(d.process()->processId()), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(slow->isFinished(), 10'000);
        QCOMPARE(slow->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(slow->readAll()).object().value(QStringLiteral("slept")).toInt(), 2500);
        QVERIFY2(sinceTerm.elapsed() > 1500, QByteArray::number(sinceTerm.elapsed()));   // past the 500 ms budget
        QTRY_VERIFY_WITH_TIMEOUT(d.process()->state() == QProcess::NotRunning, 15'000);
        QCOMPARE(d.process()->exitCode(), 0);
        QVERIFY(d.output().contains("handlers running: waiting up to"));
    }

    // Issue 10 (7): a request partly received at SIGTERM is finished within the drain
    // budget and answered, or answered 503 with Connection: close; never dropped.
    void sigtermAnswersPartlyReceivedRequests()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--set"), QStringLiteral("shutdown.drainTimeoutMs=2000")};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        const quint16 port = quint16(d.baseUrl().port());
        QTcpSocket finishing;
        QTcpSocket abandoned;
        QTcpSocket halfBody;
        for (QTcpSocket *s : {&finishing, &abandoned, &halfBody}) {
            s->connectToHost(QHostAddress::LocalHost, port);
            QVERIFY(s->waitForConnected(5000));
        }
        finishing.write("GET /healthz HTTP/1.1\r\nHost: t\r\n");
        abandoned.write("GET /healthz HTTP/1.1\r\nHost: t\r\n");
        halfBody.write("POST /v1/probe/items HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                       "Content-Length: 100\r\n\r\n{\"na");
        for (QTcpSocket *s : {&finishing, &abandoned, &halfBody})
            QVERIFY(s->waitForBytesWritten(5000));
        QTest::qWait(300);   // the daemon has read them
        QElapsedTimer sinceTerm;
        sinceTerm.start();
        ::kill(pid_t(d.process()->processId()), SIGTERM);
        QTest::qWait(300);
        finishing.write("\r\n");   // completes its request during the drain
        QVERIFY(finishing.waitForBytesWritten(2000));
        auto readAll = [](QTcpSocket &s) {
            QByteArray all;
            QDeadlineTimer deadline(8000);
            while (s.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
                if (s.waitForReadyRead(100))
                    all += s.readAll();
            }
            return all + s.readAll();
        };
        const QByteArray done = readAll(finishing);
        QVERIFY2(done.startsWith("HTTP/1.1 200 "), done.constData());
        QVERIFY2(done.contains("\r\nConnection: close\r\n"), done.constData());
        for (QTcpSocket *s : {&abandoned, &halfBody}) {
            const QByteArray cut = readAll(*s);
            QVERIFY2(cut.startsWith("HTTP/1.1 503 "), cut.constData());
            QVERIFY2(cut.contains("\r\nConnection: close\r\n"), cut.constData());
            QVERIFY(cut.contains("application/problem+json"));
            QVERIFY(cut.contains("problems/shutting-down"));
        }
        QVERIFY2(sinceTerm.elapsed() < 4000, QByteArray::number(sinceTerm.elapsed()));
        QTRY_VERIFY_WITH_TIMEOUT(d.process()->state() == QProcess::NotRunning, 15'000);
        QCOMPARE(d.process()->exitCode(), 0);
    }

    // Issue 10 (5, 8): /metrics for an allowlisted network without the token; refusals of
    // the per-address connection limit are counted there.
    void metricsAllowlistAndRefusalCount()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--set"), QStringLiteral("security.metricsAllowFrom=[\"127.0.0.1/32\", \"::1\"]"),
                       QStringLiteral("--set"), QStringLiteral("http.maxConnectionsPerIp=2")};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        const quint16 port = quint16(d.baseUrl().port());
        // Two connections from 127.0.0.2 are let in, the third is closed at once.
        QList<QTcpSocket *> sockets;
        for (int i = 0; i < 3; ++i) {
            auto *s = new QTcpSocket(this);
            QVERIFY(s->bind(QHostAddress(QStringLiteral("127.0.0.2"))));
            s->connectToHost(QHostAddress::LocalHost, port);
            QVERIFY(s->waitForConnected(5000));
            sockets << s;
        }
        QTRY_VERIFY_WITH_TIMEOUT(sockets[2]->state() == QAbstractSocket::UnconnectedState, 5000);
        QCOMPARE(sockets[0]->state(), QAbstractSocket::ConnectedState);
        sockets[0]->write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        QVERIFY(sockets[0]->waitForReadyRead(5000));
        QVERIFY(sockets[0]->readAll().startsWith("HTTP/1.1 200 "));

        // 127.0.0.1 is allowlisted: no token needed (and its own connection allowance).
        auto metrics = d.get(QStringLiteral("/metrics"));
        QCOMPARE(metrics.status, 200);
        QVERIFY2(metrics.body.contains(R"(community_http_refusals_total{reason="per_ip_connections"} 1)"),
                 metrics.body.constData());
        // The allowlist opens /metrics only, not the other operator routes.
        QCOMPARE(d.get(QStringLiteral("/v1/system/info")).status, 401);
        qDeleteAll(sockets);
        QCOMPARE(d.stop(), 0);
    }

    void rateLimitAnswers429WithHeaders()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perIp.rate=1"),
                       QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perIp.burst=3")};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        QList<HttpResult> results;
        for (int i = 0; i < 5; ++i)
            results << d.get(QStringLiteral("/v1/probe/items/a"));
        QCOMPARE(results[0].status, 200);
        QCOMPARE(results[0].header("ratelimit-limit"), QByteArray("3"));
        QCOMPARE(results[0].header("ratelimit-remaining"), QByteArray("2"));
        QCOMPARE(results[2].status, 200);
        QCOMPARE(results[3].status, 429);
        QCOMPARE(results[3].header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(results[3].json().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://community.example/problems/rate-limited"));
        QVERIFY(results[3].header("retry-after").toInt() >= 1);
        QCOMPARE(results[3].header("ratelimit-remaining"), QByteArray("0"));
        // Health probes are in the unthrottled "system" class.
        for (int i = 0; i < 10; ++i)
            QCOMPARE(d.get(QStringLiteral("/healthz")).status, 200);
        const QByteArray metrics = d.operatorRequest("GET", QStringLiteral("/metrics")).body;
        QVERIFY(metrics.contains(R"(community_ratelimit_rejected_total{class="default",subject="ip"} 2)"));
        QVERIFY(metrics.contains(R"(community_ratelimit_limit{class="default",parameter="burst",subject="ip"} 3)"));
        QVERIFY(metrics.contains(R"(community_ratelimit_limit{class="auth",parameter="rate",subject="ip"} 1)"));
        QCOMPARE(d.stop(), 0);
    }

    // Issue 10: behind a trusted proxy each forwarded client has its own rate allowance
    // (IPv6 clients one per /64); the allowlist for /metrics and the access log see the
    // client too, and a bad proxy entry stops the daemon at start.
    void forwardedClientsAreLimitedApart()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.extraArgs = {QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perIp.rate=1"),
                       QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perIp.burst=2"),
                       QStringLiteral("--set"), QStringLiteral("http.trustedProxies=[\"127.0.0.1\"]"),
                       QStringLiteral("--set"), QStringLiteral("security.metricsAllowFrom=[\"127.0.0.1/32\"]")};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        auto from = [&](const char *client) {
            return d.get(QStringLiteral("/v1/probe/items/a"), {{"X-Forwarded-For", client}}).status;
        };
        QCOMPARE(from("203.0.113.1"), 200);
        QCOMPARE(from("203.0.113.1"), 200);
        QCOMPARE(from("203.0.113.1"), 429);
        QCOMPARE(from("203.0.113.2"), 200);   // another client behind the same proxy
        QCOMPARE(from("2001:db8:1:2::1"), 200);
        QCOMPARE(from("2001:db8:1:2::2"), 200);
        QCOMPARE(from("2001:db8:1:2:ffff::9"), 429);   // the same /64
        QCOMPARE(from("2001:db8:1:3::1"), 200);
        // The proxy's own address is allowlisted; a client it forwards for is not.
        QCOMPARE(d.get(QStringLiteral("/metrics"), {{"X-Forwarded-For", "203.0.113.3"}}).status, 401);
        QCOMPARE(d.get(QStringLiteral("/metrics")).status, 200);
        QCOMPARE(d.stop(), 0);
        QVERIFY2(d.output().contains(R"("remote":"203.0.113.2","proxy":"127.0.0.1")"), d.output().right(2000).constData());

        const Run bad = runDaemon({QStringLiteral("--check-config"), QStringLiteral("--plugin-dir"), QStringLiteral(PROBE_PLUGIN_DIR),
                                   QStringLiteral("--set"), QStringLiteral("http.trustedProxies=[\"proxy.local\"]")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.output.contains("http.trustedProxies"), bad.output.constData());
    }

    void rateLimitConfigValidated()
    {
        const Run r = runDaemon({QStringLiteral("--check-config"), QStringLiteral("--plugin-dir"), QStringLiteral(PROBE_PLUGIN_DIR),
                                 QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.auth.perIpp.rate=5")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains("gateway.rateLimits.auth.perIpp: unknown key"), r.output.constData());
    }

    void embeddedPostgresKeepsDataAcrossRestarts()
    {
        QTemporaryDir base(QStringLiteral("/tmp/cpe-XXXXXX"));
        QFile::setPermissions(base.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                               | QFileDevice::ReadGroup | QFileDevice::ExeGroup
                                               | QFileDevice::ReadOther | QFileDevice::ExeOther);
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
        o.embeddedPostgres = true;
        o.dataDir = base.filePath(QStringLiteral("data"));
        o.startTimeoutMs = 120'000;
        QString appliedAt;
        {
            DaemonProcess d;
            QVERIFY2(d.start(o), qPrintable(d.errorString()));
            auto info = d.operatorRequest("GET", QStringLiteral("/v1/system/info"));
            QCOMPARE(info.json().value(QStringLiteral("database")).toObject().value(QStringLiteral("mode")).toString(),
                     QStringLiteral("embedded"));
            auto m = d.operatorRequest("GET", QStringLiteral("/v1/system/migrations"));
            appliedAt = m.json().value(QStringLiteral("migrations")).toArray()[0].toObject().value(QStringLiteral("appliedAt")).toString();
            QVERIFY(!appliedAt.isEmpty());
            QCOMPARE(d.get(QStringLiteral("/readyz")).status, 200);
            QCOMPARE(d.stop(), 0);
        }
        // The cluster was stopped with the daemon.
        QVERIFY(!QFile::exists(QDir(o.dataDir).filePath(QStringLiteral("postgres/postmaster.pid"))));
        {
            DaemonProcess d;
            QVERIFY2(d.start(o), qPrintable(d.errorString()));
            auto m = d.operatorRequest("GET", QStringLiteral("/v1/system/migrations"));
            QCOMPARE(m.json().value(QStringLiteral("migrations")).toArray()[0].toObject().value(QStringLiteral("appliedAt")).toString(),
                     appliedAt);
            QCOMPARE(d.get(QStringLiteral("/v1/probe/items/a")).json().value(QStringLiteral("count")).toInt(), 2);
            QCOMPARE(d.stop(), 0);
        }
    }

    void openApiDescribesExactlyTheRoutes()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(REAL_PLUGIN_DIR)};
        QDir().mkpath(QStringLiteral(REAL_PLUGIN_DIR));
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        auto spec = d.get(QStringLiteral("/openapi.json"));
        QCOMPARE(spec.status, 200);
        const QJsonObject doc = spec.json();
        QCOMPARE(doc.value(QStringLiteral("openapi")).toString(), QStringLiteral("3.1.0"));
        // info.version is the build's (the file in resources/ says 0.0.0), as the node reports it.
        const QString version = d.operatorRequest("GET", QStringLiteral("/v1/system/info")).json()
                                    .value(QStringLiteral("version")).toString();
        QVERIFY(!version.isEmpty() && version != QStringLiteral("0.0.0"));
        QCOMPARE(doc.value(QStringLiteral("info")).toObject().value(QStringLiteral("version")).toString(), version);
        QHash<QString, QJsonObject> documented;
        QHash<QString, QString> operationIds;  // id -> operation
        // A generated client turns them into method names.
        static const QRegularExpression camelCase(QStringLiteral("^[a-z][a-zA-Z0-9]*$"));
        const QJsonObject paths = doc.value(QStringLiteral("paths")).toObject();
        for (auto p = paths.begin(); p != paths.end(); ++p) {
            const QJsonObject ops = p.value().toObject();
            for (auto op = ops.begin(); op != ops.end(); ++op) {
                if (op.key() == QLatin1String("parameters"))
                    continue;
                const QString name = op.key().toUpper() + QLatin1Char(' ') + p.key();
                const QJsonObject operation = op.value().toObject();
                documented.insert(name, operation);
                const QJsonObject responses = operation.value(QStringLiteral("responses")).toObject();
                QVERIFY2(!responses.isEmpty(), qPrintable(p.key() + QStringLiteral(" has no responses")));
                const QString id = operation.value(QStringLiteral("operationId")).toString();
                QVERIFY2(camelCase.match(id).hasMatch(), qPrintable(name + QStringLiteral(": operationId '%1' is missing or not camelCase").arg(id)));
                QVERIFY2(!operationIds.contains(id), qPrintable(QStringLiteral("operationId %1 of %2 is also %3").arg(id, name, operationIds.value(id))));
                operationIds.insert(id, name);
            }
        }
        const QJsonObject schemes = doc.value(QStringLiteral("components")).toObject().value(QStringLiteral("securitySchemes")).toObject();
        auto routes = d.operatorRequest("GET", QStringLiteral("/v1/system/routes"));
        QSet<QString> registered;
        for (const QJsonValue &v : routes.json().value(QStringLiteral("routes")).toArray()) {
            const QJsonObject r = v.toObject();
            const QString name = r.value(QStringLiteral("method")).toString() + QLatin1Char(' ') + r.value(QStringLiteral("path")).toString();
            registered.insert(name);
            const auto operation = documented.constFind(name);
            if (operation == documented.constEnd())
                continue;  // reported below
            QVERIFY2(operation->contains(QStringLiteral("security")), qPrintable(name + QStringLiteral(" has no security")));
            const QJsonArray security = operation->value(QStringLiteral("security")).toArray();
            QVERIFY2(security == expectedSecurity(r),
                     qPrintable(QStringLiteral("%1: security %2, its route %3").arg(
                         name, QString::fromUtf8(QJsonDocument(security).toJson(QJsonDocument::Compact)),
                         QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Compact)))));
            for (const QJsonValue &alternative : security) {
                for (const QString &scheme : alternative.toObject().keys())
                    QVERIFY2(schemes.contains(scheme), qPrintable(name + QStringLiteral(": undefined security scheme ") + scheme));
            }
        }
        QVERIFY(registered.size() >= 9);
        const QSet<QString> documentedNames(documented.keyBegin(), documented.keyEnd());
        const QSet<QString> undocumented = registered - documentedNames;
        const QSet<QString> phantom = documentedNames - registered;
        QVERIFY2(undocumented.isEmpty(), qPrintable(QStringLiteral("routes missing from openapi.json: ") + QStringList(undocumented.values()).join(QStringLiteral(", "))));
        QVERIFY2(phantom.isEmpty(), qPrintable(QStringLiteral("openapi.json lists routes that do not exist: ") + QStringList(phantom.values()).join(QStringLiteral(", "))));
        QCOMPARE(d.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TstDaemon)
#include "tst_daemon.moc"
