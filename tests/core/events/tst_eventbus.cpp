// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/database.h"
#include "community/host/postgreseventbus.h"
#include "community/host/migrator.h"
#include "testdb.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <QElapsedTimer>
#include <QtTest>

#include <functional>
#include <map>
#include <mutex>
#include <thread>

using namespace Community;
using namespace Community::Db;
using namespace Community::Events;
using Community::Test::TestDb;

namespace {

struct Recorder {
    std::mutex m;
    QList<Event> events;
    QList<qint64> times;  // ms since `clock` started, per handler call
    QElapsedTimer clock;
    Recorder() { clock.start(); }
    /// A consumer that records every event it is handed.
    std::function<Result<void>(const Event &)> handler()
    {
        return [this](const Event &e) -> Result<void> {
            add(e);
            return {};
        };
    }
    void add(const Event &e)
    {
        std::lock_guard l(m);
        events.append(e);
        times.append(clock.elapsed());
    }
    int count()
    {
        std::lock_guard l(m);
        return int(events.size());
    }
    QList<qint64> ids()
    {
        std::lock_guard l(m);
        QList<qint64> out;
        for (const auto &e : events)
            out.append(e.id);
        return out;
    }
};

EventBusConfig fastConfig()
{
    EventBusConfig c;
    c.pollIntervalMs = 100;
    c.backoffBaseMs = 50;
    c.backoffMaxMs = 1000;
    c.maxAttempts = 3;
    c.notifyCoalesceMs = 5;
    return c;
}

} // namespace

class TstEventBus : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void committedEventIsDelivered();
    void rolledBackEventIsNotDelivered();
    void deliveredInIdOrderUnderConcurrentPublishers();
    void openTransactionHoldsBackLaterEvents();
    void unrelatedOpenTransactionDoesNotHoldBackEvents();
    void failingHandlerBacksOffThenDeadLetters();
    void retryDeadRedelivers();
    void replayRedeliversFromId();
    void twoBusesShareAConsumerWithoutDuplicates();
    void eventsPublishedWhileStoppedAreDeliveredOnStart();
    void operatorViews();
    void retentionPrunesOnlyWhatEveryConsumerPassed();
    void batchConsumerTakesRunsAndIsolatesAFailure();

private:
    std::unique_ptr<TestDb> m_tdb;
    std::unique_ptr<Database> m_db;

    qint64 publish(EventBus &bus, const QString &type, const QString &aggregate, const QJsonObject &payload = {},
                   Database *db = nullptr)
    {
        auto r = (db ? db : m_db.get())->transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
            return bus.publish(tx, type, aggregate, payload);
        });
        return r ? *r : -1;
    }
    std::unique_ptr<Database> openDb()
    {
        auto db = std::make_unique<Database>(m_tdb->config(4));
        if (!db->open())
            qFatal("cannot open the test database");
        return db;
    }
};

void TstEventBus::init()
{
    m_tdb = std::make_unique<TestDb>();
    m_db = openDb();
    auto set = PostgresEventBus::migrations();
    QVERIFY2(set.has_value(), qPrintable(set ? QString() : set.error().message));
    QCOMPARE(set->plugin, QStringLiteral("events"));
    auto applied = Migrator(*m_db).migrate({*set});
    QVERIFY2(applied.has_value(), qPrintable(applied ? QString() : applied.error().logDetail));
}

void TstEventBus::cleanup()
{
    m_db.reset();
    m_tdb.reset();
}

