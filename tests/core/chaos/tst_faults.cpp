// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The fault layer (community/host/faults.h) through a real communityd: each kind is
// observed by a client the way a user would notice it.
#include "contenthttp.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>
#include <QtTest>

using namespace Content::Test;
using Community::Test::HttpResult;

class TstFaults : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void adminOnlyAndAudited();
    void httpDelayAndAbort();
    void httpResetSeenByClient();
    void httpThrottle();
    void databaseFaults();
    void eventFaults();
    void realtimeFaults();
    void timeLimitLeaseAndStopAll();
    void metricsAndReadiness();
    void disabledByDefault();

private:
    HttpResult op(const QByteArray &method, const QString &path, const QJsonObject &body = {});
    QString inject(const QJsonObject &fault);
    qint64 elapsedMs(const QString &path);
    QJsonObject consumer(const QString &name);

    ContentHttp h;
    Account alice;
    QString postId;
};

HttpResult TstFaults::op(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    return h.call(method, path, h.admin.token, body.isEmpty() ? QByteArray() : ContentHttp::json(body));
}

QString TstFaults::inject(const QJsonObject &fault)
{
    auto r = op("POST", QStringLiteral("/v1/admin/chaos/faults"), fault);
    if (r.status != 201)
        qWarning() << "inject" << r.status << r.body;
    return r.json().value("id").toString();
}

qint64 TstFaults::elapsedMs(const QString &path)
{
    QElapsedTimer t;
    t.start();
    const auto r = h.call("GET", path, alice.token);
    if (r.status != 200)
        qWarning() << path << r.status << r.body;
    return t.elapsed();
}

QJsonObject TstFaults::consumer(const QString &name)
{
    for (const QJsonValue &v : h.daemon.operatorRequest("GET", QStringLiteral("/v1/system/events/consumers"))
                                   .json().value("consumers").toArray()) {
        if (v.toObject().value("consumer").toString() == name)
            return v.toObject();
    }
    return {};
}

void TstFaults::initTestCase()
{
    // Answers under injected faults (502s, cut bodies) are off the API description on
    // purpose: not recorded for tst_responseschemas.
    qunsetenv("COMMUNITY_RESPONSE_LOG");
    // Seven attempts per transaction: a dropped connection on a fifth of them never
    // exhausts the retries in this test (0.2^7 per write).
    h.extraSets << QStringLiteral("chaos.enabled=true") << QStringLiteral("events.pollIntervalMs=100")
                << QStringLiteral("database.maxRetries=6");
    QString error;
    QVERIFY2(h.start(&error), qPrintable(error));
    alice = h.registerUser(QStringLiteral("alice"));
    QVERIFY(!alice.token.isEmpty());
    QVERIFY(!h.createCommunity(h.admin, QStringLiteral("lab")).isEmpty());
    postId = h.createPost(alice, QStringLiteral("lab"), QStringLiteral("Steady"), QStringLiteral("body")).value("id").toString();
    QVERIFY(!postId.isEmpty());
}

void TstFaults::cleanup()
{
    QCOMPARE(op("POST", QStringLiteral("/v1/admin/chaos/stop-all")).status, 200);
}

void TstFaults::adminOnlyAndAudited()
{
    const QJsonObject fault{{"kind", "http.delay"}, {"delayMs", 10}, {"ttlSeconds", 30}};
    QVERIFY(isProblem(h.call("POST", QStringLiteral("/v1/admin/chaos/faults"), alice.token, ContentHttp::json(fault)), 403,
                      QStringLiteral("forbidden")));
    QVERIFY(isProblem(h.call("GET", QStringLiteral("/v1/admin/chaos/faults")), 401, QStringLiteral("unauthorized")));
    QVERIFY(isProblem(op("POST", QStringLiteral("/v1/admin/chaos/faults"), {{"kind", "http.nothing"}}), 400,
                      QStringLiteral("validation")));
    QVERIFY(isProblem(op("POST", QStringLiteral("/v1/admin/chaos/faults"), {{"kind", "http.delay"}, {"probability", 2}}),
                      400, QStringLiteral("validation")));
    const QString id = inject(fault);
    QVERIFY(!id.isEmpty());
    QCOMPARE(op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id).status, 204);
    QCOMPARE(op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id).status, 404);
    // Both actions are in the admin plugin's audit log, by the admin.
    QStringList actions;
    QTRY_VERIFY_WITH_TIMEOUT(
        (actions.clear(),
         [&] {
             for (const QJsonValue &v : op("GET", QStringLiteral("/v1/admin/audit?limit=50")).json().value("items").toArray()) {
                 const QJsonObject row = v.toObject();
                 if (row.value("target").toObject().value("id").toString() == id)
                     actions << row.value("action").toString();
             }
         }(),
         actions.contains("fault.inject") && actions.contains("fault.clear")),
        10000);
}

