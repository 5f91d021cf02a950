// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Preferences over real HTTP: defaults, a PATCH that changes only what it names, field
// errors that change nothing, the inbox switch of a kind and a muted thread taking effect
// on the projection, sign-in required.

#include "notificationshttp.h"

#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsPreferences : public QObject {
    Q_OBJECT
    NotificationsHttp m_http;
    Account m_alice, m_bob;
    QString m_post;

    HttpResult patch(const Account &a, const QByteArray &body)
    {
        return m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), a.token, body,
                           {{"Content-Type", "application/json"}});
    }
    QJsonObject prefs(const Account &a)
    {
        return m_http.call("GET", QStringLiteral("/v1/notifications/preferences"), a.token).json();
    }
    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        QVERIFY(!m_alice.token.isEmpty() && !m_bob.token.isEmpty());
        m_post = m_http.talkPost(m_alice);
        QVERIFY(!m_post.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void defaults()
    {
        const QJsonObject p = prefs(m_alice);
        QCOMPARE(p.value("timeZone").toString(), QStringLiteral("UTC"));
        QVERIFY(p.value("quietHours").isNull());
        QCOMPARE(p.value("emailFrequency").toString(), QStringLiteral("instant"));
        const QJsonObject reply = p.value("channels").toObject().value("reply").toObject();
        QCOMPARE(reply.value("inbox").toBool(), true);
        QCOMPARE(reply.value("email").toBool(), true);
        QCOMPARE(reply.value("sms").toBool(), false);
    }

    void patchChangesOnlyWhatItNames()
    {
        auto r = patch(m_alice, R"({"timeZone":"Asia/Seoul","quietHours":{"start":"22:00","end":"07:00"},
                                    "channels":{"follow":{"inbox":false,"email":true}}})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("timeZone").toString(), QStringLiteral("Asia/Seoul"));
        auto again = patch(m_alice, R"({"emailFrequency":"weekly"})");
        QCOMPARE(again.status, 200);
        const QJsonObject p = prefs(m_alice);
        QCOMPARE(p.value("timeZone").toString(), QStringLiteral("Asia/Seoul"));
        QCOMPARE(p.value("quietHours").toObject().value("end").toString(), QStringLiteral("07:00"));
        QCOMPARE(p.value("emailFrequency").toString(), QStringLiteral("weekly"));
        QCOMPARE(p.value("channels").toObject().value("follow").toObject().value("email").toBool(), true);
        QCOMPARE(p.value("channels").toObject().value("follow").toObject().value("inbox").toBool(), false);
        QCOMPARE(prefs(m_bob).value("timeZone").toString(), QStringLiteral("UTC"));   // others untouched
    }

    void badPatchChangesNothing()
    {
        const QJsonObject before = prefs(m_alice);
        auto r = patch(m_alice, R"({"timeZone":"Europe/Paris","channels":{"reply":{"fax":true}},"emailFrequency":"hourly"})");
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        QStringList fields;
        for (const QJsonValue &e : r.json().value("errors").toArray())
            fields << e.toObject().value("field").toString();
        fields.sort();
        QCOMPARE(fields, (QStringList{"channels.reply.fax", "emailFrequency"}));
        QCOMPARE(prefs(m_alice), before);
        QVERIFY(isProblem(patch(m_alice, "[1]"), 400, QStringLiteral("malformed-json")));
        QCOMPARE(prefs(m_alice), before);
    }

    void inboxSwitchAndMutedThread()
    {
        // Follows are off for alice's inbox: none arrives. Bob's reply does, until the thread is muted.
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/alice/follow"), m_bob.token).status, 204);
        m_http.createComment(m_bob, m_post, QStringLiteral("hello"));
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) { return items.size() == 1; }));
        QCOMPARE(m_http.inbox(m_alice).at(0).toObject().value("kind").toString(), QStringLiteral("reply"));

        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-threads/") + m_post, m_alice.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-threads/") + m_post, m_alice.token).status, 204);
        m_http.createComment(m_bob, m_post, QStringLiteral("are you there?"));
        QVERIFY(m_http.waitIdle());
        QCOMPARE(m_http.inbox(m_alice).at(0).toObject().value("eventCount").toInt(), 1);

        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/muted-threads/") + m_post, m_alice.token).status, 204);
        m_http.createComment(m_bob, m_post, QStringLiteral("now?"));
        QVERIFY(m_http.waitInbox(m_alice, [](const QJsonArray &items) {
            return items.size() == 1 && items.at(0).toObject().value("eventCount").toInt() == 2;
        }));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.items WHERE kind = 'follow'")), 0);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-threads/x"), m_alice.token).status, 404);
    }

    void needsSignIn()
    {
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/notifications/preferences")).status, 401);
        QCOMPARE(patch({}, "{}").status, 401);
    }
};

QTEST_GUILESS_MAIN(TstNotificationsPreferences)
#include "tst_notificationspreferences.moc"
