// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Signed-in feeds built on the shared (anonymous) page, over real HTTP (ADR 0015):
// - a signed-in reader's feed comes from the cached page with their own votes and
//   bookmarks written in, and equals, item for item, what a node without the cache
//   answers by the full personal query (a peer daemon on the same database);
// - their own vote, unvote and bookmark show on the very next read (read-your-writes), as
//   does their own new post (the shared page may predate it);
// - a block or mute hides the author on the very next read on this node, and on another
//   node (whose relation cache held the viewer's relations) within the bus delay;
// - post pages likewise, except for viewers who see more than anonymous readers: the
//   community's moderators (removed text) and the authors of deleted comments on it;
// - the caches count hits, misses and invalidations in /metrics.

#include "contenthttp.h"
#include "daemonprocess.h"
#include "httpclient.h"

#include <functional>

using namespace Content::Test;
using Community::Test::DaemonProcess;
using Community::Test::httpRequest;

class TstContentSharedPages : public QObject {
    Q_OBJECT

    ContentHttp m_http;
    DaemonProcess m_uncached;   ///< same database, no page cache: the full personal query
    Account m_author, m_other, m_reader;
    QStringList m_posts;        ///< by m_author, then one by m_other
    const QString m_feed = QStringLiteral("/v1/communities/shared/posts?sort=new&limit=5");

    static QJsonArray items(const HttpResult &r) { return r.json().value("items").toArray(); }

    static QJsonObject itemWithId(const HttpResult &r, const QString &id)
    {
        for (const QJsonValue &v : items(r))
            if (v.toObject().value("id").toString() == id)
                return v.toObject();
        return {};
    }

    static QStringList authorsOf(const HttpResult &r)
    {
        QStringList out;
        for (const QJsonValue &v : items(r))
            out << v.toObject().value("author").toObject().value("username").toString();
        return out;
    }

