// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Two communityd processes on one database: a frame published on node A reaches a
// subscriber on node B through the event bus (outbox + coalesced NOTIFY hint), durable
// sequences are shared, and a logout on A closes the user's socket on B.

#include "daemonprocess.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QtTest>

using namespace Community::Test;

namespace {

DaemonProcess::Options node(const std::string &conninfo)
{
    DaemonProcess::Options o;
    o.pluginDirs = {QStringLiteral(COMMUNITY_PLUGIN_DIR)};
    for (const QString &s : {QStringLiteral("database.url=") + QString::fromStdString(conninfo),
                             QStringLiteral("events.pollIntervalMs=100"), QStringLiteral("log.access=off"),
                             QStringLiteral("plugins.auth.passwordHash.opsLimit=1"),
                             QStringLiteral("plugins.auth.passwordHash.memLimitBytes=8192")})
        o.extraArgs << QStringLiteral("--set") << s;
    return o;
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TstRealtimeCluster : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void frameCrossesNodes()
    {
        TestDb db;
        DaemonProcess a, b;
        QVERIFY2(a.start(node(db.conninfo())), qPrintable(a.errorString()));
        const QByteArray password = "Correct-Horse-Cluster-Battery!";
        auto reg = httpRequest(a.url(QStringLiteral("/v1/auth/register")), "POST",
                               json({{"username", "nina"}, {"email", "nina@example.com"}, {"password", QString::fromLatin1(password)}}));
        QCOMPARE(reg.status, 201);
        auto login = httpRequest(a.url(QStringLiteral("/v1/auth/login")), "POST",
                                 json({{"login", "nina"}, {"password", QString::fromLatin1(password)}}));
        const QByteArray token = login.json().value("accessToken").toString().toLatin1();
        QVERIFY(!token.isEmpty());
        QVERIFY2(b.start(node(db.conninfo())), qPrintable(b.errorString()));

        WsClient onB;
        QVERIFY(onB.open(wsUrl(b.baseUrl()), token));
        auto ready = onB.waitType("ready");
        QVERIFY(ready);
        const QString topic = "user:" + ready->value("user").toString();
        auto sub = onB.subscribe(topic);
        QVERIFY(sub && sub->value("type") == QStringLiteral("subscribed"));
        WsClient opB;   // the operator on B watches an ephemeral topic
        QVERIFY(opB.open(wsUrl(b.baseUrl()), b.operatorToken().toLatin1()));
        QVERIFY(opB.subscribe(QStringLiteral("admin:cluster")));

        QElapsedTimer t;
        t.start();
        auto pub = a.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                     json({{"topic", topic}, {"data", QJsonObject{{"hello", "from a"}}}}));
        QCOMPARE(pub.status, 202);
        auto ev = onB.waitType("event", topic, 3000);
        QVERIFY2(ev, "the frame published on node A did not reach node B");
        qInfo("A -> B delivery: %lld ms", qint64(t.elapsed()));
        QCOMPARE(ev->value("data").toObject().value("hello").toString(), QStringLiteral("from a"));
        QCOMPARE(ev->value("seq").toInteger(), qint64(pub.json().value("seq").toDouble()));
        // Sequences are per topic across nodes: B's publish continues A's.
        auto pubB = b.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                      json({{"topic", topic}, {"data", QJsonObject{{"hello", "from b"}}}}));
        QCOMPARE(qint64(pubB.json().value("seq").toDouble()), ev->value("seq").toInteger() + 1);

        auto eph = a.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                     json({{"topic", "admin:cluster"}, {"data", QJsonObject{{"x", 1}}}}));
        QCOMPARE(eph.status, 202);
        QVERIFY(opB.waitType("event", QStringLiteral("admin:cluster"), 3000));

        // Published outside a transaction (publishEphemeral): NOTIFY to the other nodes, once
        // on each; one too large for a NOTIFY payload goes through the outbox, still once.
        WsClient opA;
        QVERIFY(opA.open(wsUrl(a.baseUrl()), a.operatorToken().toLatin1()));
        QVERIFY(opA.subscribe(QStringLiteral("admin:live")));
        QVERIFY(opB.subscribe(QStringLiteral("admin:live")));
        const QString big(10'000, QLatin1Char('k'));
        for (const QString &payload : {QStringLiteral("small"), big}) {
            t.restart();
            auto live = a.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"),
                                          json({{"topic", "admin:live"}, {"data", QJsonObject{{"p", payload}}}, {"ephemeral", true}}));
            QCOMPARE(live.status, 202);
            auto onBLive = opB.waitFor([&](const QJsonObject &f) {
                return f.value("topic") == QStringLiteral("admin:live") && f.value("data").toObject().value("p") == payload;
            }, 3000);
            QVERIFY2(onBLive, "an ephemeral frame published on node A did not reach node B");
            qInfo("ephemeral A -> B (%lld bytes): %lld ms", qint64(payload.size()), qint64(t.elapsed()));
            QVERIFY(opA.waitFor([&](const QJsonObject &f) { return f.value("data").toObject().value("p") == payload; }, 3000));
        }
        QTest::qWait(1500);   // a second copy would come by the outbox within the poll interval
        for (WsClient *c : {&opA, &opB}) {
            int copies = 0;
            for (const QJsonObject &f : c->frames())
                copies += f.value("type") == QStringLiteral("event") && f.value("topic") == QStringLiteral("admin:live") ? 1 : 0;
            QCOMPARE(copies, 2);
        }

        // A logout on A closes the socket on B (within the bus delay).
        QCOMPARE(httpRequest(a.url(QStringLiteral("/v1/auth/logout")), "POST", {}, {{"Authorization", "Bearer " + token}}).status, 204);
        QVERIFY(onB.waitClosed(2000));
        QCOMPARE(onB.closeCode(), 4003);
    }
};

QTEST_GUILESS_MAIN(TstRealtimeCluster)
#include "tst_realtimecluster.moc"
