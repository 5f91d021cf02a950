// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/embeddedpostgres.h"

#include <pqxx/pqxx>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Community;
using namespace Community::Db;

namespace {

// A short directory under /tmp that the PostgreSQL user can enter when we are root.
std::unique_ptr<QTemporaryDir> shortTempDir()
{
    auto dir = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/cep-XXXXXX"));
    if (dir->isValid() && ::geteuid() == 0)
        ::chmod(QFile::encodeName(dir->path()).constData(), 0755);
    return dir;
}

// Processes whose working directory is `dir` (PostgreSQL backends chdir into PGDATA).
int processesIn(const QString &dir)
{
    int n = 0;
    const QString canonical = QFileInfo(dir).canonicalFilePath();
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        pid.toInt(&ok);
        if (ok && QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).canonicalFilePath() == canonical)
            ++n;
    }
    return n;
}

} // namespace

class TstEmbeddedPostgres : public QObject {
    Q_OBJECT
private slots:
    void findsBinaries();
    void startPersistRestart();
    void crashedServerRestartsAtOnce();
    void zombiePidIsNotTakenForARunningServer();
    void missingBinariesIsClearError();
    void longDataDirUsesShortSocketDir();
};

void TstEmbeddedPostgres::findsBinaries()
{
    QStringList searched;
    auto dir = EmbeddedPostgres::findBinDir({}, &searched);
    QVERIFY2(dir.has_value(), qPrintable(dir ? QString() : dir.error().message));
    QVERIFY(QFileInfo::exists(*dir + QStringLiteral("/pg_ctl")));
    QVERIFY(!searched.isEmpty());
}

void TstEmbeddedPostgres::startPersistRestart()
{
    auto tmp = shortTempDir();
    QVERIFY(tmp->isValid());
    EmbeddedPostgresConfig cfg;
    cfg.dataDir = tmp->path();
    cfg.startTimeoutMs = 30000;

    QDateTime versionTime;
    {
        EmbeddedPostgres pg(cfg);
        auto started = pg.start();
        QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().message));
        QVERIFY(pg.isRunning());
        QVERIFY(pg.clusterDir().startsWith(tmp->path() + QStringLiteral("/postgres")));
        QCOMPARE(pg.socketDir(), tmp->path() + QStringLiteral("/postgres/run"));
        QVERIFY(QFileInfo::exists(pg.socketDir() + QStringLiteral("/.s.PGSQL.5432")));
        versionTime = QFileInfo(pg.clusterDir() + QStringLiteral("/PG_VERSION")).lastModified();

        pqxx::connection c(pg.connectionString());
        pqxx::work tx(c);
        QCOMPARE(tx.exec("SELECT current_database()")[0][0].as<std::string>(), std::string("community"));
        QCOMPARE(tx.exec("SHOW listen_addresses")[0][0].as<std::string>(), std::string(""));
        tx.exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        tx.commit();
        c.disconnect();

        QVERIFY(pg.stop().has_value());
        QVERIFY(!pg.isRunning());
        QVERIFY(pg.stop().has_value());  // idempotent
    }
    {
        EmbeddedPostgres pg(cfg);
        auto started = pg.start();
        QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().message));
        // Reused, not re-initialised.
        QCOMPARE(QFileInfo(pg.clusterDir() + QStringLiteral("/PG_VERSION")).lastModified(), versionTime);
        {
            pqxx::connection c(pg.connectionString());
            pqxx::nontransaction n(c);
            QCOMPARE(n.exec("SELECT v FROM kept")[0][0].as<std::string>(), std::string("still here"));
        }

        // Crash: the postmaster dies and leaves its postmaster.pid behind.
        QFile pidFile(pg.clusterDir() + QStringLiteral("/postmaster.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const pid_t pid = pid_t(pidFile.readLine().trimmed().toLongLong());
        pidFile.close();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, SIGKILL), 0);
        QElapsedTimer t;
        t.start();
        while ((pg.isRunning() || processesIn(pg.clusterDir()) > 0) && t.elapsed() < 10000)
            QThread::msleep(50);
        QVERIFY(!pg.isRunning());
        QVERIFY(QFile::exists(pg.clusterDir() + QStringLiteral("/postmaster.pid")));  // stale

        EmbeddedPostgres again(cfg);
        auto restarted = again.start();
        QVERIFY2(restarted.has_value(), qPrintable(restarted ? QString() : restarted.error().message));
        {
            pqxx::connection c(again.connectionString());
            pqxx::nontransaction n(c);
            QCOMPARE(n.exec("SELECT count(*) FROM kept")[0][0].as<int>(), 1);
        }
        QVERIFY(again.stop().has_value());
        QVERIFY(!again.isRunning());
    }
}

