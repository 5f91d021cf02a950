// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The delivery worker wakes on LISTEN/NOTIFY: with the safety-net poll set to a minute, a
// reply's email still reaches the real SMTP server (python3-aiosmtpd) within a fraction of
// the old one-second poll — the commit's NOTIFY on `notifications_delivery` wakes the
// worker. A burst of replies drains the same way.

#include "notificationshttp.h"
#include "smtpsink.h"

#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsWake : public QObject {
    Q_OBJECT
    SmtpSink m_sink;
    NotificationsHttp m_http;
    Account m_alice, m_bob;
    QString m_post;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sink.start());
        m_http.extraSets << NotificationsHttp::emailSets(m_sink.url())
                         << QStringLiteral("plugins.notifications.delivery.pollMs=60000");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_post = m_http.talkPost(m_alice);
        QVERIFY(!m_post.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void deliveryStartsWellUnderThePoll()
    {
        QElapsedTimer t;
        t.start();
        QVERIFY(!m_http.createComment(m_bob, m_post, QStringLiteral("wake up")).value("id").toString().isEmpty());
        QVERIFY(m_sink.waitCount(1, 10'000));
        const qint64 received = t.elapsed();
        // From the row's insert to its send being recorded (the database's clock).
        const qint64 rowMs = count(QStringLiteral("SELECT (extract(epoch FROM sent_at - created_at) * 1000)::bigint "
                                                  "FROM notifications.deliveries WHERE status = 'sent'"));
        qInfo() << "comment request to SMTP message:" << received << "ms; delivery row written to sent:" << rowMs << "ms"
                << "(safety-net poll: 60000 ms)";
        QVERIFY2(received < 3000, "the worker waited for its poll");
        QVERIFY2(rowMs < 1000, "the delivery did not start well under the old 1 s poll");
    }

    void burstDrainsWithoutThePoll()
    {
        QList<Content::Test::Request> batch;
        for (int i = 0; i < 30; ++i)
            batch.append({"POST", QStringLiteral("/v1/posts/%1/comments").arg(m_post), m_bob.token,
                          ContentHttp::json({{"body", QStringLiteral("burst %1").arg(i)}}), {{"Content-Type", "application/json"}}});
        for (const HttpResult &r : m_http.parallelRequests(batch))
            QCOMPARE(r.status, 201);
        QVERIFY(m_sink.waitCount(31, 20'000));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE status = 'sent'")), qint64(31));
    }
};

QTEST_GUILESS_MAIN(TstNotificationsWake)
#include "tst_notificationswake.moc"
