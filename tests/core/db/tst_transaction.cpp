// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/database.h"
#include "community/problem.h"
#include "testdb.h"

#include <QtTest>

#include <atomic>
#include <latch>
#include <limits>
#include <set>
#include <thread>

using namespace Community;
using namespace Community::Db;
using Community::Test::TestDb;

class TstTransaction : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void commitsOnSuccess();
    void errorResultRollsBack();
    void exceptionRollsBackAndIsMapped();
    void serializationFailureRetried();
    void manyConcurrentSerializableIncrements();
    void retriesExhausted();
    void uniqueViolationIsConflict();
    void checkViolationIsInternal();
    void notNullAndDataExceptionsAreInternalForeignKeyIsConflict();
    void internalDetailHasQueryButNoRowData();
    void syntaxErrorIsInternalWithDetail();
    void statementTimeoutIsTimeout();
    void mapExceptionTable_data();
    void mapExceptionTable();
    void withConnectionRuns();
    void brokenConnectionMidTransactionRetried();
    void acquireTimeoutPropagates();

private:
    std::unique_ptr<TestDb> m_tdb;
    std::unique_ptr<Database> m_db;

    int counter()
    {
        auto r = m_db->transact<int>([](pqxx::work &tx) -> Result<int> {
            return tx.exec("SELECT n FROM counter WHERE id = 1")[0][0].as<int>();
        });
        return r ? *r : -1;
    }
};

void TstTransaction::init()
{
    m_tdb = std::make_unique<TestDb>();
    auto cfg = m_tdb->config(4);
    cfg.maxRetries = 10;
    m_db = std::make_unique<Database>(cfg);
    QVERIFY(m_db->open().has_value());
    auto r = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL);"
                "INSERT INTO counter VALUES (1, 0);"
                "CREATE TABLE users (id serial PRIMARY KEY, name text UNIQUE NOT NULL,"
                "  age int CHECK (age >= 0));"
                "CREATE TABLE posts (id serial PRIMARY KEY, author int NOT NULL REFERENCES users(id))");
        return {};
    });
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().logDetail));
}

void TstTransaction::cleanup()
{
    m_db.reset();
    m_tdb.reset();
}

void TstTransaction::commitsOnSuccess()
{
    auto r = m_db->transact<int>([](pqxx::work &tx) -> Result<int> {
        return tx.exec("INSERT INTO users(name, age) VALUES ('ann', 30) RETURNING id")[0][0].as<int>();
    });
    QVERIFY(r.has_value());
    QVERIFY(*r > 0);
    auto n = m_db->transact<int>([](pqxx::work &tx) -> Result<int> {
        return tx.exec("SELECT count(*) FROM users WHERE name = 'ann'")[0][0].as<int>();
    });
    QCOMPARE(*n, 1);
}

void TstTransaction::errorResultRollsBack()
{
    auto r = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("INSERT INTO users(name, age) VALUES ('bob', 20)");
        return fail(ErrorCode::Forbidden, QStringLiteral("no"));
    });
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Forbidden);
    auto n = m_db->transact<int>([](pqxx::work &tx) -> Result<int> {
        return tx.exec("SELECT count(*) FROM users")[0][0].as<int>();
    });
    QCOMPARE(*n, 0);
    QCOMPARE(m_db->poolInUse(), 0);
}

void TstTransaction::exceptionRollsBackAndIsMapped()
{
    auto r = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("INSERT INTO users(name, age) VALUES ('cy', 20)");
        throw std::runtime_error("boom");
    });
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Internal);
    QVERIFY(r.error().logDetail.contains(QStringLiteral("boom")));
    QVERIFY(!r.error().message.contains(QStringLiteral("boom")));
    auto n = m_db->transact<int>([](pqxx::work &tx) -> Result<int> {
        return tx.exec("SELECT count(*) FROM users")[0][0].as<int>();
    });
    QCOMPARE(*n, 0);
}