void TstFaults::httpDelayAndAbort()
{
    const QString path = QStringLiteral("/v1/posts/") + postId;
    const qint64 before = elapsedMs(path);
    QVERIFY(!inject({{"kind", "http.delay"}, {"delayMs", 400}, {"jitterMs", 50},
                     {"selector", QJsonObject{{"route", "/v1/posts/{id}"}}}, {"ttlSeconds", 60}}).isEmpty());
    const qint64 delayed = elapsedMs(path);
    QVERIFY2(delayed >= 350 && delayed < 2000, qPrintable(QString::number(delayed)));
    // Other routes are not selected.
    QVERIFY(elapsedMs(QStringLiteral("/v1/users/alice")) < 300);
    QVERIFY2(before < 300, qPrintable(QString::number(before)));

    QVERIFY(!inject({{"kind", "http.abort"}, {"status", 502}, {"probability", 0.5},
                     {"selector", QJsonObject{{"plugin", "users"}}}, {"ttlSeconds", 60}}).isEmpty());
    int aborted = 0, ok = 0;
    for (int i = 0; i < 40; ++i) {
        const auto r = h.call("GET", QStringLiteral("/v1/users/alice"), alice.token);
        if (r.status == 502 && isProblem(r, 502, QStringLiteral("chaos-abort")))
            ++aborted;
        else if (r.status == 200)
            ++ok;
    }
    QCOMPARE(aborted + ok, 40);
    QVERIFY2(aborted >= 8 && aborted <= 32, qPrintable(QString::number(aborted)));
}

void TstFaults::httpResetSeenByClient()
{
    QVERIFY(!inject({{"kind", "http.reset"}, {"selector", QJsonObject{{"route", "/v1/posts/{id}"}}}, {"ttlSeconds", 60}})
                 .isEmpty());
    QTcpSocket s;
    s.connectToHost(h.daemon.baseUrl().host(), quint16(h.daemon.baseUrl().port()));
    QVERIFY(s.waitForConnected(5000));
    s.write("GET /v1/posts/" + postId.toLatin1() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token + "\r\n\r\n");
    QByteArray got;
    QAbstractSocket::SocketError err = QAbstractSocket::UnknownSocketError;
    connect(&s, &QAbstractSocket::errorOccurred, this, [&](QAbstractSocket::SocketError e) { err = e; });
    QElapsedTimer t;
    t.start();
    while (s.state() == QAbstractSocket::ConnectedState && t.elapsed() < 5000) {
        s.waitForReadyRead(200);
        got += s.readAll();
    }
    got += s.readAll();
    // Headers announcing 64 KiB, a fraction of it, then the connection is gone.
    QVERIFY2(got.startsWith("HTTP/1.1 200 OK") && got.contains("Content-Length: 65536"), got.constData());
    QVERIFY(got.size() < 65536);
    QVERIFY2(err == QAbstractSocket::RemoteHostClosedError || err == QAbstractSocket::NetworkError,
             qPrintable(s.errorString()));
    // Through the shared client: the head said 200, the body never completes.
    const auto r = h.call("GET", QStringLiteral("/v1/posts/") + postId, alice.token);
    QVERIFY2(r.status != 200 || r.json().isEmpty(), r.body.constData());
}

