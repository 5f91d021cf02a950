// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// plugins.chat: defaults, bounds, unknown keys; the token bucket and the typing throttle;
// room topics.

#include "chatconfig.h"
#include "membercache.h"
#include "ratelimiter.h"

#include <QtTest>

using namespace Chat;

class TstChatConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        auto c = readChatConfig({}, QStringLiteral("plugins.chat"));
        QVERIFY(c);
        QCOMPARE(c->maxMessageLength, 4000);
        QCOMPARE(c->editWindowSeconds, 900);
        QVERIFY(c->reactions.contains(QStringLiteral("👍")));
        QCOMPARE(c->retentionDaysDm, 0);
    }

    void rejectsUnknownAndOutOfRange()
    {
        auto unknown = readChatConfig({{"maxMesageLength", 10}}, QStringLiteral("plugins.chat"));
        QVERIFY(!unknown);
        QVERIFY(unknown.error().fields.value(0).field.contains(QStringLiteral("maxMesageLength")));
        QVERIFY(!readChatConfig({{"maxMessageLength", 0}}, QStringLiteral("plugins.chat")));
        QVERIFY(!readChatConfig({{"defaultPageSize", 300}, {"maxPageSize", 100}}, QStringLiteral("plugins.chat")));
        QVERIFY(!readChatConfig({{"reactions", QJsonArray{}}}, QStringLiteral("plugins.chat")));
        auto custom = readChatConfig({{"reactions", QJsonArray{"+1"}}}, QStringLiteral("plugins.chat"));
        QVERIFY(custom);
        QCOMPARE(custom->reactions, QSet<QString>{QStringLiteral("+1")});
    }

    void tokenBucket()
    {
        RateLimiter limiter(1, 3);
        QVERIFY(limiter.take(7));
        QVERIFY(limiter.take(7));
        QVERIFY(limiter.take(7));
        int wait = 0;
        QVERIFY(!limiter.take(7, &wait));
        QCOMPARE(wait, 1);
        QVERIFY(limiter.take(8));   // buckets are per key
    }

    void typingThrottle()
    {
        QHash<qint64, qint64> last;
        QVERIFY(RateLimiter::once(last, 1, 1000, 2000));
        QVERIFY(!RateLimiter::once(last, 1, 2999, 2000));
        QVERIFY(RateLimiter::once(last, 1, 3000, 2000));
        QVERIFY(RateLimiter::once(last, 2, 3000, 2000));
    }

    void memberCache()
    {
        MemberCache cache;
        cache.load({{1, {10, 11}}});
        QVERIFY(cache.contains(1, 10));
        cache.set(1, 10, false);
        QVERIFY(!cache.contains(1, 10));
        cache.set(2, 10, true);
        QVERIFY(cache.contains(2, 10));
        QCOMPARE(MemberCache::roomOfTopic(QStringLiteral("room:2")), 2);
        QCOMPARE(MemberCache::roomOfTopic(QStringLiteral("room:x")), 0);
        QCOMPARE(MemberCache::roomOfTopic(QStringLiteral("room:-1")), 0);
        QCOMPARE(MemberCache::roomOfTopic(QStringLiteral("post:2")), 0);
    }
};

QTEST_GUILESS_MAIN(TstChatConfig)
#include "tst_chatconfig.moc"
