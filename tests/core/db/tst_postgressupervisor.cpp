// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The database dies under write load and the platform comes back on its own: the real
// communityd with the probe plugin, writes through POST /v1/probe/items from 8 concurrent
// clients, and kill -9 of the PostgreSQL postmaster — the embedded cluster (the daemon's
// supervisor restarts it), an external one (restarted by the test; the pool and the event
// listener reconnect), and a restart of daemon and cluster 0.5 s after both were killed.
// Every acknowledged write must still be there afterwards.

#include "community/host/embeddedpostgres.h"
#include "daemonprocess.h"

#include <pqxx/pqxx>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>
#include <thread>

using namespace Community;
using Community::Test::DaemonProcess;

namespace {

// Keeps `parallel` POSTs in flight and records when each ended and how.
class WriteLoad : public QObject {
public:
    WriteLoad(QUrl url, int parallel) : m_url(std::move(url)), m_parallel(parallel) {}

    void start()
    {
        m_clock.start();
        m_running = true;
        for (int i = 0; i < m_parallel; ++i)
            send();
    }
    void stop() { m_running = false; }
    qint64 now() const { return m_clock.elapsed(); }
    bool idle() const { return m_inFlight == 0; }

    QList<qint64> acknowledgedIds;
    qint64 failures = 0;
    /// When the first request sent after `t` failed / succeeded (-1: none yet). Only
    /// requests sent after `t` count: one sent earlier may have committed before the crash.
    qint64 firstFailureAfter(qint64 t) const { return firstAfter(m_failed, t); }
    qint64 firstSuccessAfter(qint64 t) const { return firstAfter(m_succeeded, t); }

private:
    struct Span {
        qint64 sent;
        qint64 ended;
    };
    static qint64 firstAfter(const QList<Span> &spans, qint64 t)
    {
        qint64 first = -1;
        for (const Span &x : spans) {
            if (x.sent > t && (first < 0 || x.ended < first))
                first = x.ended;
        }
        return first;
    }

    void send()
    {
        QNetworkRequest req(m_url);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        req.setTransferTimeout(10'000);
        ++m_inFlight;
        QNetworkReply *reply = m_nam.post(req, QByteArrayLiteral("{\"name\":\"load\"}"));
        const qint64 sent = now();
        connect(reply, &QNetworkReply::finished, this, [this, reply, sent] {
            reply->deleteLater();
            --m_inFlight;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
            if (status == 201 || status == 200) {
                acknowledgedIds << qint64(body.value(QStringLiteral("id")).toDouble());
                m_succeeded << Span{sent, now()};
            } else {
                ++failures;
                m_failed << Span{sent, now()};
                if (m_running)  // do not hammer a dead server in a tight loop
                    return void(QTimer::singleShot(20, this, [this] { send(); }));
            }
            if (m_running)
                send();
        });
    }

    QNetworkAccessManager m_nam;
    QUrl m_url;
    int m_parallel;
    int m_inFlight = 0;
    bool m_running = false;
    QElapsedTimer m_clock;
    QList<Span> m_succeeded;
    QList<Span> m_failed;
};

std::unique_ptr<QTemporaryDir> reachableTempDir()
{
    auto dir = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/cps-XXXXXX"));
    ::chmod(QFile::encodeName(dir->path()).constData(), 0755);  // the postgres user must get in when we are root
    return dir;
}

qint64 postmasterPid(const QString &clusterDir)
{
    QFile f(clusterDir + QStringLiteral("/postmaster.pid"));
    return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed().toLongLong() : 0;
}

// How long the last start of the server took by its own log (from "starting PostgreSQL"
// to "ready to accept connections"): crash recovery included.
qint64 lastServerStartMs(const QString &logFile)
{
    QFile f(logFile);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    auto stamp = [](const QString &line) {
        QDateTime t = QDateTime::fromString(line.left(23), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        t.setTimeSpec(Qt::UTC);
        return t;
    };
    QDateTime starting, ready;
    for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        if (line.contains(QLatin1String("starting PostgreSQL"))) {
            starting = stamp(line);
            ready = {};
        } else if (line.contains(QLatin1String("ready to accept connections"))) {
            ready = stamp(line);
        }
    }
    return starting.isValid() && ready.isValid() ? starting.msecsTo(ready) : -1;
}

qint64 countPresent(const std::string &conninfo, const QList<qint64> &ids)
{
    pqxx::connection c(conninfo);
    pqxx::nontransaction n(c);
    std::string array = "{";
    for (qsizetype i = 0; i < ids.size(); ++i)
        array += (i ? "," : "") + std::to_string(ids[i]);
    array += "}";
    return n.exec_params("SELECT count(*) FROM probe.items WHERE id = ANY($1::bigint[])", array)[0][0].as<qint64>();
}

void waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QTest::qWait(20);
}

} // namespace

