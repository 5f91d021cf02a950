// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Outbound faults (chaos `outbound.error|timeout|latency`, selector.route "smtp") observed
// through a real loopback SMTP server (python3-aiosmtpd): an injected failure or timeout is
// retried per the delivery policy (backoff) and the mail arrives once the fault's time
// limit clears it; injected latency holds the mail back by about its delay.

#include "notificationshttp.h"
#include "smtpsink.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsFaults : public QObject {
    Q_OBJECT
    SmtpSink m_sink;
    NotificationsHttp m_http;
    Account m_writer;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }

    void inject(const QJsonObject &fault)
    {
        const auto r = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/faults"),
                                                     NotificationsHttp::json(fault));
        QVERIFY2(r.status == 201, r.body.constData());
    }
    static QJsonObject smtpFault(const char *kind, int ttlSeconds, int delayMs = 0)
    {
        return {{"kind", kind}, {"selector", QJsonObject{{"route", "smtp"}, {"plugin", "notifications"}}},
                {"delayMs", delayMs}, {"ttlSeconds", ttlSeconds}};
    }
    /// A reply to a new post of a new user: one reply email to that user. Returns the address.
    QString replyTo(const QString &username)
    {
        const Account owner = m_http.registerUser(username);
        const QString post = m_http.createPost(owner, QStringLiteral("talk"), QStringLiteral("Post of ") + username)
                                 .value("id").toString();
        m_http.createComment(m_writer, post, QStringLiteral("a reply"));
        return username + QStringLiteral("@example.com");
    }
    bool waitMail(const QString &to, int timeoutMs = 20'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (!m_sink.messagesTo(to).isEmpty())
                return true;
            QThread::msleep(20);
        }
        return false;
    }
    qint64 attempts(const QString &to)
    {
        return count(QStringLiteral("SELECT coalesce(max(attempts), 0) FROM notifications.deliveries WHERE channel = 'email' "
                                    "AND user_id = (SELECT id FROM auth.users WHERE email = '%1')").arg(to));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sink.start());
        QString error;
        QVERIFY2(m_http.startWith(NotificationsHttp::emailSets(m_sink.url())
                                      << QStringLiteral("plugins.notifications.delivery.backoffBaseMs=300")
                                      << QStringLiteral("chaos.enabled=true"),
                                  &error),
                 qPrintable(error));
        m_writer = m_http.registerUser(QStringLiteral("writer"));
        QVERIFY(!m_http.talkPost(m_writer).isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void injectedErrorIsRetriedUntilTheFaultClears()
    {
        inject(smtpFault("outbound.error", 2));
        QElapsedTimer t;
        t.start();
        const QString to = replyTo(QStringLiteral("erin"));
        QVERIFY(waitMail(to));
        // Sent only after the fault's 2 s limit, after at least one failed attempt.
        QVERIFY2(t.elapsed() >= 1500, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(attempts(to) >= 2, qPrintable(QString::number(attempts(to))));
        qInfo("outbound.error: delivered after %lld ms and %lld attempts", qint64(t.elapsed()), attempts(to));
    }

    void injectedTimeoutWaitsThenIsRetried()
    {
        inject(smtpFault("outbound.timeout", 2, 700));
        QElapsedTimer t;
        t.start();
        const QString to = replyTo(QStringLiteral("fay"));
        QVERIFY(waitMail(to));
        QVERIFY2(t.elapsed() >= 1500, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(attempts(to) >= 2, qPrintable(QString::number(attempts(to))));
        qInfo("outbound.timeout: delivered after %lld ms and %lld attempts", qint64(t.elapsed()), attempts(to));
    }

    void injectedLatencyHoldsTheMailBack()
    {
        // A baseline without faults, then the same with 1.5 s of latency.
        QElapsedTimer t;
        t.start();
        const QString plain = replyTo(QStringLiteral("gus"));
        QVERIFY(waitMail(plain));
        const qint64 baseline = t.elapsed();
        inject(smtpFault("outbound.latency", 30, 1500));
        t.restart();
        const QString slow = replyTo(QStringLiteral("hal"));
        QVERIFY(waitMail(slow));
        const qint64 held = t.elapsed();
        QVERIFY2(held >= 1500 && held >= baseline + 1000, qPrintable(QStringLiteral("%1 vs %2").arg(held).arg(baseline)));
        QCOMPARE(attempts(slow), 1);   // slow, not failed
        qInfo("outbound.latency: %lld ms (baseline %lld ms)", held, baseline);
        QCOMPARE(m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/stop-all"), "{}").status, 200);
    }
};

QTEST_MAIN(TstNotificationsFaults)
#include "tst_notificationsfaults.moc"
