// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "backup.h"

#include "community/host/embeddedpostgres.h"
#include "community/json.h"

#include <pqxx/pqxx>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>

#include <memory>

namespace Community::Ctl {

namespace {

const QString kManifest = QStringLiteral("manifest.json");
const QString kDump = QStringLiteral("database.dump");
const QString kFiles = QStringLiteral("files");
constexpr int kToolTimeoutMs = 30 * 60 * 1000;

struct ToolRun {
    int exitCode = -1;
    QString output;
};

ToolRun runTool(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *var : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGSERVICE"})
        env.remove(QLatin1String(var));
    p.setProcessEnvironment(env);
    p.start(program, args);
    ToolRun r;
    if (!p.waitForStarted(10'000)) {
        r.output = QStringLiteral("%1: %2").arg(program, p.errorString());
        return r;
    }
    if (!p.waitForFinished(kToolTimeoutMs))
        p.kill();
    p.waitForFinished(5000);
    r.output = QString::fromLocal8Bit(p.readAll()).trimmed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

Result<QString> binDirFor(const NodeState &node)
{
    return Db::EmbeddedPostgres::findBinDir(node.binDir);
}

QString sha256Of(const QString &path, qint64 *bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    if (bytes)
        *bytes = f.size();
    return QString::fromLatin1(h.result().toHex());
}

/// The node's database for the duration of one command: the embedded cluster is started
/// when nothing runs it (a stopped daemon) and stopped again afterwards.
class DatabaseUse {
public:
    explicit DatabaseUse(const NodeState &node) : m_node(node) {}
    ~DatabaseUse()
    {
        if (m_startedHere)
            (void)m_pg->stop();
    }
    DatabaseUse(const DatabaseUse &) = delete;
    DatabaseUse &operator=(const DatabaseUse &) = delete;

    Result<void> open()
    {
        if (!m_node.databaseUrl.isEmpty()) {
            m_conninfo = m_node.databaseUrl.toStdString();
            return {};
        }
        Db::EmbeddedPostgresConfig config;
        config.dataDir = QDir(m_node.dataDir).absolutePath();
        config.binDir = m_node.binDir;
        m_pg = std::make_unique<Db::EmbeddedPostgres>(config);
        m_conninfo = m_pg->connectionString();
        if (m_pg->isRunning())
            return {};
        if (auto r = m_pg->start(); !r)
            return r;
        m_startedHere = true;
        return {};
    }
    Result<void> close()
    {
        if (!m_startedHere)
            return {};
        m_startedHere = false;
        return m_pg->stop();
    }
    QString conninfo() const { return QString::fromStdString(m_conninfo); }
    const std::string &conninfoStd() const { return m_conninfo; }

private:
    const NodeState &m_node;
    std::unique_ptr<Db::EmbeddedPostgres> m_pg;
    std::string m_conninfo;
    bool m_startedHere = false;
};

/// Migration level and server version, read before the dump.
Result<void> readLevel(const std::string &conninfo, Manifest &m)
{
    try {
        pqxx::connection c(conninfo);
        pqxx::read_transaction tx(c);
        m.versions.insert(QStringLiteral("server"), QString::fromStdString(tx.exec("SHOW server_version")[0][0].as<std::string>()));
        if (!tx.exec("SELECT to_regclass('community_meta.schema_migrations') IS NOT NULL")[0][0].as<bool>())
            return {};
        for (const auto &row : tx.exec("SELECT plugin, max(version), count(*)::int "
                                       "FROM community_meta.schema_migrations GROUP BY plugin ORDER BY plugin")) {
            m.migrations.insert(QString::fromStdString(row[0].as<std::string>()), row[1].as<int>());
            m.migrationCount += row[2].as<int>();
        }
        return {};
    } catch (const std::exception &e) {
        return fail(ErrorCode::Unavailable, QStringLiteral("cannot read the database: %1").arg(QString::fromUtf8(e.what())));
    }
}

/// Copies every regular file under @p from to @p to, hashing each on the way.
Result<QList<BackupFile>> copyTree(const QString &from, const QString &to, const QString &prefix)
{
    QList<BackupFile> out;
    if (!QFileInfo(from).isDir())
        return out;
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString rel = QDir(from).relativeFilePath(src);
        const QString dst = QDir(to).filePath(rel);
        if (!QDir().mkpath(QFileInfo(dst).absolutePath()) || !QFile::copy(src, dst))
            return fail(ErrorCode::Unavailable, QStringLiteral("cannot copy %1 to %2").arg(src, dst));
        BackupFile f;
        f.path = prefix.isEmpty() ? rel : prefix + QLatin1Char('/') + rel;
        f.sha256 = sha256Of(dst, &f.bytes);
        out.append(f);
    }
    std::sort(out.begin(), out.end(), [](const BackupFile &a, const BackupFile &b) { return a.path < b.path; });
    return out;
}

QJsonObject fileJson(const BackupFile &f)
{
    return {{QStringLiteral("path"), f.path}, {QStringLiteral("bytes"), double(f.bytes)}, {QStringLiteral("sha256"), f.sha256}};
}

BackupFile fileFrom(const QJsonObject &o)
{
    return {o.value(QLatin1String("path")).toString(), o.value(QLatin1String("bytes")).toInteger(),
            o.value(QLatin1String("sha256")).toString()};
}

Result<Manifest> readManifest(const QString &dir)
{
    QFile f(QDir(dir).filePath(kManifest));
    if (!f.open(QIODevice::ReadOnly))
        return fail(ErrorCode::NotFound, QStringLiteral("%1 is not a backup: no %2").arg(dir, kManifest));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (!doc.isObject())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(f.fileName(), error.errorString()));
    return Manifest::fromJson(doc.object());
}

Result<void> writeManifest(const QString &dir, const Manifest &m)
{
    QSaveFile f(QDir(dir).filePath(kManifest));
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(m.toJson()).toJson()) < 0 || !f.commit())
        return fail(ErrorCode::Unavailable, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return {};
}

Result<void> dumpDatabase(const QString &binDir, const DatabaseUse &db, const QString &dir, Manifest &m)
{
    const QString dump = QDir(dir).filePath(kDump);
    const ToolRun r = runTool(binDir + QStringLiteral("/pg_dump"),
                              {QStringLiteral("--format=custom"), QStringLiteral("--file"), dump,
                               QStringLiteral("--dbname"), db.conninfo()});
    if (r.exitCode != 0)
        return fail(ErrorCode::Unavailable, QStringLiteral("pg_dump failed: %1").arg(r.output));
    m.versions.insert(QStringLiteral("pgDump"), runTool(binDir + QStringLiteral("/pg_dump"), {QStringLiteral("--version")}).output);
    m.database.path = kDump;
    m.database.sha256 = sha256Of(dump, &m.database.bytes);
    return {};
}

Result<Manifest> takeBackup(const NodeState &node, const QString &dir)
{
    const auto binDir = binDirFor(node);
    if (!binDir)
        return tl::unexpected(binDir.error());
    Manifest m;
    m.createdAt = QDateTime::currentDateTimeUtc();
    m.source = node.describe();
    m.versions.insert(QStringLiteral("communityctl"), QStringLiteral(COMMUNITY_VERSION));
    DatabaseUse db(node);
    if (auto r = db.open(); !r)
        return tl::unexpected(r.error());
    if (auto r = readLevel(db.conninfoStd(), m); !r)
        return tl::unexpected(r.error());
    // The dump first, the files after: a blob uploaded in between is an unreferenced extra
    // (collected later), never a row whose blob is missing.
    if (auto r = dumpDatabase(*binDir, db, dir, m); !r)
        return tl::unexpected(r.error());
    if (auto r = db.close(); !r)
        return tl::unexpected(r.error());
    auto files = copyTree(node.files(), QDir(dir).filePath(kFiles), kFiles);
    if (!files)
        return tl::unexpected(files.error());
    m.files = *files;
    if (auto r = writeManifest(dir, m); !r)
        return tl::unexpected(r.error());
    return m;
}

bool isEmptyDir(const QString &path)
{
    const QDir dir(path);
    return !dir.exists() || dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

QString tablesIn(const QString &conninfo)
{
    try {
        pqxx::connection c(conninfo.toStdString());
        pqxx::read_transaction tx(c);
        const auto n = tx.exec(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r','p','v','m','S') AND n.nspname NOT IN ('pg_catalog','information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'")[0][0].as<long>();
        return n == 0 ? QString() : QStringLiteral("the database is not empty (%1 relations)").arg(n);
    } catch (const std::exception &e) {
        return QStringLiteral("cannot connect to the database: %1").arg(QString::fromUtf8(e.what()).trimmed());
    }
}

Result<void> restoreDatabase(const QString &backupDir, const NodeState &node, const QString &binDir)
{
    DatabaseUse db(node);
    if (auto r = db.open(); !r)
        return r;
    // One transaction: a restore that fails half way leaves the target as empty as it was.
    const ToolRun r = runTool(binDir + QStringLiteral("/pg_restore"),
                              {QStringLiteral("--no-owner"), QStringLiteral("--exit-on-error"),
                               QStringLiteral("--single-transaction"), QStringLiteral("--dbname"), db.conninfo(),
                               QDir(backupDir).filePath(kDump)});
    if (r.exitCode != 0)
        return fail(ErrorCode::Unavailable, QStringLiteral("pg_restore failed: %1").arg(r.output));
    return db.close();
}

} // namespace

QString NodeState::files() const
{
    return filesDir.isEmpty() ? QDir(dataDir).filePath(kFiles) : filesDir;
}

QString NodeState::describe() const
{
    if (databaseUrl.isEmpty())
        return QStringLiteral("data directory %1").arg(QDir(dataDir).absolutePath());
    return QStringLiteral("database %1 (files %2)").arg(databaseUrl, QDir(files()).absolutePath());
}

QJsonObject Manifest::toJson() const
{
    QJsonArray list;
    for (const BackupFile &f : files)
        list.append(fileJson(f));
    return {{QStringLiteral("format"), format},
            {QStringLiteral("createdAt"), Json::iso(createdAt)},
            {QStringLiteral("source"), source},
            {QStringLiteral("versions"), versions},
            {QStringLiteral("migrations"), QJsonObject{{QStringLiteral("applied"), migrationCount},
                                                       {QStringLiteral("plugins"), migrations}}},
            {QStringLiteral("database"), fileJson(database)},
            {QStringLiteral("files"), list}};
}

Result<Manifest> Manifest::fromJson(const QJsonObject &json)
{
    Manifest m;
    m.format = json.value(QLatin1String("format")).toInt();
    if (m.format != 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("unsupported backup format %1").arg(m.format));
    m.createdAt = QDateTime::fromString(json.value(QLatin1String("createdAt")).toString(), Qt::ISODateWithMs);
    m.source = json.value(QLatin1String("source")).toString();
    m.versions = json.value(QLatin1String("versions")).toObject();
    const QJsonObject migrations = json.value(QLatin1String("migrations")).toObject();
    m.migrationCount = migrations.value(QLatin1String("applied")).toInt();
    m.migrations = migrations.value(QLatin1String("plugins")).toObject();
    m.database = fileFrom(json.value(QLatin1String("database")).toObject());
    for (const QJsonValue &v : json.value(QLatin1String("files")).toArray())
        m.files.append(fileFrom(v.toObject()));
    return m;
}

Result<Manifest> createBackup(const NodeState &node, const QString &parent, QString *created)
{
    const QString name = QStringLiteral("community-") + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString dir = QDir(parent).absoluteFilePath(name);
    if (!QDir().mkpath(dir))
        return fail(ErrorCode::Unavailable, QStringLiteral("cannot create %1").arg(dir));
    auto m = takeBackup(node, dir);
    if (!m) {
        QDir(dir).removeRecursively();
        return m;
    }
    if (created)
        *created = dir;
    return m;
}

QList<std::pair<QString, Manifest>> listBackups(const QString &parent)
{
    QList<std::pair<QString, Manifest>> out;
    for (const QFileInfo &fi : QDir(parent).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (auto m = readManifest(fi.absoluteFilePath()))
            out.append({fi.absoluteFilePath(), *m});
    }
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.second.createdAt > b.second.createdAt; });
    return out;
}