void TstEventBus::committedEventIsDelivered()
{
    prometheus::Registry registry;
    PostgresEventBus bus(*m_db, fastConfig(), &registry);
    Recorder rec;
    bus.subscribe(QStringLiteral("c1"), {QStringLiteral("test.created")}, rec.handler());
    QVERIFY(bus.start().has_value());
    QElapsedTimer t;
    t.start();
    const qint64 other = publish(bus, QStringLiteral("test.other"), QStringLiteral("post:1"));
    const qint64 id = publish(bus, QStringLiteral("test.created"), QStringLiteral("post:1"), {{QStringLiteral("n"), 7}});
    QVERIFY(other > 0 && id > other);
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 1, 5000);
    qInfo("delivered %lld ms after publish", qint64(t.elapsed()));
    const Event e = rec.events.first();
    QCOMPARE(e.id, id);
    QCOMPARE(e.type, QStringLiteral("test.created"));
    QCOMPARE(e.aggregate, QStringLiteral("post:1"));
    QCOMPARE(e.payload.value(QStringLiteral("n")).toInt(), 7);
    QVERIFY(qAbs(e.createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    // The offset moves past the event (and the one of another type).
    QTRY_VERIFY_WITH_TIMEOUT(bus.consumers() && bus.consumers()->first().lastId >= id, 3000);
    const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
    QVERIFY(text.find("community_events_published_total 2") != std::string::npos);
    QVERIFY(text.find("community_events_delivered_total{consumer=\"c1\"} 1") != std::string::npos);
    QVERIFY(text.find("community_events_lag{consumer=\"c1\"}") != std::string::npos);
    // Invalid input is an error value.
    auto bad = m_db->transact<qint64>([&](pqxx::work &tx) { return bus.publish(tx, QStringLiteral("bad type"), QStringLiteral("x"), {}); });
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
}

void TstEventBus::rolledBackEventIsNotDelivered()
{
    PostgresEventBus bus(*m_db, fastConfig());
    Recorder rec;
    bus.subscribe(QStringLiteral("c1"), {}, rec.handler());
    QVERIFY(bus.start().has_value());
    auto r = m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!bus.publish(tx, QStringLiteral("test.created"), QStringLiteral("post:1"), {}))
            return fail(ErrorCode::Internal, QStringLiteral("publish failed"));
        return fail(ErrorCode::Conflict, QStringLiteral("changed my mind"));  // rolls back
    });
    QVERIFY(!r);
    const qint64 id = publish(bus, QStringLiteral("test.created"), QStringLiteral("post:2"));
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 1, 5000);
    QTest::qWait(300);
    QCOMPARE(rec.count(), 1);
    QCOMPARE(rec.events.first().id, id);
    QCOMPARE(rec.events.first().aggregate, QStringLiteral("post:2"));
    auto tail = bus.tail(0, 10);
    QVERIFY(tail.has_value());
    QCOMPARE(tail->size(), 1);
}

void TstEventBus::deliveredInIdOrderUnderConcurrentPublishers()
{
    PostgresEventBus bus(*m_db, fastConfig());
    Recorder rec;
    bus.subscribe(QStringLiteral("ordered"), {QStringLiteral("test.created")}, rec.handler());
    QVERIFY(bus.start().has_value());
    constexpr int threads = 4, perThread = 30;
    std::atomic<int> committed{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
        ts.emplace_back([&, t] {
            for (int i = 0; i < perThread; ++i) {
                // Every third transaction publishes twice and rolls back: gaps in the ids.
                const bool rollback = i % 3 == 2;
                auto r = m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
                    for (int k = 0; k < 2; ++k) {
                        auto id = bus.publish(tx, QStringLiteral("test.created"), QStringLiteral("post:%1").arg((t * perThread + i) % 5),
                                              {{QStringLiteral("t"), t}, {QStringLiteral("i"), i}});
                        if (!id)
                            return tl::unexpected(id.error());
                    }
                    if (rollback)
                        return fail(ErrorCode::Conflict, QStringLiteral("rollback"));
                    return {};
                });
                if (r)
                    committed += 2;
            }
        });
    }
    for (auto &t : ts)
        t.join();
    QCOMPARE(committed.load(), threads * (perThread - perThread / 3) * 2);
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), committed.load(), 10000);
    const QList<qint64> ids = rec.ids();
    for (int i = 1; i < ids.size(); ++i)
        QVERIFY2(ids[i - 1] < ids[i], qPrintable(QStringLiteral("out of order at %1: %2 then %3").arg(i).arg(ids[i - 1]).arg(ids[i])));
    QTest::qWait(200);
    QCOMPARE(rec.count(), committed.load());
}