void TstFaults::httpThrottle()
{
    // GET /v1/posts/{id} is a few hundred bytes: at 200 B/s it takes about size/200 s.
    const auto plain = h.call("GET", QStringLiteral("/v1/posts/") + postId, alice.token);
    QCOMPARE(plain.status, 200);
    QVERIFY(!inject({{"kind", "http.throttle"}, {"bytesPerSecond", 200}, {"selector", QJsonObject{{"route", "/v1/posts/*"}}},
                     {"ttlSeconds", 60}}).isEmpty());
    const qint64 ms = elapsedMs(QStringLiteral("/v1/posts/") + postId);
    const qint64 expected = plain.body.size() * 1000 / 200;
    QVERIFY2(ms >= expected * 9 / 10 && ms < expected + 2000, qPrintable(QStringLiteral("%1 vs %2").arg(ms).arg(expected)));
}

void TstFaults::databaseFaults()
{
    const QString path = QStringLiteral("/v1/posts/") + postId;
    // Latency on reads of the content routes.
    QString id = inject({{"kind", "db.latency"}, {"delayMs", 300}, {"selector", QJsonObject{{"route", "/v1/posts/{id}"}}},
                         {"ttlSeconds", 60}});
    QVERIFY(!id.isEmpty());
    const qint64 slow = elapsedMs(path);
    QVERIFY2(slow >= 280, qPrintable(QString::number(slow)));
    op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id);

    // Refused connections: bounded 503s, nothing written.
    const qint64 commentsBefore = h.scalar("SELECT count(*) FROM content.comments");
    id = inject({{"kind", "db.refuse"}, {"selector", QJsonObject{{"route", "/v1/posts/{id}/comments"}}}, {"ttlSeconds", 60}});
    QElapsedTimer t;
    t.start();
    const auto refused = h.call("POST", path + "/comments", alice.token, ContentHttp::json({{"body", "refused"}}));
    QVERIFY2(isProblem(refused, 503, QStringLiteral("unavailable")) || refused.status == 503, refused.body.constData());
    QVERIFY(t.elapsed() < 2000);
    QCOMPARE(h.scalar("SELECT count(*) FROM content.comments"), commentsBefore);
    op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id);

    // Connections dropped mid-transaction on a fifth of the attempts: the retries carry every
    // write through exactly once.
    id = inject({{"kind", "db.drop"}, {"probability", 0.2}, {"selector", QJsonObject{{"route", "/v1/posts/{id}/comments"}}},
                 {"ttlSeconds", 60}});
    for (int i = 0; i < 30; ++i)
        QCOMPARE(h.call("POST", path + "/comments", alice.token, ContentHttp::json({{"body", QStringLiteral("drop %1").arg(i)}})).status, 201);
    QCOMPARE(h.scalar("SELECT count(*) FROM content.comments WHERE body LIKE 'drop %'"), 30);
    auto listed = op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray();
    QVERIFY2(listed.size() == 1 && listed[0].toObject().value("hits").toInt() >= 1, "no connection was dropped");
    op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id);

    // Serialization failures on every attempt: the retries give up with a 503, nothing written.
    id = inject({{"kind", "db.serialization"}, {"selector", QJsonObject{{"route", "/v1/posts/{id}/comments"}}}, {"ttlSeconds", 60}});
    const auto conflicted = h.call("POST", path + "/comments", alice.token, ContentHttp::json({{"body", "serial"}}));
    QCOMPARE(conflicted.status, 503);
    QCOMPARE(h.scalar("SELECT count(*) FROM content.comments WHERE body = 'serial'"), 0);
    listed = op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray();
    QCOMPARE(listed[0].toObject().value("hits").toInt(), 7);  // maxRetries 6 + the first attempt
}

