// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The anonymous micro-cache over real HTTP: anonymous post pages and feeds are served from
// the cache within the TTL and refreshed after it; signed-in viewers always see their own
// fresh answer; errors are not cached; concurrent anonymous misses share one load; a
// delete, removal or edit empties the cache at once on its node and within the bus delay
// on another node on the same database (whose TTL is far longer than the wait).

#include "contenthttp.h"
#include "daemonprocess.h"
#include "httpclient.h"

#include <functional>

using namespace Content::Test;
using Community::Test::DaemonProcess;
using Community::Test::httpRequest;

class TstContentCache : public QObject {
    Q_OBJECT

    ContentHttp m_http;
    Account m_author;
    QString m_postId;

    static constexpr int kTtlMs = 1500;

private Q_SLOTS:
    void initTestCase()
    {
        m_http.extraSets = {QStringLiteral("plugins.content.anonymousCacheMs=%1").arg(kTtlMs)};
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("writer"));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("cached")).isEmpty());
        m_postId = m_http.createPost(m_author, QStringLiteral("cached"), QStringLiteral("Cached post")).value("id").toString();
        QVERIFY(!m_postId.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void anonymousPostPageIsCachedForTheTtl()
    {
        const QString page = QStringLiteral("/v1/posts/%1?limit=20").arg(m_postId);
        auto first = m_http.call("GET", page);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("x-cache"), QByteArray("miss"));
        QElapsedTimer t;
        t.start();
        QVERIFY(!m_http.createComment(m_author, m_postId, QStringLiteral("a new comment")).isEmpty());
        auto second = m_http.call("GET", page);
        if (t.elapsed() < kTtlMs - 200) {   // still within the TTL: the cached answer
            QCOMPARE(second.header("x-cache"), QByteArray("hit"));
            QCOMPARE(second.json().value("comments").toArray().size(), 0);
        }
        // The author (signed in) sees the comment at once.
        auto own = m_http.call("GET", page, m_author.token);
        QVERIFY(own.header("x-cache").isEmpty());
        QCOMPARE(own.json().value("comments").toArray().size(), 1);
        // After the TTL the anonymous page is fresh again.
        QTest::qWait(kTtlMs + 100);
        auto third = m_http.call("GET", page);
        QCOMPARE(third.header("x-cache"), QByteArray("miss"));
        QCOMPARE(third.json().value("comments").toArray().size(), 1);
        // Another query string is another entry.
        QCOMPARE(m_http.call("GET", page + QStringLiteral("&sort=new")).header("x-cache"), QByteArray("miss"));
    }

    void feedsAreCachedAndErrorsAreNot()
    {
        const QString feed = QStringLiteral("/v1/communities/cached/posts?sort=new");
        QCOMPARE(m_http.call("GET", feed).header("x-cache"), QByteArray("miss"));
        QCOMPARE(m_http.call("GET", feed).header("x-cache"), QByteArray("hit"));
        auto missing = m_http.call("GET", QStringLiteral("/v1/communities/nope/posts"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.header("x-cache"), QByteArray("miss"));
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/communities/nope/posts")).header("x-cache"), QByteArray("miss"));
        auto bad = m_http.call("GET", QStringLiteral("/v1/communities/cached/posts?sort=bogus"));
        QVERIFY(isProblem(bad, 400, QStringLiteral("validation")));
    }

    void deletesAndEditsLeaveTheCacheOnEveryNode()
    {
        DaemonProcess peer;
        QString error;
        QVERIFY2(m_http.startPeer(peer, {QStringLiteral("plugins.content.anonymousCacheMs=60000")}, &error), qPrintable(error));
        const QString id = m_http.createPost(m_author, QStringLiteral("cached"), QStringLiteral("Soon gone")).value("id").toString();
        const QString feed = QStringLiteral("/v1/communities/cached/posts?sort=new&limit=5");
        auto titles = [](const HttpResult &r) {
            QStringList out;
            for (const QJsonValue &v : r.json().value("items").toArray())
                out << v.toObject().value("title").toString();
            return out;
        };
        auto onPeer = [&](const QString &path) { return httpRequest(peer.url(path)); };
        for (int i = 0; i < 2; ++i) {   // cached on both nodes
            QVERIFY(titles(m_http.call("GET", feed)).contains(QStringLiteral("Soon gone")));
            QVERIFY(titles(onPeer(feed)).contains(QStringLiteral("Soon gone")));
        }
        QCOMPARE(onPeer(feed).header("x-cache"), QByteArray("hit"));
        auto peerCatchesUp = [&](const QString &path, const std::function<bool(const HttpResult &)> &fresh) {
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 5000) {
                if (fresh(onPeer(path)))
                    return t.elapsed();
                QTest::qWait(5);
            }
            return qint64(-1);
        };

        // An edit on this node: the next anonymous read here is fresh, the peer follows.
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/posts/") + id, m_author.token,
                             m_http.json({{"title", "Renamed"}})).status, 200);
        QVERIFY(titles(m_http.call("GET", feed)).contains(QStringLiteral("Renamed")));
        const qint64 editMs = peerCatchesUp(feed, [&](const HttpResult &r) { return titles(r).contains(QStringLiteral("Renamed")); });
        QVERIFY2(editMs >= 0 && editMs < 1000, qPrintable(QString::number(editMs)));

        // A delete: gone here at once, on the peer within the bus delay.
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/") + id, m_author.token).status, 200);
        QVERIFY(!titles(m_http.call("GET", feed)).contains(QStringLiteral("Renamed")));
        const qint64 deleteMs = peerCatchesUp(feed, [&](const HttpResult &r) { return !titles(r).contains(QStringLiteral("Renamed")); });
        QVERIFY2(deleteMs >= 0 && deleteMs < 1000, qPrintable(QString::number(deleteMs)));
        qInfo("the peer's cache followed an edit after %lld ms and a delete after %lld ms",
              static_cast<long long>(editMs), static_cast<long long>(deleteMs));
        QCOMPARE(peer.stop(), 0);
    }

    void concurrentMissesShareOneLoad()
    {
        QTest::qWait(kTtlMs + 100);
        const QString page = QStringLiteral("/v1/posts/%1?limit=5").arg(m_postId);
        QList<ContentHttp::Request> reqs;
        for (int i = 0; i < 20; ++i)
            reqs.append({"GET", page, {}, {}});
        int misses = 0;
        QByteArray body;
        for (const auto &r : m_http.parallelRequests(reqs)) {
            QCOMPARE(r.status, 200);
            misses += r.header("x-cache") == "miss" ? 1 : 0;
            QVERIFY(body.isEmpty() || r.body == body);
            body = r.body;
        }
        QCOMPARE(misses, 1);
    }
};

QTEST_MAIN(TstContentCache)
#include "tst_contentcache.moc"