void TstEventBus::openTransactionHoldsBackLaterEvents()
{
    PostgresEventBus bus(*m_db, fastConfig());
    Recorder rec;
    bus.subscribe(QStringLiteral("c1"), {}, rec.handler());
    QVERIFY(bus.start().has_value());
    for (bool commitFirst : {true, false}) {
        const int before = rec.count();
        pqxx::connection conn(m_tdb->conninfo());
        auto slow = std::make_unique<pqxx::work>(conn);
        auto first = bus.publish(*slow, QStringLiteral("test.slow"), QStringLiteral("post:1"), {});
        QVERIFY(first.has_value());
        const qint64 second = publish(bus, QStringLiteral("test.fast"), QStringLiteral("post:1"));
        QVERIFY(second > *first);
        // The later, committed event waits: the earlier id may still commit.
        QTest::qWait(400);
        QCOMPARE(rec.count(), before);
        if (commitFirst) {
            slow->commit();
            QTRY_COMPARE_WITH_TIMEOUT(rec.count(), before + 2, 5000);
            QCOMPARE(rec.ids().mid(before), (QList<qint64>{*first, second}));
        } else {
            slow->abort();
            QTRY_COMPARE_WITH_TIMEOUT(rec.count(), before + 1, 5000);
            QCOMPARE(rec.ids().mid(before), (QList<qint64>{second}));
        }
    }
}

// A gap waits for the transaction that holds its id, not for every transaction that was
// running when it was seen: a session idle in a write transaction (an operator's psql, a
// consumer's long batch) must not stall delivery.
void TstEventBus::unrelatedOpenTransactionDoesNotHoldBackEvents()
{
    PostgresEventBus bus(*m_db, fastConfig());
    Recorder rec;
    bus.subscribe(QStringLiteral("c1"), {}, rec.handler());
    QVERIFY(bus.start().has_value());
    pqxx::connection idleConn(m_tdb->conninfo());
    pqxx::work idle(idleConn);
    idle.exec("SELECT pg_current_xact_id()");   // holds an xid until the test ends
    for (bool commitFirst : {true, false}) {
        const int before = rec.count();
        pqxx::connection conn(m_tdb->conninfo());
        auto slow = std::make_unique<pqxx::work>(conn);
        auto first = bus.publish(*slow, QStringLiteral("test.slow"), QStringLiteral("post:1"), {});
        QVERIFY(first.has_value());
        const qint64 second = publish(bus, QStringLiteral("test.fast"), QStringLiteral("post:1"));
        QTest::qWait(300);
        QCOMPARE(rec.count(), before);   // the holder of the earlier id is still running
        QElapsedTimer t;
        t.start();
        if (commitFirst)
            slow->commit();
        else
            slow->abort();
        const QList<qint64> expected = commitFirst ? QList<qint64>{*first, second} : QList<qint64>{second};
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(), before + int(expected.size()), 5000);
        qInfo("delivered %lld ms after the holder %s", qint64(t.elapsed()), commitFirst ? "committed" : "rolled back");
        QCOMPARE(rec.ids().mid(before), expected);
    }
    idle.abort();
}