// kill -9 of the postmaster with a client connected, and a start right away: its backends
// are still alive (they hold the old shared memory), and its pid may be a zombie nobody
// reaps. Neither may be taken for a running server, nor keep the new one from starting.
void TstEmbeddedPostgres::crashedServerRestartsAtOnce()
{
    auto tmp = shortTempDir();
    EmbeddedPostgresConfig cfg;
    cfg.dataDir = tmp->path();
    EmbeddedPostgres pg(cfg);
    auto started = pg.start();
    QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().message));
    pqxx::connection client(pg.connectionString());
    {
        pqxx::work tx(client);
        tx.exec("CREATE TABLE kept (v int); INSERT INTO kept VALUES (1)");
        tx.commit();
    }
    const qint64 pid = pg.recordedPid();
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
    QElapsedTimer t;
    t.start();
    while (pg.isRunning() && t.elapsed() < 5000)
        QThread::msleep(5);
    QVERIFY(!pg.isRunning());

    EmbeddedPostgres again(cfg);
    auto restarted = again.start();
    QVERIFY2(restarted.has_value(), qPrintable(restarted ? QString() : restarted.error().message));
    QVERIFY(again.recordedPid() != pid);
    qInfo("restarted %lld ms after the kill", qint64(t.elapsed()));
    {
        pqxx::connection c(again.connectionString());
        pqxx::nontransaction n(c);
        QCOMPARE(n.exec("SELECT count(*) FROM kept")[0][0].as<int>(), 1);
    }
    QVERIFY(again.stop().has_value());
}

// A postmaster.pid whose pid is a zombie (here a child of this test that exited and was
// not reaped): kill(pid, 0) succeeds, yet nothing runs; PostgreSQL itself would refuse to
// start ("lock file already exists").
void TstEmbeddedPostgres::zombiePidIsNotTakenForARunningServer()
{
    auto tmp = shortTempDir();
    EmbeddedPostgresConfig cfg;
    cfg.dataDir = tmp->path();
    EmbeddedPostgres pg(cfg);
    auto started = pg.start();
    QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().message));
    QFile pidFile(pg.clusterDir() + QStringLiteral("/postmaster.pid"));
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    QByteArray contents = pidFile.readAll();
    pidFile.close();
    QVERIFY(pg.stop().has_value());

    const pid_t zombie = ::fork();
    if (zombie == 0)
        ::_exit(0);
    QVERIFY(zombie > 0);
    QThread::msleep(100);
    QCOMPARE(::kill(zombie, 0), 0);  // still "exists"
    contents.replace(0, contents.indexOf('\n'), QByteArray::number(zombie));
    QVERIFY(pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    pidFile.write(contents);
    pidFile.close();
    if (::geteuid() == 0)  // the server runs as another user and must be able to replace it
        QCOMPARE(::system(qPrintable(QStringLiteral("chown --reference=%1 %2").arg(pg.clusterDir(), pidFile.fileName()))), 0);

    QVERIFY(!pg.isRunning());
    auto restarted = pg.start();
    QVERIFY2(restarted.has_value(), qPrintable(restarted ? QString() : restarted.error().message));
    QVERIFY(pg.isRunning());
    QVERIFY(pg.recordedPid() != zombie);
    QVERIFY(pg.stop().has_value());
    ::waitpid(zombie, nullptr, 0);
}

void TstEmbeddedPostgres::missingBinariesIsClearError()
{
    auto tmp = shortTempDir();
    QTemporaryDir emptyBin;
    EmbeddedPostgresConfig cfg;
    cfg.dataDir = tmp->path();
    cfg.binDir = emptyBin.path();
    EmbeddedPostgres pg(cfg);
    auto r = pg.start();
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Config);
    QVERIFY2(r.error().message.contains(emptyBin.path()), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QStringLiteral("initdb")));
    QVERIFY(!pg.isRunning());
    QVERIFY(!QDir(tmp->path() + QStringLiteral("/postgres")).exists());  // nothing created
}

void TstEmbeddedPostgres::longDataDirUsesShortSocketDir()
{
    const QString longDir = QStringLiteral("/tmp/") + QString(120, QLatin1Char('d'));
    EmbeddedPostgresConfig cfg;
    cfg.dataDir = longDir;
    EmbeddedPostgres pg(cfg);
    QVERIFY(pg.socketDir().startsWith(QStringLiteral("/tmp/communityd-pg-")));
    QVERIFY((pg.socketDir() + QStringLiteral("/.s.PGSQL.5432")).size() <= 107);
    QVERIFY(QString::fromStdString(pg.connectionString()).contains(pg.socketDir()));
    QCOMPARE(EmbeddedPostgres(cfg).socketDir(), pg.socketDir());  // stable across runs

    EmbeddedPostgresConfig shortCfg;
    shortCfg.dataDir = QStringLiteral("/tmp/x");
    QCOMPARE(EmbeddedPostgres(shortCfg).socketDir(), QStringLiteral("/tmp/x/postgres/run"));
}

QTEST_GUILESS_MAIN(TstEmbeddedPostgres)
#include "tst_embeddedpostgres.moc"
