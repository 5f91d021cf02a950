// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/database.h"
#include "db/connectionpool.h"
#include "db/workerpool.h"
#include "testdb.h"

#include <prometheus/registry.h>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <atomic>
#include <future>
#include <latch>
#include <set>
#include <thread>

using namespace Community;
using namespace Community::Db;
using Community::Test::TestDb;

namespace {

ConnectionPool::Options optionsFor(const TestDb &db, int size, int timeoutMs = 2000)
{
    ConnectionPool::Options o;
    o.connectionString = db.conninfo();
    o.maxSize = size;
    o.acquireTimeoutMs = timeoutMs;
    o.statementTimeoutMs = 5000;
    return o;
}

int backendPid(pqxx::connection &c)
{
    pqxx::nontransaction n(c);
    return n.exec("SELECT pg_backend_pid()")[0][0].as<int>();
}

double gaugeValue(prometheus::Registry &registry, const std::string &name)
{
    for (const auto &family : registry.Collect())
        if (family.name == name && !family.metric.empty())
            return family.metric.front().gauge.value;
    return -1;
}

// Waits (bounded) for a condition polled from the test thread.
template<typename F>
bool waitFor(F cond, int ms = 5000)
{
    QElapsedTimer t;
    t.start();
    while (!cond()) {
        if (t.elapsed() > ms)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

} // namespace

class TstConnectionPool : public QObject {
    Q_OBJECT
private slots:
    void acquireRelease();
    void sessionSettings();
    void acquireTimeout();
    void waiterGetsReleasedConnection();
    void concurrentLoad();
    void terminatedBackendsAreReplaced();
    void gauges();
    void workerQueueFull();
    void workerCloseDrainsAndJoins();
    void respondOverloaded();
    void respondSendsResultAndProblem();
};

void TstConnectionPool::acquireRelease()
{
    TestDb db;
    ConnectionPool pool(optionsFor(db, 2));
    QCOMPARE(pool.size(), 0);  // lazy: nothing opened yet
    int pid = 0;
    {
        auto lease = pool.acquire();
        QVERIFY2(lease.has_value(), qPrintable(lease ? QString() : lease.error().logDetail));
        QCOMPARE(pool.size(), 1);
        QCOMPARE(pool.inUse(), 1);
        pid = backendPid(lease->connection());
    }
    QCOMPARE(pool.inUse(), 0);
    QCOMPARE(pool.size(), 1);
    auto again = pool.acquire();
    QVERIFY(again.has_value());
    QCOMPARE(backendPid(again->connection()), pid);  // reused, not reopened
    QCOMPARE(pool.size(), 1);
}

void TstConnectionPool::sessionSettings()
{
    TestDb db;
    ConnectionPool pool(optionsFor(db, 1));
    auto lease = pool.acquire();
    QVERIFY(lease.has_value());
    pqxx::nontransaction n(lease->connection());
    QCOMPARE(n.exec("SHOW statement_timeout")[0][0].as<std::string>(), std::string("5s"));
    QCOMPARE(n.exec("SHOW application_name")[0][0].as<std::string>(), std::string("communityd"));
}

void TstConnectionPool::acquireTimeout()
{
    TestDb db;
    ConnectionPool pool(optionsFor(db, 2, 200));
    auto a = pool.acquire();
    auto b = pool.acquire();
    QVERIFY(a && b);
    QElapsedTimer t;
    t.start();
    auto c = pool.acquire();
    QVERIFY(!c.has_value());
    QCOMPARE(c.error().code, ErrorCode::Timeout);
    QVERIFY2(t.elapsed() >= 180, qPrintable(QString::number(t.elapsed())));
    QVERIFY(t.elapsed() < 2000);
    QCOMPARE(pool.waiting(), 0);
    QCOMPARE(pool.inUse(), 2);
    QCOMPARE(pool.size(), 2);
}

void TstConnectionPool::waiterGetsReleasedConnection()
{
    TestDb db;
    ConnectionPool pool(optionsFor(db, 1, 5000));
    auto a = pool.acquire();
    QVERIFY(a.has_value());
    const int pid = backendPid(a->connection());
    auto fut = std::async(std::launch::async, [&] {
        auto l = pool.acquire();
        return l ? backendPid(l->connection()) : -1;
    });
    QVERIFY(waitFor([&] { return pool.waiting() == 1; }));
    a->release();
    QCOMPARE(fut.get(), pid);
    QCOMPARE(pool.waiting(), 0);
    QCOMPARE(pool.inUse(), 0);
}

void TstConnectionPool::concurrentLoad()
{
    TestDb tdb;
    auto cfg = tdb.config(4);
    cfg.acquireTimeoutMs = 10'000;
    Database db(cfg);
    QVERIFY(db.open().has_value());
    constexpr int threads = 50;
    constexpr int perThread = 40;
    std::atomic<int> ok{0}, failed{0}, maxInUse{0};
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
        pool.emplace_back([&, i] {
            for (int j = 0; j < perThread; ++j) {
                auto r = db.transact<int>([&](pqxx::work &tx) -> Result<int> {
                    const int now = db.poolInUse();
                    int prev = maxInUse.load();
                    while (now > prev && !maxInUse.compare_exchange_weak(prev, now)) {}
                    return tx.exec_params("SELECT $1::int + $2::int", i, j)[0][0].as<int>();
                });
                (r && *r == i + j) ? ++ok : ++failed;
            }
        });
    }
    for (auto &t : pool)
        t.join();
    QCOMPARE(failed.load(), 0);
    QCOMPARE(ok.load(), threads * perThread);
    QVERIFY(maxInUse.load() >= 1);
    QVERIFY2(maxInUse.load() <= 4, qPrintable(QString::number(maxInUse.load())));
    QVERIFY(db.poolSize() <= 4);
    QCOMPARE(db.poolInUse(), 0);
    QCOMPARE(db.poolWaiting(), 0);

    // The server agrees: never more than the pool's connections.
    pqxx::connection admin(tdb.conninfo());
    pqxx::nontransaction n(admin);
    const int backends = n.exec("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                "current_database() AND application_name = 'communityd'")[0][0]
                             .as<int>();
    QVERIFY(backends >= 1 && backends <= 4);
}

void TstConnectionPool::terminatedBackendsAreReplaced()
{
    TestDb tdb;
    Database db(tdb.config(4));
    QVERIFY(db.open().has_value());

    // Warm up all four connections at once.
    std::latch together(4);
    std::vector<std::thread> ts;
    std::set<int> oldPids;
    std::mutex m;
    for (int i = 0; i < 4; ++i)
        ts.emplace_back([&] {
            auto r = db.transact<int>([&](pqxx::work &tx) -> Result<int> {
                together.arrive_and_wait();
                return tx.exec("SELECT pg_backend_pid()")[0][0].as<int>();
            });
            std::lock_guard g(m);
            if (r)
                oldPids.insert(*r);
        });
    for (auto &t : ts)
        t.join();
    QCOMPARE(int(oldPids.size()), 4);
    QCOMPARE(db.poolSize(), 4);

    pqxx::connection admin(tdb.conninfo());
    {
        pqxx::nontransaction n(admin);
        const int killed = n.exec("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                                  "pg_stat_activity WHERE datname = current_database() AND "
                                  "application_name = 'communityd' AND pid <> pg_backend_pid()) k")
                               [0][0].as<int>();
        QCOMPARE(killed, 4);
    }
    // Let the server finish tearing them down.
    QVERIFY(waitFor([&] {
        pqxx::nontransaction n(admin);
        return n.exec("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND application_name = 'communityd'")[0][0].as<int>() == 0;
    }));

    auto r = db.transact<int>([](pqxx::work &tx) -> Result<int> {
        return tx.exec("SELECT pg_backend_pid()")[0][0].as<int>();
    });
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().logDetail));
    QVERIFY(!oldPids.count(*r));
    // And everything afterwards works too.
    for (int i = 0; i < 10; ++i) {
        auto again = db.transact<int>([](pqxx::work &tx) -> Result<int> {
            return tx.exec("SELECT 1")[0][0].as<int>();
        });
        QVERIFY(again.has_value());
    }
    QCOMPARE(db.poolInUse(), 0);
}