void TstEventBus::failingHandlerBacksOffThenDeadLetters()
{
    prometheus::Registry registry;
    PostgresEventBus bus(*m_db, fastConfig(), &registry);
    Recorder rec;
    Recorder attempts;
    bus.subscribe(QStringLiteral("flaky"), {}, [&](const Event &e) -> Result<void> {
        if (e.aggregate == QLatin1String("bad")) {
            attempts.add(e);
            return fail(ErrorCode::Unavailable, QStringLiteral("boom"));
        }
        rec.add(e);
        return {};
    });
    QVERIFY(bus.start().has_value());
    const qint64 bad = publish(bus, QStringLiteral("test.created"), QStringLiteral("bad"));
    const qint64 good = publish(bus, QStringLiteral("test.created"), QStringLiteral("good"));
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 1, 10000);
    // Three attempts (maxAttempts), later events only after the failing one is dead.
    QCOMPARE(attempts.count(), 3);
    QCOMPARE(rec.events.first().id, good);
    QVERIFY(rec.times.first() >= attempts.times.last());
    // Backoff: 50 ms, then 100 ms (plus dispatch granularity).
    const qint64 gap1 = attempts.times[1] - attempts.times[0];
    const qint64 gap2 = attempts.times[2] - attempts.times[1];
    qInfo("retry gaps: %lld ms, %lld ms", gap1, gap2);
    QVERIFY(gap1 >= 45);
    QVERIFY(gap2 >= 95);
    auto st = bus.consumers();
    QVERIFY(st.has_value());
    QCOMPARE(st->size(), 1);
    QCOMPARE(st->first().dead, 1);
    QVERIFY(st->first().lastId >= good);
    auto err = m_db->read<QString>([&](pqxx::nontransaction &tx) -> Result<QString> {
        auto r = tx.exec_params("SELECT last_error || ':' || attempts || ':' || dead FROM events.deliveries WHERE event_id = $1", bad);
        return QString::fromStdString(r[0][0].as<std::string>());
    });
    QVERIFY(err.has_value());
    QCOMPARE(*err, QStringLiteral("boom:3:true"));
    const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
    QVERIFY(text.find("community_events_failed_total{consumer=\"flaky\"} 3") != std::string::npos);
    QVERIFY(text.find("community_events_dead{consumer=\"flaky\"} 1") != std::string::npos);
}

void TstEventBus::retryDeadRedelivers()
{
    auto cfg = fastConfig();
    cfg.maxAttempts = 1;
    PostgresEventBus bus(*m_db, cfg);
    Recorder rec;
    std::atomic_bool healthy{false};
    std::atomic<int> failures{0};
    bus.subscribe(QStringLiteral("c1"), {}, [&](const Event &e) -> Result<void> {
        if (!healthy && e.aggregate == QLatin1String("bad")) {
            ++failures;
            return fail(ErrorCode::Unavailable, QStringLiteral("down"));
        }
        rec.add(e);
        return {};
    });
    QVERIFY(bus.start().has_value());
    const qint64 bad = publish(bus, QStringLiteral("test.created"), QStringLiteral("bad"));
    publish(bus, QStringLiteral("test.created"), QStringLiteral("good"));
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 1, 5000);
    QCOMPARE(failures.load(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(bus.consumers() && bus.consumers()->first().dead == 1, 3000);
    healthy = true;
    auto n = bus.retryDead(QStringLiteral("c1"));
    QVERIFY(n.has_value());
    QCOMPARE(*n, 1);
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 2, 5000);
    QCOMPARE(rec.events.last().id, bad);
    QTRY_VERIFY_WITH_TIMEOUT(bus.consumers()->first().dead == 0 && bus.consumers()->first().retrying == 0, 3000);
    auto none = bus.retryDead(QStringLiteral("nobody"));
    QVERIFY(!none);
    QCOMPARE(none.error().code, ErrorCode::NotFound);
}

