// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The inbox over real HTTP and WebSocket (real auth, users, content and notifications
// plugins): replies, mentions, follows and vote milestones become notifications; several
// replies collapse into one row updated in place; never to the actor, never from a muted
// account; the live frame on user:<id>; unread counts; mark read (one, up to, all); delete;
// cursor pages; a replayed consumer creates nothing twice; bad input changes nothing.

#include "notificationshttp.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Notifications::Test;
using Community::Test::WsClient;
using Community::Test::wsUrl;

class TstNotificationsInbox : public QObject {
    Q_OBJECT
    NotificationsHttp m_http;
    Account m_alice, m_bob, m_carol, m_dave;
    QString m_aliceId, m_post;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    qint64 total(const Account &a) { return m_http.unread(a).value("total").toInteger(); }
    HttpResult markRead(const Account &a, const QJsonObject &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/notifications/read"), a.token, ContentHttp::json(body),
                           {{"Content-Type", "application/json"}});
    }
    static bool hasReplyFrom(const QJsonArray &items, int actors)
    {
        const QJsonObject o = NotificationsHttp::byKind(items, QStringLiteral("reply"));
        return !o.isEmpty() && o.value("actorCount").toInt() == actors;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_carol = m_http.registerUser(QStringLiteral("carol"));
        m_dave = m_http.registerUser(QStringLiteral("dave"));
        for (const Account *a : {&m_alice, &m_bob, &m_carol, &m_dave})
            QVERIFY(!a->token.isEmpty());
        m_aliceId = m_http.userId(m_alice);
        QVERIFY(!m_aliceId.isEmpty());
        m_post = m_http.talkPost(m_alice);
        QVERIFY(!m_post.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void replyArrivesLiveAndCollapses()
    {
        WsClient ws;
        QVERIFY(ws.open(wsUrl(m_http.daemon.baseUrl()), m_alice.token));
        QVERIFY(ws.subscribe(QStringLiteral("user:") + m_aliceId).value_or(QJsonObject{}).value("type") == "subscribed");

        QElapsedTimer sent;
        sent.start();
        const QString bobComment = m_http.createComment(m_bob, m_post, QStringLiteral("first!")).value("id").toString();
        QVERIFY(!bobComment.isEmpty());
        auto frame = ws.waitFor([](const QJsonObject &f) {
            return f.value("type") == "event" && f.value("data").toObject().value("kind") == "notification";
        });
        QVERIFY(frame);
        // An upper bound: the request, its answer, the bus hop, the projection and the frame.
        qInfo() << "comment request to notification frame:" << sent.elapsed() << "ms";
        const QJsonObject data = frame->value("data").toObject();
        const QJsonObject n = data.value("notification").toObject();
        QCOMPARE(n.value("kind").toString(), QStringLiteral("reply"));
        QCOMPARE(n.value("subject").toObject().value("postId").toString(), m_post);
        QCOMPARE(n.value("subject").toObject().value("commentId").toString(), bobComment);
        QCOMPARE(n.value("actors").toArray().at(0).toObject().value("username").toString(), QStringLiteral("bob"));
        QCOMPARE(data.value("unread").toObject().value("total").toInt(), 1);
        QVERIFY(frame->value("seq").toInteger() > 0);   // durable: resumable after a reconnect

        // Carol, then bob again: the same row, updated in place (2 distinct people, 3 replies).
        m_http.createComment(m_carol, m_post, QStringLiteral("second"));
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) { return hasReplyFrom(items, 2); }));
        m_http.createComment(m_bob, m_post, QStringLiteral("third"));
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) {
            return NotificationsHttp::byKind(items, QStringLiteral("reply")).value("eventCount").toInt() == 3;
        }));
        const QJsonArray items = m_http.inbox(m_alice);
        QCOMPARE(items.size(), 1);
        const QJsonObject row = items.at(0).toObject();
        QCOMPARE(row.value("actorCount").toInt(), 2);
        QCOMPARE(row.value("actors").toArray().at(0).toObject().value("username").toString(), QStringLiteral("bob"));
        QCOMPARE(row.value("actors").toArray().at(1).toObject().value("username").toString(), QStringLiteral("carol"));
        QCOMPARE(total(m_alice), 1);
    }

    void selfAndMutedNeverNotify()
    {
        QVERIFY(m_http.waitIdle());
        const qint64 before = count(QStringLiteral("SELECT coalesce(sum(event_count), 0) FROM notifications.items"));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/dave/mute"), m_alice.token).status, 204);
        m_http.createComment(m_alice, m_post, QStringLiteral("my own comment"));
        m_http.createComment(m_dave, m_post, QStringLiteral("muted voice"));
        QVERIFY(m_http.waitIdle());
        QCOMPARE(count(QStringLiteral("SELECT coalesce(sum(event_count), 0) FROM notifications.items")), before);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.sources")), before);
    }

    void mentionFollowAndMilestone()
    {
        m_http.createComment(m_bob, m_post, QStringLiteral("hi @carol, look"));
        QVERIFY(m_http.waitInbox(m_carol, [](const QJsonArray &items) {
            return !NotificationsHttp::byKind(items, QStringLiteral("mention")).isEmpty();
        }));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/alice/follow"), m_bob.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/alice/follow"), m_carol.token).status, 204);
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) {
            return NotificationsHttp::byKind(items, QStringLiteral("follow")).value("actorCount").toInt() == 2;
        }));
        auto v = m_http.call("PUT", QStringLiteral("/v1/posts/%1/vote").arg(m_post), m_bob.token,
                             ContentHttp::json({{"value", 1}}), {{"Content-Type", "application/json"}});
        QVERIFY2(v.status / 100 == 2, v.body.constData());
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) {
            return NotificationsHttp::byKind(items, QStringLiteral("vote_milestone")).value("subject").toObject().value("milestone").toInt() == 1;
        }));
        const QJsonObject counts = m_http.unread(m_alice).value("byKind").toObject();
        QCOMPARE(counts.value("reply").toInt(), 1);
        QCOMPARE(counts.value("follow").toInt(), 1);
        QCOMPARE(counts.value("vote_milestone").toInt(), 1);
        QCOMPARE(counts.value("mention").toInt(), 0);
    }

    void pagesAndMarkRead()
    {
        // Newest change first: milestone, follow, reply.
        auto first = m_http.call("GET", QStringLiteral("/v1/notifications?limit=2"), m_alice.token);
        QCOMPARE(first.status, 200);
        const QJsonArray page1 = first.json().value("items").toArray();
        QCOMPARE(page1.size(), 2);
        QCOMPARE(page1.at(0).toObject().value("kind").toString(), QStringLiteral("vote_milestone"));
        const QString cursor = first.json().value("nextCursor").toString();
        QVERIFY(!cursor.isEmpty());
        const QJsonArray page2 = m_http.inbox(m_alice, QStringLiteral("?limit=2&cursor=") + cursor);
        QCOMPARE(page2.size(), 1);
        QCOMPARE(page2.at(0).toObject().value("kind").toString(), QStringLiteral("reply"));

        // One, then up to one (everything older too), then all.
        auto one = markRead(m_alice, {{"id", page1.at(0).toObject().value("id")}});
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json().value("marked").toInt(), 1);
        QCOMPARE(one.json().value("unread").toObject().value("total").toInt(), 2);
        auto upTo = markRead(m_alice, {{"upTo", page2.at(0).toObject().value("id")}});
        QCOMPARE(upTo.json().value("marked").toInt(), 1);
        QCOMPARE(total(m_alice), 1);
        QCOMPARE(m_http.inbox(m_alice, QStringLiteral("?unread=true")).size(), 1);
        QCOMPARE(markRead(m_alice, {{"all", true}}).json().value("marked").toInt(), 1);
        QCOMPARE(total(m_alice), 0);

        // A reply after the group was read opens a new row.
        m_http.createComment(m_carol, m_post, QStringLiteral("after reading"));
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) {
            return !items.isEmpty() && items.at(0).toObject().value("kind") == "reply"
                   && !items.at(0).toObject().value("read").toBool();
        }));
        QCOMPARE(m_http.inbox(m_alice).at(0).toObject().value("actorCount").toInt(), 1);
    }

    void deleteAndOwnership()
    {
        const QString id = m_http.inbox(m_alice).at(0).toObject().value("id").toString();
        QVERIFY(m_http.call("DELETE", QStringLiteral("/v1/notifications/") + id, m_bob.token).status == 404);
        QVERIFY(markRead(m_bob, {{"id", id}}).status == 404);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/") + id, m_alice.token).status, 204);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/") + id, m_alice.token).status, 404);
    }

    void replayCreatesNothingTwice()
    {
        QVERIFY(m_http.waitIdle());
        const QString snapshot = QStringLiteral(
            "SELECT count(*) * 1000000 + coalesce(sum(event_count), 0) * 1000 + coalesce(sum(actor_count), 0) "
            "FROM notifications.items");
        const qint64 before = count(snapshot);
        const qint64 sources = count(QStringLiteral("SELECT count(*) FROM notifications.sources"));
        QVERIFY(before > 0);
        auto r = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/system/events/consumers/notifications.inbox/replay"),
                                               R"({"fromId":1})");
        QCOMPARE(r.status, 200);
        QThread::msleep(200);
        QVERIFY(m_http.waitIdle());
        QCOMPARE(count(snapshot), before);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.sources")), sources);
    }

    void badInputChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("slug");
        QTest::newRow("empty read body") << QByteArray("POST") << "/v1/notifications/read" << QByteArray("{}") << 400 << "validation";
        QTest::newRow("two scopes") << QByteArray("POST") << "/v1/notifications/read" << QByteArray(R"({"id":"1","all":true})") << 400 << "validation";
        QTest::newRow("bad id") << QByteArray("POST") << "/v1/notifications/read" << QByteArray(R"({"id":"x"})") << 400 << "validation";
        QTest::newRow("unknown field") << QByteArray("POST") << "/v1/notifications/read" << QByteArray(R"({"all":true,"x":1})") << 400 << "validation";
        QTest::newRow("not json") << QByteArray("POST") << "/v1/notifications/read" << QByteArray("{") << 400 << "malformed-json";
        QTest::newRow("unread flag") << QByteArray("GET") << "/v1/notifications?unread=maybe" << QByteArray() << 400 << "validation";
        QTest::newRow("bad cursor") << QByteArray("GET") << "/v1/notifications?cursor=zz" << QByteArray() << 400 << "validation";
        QTest::newRow("limit") << QByteArray("GET") << "/v1/notifications?limit=0" << QByteArray() << 400 << "validation";
        QTest::newRow("unknown parameter") << QByteArray("GET") << "/v1/notifications?kind=reply" << QByteArray() << 400 << "validation";
        QTest::newRow("bad path id") << QByteArray("DELETE") << "/v1/notifications/abc" << QByteArray() << 404 << "not-found";
    }

    void badInputChangesNothing()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, slug);
        const qint64 unreadBefore = total(m_alice);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!body.isEmpty())
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        auto r = m_http.call(method, path, m_alice.token, body, headers);
        QVERIFY2(isProblem(r, status, slug), r.body.constData());
        QCOMPARE(total(m_alice), unreadBefore);
    }

    void needsSignIn()
    {
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications")).status, 401);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications/unread")).status, 401);
    }
};

QTEST_GUILESS_MAIN(TstNotificationsInbox)
#include "tst_notificationsinbox.moc"