Result<Manifest> verifyBackup(const QString &backupDir, const QString &binDir)
{
    auto m = readManifest(backupDir);
    if (!m)
        return m;
    QList<FieldError> bad;
    for (const BackupFile &f : QList<BackupFile>{m->database} + m->files) {
        qint64 bytes = -1;
        const QString sum = sha256Of(QDir(backupDir).filePath(f.path), &bytes);
        if (sum.isEmpty())
            bad.append({f.path, QStringLiteral("missing"), QStringLiteral("missing")});
        else if (bytes != f.bytes || sum != f.sha256)
            bad.append({f.path, QStringLiteral("checksum mismatch"), QStringLiteral("checksum")});
    }
    if (!bad.isEmpty()) {
        Error e = invalidFields(bad);
        e.message = QStringLiteral("%1 file(s) of the backup are missing or damaged").arg(bad.size());
        return tl::unexpected(e);
    }
    const auto bin = Db::EmbeddedPostgres::findBinDir(binDir);
    if (!bin)
        return tl::unexpected(bin.error());
    const ToolRun list = runTool(*bin + QStringLiteral("/pg_restore"), {QStringLiteral("--list"), QDir(backupDir).filePath(kDump)});
    if (list.exitCode != 0)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("pg_restore cannot read the dump: %1").arg(list.output));
    return m;
}