void TstEventBus::replayRedeliversFromId()
{
    PostgresEventBus bus(*m_db, fastConfig());
    Recorder rec;
    bus.subscribe(QStringLiteral("proj"), {}, rec.handler());
    QVERIFY(bus.start().has_value());
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids << publish(bus, QStringLiteral("test.created"), QStringLiteral("post:%1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 5, 5000);
    QVERIFY(bus.replay(QStringLiteral("proj"), ids[2]).has_value());
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 8, 5000);
    QCOMPARE(rec.ids().mid(5), ids.mid(2));
    auto r = bus.replay(QStringLiteral("nobody"), 1);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QCOMPARE(bus.replay(QStringLiteral("proj"), 0).error().code, ErrorCode::InvalidArgument);
}

void TstEventBus::twoBusesShareAConsumerWithoutDuplicates()
{
    auto db2 = openDb();
    PostgresEventBus a(*m_db, fastConfig());
    PostgresEventBus b(*db2, fastConfig());
    std::mutex m;
    std::map<qint64, int> seen;
    QList<qint64> sequence;  // handler calls across both buses, in call order
    int byA = 0, byB = 0;
    auto handler = [&](int &counter) {
        return [&](const Event &e) -> Result<void> {
            std::lock_guard l(m);
            ++seen[e.id];
            sequence.append(e.id);
            ++counter;
            return {};
        };
    };
    a.subscribe(QStringLiteral("shared"), {}, handler(byA));
    b.subscribe(QStringLiteral("shared"), {}, handler(byB));
    QVERIFY(a.start().has_value());
    QVERIFY(b.start().has_value());
    constexpr int total = 200;
    std::thread t1([&] { for (int i = 0; i < total / 2; ++i) publish(a, QStringLiteral("test.created"), QStringLiteral("post:%1").arg(i % 7)); });
    std::thread t2([&] { for (int i = 0; i < total / 2; ++i) publish(b, QStringLiteral("test.created"), QStringLiteral("post:%1").arg(i % 7), {}, db2.get()); });
    t1.join();
    t2.join();
    auto delivered = [&] {
        std::lock_guard l(m);
        return int(seen.size());
    };
    QTRY_COMPARE_WITH_TIMEOUT(delivered(), total, 10000);
    QTest::qWait(300);
    std::lock_guard l(m);
    for (const auto &[id, n] : seen)
        QVERIFY2(n == 1, qPrintable(QStringLiteral("event %1 handled %2 times").arg(id).arg(n)));
    QCOMPARE(byA + byB, total);
    // One claimant at a time: the consumer sees the ids in order even across processes.
    for (int i = 1; i < sequence.size(); ++i)
        QVERIFY(sequence[i - 1] < sequence[i]);
    qInfo("handled by bus a: %d, by bus b: %d", byA, byB);
    a.stop();
    b.stop();
}

void TstEventBus::eventsPublishedWhileStoppedAreDeliveredOnStart()
{
    QList<qint64> ids;
    {
        // A publisher without any dispatcher running (e.g. a node that crashed before delivery).
        PostgresEventBus publisher(*m_db, fastConfig());
        for (int i = 0; i < 3; ++i)
            ids << publish(publisher, QStringLiteral("test.created"), QStringLiteral("post:%1").arg(i));
    }
    Recorder rec;
    {
        PostgresEventBus bus(*m_db, fastConfig());
        bus.subscribe(QStringLiteral("late"), {}, [&](const Event &e) -> Result<void> {
            rec.add(e);
            return {};
        });
        QVERIFY(bus.start().has_value());
        QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 3, 5000);
        QCOMPARE(rec.ids(), ids);
        bus.stop();
        ids << publish(bus, QStringLiteral("test.created"), QStringLiteral("post:9"));
    }
    // A new dispatcher continues from the stored offset: only the new event.
    PostgresEventBus again(*m_db, fastConfig());
    again.subscribe(QStringLiteral("late"), {}, rec.handler());
    QVERIFY(again.start().has_value());
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 4, 5000);
    QTest::qWait(200);
    QCOMPARE(rec.ids(), ids);
}

