// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// kill -9 of the daemon during a burst of 1,000 reply notifications with email on (a slow
// real SMTP server, so the kill lands mid-queue). After a restart every notification
// exists exactly once (per-source keys, one collapsed inbox row counting 1,000 events)
// and every email reached the SMTP server at least once; a message sent twice (sent, then
// the crash came before the row was marked) carries the same Message-ID.

#include "notificationshttp.h"
#include "smtpsink.h"

#include <QSet>
#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsCrash : public QObject {
    Q_OBJECT
    SmtpSink m_sink;
    NotificationsHttp m_http;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sink.start({QStringLiteral("--delay"), QStringLiteral("15")}));
        m_http.extraSets << NotificationsHttp::emailSets(m_sink.url())
                         << QStringLiteral("plugins.notifications.delivery.pollMs=50")
                         << QStringLiteral("plugins.notifications.delivery.batch=20")
                         << QStringLiteral("plugins.notifications.delivery.leaseSeconds=2");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_http.daemon.stop(); }

    void killDuringBurst()
    {
        const int total = 1000;
        const Account alice = m_http.registerUser(QStringLiteral("alice"));
        const Account bob = m_http.registerUser(QStringLiteral("bob"));
        const QString post = m_http.talkPost(alice);
        QVERIFY(!post.isEmpty());
        for (int done = 0; done < total; done += 100) {
            QList<Content::Test::Request> batch;
            for (int i = done; i < done + 100; ++i)
                batch.append({"POST", QStringLiteral("/v1/posts/%1/comments").arg(post), bob.token,
                              ContentHttp::json({{"body", QStringLiteral("reply %1").arg(i)}}),
                              {{"Content-Type", "application/json"}}});
            for (const HttpResult &r : m_http.parallelRequests(batch))
                QCOMPARE(r.status, 201);
        }
        QVERIFY(m_sink.waitCount(100, 60'000));
        const int beforeKill = int(m_sink.messages().size());
        QVERIFY2(beforeKill < total, "the queue drained before the kill: slow the sink down");
        m_http.daemon.kill();
        qInfo() << "killed with" << beforeKill << "of" << total << "emails received";
        QVERIFY2(m_http.daemon.restart(), qPrintable(m_http.daemon.errorString()));

        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 120'000
               && count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE status = 'sent'")) < total)
            QThread::msleep(200);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries")), qint64(total));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE status = 'sent'")), qint64(total));
        // Exactly once in the inbox.
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.sources")), qint64(total));
        QCOMPARE(count(QStringLiteral("SELECT sum(event_count) FROM notifications.items")), qint64(total));

        // At least once at the SMTP server, duplicates only with the same Message-ID.
        QTRY_VERIFY_WITH_TIMEOUT(m_sink.messages().size() >= total, 10'000);
        QSet<QString> expected;
        {
            pqxx::connection c(m_http.daemon.database()->conninfo());
            pqxx::nontransaction tx(c);
            for (const auto &r : tx.exec("SELECT '<' || message_id || '>' FROM notifications.deliveries"))
                expected.insert(QString::fromUtf8(r[0].c_str()));
        }
        QCOMPARE(expected.size(), total);
        QSet<QString> seen;
        int received = 0;
        for (const QJsonObject &m : m_sink.messages()) {
            const QString id = m.value("headers").toObject().value("Message-ID").toString();
            QVERIFY2(expected.contains(id), qPrintable(id));
            seen.insert(id);
            ++received;
        }
        QCOMPARE(seen, expected);
        qInfo() << received << "messages for" << total << "notifications:" << received - total << "sent twice across the crash";
    }
};

QTEST_GUILESS_MAIN(TstNotificationsCrash)
#include "tst_notificationscrash.moc"