void TstConnectionPool::gauges()
{
    TestDb tdb;
    auto cfg = tdb.config(2);
    cfg.workers = 1;
    cfg.queueLimit = 4;
    prometheus::Registry registry;  // must outlive the Database that updates its gauges
    Database db(cfg);
    db.registerMetrics(registry);
    QVERIFY(db.open().has_value());
    QCOMPARE(gaugeValue(registry, "community_db_pool_size"), 1.0);
    QCOMPARE(gaugeValue(registry, "community_db_pool_in_use"), 0.0);
    QCOMPARE(gaugeValue(registry, "community_db_pool_waiting"), 0.0);

    auto inside = db.transact<double>([&](pqxx::work &) -> Result<double> {
        return gaugeValue(registry, "community_db_pool_in_use");
    });
    QVERIFY(inside.has_value());
    QCOMPARE(*inside, 1.0);
    QCOMPARE(gaugeValue(registry, "community_db_pool_in_use"), 0.0);

    // Worker gauges: one job running, two queued.
    std::promise<void> go;
    std::shared_future<void> gate = go.get_future().share();
    std::atomic<int> ran{0};
    for (int i = 0; i < 3; ++i)
        QVERIFY(db.trySubmit([gate, &ran] { gate.wait(); ++ran; }));
    QVERIFY(waitFor([&] { return gaugeValue(registry, "community_worker_active") == 1.0; }));
    QCOMPARE(gaugeValue(registry, "community_worker_queue_depth"), 2.0);
    QCOMPARE(db.queueDepth(), 2);
    go.set_value();
    QVERIFY(waitFor([&] { return ran.load() == 3; }));
    QVERIFY(waitFor([&] { return gaugeValue(registry, "community_worker_active") == 0.0; }));
    QCOMPARE(gaugeValue(registry, "community_worker_queue_depth"), 0.0);

    // A waiter shows up in the waiting gauge.
    auto l1 = std::async(std::launch::async, [&] {
        return db.transact<int>([&](pqxx::work &) -> Result<int> {
            QThread::msleep(400);
            return 1;
        });
    });
    auto l2 = std::async(std::launch::async, [&] {
        return db.transact<int>([&](pqxx::work &) -> Result<int> {
            QThread::msleep(400);
            return 1;
        });
    });
    QVERIFY(waitFor([&] { return gaugeValue(registry, "community_db_pool_in_use") == 2.0; }));
    auto l3 = std::async(std::launch::async, [&] {
        return db.transact<int>([](pqxx::work &) -> Result<int> { return 1; });
    });
    QVERIFY(waitFor([&] { return gaugeValue(registry, "community_db_pool_waiting") == 1.0; }));
    QVERIFY(l1.get() && l2.get() && l3.get());
    QCOMPARE(gaugeValue(registry, "community_db_pool_waiting"), 0.0);
    QCOMPARE(gaugeValue(registry, "community_db_pool_size"), 2.0);
}

