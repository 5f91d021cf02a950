// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Auth's verification and password-reset mails through the notifications mailer (ADR 0028)
// against the real aiosmtpd server with STARTTLS and AUTH, its certificate from a
// throwaway CA given to the mailer as caFile: registering sends the verification mail and
// its token verifies the address; a reset request sends the reset mail (in the user's
// language) and its token sets the password. Afterwards neither auth's queue nor the
// delivery rows keep the token, and no token appears in the event log, the daemon's log
// or /metrics.

#include "notificationshttp.h"
#include "smtpsink.h"
#include "testcerts.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsAuthMail : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    TestCa m_ca;
    SmtpSink m_sink;
    NotificationsHttp m_http;
    Account m_mina;
    QStringList m_tokens;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    QString sqlText(const QString &sql)
    {
        pqxx::connection c(m_http.daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        const auto r = tx.exec(sql.toStdString());
        return r.empty() || r[0][0].is_null() ? QString() : QString::fromUtf8(r[0][0].c_str());
    }
    /// The token in a mail's text part ("Code: …" / "코드: …"), also checked against the link.
    QString tokenOf(const QJsonObject &mail, const QString &path)
    {
        const QString text = mail.value("text").toString();
        const QString token = QRegularExpression(QStringLiteral("(?:Code|코드): (\\S+)")).match(text).captured(1);
        const QString link = QStringLiteral("https://forum.test%1?token=%2").arg(path, QString::fromLatin1(QUrl::toPercentEncoding(token)));
        if (token.isEmpty() || !text.contains(link) || !mail.value("html").toString().contains(link))
            qWarning() << "no token or link in" << mail;
        m_tokens << token;
        return token;
    }
    void checkEnvelope(const QJsonObject &mail, qint64 userId, const QString &kind)
    {
        const QJsonObject h = mail.value("headers").toObject();
        QCOMPARE(mail.value("tls").toBool(), true);
        QCOMPARE(mail.value("authenticated").toBool(), true);
        QCOMPARE(mail.value("contentType").toString(), QStringLiteral("multipart/alternative"));
        QVERIFY(!h.contains("List-Unsubscribe"));   // an account mail cannot be unsubscribed from
        // The Message-ID is the one fixed in the delivery row when it was written.
        const QString messageId = sqlText(QStringLiteral("SELECT message_id FROM notifications.deliveries WHERE user_id = %1 AND kind = '%2'")
                                              .arg(userId).arg(kind));
        QVERIFY(!messageId.isEmpty());
        QCOMPARE(h.value("Message-ID").toString(), QStringLiteral("<%1>").arg(messageId));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_ca.make(m_dir.path(), QStringLiteral("Community Test CA"), &error), qPrintable(error));
        QVERIFY(m_sink.start({QStringLiteral("--starttls"), m_ca.certFile, m_ca.keyFile, QStringLiteral("--auth"),
                              QStringLiteral("mailer:mail-pass-1")}));
        QFile password(m_dir.filePath(QStringLiteral("smtp-password")));
        QVERIFY(password.open(QIODevice::WriteOnly));
        password.write("mail-pass-1\n");
        password.close();
        QVERIFY2(m_http.startWith({QStringLiteral("plugins.notifications.email.smtpUrl=") + m_sink.url(),
                                   QStringLiteral("plugins.notifications.email.tls=starttls"),
                                   QStringLiteral("plugins.notifications.email.caFile=") + m_ca.caFile,
                                   QStringLiteral("plugins.notifications.email.username=mailer"),
                                   QStringLiteral("plugins.notifications.email.passwordFile=") + password.fileName(),
                                   QStringLiteral("plugins.notifications.email.from=notify@forum.test"),
                                   QStringLiteral("plugins.notifications.email.publicBaseUrl=https://forum.test")},
                                  &error),
                 qPrintable(error));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void registrationMailVerifiesTheAddress()
    {
        m_mina = m_http.registerUser(QStringLiteral("mina"));
        QVERIFY(!m_mina.token.isEmpty());
        const qint64 userId = m_http.userId(m_mina).toLongLong();
        QTRY_COMPARE_WITH_TIMEOUT(m_sink.messagesTo(QStringLiteral("mina@example.com")).size(), 1, 15'000);
        const QJsonObject mail = m_sink.messagesTo(QStringLiteral("mina@example.com")).first();
        QCOMPARE(mail.value("headers").toObject().value("Subject").toString(), QStringLiteral("Confirm your email address"));
        checkEnvelope(mail, userId, QStringLiteral("auth.verify_email"));
        QVERIFY(mail.value("html").toString().contains(QStringLiteral("<html lang=\"en\">")));
        QVERIFY(mail.value("text").toString().contains(QStringLiteral("It works once, for 24 hours.")));
        const QString token = tokenOf(mail, QStringLiteral("/verify-email"));
        QVERIFY(!token.isEmpty());

        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/auth/verify-email"), {}, R"({"token":"wrong"})",
                             {{"Content-Type", "application/json"}}).status, 400);
        const auto verified = m_http.call("POST", QStringLiteral("/v1/auth/verify-email"), {},
                                          QJsonDocument(QJsonObject{{"token", token}}).toJson(), {{"Content-Type", "application/json"}});
        QCOMPARE(verified.status, 200);
        QCOMPARE(verified.json().value("user").toObject().value("emailVerified").toBool(), true);

        // Handed over: auth's queue row has no token any more; the delivery row is sent
        // and dropped it too. Operators still see that the mail went out.
        QTRY_COMPARE(sqlText(QStringLiteral("SELECT status FROM notifications.deliveries WHERE user_id = %1 AND kind = 'auth.verify_email'")
                                 .arg(userId)),
                     QStringLiteral("sent"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE content ? 'token'")), 0);
        const auto outbox = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/admin/auth/outbox?limit=500"));
        QCOMPARE(outbox.status, 200);
        int mine = 0;
        for (const QJsonValue &v : outbox.json().value("items").toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value("payload").toObject().value("userId").toInteger() != userId)
                continue;
            ++mine;
            QCOMPARE(o.value("type").toString(), QStringLiteral("auth.email_verification_requested"));
            QVERIFY(!o.value("payload").toObject().contains("token"));
            QVERIFY(o.value("handedOverAt").isString());
        }
        QCOMPARE(mine, 1);
        const auto deliveries = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/admin/notifications/deliveries?user=%1").arg(userId));
        QCOMPARE(deliveries.status, 200);
        QCOMPARE(deliveries.json().value("items").toArray().size(), 1);
        QCOMPARE(deliveries.json().value("items").toArray().first().toObject().value("kind").toString(), QStringLiteral("auth.verify_email"));
    }

    void resetMailInTheUsersLanguage()
    {
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), m_mina.token, R"({"language":"ko"})",
                             {{"Content-Type", "application/json"}}).status, 200);
        // Even with every email kind switched off: an account mail is not a notification.
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), m_mina.token, R"({"emailFrequency":"never"})",
                             {{"Content-Type", "application/json"}}).status, 200);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/auth/password-reset/request"), {}, R"({"email":"MINA@example.com"})",
                             {{"Content-Type", "application/json"}}).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_sink.messagesTo(QStringLiteral("mina@example.com")).size(), 2, 15'000);
        const QJsonObject mail = m_sink.messagesTo(QStringLiteral("mina@example.com")).last();
        QCOMPARE(mail.value("headers").toObject().value("Subject").toString(), QStringLiteral("비밀번호 재설정"));
        QVERIFY(mail.value("text").toString().contains(QStringLiteral("1시간")));
        QVERIFY(mail.value("html").toString().contains(QStringLiteral("<html lang=\"ko\">")));
        checkEnvelope(mail, m_http.userId(m_mina).toLongLong(), QStringLiteral("auth.reset_password"));
        const QString token = tokenOf(mail, QStringLiteral("/reset-password"));
        QVERIFY(!token.isEmpty());

        const auto reset = m_http.call("POST", QStringLiteral("/v1/auth/password-reset"), {},
                                       QJsonDocument(QJsonObject{{"token", token}, {"newPassword", "Mina-Chose-A-New-One-7"}}).toJson(),
                                       {{"Content-Type", "application/json"}});
        QVERIFY2(reset.status / 100 == 2, reset.body.constData());
        QVERIFY(!m_http.login(QStringLiteral("mina"), QStringLiteral("Mina-Chose-A-New-One-7")).isEmpty());
        // Unknown addresses: the same answer, and no mail.
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/auth/password-reset/request"), {}, R"({"email":"nobody@example.com"})",
                             {{"Content-Type", "application/json"}}).status, 202);
        QThread::msleep(500);
        QCOMPARE(m_sink.messages().size(), 2);
    }

    void tokensAreNowhereElse()
    {
        QCOMPARE(m_tokens.size(), 2);
        QTRY_COMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.deliveries WHERE status <> 'sent'")), 0);
        const QString events = sqlText(QStringLiteral("SELECT coalesce(string_agg(o::text, ' '), '') FROM events.outbox o"));
        QVERIFY(!events.isEmpty());   // registration, verification and reset events are there
        const QString authQueue = sqlText(QStringLiteral("SELECT string_agg(o::text, ' ') FROM auth.outbox o"));
        const QString deliveries = sqlText(QStringLiteral("SELECT string_agg(d::text, ' ') FROM notifications.deliveries d"));
        const QByteArray log = m_http.daemon.output();
        const QByteArray metrics = m_http.daemon.operatorRequest("GET", QStringLiteral("/metrics")).body;
        QVERIFY(!metrics.isEmpty());
        for (const QString &token : std::as_const(m_tokens)) {
            QVERIFY(!token.isEmpty());
            QVERIFY2(!events.contains(token), "a token in events.outbox");
            QVERIFY2(!authQueue.contains(token), "a token left in auth.outbox");
            QVERIFY2(!deliveries.contains(token), "a token left in notifications.deliveries");
            QVERIFY2(!log.contains(token.toUtf8()), "a token in the daemon's log");
            QVERIFY2(!metrics.contains(token.toUtf8()), "a token in /metrics");
        }
    }

    // A new account gets its mails in the language its registration asked in
    // (Accept-Language, best weight among en/ko), kept as its preference; a language the
    // user chose wins over any request's.
    void mailInTheLanguageTheRequestAskedFor()
    {
        auto registerWith = [&](const QString &name, const QByteArray &acceptLanguage) {
            const QByteArray body = QJsonDocument(QJsonObject{{"username", name}, {"email", name + "@example.com"},
                                                              {"password", "Correct-Horse-" + name + "-Battery!"}})
                                        .toJson();
            QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
            if (!acceptLanguage.isNull())
                headers.append({"Accept-Language", acceptLanguage});
            return m_http.call("POST", QStringLiteral("/v1/auth/register"), {}, body, headers).status;
        };
        auto subjectTo = [&](const QString &name) {
            const QString to = name + QStringLiteral("@example.com");
            if (!QTest::qWaitFor([&] { return !m_sink.messagesTo(to).isEmpty(); }, 15'000))
                return QString();
            return m_sink.messagesTo(to).last().value("headers").toObject().value("Subject").toString();
        };
        QCOMPARE(registerWith(QStringLiteral("jiwoo"), "fr-CA, ko-KR;q=0.9, ko;q=0.8, en;q=0.7"), 201);
        QCOMPARE(registerWith(QStringLiteral("pierre"), "fr-FR, en;q=0.5, ko;q=0"), 201);
        QCOMPARE(registerWith(QStringLiteral("hans"), "de, *;q=0.1"), 201);
        QCOMPARE(registerWith(QStringLiteral("erin"), QByteArray()), 201);   // Qt's own default header
        QCOMPARE(subjectTo(QStringLiteral("jiwoo")), QStringLiteral("이메일 주소를 확인해 주세요"));
        QCOMPARE(subjectTo(QStringLiteral("pierre")), QStringLiteral("Confirm your email address"));
        QCOMPARE(subjectTo(QStringLiteral("hans")), QStringLiteral("Confirm your email address"));
        QCOMPARE(subjectTo(QStringLiteral("erin")), QStringLiteral("Confirm your email address"));
        // Kept as the account's language: its later mails and notifications follow it.
        const QByteArray jiwoo = m_http.login(QStringLiteral("jiwoo"), QStringLiteral("Correct-Horse-jiwoo-Battery!"));
        const auto prefs = m_http.call("GET", QStringLiteral("/v1/notifications/preferences"), jiwoo);
        QCOMPARE(prefs.status, 200);
        QCOMPARE(prefs.json().value("language").toString(), QStringLiteral("ko"));
        // pierre's best known language is English (weight 0.5; Korean refused with q=0);
        // erin's client (Qt) sends "en-US,*" by itself; hans named none we have.
        QCOMPARE(sqlText(QStringLiteral("SELECT string_agg(u.username || ':' || p.language, ',' ORDER BY u.username)"
                                        " FROM notifications.preferences p JOIN auth.users u ON u.id = p.user_id"
                                        " WHERE u.username IN ('pierre', 'hans', 'erin')")),
                 QStringLiteral("erin:en,pierre:en"));
        // A language the user chose (mina: ko) wins over the request's.
        const int before = int(m_sink.messagesTo(QStringLiteral("mina@example.com")).size());
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/auth/password-reset/request"), {}, R"({"email":"mina@example.com"})",
                             {{"Content-Type", "application/json"}, {"Accept-Language", "en"}}).status,
                 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_sink.messagesTo(QStringLiteral("mina@example.com")).size(), before + 1, 15'000);
        QCOMPARE(m_sink.messagesTo(QStringLiteral("mina@example.com")).last().value("headers").toObject().value("Subject").toString(),
                 QStringLiteral("비밀번호 재설정"));
        // Without a stored language a reset follows the request, and stores nothing.
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/auth/password-reset/request"), {}, R"({"email":"hans@example.com"})",
                             {{"Content-Type", "application/json"}, {"Accept-Language", "ko"}}).status,
                 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_sink.messagesTo(QStringLiteral("hans@example.com")).size(), 2, 15'000);
        QCOMPARE(m_sink.messagesTo(QStringLiteral("hans@example.com")).last().value("headers").toObject().value("Subject").toString(),
                 QStringLiteral("비밀번호 재설정"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.preferences p JOIN auth.users u ON u.id = p.user_id"
                                      " WHERE u.username = 'hans'")),
                 0);
    }
};

QTEST_GUILESS_MAIN(TstNotificationsAuthMail)
#include "tst_notificationsauthmail.moc"