    /// The reader's feed on the caching node (shared) and on the uncached one agree.
    void compareWithFullQuery(const char *where)
    {
        auto shared = m_http.call("GET", m_feed, m_reader.token);
        QCOMPARE(shared.status, 200);
        auto full = httpRequest(m_uncached.url(m_feed), "GET", {}, {{"Authorization", "Bearer " + m_reader.token}});
        QCOMPARE(full.status, 200);
        QVERIFY2(items(shared) == items(full), where);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_http.extraSets = {QStringLiteral("plugins.content.anonymousCacheMs=60000")};
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        QVERIFY2(m_http.startPeer(m_uncached, {QStringLiteral("plugins.content.anonymousCacheMs=0")}, &error),
                 qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("sharedauthor"));
        m_other = m_http.registerUser(QStringLiteral("sharedother"));
        m_reader = m_http.registerUser(QStringLiteral("sharedreader"));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("shared")).isEmpty());
        for (int i = 0; i < 3; ++i)
            m_posts << m_http.createPost(m_author, QStringLiteral("shared"), QStringLiteral("Post %1").arg(i)).value("id").toString();
        m_posts << m_http.createPost(m_other, QStringLiteral("shared"), QStringLiteral("By other")).value("id").toString();
        QVERIFY(!m_posts.contains(QString()));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_uncached.stop(), 0);
        QCOMPARE(m_http.daemon.stop(), 0);
    }

    void signedInReadersGetTheSharedPageWithTheirOwnValues()
    {
        QCOMPARE(m_http.call("GET", m_feed).header("x-cache"), QByteArray("miss"));
        auto reader = m_http.call("GET", m_feed, m_reader.token);
        QCOMPARE(reader.header("x-cache"), QByteArray("shared"));
        QCOMPARE(items(reader), items(m_http.call("GET", m_feed)));   // no own values yet: the same page

        // Own writes show on the very next read, though the page itself stays cached.
        const QString voted = m_posts[0], bookmarked = m_posts[1];
        QCOMPARE(m_http.call("PUT", "/v1/posts/" + voted + "/vote", m_reader.token, m_http.json({{"value", -1}})).status, 200);
        QVERIFY(m_http.call("PUT", "/v1/posts/" + bookmarked + "/bookmark", m_reader.token).status < 300);
        reader = m_http.call("GET", m_feed, m_reader.token);
        QCOMPARE(reader.header("x-cache"), QByteArray("shared"));
        QCOMPARE(itemWithId(reader, voted).value("myVote").toInt(), -1);
        QCOMPARE(itemWithId(reader, voted).value("bookmarked").toBool(), false);
        QCOMPARE(itemWithId(reader, bookmarked).value("bookmarked").toBool(), true);
        QCOMPARE(itemWithId(reader, bookmarked).value("myVote").toInt(), 0);
        // Nobody else sees them.
        QCOMPARE(itemWithId(m_http.call("GET", m_feed, m_other.token), voted).value("myVote").toInt(), 0);
        QCOMPARE(itemWithId(m_http.call("GET", m_feed), bookmarked).value("bookmarked").toBool(), false);
        compareWithFullQuery("after a vote and a bookmark");

        // Undoing is as immediate.
        QCOMPARE(m_http.call("PUT", "/v1/posts/" + voted + "/vote", m_reader.token, m_http.json({{"value", 1}})).status, 200);
        QVERIFY(m_http.call("DELETE", "/v1/posts/" + bookmarked + "/bookmark", m_reader.token).status < 300);
        reader = m_http.call("GET", m_feed, m_reader.token);
        QCOMPARE(itemWithId(reader, voted).value("myVote").toInt(), 1);
        QCOMPARE(itemWithId(reader, bookmarked).value("bookmarked").toBool(), false);
    }

    void postPageIsSharedAndModeratorsAndAuthorsSeeMore()
    {
        const QString post = m_posts[2];
        const QString page = QStringLiteral("/v1/posts/%1?limit=20").arg(post);
        const QString mine = m_http.createComment(m_other, post, QStringLiteral("first")).value("id").toString();
        const QString gone = m_http.createComment(m_other, post, QStringLiteral("regrettable")).value("id").toString();
        QVERIFY(!mine.isEmpty() && !gone.isEmpty());
        // A reply keeps the deleted comment on the page as a placeholder.
        const Account replier = m_http.registerUser(QStringLiteral("sharedreplier"));
        const Account mod = m_http.registerUser(QStringLiteral("sharedmod"));   // has written nothing
        QVERIFY(m_http.call("POST", QStringLiteral("/v1/communities/shared/join"), mod.token).status < 300);
        auto appointed = m_http.call("PUT", QStringLiteral("/v1/communities/shared/moderators/sharedmod"), m_author.token);
        QVERIFY2(appointed.status < 300, appointed.body.constData());
        QVERIFY(!m_http.createComment(replier, post, QStringLiteral("a reply"), gone).isEmpty());
        QTest::qWait(200);
        auto asUncached = [&](const Account &who) {
            return httpRequest(m_uncached.url(page), "GET", {}, {{"Authorization", "Bearer " + who.token}});
        };
        auto same = [&](const HttpResult &a, const HttpResult &b) {
            const QJsonObject x = a.json(), y = b.json();
            return x.value("post") == y.value("post") && x.value("comments") == y.value("comments");
        };

        // The reader's votes on the post and a comment show at once on the shared page.
        QCOMPARE(m_http.call("PUT", "/v1/posts/" + post + "/vote", m_reader.token, m_http.json({{"value", 1}})).status, 200);
        QCOMPARE(m_http.call("PUT", "/v1/comments/" + mine + "/vote", m_reader.token, m_http.json({{"value", -1}})).status, 200);
        QCOMPARE(m_http.call("GET", page).status, 200);
        auto reader = m_http.call("GET", page, m_reader.token);
        QCOMPARE(reader.header("x-cache"), QByteArray("shared"));
        QCOMPARE(reader.json().value("post").toObject().value("myVote").toInt(), 1);
        QVERIFY(same(reader, asUncached(m_reader)));

        // The comment's author deletes it: anonymous readers and the reader see a
        // placeholder (it has a reply); its author still sees the text, and so does a
        // moderator of the community.
        QCOMPARE(m_http.call("DELETE", "/v1/comments/" + gone, m_other.token).status, 200);
        QCOMPARE(m_http.call("GET", page).header("x-cache"), QByteArray("miss"));
        reader = m_http.call("GET", page, m_reader.token);
        QCOMPARE(reader.header("x-cache"), QByteArray("shared"));
        QVERIFY(!reader.body.contains("regrettable"));
        QVERIFY(same(reader, asUncached(m_reader)));
        for (const Account *who : std::initializer_list<const Account *>{&m_other, &mod}) {
            auto seen = m_http.call("GET", page, who->token);
            QVERIFY2(seen.body.contains("regrettable"), qPrintable(who->username));
            QVERIFY(seen.header("x-cache").isEmpty());
            QVERIFY(same(seen, asUncached(*who)));
        }
    }

    void ownNewPostShowsOnTheNextRead()
    {
        QVERIFY(m_http.call("POST", QStringLiteral("/v1/communities/shared/join"), m_reader.token).status < 300);
        QCOMPARE(m_http.call("GET", m_feed, m_reader.token).header("x-cache"), QByteArray("shared"));
        const QString id = m_http.createPost(m_reader, QStringLiteral("shared"), QStringLiteral("Mine")).value("id").toString();
        QVERIFY(!id.isEmpty());
        auto own = m_http.call("GET", m_feed, m_reader.token);
        QVERIFY(!itemWithId(own, id).isEmpty());           // read-your-writes
        QVERIFY(own.header("x-cache").isEmpty());            // from the full query, not the older shared page
        QVERIFY(itemWithId(m_http.call("GET", m_feed), id).isEmpty());   // anonymous readers: the cached page
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/") + id, m_reader.token).status, 200);
    }

    void blocksAndMutesHideAtOnceHereAndSoonOnAnotherNode()
    {
        DaemonProcess peer;
        QString error;
        QVERIFY2(m_http.startPeer(peer, {QStringLiteral("plugins.content.anonymousCacheMs=60000"),
                                         QStringLiteral("plugins.users.relationsCacheMs=3600000")}, &error),
                 qPrintable(error));
        auto onPeer = [&] {
            return httpRequest(peer.url(m_feed), "GET", {}, {{"Authorization", "Bearer " + m_reader.token}});
        };
        QVERIFY(authorsOf(onPeer()).contains(QStringLiteral("sharedother")));   // the peer holds the relations now
        QVERIFY(authorsOf(onPeer()).contains(QStringLiteral("sharedother")));

        for (const char *relation : {"block", "mute"}) {
            const QString path = QStringLiteral("/v1/users/sharedother/") + QLatin1String(relation);
            QVERIFY(m_http.call("PUT", path, m_reader.token).status < 300);
            auto here = m_http.call("GET", m_feed, m_reader.token);
            QCOMPARE(here.status, 200);
            QVERIFY2(!authorsOf(here).contains(QStringLiteral("sharedother")), relation);
            QVERIFY(here.header("x-cache").isEmpty());   // the full personal query
            QVERIFY(authorsOf(m_http.call("GET", m_feed)).contains(QStringLiteral("sharedother")));   // others still see it

            QElapsedTimer t;
            t.start();
            while (authorsOf(onPeer()).contains(QStringLiteral("sharedother")) && t.elapsed() < 5000)
                QTest::qWait(5);
            QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
            qInfo("%s: the other node hid the author after %lld ms", relation, static_cast<long long>(t.elapsed()));
            compareWithFullQuery(relation);   // the uncached node has had the bus delay too

            QVERIFY(m_http.call("DELETE", path, m_reader.token).status < 300);
            QVERIFY(authorsOf(m_http.call("GET", m_feed, m_reader.token)).contains(QStringLiteral("sharedother")));
        }
        QCOMPARE(peer.stop(), 0);
    }

    void cachesAreCountedInMetrics()
    {
        const QByteArray metrics = m_http.daemon.operatorRequest("GET", QStringLiteral("/metrics")).body;
        auto value = [&](const QByteArray &series) {
            const qsizetype at = metrics.indexOf(series + ' ');
            return at < 0 ? -1.0 : metrics.mid(at + series.size() + 1, 32).split('\n').value(0).toDouble();
        };
        QVERIFY(value(R"(community_content_page_cache_total{result="shared"})") >= 1);
        QVERIFY(value(R"(community_content_page_cache_total{result="miss"})") >= 1);
        QVERIFY(value(R"(community_users_relations_cache_total{result="hit"})") >= 1);
        QVERIFY(value(R"(community_users_relations_cache_total{result="invalidation"})") >= 4);
    }
};

QTEST_GUILESS_MAIN(TstContentSharedPages)
#include "tst_contentsharedpages.moc"
