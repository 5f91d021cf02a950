// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/database.h"
#include "community/host/migrator.h"
#include "testdb.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace Community;
using namespace Community::Db;
using Community::Test::TestDb;

namespace {

void writeFile(const QString &dir, const QString &name, const QByteArray &content)
{
    QFile f(dir + QLatin1Char('/') + name);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
}

Migration mig(const QString &file, const QByteArray &sql)
{
    auto m = makeMigration(file, sql);
    if (!m)
        qFatal("bad test migration %s", qPrintable(file));
    return *m;
}

} // namespace

class TstMigrator : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void loadGoodDirectory();
    void loadNamingRules_data();
    void loadNamingRules();
    void applyCreatesTablesInPluginSchema();
    void rerunIsNoop();
    void checksumMismatchRefused();
    void dryRunAppliesNothing();
    void concurrentMigratorsSerialised();
    void failedMigrationRollsBackOnlyItself();
    void pluginsGetSeparateSchemas();

private:
    MigrationSet goodSet();
    int scalar(const std::string &sql);

    std::unique_ptr<TestDb> m_tdb;
    std::unique_ptr<Database> m_db;
};

void TstMigrator::init()
{
    m_tdb = std::make_unique<TestDb>();
    m_db = std::make_unique<Database>(m_tdb->config(3));
    QVERIFY(m_db->open().has_value());
}

void TstMigrator::cleanup()
{
    m_db.reset();
    m_tdb.reset();
}

MigrationSet TstMigrator::goodSet()
{
    auto set = loadMigrations(QStringLiteral("shop"), QStringLiteral(MIGRATIONS_DIR "/good"));
    if (!set)
        qFatal("%s", qPrintable(set.error().message));
    return *set;
}

int TstMigrator::scalar(const std::string &sql)
{
    auto r = m_db->transact<int>([&](pqxx::work &tx) -> Result<int> {
        return tx.exec(sql)[0][0].as<int>();
    });
    return r ? *r : -1;
}

void TstMigrator::loadGoodDirectory()
{
    const auto set = goodSet();
    QCOMPARE(set.plugin, QStringLiteral("shop"));
    QCOMPARE(set.migrations.size(), 2);  // README.txt ignored
    QCOMPARE(set.migrations[0].version, 1);
    QCOMPARE(set.migrations[0].name, QStringLiteral("create_items"));
    QCOMPARE(set.migrations[0].fileName, QStringLiteral("0001_create_items.sql"));
    QCOMPARE(set.migrations[1].version, 2);
    QCOMPARE(set.migrations[1].name, QStringLiteral("add_tags"));
    QCOMPARE(set.migrations[0].checksum.size(), 64);
    QVERIFY(set.migrations[0].checksum != set.migrations[1].checksum);
    QVERIFY(set.migrations[0].sql.contains("CREATE TABLE items"));
}

void TstMigrator::loadNamingRules_data()
{
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("plugin");
    QTest::addColumn<QString>("errorContains");  // empty: success
    QTest::addColumn<QList<int>>("versions");

    QTest::newRow("sorted numerically") << QStringList{"0010_c.sql", "0002_b.sql", "00001_a.sql"}
                                        << "p" << "" << QList<int>{1, 2, 10};
    QTest::newRow("non-sql ignored") << QStringList{"0001_a.sql", "notes.md"} << "p" << ""
                                     << QList<int>{1};
    QTest::newRow("empty dir") << QStringList{} << "p" << "" << QList<int>{};
    QTest::newRow("too few digits") << QStringList{"001_a.sql"} << "p" << "001_a.sql" << QList<int>{};
    QTest::newRow("dash separator") << QStringList{"0001-a.sql"} << "p" << "0001-a.sql" << QList<int>{};
    QTest::newRow("no name") << QStringList{"0001.sql"} << "p" << "0001.sql" << QList<int>{};
    QTest::newRow("letters") << QStringList{"abcd_a.sql"} << "p" << "abcd_a.sql" << QList<int>{};
    QTest::newRow("version zero") << QStringList{"0000_a.sql"} << "p" << "0000_a.sql" << QList<int>{};
    QTest::newRow("duplicate") << QStringList{"0001_a.sql", "0001_b.sql"} << "p" << "0001_b.sql"
                               << QList<int>{};
    QTest::newRow("bad plugin") << QStringList{"0001_a.sql"} << "Bad-Plugin" << "Bad-Plugin"
                                << QList<int>{};
    QTest::newRow("reserved plugin") << QStringList{"0001_a.sql"} << "pg_x" << "pg_x" << QList<int>{};
}

