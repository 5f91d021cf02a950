// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/migrator.h"

#include "community/database.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

#include <chrono>
#include <thread>

namespace Community {

namespace {

struct AppliedRow {
    QString name;
    QString checksum;
    QDateTime appliedAt;
};

using AppliedMap = QHash<QString, QHash<int, AppliedRow>>;  // plugin -> version -> row

const char *const kCreateMeta =
    "CREATE SCHEMA IF NOT EXISTS community_meta;"
    "CREATE TABLE IF NOT EXISTS community_meta.schema_migrations ("
    "  plugin text NOT NULL,"
    "  version int NOT NULL,"
    "  name text NOT NULL,"
    "  checksum text NOT NULL,"
    "  applied_at timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (plugin, version))";

bool validPlugin(const QString &plugin)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    return re.match(plugin).hasMatch() && !plugin.startsWith(QLatin1String("pg_"))
        && plugin != QLatin1String("community_meta")
        && plugin != QLatin1String("information_schema");
}

std::string toStd(const QString &s) { return s.toStdString(); }

AppliedMap readApplied(pqxx::transaction_base &tx)
{
    AppliedMap map;
    auto exists = tx.exec("SELECT to_regclass('community_meta.schema_migrations') IS NOT NULL");
    if (!exists[0][0].as<bool>())
        return map;
    auto rows = tx.exec("SELECT plugin, version, name, checksum, "
                        "(extract(epoch FROM applied_at) * 1000)::bigint "
                        "FROM community_meta.schema_migrations");
    for (const auto &row : rows) {
        AppliedRow r;
        r.name = QString::fromStdString(row[2].as<std::string>());
        r.checksum = QString::fromStdString(row[3].as<std::string>());
        r.appliedAt = QDateTime::fromMSecsSinceEpoch(row[4].as<qint64>(), Qt::UTC);
        map[QString::fromStdString(row[0].as<std::string>())].insert(row[1].as<int>(), r);
    }
    return map;
}

QList<MigrationEntry> entriesFor(const QList<MigrationSet> &sets, const AppliedMap &applied)
{
    QList<MigrationEntry> out;
    for (const auto &set : sets) {
        const auto rows = applied.value(set.plugin);
        for (const auto &m : set.migrations) {
            MigrationEntry e{set.plugin, m.version, m.name, m.checksum, QStringLiteral("pending"), {}};
            auto it = rows.constFind(m.version);
            if (it != rows.constEnd()) {
                e.state = it->checksum == m.checksum ? QStringLiteral("applied")
                                                     : QStringLiteral("changed");
                e.appliedAt = it->appliedAt;
            }
            out.append(e);
        }
    }
    return out;
}

QString fileOf(const MigrationSet &set, int version)
{
    for (const auto &m : set.migrations)
        if (m.version == version)
            return m.fileName;
    return {};
}

Result<void> refuseChanged(const QList<MigrationSet> &sets, const QList<MigrationEntry> &entries)
{
    QStringList changed;
    for (const auto &e : entries) {
        if (e.state != QLatin1String("changed"))
            continue;
        QString file;
        for (const auto &s : sets)
            if (s.plugin == e.plugin)
                file = fileOf(s, e.version);
        changed << QStringLiteral("%1 version %2 (%3)").arg(e.plugin).arg(e.version).arg(file);
    }
    if (changed.isEmpty())
        return {};
    return fail(ErrorCode::Config,
                QStringLiteral("applied migration changed since it was applied (checksum "
                               "differs): %1; nothing was applied. Restore the original file and "
                               "add a new migration instead.")
                    .arg(changed.join(QStringLiteral(", "))));
}

QString firstLine(const char *what)
{
    return QString::fromUtf8(what).section(QLatin1Char('\n'), 0, 0).trimmed();
}

} // namespace

Result<Migration> makeMigration(const QString &fileName, const QByteArray &sql)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{4,})_([A-Za-z0-9][A-Za-z0-9_\\-]*)\\.sql$"));
    const auto match = re.match(fileName);
    if (!match.hasMatch())
        return fail(ErrorCode::Config,
                    QStringLiteral("migration file %1: name must look like NNNN_some_name.sql")
                        .arg(fileName));
    bool ok = false;
    const int version = match.captured(1).toInt(&ok);
    if (!ok || version <= 0)
        return fail(ErrorCode::Config,
                    QStringLiteral("migration file %1: version must be a positive number")
                        .arg(fileName));
    Migration m;
    m.version = version;
    m.name = match.captured(2);
    m.sql = sql;
    m.checksum = QString::fromLatin1(
        QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex());
    m.fileName = fileName;
    return m;
}