void TstTransaction::serializationFailureRetried()
{
    // Both read the row, then both write it: one must fail with 40001 and be retried.
    std::latch bothRead(2);
    std::atomic<int> attempts{0};
    std::atomic<bool> firstRound[2] = {true, true};
    auto increment = [&](int who) {
        return m_db->transact<void>([&, who](pqxx::work &tx) -> Result<void> {
            ++attempts;
            tx.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            const int n = tx.exec("SELECT n FROM counter WHERE id = 1")[0][0].as<int>();
            if (firstRound[who].exchange(false))
                bothRead.arrive_and_wait();
            tx.exec_params("UPDATE counter SET n = $1 WHERE id = 1", n + 1);
            return {};
        });
    };
    Result<void> ra, rb;
    std::thread a([&] { ra = increment(0); });
    std::thread b([&] { rb = increment(1); });
    a.join();
    b.join();
    QVERIFY2(ra.has_value(), qPrintable(ra ? QString() : ra.error().logDetail));
    QVERIFY2(rb.has_value(), qPrintable(rb ? QString() : rb.error().logDetail));
    QCOMPARE(counter(), 2);
    QVERIFY2(attempts.load() >= 3, qPrintable(QString::number(attempts.load())));
}

void TstTransaction::manyConcurrentSerializableIncrements()
{
    constexpr int threads = 4, each = 10;
    std::atomic<int> failures{0};
    std::vector<std::thread> ts;
    auto cfg = m_tdb->config(4);
    cfg.maxRetries = 50;
    Database db(cfg);
    QVERIFY(db.open().has_value());
    for (int t = 0; t < threads; ++t)
        ts.emplace_back([&] {
            for (int i = 0; i < each; ++i) {
                auto r = db.transact<void>([](pqxx::work &tx) -> Result<void> {
                    tx.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                    const int n = tx.exec("SELECT n FROM counter WHERE id = 1")[0][0].as<int>();
                    tx.exec_params("UPDATE counter SET n = $1 WHERE id = 1", n + 1);
                    return {};
                });
                if (!r)
                    ++failures;
            }
        });
    for (auto &t : ts)
        t.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(counter(), threads * each);
}

void TstTransaction::retriesExhausted()
{
    auto cfg = m_tdb->config(2);
    cfg.maxRetries = 2;
    Database db(cfg);
    QVERIFY(db.open().has_value());
    int attempts = 0;
    auto r = db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        ++attempts;
        tx.exec("DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40001'; END $$");
        return {};
    });
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Unavailable);
    QCOMPARE(attempts, 3);
}

void TstTransaction::uniqueViolationIsConflict()
{
    auto insert = [&] {
        return m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
            tx.exec("INSERT INTO users(name, age) VALUES ('dup', 1)");
            return {};
        });
    };
    QVERIFY(insert().has_value());
    auto r = insert();
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Conflict);
    QVERIFY(r.error().logDetail.contains(QStringLiteral("23505")));
}

// Issue 10: a constraint our validation should have enforced, or a value our statement
// cannot take, is a server error (500, logged), never "A value is not valid" (400).
void TstTransaction::checkViolationIsInternal()
{
    auto r = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("INSERT INTO users(name, age) VALUES ('neg', -1)");
        return {};
    });
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Internal);
    QVERIFY(r.error().logDetail.contains(QStringLiteral("23514")));
}

void TstTransaction::notNullAndDataExceptionsAreInternalForeignKeyIsConflict()
{
    auto nn = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("INSERT INTO users(name, age) VALUES (NULL, 1)");
        return {};
    });
    QVERIFY(!nn.has_value());
    QCOMPARE(nn.error().code, ErrorCode::Internal);
    // A referenced row that is gone (a concurrent delete): the client's conflict.
    auto fk = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("INSERT INTO posts(author) VALUES (4242)");
        return {};
    });
    QVERIFY(!fk.has_value());
    QCOMPARE(fk.error().code, ErrorCode::Conflict);
    auto bad = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("SELECT 'abc'::int");
        return {};
    });
    QVERIFY(!bad.has_value());
    QCOMPARE(bad.error().code, ErrorCode::Internal);
    // The GET /v1/communities bug: INT64_MAX bound against an integer column (22003).
    auto range = m_db->read<int>([](pqxx::nontransaction &tx) -> Result<int> {
        return int(tx.exec_params("SELECT count(*) FROM users WHERE age < $1",
                                  std::numeric_limits<qint64>::max()).size());
    });
    QVERIFY(!range.has_value());
    QCOMPARE(range.error().code, ErrorCode::Internal);
    QVERIFY2(range.error().logDetail.contains(QStringLiteral("22003")), qPrintable(range.error().logDetail));
    QCOMPARE(Http::statusForError(range.error().code), 500);
}

