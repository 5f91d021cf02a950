// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// SMS through the HTTP provider against a loopback Twilio-style server
// (tests/tools/sms-provider.py checks basic auth and the form): numbers must be E.164 and
// verified by a texted code; nothing is texted for kinds the user did not opt in to; an
// opted-in reply is texted once with its idempotency key; a timeout after the provider
// accepted the request is not sent again.

#include "notificationshttp.h"
#include "smtpsink.h"

#include <QRegularExpression>
#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsSms : public QObject {
    Q_OBJECT
    SmtpSink m_provider{QStringLiteral("sms-provider.py")};
    NotificationsHttp m_http;
    Account m_alice, m_bob, m_dave;
    QString m_post;

    HttpResult send(const Account &a, const QByteArray &method, const QString &path, const QJsonObject &body)
    {
        return m_http.call(method, path, a.token, ContentHttp::json(body), {{"Content-Type", "application/json"}});
    }
    QList<QJsonObject> textsTo(const QString &number) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &r : m_provider.messages())
            if (r.value("form").toObject().value("To").toString() == number)
                out.append(r);
        return out;
    }
    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_provider.start({QStringLiteral("AC1:sms-secret")}));
        m_http.extraSets << QStringLiteral("plugins.notifications.sms.url=http://127.0.0.1:%1/2010-04-01/Accounts/AC1/Messages.json")
                                .arg(m_provider.port())
                         << QStringLiteral("plugins.notifications.sms.accountId=AC1")
                         << QStringLiteral("plugins.notifications.sms.token=sms-secret")
                         << QStringLiteral("plugins.notifications.sms.from=+15550001111")
                         << QStringLiteral("plugins.notifications.sms.timeoutMs=1500")
                         << QStringLiteral("plugins.notifications.delivery.backoffBaseMs=300");
        QString error;
        QVERIFY2(m_http.startWith({}, &error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_dave = m_http.registerUser(QStringLiteral("dave"));
        m_post = m_http.talkPost(m_alice);
        QVERIFY(!m_post.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void numbersAreCheckedAndVerified()
    {
        for (const char *bad : {"12345", "+0123456789", "+82 10 1234 5678", "+1234567"}) {
            auto r = send(m_alice, "PUT", QStringLiteral("/v1/notifications/phone"), {{"number", bad}});
            QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        }
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.phones")), 0);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications/phone"), m_alice.token).status, 404);

        const QString number = QStringLiteral("+821012345678");
        auto set = send(m_alice, "PUT", QStringLiteral("/v1/notifications/phone"), {{"number", number}});
        QCOMPARE(set.status, 202);
        QCOMPARE(set.json().value("verified").toBool(), false);
        QCOMPARE(textsTo(number).size(), 1);
        const QJsonObject text = textsTo(number).first();
        QVERIFY(text.value("authOk").toBool());
        QCOMPARE(text.value("form").toObject().value("From").toString(), QStringLiteral("+15550001111"));
        QCOMPARE(text.value("contentType").toString(), QStringLiteral("application/x-www-form-urlencoded"));
        const QString code = QRegularExpression(QStringLiteral("(\\d{6})")).match(text.value("form").toObject().value("Body").toString()).captured(1);
        QCOMPARE(code.size(), 6);

        const QString wrong = code == QLatin1String("000000") ? QStringLiteral("111111") : QStringLiteral("000000");
        auto bad = send(m_alice, "POST", QStringLiteral("/v1/notifications/phone/verify"), {{"code", wrong}});
        QVERIFY2(isProblem(bad, 400, QStringLiteral("validation")), bad.body.constData());
        auto ok = send(m_alice, "POST", QStringLiteral("/v1/notifications/phone/verify"), {{"code", code}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value("verified").toBool(), true);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications/phone"), m_alice.token).json().value("verified").toBool(), true);
    }

    void onlyOptedInKindsAreTexted()
    {
        const QString number = QStringLiteral("+821012345678");
        m_http.createComment(m_bob, m_post, QStringLiteral("not texted: sms is opt-in"));
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) { return !items.isEmpty(); }));
        QVERIFY(m_http.waitIdle());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE channel = 'sms'")), 0);

        auto prefs = m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), m_alice.token,
                                 R"({"channels":{"reply":{"sms":true}}})", {{"Content-Type", "application/json"}});
        QCOMPARE(prefs.status, 200);
        m_http.createComment(m_bob, m_post, QStringLiteral("texted"));
        QTRY_COMPARE_WITH_TIMEOUT(textsTo(number).size(), 2, 15'000);
        const QJsonObject text = textsTo(number).last();
        QCOMPARE(text.value("form").toObject().value("Body").toString(), QStringLiteral("bob commented on your post"));
        QVERIFY(text.value("idempotencyKey").toString().startsWith(QStringLiteral("sms/")));
        QTRY_COMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE channel = 'sms' AND status = 'sent'")), 1);
        // Follows were not opted in.
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/alice/follow"), m_bob.token).status, 204);
        QVERIFY(m_http.waitIdle());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE channel = 'sms'")), 1);
    }

    void timeoutAfterAcceptingIsNotResent()
    {
        // The provider reads dave's requests and never answers: even the code cannot be
        // confirmed, so the test marks the number verified itself.
        const QString number = QStringLiteral("+15550000999");
        auto set = send(m_dave, "PUT", QStringLiteral("/v1/notifications/phone"), {{"number", number}});
        QVERIFY(set.status >= 500);
        m_http.scalar("UPDATE notifications.phones SET verified_at = now() WHERE number = '+15550000999'");
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), m_dave.token,
                             R"({"channels":{"reply":{"sms":true}}})", {{"Content-Type", "application/json"}}).status, 200);
        const QString davePost = m_http.createPost(m_dave, QStringLiteral("talk"), QStringLiteral("Dave's")).value("id").toString();
        m_http.createComment(m_bob, davePost, QStringLiteral("hi dave"));
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE channel = 'sms' "
                                                       "AND target = '+15550000999' AND status = 'dead'")), 1, 15'000);
        QThread::msleep(1500);   // several backoff periods: nothing is sent again
        QCOMPARE(textsTo(number).size(), 2);   // the code, and the one notification
        QCOMPARE(count(QStringLiteral("SELECT attempts FROM notifications.deliveries WHERE target = '+15550000999'")), 1);
    }

    void removeNumber()
    {
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/phone"), m_alice.token).status, 204);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications/phone"), m_alice.token).status, 404);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/phone"), m_alice.token).status, 404);
    }
};

QTEST_GUILESS_MAIN(TstNotificationsSms)
#include "tst_notificationssms.moc"