Result<MigrationSet> loadMigrations(const QString &plugin, const QString &resourceDir)
{
    if (!validPlugin(plugin))
        return fail(ErrorCode::Config,
                    QStringLiteral("plugin id \"%1\" is not a valid schema name "
                                   "([a-z_][a-z0-9_]*, not pg_*)")
                        .arg(plugin));
    QDir dir(resourceDir);
    if (!dir.exists())
        return fail(ErrorCode::Config,
                    QStringLiteral("migrations for %1: directory %2 does not exist")
                        .arg(plugin, resourceDir));
    MigrationSet set;
    set.plugin = plugin;
    QHash<int, QString> seen;
    const auto files = dir.entryList(QDir::Files | QDir::Readable | QDir::Hidden, QDir::Name);
    for (const QString &fileName : files) {
        if (!fileName.endsWith(QLatin1String(".sql"), Qt::CaseInsensitive))
            continue;
        QFile f(dir.filePath(fileName));
        if (!f.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Config, QStringLiteral("migration file %1: cannot read: %2")
                                               .arg(dir.filePath(fileName), f.errorString()));
        auto m = makeMigration(fileName, f.readAll());
        if (!m) {
            Error e = m.error();
            e.message = QStringLiteral("%1 (in %2)").arg(e.message, resourceDir);
            return tl::unexpected(e);
        }
        if (seen.contains(m->version))
            return fail(ErrorCode::Config,
                        QStringLiteral("migration file %1: version %2 is also used by %3")
                            .arg(fileName)
                            .arg(m->version)
                            .arg(seen.value(m->version)));
        seen.insert(m->version, fileName);
        set.migrations.append(*m);
    }
    std::sort(set.migrations.begin(), set.migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return set;
}

Migrator::Migrator(Db::Database &db)
    : m_db(db)
{
}

Result<QList<MigrationEntry>> Migrator::status(const QList<MigrationSet> &sets)
{
    return m_db.transact<QList<MigrationEntry>>(
        [&](pqxx::work &tx) -> Result<QList<MigrationEntry>> {
            return entriesFor(sets, readApplied(tx));
        });
}

Result<bool> Migrator::isCurrent(const QList<MigrationSet> &sets)
{
    auto st = status(sets);
    if (!st)
        return tl::unexpected(st.error());
    for (const auto &e : *st)
        if (e.state != QLatin1String("applied"))
            return false;
    return true;
}

Result<QList<MigrationEntry>> Migrator::migrate(const QList<MigrationSet> &sets, bool dryRun)
{
    for (const auto &s : sets)
        if (!validPlugin(s.plugin))
            return fail(ErrorCode::Config,
                        QStringLiteral("plugin id \"%1\" is not a valid schema name").arg(s.plugin));

    if (dryRun) {
        auto st = status(sets);
        if (!st)
            return st;
        if (auto r = refuseChanged(sets, *st); !r)
            return tl::unexpected(r.error());
        QList<MigrationEntry> pending;
        for (const auto &e : *st)
            if (e.state == QLatin1String("pending"))
                pending.append(e);
        return pending;
    }

    QList<MigrationEntry> done;
    const std::string key = std::to_string(lockKey);
    auto r = m_db.withConnection([&](pqxx::connection &conn) -> Result<void> {
        // Poll instead of a blocking pg_advisory_lock so the wait is not cut short by the
        // pool's statement_timeout and we can say that we are waiting.
        const auto waitLimit = std::chrono::steady_clock::now() + std::chrono::minutes(10);
        bool said = false;
        for (;;) {
            pqxx::nontransaction n(conn);
            if (n.exec("SELECT pg_try_advisory_lock(" + key + ")")[0][0].as<bool>())
                break;
            if (!said) {
                qInfo("migrations: waiting for another migration runner to finish");
                said = true;
            }
            if (std::chrono::steady_clock::now() > waitLimit)
                return fail(ErrorCode::Timeout,
                            QStringLiteral("timed out waiting for another migration runner"));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }

        auto run = [&]() -> Result<void> {
            {
                pqxx::work tx(conn);
                tx.exec(kCreateMeta);
                tx.commit();
            }
            QList<MigrationEntry> entries;
            {
                pqxx::work tx(conn);
                entries = entriesFor(sets, readApplied(tx));
                tx.commit();
            }
            if (auto c = refuseChanged(sets, entries); !c)
                return c;
            int index = 0;
            for (const auto &set : sets) {
                for (const auto &m : set.migrations) {
                    const MigrationEntry entry = entries.at(index++);
                    if (entry.state != QLatin1String("pending"))
                        continue;
                    qInfo().noquote() << "migrations: applying" << set.plugin << m.fileName;
                    try {
                        pqxx::work tx(conn);
                        const std::string schema = tx.quote_name(toStd(set.plugin));
                        tx.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
                        tx.exec("SET LOCAL search_path TO " + schema + ", public");
                        tx.exec("SET LOCAL statement_timeout = 0");
                        tx.exec(std::string(m.sql.constData(), size_t(m.sql.size())));
                        tx.exec_params("INSERT INTO community_meta.schema_migrations "
                                       "(plugin, version, name, checksum) VALUES ($1, $2, $3, $4)",
                                       toStd(set.plugin), m.version, toStd(m.name),
                                       toStd(m.checksum));
                        tx.commit();
                    } catch (const std::exception &e) {
                        Error err = Db::mapException(e);
                        if (err.code != ErrorCode::Unavailable && err.code != ErrorCode::Timeout)
                            err.code = ErrorCode::Internal;
                        err.message = QStringLiteral("migration %1 version %2 (%3) failed: %4")
                                          .arg(set.plugin)
                                          .arg(m.version)
                                          .arg(m.fileName, firstLine(e.what()));
                        return tl::unexpected(err);
                    }
                    MigrationEntry applied = entry;
                    applied.state = QStringLiteral("applied");
                    applied.appliedAt = QDateTime::currentDateTimeUtc();
                    done.append(applied);
                }
            }
            return {};
        };

        Result<void> result;
        try {
            result = run();
        } catch (const std::exception &e) {
            result = tl::unexpected(Db::mapException(e));
        }
        if (conn.is_open()) {
            // A broken connection has released the session lock on the server already.
            pqxx::nontransaction n(conn);
            n.exec("SELECT pg_advisory_unlock(" + key + ")");
        }
        return result;
    });
    if (!r)
        return tl::unexpected(r.error());
    return done;
}

} // namespace Community