void TstConnectionPool::workerQueueFull()
{
    WorkerPool pool(1, 2);
    QVERIFY(!pool.trySubmit([] {}));  // not started
    pool.start();
    std::promise<void> go;
    std::shared_future<void> gate = go.get_future().share();
    std::atomic<int> ran{0};
    QVERIFY(pool.trySubmit([gate, &ran] { gate.wait(); ++ran; }));
    QVERIFY(waitFor([&] { return pool.active() == 1; }));
    QVERIFY(pool.trySubmit([&ran] { ++ran; }));
    QVERIFY(pool.trySubmit([&ran] { ++ran; }));
    QCOMPARE(pool.queueDepth(), 2);
    QVERIFY(!pool.trySubmit([&ran] { ++ran; }));  // full
    go.set_value();
    QVERIFY(waitFor([&] { return ran.load() == 3; }));
    QVERIFY(waitFor([&] { return pool.active() == 0; }));
    QVERIFY(pool.trySubmit([&ran] { ++ran; }));
    pool.close(std::chrono::seconds(5));
    QCOMPARE(ran.load(), 4);
    QVERIFY(!pool.trySubmit([] {}));  // closed
}

void TstConnectionPool::workerCloseDrainsAndJoins()
{
    std::atomic<int> ran{0};
    {
        WorkerPool pool(3, 100);
        pool.start();
        for (int i = 0; i < 30; ++i)
            QVERIFY(pool.trySubmit([&ran] {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                ++ran;
            }));
        QVERIFY(pool.trySubmit([] { throw std::runtime_error("escaped"); }));  // caught, logged
        pool.close(std::chrono::seconds(10));
        QCOMPARE(ran.load(), 30);
        QVERIFY(!pool.isRunning());
        // Restartable.
        pool.start();
        QVERIFY(pool.trySubmit([&ran] { ++ran; }));
        pool.close(std::chrono::seconds(10));
        QCOMPARE(ran.load(), 31);

        // A zero deadline drops what is still queued.
        pool.start();
        std::promise<void> go;
        std::shared_future<void> gate = go.get_future().share();
        for (int i = 0; i < 3; ++i)
            QVERIFY(pool.trySubmit([gate] { gate.wait(); }));
        QVERIFY(waitFor([&] { return pool.active() == 3; }));
        for (int i = 0; i < 5; ++i)
            QVERIFY(pool.trySubmit([&ran] { ++ran; }));
        std::thread releaser([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            go.set_value();
        });
        pool.close(std::chrono::milliseconds(0));
        releaser.join();
        QCOMPARE(ran.load(), 31);
    }
}

