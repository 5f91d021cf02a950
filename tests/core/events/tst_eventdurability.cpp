// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Outbox durability through the real communityd with the probe fixture plugin: its
// POST /v1/probe/items writes an item and publishes "probe.item.created" in one transaction,
// its consumer "probe.seen" records each delivery in probe.seen (handled_count counts
// repeats). A rolled-back publish, a kill -9 between commit and delivery, and two daemons
// sharing one consumer on one database.
#include "daemonprocess.h"
#include "testdb.h"

#include <pqxx/pqxx>

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QtTest>

#include <functional>

using namespace Community::Test;

namespace {

/// A daemon with the probe plugin and its consumer on `conninfo` (the test's own
/// database, shared by every daemon of a test: DaemonProcess's own is left unused).
DaemonProcess::Options probeDaemon(const std::string &conninfo, const QStringList &sets = {})
{
    DaemonProcess::Options o;
    o.pluginDirs = {QStringLiteral(PROBE_PLUGIN_DIR)};
    o.extraArgs = {QStringLiteral("--set"), QStringLiteral("database.url=") + QString::fromStdString(conninfo),
                   QStringLiteral("--set"), QStringLiteral("plugins.probe.consumer=true"),
                   QStringLiteral("--set"), QStringLiteral("events.pollIntervalMs=100"),
                   QStringLiteral("--set"), QStringLiteral("log.access=off")};
    for (const QString &s : sets)
        o.extraArgs << QStringLiteral("--set") << s;
    return o;
}

/// The first column of the first row (-1 for none or NULL); `args` are bound as $1, ...
template<typename... Args>
qint64 scalar(const std::string &conninfo, const std::string &sql, Args &&...args)
{
    pqxx::connection c(conninfo);
    pqxx::nontransaction tx(c);
    const pqxx::result r = tx.exec_params(sql, std::forward<Args>(args)...);
    return r.empty() || r[0][0].is_null() ? -1 : r[0][0].as<qint64>();
}

qint64 seenOffset(const std::string &conninfo)
{
    return scalar(conninfo, "SELECT last_id FROM events.consumers WHERE consumer = 'probe.seen'");
}

HttpResult postItem(DaemonProcess &d, const QJsonObject &body)
{
    return httpRequest(d.url(QStringLiteral("/v1/probe/items")), "POST", QJsonDocument(body).toJson(QJsonDocument::Compact));
}

/// Polls `done` until it holds or `ms` pass (no fixed sleeps as assertions).
bool waitFor(const std::function<bool()> &done, int ms)
{
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (done())
            return true;
        QTest::qWait(50);
    }
    return done();
}

/// `total` POST /v1/probe/items spread round-robin over `daemons`, `inFlight` at a time;
/// item i goes to aggregate "agg:<i % 7>". Returns the event ids of the 201 answers.
QList<qint64> postItemsConcurrently(const QList<DaemonProcess *> &daemons, int total, int inFlight)
{
    QNetworkAccessManager nam;
    QList<qint64> ids;
    int next = 0;
    int finished = 0;
    QEventLoop loop;
    std::function<void()> launch = [&] {
        while (next < total && next - finished < inFlight) {
            const int i = next++;
            QNetworkRequest req(daemons[i % daemons.size()]->url(QStringLiteral("/v1/probe/items")));
            req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            const QJsonObject body{{QStringLiteral("name"), QStringLiteral("n%1").arg(i)},
                                   {QStringLiteral("aggregate"), QStringLiteral("agg:%1").arg(i % 7)}};
            QNetworkReply *reply = nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
            QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
                ++finished;
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 201)
                    ids << qint64(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("eventId")).toDouble());
                else
                    qWarning("POST /v1/probe/items: %s", reply->readAll().constData());
                reply->deleteLater();
                if (finished == total)
                    loop.quit();
                else
                    launch();
            });
        }
    };
    launch();
    QTimer::singleShot(120'000, &loop, &QEventLoop::quit);
    loop.exec();
    return ids;
}