void TstFaults::eventFaults()
{
    // Pause the search indexer: its lag grows while posts are written, and drains after.
    QString id = inject({{"kind", "event.pause"}, {"selector", QJsonObject{{"plugin", "search.index"}}}, {"ttlSeconds", 60}});
    QVERIFY(!id.isEmpty());
    for (int i = 0; i < 3; ++i)
        QVERIFY(!h.createPost(alice, QStringLiteral("lab"), QStringLiteral("Paused %1").arg(i)).isEmpty());
    QTest::qWait(600);
    QVERIFY2(consumer(QStringLiteral("search.index")).value("lag").toInt() >= 3,
             qPrintable(QString::number(consumer(QStringLiteral("search.index")).value("lag").toInt())));
    op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id);
    QTRY_COMPARE_WITH_TIMEOUT(consumer(QStringLiteral("search.index")).value("lag").toInt(), 0, 10000);

    // Duplicate delivery: the projection stays exact (one hit per post).
    id = inject({{"kind", "event.duplicate"}, {"selector", QJsonObject{{"plugin", "search.index"}}}, {"ttlSeconds", 60}});
    QVERIFY(!h.createPost(alice, QStringLiteral("lab"), QStringLiteral("Twicedelivered zebra")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(consumer(QStringLiteral("search.index")).value("lag").toInt(), 0, 10000);
    auto listed = op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray();
    QVERIFY(listed[0].toObject().value("hits").toInt() >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(h.call("GET", QStringLiteral("/v1/search?q=twicedelivered"), alice.token)
                                  .json().value("items").toArray().size(), 1, 10000);
    op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id);

    // Delayed delivery: the indexer lags behind by the delay.
    id = inject({{"kind", "event.delay"}, {"delayMs", 1500}, {"selector", QJsonObject{{"plugin", "search.index"}}}, {"ttlSeconds", 60}});
    QElapsedTimer t;
    t.start();
    QVERIFY(!h.createPost(alice, QStringLiteral("lab"), QStringLiteral("Lateindexed okapi")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(h.call("GET", QStringLiteral("/v1/search?q=lateindexed"), alice.token)
                                  .json().value("items").toArray().size(), 1, 15000);
    QVERIFY2(t.elapsed() >= 1400, qPrintable(QString::number(t.elapsed())));
}

void TstFaults::realtimeFaults()
{
    using Community::Test::WsClient;
    const QString topic = QStringLiteral("post:") + postId;
    WsClient a, b;
    QVERIFY(a.open(Community::Test::wsUrl(h.daemon.baseUrl()), alice.token));
    QVERIFY(b.open(Community::Test::wsUrl(h.daemon.baseUrl()), h.admin.token));
    QVERIFY(a.subscribe(topic));
    QVERIFY(b.subscribe(topic));
    const QString path = QStringLiteral("/v1/posts/%1/comments").arg(postId);
    auto comment = [&](const QString &body) {
        return h.call("POST", path, alice.token, ContentHttp::json({{"body", body}})).status == 201;
    };

    // Frames held back by the delay.
    QString id = inject({{"kind", "ws.delay"}, {"delayMs", 800}, {"ttlSeconds", 60}});
    QElapsedTimer t;
    t.start();
    QVERIFY(comment(QStringLiteral("late frame")));
    const auto late = a.waitType(QStringLiteral("event"), topic, 5000);
    QVERIFY(late);
    QVERIFY2(t.elapsed() >= 700, qPrintable(QString::number(t.elapsed())));
    const qint64 seenSeq = qint64(late->value("seq").toDouble());
    op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id);

    // Every connection cut (abnormal closure); a client resumes from its last sequence
    // and gets what it missed.
    id = inject({{"kind", "ws.drop"}, {"ttlSeconds", 60}});
    QVERIFY(comment(QStringLiteral("cuts the sockets")));
    QVERIFY(a.waitClosed(5000));
    QVERIFY(b.waitClosed(5000));
    op("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id);
    QVERIFY(comment(QStringLiteral("while away")));
    WsClient again;
    QVERIFY(again.open(Community::Test::wsUrl(h.daemon.baseUrl()), alice.token));
    QVERIFY(again.subscribe(topic, seenSeq));
    QTRY_VERIFY_WITH_TIMEOUT(again.frames().size() >= 3, 5000);
    int replayed = 0;
    for (const QJsonObject &f : again.frames()) {
        if (f.value("type") == QLatin1String("event") && qint64(f.value("seq").toDouble()) > seenSeq)
            ++replayed;
    }
    QCOMPARE(replayed, 2);
}

void TstFaults::timeLimitLeaseAndStopAll()
{
    const QString path = QStringLiteral("/v1/posts/") + postId;
    // Time limit.
    QVERIFY(!inject({{"kind", "http.abort"}, {"status", 500}, {"selector", QJsonObject{{"route", "/v1/posts/{id}"}}},
                     {"ttlSeconds", 1}}).isEmpty());
    QCOMPARE(h.call("GET", path, alice.token).status, 500);
    QTRY_COMPARE_WITH_TIMEOUT(op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray().size(), 0, 3000);
    QCOMPARE(h.call("GET", path, alice.token).status, 200);

    // Lease: renewed, the fault stays; not renewed, it clears (dead-man switch).
    const auto lease = op("POST", QStringLiteral("/v1/admin/chaos/leases"), {{"ttlSeconds", 2}});
    QCOMPARE(lease.status, 201);
    const QString leaseId = lease.json().value("id").toString();
    QVERIFY(!inject({{"kind", "http.abort"}, {"status", 503}, {"lease", leaseId}, {"ttlSeconds", 600},
                     {"selector", QJsonObject{{"route", "/v1/posts/{id}"}}}}).isEmpty());
    for (int i = 0; i < 4; ++i) {
        QTest::qWait(1000);
        QCOMPARE(op("POST", QStringLiteral("/v1/admin/chaos/leases/%1/renew").arg(leaseId)).status, 200);
    }
    QCOMPARE(h.call("GET", path, alice.token).status, 503);
    QTRY_COMPARE_WITH_TIMEOUT(h.call("GET", path, alice.token).status, 200, 4000);
    QCOMPARE(op("POST", QStringLiteral("/v1/admin/chaos/leases/%1/renew").arg(leaseId)).status, 404);
    QVERIFY(isProblem(op("POST", QStringLiteral("/v1/admin/chaos/faults"),
                         {{"kind", "http.delay"}, {"lease", leaseId}, {"ttlSeconds", 10}}), 409, QStringLiteral("conflict")));

    // stop-all clears every kind at once.
    for (const char *kind : {"http.delay", "db.latency", "event.pause", "http.abort"})
        QVERIFY(!inject({{"kind", kind}, {"delayMs", 1}, {"ttlSeconds", 600}, {"selector", QJsonObject{{"route", "/v1/nowhere"}}}}).isEmpty());
    QCOMPARE(op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray().size(), 4);
    const auto stopped = op("POST", QStringLiteral("/v1/admin/chaos/stop-all"));
    QCOMPARE(stopped.json().value("cleared").toInt(), 4);
    QCOMPARE(op("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray().size(), 0);
}

void TstFaults::metricsAndReadiness()
{
    QVERIFY(!inject({{"kind", "http.delay"}, {"delayMs", 1}, {"ttlSeconds", 60}, {"selector", QJsonObject{{"route", "/v1/nowhere"}}}}).isEmpty());
    const QByteArray metrics = h.daemon.operatorRequest("GET", QStringLiteral("/metrics")).body;
    QVERIFY(metrics.contains("community_chaos_faults_active{kind=\"http.delay\"} 1"));
    QVERIFY(metrics.contains("community_chaos_enabled 1"));
    const QJsonObject ready = h.daemon.get(QStringLiteral("/readyz")).json();
    QCOMPARE(ready.value("chaos").toObject().value("activeFaults").toInt(), 1);
    QCOMPARE(ready.value("chaos").toObject().value("faults").toArray()[0].toObject().value("kind").toString(),
             QStringLiteral("http.delay"));
}

void TstFaults::disabledByDefault()
{
    Users::Test::UsersHttp plain;
    QString error;
    QVERIFY2(plain.start(&error), qPrintable(error));
    const auto r = plain.call("POST", QStringLiteral("/v1/admin/chaos/faults"), plain.admin.token,
                              ContentHttp::json({{"kind", "http.delay"}, {"ttlSeconds", 10}}));
    QVERIFY(isProblem(r, 403, QStringLiteral("forbidden")));
    QCOMPARE(plain.daemon.get(QStringLiteral("/readyz")).json().value("chaos").toObject().value("enabled").toBool(), false);
}

QTEST_GUILESS_MAIN(TstFaults)
#include "tst_faults.moc"
