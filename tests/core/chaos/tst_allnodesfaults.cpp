// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Faults on all nodes: two daemons on one database (chaos.enabled on both). A fault injected
// on node A with allNodes reaches node B over the event bus (same id, same time limit) and
// is observed through B's own requests; clearing it on A, its time limit, and stop-all with
// allNodes clear it on B too. Without allNodes a fault stays on its node. A copy has no
// lease of its own: when the origin is killed (kill -9), a copy of a time-limited fault
// clears at its time limit, and a copy of a lease-bound fault follows the origin's lease
// (announced over the bus while it is renewed) and lapses soon after the origin is gone.

#include "contenthttp.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using namespace Content::Test;
using Community::Test::DaemonProcess;

class TstAllNodesFaults : public QObject {
    Q_OBJECT
    ContentHttp h;
    DaemonProcess peer;

    QString inject(DaemonProcess &node, bool allNodes, int ttlSeconds, const QString &lease = {})
    {
        QJsonObject fault{{"kind", "http.abort"}, {"status", 418}, {"allNodes", allNodes},
                          {"selector", QJsonObject{{"route", "/v1/users/{username}"}}}, {"ttlSeconds", ttlSeconds}};
        if (!lease.isEmpty())
            fault.insert("lease", lease);
        const auto r = node.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/faults"), ContentHttp::json(fault));
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

    void copyOutlivesADeadOriginUntilItsTimeLimit()
    {
        DaemonProcess origin;
        QString error;
        QVERIFY2(h.startPeer(origin, {QStringLiteral("nodeName=origin")}, &error), qPrintable(error));
        const QString id = inject(origin, true, 6);
        QVERIFY(!id.isEmpty());
        QElapsedTimer t;
        t.start();
        QTRY_VERIFY_WITH_TIMEOUT(faultIds(peer).contains(id), 5'000);
        const QDateTime limit = QDateTime::fromString(
            origin.operatorRequest("GET", QStringLiteral("/v1/admin/chaos/faults")).json().value("faults").toArray()[0]
                .toObject().value("expiresAt").toString(), Qt::ISODateWithMs);
        origin.kill();   // SIGKILL: no cleared event will ever come from it
        QTest::qWait(1000);
        QVERIFY2(t.elapsed() < 5000, "too slow to observe the copy before its limit");
        QCOMPARE(profileStatus(peer), 418);   // the copy is still in force: nothing cleared it early
        QTRY_COMPARE_WITH_TIMEOUT(profileStatus(peer), 200, 9'000);
        QVERIFY2(QDateTime::currentDateTimeUtc() >= limit.addMSecs(-300), "the copy went before its time limit");
        QTRY_VERIFY_WITH_TIMEOUT(!faultIds(peer).contains(id), 2'000);   // the sweep removes it
        QTRY_VERIFY_WITH_TIMEOUT(!faultIds(h.daemon).contains(id), 2'000);
    }

    void copyOfALeasedFaultFollowsTheOriginsLease()
    {
        DaemonProcess origin;
        QString error;
        QVERIFY2(h.startPeer(origin, {QStringLiteral("nodeName=origin2")}, &error), qPrintable(error));
        const auto lease = origin.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/leases"), R"({"ttlSeconds":2})");
        QCOMPARE(lease.status, 201);
        const QString leaseId = lease.json().value("id").toString();
        const QString id = inject(origin, true, 600, leaseId);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(faultIds(peer).contains(id), 5'000);
        // Renewed on the origin for longer than the copy's own allowance (2 × 2 s): the
        // origin's announcements keep the copy.
        for (int i = 0; i < 6; ++i) {
            QTest::qWait(1000);
            QCOMPARE(origin.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/leases/%1/renew").arg(leaseId)).status, 200);
        }
        QCOMPARE(profileStatus(peer), 418);
        QVERIFY(faultIds(peer).contains(id));
        // The origin dies with its session: the copy lapses within twice the lease's TTL
        // (plus the sweep), long before its 600 s limit.
        origin.kill();
        QElapsedTimer t;
        t.start();
        QTRY_COMPARE_WITH_TIMEOUT(profileStatus(peer), 200, 8'000);
        qInfo("copy lapsed %lld ms after the origin was killed (lease TTL 2 s)", qint64(t.elapsed()));
        QVERIFY2(t.elapsed() >= 1500, qPrintable(QString::number(t.elapsed())));
        QVERIFY(!faultIds(peer).contains(id));
        QVERIFY(!faultIds(h.daemon).contains(id));
        const QByteArray metrics = peer.operatorRequest("GET", QStringLiteral("/metrics")).body;
        QVERIFY2(metrics.contains("community_chaos_faults_cleared_total{reason=\"lease-lapsed\"}"), metrics.constData());
    }
};

QTEST_MAIN(TstAllNodesFaults)
#include "tst_allnodesfaults.moc"