QStringList restoreBlockers(const NodeState &node)
{
    QStringList out;
    if (node.databaseUrl.isEmpty()) {
        if (!isEmptyDir(node.dataDir))
            out << QStringLiteral("the data directory %1 is not empty").arg(QDir(node.dataDir).absolutePath());
    } else if (const QString tables = tablesIn(node.databaseUrl); !tables.isEmpty()) {
        out << tables;
    }
    if (!isEmptyDir(node.files()))
        out << QStringLiteral("the files directory %1 is not empty").arg(QDir(node.files()).absolutePath());
    return out;
}

Result<void> restoreBackup(const QString &backupDir, const NodeState &node)
{
    const auto binDir = binDirFor(node);
    if (!binDir)
        return tl::unexpected(binDir.error());
    auto m = verifyBackup(backupDir, *binDir);
    if (!m)
        return tl::unexpected(m.error());
    if (const QStringList blockers = restoreBlockers(node); !blockers.isEmpty())
        return fail(ErrorCode::Conflict, QStringLiteral("refusing to restore: %1").arg(blockers.join(QStringLiteral("; "))));
    // The target was empty: a failed restore leaves it empty again (an external database
    // is already back to empty through pg_restore's single transaction, unless only the
    // files failed).
    auto undo = [&] {
        if (node.databaseUrl.isEmpty())
            QDir(node.dataDir).removeRecursively();
        else
            QDir(node.files()).removeRecursively();
    };
    if (auto r = restoreDatabase(backupDir, node, *binDir); !r) {
        undo();
        return r;
    }
    auto copied = copyTree(QDir(backupDir).filePath(kFiles), node.files(), {});
    if (!copied) {
        undo();
        return tl::unexpected(copied.error());
    }
    return {};
}

} // namespace Community::Ctl