void TstMigrator::loadNamingRules()
{
    QFETCH(QStringList, files);
    QFETCH(QString, plugin);
    QFETCH(QString, errorContains);
    QFETCH(QList<int>, versions);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const auto &f : files)
        writeFile(dir.path(), f, "SELECT 1;");
    auto set = loadMigrations(plugin, dir.path());
    if (errorContains.isEmpty()) {
        QVERIFY2(set.has_value(), qPrintable(set ? QString() : set.error().message));
        QList<int> got;
        for (const auto &m : set->migrations)
            got << m.version;
        QCOMPARE(got, versions);
    } else {
        QVERIFY(!set.has_value());
        QCOMPARE(set.error().code, ErrorCode::Config);
        QVERIFY2(set.error().message.contains(errorContains), qPrintable(set.error().message));
    }
    auto missing = loadMigrations(QStringLiteral("p"), dir.path() + QStringLiteral("/nope"));
    QVERIFY(!missing.has_value());
}

void TstMigrator::applyCreatesTablesInPluginSchema()
{
    Migrator migrator(*m_db);
    const QList<MigrationSet> sets{goodSet()};
    auto current = migrator.isCurrent(sets);
    QVERIFY(current.has_value());
    QVERIFY(!*current);

    auto applied = migrator.migrate(sets);
    QVERIFY2(applied.has_value(), qPrintable(applied ? QString() : applied.error().message));
    QCOMPARE(applied->size(), 2);
    QCOMPARE(applied->at(0).version, 1);
    QCOMPARE(applied->at(1).state, QStringLiteral("applied"));

    QCOMPARE(scalar("SELECT count(*) FROM shop.items"), 1);
    QCOMPARE(scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'shop'"), 2);
    QCOMPARE(scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"), 0);
    QCOMPARE(scalar("SELECT count(*) FROM community_meta.schema_migrations WHERE plugin = 'shop'"), 2);

    auto status = migrator.status(sets);
    QVERIFY(status.has_value());
    QCOMPARE(status->size(), 2);
    for (const auto &e : *status) {
        QCOMPARE(e.state, QStringLiteral("applied"));
        QVERIFY(e.appliedAt.isValid());
        QVERIFY(qAbs(e.appliedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    }
    QCOMPARE(*migrator.isCurrent(sets), true);
}

void TstMigrator::rerunIsNoop()
{
    Migrator migrator(*m_db);
    const QList<MigrationSet> sets{goodSet()};
    QVERIFY(migrator.migrate(sets).has_value());
    auto again = migrator.migrate(sets);
    QVERIFY(again.has_value());
    QCOMPARE(again->size(), 0);
    QCOMPARE(scalar("SELECT count(*) FROM shop.items"), 1);  // the INSERT did not run twice
    auto dry = migrator.migrate(sets, true);
    QVERIFY(dry.has_value());
    QCOMPARE(dry->size(), 0);
}

void TstMigrator::checksumMismatchRefused()
{
    Migrator migrator(*m_db);
    MigrationSet v1{QStringLiteral("shop"),
                    {mig(QStringLiteral("0001_create_items.sql"), "CREATE TABLE items (id int);")}};
    QVERIFY(migrator.migrate({v1}).has_value());

    MigrationSet edited{QStringLiteral("shop"),
                        {mig(QStringLiteral("0001_create_items.sql"),
                             "CREATE TABLE items (id int, extra int);"),
                         mig(QStringLiteral("0002_more.sql"), "CREATE TABLE more (id int);")}};
    auto r = migrator.migrate({edited});
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Config);
    QVERIFY2(r.error().message.contains(QStringLiteral("shop")), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QStringLiteral("version 1")));
    QVERIFY(r.error().message.contains(QStringLiteral("0001_create_items.sql")));
    QCOMPARE(scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'more'"), 0);
    QCOMPARE(scalar("SELECT count(*) FROM community_meta.schema_migrations"), 1);

    auto status = migrator.status({edited});
    QVERIFY(status.has_value());
    QCOMPARE(status->at(0).state, QStringLiteral("changed"));
    QCOMPARE(status->at(1).state, QStringLiteral("pending"));
    QCOMPARE(*migrator.isCurrent({edited}), false);
    // A dry run refuses too.
    QVERIFY(!migrator.migrate({edited}, true).has_value());
}

void TstMigrator::dryRunAppliesNothing()
{
    Migrator migrator(*m_db);
    const QList<MigrationSet> sets{goodSet()};
    auto dry = migrator.migrate(sets, true);
    QVERIFY2(dry.has_value(), qPrintable(dry ? QString() : dry.error().message));
    QCOMPARE(dry->size(), 2);
    QCOMPARE(dry->at(0).state, QStringLiteral("pending"));
    QCOMPARE(dry->at(1).name, QStringLiteral("add_tags"));
    QCOMPARE(scalar("SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', 'community_meta')"), 0);
    auto status = migrator.status(sets);
    QVERIFY(status.has_value());
    QCOMPARE(status->size(), 2);
    QCOMPARE(status->at(1).state, QStringLiteral("pending"));
}

void TstMigrator::concurrentMigratorsSerialised()
{
    // Slow first file widens the window in which both runners are active.
    MigrationSet set{QStringLiteral("shop"),
                     {mig(QStringLiteral("0001_slow.sql"),
                          "SELECT pg_sleep(0.3); CREATE TABLE items (id int);"
                          "INSERT INTO items VALUES (1);"),
                      mig(QStringLiteral("0002_second.sql"), "INSERT INTO items VALUES (2);"),
                      mig(QStringLiteral("0003_third.sql"), "INSERT INTO items VALUES (3);")}};
    Database other(m_tdb->config(2));
    QVERIFY(other.open().has_value());
    Result<QList<MigrationEntry>> ra, rb;
    std::thread a([&] { ra = Migrator(*m_db).migrate({set}); });
    std::thread b([&] { rb = Migrator(other).migrate({set}); });
    a.join();
    b.join();
    QVERIFY2(ra.has_value(), qPrintable(ra ? QString() : ra.error().message));
    QVERIFY2(rb.has_value(), qPrintable(rb ? QString() : rb.error().message));
    QCOMPARE(ra->size() + rb->size(), 3);
    QVERIFY(ra->isEmpty() || rb->isEmpty());  // one did everything, the other found nothing
    QCOMPARE(scalar("SELECT count(*) FROM shop.items"), 3);
    QCOMPARE(scalar("SELECT count(*) FROM community_meta.schema_migrations"), 3);
    // The advisory lock was released.
    QCOMPARE(scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"), 0);
}

void TstMigrator::failedMigrationRollsBackOnlyItself()
{
    Migrator migrator(*m_db);
    MigrationSet set = goodSet();
    set.migrations << mig(QStringLiteral("0003_broken.sql"),
                          "CREATE TABLE half_done (id int);\nINSERT INTO nowhere VALUES (1);");
    set.migrations << mig(QStringLiteral("0004_after.sql"), "CREATE TABLE after_broken (id int);");
    auto r = migrator.migrate({set});
    QVERIFY(!r.has_value());
    QVERIFY2(r.error().message.contains(QStringLiteral("shop")), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QStringLiteral("version 3")));
    QVERIFY(r.error().message.contains(QStringLiteral("0003_broken.sql")));
    QVERIFY(r.error().message.contains(QStringLiteral("nowhere")));
    QCOMPARE(scalar("SELECT count(*) FROM community_meta.schema_migrations"), 2);
    QCOMPARE(scalar("SELECT count(*) FROM shop.items"), 1);
    QCOMPARE(scalar("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                    "('half_done', 'after_broken')"), 0);
    QCOMPARE(scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"), 0);

    // Fixing the (never applied) file lets the run continue where it stopped.
    set.migrations[2] = mig(QStringLiteral("0003_broken.sql"), "CREATE TABLE half_done (id int);");
    auto fixed = migrator.migrate({set});
    QVERIFY2(fixed.has_value(), qPrintable(fixed ? QString() : fixed.error().message));
    QCOMPARE(fixed->size(), 2);
    QCOMPARE(*migrator.isCurrent({set}), true);
}

void TstMigrator::pluginsGetSeparateSchemas()
{
    Migrator migrator(*m_db);
    const QByteArray sql = "CREATE TABLE things (id int); INSERT INTO things VALUES (1);";
    MigrationSet a{QStringLiteral("alpha"), {mig(QStringLiteral("0001_things.sql"), sql)}};
    MigrationSet b{QStringLiteral("beta"), {mig(QStringLiteral("0001_things.sql"), sql)}};
    auto r = migrator.migrate({a, b});
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->size(), 2);
    QCOMPARE(scalar("SELECT count(*) FROM alpha.things"), 1);
    QCOMPARE(scalar("SELECT count(*) FROM beta.things"), 1);
    QCOMPARE(*migrator.isCurrent({a, b}), true);
    QCOMPARE(*migrator.isCurrent({a}), true);
}

QTEST_GUILESS_MAIN(TstMigrator)
#include "tst_migrator.moc"
