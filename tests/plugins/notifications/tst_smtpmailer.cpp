// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// SmtpMailer (libcurl) against the real aiosmtpd server (tests/tools/smtp-sink.py) with TLS
// on loopback, using throwaway CAs made with openssl: STARTTLS and implicit TLS (smtps)
// deliver when the mailer trusts the CA file; a certificate from an unknown CA, a server
// that offers no STARTTLS, and a certificate for another name are refused with a retryable
// error and nothing reaches the server in clear; AUTH works over TLS and a wrong password
// is refused; the URL scheme and the TLS mode must agree in the configuration.

#include "mailmessage.h"
#include "notificationsconfig.h"
#include "smtpmailer.h"
#include "smtpsink.h"
#include "testcerts.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Notifications;
using namespace Notifications::Test;

class TstSmtpMailer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    TestCa m_ca, m_rogue;

    static QByteArray message(const QString &subject)
    {
        return composeMail({QStringLiteral("Community"), QStringLiteral("notify@forum.test"), QStringLiteral("alice@example.com"),
                            subject, QStringLiteral("text part"), QStringLiteral("<p>html part</p>"),
                            QStringLiteral("t1.%1@forum.test").arg(subject.size()), QString(), QDateTime::currentDateTimeUtc()});
    }
    EmailConfig config(const QString &url, const QString &tls, const QString &caFile) const
    {
        EmailConfig c;
        c.smtpUrl = url;
        c.tls = tls;
        c.caFile = caFile;
        c.from = QStringLiteral("notify@forum.test");
        c.timeoutMs = 5000;
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        SmtpMailer::globalInit();
        QString error;
        QVERIFY2(m_ca.make(m_dir.path(), QStringLiteral("Community Test CA"), &error), qPrintable(error));
        QVERIFY2(m_rogue.make(m_dir.path(), QStringLiteral("Unknown CA"), &error), qPrintable(error));
    }

    void starttlsDeliversWithTheCaFile()
    {
        SmtpSink sink;
        QVERIFY(sink.start({QStringLiteral("--starttls"), m_ca.certFile, m_ca.keyFile}));
        const auto sent = SmtpMailer(config(sink.url(), QStringLiteral("starttls"), m_ca.caFile))
                              .send(QStringLiteral("alice@example.com"), message(QStringLiteral("over starttls")));
        QVERIFY2(sent, sent ? "" : qPrintable(sent.error().message));
        QVERIFY(sink.waitCount(1));
        const QJsonObject m = sink.messages().first();
        QCOMPARE(m.value("tls").toBool(), true);
        QCOMPARE(m.value("headers").toObject().value("Subject").toString(), QStringLiteral("over starttls"));
        QCOMPARE(m.value("text").toString().trimmed(), QStringLiteral("text part"));
    }

    void implicitTlsDeliversWithTheCaFile()
    {
        SmtpSink sink;
        QVERIFY(sink.start({QStringLiteral("--tls"), m_ca.certFile, m_ca.keyFile}));
        const QString url = QStringLiteral("smtps://127.0.0.1:%1").arg(sink.port());
        const auto sent = SmtpMailer(config(url, QStringLiteral("implicit"), m_ca.caFile))
                              .send(QStringLiteral("alice@example.com"), message(QStringLiteral("over smtps")));
        QVERIFY2(sent, sent ? "" : qPrintable(sent.error().message));
        QVERIFY(sink.waitCount(1));
        QCOMPARE(sink.messages().first().value("tls").toBool(), true);
        QCOMPARE(sink.messages().first().value("html").toString().trimmed(), QStringLiteral("<p>html part</p>"));
    }

    void unknownCaIsRefused_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("starttls") << QStringLiteral("starttls");
        QTest::newRow("implicit") << QStringLiteral("implicit");
    }
    void unknownCaIsRefused()
    {
        // The server's certificate is signed by a CA the mailer does not trust (its CA file
        // is another CA's; the system store does not know either).
        QFETCH(QString, mode);
        SmtpSink sink;
        const bool implicit = mode == QLatin1String("implicit");
        QVERIFY(sink.start({implicit ? QStringLiteral("--tls") : QStringLiteral("--starttls"), m_rogue.certFile, m_rogue.keyFile}));
        const QString url = QStringLiteral("%1://127.0.0.1:%2").arg(implicit ? "smtps" : "smtp").arg(sink.port());
        for (const QString &ca : {m_ca.caFile, QString()}) {
            const auto sent = SmtpMailer(config(url, mode, ca)).send(QStringLiteral("alice@example.com"), message(QStringLiteral("x")));
            QVERIFY(!sent);
            // Retryable (the delivery row backs off, then is dead after maxAttempts).
            QCOMPARE(sent.error().code, Community::ErrorCode::Unavailable);
            QVERIFY2(sent.error().message.contains(QStringLiteral("certificate"), Qt::CaseInsensitive)
                         || sent.error().message.contains(QStringLiteral("SSL"), Qt::CaseInsensitive),
                     qPrintable(sent.error().message));
        }
        QThread::msleep(200);
        QCOMPARE(sink.messages().size(), 0);
    }

    void noStarttlsIsNeverSentInClear()
    {
        // A server (or a man in the middle) that does not offer STARTTLS: required TLS
        // means the message is not sent at all.
        SmtpSink sink;
        QVERIFY(sink.start());
        const auto sent = SmtpMailer(config(sink.url(), QStringLiteral("starttls"), m_ca.caFile))
                              .send(QStringLiteral("alice@example.com"), message(QStringLiteral("clear?")));
        QVERIFY(!sent);
        QCOMPARE(sent.error().code, Community::ErrorCode::Unavailable);
        QThread::msleep(200);
        QCOMPARE(sink.messages().size(), 0);
    }

    void hostNameIsChecked()
    {
        // A certificate from the trusted CA, but for another host name.
        TestCa other;
        QString error;
        QVERIFY2(other.make(m_dir.path(), QStringLiteral("Other host"), &error, QStringLiteral("DNS:mail.other.test")), qPrintable(error));
        SmtpSink sink;
        QVERIFY(sink.start({QStringLiteral("--tls"), other.certFile, other.keyFile}));
        const QString url = QStringLiteral("smtps://127.0.0.1:%1").arg(sink.port());
        const auto trusted = SmtpMailer(config(url, QStringLiteral("implicit"), other.caFile))
                                 .send(QStringLiteral("alice@example.com"), message(QStringLiteral("x")));
        QVERIFY(!trusted);
        QCOMPARE(trusted.error().code, Community::ErrorCode::Unavailable);
        QThread::msleep(200);
        QCOMPARE(sink.messages().size(), 0);
    }

    void authOverTls_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("starttls") << QStringLiteral("starttls");
        QTest::newRow("implicit") << QStringLiteral("implicit");
    }
    void authOverTls()
    {
        QFETCH(QString, mode);
        const bool implicit = mode == QLatin1String("implicit");
        SmtpSink sink;
        QVERIFY(sink.start({implicit ? QStringLiteral("--tls") : QStringLiteral("--starttls"), m_ca.certFile, m_ca.keyFile,
                            QStringLiteral("--auth"), QStringLiteral("mailer:s3cret pass")}));
        const QString url = QStringLiteral("%1://127.0.0.1:%2").arg(implicit ? "smtps" : "smtp").arg(sink.port());
        EmailConfig c = config(url, mode, m_ca.caFile);
        c.username = QStringLiteral("mailer");
        c.password = QStringLiteral("wrong");
        const auto refused = SmtpMailer(c).send(QStringLiteral("alice@example.com"), message(QStringLiteral("x")));
        QVERIFY(!refused);
        QCOMPARE(sink.messages().size(), 0);
        c.password = QStringLiteral("s3cret pass");
        const auto sent = SmtpMailer(c).send(QStringLiteral("alice@example.com"), message(QStringLiteral("authenticated")));
        QVERIFY2(sent, sent ? "" : qPrintable(sent.error().message));
        QVERIFY(sink.waitCount(1));
        QCOMPARE(sink.messages().first().value("authenticated").toBool(), true);
        QCOMPARE(sink.messages().first().value("tls").toBool(), true);
    }

    void configChecksTlsAndCaFile_data()
    {
        QTest::addColumn<QJsonObject>("email");
        QTest::addColumn<bool>("ok");
        const auto email = [](const char *url, const char *tls, const QString &ca = {}) {
            QJsonObject o{{"smtpUrl", url}, {"tls", tls}, {"from", "notify@forum.test"}};
            if (!ca.isEmpty())
                o.insert("caFile", ca);
            return o;
        };
        QTest::newRow("starttls smtp") << email("smtp://mail.test:587", "starttls") << true;
        QTest::newRow("implicit smtps") << email("smtps://mail.test:465", "implicit") << true;
        QTest::newRow("implicit smtp") << email("smtp://mail.test:465", "implicit") << false;
        QTest::newRow("starttls smtps") << email("smtps://mail.test:465", "starttls") << false;
        QTest::newRow("none smtps") << email("smtps://mail.test:465", "none") << false;
        QTest::newRow("http") << email("http://mail.test", "none") << false;
        QTest::newRow("bad mode") << email("smtp://mail.test", "maybe") << false;
        QTest::newRow("missing ca file") << email("smtp://mail.test:587", "starttls", QStringLiteral("/nonexistent/ca.pem")) << false;
    }
    void configChecksTlsAndCaFile()
    {
        QFETCH(QJsonObject, email);
        QFETCH(bool, ok);
        const auto c = readNotificationsConfig(QJsonObject{{"email", email}}, QStringLiteral("plugins.notifications"));
        QVERIFY2(bool(c) == ok, c ? "accepted" : qPrintable(c.error().message));
        if (c) {
            // The CA file is taken as given.
            QVERIFY(c->email.caFile.isEmpty());
        }
    }

    void configAcceptsAnExistingCaFile()
    {
        const auto c = readNotificationsConfig(
            QJsonObject{{"email", QJsonObject{{"smtpUrl", "smtp://mail.test:587"}, {"from", "n@forum.test"}, {"caFile", m_ca.caFile}}}},
            QStringLiteral("plugins.notifications"));
        QVERIFY2(c, c ? "" : qPrintable(c.error().message));
        QCOMPARE(c->email.caFile, m_ca.caFile);
    }
};

QTEST_GUILESS_MAIN(TstSmtpMailer)
#include "tst_smtpmailer.moc"
