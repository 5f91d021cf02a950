// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl notifications (the built binary, operator token) against a live daemon
// and a real SMTP server: deliveries (all, --failed), retry of a dead delivery, send-test
// by username; announce (confirmation, --dry-run, --wait) and the announcements list; a
// user token is refused.

#include "notificationshttp.h"
#include "smtpsink.h"

#include <QtTest>

using namespace Notifications::Test;

class TstCtlNotifications : public QObject {
    Q_OBJECT
    SmtpSink m_sink;
    NotificationsHttp m_http;

    struct Run {
        int exitCode = -1;
        QString out, err;
    };
    Run ctl(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys())
            if (key.startsWith(QLatin1String("COMMUNITY_")))
                env.remove(key);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl"),
                QStringList{QStringLiteral("--server"), m_http.daemon.baseUrl().toString(), QStringLiteral("--token"),
                            m_http.daemon.operatorToken()} + args);
        Run r;
        if (!p.waitForFinished(60'000))
            return r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl")), "communityctl is not built");
        QVERIFY(m_sink.start({QStringLiteral("--reject"), QStringLiteral("carol@example.com")}));
        QString error;
        QVERIFY2(m_http.startWith(NotificationsHttp::emailSets(m_sink.url()), &error), qPrintable(error));
        const Account alice = m_http.registerUser(QStringLiteral("alice"));
        const Account carol = m_http.registerUser(QStringLiteral("carol"));
        QVERIFY(!m_http.createCommunity(alice, QStringLiteral("talk")).isEmpty());
        const QString post = m_http.createPost(carol, QStringLiteral("talk"), QStringLiteral("Carol's")).value("id").toString();
        m_http.createComment(alice, post, QStringLiteral("hello carol"));   // carol's address is refused: dead
        QTRY_COMPARE_WITH_TIMEOUT(m_http.scalar("SELECT count(*) FROM notifications.deliveries WHERE status = 'dead'"), 1, 15'000);
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void deliveriesAndRetry()
    {
        auto r = ctl({QStringLiteral("notifications"), QStringLiteral("deliveries"), QStringLiteral("--failed")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("dead")) && r.out.contains(QStringLiteral("550")) && r.out.contains(QStringLiteral("reply")),
                 qPrintable(r.out));
        const QString id = QString::number(m_http.scalar("SELECT id FROM notifications.deliveries WHERE status = 'dead'"));
        r = ctl({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("notifications"), QStringLiteral("deliveries")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("items").toArray().size(), 1);
        r = ctl({QStringLiteral("notifications"), QStringLiteral("retry"), id});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("due again")), qPrintable(r.out));
        QTRY_COMPARE_WITH_TIMEOUT(m_http.scalar("SELECT count(*) FROM notifications.deliveries WHERE status = 'dead' AND attempts = 1 "
                                                "AND last_error LIKE '%550%'"), 1, 15'000);
        QCOMPARE(ctl({QStringLiteral("notifications"), QStringLiteral("retry"), QStringLiteral("999999")}).exitCode, 1);
    }

    void sendTest()
    {
        auto r = ctl({QStringLiteral("notifications"), QStringLiteral("send-test"), QStringLiteral("--user"), QStringLiteral("alice"),
                      QStringLiteral("--channel"), QStringLiteral("email")});
        QCOMPARE(r.exitCode, 0);
        QTRY_COMPARE(m_sink.messagesTo(QStringLiteral("alice@example.com")).size(), 1);
        QCOMPARE(m_sink.messagesTo(QStringLiteral("alice@example.com")).first().value("headers").toObject().value("Subject").toString(),
                 QStringLiteral("Test message"));
        QCOMPARE(ctl({QStringLiteral("notifications"), QStringLiteral("send-test"), QStringLiteral("--user"), QStringLiteral("nobody"),
                      QStringLiteral("--channel"), QStringLiteral("email")}).exitCode, 1);
        QCOMPARE(ctl({QStringLiteral("notifications"), QStringLiteral("send-test"), QStringLiteral("--user"), QStringLiteral("alice"),
                      QStringLiteral("--channel"), QStringLiteral("fax")}).exitCode, 2);
    }

    void announce()
    {
        const QStringList args{QStringLiteral("notifications"), QStringLiteral("announce"), QStringLiteral("--title"),
                               QStringLiteral("Maintenance tonight"), QStringLiteral("--body"),
                               QStringLiteral("The forum is read-only from **22:00** UTC."), QStringLiteral("--url"),
                               QStringLiteral("https://status.example.com/")};
        // Not a terminal and no --yes: refused before any request.
        auto r = ctl(args);
        QCOMPARE(r.exitCode, 2);
        r = ctl(args + QStringList{QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("would announce \"Maintenance tonight\" to every active account")), qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM notifications.announcements"), 0);
        QCOMPARE(ctl({QStringLiteral("notifications"), QStringLiteral("announce"), QStringLiteral("--title"), QStringLiteral("t"),
                      QStringLiteral("--body"), QStringLiteral("b"), QStringLiteral("--url"), QStringLiteral("ftp://x"),
                      QStringLiteral("--yes")}).exitCode,
                 1);   // the server's field error
        QCOMPARE(m_http.scalar("SELECT count(*) FROM notifications.announcements"), 0);

        r = ctl(args + QStringList{QStringLiteral("--yes"), QStringLiteral("--wait")});
        QCOMPARE(r.exitCode, 0);
        const qint64 active = m_http.scalar("SELECT count(*) FROM auth.users WHERE state = 'active'");
        QVERIFY(active >= 2);
        QVERIFY2(r.out.contains(QStringLiteral("sent to %1 accounts").arg(active)), qPrintable(r.out));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM notifications.items WHERE kind = 'announcement'"), active);

        r = ctl({QStringLiteral("notifications"), QStringLiteral("announcements")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("Maintenance tonight")) && r.out.contains(QString::number(active)), qPrintable(r.out));
        r = ctl({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("notifications"), QStringLiteral("announcements"),
                 QStringLiteral("--limit"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray items = QJsonDocument::fromJson(r.out.toUtf8()).object().value("items").toArray();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().toObject().value("done").toBool(), true);
    }
};

QTEST_GUILESS_MAIN(TstCtlNotifications)
#include "tst_ctlnotifications.moc"
