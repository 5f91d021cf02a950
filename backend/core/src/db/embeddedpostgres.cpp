// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/embeddedpostgres.h"

#include <pqxx/pqxx>

#include <QCryptographicHash>
#include <QDebug>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>
#include <QVersionNumber>

#include <cerrno>
#include <csignal>
#include <pwd.h>
#include <sys/stat.h>
#include <algorithm>
#include <unistd.h>

namespace Community::Db {

namespace {

constexpr int kMaxSocketPath = 107;  // sizeof(sockaddr_un::sun_path) - 1

bool hasServerBinaries(const QString &dir)
{
    for (const char *tool : {"initdb", "pg_ctl", "postgres"}) {
        QFileInfo fi(dir + QLatin1Char('/') + QLatin1String(tool));
        if (!fi.isFile() || !fi.isExecutable())
            return false;
    }
    return true;
}

QString conninfoValue(const QString &v)
{
    QString out = v;
    out.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

// PostgreSQL's processes all chdir into the cluster directory: a process whose working
// directory is the cluster is one of ours; a zombie has none.
enum class Cwd { Matches, Differs, Unknown };

QByteArray canonicalPath(const QString &dir)
{
    return QFile::encodeName(QFileInfo(dir).canonicalFilePath());
}

Cwd cwdOf(qint64 pid, const QByteArray &cluster)
{
    char buf[4096];
    const QByteArray link = "/proc/" + QByteArray::number(pid) + "/cwd";
    const ssize_t n = ::readlink(link.constData(), buf, sizeof buf);
    if (n < 0)
        return errno == EACCES || errno == EPERM ? Cwd::Unknown : Cwd::Differs;
    return QByteArrayView(buf, n) == QByteArrayView(cluster) ? Cwd::Matches : Cwd::Differs;
}

Error configError(const QString &message)
{
    return Error::make(ErrorCode::Config, message);
}

} // namespace

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresConfig config)
    : m_config(std::move(config))
{
    m_pgDir = QDir::cleanPath(QFileInfo(m_config.dataDir).absoluteFilePath()
                              + QStringLiteral("/postgres"));
    m_socketDir = m_pgDir + QStringLiteral("/run");
    const QString socketFile = QStringLiteral("/.s.PGSQL.%1").arg(m_config.port);
    if ((m_socketDir + socketFile).toUtf8().size() > kMaxSocketPath) {
        const QByteArray hash = QCryptographicHash::hash(m_pgDir.toUtf8(), QCryptographicHash::Sha256)
                                    .toHex()
                                    .left(16);
        m_socketDir = QStringLiteral("/tmp/communityd-pg-") + QString::fromLatin1(hash);
    }
}

EmbeddedPostgres::~EmbeddedPostgres()
{
    if (m_startedByUs && isRunning()) {
        qWarning("embedded PostgreSQL: stopping in destructor (stop() was not called)");
        (void)stop();
    }
}

QString EmbeddedPostgres::clusterDir() const { return m_pgDir + QStringLiteral("/data"); }
QString EmbeddedPostgres::socketDir() const { return m_socketDir; }
QString EmbeddedPostgres::logFile() const { return m_pgDir + QStringLiteral("/postgres.log"); }

std::string EmbeddedPostgres::connectionString() const
{
    return connectionString(QStringLiteral("community"));
}

std::string EmbeddedPostgres::connectionString(const QString &dbname) const
{
    return QStringLiteral("host=%1 port=%2 user=community dbname=%3")
        .arg(conninfoValue(m_socketDir))
        .arg(m_config.port)
        .arg(conninfoValue(dbname))
        .toStdString();
}

Result<QString> EmbeddedPostgres::findBinDir(const QString &configured, QStringList *searched)
{
    QStringList looked;
    auto done = [&](Result<QString> r) {
        if (searched)
            *searched = looked;
        return r;
    };
    if (!configured.isEmpty()) {
        looked << configured;
        if (hasServerBinaries(configured))
            return done(configured);
        return done(tl::unexpected(configError(
            QStringLiteral("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in the "
                           "configured binDir %1")
                .arg(configured))));
    }
    // Debian/Ubuntu layout: /usr/lib/postgresql/<major>/bin, newest first.
    QDir versions(QStringLiteral("/usr/lib/postgresql"));
    QStringList majors = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(majors.begin(), majors.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &major : majors) {
        const QString dir = versions.filePath(major) + QStringLiteral("/bin");
        looked << dir;
        if (hasServerBinaries(dir))
            return done(dir);
    }
    if (majors.isEmpty())
        looked << QStringLiteral("/usr/lib/postgresql/*/bin");
    const QString pgConfig = QStandardPaths::findExecutable(QStringLiteral("pg_config"));
    looked << QStringLiteral("pg_config --bindir");
    if (!pgConfig.isEmpty()) {
        QProcess p;
        p.start(pgConfig, {QStringLiteral("--bindir")});
        if (p.waitForFinished(10'000) && p.exitCode() == 0) {
            const QString dir = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
            if (hasServerBinaries(dir))
                return done(dir);
        }
    }
    looked << QStringLiteral("PATH");
    const QString pgCtl = QStandardPaths::findExecutable(QStringLiteral("pg_ctl"));
    if (!pgCtl.isEmpty() && hasServerBinaries(QFileInfo(pgCtl).absolutePath()))
        return done(QFileInfo(pgCtl).absolutePath());
    return done(tl::unexpected(configError(
        QStringLiteral("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; searched: "
                       "%1. Install the PostgreSQL server (Debian: apt install postgresql), set "
                       "the embedded PostgreSQL binDir, or configure an external database URL.")
            .arg(looked.join(QStringLiteral(", "))))));
}

EmbeddedPostgres::Run EmbeddedPostgres::run(const QString &program, const QStringList &args,
                                             int timeoutMs) const
{
    Run out;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(m_runAs.isEmpty() ? m_pgDir : QStringLiteral("/"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *var : {"PGDATA", "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE",
                            "PGOPTIONS", "PGSERVICE", "PGSERVICEFILE", "PGPASSFILE"})
        env.remove(QLatin1String(var));
    p.setProcessEnvironment(env);
    if (m_runAs.isEmpty()) {
        p.start(program, args);
    } else {
        QStringList full{QStringLiteral("-u"), m_runAs, QStringLiteral("--"), program};
        full += args;
        p.start(QStringLiteral("runuser"), full);
    }
    if (!p.waitForStarted(10'000)) {
        out.output = p.errorString();
        return out;
    }
    out.started = true;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        out.output = QString::fromLocal8Bit(p.readAll())
                     + QStringLiteral("\n(timed out after %1 ms)").arg(timeoutMs);
        out.exitCode = -1;
        return out;
    }
    out.output = QString::fromLocal8Bit(p.readAll()).trimmed();
    out.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return out;
}

Result<void> EmbeddedPostgres::prepareDirectories()
{
    if (m_config.dataDir.isEmpty())
        return tl::unexpected(configError(QStringLiteral("embedded PostgreSQL: no data directory")));
    if (m_pgDir.contains(QLatin1Char('\'')) || m_socketDir.contains(QLatin1Char('\'')))
        return tl::unexpected(configError(
            QStringLiteral("embedded PostgreSQL: the data directory path must not contain a "
                           "single quote: %1").arg(m_pgDir)));

    uid_t uid = 0;
    gid_t gid = 0;
    if (::geteuid() == 0) {
        const QStringList candidates = m_config.runAsUser.isEmpty()
            ? QStringList{QStringLiteral("postgres"), QStringLiteral("nobody")}
            : QStringList{m_config.runAsUser};
        for (const QString &name : candidates) {
            if (const passwd *pw = ::getpwnam(name.toLocal8Bit().constData()); pw && pw->pw_uid != 0) {
                m_runAs = name;
                uid = pw->pw_uid;
                gid = pw->pw_gid;
                break;
            }
        }
        if (m_runAs.isEmpty())
            return tl::unexpected(configError(
                QStringLiteral("embedded PostgreSQL: running as root, but none of the users %1 "
                               "exists to run PostgreSQL (it refuses to run as root); create one "
                               "or run communityd as an unprivileged user")
                    .arg(candidates.join(QStringLiteral(", ")))));
        if (QStandardPaths::findExecutable(QStringLiteral("runuser")).isEmpty())
            return tl::unexpected(configError(
                QStringLiteral("embedded PostgreSQL: running as root needs runuser (util-linux)")));
    }

    if (m_socketDir != m_pgDir + QStringLiteral("/run"))
        qInfo().noquote() << "embedded PostgreSQL: socket path under" << m_pgDir
                          << "would exceed the unix socket limit; using" << m_socketDir;

    for (const QString &dir : {m_pgDir, m_socketDir}) {
        if (!QDir().mkpath(dir))
            return tl::unexpected(configError(
                QStringLiteral("embedded PostgreSQL: cannot create directory %1").arg(dir)));
        const QByteArray path = QFile::encodeName(dir);
        if (!m_runAs.isEmpty() && ::chown(path.constData(), uid, gid) != 0)
            return tl::unexpected(configError(
                QStringLiteral("embedded PostgreSQL: cannot give %1 to user %2: %3")
                    .arg(dir, m_runAs, QString::fromLocal8Bit(strerror(errno)))));
        ::chmod(path.constData(), 0700);
    }
    if (!m_runAs.isEmpty()) {
        // The parents of the data dir must let the PostgreSQL user through.
        const Run probe = run(QStringLiteral("test"), {QStringLiteral("-w"), m_pgDir}, 10'000);
        if (probe.exitCode != 0)
            return tl::unexpected(configError(
                QStringLiteral("embedded PostgreSQL: user %1 cannot write to %2; make its parent "
                               "directories traversable (chmod o+x) or choose another data dir")
                    .arg(m_runAs, m_pgDir)));
    }
    return {};
}

Result<void> EmbeddedPostgres::initdb()
{
    const QString data = clusterDir();
    if (QDir(data).exists() && !QDir(data).isEmpty())
        return tl::unexpected(configError(
            QStringLiteral("embedded PostgreSQL: %1 exists but holds no PostgreSQL cluster "
                           "(no PG_VERSION); move it away").arg(data)));
    qInfo().noquote() << "embedded PostgreSQL: initialising a new cluster in" << data;
    QElapsedTimer t;
    t.start();
    Run r;
    for (const char *locale : {"C.UTF-8", "C"}) {
        r = run(m_binDir + QStringLiteral("/initdb"),
                {QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("community"),
                 QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                 QStringLiteral("--locale=") + QLatin1String(locale)},
                120'000);
        if (r.exitCode == 0)
            break;
    }
    if (r.exitCode != 0)
        return fail(ErrorCode::Config,
                    QStringLiteral("embedded PostgreSQL: initdb failed: %1").arg(r.output.right(2000)));
    qInfo("embedded PostgreSQL: cluster initialised in %lld ms", qint64(t.elapsed()));
    return {};
}

QString EmbeddedPostgres::logTail() const
{
    QFile f(logFile());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = f.size();
    f.seek(std::max<qint64>(0, size - 2000));
    return QString::fromUtf8(f.readAll()).trimmed();
}

Result<void> EmbeddedPostgres::ensureDatabase(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QString lastError;
    do {
        try {
            pqxx::connection c(connectionString(QStringLiteral("postgres")));
            pqxx::nontransaction n(c);
            if (n.exec("SELECT 1 FROM pg_database WHERE datname = 'community'").empty()) {
                n.exec("CREATE DATABASE community");
                qInfo("embedded PostgreSQL: created database \"community\"");
            }
            return {};
        } catch (const std::exception &e) {
            lastError = QString::fromUtf8(e.what()).trimmed();
        }
        QThread::msleep(100);
    } while (t.elapsed() < timeoutMs);
    return fail(ErrorCode::Unavailable,
                QStringLiteral("embedded PostgreSQL: server started but does not accept "
                               "connections: %1").arg(lastError));
}

Result<void> EmbeddedPostgres::start()
{
    QElapsedTimer t;
    t.start();
    QStringList searched;
    auto bin = findBinDir(m_config.binDir, &searched);
    if (!bin)
        return tl::unexpected(bin.error());
    m_binDir = *bin;
    if (auto r = prepareDirectories(); !r)
        return r;
    if (!QFile::exists(clusterDir() + QStringLiteral("/PG_VERSION"))) {
        if (auto r = initdb(); !r)
            return r;
    }

    const qint64 pid = recordedPid();
    if (pid > 0 && isRunning()) {
        qInfo().noquote() << "embedded PostgreSQL: already running in" << clusterDir() << "(pid" << pid << ") - reusing it";
    } else {
        if (pid > 0) {
            if (auto r = clearCrashedServer(pid); !r)
                return r;
        }
        if (auto r = launch(); !r)
            return r;
        m_startedByUs = true;
    }
    const int left = std::max<int>(1000, m_config.startTimeoutMs - int(t.elapsed()));
    if (auto r = ensureDatabase(left); !r)
        return r;
    qInfo("embedded PostgreSQL started in %lld ms", qint64(t.elapsed()));
    return {};
}

Result<void> EmbeddedPostgres::launch()
{
    qInfo().noquote() << "embedded PostgreSQL: starting" << clusterDir();
    const int waitSecs = std::max(1, (m_config.startTimeoutMs + 999) / 1000);
    // Sized for the machine (initdb's defaults assume 128 MB of shared memory): a quarter
    // of RAM for shared buffers (128 MB..4 GB), fewer checkpoints under write bursts, and
    // no JIT (it compiles for tens of milliseconds on queries that run in one).
    const qint64 ramMb = qint64(sysconf(_SC_PHYS_PAGES)) * qint64(sysconf(_SC_PAGE_SIZE)) / (1024 * 1024);
    const qint64 sharedMb = std::clamp<qint64>(ramMb / 4, 128, 4096);
    const qint64 cacheMb = std::max<qint64>(ramMb / 2, sharedMb);
    const QString options = QStringLiteral("-c listen_addresses='' -k '%1' -p %2 "
                                           "-c unix_socket_permissions=0700 "
                                           "-c shared_buffers=%3MB -c effective_cache_size=%4MB "
                                           "-c wal_buffers=16MB -c max_wal_size=2GB -c jit=off")
                                .arg(m_socketDir)
                                .arg(m_config.port)
                                .arg(sharedMb)
                                .arg(cacheMb);
    const Run r = run(m_binDir + QStringLiteral("/pg_ctl"),
                      {QStringLiteral("start"), QStringLiteral("-D"), clusterDir(),
                       QStringLiteral("-w"), QStringLiteral("-t"), QString::number(waitSecs),
                       QStringLiteral("-l"), logFile(), QStringLiteral("-o"), options},
                      m_config.startTimeoutMs + 10'000);
    if (r.exitCode != 0)
        return fail(ErrorCode::Unavailable,
                    QStringLiteral("embedded PostgreSQL failed to start: %1\nserver log (%2):\n%3")
                        .arg(r.output, logFile(), logTail()));
    return {};
}

// The postmaster named by postmaster.pid is gone. Its backends outlive it for a moment
// (they notice its death at their next wait) and keep the old shared memory attached, which
// makes a new postmaster refuse to start; they are orphans of a crashed server, so they are
// killed, not waited for. The pid file stays for PostgreSQL to check and replace (it also
// uses it to find the old shared memory) unless its pid still looks taken - a zombie nobody
// reaped, or a reused pid - because then PostgreSQL would refuse with "lock file exists".
Result<void> EmbeddedPostgres::clearCrashedServer(qint64 deadPid)
{
    qWarning().noquote() << "embedded PostgreSQL: the server in" << clusterDir() << "(pid" << deadPid
                         << ") is not running; it crashed or was killed - recovering";
    QElapsedTimer t;
    t.start();
    QList<qint64> orphans = processesInCluster();
    for (qint64 pid : orphans)
        ::kill(pid_t(pid), SIGKILL);
    while (!orphans.isEmpty() && t.elapsed() < 10'000) {
        QThread::msleep(20);
        orphans = processesInCluster();
    }
    if (!orphans.isEmpty())
        return fail(ErrorCode::Unavailable,
                    QStringLiteral("embedded PostgreSQL: %1 processes of the crashed server in %2 "
                                   "did not exit after SIGKILL").arg(orphans.size()).arg(clusterDir()));
    if (::kill(pid_t(deadPid), 0) == 0 || errno == EPERM) {
        // Both lock files name the postmaster: the data directory's and the socket's.
        const QString lockFiles[] = {clusterDir() + QStringLiteral("/postmaster.pid"),
                                     m_socketDir + QStringLiteral("/.s.PGSQL.%1.lock").arg(m_config.port)};
        for (const QString &lock : lockFiles) {
            if (QFile::exists(lock) && !QFile::remove(lock))
                return fail(ErrorCode::Unavailable,
                            QStringLiteral("embedded PostgreSQL: cannot remove the stale %1 (its pid %2 is "
                                           "a zombie or another process)").arg(lock).arg(deadPid));
        }
        qInfo("embedded PostgreSQL: removed the stale lock files (pid %lld is a zombie or another process)",
              deadPid);
    }
    return {};
}

Result<void> EmbeddedPostgres::stop()
{
    if (m_binDir.isEmpty() || !QFile::exists(clusterDir() + QStringLiteral("/postmaster.pid"))) {
        m_startedByUs = false;
        return {};
    }
    qInfo("stopping embedded PostgreSQL");
    QElapsedTimer t;
    t.start();
    const Run r = run(m_binDir + QStringLiteral("/pg_ctl"),
                      {QStringLiteral("stop"), QStringLiteral("-D"), clusterDir(),
                       QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                       QStringLiteral("-t"), QStringLiteral("60")},
                      70'000);
    if (r.exitCode != 0 && isRunning())
        return fail(ErrorCode::Unavailable,
                    QStringLiteral("embedded PostgreSQL did not stop: %1").arg(r.output));
    m_startedByUs = false;
    qInfo("embedded PostgreSQL stopped in %lld ms", qint64(t.elapsed()));
    return {};
}

qint64 EmbeddedPostgres::recordedPid() const
{
    QFile f(clusterDir() + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const qint64 pid = f.readLine().trimmed().toLongLong(&ok);
    return ok && pid > 0 ? pid : 0;
}

bool EmbeddedPostgres::isRunning() const
{
    const qint64 pid = recordedPid();
    if (pid <= 0)
        return false;
    switch (cwdOf(pid, canonicalPath(clusterDir()))) {
    case Cwd::Matches: return true;
    case Cwd::Differs: return false;       // a zombie (no cwd), or the pid now names another process
    case Cwd::Unknown: return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
    }
    return false;
}

QList<qint64> EmbeddedPostgres::processesInCluster() const
{
    QList<qint64> pids;
    const QByteArray cluster = canonicalPath(clusterDir());
    if (cluster.isEmpty())
        return pids;
    for (const QString &name : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const qint64 pid = name.toLongLong(&ok);
        if (ok && pid != ::getpid() && cwdOf(pid, cluster) == Cwd::Matches)
            pids << pid;
    }
    return pids;
}

} // namespace Community::Db
