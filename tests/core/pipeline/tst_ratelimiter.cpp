// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/ratelimiter.h"

#include <QtTest>

#include <thread>
#include <vector>

using namespace Community::Http;

class TstRateLimiter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefill()
    {
        RateLimiter rl;
        const RateLimit lim{2, 3};  // 2/s, burst 3
        double t = 100;
        for (int i = 0; i < 3; ++i)
            QVERIFY(rl.check("k", lim, t).allowed);
        auto refused = rl.check("k", lim, t);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.remaining, 0.0);
        QVERIFY(refused.retryAfterSeconds > 0.49 && refused.retryAfterSeconds <= 0.5);
        QCOMPARE(refused.limit, 3.0);
        // Half a second later one token is back.
        QVERIFY(rl.check("k", lim, t + 0.5).allowed);
        QVERIFY(!rl.check("k", lim, t + 0.5).allowed);
        // Never more than the burst, however long the pause.
        for (int i = 0; i < 3; ++i)
            QVERIFY(rl.check("k", lim, t + 1000).allowed);
        QVERIFY(!rl.check("k", lim, t + 1000).allowed);
    }

    void keysAreIndependent()
    {
        RateLimiter rl;
        const RateLimit lim{1, 1};
        QVERIFY(rl.check("a", lim, 1).allowed);
        QVERIFY(!rl.check("a", lim, 1).allowed);
        QVERIFY(rl.check("b", lim, 1).allowed);
        QCOMPARE(rl.bucketCount(), size_t(2));
    }

    void unlimitedNeverRefuses()
    {
        RateLimiter rl;
        for (int i = 0; i < 1000; ++i)
            QVERIFY(rl.check("x", RateLimit{}, 1).allowed);
        QCOMPARE(rl.bucketCount(), size_t(0));
    }

    void exactUnderConcurrency()
    {
        RateLimiter rl;
        const RateLimit lim{0.0001, 1000};  // effectively no refill during the test
        std::atomic_int allowed{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 500; ++i) {
                    if (rl.check("shared", lim, 5).allowed)
                        ++allowed;
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(allowed.load(), 1000);
    }

    void idleBucketsAreDropped()
    {
        RateLimiter rl;
        const RateLimit lim{10, 10};
        for (int i = 0; i < 400'000; ++i)
            rl.check(QByteArray::number(i), lim, 1);
        // Much later every bucket is full again; growth triggers their removal.
        for (int i = 0; i < 400'000; ++i)
            rl.check("late" + QByteArray::number(i), lim, 1000);
        QVERIFY2(rl.bucketCount() < 800'000, qPrintable(QString::number(rl.bucketCount())));
    }
};

QTEST_GUILESS_MAIN(TstRateLimiter)
#include "tst_ratelimiter.moc"