/// community_events_delivered_total{consumer="probe.seen"} of one daemon.
qint64 deliveredMetric(DaemonProcess &d)
{
    static const QRegularExpression re(QStringLiteral("community_events_delivered_total\\{consumer=\"probe\\.seen\"\\} ([0-9.e+]+)"));
    const auto m = re.match(QString::fromUtf8(d.operatorRequest("GET", QStringLiteral("/metrics")).body));
    return m.hasMatch() ? qint64(m.captured(1).toDouble()) : -1;
}

} // namespace

class TstEventDurability : public QObject {
    Q_OBJECT
private slots:
    void rolledBackPublishLeavesNothing();
    void killBetweenCommitAndDeliveryRedelivers();
    void twoDaemonsHandleEachEventOnce();
};

void TstEventDurability::rolledBackPublishLeavesNothing()
{
    TestDb db;
    const std::string conn = db.conninfo();
    DaemonProcess d;
    QVERIFY2(d.start(probeDaemon(conn)), qPrintable(d.errorString()));

    const HttpResult failed = postItem(d, {{QStringLiteral("name"), QStringLiteral("doomed")}, {QStringLiteral("fail"), true}});
    QCOMPARE(failed.status, 500);
    QCOMPARE(scalar(conn, "SELECT count(*) FROM events.outbox"), 0);
    QCOMPARE(scalar(conn, "SELECT count(*) FROM probe.items WHERE name = 'doomed'"), 0);
    // A committed one after it is delivered (the consumer runs and steps over the gap) ...
    const HttpResult ok = postItem(d, {{QStringLiteral("name"), QStringLiteral("kept")}});
    QCOMPARE(ok.status, 201);
    const qint64 eventId = qint64(ok.json().value(QStringLiteral("eventId")).toDouble());
    QVERIFY(eventId > 1);  // id 1 went to the rolled-back event: a gap the consumer must pass
    QVERIFY2(waitFor([&] { return seenOffset(conn) >= eventId; }, 10'000), qPrintable(QString::fromUtf8(d.output())));
    // ... and it is the only thing the outbox holds and the consumer ever saw.
    QCOMPARE(scalar(conn, "SELECT count(*) FROM events.outbox"), 1);
    QCOMPARE(scalar(conn, "SELECT min(id) FROM events.outbox"), eventId);
    QCOMPARE(scalar(conn, "SELECT count(*) FROM probe.seen"), 1);
    QCOMPARE(scalar(conn, "SELECT event_id FROM probe.seen"), eventId);
    QCOMPARE(scalar(conn, "SELECT handled_count FROM probe.seen"), 1);
    QCOMPARE(deliveredMetric(d), 1);
    const QJsonArray tail = d.operatorRequest("GET", QStringLiteral("/v1/system/events")).json().value(QStringLiteral("events")).toArray();
    QCOMPARE(tail.size(), 1);
    QCOMPARE(tail[0].toObject().value(QStringLiteral("payload")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("kept"));
    QCOMPARE(d.stop(), 0);
}

void TstEventDurability::killBetweenCommitAndDeliveryRedelivers()
{
    TestDb db;
    const std::string conn = db.conninfo();
    QList<qint64> ids;
    {
        DaemonProcess stalled;
        QVERIFY2(stalled.start(probeDaemon(conn, {QStringLiteral("plugins.probe.stallMs=600000")})), qPrintable(stalled.errorString()));
        for (int i = 0; i < 5; ++i) {
            const HttpResult r = postItem(stalled, {{QStringLiteral("name"), QStringLiteral("item%1").arg(i)}});
            QCOMPARE(r.status, 201);
            ids << qint64(r.json().value(QStringLiteral("eventId")).toDouble());
        }
        // The consumer has claimed the first event and is stuck in its handler.
        QVERIFY2(waitFor([&] {
                     stalled.process()->waitForReadyRead(10);
                     return stalled.output().contains(QByteArrayLiteral("probe.seen: stalling"));
                 }, 10'000),
                 qPrintable(QString::fromUtf8(stalled.output())));
        // Committed, in the outbox, not delivered.
        QCOMPARE(scalar(conn, "SELECT count(*) FROM events.outbox WHERE type = 'probe.item.created'"), 5);
        QCOMPARE(scalar(conn, "SELECT count(*) FROM probe.items WHERE name LIKE 'item%'"), 5);
        QVERIFY(seenOffset(conn) < ids.first());
        QCOMPARE(scalar(conn, "SELECT count(*) FROM probe.seen"), 0);
        stalled.kill();  // SIGKILL: no drain, no stop, the dispatch transaction is cut off
        QCOMPARE(stalled.process()->exitStatus(), QProcess::CrashExit);
    }

    // A new daemon on the same database, without the stall, delivers every event.
    DaemonProcess again;
    QVERIFY2(again.start(probeDaemon(conn)), qPrintable(again.errorString()));
    QVERIFY2(waitFor([&] { return seenOffset(conn) >= ids.last() && scalar(conn, "SELECT count(*) FROM probe.seen") == 5; }, 15'000),
             qPrintable(QStringLiteral("offset %1, seen %2\n%3").arg(seenOffset(conn))
                            .arg(scalar(conn, "SELECT count(*) FROM probe.seen")).arg(QString::fromUtf8(again.output()))));
    QCOMPARE(seenOffset(conn), ids.last());
    for (const qint64 id : ids) {
        // Present, and handled once: the killed process never got past its stall.
        QCOMPARE(scalar(conn, "SELECT handled_count FROM probe.seen WHERE event_id = $1", id), 1);
    }
    QCOMPARE(scalar(conn, "SELECT count(*) FROM events.deliveries"), 0);
    QCOMPARE(again.stop(), 0);
}

void TstEventDurability::twoDaemonsHandleEachEventOnce()
{
    TestDb db;
    const std::string conn = db.conninfo();
    DaemonProcess a;
    DaemonProcess b;
    QVERIFY2(a.start(probeDaemon(conn)), qPrintable(a.errorString()));
    QVERIFY2(b.start(probeDaemon(conn)), qPrintable(b.errorString()));
    QVERIFY(a.baseUrl().port() != b.baseUrl().port());

    constexpr int total = 200;
    QList<qint64> ids = postItemsConcurrently({&a, &b}, total, 8);
    QCOMPARE(ids.size(), total);
    std::sort(ids.begin(), ids.end());
    QVERIFY2(waitFor([&] { return scalar(conn, "SELECT count(*) FROM probe.seen") == total && seenOffset(conn) >= ids.last(); }, 30'000),
             qPrintable(QStringLiteral("seen %1 of %2").arg(scalar(conn, "SELECT count(*) FROM probe.seen")).arg(total)));

    QCOMPARE(scalar(conn, "SELECT count(*) FROM probe.seen WHERE handled_count <> 1"), 0);
    QCOMPARE(scalar(conn, "SELECT count(*) FROM probe.seen s JOIN events.outbox o ON o.id = s.event_id"), total);
    // Per aggregate, the handling order is the publication (outbox id) order.
    pqxx::connection c(conn);
    pqxx::nontransaction tx(c);
    QMap<QString, QList<qint64>> byAggregate;
    for (const auto &row : tx.exec("SELECT aggregate, event_id FROM probe.seen ORDER BY handled_order"))
        byAggregate[QString::fromStdString(row[0].as<std::string>())] << row[1].as<qint64>();
    QCOMPARE(byAggregate.size(), 7);
    for (auto it = byAggregate.cbegin(); it != byAggregate.cend(); ++it) {
        QList<qint64> sorted = it.value();
        std::sort(sorted.begin(), sorted.end());
        QVERIFY2(it.value() == sorted, qPrintable(it.key() + QStringLiteral(" handled out of order")));
    }
    // Every delivery was counted by exactly one of the two daemons.
    QTRY_COMPARE_WITH_TIMEOUT(deliveredMetric(a) + deliveredMetric(b), qint64(total), 5000);
    qInfo("delivered by daemon a: %lld, by daemon b: %lld", deliveredMetric(a), deliveredMetric(b));
    QCOMPARE(a.stop(), 0);
    QCOMPARE(b.stop(), 0);
}

QTEST_GUILESS_MAIN(TstEventDurability)
#include "tst_eventdurability.moc"