void TstConnectionPool::respondOverloaded()
{
    TestDb tdb;
    auto cfg = tdb.config(1);
    cfg.workers = 1;
    cfg.queueLimit = 0;
    Database db(cfg);
    QVERIFY(db.open().has_value());

    std::promise<void> go;
    std::shared_future<void> gate = go.get_future().share();
    QVERIFY(db.trySubmit([gate] { gate.wait(); }));
    QVERIFY(waitFor([&] { return !db.trySubmit([] {}); }));

    Http::HttpResponse captured;
    std::atomic<int> delivered{0};
    Http::Responder responder([&](Http::HttpResponse &&r) {
        captured = std::move(r);
        ++delivered;
    });
    Http::HttpRequest request;
    request.requestId = QStringLiteral("req-overload");
    std::atomic<bool> workRan{false};
    db.respond(request, responder, [&](pqxx::work &) -> Result<Http::HttpResponse> {
        workRan = true;
        return Http::HttpResponse::empty(204);
    });
    // Answered synchronously, without waiting for the worker.
    QCOMPARE(delivered.load(), 1);
    QCOMPARE(captured.status, 503);
    QCOMPARE(captured.header("retry-after"), QByteArray("1"));
    const auto body = QJsonDocument::fromJson(captured.body).object();
    QVERIFY2(body.value(QStringLiteral("type")).toString().endsWith(QStringLiteral("overloaded")),
             captured.body.constData());
    go.set_value();
    db.close(std::chrono::seconds(5));
    QVERIFY(!workRan.load());
}

void TstConnectionPool::respondSendsResultAndProblem()
{
    TestDb tdb;
    Database db(tdb.config(2));
    QVERIFY(db.open().has_value());

    auto run = [&](std::function<Result<Http::HttpResponse>(pqxx::work &)> work) {
        auto promise = std::make_shared<std::promise<Http::HttpResponse>>();
        auto fut = promise->get_future();
        Http::Responder responder([promise](Http::HttpResponse &&r) { promise->set_value(r); });
        Http::HttpRequest request;
        request.requestId = QStringLiteral("req-42");
        db.respond(request, responder, std::move(work));
        // The request is gone before the job runs: the job must not refer to it.
        request = Http::HttpRequest();
        if (fut.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
            return Http::HttpResponse::empty(0);
        return fut.get();
    };

    auto ok = run([](pqxx::work &tx) -> Result<Http::HttpResponse> {
        const int v = tx.exec("SELECT 41 + 1")[0][0].as<int>();
        return Http::HttpResponse::json(200, QJsonObject{{QStringLiteral("v"), v}});
    });
    QCOMPARE(ok.status, 200);
    QCOMPARE(QJsonDocument::fromJson(ok.body).object().value(QStringLiteral("v")).toInt(), 42);

    auto conflict = run([](pqxx::work &) -> Result<Http::HttpResponse> {
        return fail(ErrorCode::Conflict, QStringLiteral("name taken"));
    });
    QCOMPARE(conflict.status, 409);
    QVERIFY(conflict.body.contains("req-42"));

    auto internal = run([](pqxx::work &tx) -> Result<Http::HttpResponse> {
        tx.exec("SELEC broken");
        return Http::HttpResponse::empty(204);
    });
    QCOMPARE(internal.status, 500);
    QVERIFY(!internal.body.contains("SELEC"));  // server detail is logged, never sent
}

QTEST_GUILESS_MAIN(TstConnectionPool)
#include "tst_connectionpool.moc"
