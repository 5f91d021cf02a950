// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// AnalyticsService against the real test PostgreSQL: dedup of client ids and of redelivered
// bus facts (one at a time and in a batch), opt-out and do-not-track, raw addresses never stored (daily-salted hashes that
// change with the day), account deletion, partitions created ahead and dropped by
// retention (with their raw rows, not the rollups), live figures.

#include "analyticsfixture.h"

#include "analyticsrepository.h"

#include <thread>

using namespace Analytics;
using namespace Analytics::Test;

class TstAnalyticsService : public QObject {
    Q_OBJECT

    Fixture f;
    QDateTime m_now = QDateTime::currentDateTimeUtc();

    RawEvent session(const QString &id, const QDateTime &at) { return Fixture::event(QStringLiteral("session_start"), id, at); }
    qint64 hourly(const char *metric)
    {
        return f.scalar(std::string("SELECT coalesce(sum(value), 0)::bigint FROM analytics.hourly WHERE dim = '' AND metric = '")
                        + metric + "'");
    }

private Q_SLOTS:
    void init()
    {
        AnalyticsConfig cfg;
        cfg.retentionDays = 3;
        cfg.partitionsAhead = 2;
        QVERIFY(f.open(cfg));
        QVERIFY(f.service->maintain(m_now.date()));
    }
    void cleanup() { f.close(); }

    void clientIdsDeduplicated()
    {
        const QList<RawEvent> batch{session("a", m_now), session("b", m_now)};
        auto first = f.client(7, batch);
        QVERIFY(first);
        QCOMPARE(first->accepted, 2);
        auto again = f.client(7, {session("a", m_now), session("c", m_now)});   // a resend plus one new
        QVERIFY(again);
        QCOMPARE(again->accepted, 1);
        QCOMPARE(again->duplicates, 1);
        // Ids are per sender: another user's "a" is a different event.
        QCOMPARE(f.client(8, {session("a", m_now)})->accepted, 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events"), 4);
        QCOMPARE(hourly("session_start"), 4);
    }

    void factsCountedOnce()
    {
        QVERIFY(f.signup(5, m_now));
        QVERIFY(f.service->applyFact(f.delivered.last()));   // redelivered
        QVERIFY(f.service->applyFact(f.delivered.last()));
        QCOMPARE(hourly("signup"), 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.accounts"), 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE source = 'server'"), 1);
    }

