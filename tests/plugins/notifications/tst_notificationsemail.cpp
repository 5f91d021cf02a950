// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Email over real SMTP (python3-aiosmtpd on loopback, messages parsed by Python's email
// package): a reply notification arrives as multipart/alternative with text and HTML,
// a stable Message-ID (the delivery row's), RFC 8058 List-Unsubscribe headers whose
// one-click POST works without login and stops that kind; Korean templates; a tampered
// token changes nothing; 451 answers are retried with backoff, 550 is dead at once and
// visible to operators, who can retry it; digests collect several notifications in one
// message; the operator's test send.

#include "notificationshttp.h"
#include "smtpsink.h"

#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsEmail : public QObject {
    Q_OBJECT
    SmtpSink m_sink;
    NotificationsHttp m_http;
    Account m_alice, m_bob, m_carol, m_dave;
    QString m_post;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    HttpResult patchPrefs(const Account &a, const QByteArray &body)
    {
        return m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), a.token, body,
                           {{"Content-Type", "application/json"}});
    }
    /// The unsubscribe URL of a message, pointed at the test daemon (the public origin
    /// would be a proxy in front of it).
    QString unsubscribePath(const QJsonObject &message)
    {
        QString h = message.value("headers").toObject().value("List-Unsubscribe").toString();
        h = h.mid(1, h.size() - 2);
        return h.mid(QStringLiteral("https://forum.test").size());
    }
    bool waitDelivery(const QString &where, const QString &status, int timeoutMs = 15'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE %1 AND status = '%2'").arg(where, status)) > 0)
                return true;
            QThread::msleep(50);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sink.start({QStringLiteral("--tempfail"), QStringLiteral("1"), QStringLiteral("--reject"),
                              QStringLiteral("dave@example.com")}));
        QString error;
        QVERIFY2(m_http.startWith(NotificationsHttp::emailSets(m_sink.url())
                                      << QStringLiteral("plugins.notifications.delivery.backoffBaseMs=300"), &error),
                 qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_carol = m_http.registerUser(QStringLiteral("carol"));
        m_dave = m_http.registerUser(QStringLiteral("dave"));
        m_post = m_http.talkPost(m_alice);
        QVERIFY(!m_post.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void replyEmailAfterATemporaryFailure()
    {
        m_http.createComment(m_bob, m_post, QStringLiteral("first!"));
        // The sink answers 451 to the first message: the row is retried after the backoff.
        QVERIFY(m_sink.waitCount(1));
        const QJsonObject m = m_sink.messagesTo(QStringLiteral("alice@example.com")).value(0);
        QVERIFY(!m.isEmpty());
        const QJsonObject h = m.value("headers").toObject();
        QCOMPARE(m.value("mailFrom").toString(), QStringLiteral("notify@forum.test"));
        QCOMPARE(m.value("contentType").toString(), QStringLiteral("multipart/alternative"));
        QCOMPARE(h.value("Subject").toString(), QStringLiteral("bob commented on your post"));
        QCOMPARE(h.value("From").toString(), QStringLiteral("Community <notify@forum.test>"));
        QCOMPARE(h.value("List-Unsubscribe-Post").toString(), QStringLiteral("List-Unsubscribe=One-Click"));
        QVERIFY(h.value("List-Unsubscribe").toString().startsWith("<https://forum.test/v1/notifications/unsubscribe?token="));
        QVERIFY(m.value("text").toString().contains(QStringLiteral("https://forum.test/posts/") + m_post));
        QVERIFY(m.value("html").toString().contains(QStringLiteral("href=\"https://forum.test/posts/") + m_post));
        const QString messageId = h.value("Message-ID").toString();
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE status = 'sent' AND attempts = 2 "
                                      "AND '<' || message_id || '>' = '%1'").arg(messageId)), 1);
    }

    void oneClickUnsubscribe()
    {
        const QJsonObject m = m_sink.messagesTo(QStringLiteral("alice@example.com")).value(0);
        const QString path = unsubscribePath(m);
        QVERIFY(path.startsWith("/v1/notifications/unsubscribe?token="));
        // A tampered token is refused and changes nothing.
        QString bad = path;
        bad[bad.size() - 3] = bad[bad.size() - 3] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        const QList<QPair<QByteArray, QByteArray>> form{{"Content-Type", "application/x-www-form-urlencoded"}};
        QVERIFY(isProblem(m_http.call("POST", bad, {}, "List-Unsubscribe=One-Click", form), 400, QStringLiteral("validation")));
        // GET (a link scanner) only checks.
        QCOMPARE(m_http.call("GET", path).json().value("unsubscribed").toBool(), false);
        auto prefs = m_http.call("GET", QStringLiteral("/v1/notifications/preferences"), m_alice.token).json();
        QCOMPARE(prefs.value("channels").toObject().value("reply").toObject().value("email").toBool(), true);
        auto r = m_http.call("POST", path, {}, "List-Unsubscribe=One-Click", form);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("kind").toString(), QStringLiteral("reply"));
        prefs = m_http.call("GET", QStringLiteral("/v1/notifications/preferences"), m_alice.token).json();
        QCOMPARE(prefs.value("channels").toObject().value("reply").toObject().value("email").toBool(), false);
        QCOMPARE(prefs.value("channels").toObject().value("mention").toObject().value("email").toBool(), true);

        // The next reply reaches the inbox but writes no email row.
        const qint64 rows = count(QStringLiteral("SELECT count(*) FROM notifications.deliveries"));
        m_http.createComment(m_carol, m_post, QStringLiteral("second"));
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) {
            return NotificationsHttp::byKind(items, QStringLiteral("reply")).value("actorCount").toInt() == 2;
        }));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries")), rows);
    }

    void koreanTemplate()
    {
        QCOMPARE(patchPrefs(m_carol, R"({"language":"ko"})").status, 200);
        m_http.createComment(m_bob, m_post, QStringLiteral("hi @carol"));
        QVERIFY(waitDelivery(QStringLiteral("kind = 'mention'"), QStringLiteral("sent")));
        const QJsonObject m = m_sink.messagesTo(QStringLiteral("carol@example.com")).value(0);
        QCOMPARE(m.value("headers").toObject().value("Subject").toString(), QStringLiteral("bob님이 회원님을 언급했습니다"));
        QVERIFY(m.value("text").toString().contains(QStringLiteral("알림 설정")));
        QVERIFY(m.value("html").toString().contains(QStringLiteral("lang=\"ko\"")));
    }

    void permanentFailureIsDeadAndRetryable()
    {
        // dave's address is refused with 550: dead after one attempt, listed for operators.
        const QString davePost = m_http.createPost(m_dave, QStringLiteral("talk"), QStringLiteral("Dave's")).value("id").toString();
        m_http.createComment(m_bob, davePost, QStringLiteral("hello dave"));
        QVERIFY(waitDelivery(QStringLiteral("true"), QStringLiteral("dead")));
        auto list = m_http.call("GET", QStringLiteral("/v1/admin/notifications/deliveries?status=failed"), m_http.admin.token);
        QCOMPARE(list.status, 200);
        const QJsonArray items = list.json().value("items").toArray();
        QCOMPARE(items.size(), 1);
        const QJsonObject dead = items.at(0).toObject();
        QCOMPARE(dead.value("status").toString(), QStringLiteral("dead"));
        QCOMPARE(dead.value("attempts").toInt(), 1);
        QVERIFY(dead.value("lastError").toString().contains(QStringLiteral("550")));
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/admin/notifications/deliveries"), m_bob.token).status, 403);
        auto retry = m_http.call("POST", QStringLiteral("/v1/admin/notifications/deliveries/%1/retry").arg(dead.value("id").toString()),
                                 m_http.admin.token);
        QCOMPARE(retry.status, 200);
        QVERIFY(waitDelivery(QStringLiteral("id = ") + dead.value("id").toString() + QStringLiteral(" AND attempts = 1 AND last_error IS NOT NULL"),
                             QStringLiteral("dead")));
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/admin/notifications/deliveries/999999/retry"), m_http.admin.token).status, 404);
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/admin/notifications/deliveries?status=lost"), m_http.admin.token),
                          400, QStringLiteral("validation")));
    }

    void digestCollectsSeveral()
    {
        QCOMPARE(patchPrefs(m_carol, R"({"emailFrequency":"daily","timeZone":"Asia/Seoul","language":"en"})").status, 200);
        const int before = m_sink.messagesTo(QStringLiteral("carol@example.com")).size();
        m_http.createComment(m_bob, m_post, QStringLiteral("@carol one"));
        m_http.createComment(m_alice, m_post, QStringLiteral("@carol two"));
        QVERIFY(m_http.waitIdle());
        QTRY_COMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE digest AND status = 'pending'")), 2);
        // Due at the next 08:00 in Seoul (23:00 UTC).
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE digest AND due_at > now() "
                                      "AND extract(hour FROM due_at AT TIME ZONE 'Asia/Seoul') = 8 "
                                      "AND extract(minute FROM due_at) = 0")), 2);
        // The clock moves on (the test cannot wait a day): both go out in one message.
        m_http.scalar("UPDATE notifications.deliveries SET due_at = now() WHERE digest");
        QVERIFY(waitDelivery(QStringLiteral("digest"), QStringLiteral("sent")));
        QTRY_COMPARE(m_sink.messagesTo(QStringLiteral("carol@example.com")).size(), before + 1);
        const QJsonObject m = m_sink.messagesTo(QStringLiteral("carol@example.com")).last();
        QCOMPARE(m.value("headers").toObject().value("Subject").toString(), QStringLiteral("2 new notifications"));
        QCOMPARE(m.value("text").toString().count(QStringLiteral("mentioned you")), 2);
        QVERIFY(m.value("headers").toObject().value("List-Unsubscribe").toString().contains(QStringLiteral("token=")));
    }

    void testSend()
    {
        const QString bobId = m_http.userId(m_bob);
        const int before = m_sink.messagesTo(QStringLiteral("bob@example.com")).size();
        auto r = m_http.call("POST", QStringLiteral("/v1/admin/notifications/test-send"), m_http.admin.token,
                             ContentHttp::json({{"user", bobId}, {"channel", "email"}}), {{"Content-Type", "application/json"}});
        QCOMPARE(r.status, 200);
        QTRY_COMPARE(m_sink.messagesTo(QStringLiteral("bob@example.com")).size(), before + 1);
        QVERIFY(isProblem(m_http.call("POST", QStringLiteral("/v1/admin/notifications/test-send"), m_http.admin.token,
                                      ContentHttp::json({{"user", bobId}, {"channel", "fax"}}), {{"Content-Type", "application/json"}}),
                          400, QStringLiteral("validation")));
    }
};

QTEST_GUILESS_MAIN(TstNotificationsEmail)
#include "tst_notificationsemail.moc"