void TstEventBus::operatorViews()
{
    PostgresEventBus bus(*m_db, fastConfig());
    bus.subscribe(QStringLiteral("a"), {QStringLiteral("x.y")}, [](const Event &) -> Result<void> { return {}; });
    bus.subscribe(QStringLiteral("b"), {QStringLiteral("x.z")}, [](const Event &) -> Result<void> { return {}; });
    QVERIFY(bus.start().has_value());
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids << publish(bus, QStringLiteral("x.y"), QStringLiteral("agg:%1").arg(i), {{QStringLiteral("i"), i}});
    auto after = bus.tail(ids[1], 2);
    QVERIFY(after.has_value());
    QCOMPARE(after->size(), 2);
    QCOMPARE(after->at(0).id, ids[2]);
    QCOMPARE(after->at(1).payload.value(QStringLiteral("i")).toInt(), 3);
    auto newest = bus.tail(-1, 2);
    QVERIFY(newest.has_value());
    QCOMPARE(newest->size(), 2);
    QCOMPARE(newest->at(1).id, ids[4]);
    // Both consumers reach the end (b has none of its types, its offset still moves).
    QTRY_VERIFY_WITH_TIMEOUT(bus.consumers() && bus.consumers()->size() == 2 && bus.consumers()->at(0).lag == 0
                                 && bus.consumers()->at(1).lag == 0, 5000);
    QCOMPARE(bus.consumers()->at(1).lastId, ids[4]);
}

void TstEventBus::retentionPrunesOnlyWhatEveryConsumerPassed()
{
    // A consumer of another node, registered but not dispatched here: it lags behind.
    QVERIFY(m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("INSERT INTO events.consumers (consumer) VALUES ('elsewhere.slow')");
        return {};
    }));
    prometheus::Registry registry;
    auto cfg = fastConfig();
    cfg.maxAttempts = 1;
    cfg.retentionHours = 1;
    cfg.retentionIntervalMs = 50;
    cfg.retentionBatch = 2;  // several DELETE batches per run
    PostgresEventBus bus(*m_db, cfg, &registry);
    Recorder rec;
    std::atomic_bool healthy{false};
    bus.subscribe(QStringLiteral("fast"), {}, [&](const Event &e) -> Result<void> {
        if (!healthy && e.aggregate == QLatin1String("bad"))
            return fail(ErrorCode::Unavailable, QStringLiteral("down"));
        rec.add(e);
        return {};
    });
    QVERIFY(bus.start().has_value());
    QList<qint64> ids;
    for (int i = 0; i < 8; ++i)
        ids << publish(bus, QStringLiteral("test.created"), i == 1 ? QStringLiteral("bad") : QStringLiteral("post:%1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 7, 5000);
    auto fastStatus = [&] {
        const auto list = bus.consumers();
        for (const ConsumerStatus &c : list.value_or(QList<ConsumerStatus>{}))
            if (c.consumer == QLatin1String("fast"))
                return c;
        return ConsumerStatus{};
    };
    QTRY_VERIFY_WITH_TIMEOUT(fastStatus().lastId >= ids[7] && fastStatus().dead == 1, 5000);

    auto exec = [&](const std::string &sql, const std::string &arg) {
        return m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
            tx.exec_params(sql, arg);
            return {};
        }).has_value();
    };
    auto outboxIds = [&] {
        auto r = m_db->read<QList<qint64>>([](pqxx::nontransaction &tx) -> Result<QList<qint64>> {
            QList<qint64> out;
            for (const auto &row : tx.exec("SELECT id FROM events.outbox ORDER BY id"))
                out << row[0].as<qint64>();
            return out;
        });
        return r ? *r : QList<qint64>{-1};
    };
    auto prunedMetric = [&] {
        const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
        const auto at = text.find("\ncommunity_events_pruned_total ");
        return at == std::string::npos ? -1 : std::stoi(text.substr(at + 31));
    };
    // Everything is younger than the retention: nothing goes, however often the job runs.
    QTest::qWait(300);
    QCOMPARE(outboxIds(), ids);
    QCOMPARE(prunedMetric(), 0);

    // 0-5 are old; the other node's consumer has passed 3; 1 is a dead letter of "fast".
    const std::string idList = QStringLiteral("{%1,%2,%3,%4,%5,%6}").arg(ids[0]).arg(ids[1]).arg(ids[2]).arg(ids[3])
                                   .arg(ids[4]).arg(ids[5]).toStdString();
    QVERIFY(exec("UPDATE events.outbox SET created_at = now() - interval '2 hours' WHERE id = ANY($1::bigint[])", idList));
    QVERIFY(exec("UPDATE events.consumers SET last_id = $1::bigint WHERE consumer = 'elsewhere.slow'", std::to_string(ids[3])));
    const QList<qint64> afterFirst{ids[1], ids[4], ids[5], ids[6], ids[7]};
    QTRY_COMPARE_WITH_TIMEOUT(outboxIds(), afterFirst, 5000);
    QCOMPARE(prunedMetric(), 3);
    QTest::qWait(300);
    QCOMPARE(outboxIds(), afterFirst);  // 4 and 5 are old but not passed by every consumer

    // The slow consumer catches up: 4 and 5 go; 6 and 7 are young, 1 is still a dead letter.
    QVERIFY(exec("UPDATE events.consumers SET last_id = $1::bigint WHERE consumer = 'elsewhere.slow'", std::to_string(ids[7])));
    QTRY_COMPARE_WITH_TIMEOUT(outboxIds(), (QList<qint64>{ids[1], ids[6], ids[7]}), 5000);

    // Retried and delivered, the dead letter is no longer referenced: it goes too.
    healthy = true;
    QCOMPARE(bus.retryDead(QStringLiteral("fast")).value_or(-1), 1);
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 8, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(outboxIds(), (QList<qint64>{ids[6], ids[7]}), 5000);
    QCOMPARE(prunedMetric(), 6);

    // Delivery goes on across the pruned ids.
    const qint64 next = publish(bus, QStringLiteral("test.created"), QStringLiteral("post:8"));
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(), 9, 5000);
    QCOMPARE(rec.ids().last(), next);
}