void TstTransaction::internalDetailHasQueryButNoRowData()
{
    // A NOT NULL violation's DETAIL line repeats the whole row ("Failing row contains
    // (..., secret-hash)"); the log keeps the message, SQLSTATE and statement only.
    auto nn = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec_params("INSERT INTO users(name, age) VALUES (NULL, $1)", 7777777);
        return {};
    });
    QVERIFY(!nn.has_value());
    QCOMPARE(nn.error().code, ErrorCode::Internal);
    const QString detail = nn.error().logDetail;
    QVERIFY2(detail.contains(QStringLiteral("23502")), qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("INSERT INTO users")), qPrintable(detail));
    QVERIFY2(!detail.contains(QStringLiteral("7777777")), qPrintable(detail));
    QVERIFY2(!detail.contains(QStringLiteral("DETAIL")), qPrintable(detail));
    // A data exception quoting the bound value: redacted.
    auto bad = m_db->read<int>([](pqxx::nontransaction &tx) -> Result<int> {
        return int(tx.exec_params("SELECT $1::int", std::string("hunter2-secret")).size());
    });
    QVERIFY(!bad.has_value());
    QCOMPARE(bad.error().code, ErrorCode::Internal);
    QVERIFY2(bad.error().logDetail.contains(QStringLiteral("22P02")), qPrintable(bad.error().logDetail));
    QVERIFY2(!bad.error().logDetail.contains(QStringLiteral("hunter2")), qPrintable(bad.error().logDetail));
    QVERIFY(!bad.error().message.contains(QStringLiteral("hunter2")));
}

void TstTransaction::syntaxErrorIsInternalWithDetail()
{
    int attempts = 0;
    auto r = m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        ++attempts;
        tx.exec("SELEC * FROM users");
        return {};
    });
    QVERIFY(!r.has_value());
    QCOMPARE(attempts, 1);  // not retried
    QCOMPARE(r.error().code, ErrorCode::Internal);
    QVERIFY(r.error().logDetail.contains(QStringLiteral("42601")));
    QVERIFY(r.error().logDetail.contains(QStringLiteral("SELEC")));
    QVERIFY(!r.error().message.contains(QStringLiteral("SELEC")));
    QVERIFY(!r.error().message.contains(QStringLiteral("syntax")));
}

void TstTransaction::statementTimeoutIsTimeout()
{
    auto r = m_db->transact<void>([](pqxx::work &tx) -> Result<void> {
        tx.exec("SET LOCAL statement_timeout = 50");
        tx.exec("SELECT pg_sleep(2)");
        return {};
    });
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Timeout);
}

void TstTransaction::mapExceptionTable_data()
{
    QTest::addColumn<QString>("sqlstate");
    QTest::addColumn<int>("code");
    QTest::newRow("unique") << "23505" << int(ErrorCode::Conflict);
    QTest::newRow("exclusion") << "23P01" << int(ErrorCode::Conflict);
    QTest::newRow("fk") << "23503" << int(ErrorCode::Conflict);
    QTest::newRow("restrict") << "23001" << int(ErrorCode::Conflict);
    QTest::newRow("not null") << "23502" << int(ErrorCode::Internal);
    QTest::newRow("check") << "23514" << int(ErrorCode::Internal);
    QTest::newRow("data exception") << "22P02" << int(ErrorCode::Internal);
    QTest::newRow("numeric out of range") << "22003" << int(ErrorCode::Internal);
    QTest::newRow("string too long") << "22001" << int(ErrorCode::Internal);
    QTest::newRow("division by zero") << "22012" << int(ErrorCode::Internal);
    QTest::newRow("query canceled") << "57014" << int(ErrorCode::Timeout);
    QTest::newRow("connection") << "08006" << int(ErrorCode::Unavailable);
    QTest::newRow("admin shutdown") << "57P01" << int(ErrorCode::Unavailable);
    QTest::newRow("disk full") << "53100" << int(ErrorCode::Unavailable);
    QTest::newRow("out of memory") << "53200" << int(ErrorCode::Unavailable);
    QTest::newRow("too many connections") << "53300" << int(ErrorCode::Unavailable);
    QTest::newRow("syntax") << "42601" << int(ErrorCode::Internal);
    QTest::newRow("undefined table") << "42P01" << int(ErrorCode::Internal);
}

