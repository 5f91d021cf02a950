// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Web push end to end against a loopback push service (tests/tools/push-service.mjs): a
// reply notification is encrypted (RFC 8291) so that npm http_ece decrypts it to the right
// JSON with the user agent's keys, the VAPID JWT verifies with npm jose against the key
// the server publishes, TTL/Urgency/Topic are sent; 410 removes the subscription, 429 is
// retried with backoff; malformed subscriptions are refused with field errors and write
// nothing.

#include "notificationshttp.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsPush : public QObject {
    Q_OBJECT
    QProcess m_push;
    QTemporaryDir m_dir;
    QJsonObject m_ua;   // port, p256dh, auth of the user agent the push service plays
    NotificationsHttp m_http;
    Account m_alice, m_bob;
    QString m_post;

    QString endpoint(const QString &name) const
    {
        return QStringLiteral("http://127.0.0.1:%1/push/%2").arg(m_ua.value("port").toInt()).arg(name);
    }
    HttpResult subscribe(const Account &a, const QJsonObject &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/notifications/push/subscriptions"), a.token, ContentHttp::json(body),
                           {{"Content-Type", "application/json"}});
    }
    QJsonObject subscription(const QString &name) const
    {
        return {{"endpoint", endpoint(name)}, {"expirationTime", QJsonValue()},
                {"keys", QJsonObject{{"p256dh", m_ua.value("p256dh")}, {"auth", m_ua.value("auth")}}}};
    }
    QList<QJsonObject> received(const QString &name) const
    {
        QList<QJsonObject> out;
        const QDir dir(m_dir.path());
        for (const QString &f : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile file(dir.filePath(f));
            file.open(QIODevice::ReadOnly);
            const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
            if (o.value("path").toString() == QStringLiteral("/push/") + name)
                out.append(o);
        }
        return out;
    }
    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }

