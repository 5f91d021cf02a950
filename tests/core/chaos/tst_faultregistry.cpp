// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Chaos::FaultRegistry on its own (community/host/faults.h): the selectors' shares (percent
// of users, stable per user; probability per request), the live flag every clearing path
// turns off, and copies of all-nodes faults — a copy of a lease-bound fault follows the
// origin's lease (renewCopyLease) and lapses without it, a copy without a lease goes at its
// time limit.
#include "community/host/faults.h"

#include <QtTest>

using namespace Community::Chaos;

class TstFaultRegistry : public QObject {
    Q_OBJECT

    static FaultRegistry::Options enabled(const QString &node = QStringLiteral("a"))
    {
        FaultRegistry::Options o;
        o.enabled = true;
        o.nodeName = node;
        return o;
    }
    static Fault abort(const QString &route = {})
    {
        Fault f;
        f.kind = FaultKind::HttpAbort;
        f.selector.route = route;
        return f;
    }

private Q_SLOTS:
    void percentOfUsersIsAStableShare()
    {
        FaultRegistry r(enabled());
        Fault f = abort();
        f.selector.percent = 30;
        QVERIFY(r.inject(f, 60));
        int in = 0;
        QSet<QString> chosen;
        for (int i = 0; i < 2000; ++i) {
            const QString user = QString::number(i);
            if (r.pick(FaultKind::HttpAbort, Target{QStringLiteral("/x"), QStringLiteral("p"), user})) {
                ++in;
                chosen.insert(user);
            }
        }
        QVERIFY2(in > 2000 * 25 / 100 && in < 2000 * 35 / 100, qPrintable(QString::number(in)));
        // The same users again: exactly the same ones are in.
        for (int i = 0; i < 2000; ++i) {
            const QString user = QString::number(i);
            QCOMPARE(bool(r.pick(FaultKind::HttpAbort, Target{QStringLiteral("/x"), QStringLiteral("p"), user})),
                     chosen.contains(user));
        }
    }

    void probabilityIsPerRequest()
    {
        FaultRegistry r(enabled());
        Fault f = abort();
        f.probability = 0.25;
        QVERIFY(r.inject(f, 60));
        int fired = 0;
        for (int i = 0; i < 4000; ++i)
            fired += r.pick(FaultKind::HttpAbort, Target{QStringLiteral("/x"), {}, QStringLiteral("same-user")}) ? 1 : 0;
        QVERIFY2(fired > 800 && fired < 1200, qPrintable(QString::number(fired)));
    }

    void everyClearingPathTurnsLiveOff()
    {
        FaultRegistry r(enabled());
        auto a = r.inject(abort(), 60);
        auto b = r.inject(abort(), 60);
        auto c = r.inject(abort(), 1);
        QVERIFY(a && b && c);
        QVERIFY(a->live->load() && b->live->load() && c->live->load());
        QVERIFY(r.clear(a->id));
        QVERIFY(!a->live->load());
        QTest::qWait(1100);
        r.sweep();
        QVERIFY(!c->live->load());   // time limit
        QVERIFY(b->live->load());
        QCOMPARE(r.stopAll(), 1);
        QVERIFY(!b->live->load());
    }

    void copyOfALeasedFaultFollowsTheOriginsLease()
    {
        FaultRegistry origin(enabled(QStringLiteral("a")));
        FaultRegistry copy(enabled(QStringLiteral("b")));
        QList<FaultRegistry::ClearReason> reasons;
        copy.setClearedObserver([&](const Fault &, FaultRegistry::ClearReason why) { reasons << why; });
        const auto lease = origin.openLease(300);
        Fault f = abort();
        f.allNodes = true;
        f.leaseId = lease.id;
        auto injected = origin.inject(f, 600);
        QVERIFY(injected);
        QCOMPARE(injected->leaseTtlMs, 300);
        QCOMPARE(origin.sharedLeases().size(), 1);
        QCOMPARE(origin.sharedLeases().first().id, lease.id);

        // Over the wire (JSON), as the chaos.fault.injected event carries it.
        const auto received = Fault::fromJson(injected->toJson());
        QVERIFY(received);
        const auto adopted = copy.adopt(*received);
        QVERIFY(adopted);
        QCOMPARE(adopted->leaseId, lease.id);
        QVERIFY(copy.sharedLeases().isEmpty());   // not this node's lease to announce
        QVERIFY(!copy.renewLease(lease.id));       // nor a client's to renew here
        QCOMPARE(copy.closeLease(lease.id), 0);
        QVERIFY(!copy.adopt(*received));           // once

        // Announced: kept well beyond twice the TTL (600 ms).
        for (int i = 0; i < 8; ++i) {
            QTest::qWait(150);
            QVERIFY(copy.renewCopyLease(lease.id));
            copy.sweep();
        }
        QCOMPARE(copy.faults().size(), 1);
        // Silence (the origin died): gone after twice the TTL, as lease-lapsed.
        QTest::qWait(700);
        copy.sweep();
        QVERIFY(copy.faults().isEmpty());
        QVERIFY(!adopted->live->load());
        QVERIFY(reasons.size() == 1 && reasons.first() == FaultRegistry::ClearReason::LeaseLapsed);
        QVERIFY(!copy.renewCopyLease(lease.id));   // a lapsed copy stays lapsed
    }

    void copyWithoutALeaseGoesAtItsTimeLimit()
    {
        FaultRegistry origin(enabled(QStringLiteral("a")));
        FaultRegistry copy(enabled(QStringLiteral("b")));
        Fault f = abort();
        f.allNodes = true;
        auto injected = origin.inject(f, 1);
        QVERIFY(injected);
        const auto adopted = copy.adopt(*Fault::fromJson(injected->toJson()));
        QVERIFY(adopted);
        QVERIFY(adopted->leaseId.isEmpty());
        QCOMPARE(adopted->expiresAt, injected->expiresAt);
        copy.sweep();
        QCOMPARE(copy.faults().size(), 1);
        QTest::qWait(1100);
        copy.sweep();
        QVERIFY(copy.faults().isEmpty());
        // An expired fault is not adopted at all.
        QVERIFY(!FaultRegistry(enabled(QStringLiteral("c"))).adopt(*Fault::fromJson(injected->toJson())));
    }
};

QTEST_GUILESS_MAIN(TstFaultRegistry)
#include "tst_faultregistry.moc"
