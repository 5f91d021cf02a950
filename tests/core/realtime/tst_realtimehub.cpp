// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The realtime hub (/v1/ws) end to end: a real communityd with auth, users and content,
// short intervals and small limits so that timeouts and caps are reached quickly.

#include "contenthttp.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

#include <pqxx/pqxx>

using namespace Community::Test;
using Content::Test::ContentHttp;
using Users::Test::Account;

namespace {

// The shared daemon pings rarely (raw test peers never answer pings and must live long
// enough to fill their queues); pingTimeoutCloses runs its own daemon with 300 ms.
constexpr int kPingMs = 300;

QJsonObject frameData(int i, int padding = 0)
{
    return {{"i", i}, {"pad", QString(padding, QLatin1Char('x'))}};
}

} // namespace

class TstRealtimeHub : public QObject {
    Q_OBJECT

private:
    ContentHttp h;
    Account alice, bob;
    QString aliceId, bobId;

    QUrl ws(const QString &path = QStringLiteral("/v1/ws")) const { return wsUrl(h.daemon.baseUrl(), path); }
    QByteArray metrics() { return h.daemon.operatorRequest("GET", QStringLiteral("/metrics")).body; }
    double metric(const QByteArray &sample) { return metricValue(metrics(), sample); }
    /// Publishes through the operator route (the same Hub interface plugins use).
    qint64 publish(const QString &topic, const QJsonObject &data, bool ephemeral = false)
    {
        auto r = h.daemon.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                          ContentHttp::json({{"topic", topic}, {"data", data}, {"ephemeral", ephemeral}}));
        if (r.status != 202)
            qWarning() << "publish" << r.status << r.body;
        return r.status == 202 ? qint64(r.json().value("seq").toDouble()) : -1;
    }
    QString userIdOf(const Account &a)
    {
        WsClient c;
        if (!c.open(ws(), a.token))
            return {};
        auto ready = c.waitType("ready");
        return ready ? ready->value("user").toString() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        h.extraSets << QStringLiteral("realtime.authTimeoutMs=800") << QStringLiteral("realtime.pingIntervalMs=20000")
                    << QStringLiteral("realtime.replayMaxFrames=5") << QStringLiteral("realtime.sendQueueBytes=262144")
                    << QStringLiteral("realtime.framesPerSecond=10") << QStringLiteral("realtime.frameBurst=10")
                    << QStringLiteral("realtime.maxConnectionsPerUser=4") << QStringLiteral("realtime.maxFrameBytes=4096")
                    << QStringLiteral("realtime.allowedOrigins=[\"https://good.example\"]")
                    << QStringLiteral("events.pollIntervalMs=100");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        alice = h.registerUser(QStringLiteral("alice"));
        bob = h.registerUser(QStringLiteral("bob"));
        QVERIFY(!alice.token.isEmpty() && !bob.token.isEmpty());
        aliceId = userIdOf(alice);
        bobId = userIdOf(bob);
        QVERIFY(!aliceId.isEmpty() && !bobId.isEmpty() && aliceId != bobId);
    }

    void authByHeader()
    {
        WsClient c;
        QVERIFY(c.open(ws(), alice.token));
        auto ready = c.waitType("ready");
        QVERIFY(ready);
        QCOMPARE(ready->value("user").toString(), aliceId);
        QCOMPARE(ready->value("n").toInt(), 1);   // the per-connection frame counter starts at 1
    }

    void authByFrame()
    {
        WsClient c;
        QVERIFY(c.open(ws()));
        c.send({{"type", "auth"}, {"token", QString::fromLatin1(bob.token)}});
        auto ready = c.waitType("ready");
        QVERIFY(ready);
        QCOMPARE(ready->value("user").toString(), bobId);
    }

    void authTimeoutCloses()
    {
        const double before = metric("community_realtime_refusals_total{reason=\"auth_timeout\"}");
        WsClient c;
        QVERIFY(c.open(ws()));
        QElapsedTimer t;
        t.start();
        QVERIFY(c.waitClosed(3000));
        QCOMPARE(c.closeCode(), 4001);
        QVERIFY2(t.elapsed() >= 600, "closed before the auth timeout");
        QCOMPARE(metric("community_realtime_refusals_total{reason=\"auth_timeout\"}"), before + 1);
    }

    void badAuthFrameCloses()
    {
        WsClient c;
        QVERIFY(c.open(ws()));
        c.send({{"type", "auth"}, {"token", "not-a-token"}});
        QVERIFY(c.waitClosed(3000));
        QCOMPARE(c.closeCode(), 4001);
        WsClient early;   // anything but auth first also closes
        QVERIFY(early.open(ws()));
        early.send({{"type", "subscribe"}, {"topic", "user:" + aliceId}});
        QVERIFY(early.waitClosed(3000));
        QCOMPARE(early.closeCode(), 4001);
    }

    void badHeaderTokenRefused()
    {
        RawWs raw;
        const QByteArray head = raw.upgrade(h.daemon.baseUrl(), {{"Authorization", "Bearer nope"}});
        QCOMPARE(RawWs::status(head), 401);
    }

    void originChecked()
    {
        const double before = metric("community_realtime_refusals_total{reason=\"origin\"}");
        RawWs evil;
        const QByteArray head = evil.upgrade(h.daemon.baseUrl(), {{"Origin", "https://evil.example"}, {"Authorization", "Bearer " + alice.token}});
        QCOMPARE(RawWs::status(head), 403);
        QCOMPARE(metric("community_realtime_refusals_total{reason=\"origin\"}"), before + 1);
        RawWs good;
        QCOMPARE(RawWs::status(good.upgrade(h.daemon.baseUrl(), {{"Origin", "https://good.example"}, {"Authorization", "Bearer " + alice.token}})), 101);
        WsClient browser(QStringLiteral("https://evil.example"));
        QVERIFY(!browser.open(ws(), alice.token));
    }

    void tokenInUrlRefused()
    {
        const double before = metric("community_realtime_refusals_total{reason=\"token_in_url\"}");
        for (const char *q : {"token", "access_token"}) {
            RawWs raw;
            const QByteArray head = raw.upgrade(h.daemon.baseUrl(), {},
                                                QStringLiteral("/v1/ws?%1=").arg(QLatin1String(q)) + QString::fromLatin1(alice.token));
            QCOMPARE(RawWs::status(head), 400);
            QVERIFY(head.contains("application/problem+json"));
        }
        QCOMPARE(metric("community_realtime_refusals_total{reason=\"token_in_url\"}"), before + 2);
    }

    void foreignUserTopicRefused()
    {
        WsClient c;
        QVERIFY(c.open(ws(), alice.token));
        auto own = c.subscribe("user:" + aliceId);
        QVERIFY(own);
        QCOMPARE(own->value("type").toString(), QStringLiteral("subscribed"));
        auto foreign = c.subscribe("user:" + bobId);
        QVERIFY(foreign);
        QCOMPARE(foreign->value("type").toString(), QStringLiteral("error"));
        QCOMPARE(foreign->value("code").toString(), QStringLiteral("forbidden"));
        auto admin = c.subscribe(QStringLiteral("admin:metrics"));
        QVERIFY(admin);
        QCOMPARE(admin->value("code").toString(), QStringLiteral("forbidden"));
        auto unknown = c.subscribe(QStringLiteral("nosuch:1"));
        QVERIFY(unknown);
        QCOMPARE(unknown->value("code").toString(), QStringLiteral("unknown-topic"));
        // Bob's frames never reach Alice.
        publish("user:" + bobId, frameData(1));
        QVERIFY(!c.waitType("event", "user:" + bobId, 500));
    }

    void adminMetricsFeed()
    {
        // A burst well before anyone watches: the first frame shows one quiet period, not
        // the burst (samples are taken every period, watched or not).
        for (int i = 0; i < 300; ++i)
            h.call("GET", QStringLiteral("/v1/communities"), alice.token);
        QTest::qWait(2200);
        WsClient c;
        QVERIFY(c.open(ws(), h.admin.token));
        auto sub = c.subscribe(QStringLiteral("admin:metrics"));
        QVERIFY(sub && sub->value("type") == QStringLiteral("subscribed"));
        auto m = c.waitType("event", "admin:metrics", 3000);
        QVERIFY(m);
        const QJsonObject d = m->value("data").toObject();
        QVERIFY2(d.value("requestsPerSecond").toDouble() < 100, qPrintable(QString::number(d.value("requestsPerSecond").toDouble())));
        for (const char *key : {"requestsPerSecond", "clientErrorsPerSecond", "serverErrorsPerSecond", "byArea",
                                "wsConnections", "dbPool", "workerQueue", "eventLag"})
            QVERIFY2(d.contains(QLatin1String(key)), key);
        QVERIFY(d.value("wsConnections").toInt() >= 1);
        QVERIFY(d.value("dbPool").toObject().value("size").toInt() >= 1);
        // Errors per area (`communityctl top`'s 4XX/S and 5XX/S columns).
        for (int i = 0; i < 5; ++i)
            QCOMPARE(h.call("GET", QStringLiteral("/v1/communities/no-such-community"), alice.token).status, 404);
        auto withErrors = c.waitFor([](const QJsonObject &f) {
            const QJsonObject area = f.value("data").toObject().value("byArea").toObject().value("communities").toObject();
            return f.value("type") == QStringLiteral("event") && area.value("clientErrorsPerSecond").toDouble() > 0
                   && area.contains(QStringLiteral("serverErrorsPerSecond"));
        }, 5000);
        QVERIFY2(withErrors, "no admin:metrics frame showed the communities area's 404s");
    }

    void publishResumeAndResync()
    {
        const QString topic = "user:" + aliceId;
        auto c = std::make_unique<WsClient>();
        QVERIFY(c->open(ws(), alice.token));
        auto sub = c->subscribe(topic);
        QVERIFY(sub && sub->value("type") == QStringLiteral("subscribed"));
        const qint64 start = qint64(sub->value("seq").toDouble());
        for (int i = 1; i <= 3; ++i)
            QCOMPARE(publish(topic, frameData(i)), start + i);
        auto third = c->waitFor([&](const QJsonObject &f) { return f.value("seq").toInteger() == start + 3; });
        QVERIFY(third);
        QCOMPARE(third->value("data").toObject().value("i").toInt(), 3);
        // Frame counters have no gaps.
        for (int i = 0; i < c->frames().size(); ++i)
            QCOMPARE(c->frames()[i].value("n").toInteger(), qint64(i) + 1);
        c.reset();   // the laptop sleeps

        for (int i = 4; i <= 5; ++i)
            publish(topic, frameData(i));
        const double resumes = metric("community_realtime_resumes_total");
        WsClient back;
        QVERIFY(back.open(ws(), alice.token));
        auto again = back.subscribe(topic, start + 3);
        QVERIFY(again && again->value("type") == QStringLiteral("subscribed"));
        QCOMPARE(qint64(again->value("seq").toDouble()), start + 5);
        auto last = back.waitFor([&](const QJsonObject &f) { return f.value("seq").toInteger() == start + 5; });
        QVERIFY(last);
        QList<qint64> seqs;
        for (const QJsonObject &f : back.frames()) {
            if (f.value("type") == QStringLiteral("event")) {
                QVERIFY(f.value("replay").toBool());
                seqs << f.value("seq").toInteger();
            }
        }
        QCOMPARE(seqs, (QList<qint64>{start + 4, start + 5}));
        QCOMPARE(metric("community_realtime_resumes_total"), resumes + 1);
        // Live frames follow the replay without a gap.
        publish(topic, frameData(6));
        QVERIFY(back.waitFor([&](const QJsonObject &f) { return f.value("seq").toInteger() == start + 6 && !f.contains("replay"); }));
        back.close();

        // Beyond the cap (5 here): resync, no replay.
        for (int i = 7; i <= 13; ++i)
            publish(topic, frameData(i));
        const double resyncs = metric("community_realtime_resyncs_total");
        WsClient late;
        QVERIFY(late.open(ws(), alice.token));
        late.subscribe(topic, start + 6);
        auto resync = late.waitType("resync", topic);
        QVERIFY(resync);
        QCOMPARE(resync->value("seq").toInteger(), start + 13);
        QVERIFY(!late.waitType("event", topic, 300));
        QCOMPARE(metric("community_realtime_resyncs_total"), resyncs + 1);
    }

    void slowConsumerClosedOthersServed()
    {
        const QString topic = "user:" + aliceId;
        RawWs slow;
        QCOMPARE(RawWs::status(slow.upgrade(h.daemon.baseUrl(), {{"Authorization", "Bearer " + alice.token}})), 101);
        slow.sendText(R"({"type":"subscribe","topic":")" + topic.toUtf8() + R"("})");
        QTest::qWait(300);
        slow.stopReading(1024);
        WsClient fast;
        QVERIFY(fast.open(ws(), alice.token));
        auto sub = fast.subscribe(topic);
        QVERIFY(sub);
        const double before = metric("community_realtime_refusals_total{reason=\"queue_full\"}");
        const qint64 start = qint64(sub->value("seq").toDouble());
        const int count = 160;
        // The fast client reads on this thread, which also publishes: it takes each frame
        // before the next is published (else this thread, not the client, would be slow);
        // the slow one reads nothing and fills its queue.
        for (int i = 1; i <= count; ++i) {
            publish(topic, frameData(i, 64 * 1024));
            auto got = fast.waitFor([&](const QJsonObject &f) { return f.value("seq").toInteger() == start + i; }, 10'000);
            QVERIFY2(got, qPrintable(QStringLiteral("the fast client did not get frame %1 (close code %2)").arg(i).arg(fast.closeCode())));
        }
        QVERIFY(fast.isOpen());
        QTRY_VERIFY_WITH_TIMEOUT(metric("community_realtime_refusals_total{reason=\"queue_full\"}") >= before + 1, 10'000);
        QVERIFY(metric("community_realtime_dropped_frames_total{reason=\"queue_full\"}") >= 1);
        QVERIFY(metric("community_realtime_send_queue_high_water_bytes") > 128 * 1024);
    }

    void ephemeralDroppedUnderBackpressure()
    {
        RawWs slow;
        QCOMPARE(RawWs::status(slow.upgrade(h.daemon.baseUrl(), {{"Authorization", "Bearer " + h.admin.token}})), 101);
        slow.sendText(R"({"type":"subscribe","topic":"admin:typing"})");
        QTest::qWait(300);
        slow.stopReading(1024);
        const double before = metric("community_realtime_dropped_frames_total{reason=\"backpressure\"}");
        for (int i = 1; i <= 200; ++i)
            publish(QStringLiteral("admin:typing"), frameData(i, 64 * 1024), true);
        QTRY_VERIFY_WITH_TIMEOUT(metric("community_realtime_dropped_frames_total{reason=\"backpressure\"}") > before, 10'000);
    }

    void pingTimeoutCloses()
    {
        DaemonProcess d;   // no plugins: the operator token authenticates
        DaemonProcess::Options o;
        o.extraArgs << QStringLiteral("--set") << QStringLiteral("realtime.pingIntervalMs=%1").arg(kPingMs);
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        const QByteArray bearer = "Bearer " + d.operatorToken().toLatin1();
        QElapsedTimer t;
        t.start();
        RawWs mute;
        QCOMPARE(RawWs::status(mute.upgrade(d.baseUrl(), {{"Authorization", bearer}})), 101);
        WsClient alive;   // QWebSocket answers pings
        QVERIFY(alive.open(wsUrl(d.baseUrl()), d.operatorToken().toLatin1()));
        QVERIFY(mute.waitDisconnected(6 * kPingMs + 2000));
        QVERIFY2(t.elapsed() >= 2 * kPingMs, "closed before two ping intervals");
        const QByteArray m = d.operatorRequest("GET", QStringLiteral("/metrics")).body;
        QCOMPARE(metricValue(m, "community_realtime_refusals_total{reason=\"ping_timeout\"}"), 1.0);
        QTest::qWait(4 * kPingMs);
        QVERIFY(alive.isOpen());
    }

    // An access token's expiry closes its sockets (4001) at the next credential check; a
    // socket that sent a fresh token of the same account in an `auth` frame stays, keeps its
    // subscriptions and still receives. A bad or foreign token changes nothing.
    void expiredCredentialCloses()
    {
        ContentHttp own;   // its own daemon: 10 s tokens (auth's minimum), checks every 300 ms
        own.extraSets << QStringLiteral("plugins.auth.accessTokenTtlSeconds=10")
                      << QStringLiteral("realtime.credentialCheckMs=300");
        QString error;
        QVERIFY2(own.start(&error), qPrintable(error));
        const Account carol = own.registerUser(QStringLiteral("carol"));
        const Account dave = own.registerUser(QStringLiteral("dave"));
        QElapsedTimer sinceIssue;
        sinceIssue.start();
        QVERIFY(!carol.token.isEmpty() && !dave.token.isEmpty());
        const QUrl url = wsUrl(own.daemon.baseUrl());
        WsClient stale, refreshed;
        QVERIFY(stale.open(url, carol.token));
        QVERIFY(refreshed.open(url));
        refreshed.send({{"type", "auth"}, {"token", QString::fromLatin1(carol.token)}});
        auto ready = refreshed.waitType("ready");
        QVERIFY(ready);
        const QString topic = "user:" + ready->value("user").toString();
        QVERIFY(refreshed.subscribe(topic));

        refreshed.send({{"type", "auth"}, {"token", "not-a-token"}, {"id", "bad"}});
        auto bad = refreshed.waitType("error");
        QVERIFY(bad);
        QCOMPARE(bad->value("code").toString(), QStringLiteral("unauthorized"));
        refreshed.send({{"type", "auth"}, {"token", QString::fromLatin1(dave.token)}, {"id", "other"}});
        auto other = refreshed.waitFor([](const QJsonObject &f) { return f.value("id") == QStringLiteral("other"); });
        QVERIFY(other);
        QCOMPARE(other->value("code").toString(), QStringLiteral("other-principal"));

        QTest::qWait(4000);
        const QByteArray fresh = own.login(carol.username, carol.password);   // expires ~4 s after the first
        QVERIFY(!fresh.isEmpty());
        refreshed.send({{"type", "auth"}, {"token", QString::fromLatin1(fresh)}, {"id", "fresh"}});
        auto re = refreshed.waitType("reauthenticated");
        QVERIFY(re);
        QCOMPARE(re->value("id").toString(), QStringLiteral("fresh"));

        QVERIFY(stale.waitClosed(15'000));
        QCOMPARE(stale.closeCode(), 4001);
        qInfo("the stale socket closed %lld ms after its token was issued (10 s life)", qint64(sinceIssue.elapsed()));
        QVERIFY2(sinceIssue.elapsed() >= 8000, "closed before the token expired");
        QVERIFY(refreshed.isOpen());
        auto pub = own.daemon.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                              ContentHttp::json({{"topic", topic}, {"data", QJsonObject{{"after", "expiry"}}}}));
        QCOMPARE(pub.status, 202);
        auto ev = refreshed.waitType("event", topic);
        QVERIFY(ev);
        QCOMPARE(ev->value("data").toObject().value("after").toString(), QStringLiteral("expiry"));
        const QByteArray m = own.daemon.operatorRequest("GET", QStringLiteral("/metrics")).body;
        QCOMPARE(metricValue(m, "community_realtime_refusals_total{reason=\"credential_expired\"}"), 1.0);
    }

    // Stored frames and their `realtime.frame` outbox events go once past the replay age
    // (they only carried frames between nodes); younger ones stay.
    void framesAndTheirEventsPruned()
    {
        DaemonProcess d;   // no plugins: the core's user: topic and the operator route suffice
        DaemonProcess::Options o;
        o.extraArgs << QStringLiteral("--set") << QStringLiteral("realtime.replayMaxAgeSeconds=2")
                    << QStringLiteral("--set") << QStringLiteral("realtime.pruneIntervalMs=200");
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        auto count = [&](const char *sql) -> qint64 {
            pqxx::connection c(d.database()->conninfo());
            pqxx::nontransaction tx(c);
            return tx.exec(sql)[0][0].as<qint64>();
        };
        const char *events = "SELECT count(*) FROM events.outbox WHERE type = 'realtime.frame'";
        const char *frames = "SELECT count(*) FROM realtime.frames";
        for (int i = 0; i < 3; ++i) {
            auto r = d.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                       ContentHttp::json({{"topic", "user:1"}, {"data", frameData(i)}}));
            QCOMPARE(r.status, 202);
        }
        QCOMPARE(count(events), 3);
        QCOMPARE(count(frames), 3);
        QTRY_COMPARE_WITH_TIMEOUT(count(events), 0, 8000);
        QCOMPARE(count(frames), 0);
        auto young = d.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                       ContentHttp::json({{"topic", "user:1"}, {"data", frameData(9)}}));
        QCOMPARE(young.status, 202);
        QTest::qWait(600);   // three prune rounds
        QCOMPARE(count(events), 1);
        QCOMPARE(count(frames), 1);
    }

    void perIpLimitCounted()
    {
        DaemonProcess d;   // its own daemon: the shared one allows many sockets per address
        DaemonProcess::Options o;
        o.extraArgs << QStringLiteral("--set") << QStringLiteral("realtime.maxConnectionsPerIp=2");
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        const QByteArray token = d.operatorToken().toLatin1();
        WsClient one, two;
        QVERIFY(one.open(wsUrl(d.baseUrl()), token));
        QVERIFY(two.open(wsUrl(d.baseUrl()), token));
        RawWs third;
        const QByteArray head = third.upgrade(d.baseUrl(), {{"Authorization", "Bearer " + token}});
        QCOMPARE(RawWs::status(head), 429);
        const QByteArray m = d.operatorRequest("GET", QStringLiteral("/metrics")).body;
        QCOMPARE(metricValue(m, "community_realtime_refusals_total{reason=\"per_ip\"}"), 1.0);
        QCOMPARE(metricValue(m, "community_realtime_connections"), 2.0);
    }

    void limitsCounted()
    {
        WsClient c;
        QVERIFY(c.open(ws(), bob.token));
        QVERIFY(c.waitType("ready"));
        const double rate = metric("community_realtime_refusals_total{reason=\"rate_limited\"}");
        for (int i = 0; i < 30; ++i)
            c.send({{"type", "ping"}, {"id", i}});
        auto limited = c.waitFor([](const QJsonObject &f) { return f.value("code") == QStringLiteral("rate-limited"); });
        QVERIFY(limited);
        QVERIFY(metric("community_realtime_refusals_total{reason=\"rate_limited\"}") > rate);
        QVERIFY(c.isOpen());

        const double big = metric("community_realtime_refusals_total{reason=\"frame_too_large\"}");
        c.sendRaw(QStringLiteral("{\"type\":\"ping\",\"pad\":\"%1\"}").arg(QString(8000, QLatin1Char('y'))));
        QVERIFY(c.waitClosed(3000));
        QCOMPARE(c.closeCode(), 1009);
        QCOMPARE(metric("community_realtime_refusals_total{reason=\"frame_too_large\"}"), big + 1);

        const Account frank = h.registerUser(QStringLiteral("frank"));
        const double perUser = metric("community_realtime_refusals_total{reason=\"per_user\"}");
        std::vector<std::unique_ptr<WsClient>> many;
        for (int i = 0; i < 4; ++i) {
            many.push_back(std::make_unique<WsClient>());
            QVERIFY(many.back()->open(ws(), frank.token));
            QVERIFY(many.back()->waitType("ready"));
        }
        WsClient fifth;
        fifth.open(ws(), frank.token);   // accepted, then closed at once: it may be closed already
        QVERIFY(fifth.waitClosed(3000));
        QCOMPARE(fifth.closeCode(), 4029);
        QCOMPARE(metric("community_realtime_refusals_total{reason=\"per_user\"}"), perUser + 1);
    }

    void malformedFramesAnswered()
    {
        WsClient c;
        QVERIFY(c.open(ws(), bob.token));
        c.sendRaw(QStringLiteral("not json"));
        QVERIFY(c.waitFor([](const QJsonObject &f) { return f.value("code") == QStringLiteral("malformed"); }));
        c.send({{"type", "dance"}});
        QVERIFY(c.waitFor([](const QJsonObject &f) { return f.value("code") == QStringLiteral("unknown-type"); }));
        c.send({{"type", "subscribe"}, {"topic", "user:not a topic"}});
        QVERIFY(c.waitFor([](const QJsonObject &f) { return f.value("code") == QStringLiteral("unknown-topic"); }));
        QVERIFY(c.isOpen());
    }

    void newCommentOnPostTopic()
    {
        h.createCommunity(alice, QStringLiteral("livecomm"));
        const QString postId = h.createPost(alice, QStringLiteral("livecomm"), QStringLiteral("Live")).value("id").toString();
        QVERIFY(!postId.isEmpty());
        WsClient c;
        QVERIFY(c.open(ws(), bob.token));
        auto sub = c.subscribe("post:" + postId);
        QVERIFY(sub && sub->value("type") == QStringLiteral("subscribed"));
        const QString commentId = h.createComment(alice, postId, QStringLiteral("first!")).value("id").toString();
        QVERIFY(!commentId.isEmpty());
        auto ev = c.waitType("event", "post:" + postId, 3000);
        QVERIFY(ev);
        const QJsonObject d = ev->value("data").toObject();
        QCOMPARE(d.value("kind").toString(), QStringLiteral("comment.created"));
        QCOMPARE(d.value("commentId").toString(), commentId);
        QCOMPARE(ev->value("seq").toInteger(), qint64(1));
    }

    void revocationClosesWithinOneSecond_data()
    {
        QTest::addColumn<QString>("username");
        QTest::addColumn<bool>("suspend");
        QTest::newRow("logout") << QStringLiteral("carol") << false;
        QTest::newRow("suspension") << QStringLiteral("dave") << true;
    }

    void revocationClosesWithinOneSecond()
    {
        QFETCH(QString, username);
        QFETCH(bool, suspend);
        Account who = h.registerUser(username);
        WsClient c;
        QVERIFY(c.open(ws(), who.token));
        QVERIFY(c.waitType("ready"));
        QElapsedTimer t;
        t.start();
        auto r = suspend ? h.call("POST", QStringLiteral("/v1/admin/users/%1/suspend").arg(username), h.admin.token,
                                  ContentHttp::json({{"reason", "test"}}))
                         : h.call("POST", QStringLiteral("/v1/auth/logout"), who.token);
        QCOMPARE(r.status / 100, 2);
        QVERIFY(c.waitClosed(1200));
        QVERIFY2(t.elapsed() <= 1000, qPrintable(QString::number(t.elapsed())));
        qInfo("%s -> socket closed: %lld ms (including the request)", suspend ? "suspension" : "logout", qint64(t.elapsed()));
        QCOMPARE(c.closeCode(), 4003);
    }

    void roleChangeRefilters()
    {
        Account erin = h.registerUser(QStringLiteral("erin"));
        QVERIFY(h.setRole(erin, QStringLiteral("admin")));
        WsClient c;
        QVERIFY(c.open(ws(), erin.token));
        auto sub = c.subscribe(QStringLiteral("admin:metrics"));
        QVERIFY(sub && sub->value("type") == QStringLiteral("subscribed"));
        QElapsedTimer t;
        t.start();
        auto r = h.call("PUT", QStringLiteral("/v1/admin/users/erin/role"), h.admin.token, ContentHttp::json({{"role", "user"}}));
        QCOMPARE(r.status / 100, 2);
        auto gone = c.waitFor([](const QJsonObject &f) {
            return f.value("type") == QStringLiteral("unsubscribed") && f.value("topic") == QStringLiteral("admin:metrics");
        }, 1200);
        QVERIFY(gone);
        QVERIFY2(t.elapsed() <= 1000, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(gone->value("reason").toString(), QStringLiteral("forbidden"));
        QVERIFY(c.isOpen());
    }

    void moderatorsFollowTheQueueOnly()
    {
        Account mona = h.registerUser(QStringLiteral("mona"));
        QVERIFY(h.setRole(mona, QStringLiteral("moderator")));
        WsClient c;
        QVERIFY(c.open(ws(), mona.token));
        auto queue = c.subscribe(QStringLiteral("admin:queue"));
        QVERIFY(queue && queue->value("type") == QStringLiteral("subscribed"));
        auto metrics = c.subscribe(QStringLiteral("admin:metrics"));
        QVERIFY(metrics);
        QCOMPARE(metrics->value("code").toString(), QStringLiteral("forbidden"));
        // A plain user may follow neither.
        Account una = h.registerUser(QStringLiteral("una"));
        WsClient u;
        QVERIFY(u.open(ws(), una.token));
        auto refused = u.subscribe(QStringLiteral("admin:queue"));
        QVERIFY(refused);
        QCOMPARE(refused->value("code").toString(), QStringLiteral("forbidden"));
    }

    void metricsExported()
    {
        const QByteArray m = metrics();
        for (const char *name : {"community_realtime_connections", "community_realtime_subscriptions",
                                 "community_realtime_frames_total{direction=\"in\"}", "community_realtime_frames_total{direction=\"out\"}",
                                 "community_realtime_resumes_total", "community_realtime_resyncs_total",
                                 "community_realtime_send_queue_high_water_bytes"})
            QVERIFY2(m.contains(name), name);
        QVERIFY(metricValue(m, "community_realtime_frames_total{direction=\"out\"}") > 0);
    }
};

QTEST_GUILESS_MAIN(TstRealtimeHub)
#include "tst_realtimehub.moc"