class TstPostgresSupervisor : public QObject {
    Q_OBJECT
private slots:
    void embeddedClusterRestartedUnderWriteLoad();
    void restartRightAfterDaemonAndClusterKilled();
    void externalDatabaseRecoversWhenRestarted();
};

void TstPostgresSupervisor::embeddedClusterRestartedUnderWriteLoad()
{
    auto base = reachableTempDir();
    DaemonProcess d;
    DaemonProcess::Options o;
    o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
    o.embeddedPostgres = true;
    o.dataDir = base->filePath(QStringLiteral("data"));
    o.startTimeoutMs = 120'000;
    QVERIFY2(d.start(o), qPrintable(d.errorString()));
    Db::EmbeddedPostgresConfig pgConfig;
    pgConfig.dataDir = o.dataDir;
    const Db::EmbeddedPostgres cluster(pgConfig);  // only for its paths

    WriteLoad load(d.url(QStringLiteral("/v1/probe/items")), 8);
    load.start();
    QTest::qWait(1000);
    const qint64 pid = postmasterPid(cluster.clusterDir());
    QVERIFY(pid > 0);
    const qint64 killedAt = load.now();
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);

    // Down (writes fail), then back without anyone touching the daemon.
    waitFor([&] { return load.firstFailureAfter(killedAt) >= 0; }, 10'000);
    const qint64 failedAt = load.firstFailureAfter(killedAt);
    QVERIFY2(failedAt >= 0, "no write failed after the postmaster was killed");
    waitFor([&] { return load.firstSuccessAfter(failedAt) >= 0; }, 60'000);
    const qint64 backAt = load.firstSuccessAfter(failedAt);
    QVERIFY2(backAt >= 0, qPrintable(QString::fromUtf8(d.output().right(3000))));
    QTest::qWait(500);
    load.stop();
    waitFor([&] { return load.idle(); }, 15'000);

    const qint64 downMs = backAt - killedAt;
    const qint64 serverStartMs = lastServerStartMs(cluster.logFile());
    if (serverStartMs < 0) {
        QFile log(cluster.logFile());
        log.open(QIODevice::ReadOnly);
        QFAIL(qPrintable(cluster.logFile() + QLatin1Char('\n') + QString::fromUtf8(log.readAll().right(3000))));
    }
    qInfo("postmaster killed: writes back after %lld ms (PostgreSQL's own start with recovery: %lld ms; "
          "%lld writes acknowledged, %lld refused)",
          downMs, serverStartMs, qint64(load.acknowledgedIds.size()), load.failures);
    QVERIFY2(downMs < 5000 + serverStartMs, qPrintable(QStringLiteral("down for %1 ms").arg(downMs)));
    QCOMPARE(countPresent(cluster.connectionString(), load.acknowledgedIds), qint64(load.acknowledgedIds.size()));
    QVERIFY(postmasterPid(cluster.clusterDir()) != pid);

    const QByteArray metrics = d.operatorRequest("GET", QStringLiteral("/metrics")).body;
    QVERIFY2(metrics.contains("community_embedded_postgres_restarts_total 1"), metrics.constData());
    QVERIFY(metrics.contains("community_embedded_postgres_up 1"));
    QVERIFY(d.output().contains("embedded PostgreSQL is back after"));
    QCOMPARE(d.stop(), 0);
    QCOMPARE(postmasterPid(cluster.clusterDir()), 0);  // stopped with the daemon
}

void TstPostgresSupervisor::restartRightAfterDaemonAndClusterKilled()
{
    auto base = reachableTempDir();
    DaemonProcess::Options o;
    o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
    o.embeddedPostgres = true;
    o.dataDir = base->filePath(QStringLiteral("data"));
    o.startTimeoutMs = 120'000;
    Db::EmbeddedPostgresConfig pgConfig;
    pgConfig.dataDir = o.dataDir;
    const Db::EmbeddedPostgres cluster(pgConfig);
    QList<qint64> acknowledged;
    for (int round = 0; round < 3; ++round) {
        DaemonProcess d;
        QVERIFY2(d.start(o), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(d.errorString())));
        QCOMPARE(d.get(QStringLiteral("/readyz")).status, 200);
        WriteLoad load(d.url(QStringLiteral("/v1/probe/items")), 4);
        load.start();
        QTest::qWait(500);
        const qint64 pid = postmasterPid(cluster.clusterDir());
        d.kill();
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        load.stop();
        acknowledged += load.acknowledgedIds;
        QTest::qWait(500);
    }
    DaemonProcess d;
    QVERIFY2(d.start(o), qPrintable(d.errorString()));
    QCOMPARE(d.get(QStringLiteral("/readyz")).status, 200);
    QVERIFY(!acknowledged.isEmpty());
    QCOMPARE(countPresent(cluster.connectionString(), acknowledged), qint64(acknowledged.size()));
    QVERIFY(!d.output().contains("reusing it"));
    QCOMPARE(d.stop(), 0);
}

void TstPostgresSupervisor::externalDatabaseRecoversWhenRestarted()
{
    auto base = reachableTempDir();
    Db::EmbeddedPostgresConfig pgConfig;
    pgConfig.dataDir = base->filePath(QStringLiteral("external"));
    Db::EmbeddedPostgres server(pgConfig);
    auto started = server.start();
    QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().message));

    DaemonProcess d;
    DaemonProcess::Options o;
    o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
    o.embeddedPostgres = true;  // no TestDb: the URL below names the test's own server
    o.env.insert(QStringLiteral("COMMUNITY_DATABASE__URL"), QString::fromStdString(server.connectionString()));
    QVERIFY2(d.start(o), qPrintable(d.errorString()));

    WriteLoad load(d.url(QStringLiteral("/v1/probe/items")), 8);
    load.start();
    QTest::qWait(1000);
    const qint64 pid = server.recordedPid();
    const qint64 killedAt = load.now();
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
    waitFor([&] { return load.firstFailureAfter(killedAt) >= 0; }, 10'000);
    QVERIFY(load.firstFailureAfter(killedAt) >= 0);
    QTest::qWait(1000);  // the daemon keeps failing cleanly while the server is away

    // An operator (here the test) restarts the server; the daemon is not touched.
    Db::EmbeddedPostgres again(pgConfig);  // stops the server when it goes out of scope
    Result<void> restarted;
    std::thread restart([&] { restarted = again.start(); });
    waitFor([&] { return server.isRunning() && server.recordedPid() != pid; }, 60'000);
    restart.join();
    QVERIFY2(restarted.has_value(), qPrintable(restarted ? QString() : restarted.error().message));
    const qint64 serverBackAt = load.now();
    waitFor([&] { return load.firstSuccessAfter(serverBackAt) >= 0; }, 10'000);
    const qint64 backAt = load.firstSuccessAfter(serverBackAt);
    QVERIFY2(backAt >= 0, qPrintable(QString::fromUtf8(d.output().right(3000))));
    qInfo("external server restarted: first write %lld ms after it accepted connections again",
          backAt - serverBackAt);
    QVERIFY(backAt - serverBackAt < 5000);
    QTest::qWait(500);
    load.stop();
    waitFor([&] { return load.idle(); }, 15'000);
    QCOMPARE(countPresent(server.connectionString(), load.acknowledgedIds), qint64(load.acknowledgedIds.size()));
    QCOMPARE(d.get(QStringLiteral("/readyz")).status, 200);
    QCOMPARE(d.stop(), 0);
    QVERIFY(again.stop().has_value());
}

QTEST_MAIN(TstPostgresSupervisor)
#include "tst_postgressupervisor.moc"