private Q_SLOTS:
    void initTestCase()
    {
        m_push.setWorkingDirectory(QStringLiteral(SOURCE_DIR "/tests/tools"));
        m_push.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_push.start(QStringLiteral("node"), {QStringLiteral("push-service.mjs"), m_dir.path()});
        QVERIFY(m_push.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(m_push.canReadLine() || (m_push.waitForReadyRead(100) && m_push.canReadLine()), 10'000);
        m_ua = QJsonDocument::fromJson(m_push.readLine()).object();
        QVERIFY(m_ua.value("port").toInt() > 0);
        m_http.extraSets << QStringLiteral("plugins.notifications.push.enabled=true")
                         << QStringLiteral("plugins.notifications.push.subject=mailto:ops@forum.test")
                         << QStringLiteral("plugins.notifications.push.allowHttpEndpoints=true")
                         << QStringLiteral("plugins.notifications.delivery.backoffBaseMs=300");
        QString error;
        QVERIFY2(m_http.startWith({}, &error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_post = m_http.talkPost(m_alice);
        QVERIFY(!m_post.isEmpty());
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_http.daemon.stop(), 0);
        m_push.kill();
        m_push.waitForFinished(5000);
    }

    void malformedSubscriptionsChangeNothing_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("field");
        QJsonObject ftp = subscription(QStringLiteral("ok"));
        ftp["endpoint"] = QStringLiteral("ftp://127.0.0.1/push/ok");
        QTest::newRow("endpoint scheme") << ftp << "endpoint";
        QJsonObject badKey = subscription(QStringLiteral("ok"));
        badKey["keys"] = QJsonObject{{"p256dh", "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
                                    {"auth", m_ua.value("auth")}};
        QTest::newRow("p256dh off the curve") << badKey << "keys.p256dh";
        QJsonObject shortAuth = subscription(QStringLiteral("ok"));
        shortAuth["keys"] = QJsonObject{{"p256dh", m_ua.value("p256dh")}, {"auth", "AAAA"}};
        QTest::newRow("auth of 3 bytes") << shortAuth << "keys.auth";
        QJsonObject noKeys = subscription(QStringLiteral("ok"));
        noKeys.remove("keys");
        QTest::newRow("no keys") << noKeys << "keys";
        QJsonObject extra = subscription(QStringLiteral("ok"));
        extra["device"] = "phone";
        QTest::newRow("unknown field") << extra << "device";
    }

    void malformedSubscriptionsChangeNothing()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, field);
        auto r = subscribe(m_alice, body);
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        bool named = false;
        for (const QJsonValue &e : r.json().value("errors").toArray())
            named = named || e.toObject().value("field").toString() == field;
        QVERIFY2(named, r.body.constData());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.push_subscriptions")), 0);
    }

    void replyIsPushedEncryptedAndSigned()
    {
        auto key = m_http.call("GET", QStringLiteral("/v1/notifications/push/key"));
        QCOMPARE(key.status, 200);
        const QString serverKey = key.json().value("publicKey").toString();
        for (const QString &name : {QStringLiteral("ok"), QStringLiteral("gone"), QStringLiteral("busy")})
            QCOMPARE(subscribe(m_alice, subscription(name)).status, 201);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications/push/subscriptions"), m_alice.token)
                     .json().value("items").toArray().size(), 3);

        m_http.createComment(m_bob, m_post, QStringLiteral("first!"));
        QTRY_COMPARE_WITH_TIMEOUT(received(QStringLiteral("ok")).size(), 1, 15'000);
        const QJsonObject ok = received(QStringLiteral("ok")).first();
        QVERIFY2(!ok.contains("decryptError"), qPrintable(ok.value("decryptError").toString()));
        const QJsonObject payload = QJsonDocument::fromJson(ok.value("plaintext").toString().toUtf8()).object();
        QCOMPARE(payload.value("title").toString(), QStringLiteral("bob commented on your post"));
        QCOMPARE(payload.value("notification").toObject().value("kind").toString(), QStringLiteral("reply"));
        QCOMPARE(payload.value("notification").toObject().value("subject").toObject().value("postId").toString(), m_post);
        QCOMPARE(ok.value("contentEncoding").toString(), QStringLiteral("aes128gcm"));
        QCOMPARE(ok.value("ttl").toString(), QStringLiteral("86400"));
        QCOMPARE(ok.value("urgency").toString(), QStringLiteral("normal"));
        QVERIFY(!ok.value("topic").toString().isEmpty());
        const QJsonObject vapid = ok.value("vapid").toObject();
        QVERIFY2(vapid.value("valid").toBool(), qPrintable(vapid.value("error").toString()));
        QCOMPARE(vapid.value("k").toString(), serverKey);
        QCOMPARE(vapid.value("claims").toObject().value("sub").toString(), QStringLiteral("mailto:ops@forum.test"));

        // 410: the subscription is removed and its row is dead; 429: retried, then delivered.
        QTRY_COMPARE_WITH_TIMEOUT(m_http.call("GET", QStringLiteral("/v1/notifications/push/subscriptions"), m_alice.token)
                                      .json().value("items").toArray().size(), 2, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(received(QStringLiteral("busy")).size(), 2, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE channel = 'push' "
                                                       "AND status = 'sent' AND attempts = 2")), 1, 15'000);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE channel = 'push' AND status = 'dead' "
                                      "AND last_error LIKE '%410%'")), 1);
        QCOMPARE(received(QStringLiteral("gone")).size(), 1);
    }

    void testSendPushesToEverySubscription()
    {
        // communityctl notifications send-test --channel push: every subscription at once, no row.
        const int before = received(QStringLiteral("ok")).size();
        const qint64 rows = count(QStringLiteral("SELECT count(*) FROM notifications.deliveries"));
        auto r = m_http.call("POST", QStringLiteral("/v1/admin/notifications/test-send"), m_http.admin.token,
                             ContentHttp::json({{"user", "alice"}, {"channel", "push"}}), {{"Content-Type", "application/json"}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json().value("subscriptions").toInt(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(received(QStringLiteral("ok")).size(), before + 1, 10'000);
        const QJsonObject ok = received(QStringLiteral("ok")).last();
        QVERIFY2(!ok.contains("decryptError"), qPrintable(ok.value("decryptError").toString()));
        QCOMPARE(QJsonDocument::fromJson(ok.value("plaintext").toString().toUtf8()).object().value("title").toString(),
                 QStringLiteral("Test message"));
        QVERIFY(ok.value("vapid").toObject().value("valid").toBool());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries")), rows);
        // bob has no subscription.
        QVERIFY(isProblem(m_http.call("POST", QStringLiteral("/v1/admin/notifications/test-send"), m_http.admin.token,
                                      ContentHttp::json({{"user", "bob"}, {"channel", "push"}}), {{"Content-Type", "application/json"}}),
                          404, QStringLiteral("not-found")));
    }

    void unsubscribeAndOwnership()
    {
        const QJsonArray items = m_http.call("GET", QStringLiteral("/v1/notifications/push/subscriptions"), m_alice.token)
                                     .json().value("items").toArray();
        const QString id = items.at(0).toObject().value("id").toString();
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/push/subscriptions/") + id, m_bob.token).status, 404);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/push/subscriptions/") + id, m_alice.token).status, 204);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications/push/subscriptions"), m_alice.token)
                     .json().value("items").toArray().size(), items.size() - 1);
    }
};

QTEST_GUILESS_MAIN(TstNotificationsPush)
#include "tst_notificationspush.moc"
