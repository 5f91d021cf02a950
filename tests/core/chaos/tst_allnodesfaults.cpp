// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Faults on all nodes: two daemons on one database (chaos.enabled on both). A fault injected
// on node A with allNodes reaches node B over the event bus (same id, same time limit) and
// is observed through B's own requests; clearing it on A, its time limit, and stop-all with
// allNodes clear it on B too. Without allNodes a fault stays on its node.

#include "contenthttp.h"

#include <QJsonArray>
#include <QtTest>

using namespace Content::Test;
using Community::Test::DaemonProcess;

class TstAllNodesFaults : public QObject {
    Q_OBJECT
    ContentHttp h;
    DaemonProcess peer;

    QString inject(DaemonProcess &node, bool allNodes, int ttlSeconds)
    {
        const auto r = node.operatorRequest(
            "POST", QStringLiteral("/v1/admin/chaos/faults"),
            ContentHttp::json({{"kind", "http.abort"}, {"status", 418}, {"allNodes", allNodes},
                               {"selector", QJsonObject{{"route", "/v1/users/{username}"}}}, {"ttlSeconds", ttlSeconds}}));
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json().value("id").toString();
    }
    int profileStatus(DaemonProcess &node)
    {
        return Community::Test::httpRequest(node.url(QStringLiteral("/v1/users/admin")), "GET").status;
    }
    QStringList faultIds(DaemonProcess &node)
    {
        QStringList ids;
        for (const QJsonValue &v : node.operatorRequest("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray())
            ids << v.toObject().value("id").toString();
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("COMMUNITY_RESPONSE_LOG");   // answers under faults are not API examples
        h.extraSets << QStringLiteral("chaos.enabled=true") << QStringLiteral("events.pollIntervalMs=100");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY2(h.startPeer(peer, {QStringLiteral("nodeName=peer")}, &error), qPrintable(error));
        QCOMPARE(profileStatus(peer), 200);
    }
    void cleanupTestCase()
    {
        QCOMPARE(peer.stop(), 0);
        QCOMPARE(h.daemon.stop(), 0);
    }

    void oneNodeOnlyWithoutAllNodes()
    {
        const QString id = inject(h.daemon, false, 30);
        QVERIFY(!id.isEmpty());
        QCOMPARE(profileStatus(h.daemon), 418);
        QTest::qWait(800);   // several bus polls
        QCOMPARE(profileStatus(peer), 200);
        QVERIFY(!faultIds(peer).contains(id));
        QCOMPARE(h.daemon.operatorRequest("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id).status, 204);
    }

    void injectAndClearReachTheOtherNode()
    {
        const QString id = inject(h.daemon, true, 60);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(profileStatus(peer), 418, 5'000);
        QVERIFY(faultIds(peer).contains(id));   // the same fault, by id
        QCOMPARE(h.daemon.operatorRequest("DELETE", QStringLiteral("/v1/admin/chaos/faults/") + id).status, 204);
        QTRY_COMPARE_WITH_TIMEOUT(profileStatus(peer), 200, 5'000);
        QVERIFY(faultIds(peer).isEmpty());
    }

    void timeLimitAppliesEverywhere()
    {
        QVERIFY(!inject(h.daemon, true, 2).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(profileStatus(peer), 418, 5'000);
        QTRY_COMPARE_WITH_TIMEOUT(profileStatus(peer), 200, 5'000);
        QCOMPARE(profileStatus(h.daemon), 200);
    }

    void stopAllOnAllNodes()
    {
        QVERIFY(!inject(h.daemon, true, 60).isEmpty());
        QVERIFY(!inject(peer, false, 60).isEmpty());   // the peer's own fault goes too
        QTRY_COMPARE_WITH_TIMEOUT(faultIds(peer).size(), 2, 5'000);
        const auto r = h.daemon.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/stop-all"), R"({"allNodes":true})");
        QCOMPARE(r.status, 200);
        QCOMPARE(profileStatus(h.daemon), 200);
        QTRY_COMPARE_WITH_TIMEOUT(faultIds(peer).size(), 0, 5'000);
        QCOMPARE(profileStatus(peer), 200);
    }
};

QTEST_MAIN(TstAllNodesFaults)
#include "tst_allnodesfaults.moc"
