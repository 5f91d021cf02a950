// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// System announcements over real HTTP and WebSocket: only admins publish; the fan-out
// reaches every active account's inbox exactly once, in pages of
// `announcements.batch` accounts (3 here: several transactions), with the live frame; an
// account whose announcement inbox switch is off gets nothing, a suspended one neither;
// bad input is refused with field errors and writes nothing.

#include "notificationshttp.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Notifications::Test;
using Community::Test::WsClient;
using Community::Test::wsUrl;

class TstNotificationsAnnouncements : public QObject {
    Q_OBJECT
    NotificationsHttp m_http;
    QList<Account> m_users;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    HttpResult publish(const QByteArray &token, const QByteArray &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/admin/notifications/announcements"), token, body,
                           {{"Content-Type", "application/json"}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_http.extraSets << QStringLiteral("plugins.notifications.announcements.batch=3");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        for (int i = 0; i < 8; ++i) {
            m_users.append(m_http.registerUser(QStringLiteral("user%1").arg(i)));
            QVERIFY(!m_users.last().token.isEmpty());
        }
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void onlyAdminsPublish()
    {
        const QByteArray body = ContentHttp::json({{"title", "Hi"}, {"body", "Hello"}});
        QVERIFY(isProblem(publish(m_users[0].token, body), 403, QStringLiteral("forbidden")));
        QCOMPARE(publish({}, body).status, 401);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/admin/notifications/announcements"), m_users[0].token).status, 403);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.announcements")), qint64(0));
    }

    void badInputWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no title") << QByteArray(R"({"body":"x"})") << "title";
        QTest::newRow("empty body") << QByteArray(R"({"title":"x","body":""})") << "body";
        QTest::newRow("long title") << ContentHttp::json({{"title", QString(201, 'a')}, {"body", "x"}}) << "title";
        QTest::newRow("long body") << ContentHttp::json({{"title", "x"}, {"body", QString(5001, 'a')}}) << "body";
        QTest::newRow("bad url") << QByteArray(R"x({"title":"x","body":"y","url":"javascript:alert(1)"})x") << "url";
        QTest::newRow("unknown field") << QByteArray(R"({"title":"x","body":"y","audience":"all"})") << "audience";
    }

    void badInputWritesNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        auto r = publish(m_http.admin.token, body);
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        bool named = false;
        for (const QJsonValue &e : r.json().value("errors").toArray())
            named = named || e.toObject().value("field").toString() == field;
        QVERIFY2(named, r.body.constData());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.announcements")), qint64(0));
    }

    void everyActiveAccountOnce()
    {
        // user1 switched announcements off; user2 is suspended; user0 watches live.
        auto p = m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), m_users[1].token,
                             ContentHttp::json({{"channels", QJsonObject{{"announcement", QJsonObject{{"inbox", false}}}}}}),
                             {{"Content-Type", "application/json"}});
        QCOMPARE(p.status, 200);
        const QString suspendedId = m_http.userId(m_users[2]);
        auto s = m_http.call("POST", QStringLiteral("/v1/admin/users/user2/suspend"), m_http.admin.token,
                             ContentHttp::json({{"reason", "test"}}), {{"Content-Type", "application/json"}});
        QVERIFY2(s.status / 100 == 2, s.body.constData());
        const QString user0 = m_http.userId(m_users[0]);
        WsClient ws;
        QVERIFY(ws.open(wsUrl(m_http.daemon.baseUrl()), m_users[0].token));
        QVERIFY(ws.subscribe(QStringLiteral("user:") + user0).value_or(QJsonObject{}).value("type") == "subscribed");

        auto r = publish(m_http.admin.token,
                         ContentHttp::json({{"title", "Maintenance tonight"}, {"body", "The forum is read-only from 02:00 UTC."},
                                            {"url", "https://status.forum.test/maintenance"}}));
        QCOMPARE(r.status, 202);
        const QString id = r.json().value("id").toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(r.json().value("done").toBool(true), false);

        auto frame = ws.waitFor([](const QJsonObject &f) {
            return f.value("type") == "event" && f.value("data").toObject().value("kind") == "notification";
        }, 10'000);
        QVERIFY(frame);
        const QJsonObject n = frame->value("data").toObject().value("notification").toObject();
        QCOMPARE(n.value("kind").toString(), QStringLiteral("announcement"));
        QCOMPARE(n.value("subject").toObject().value("announcementId").toString(), id);
        QCOMPARE(n.value("subject").toObject().value("title").toString(), QStringLiteral("Maintenance tonight"));
        QCOMPARE(n.value("subject").toObject().value("url").toString(), QStringLiteral("https://status.forum.test/maintenance"));
        QCOMPARE(n.value("actorCount").toInt(), 0);

        QJsonObject listed;
        QTRY_VERIFY_WITH_TIMEOUT((listed = m_http.call("GET", QStringLiteral("/v1/admin/notifications/announcements"),
                                                       m_http.admin.token).json().value("items").toArray().at(0).toObject())
                                     .value("done").toBool(),
                                 15'000);
        QCOMPARE(listed.value("id").toString(), id);
        // Accounts: admin + 8 users, one suspended (not walked), one with the switch off (skipped).
        const qint64 expected = count(QStringLiteral("SELECT count(*) FROM auth.users WHERE state = 'active'")) - 1;
        QCOMPARE(listed.value("recipients").toInteger(), expected);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.items WHERE kind = 'announcement'")), expected);
        QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT user_id) FROM notifications.items WHERE kind = 'announcement'")), expected);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.items WHERE kind = 'announcement' AND user_id = %1")
                           .arg(m_http.userId(m_users[1]))), qint64(0));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.items WHERE kind = 'announcement' AND user_id = %1")
                           .arg(suspendedId)), qint64(0));
        QCOMPARE(m_http.unread(m_users[3]).value("byKind").toObject().value("announcement").toInt(), 1);
        // Redone pages change nothing: the source keys hold (a replay of the fan-out).
        QVERIFY(m_http.daemon.database());
        count(QStringLiteral("UPDATE notifications.announcements SET cursor = 0, done_at = NULL WHERE id = %1 RETURNING 1").arg(id));
        QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM notifications.announcements WHERE done_at IS NULL")) == 0, 20'000);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.items WHERE kind = 'announcement'")), expected);
        QCOMPARE(count(QStringLiteral("SELECT sum(event_count) FROM notifications.items WHERE kind = 'announcement'")), expected);
    }
};

QTEST_GUILESS_MAIN(TstNotificationsAnnouncements)
#include "tst_notificationsannouncements.moc"