    void factsInABatch()
    {
        // The bus consumer's batch: one transaction; a redelivered fact inside it still
        // counts once, the new ones count.
        QVERIFY(f.signup(5, m_now));
        QList<Community::Events::Event> batch{f.delivered.last()};
        for (qint64 user : {6, 7}) {
            Community::Events::Event e = f.delivered.last();
            e.id = f.nextBusId++;
            e.payload = AuthEvents::AccountRegistered{user, QStringLiteral("u%1").arg(user), QStringLiteral("user"),
                                                      QStringLiteral("register")}.toJson();
            batch.append(e);
        }
        QVERIFY(f.service->applyFacts(batch));
        QVERIFY(f.service->applyFacts(batch));   // the whole batch redelivered
        QCOMPARE(hourly("signup"), 3);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.accounts"), 3);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE source = 'server'"), 3);
    }

    void optOut()
    {
        QVERIFY(f.service->setOptOut(9, true));
        QCOMPARE(f.service->optedOut(9).value_or(false), true);
        auto r = f.client(9, {session("a", m_now)});
        QVERIFY(r);
        QVERIFY(r->optedOut);
        QCOMPARE(r->accepted, 0);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events"), 0);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.active_hours WHERE user_id = 9"), 0);
        // Server facts are records, not tracking: they count as for anyone (and so a replay
        // gives the same figures whenever it runs).
        QVERIFY(f.post(1, 2, 9, m_now));
        QCOMPARE(hourly("post"), 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE user_id = 9 AND source = 'server'"), 1);
        // Opting back in.
        QVERIFY(f.service->setOptOut(9, false));
        QCOMPARE(f.client(9, {session("a", m_now)})->accepted, 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE user_id = 9 AND source = 'client'"), 1);
    }

    void doNotTrack()
    {
        ParsedBatch batch;
        batch.events = {session("a", m_now)};
        auto r = f.service->ingest(Sender{0, QStringLiteral("192.0.2.1"), true}, batch, m_now);
        QVERIFY(r);
        QVERIFY(r->optedOut);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events"), 0);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.seen"), 0);
    }

    void addressesNeverStored()
    {
        const QString address = QStringLiteral("203.0.113.77");
        QVERIFY(f.client(0, {session("a", m_now)}, address));
        QVERIFY(f.client(0, {session("b", m_now.addDays(1))}, address));   // the next day's salt
        QVERIFY(f.client(4, {session("c", m_now)}, address));
        // Not in any column of any analytics table, in any form we could have written it.
        const qint64 hits = f.scalar(
            "SELECT count(*) FROM (SELECT t::text AS row FROM analytics.events t UNION ALL SELECT s::text FROM analytics.seen s) x"
            " WHERE row LIKE '%203.0.113.77%' OR row LIKE '%' || encode('203.0.113.77'::bytea, 'base64') || '%'");
        QCOMPARE(hits, 0);
        // Anonymous events carry a hash, a different one each day; signed-in events none.
        QCOMPARE(f.scalar("SELECT count(DISTINCT ip_hash) FROM analytics.events WHERE user_id IS NULL"), 2);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE user_id IS NOT NULL AND ip_hash IS NOT NULL"), 0);
        // Salts older than yesterday are gone after maintenance: the hashes cannot be redone.
        QVERIFY(f.db->transact<void>([&](pqxx::work &tx) -> Community::Result<void> {
            tx.exec("INSERT INTO analytics.salts VALUES (current_date - 5, '\\x00')");
            return {};
        }));
        QVERIFY(f.service->maintain(m_now.date()));
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.salts WHERE day < current_date - 1"), 0);
    }

    void accountDeletion()
    {
        QVERIFY(f.signup(20, m_now));
        QVERIFY(f.client(20, {session("a", m_now)}));
        QVERIFY(f.post(1, 2, 20, m_now));
        QVERIFY(f.client(21, {session("a", m_now)}));
        const QDate today = m_now.date();
        const auto dau = [&] {
            return f.report(QStringLiteral("active-users"), today, today).value("series").toArray().at(0).toObject().value("dau").toInt();
        };
        QCOMPARE(dau(), 2);
        UsersEvents::ProfileChanged deleted;
        deleted.type = UsersEvents::Type::ProfileDeleted;
        deleted.userId = 20;
        QVERIFY(f.deliver(deleted, m_now));
        // Nothing names the account any more; the figures stay.
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE user_id = 20 OR key LIKE '%u20:%'"), 0);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.active_hours WHERE user_id = 20"), 0);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.accounts WHERE user_id = 20"), 0);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.accounts WHERE user_id < 0"), 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE user_id IS NULL"), 3);
        QCOMPARE(dau(), 2);
        QCOMPARE(hourly("post"), 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE user_id = 21"), 1);
    }

    void partitionsAheadAndRetention()
    {
        const QDate d0(2026, 6, 10);
        auto first = f.service->maintain(d0);
        QVERIFY(first);
        auto names = [&] {
            QStringList out;
            auto r = f.db->transact<void>([&](pqxx::work &tx) -> Community::Result<void> {
                for (const QDate &d : f.store.partitions(tx))
                    out << d.toString(Qt::ISODate);
                return {};
            });
            return r ? out.filter(QStringLiteral("2026-06")) : QStringList();
        };
        QCOMPARE(names(), QStringList({"2026-06-08", "2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12"}));
        // An event on the 8th: a raw row and rollups.
        QVERIFY(f.client(3, {session("old", QDateTime(QDate(2026, 6, 8), QTime(9, 0), Qt::UTC))}));
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events_20260608"), 1);
        auto later = f.service->maintain(d0.addDays(2));
        QVERIFY(later);
        QCOMPARE(later->value("dropped").toArray(), QJsonArray({"2026-06-08", "2026-06-09"}));
        QCOMPARE(names(), QStringList({"2026-06-10", "2026-06-11", "2026-06-12", "2026-06-13", "2026-06-14"}));
        // The raw row went with its day; the rollups stay.
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE occurred_at < '2026-06-09'"), 0);
        QCOMPARE(hourly("session_start"), 1);
        // A late fact for a dropped day still counts once, without a raw row.
        QVERIFY(f.post(1, 2, 3, QDateTime(QDate(2026, 6, 8), QTime(10, 0), Qt::UTC)));
        QCOMPARE(hourly("post"), 1);
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.events WHERE type = 'post'"), 0);
    }

    /// Four threads send batches of the same users' days in different orders (so a user's
    /// new day often lands between days another batch is adding); signups come before and
    /// after. The counters kept per batch equal those rebuilt from active_hours.
    void countersUnderConcurrentBatches()
    {
        const QDateTime base = utc(2026, 5, 1, 12);
        for (qint64 u = 1; u <= 6; ++u)
            QVERIFY(f.signup(u, base.addDays(u)));
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 30; ++i) {
                    const int d = (i * 7 + t * 11) % 30;   // each thread its own order of days
                    QList<RawEvent> batch;
                    for (qint64 u = 1; u <= 12; ++u)
                        batch << session(QStringLiteral("t%1-%2-%3").arg(t).arg(i).arg(u), base.addDays(d).addSecs(3600 * (u % 5)));
                    for (qint64 u = 1; u <= 12; ++u) {
                        ParsedBatch one;
                        one.events = batch.mid(u - 1, 1);
                        if (!f.service->ingest(Sender{u, QStringLiteral("192.0.2.1"), false}, one, base))
                            ++failures;
                    }
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        for (qint64 u = 7; u <= 12; ++u)
            QVERIFY(f.signup(u, base.addDays(u)));
        const QString incremental = countersOf(f);
        QVERIFY(incremental.count(u'\n') > 30);
        QVERIFY(f.db->transact<void>([](pqxx::work &tx) -> Community::Result<void> {
            AnalyticsRepository(tx).rebuildCounters();
            return {};
        }));
        QCOMPARE(countersOf(f), incremental);
    }

    void liveFigures()
    {
        QVERIFY(f.client(1, {session("a", m_now)}));
        QVERIFY(f.client(2, {session("a", m_now), session("b", m_now)}));
        QVERIFY(f.client(0, {session("a", m_now)}, QStringLiteral("192.0.2.50")));
        auto live = f.service->live();
        QVERIFY(live);
        QCOMPARE(live->value("activeUsers").toInt(), 2);
        QCOMPARE(live->value("visitors").toInt(), 1);
        QCOMPARE(live->value("eventsPerMinute").toInt(), 4);
    }
};

QTEST_GUILESS_MAIN(TstAnalyticsService)
#include "tst_analyticsservice.moc"