void TstTransaction::mapExceptionTable()
{
    QFETCH(QString, sqlstate);
    QFETCH(int, code);
    const std::string state = sqlstate.toStdString();
    const pqxx::sql_error e("server said no", "SELECT 1", state.c_str());
    const Error err = mapException(e);
    QCOMPARE(int(err.code), code);
    QVERIFY(err.logDetail.contains(sqlstate));
    QVERIFY(!err.message.contains(QStringLiteral("server said no")));

    QCOMPARE(mapException(pqxx::serialization_failure("x")).code, ErrorCode::Unavailable);
    QCOMPARE(mapException(pqxx::deadlock_detected("x")).code, ErrorCode::Unavailable);
    QCOMPARE(mapException(pqxx::broken_connection("x")).code, ErrorCode::Unavailable);
    const Error doubt = mapException(pqxx::in_doubt_error("x"));
    QCOMPARE(doubt.code, ErrorCode::Internal);
    QCOMPARE(doubt.message, QStringLiteral("commit outcome unknown"));
    QCOMPARE(mapException(std::runtime_error("x")).code, ErrorCode::Internal);
}

void TstTransaction::withConnectionRuns()
{
    int value = 0;
    auto r = m_db->withConnection([&](pqxx::connection &c) -> Result<void> {
        pqxx::nontransaction n(c);
        value = n.exec("SELECT 7")[0][0].as<int>();
        return {};
    });
    QVERIFY(r.has_value());
    QCOMPARE(value, 7);
    auto thrown = m_db->withConnection([&](pqxx::connection &c) -> Result<void> {
        pqxx::nontransaction n(c);
        n.exec("SELECT * FROM no_such_table");
        return {};
    });
    QVERIFY(!thrown.has_value());
    QCOMPARE(thrown.error().code, ErrorCode::Internal);
    QCOMPARE(m_db->poolInUse(), 0);
}

void TstTransaction::brokenConnectionMidTransactionRetried()
{
    // First attempt: write, then lose the connection before commit. The write must be gone
    // and the retry (on a fresh connection) must commit exactly once.
    int attempts = 0;
    std::set<int> pids;
    auto r = m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        ++attempts;
        pids.insert(tx.exec("SELECT pg_backend_pid()")[0][0].as<int>());
        tx.exec_params("INSERT INTO users(name, age) VALUES ($1, 1)",
                       "attempt" + std::to_string(attempts));
        if (attempts == 1)
            tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
        return {};
    });
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().logDetail));
    QCOMPARE(attempts, 2);
    QCOMPARE(int(pids.size()), 2);
    auto names = m_db->transact<QString>([](pqxx::work &tx) -> Result<QString> {
        return QString::fromStdString(tx.exec("SELECT string_agg(name, ',') FROM users")[0][0].as<std::string>());
    });
    QCOMPARE(*names, QStringLiteral("attempt2"));
}

void TstTransaction::acquireTimeoutPropagates()
{
    auto cfg = m_tdb->config(1);
    cfg.acquireTimeoutMs = 150;
    Database db(cfg);
    QVERIFY(db.open().has_value());
    std::latch holding(1);
    std::latch done(1);
    std::thread holder([&] {
        (void)db.transact<void>([&](pqxx::work &) -> Result<void> {
            holding.count_down();
            done.wait();
            return {};
        });
    });
    holding.wait();
    int ran = 0;
    auto r = db.transact<void>([&](pqxx::work &) -> Result<void> {
        ++ran;
        return {};
    });
    done.count_down();
    holder.join();
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, ErrorCode::Timeout);
    QCOMPARE(ran, 0);
}

QTEST_GUILESS_MAIN(TstTransaction)
#include "tst_transaction.moc"
