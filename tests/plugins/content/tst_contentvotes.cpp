// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Votes and bookmarks over real HTTP (real auth, users and content plugins): vote, change,
// clear; events only on change; exact counters and hot rank under 200 concurrent votes
// from 200 accounts (and a mixed second round); refusals on deleted/removed content;
// bookmarks with keyset pages.

#include "contenthttp.h"

#include <set>

using namespace Content::Test;

class TstContentVotes : public QObject {
    Q_OBJECT

    ContentHttp m_http;
    Account m_alice, m_bob, m_carol;
    QString m_post, m_comment;

    HttpResult vote(const Account &who, const QString &kind, const QString &id, const QJsonValue &value)
    {
        return m_http.call("PUT", QStringLiteral("/v1/%1/%2/vote").arg(kind, id), who.token,
                           ContentHttp::json({{"value", value}}), {{"Content-Type", "application/json"}});
    }
    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    qint64 voteEvents(const QString &targetType, const QString &targetId)
    {
        return count(QStringLiteral("SELECT count(*) FROM events.outbox WHERE type = 'content.vote.changed' "
                                    "AND payload->>'targetType' = '%1' AND payload->>'targetId' = '%2'").arg(targetType, targetId));
    }
    /// posts.hot equals kHotSql of the stored score.
    bool hotMatches(const QString &post)
    {
        return count(QStringLiteral("SELECT (abs(hot - (sign(score) * log(greatest(abs(score), 1)) "
                                    "+ extract(epoch FROM created_at) / 45000.0)) < 1e-9)::int FROM content.posts WHERE id = %1")
                         .arg(post))
               == 1;
    }
    static void expectCounts(const HttpResult &r, int score, int up, int down, int mine)
    {
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("score").toInt(), score);
        QCOMPARE(o.value("upvotes").toInt(), up);
        QCOMPARE(o.value("downvotes").toInt(), down);
        QCOMPARE(o.value("myVote").toInt(), mine);
    }

    /// Registers `n` accounts concurrently and signs them in (two parallel rounds).
    QList<Account> manyUsers(const QString &prefix, int n)
    {
        QList<Account> accounts;
        QList<Request> registers, logins;
        for (int i = 0; i < n; ++i) {
            Account a{QStringLiteral("%1%2").arg(prefix).arg(i), QStringLiteral("Correct-Horse-%1-Battery!").arg(i), {}};
            accounts << a;
            registers.append({"POST", QStringLiteral("/v1/auth/register"), {},
                              ContentHttp::json({{"username", a.username}, {"email", a.username + "@example.com"}, {"password", a.password}})});
            logins.append({"POST", QStringLiteral("/v1/auth/login"), {}, ContentHttp::json({{"login", a.username}, {"password", a.password}})});
        }
        for (const auto &r : m_http.parallelRequests(registers))
            if (r.status != 201)
                qWarning() << "register" << r.status << r.body;
        const auto tokens = m_http.parallelRequests(logins);
        for (int i = 0; i < n; ++i)
            accounts[i].token = tokens[i].json().value("accessToken").toString().toLatin1();
        return accounts;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_carol = m_http.registerUser(QStringLiteral("carol"));
        QVERIFY(!m_alice.token.isEmpty() && !m_bob.token.isEmpty());
        QVERIFY(!m_http.createCommunity(m_alice, QStringLiteral("polls")).isEmpty());
        m_post = m_http.createPost(m_alice, QStringLiteral("polls"), QStringLiteral("Vote on me")).value("id").toString();
        m_comment = m_http.createComment(m_bob, m_post, QStringLiteral("and on me")).value("id").toString();
        QVERIFY(!m_post.isEmpty() && !m_comment.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void voteChangeClear()
    {
        expectCounts(vote(m_bob, "posts", m_post, 1), 1, 1, 0, 1);
        expectCounts(vote(m_bob, "posts", m_post, 1), 1, 1, 0, 1);   // same value: no change, no event
        QCOMPARE(voteEvents("post", m_post), 1);
        expectCounts(vote(m_bob, "posts", m_post, -1), -1, 0, 1, -1);
        expectCounts(vote(m_carol, "posts", m_post, -1), -2, 0, 2, -1);
        QVERIFY(hotMatches(m_post));
        const auto page = m_http.call("GET", QStringLiteral("/v1/posts/%1").arg(m_post), m_bob.token).json();
        QCOMPARE(page.value("post").toObject().value("myVote").toInt(), -1);
        QCOMPARE(page.value("post").toObject().value("score").toInt(), -2);
        expectCounts(vote(m_bob, "posts", m_post, 0), -1, 0, 1, 0);
        expectCounts(vote(m_bob, "posts", m_post, 0), -1, 0, 1, 0);
        expectCounts(vote(m_carol, "posts", m_post, 0), 0, 0, 0, 0);
        QVERIFY(hotMatches(m_post));
        QCOMPARE(voteEvents("post", m_post), 5);   // bob 1, -1, 0 and carol -1, 0
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events.outbox WHERE type = 'content.vote.changed' "
                                      "AND payload->>'targetId' = '%1' AND payload->>'targetType' = 'post' "
                                      "AND (payload->>'value')::int = -1 AND (payload->>'previous')::int = 1 "
                                      "AND payload->>'postId' = '%1' AND (payload->>'score')::int = -1")
                           .arg(m_post)),
                 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.post_votes WHERE post_id = %1").arg(m_post)), 0);

        expectCounts(vote(m_alice, "comments", m_comment, 1), 1, 1, 0, 1);
        expectCounts(vote(m_carol, "comments", m_comment, -1), 0, 1, 1, -1);   // m_comment is bob's
        const auto tree = m_http.call("GET", QStringLiteral("/v1/posts/%1").arg(m_post), m_alice.token).json();
        const QJsonObject c = tree.value("comments").toArray()[0].toObject();
        QCOMPARE(c.value("myVote").toInt(), 1);
        QCOMPARE(c.value("upvotes").toInt(), 1);
        QCOMPARE(c.value("downvotes").toInt(), 1);
        QCOMPARE(voteEvents("comment", m_comment), 2);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events.outbox WHERE type = 'content.vote.changed' "
                                      "AND payload->>'targetId' = '%1' AND payload->>'targetType' = 'comment' "
                                      "AND payload->>'postId' = '%2'").arg(m_comment, m_post)),
                 2);
    }

    void badVotes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("two") << QByteArray(R"({"value": 2})") << "value";
        QTest::newRow("half") << QByteArray(R"({"value": 0.5})") << "value";
        QTest::newRow("one as 1.0") << QByteArray(R"({"value": 1.0})") << "value";
        QTest::newRow("one as 1e0") << QByteArray(R"({"value": 1e0})") << "value";
        QTest::newRow("duplicate key") << QByteArray(R"({"value": 1, "value": -1})") << "value";
        QTest::newRow("string") << QByteArray(R"({"value": "1"})") << "value";
        QTest::newRow("bool") << QByteArray(R"({"value": true})") << "value";
        QTest::newRow("missing") << QByteArray(R"({})") << "value";
        QTest::newRow("unknown") << QByteArray(R"({"value": 1, "weight": 3})") << "weight";
    }

    void badVotes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const qint64 before = count(QStringLiteral("SELECT count(*) FROM content.post_votes"));
        auto r = m_http.call("PUT", QStringLiteral("/v1/posts/%1/vote").arg(m_post), m_bob.token, body,
                             {{"Content-Type", "application/json"}});
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        QCOMPARE(r.json().value("errors").toArray()[0].toObject().value("field").toString(), field);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.post_votes")), before);
    }

    void voteRefusals()
    {
        QVERIFY(isProblem(vote(m_bob, "posts", QStringLiteral("999999999"), 1), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(vote(m_bob, "comments", QStringLiteral("999999999"), 1), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(vote(m_bob, "posts", QStringLiteral("x1"), 1), 404, QStringLiteral("not-found")));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/vote").arg(m_post), {}, ContentHttp::json({{"value", 1}}),
                             {{"Content-Type", "application/json"}}).status,
                 401);

        const QString gone = m_http.createPost(m_alice, QStringLiteral("polls"), QStringLiteral("Soon gone")).value("id").toString();
        const QString onGone = m_http.createComment(m_bob, gone, QStringLiteral("on a doomed post")).value("id").toString();
        expectCounts(vote(m_bob, "posts", gone, 1), 1, 1, 0, 1);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1").arg(gone), m_alice.token).status, 200);
        QVERIFY(isProblem(vote(m_bob, "posts", gone, -1), 409, QStringLiteral("post-deleted")));
        QVERIFY(isProblem(vote(m_alice, "comments", onGone, 1), 409, QStringLiteral("post-deleted")));
        expectCounts(vote(m_bob, "posts", gone, 0), 0, 0, 0, 0);   // clearing always works

        const QString rude = m_http.createComment(m_bob, m_post, QStringLiteral("rude")).value("id").toString();
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/comments/%1/remove").arg(rude), m_alice.token).status, 200);
        QVERIFY(isProblem(vote(m_alice, "comments", rude, 1), 409, QStringLiteral("comment-removed")));
        QCOMPARE(voteEvents("comment", rude), 0);

        // Authors do not vote on what they wrote (a score counts what others think);
        // clearing is still allowed.
        QVERIFY(isProblem(vote(m_alice, "posts", m_post, 1), 403, QStringLiteral("own-content")));
        QVERIFY(isProblem(vote(m_bob, "comments", m_comment, -1), 403, QStringLiteral("own-content")));
        const auto cleared = vote(m_alice, "posts", m_post, 0);
        QCOMPARE(cleared.status, 200);
        QCOMPARE(cleared.json().value("myVote").toInt(), 0);
    }

    void twoHundredConcurrentVotes()
    {
        const QString post = m_http.createPost(m_alice, QStringLiteral("polls"), QStringLiteral("Popular")).value("id").toString();
        const QString comment = m_http.createComment(m_alice, post, QStringLiteral("popular comment")).value("id").toString();
        const QList<Account> voters = manyUsers(QStringLiteral("voter"), 200);
        for (const Account &a : voters)
            QVERIFY(!a.token.isEmpty());
        QList<Request> round;
        for (int i = 0; i < 200; ++i) {
            round.append({"PUT", QStringLiteral("/v1/posts/%1/vote").arg(post), voters[i].token, ContentHttp::json({{"value", 1}})});
            round.append({"PUT", QStringLiteral("/v1/comments/%1/vote").arg(comment), voters[i].token,
                          ContentHttp::json({{"value", i % 4 ? 1 : -1}})});
        }
        for (const auto &r : m_http.parallelRequests(round))
            QCOMPARE(r.status, 200);
        QCOMPARE(count(QStringLiteral("SELECT score FROM content.posts WHERE id = %1").arg(post)), 200);
        QCOMPARE(count(QStringLiteral("SELECT upvotes FROM content.posts WHERE id = %1").arg(post)), 200);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.post_votes WHERE post_id = %1").arg(post)), 200);
        QCOMPARE(count(QStringLiteral("SELECT score FROM content.comments WHERE id = %1").arg(comment)), 150 - 50);
        QCOMPARE(count(QStringLiteral("SELECT downvotes FROM content.comments WHERE id = %1").arg(comment)), 50);
        QVERIFY(hotMatches(post));

        // Mixed second round at once: 50 flip to down, 50 clear, 100 repeat their up vote.
        round.clear();
        for (int i = 0; i < 200; ++i)
            round.append({"PUT", QStringLiteral("/v1/posts/%1/vote").arg(post), voters[i].token,
                          ContentHttp::json({{"value", i < 50 ? -1 : (i < 100 ? 0 : 1)}})});
        for (const auto &r : m_http.parallelRequests(round))
            QCOMPARE(r.status, 200);
        QCOMPARE(count(QStringLiteral("SELECT score FROM content.posts WHERE id = %1").arg(post)), 50);
        QCOMPARE(count(QStringLiteral("SELECT upvotes FROM content.posts WHERE id = %1").arg(post)), 100);
        QCOMPARE(count(QStringLiteral("SELECT downvotes FROM content.posts WHERE id = %1").arg(post)), 50);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.post_votes WHERE post_id = %1").arg(post)), 150);
        QCOMPARE(count(QStringLiteral("SELECT sum(value) FROM content.post_votes WHERE post_id = %1").arg(post)), 50);
        QCOMPARE(voteEvents("post", post), 300);   // 200 first votes + 100 changes; the repeats publish nothing
        QVERIFY(hotMatches(post));
    }

    void bookmarks()
    {
        QStringList posts;
        for (int i = 0; i < 5; ++i) {
            posts << m_http.createPost(m_alice, QStringLiteral("polls"), QStringLiteral("Keep %1").arg(i)).value("id").toString();
            QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/bookmark").arg(posts.last()), m_bob.token).status, 204);
        }
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/bookmark").arg(posts[0]), m_bob.token).status, 204);   // idempotent
        QVERIFY(m_http.call("GET", QStringLiteral("/v1/posts/%1").arg(posts[0]), m_bob.token).json()
                    .value("post").toObject().value("bookmarked").toBool());
        QVERIFY(!m_http.call("GET", QStringLiteral("/v1/posts/%1").arg(posts[0]), m_alice.token).json()
                     .value("post").toObject().value("bookmarked").toBool());

        // Newest bookmark first, two at a time; a new bookmark between pages does not shift them.
        QStringList seen;
        QString cursor;
        int pages = 0;
        const QString late = m_http.createPost(m_alice, QStringLiteral("polls"), QStringLiteral("Late")).value("id").toString();
        do {
            QString path = QStringLiteral("/v1/me/bookmarks?limit=2");
            if (!cursor.isEmpty())
                path += QStringLiteral("&cursor=") + cursor;
            auto r = m_http.call("GET", path, m_bob.token);
            QCOMPARE(r.status, 200);
            for (const QJsonValue &v : items(r)) {
                seen << v.toObject().value("id").toString();
                QVERIFY(!v.toObject().value("bookmarkedAt").toString().isEmpty());
                QVERIFY(v.toObject().value("bookmarked").toBool());
            }
            cursor = r.json().value("nextCursor").toString();
            if (pages++ == 0)
                QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/bookmark").arg(late), m_bob.token).status, 204);
        } while (!cursor.isEmpty());
        QCOMPARE(pages, 3);
        QCOMPARE(seen, (QStringList{posts[4], posts[3], posts[2], posts[1], posts[0]}));

        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1/bookmark").arg(posts[2]), m_bob.token).status, 204);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1/bookmark").arg(posts[2]), m_bob.token).status, 204);
        // A bookmarked post deleted later stays in the list as a placeholder.
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1").arg(posts[3]), m_alice.token).status, 200);
        auto all = m_http.call("GET", QStringLiteral("/v1/me/bookmarks"), m_bob.token);
        QCOMPARE(items(all).size(), 5);
        QCOMPARE(items(all)[0].toObject().value("id").toString(), late);
        QCOMPARE(items(all)[1].toObject().value("id").toString(), posts[4]);
        QCOMPARE(items(all)[2].toObject().value("state").toString(), QStringLiteral("deleted"));
        QCOMPARE(items(all)[2].toObject().value("title").toString(), QString());
        QVERIFY(isProblem(m_http.call("PUT", QStringLiteral("/v1/posts/%1/bookmark").arg(posts[3]), m_bob.token), 409,
                          QStringLiteral("post-deleted")));
        QVERIFY(isProblem(m_http.call("PUT", QStringLiteral("/v1/posts/999999999/bookmark"), m_bob.token), 404,
                          QStringLiteral("not-found")));
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/me/bookmarks"), m_alice.token).json().value("items").toArray().size(), 0);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/me/bookmarks")).status, 401);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/bookmark").arg(posts[0])).status, 401);
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/me/bookmarks?cursor=bogus"), m_bob.token), 400,
                          QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/me/bookmarks?limit=0"), m_bob.token), 400,
                          QStringLiteral("validation")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.bookmarks WHERE user_id = "
                                      "(SELECT user_id FROM content.authors WHERE username = 'bob')")),
                 5);
    }
};

QTEST_GUILESS_MAIN(TstContentVotes)
#include "tst_contentvotes.moc"
