// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Search analytics retention on a real database: pruning removes logged queries older than
// plugins.search.analyticsRetentionDays and keeps the newer ones.

#include "searchservice.h"
#include "testdb.h"

#include "community/database.h"
#include "community/host/migrator.h"

#include <pqxx/pqxx>

#include <QtTest>

using namespace Community;
using namespace Search;

class TstSearchAnalytics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pruneKeepsOnlyTheRetentionWindow()
    {
        Test::TestDb tdb;
        Db::Database db(tdb.config(2));
        QVERIFY(db.open());
        auto set = loadMigrations(QStringLiteral("search"), QStringLiteral(SEARCH_MIGRATIONS_DIR));
        QVERIFY2(set, set ? "" : qPrintable(set.error().message));
        auto m = Migrator(db).migrate({*set});
        QVERIFY2(m, m ? "" : qPrintable(m.error().message + m.error().logDetail));

        {
            pqxx::connection c(tdb.conninfo());
            pqxx::work tx(c);
            // 3 queries 40 days old, 2 from 10 days ago, 1 from now.
            tx.exec("INSERT INTO search.queries (created_at, user_id, query, results) "
                    "SELECT now() - interval '40 days', 7, 'old ' || g, 1 FROM generate_series(1, 3) g "
                    "UNION ALL SELECT now() - interval '10 days', NULL, 'recent ' || g, 0 FROM generate_series(1, 2) g "
                    "UNION ALL SELECT now(), 7, 'today', 5");
            tx.commit();
        }
        SearchConfig cfg;
        cfg.analyticsRetentionDays = 30;
        SearchService svc(db, nullptr, cfg);
        auto pruned = svc.pruneAnalytics();
        QVERIFY2(pruned, pruned ? "" : qPrintable(pruned.error().logDetail));
        QCOMPARE(*pruned, 3);
        QCOMPARE(*svc.pruneAnalytics(), 0);   // nothing left to prune

        pqxx::connection c(tdb.conninfo());
        pqxx::nontransaction tx(c);
        QCOMPARE(tx.exec("SELECT count(*) FROM search.queries")[0][0].as<int>(), 3);
        QCOMPARE(tx.exec("SELECT count(*) FROM search.queries WHERE query LIKE 'old%'")[0][0].as<int>(), 0);
        db.close();
    }
};

QTEST_GUILESS_MAIN(TstSearchAnalytics)
#include "tst_searchanalytics.moc"
