// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The operator routes against a running communityd (no service plugins); this test process
// acts as a second node on the same database: it publishes and runs a consumer.
#include "community/database.h"
#include "community/host/postgreseventbus.h"
#include "daemonprocess.h"
#include "testdb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <atomic>

using namespace Community;
using namespace Community::Events;
using namespace Community::Test;

class TstEventRoutes : public QObject {
    Q_OBJECT
private slots:
    void operatorRoutes();
};

void TstEventRoutes::operatorRoutes()
{
    DaemonProcess d;
    QVERIFY2(d.start(DaemonProcess::Options{}), qPrintable(d.errorString()));
    // The daemon applied the core's events migration at start.
    auto migrations = d.operatorRequest("GET", QStringLiteral("/v1/system/migrations"));
    QCOMPARE(migrations.status, 200);
    QCOMPARE(migrations.json().value(QStringLiteral("migrations")).toArray()[0].toObject().value(QStringLiteral("plugin")).toString(),
             QStringLiteral("events"));

    Db::Database db(d.database()->config(4));
    QVERIFY(db.open().has_value());
    EventBusConfig cfg;
    cfg.pollIntervalMs = 100;
    cfg.maxAttempts = 1;
    PostgresEventBus bus(db, cfg);
    std::atomic<int> handled{0};
    std::atomic_bool failBad{true};
    bus.subscribe(QStringLiteral("node2.proj"), {}, [&](const Event &e) -> Result<void> {
        if (failBad && e.aggregate == QLatin1String("bad"))
            return fail(ErrorCode::Unavailable, QStringLiteral("down"));
        ++handled;
        return {};
    });
    QVERIFY(bus.start().has_value());
    QList<qint64> ids;
    for (const char *agg : {"post:1", "bad", "post:2"}) {
        auto id = db.transact<qint64>([&](pqxx::work &tx) {
            return bus.publish(tx, QStringLiteral("test.created"), QString::fromLatin1(agg), {{QStringLiteral("a"), QString::fromLatin1(agg)}});
        });
        QVERIFY(id.has_value());
        ids << *id;
    }
    QTRY_COMPARE_WITH_TIMEOUT(handled.load(), 2, 5000);

    QCOMPARE(d.get(QStringLiteral("/v1/system/events")).status, 401);
    auto tail = d.operatorRequest("GET", QStringLiteral("/v1/system/events?after=%1&limit=2").arg(ids[0]));
    QCOMPARE(tail.status, 200);
    const QJsonArray events = tail.json().value(QStringLiteral("events")).toArray();
    QCOMPARE(events.size(), 2);
    QCOMPARE(qint64(events[0].toObject().value(QStringLiteral("id")).toDouble()), ids[1]);
    QCOMPARE(events[1].toObject().value(QStringLiteral("payload")).toObject().value(QStringLiteral("a")).toString(), QStringLiteral("post:2"));
    QCOMPARE(d.operatorRequest("GET", QStringLiteral("/v1/system/events?limit=0")).status, 400);

    QJsonObject c;
    QTRY_VERIFY_WITH_TIMEOUT((c = d.operatorRequest("GET", QStringLiteral("/v1/system/events/consumers"))
                                      .json().value(QStringLiteral("consumers")).toArray()[0].toObject(),
                              c.value(QStringLiteral("lastId")).toDouble() == double(ids[2])), 5000);
    QCOMPARE(c.value(QStringLiteral("consumer")).toString(), QStringLiteral("node2.proj"));
    QCOMPARE(c.value(QStringLiteral("dead")).toInt(), 1);
    QCOMPARE(c.value(QStringLiteral("lag")).toInt(), 0);

    failBad = false;
    auto retry = d.operatorRequest("POST", QStringLiteral("/v1/system/events/consumers/node2.proj/retry-dead"));
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.json().value(QStringLiteral("retried")).toInt(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(handled.load(), 3, 5000);

    auto replay = d.operatorRequest("POST", QStringLiteral("/v1/system/events/consumers/node2.proj/replay"),
                                    QByteArray(R"({"fromId":)") + QByteArray::number(ids[0]) + "}");
    QCOMPARE(replay.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(handled.load(), 6, 5000);
    QCOMPARE(d.operatorRequest("POST", QStringLiteral("/v1/system/events/consumers/nobody/replay"), R"({"fromId":1})").status, 404);
    QCOMPARE(d.operatorRequest("POST", QStringLiteral("/v1/system/events/consumers/node2.proj/replay"), R"({"fromId":0,"x":1})").status, 400);
    QCOMPARE(d.operatorRequest("POST", QStringLiteral("/v1/system/events/consumers/nobody/retry-dead")).status, 404);

    bus.stop();
    db.close();
    QCOMPARE(d.stop(), 0);
}

QTEST_GUILESS_MAIN(TstEventRoutes)
#include "tst_eventroutes.moc"