// subscribeBatch: events published while the consumer is stopped come in one call; a
// failing batch is handed over again one event at a time, so the good events go through
// and only the bad one backs off and dies.
void TstEventBus::batchConsumerTakesRunsAndIsolatesAFailure()
{
    QList<qint64> ids;
    {
        PostgresEventBus publisher(*m_db, fastConfig());
        for (int i = 0; i < 5; ++i)
            ids.append(publish(publisher, QStringLiteral("test.created"), i == 3 ? QStringLiteral("bad") : QStringLiteral("good")));
    }
    prometheus::Registry registry;
    PostgresEventBus bus(*m_db, fastConfig(), &registry);
    std::mutex m;
    QList<int> sizes;
    QList<qint64> handled;
    int badAttempts = 0;
    bus.subscribeBatch(QStringLiteral("batched"), {}, [&](const QList<Event> &events) -> Result<void> {
        std::lock_guard l(m);
        sizes.append(int(events.size()));
        for (const Event &e : events)
            if (e.aggregate == QLatin1String("bad")) {
                if (events.size() == 1)
                    ++badAttempts;
                return fail(ErrorCode::Unavailable, QStringLiteral("bad one"));   // all or nothing
            }
        for (const Event &e : events)
            handled.append(e.id);
        return {};
    });
    QVERIFY(bus.start().has_value());
    QTRY_VERIFY_WITH_TIMEOUT(bus.consumers() && bus.consumers()->first().dead == 1, 10000);
    std::lock_guard l(m);
    qInfo() << "calls by size:" << sizes;
    QCOMPARE(sizes.first(), 5);                 // the first call had all five
    QCOMPARE(badAttempts, 3);                   // then one by one: maxAttempts for the bad one
    QCOMPARE(handled, (QList<qint64>{ids[0], ids[1], ids[2], ids[4]}));   // each good one once, in order
    QVERIFY(bus.consumers()->first().lastId >= ids[4]);
    const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
    QVERIFY(text.find("community_events_delivered_total{consumer=\"batched\"} 4") != std::string::npos);
}

QTEST_GUILESS_MAIN(TstEventBus)
#include "tst_eventbus.moc"
