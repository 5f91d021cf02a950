// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// SMS through the HTTP provider against a loopback Twilio-style server
// (tests/tools/sms-provider.py checks basic auth and the form): numbers must be E.164 and
// verified by a texted code; nothing is texted for kinds the user did not opt in to; an
// opted-in reply is texted once with its idempotency key; a timeout after the provider
// accepted the request is not sent again. Status callbacks: the provider posts reports
// signed with Python's hmac (an independent implementation) to the public callback URL;
// a status only moves forward, out-of-order and repeated reports change nothing, a bad
// signature or form is refused without a write, and a report that comes after an
// ambiguous timeout settles the row as sent (still never sent twice).

#include "notificationshttp.h"
#include "smtpsink.h"

#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QtTest>

using namespace Notifications::Test;

class TstNotificationsSms : public QObject {
    Q_OBJECT
    SmtpSink m_provider{QStringLiteral("sms-provider.py")};
    NotificationsHttp m_http;
    Account m_alice, m_bob, m_dave, m_erin;
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
    QString sqlText(const QString &sql)
    {
        pqxx::connection c(m_http.daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        const auto r = tx.exec(sql.toStdString());
        return r.empty() || r[0][0].is_null() ? QString() : QString::fromUtf8(r[0][0].c_str());
    }
    /// The provider's callbacks (and the daemon's answers) for message `sid`, in order.
    QList<QJsonObject> callbacksFor(const QString &to) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &r : m_provider.messages())
            if (r.value("callback").toObject().value("To").toString() == to)
                out.append(r);
        return out;
    }
    static constexpr const char *kCallbackUrl = "https://forum.test/v1/notifications/sms/status";
    /// A callback signed as the provider signs (the test's own HMAC over the public URL).
    HttpResult postCallback(qint64 deliveryId, const QList<std::pair<QString, QString>> &fields, const QByteArray &key = "sms-secret",
                            qint64 signedId = -1)
    {
        QList<std::pair<QString, QString>> sorted = fields;
        std::sort(sorted.begin(), sorted.end());
        QByteArray data = QStringLiteral("%1?d=%2").arg(QLatin1String(kCallbackUrl)).arg(signedId < 0 ? deliveryId : signedId).toUtf8();
        QByteArray form;
        for (const auto &[k, v] : sorted) {
            data += k.toUtf8() + v.toUtf8();
            form += (form.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v);
        }
        const QByteArray signature = QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha1).toBase64();
        return m_http.call("POST", QStringLiteral("/v1/notifications/sms/status?d=%1").arg(deliveryId), {},
                           form,
                           {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", signature}});
    }
    /// Registers `user` with `number`, verified through the texted code.
    bool verifiedNumber(const Account &a, const QString &number)
    {
        if (send(a, "PUT", QStringLiteral("/v1/notifications/phone"), {{"number", number}}).status != 202)
            return false;
        const QString code = QRegularExpression(QStringLiteral("(\\d{6})"))
                                 .match(textsTo(number).last().value("form").toObject().value("Body").toString()).captured(1);
        return send(a, "POST", QStringLiteral("/v1/notifications/phone/verify"), {{"code", code}}).status == 200;
    }

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
                         << QStringLiteral("plugins.notifications.sms.statusCallbackUrl=") + QLatin1String(kCallbackUrl)
                         << QStringLiteral("plugins.notifications.delivery.backoffBaseMs=300");
        QString error;
        QVERIFY2(m_http.startWith({}, &error), qPrintable(error));
        // The public callback URL reaches the daemon through a "proxy": the provider posts
        // to the daemon's real address and signs the public URL.
        QFile forward(m_provider.dir() + QStringLiteral("/forward"));
        QVERIFY(forward.open(QIODevice::WriteOnly));
        forward.write(m_http.daemon.baseUrl().toString(QUrl::StripTrailingSlash).toUtf8());
        forward.close();
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_dave = m_http.registerUser(QStringLiteral("dave"));
        m_erin = m_http.registerUser(QStringLiteral("erin"));
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
        // The request asked for status callbacks at the public URL of this row; the
        // provider's signed "sent" and "delivered" reports moved the row's status forward.
        const qint64 row = count(QStringLiteral("SELECT id FROM notifications.deliveries WHERE channel = 'sms' AND target = '+821012345678'"));
        QCOMPARE(text.value("form").toObject().value("StatusCallback").toString(), QStringLiteral("%1?d=%2").arg(QLatin1String(kCallbackUrl)).arg(row));
        QTRY_COMPARE_WITH_TIMEOUT(callbacksFor(number).size(), 2, 10'000);
        for (const QJsonObject &cb : callbacksFor(number)) {
            QCOMPARE(cb.value("status").toInt(), 200);
            QCOMPARE(QJsonDocument::fromJson(cb.value("answer").toString().toUtf8()).object().value("applied").toBool(), true);
        }
        QCOMPARE(sqlText(QStringLiteral("SELECT provider_status FROM notifications.deliveries WHERE id = %1").arg(row)), QStringLiteral("delivered"));
        QCOMPARE(sqlText(QStringLiteral("SELECT provider_id FROM notifications.deliveries WHERE id = %1").arg(row)),
                 callbacksFor(number).first().value("callback").toObject().value("MessageSid").toString());
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
        // 2.5 s after the request the provider's signed reports come: it had the message.
        // The row is settled as sent (its error kept), and still nothing is sent again.
        QTRY_COMPARE_WITH_TIMEOUT(sqlText(QStringLiteral("SELECT status || '/' || provider_status FROM notifications.deliveries "
                                                      "WHERE target = '+15550000999'")),
                                  QStringLiteral("sent/delivered"), 10'000);
        QVERIFY(!sqlText(QStringLiteral("SELECT last_error FROM notifications.deliveries WHERE target = '+15550000999'")).isEmpty());
        QCOMPARE(textsTo(number).size(), 2);
        QCOMPARE(count(QStringLiteral("SELECT attempts FROM notifications.deliveries WHERE target = '+15550000999'")), 1);
    }

    void outOfOrderCallbacksOnlyMoveForward()
    {
        // The provider reports "delivered" first, then a late "sent" and "queued".
        const QString number = QStringLiteral("+15550000777");
        QVERIFY(verifiedNumber(m_erin, number));
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), m_erin.token,
                             R"({"channels":{"reply":{"sms":true}}})", {{"Content-Type", "application/json"}}).status, 200);
        const QString erinPost = m_http.createPost(m_erin, QStringLiteral("talk"), QStringLiteral("Erin's")).value("id").toString();
        m_http.createComment(m_bob, erinPost, QStringLiteral("hi erin"));
        QTRY_COMPARE_WITH_TIMEOUT(callbacksFor(number).size(), 3, 15'000);
        const QList<QJsonObject> cbs = callbacksFor(number);
        const QStringList order{QStringLiteral("delivered"), QStringLiteral("sent"), QStringLiteral("queued")};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(cbs[i].value("callback").toObject().value("MessageStatus").toString(), order[i]);
            QCOMPARE(cbs[i].value("status").toInt(), 200);
            const QJsonObject answer = QJsonDocument::fromJson(cbs[i].value("answer").toString().toUtf8()).object();
            QCOMPARE(answer.value("applied").toBool(), i == 0);
            QCOMPARE(answer.value("status").toString(), QStringLiteral("delivered"));
        }
        QTRY_COMPARE(sqlText(QStringLiteral("SELECT status || '/' || provider_status FROM notifications.deliveries WHERE target = '+15550000777'")),
                     QStringLiteral("sent/delivered"));

        // The operator view shows the provider's status.
        const auto list = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/admin/notifications/deliveries?channel=sms"));
        QCOMPARE(list.status, 200);
        bool seen = false;
        for (const QJsonValue &v : list.json().value("items").toArray())
            seen = seen || v.toObject().value("providerStatus").toString() == QLatin1String("delivered");
        QVERIFY(seen);
    }

    void badCallbacksChangeNothing()
    {
        const qint64 row = count(QStringLiteral("SELECT id FROM notifications.deliveries WHERE target = '+15550000777'"));
        QVERIFY(row > 0);
        const QString sid = sqlText(QStringLiteral("SELECT provider_id FROM notifications.deliveries WHERE id = %1").arg(row));
        const auto state = [&] {
            return sqlText(QStringLiteral("SELECT status || '/' || provider_status || '/' || provider_status_at FROM notifications.deliveries "
                                       "WHERE id = %1").arg(row));
        };
        const QString before = state();
        const QList<std::pair<QString, QString>> read{{"MessageSid", sid}, {"MessageStatus", "read"}};
        // Wrong key, signature over another delivery's URL, no signature: 403.
        QVERIFY(isProblem(postCallback(row, read, "not-the-token"), 403, QStringLiteral("forbidden")));
        QVERIFY(isProblem(postCallback(row, read, "sms-secret", row + 1), 403, QStringLiteral("forbidden")));
        auto unsigned_ = m_http.call("POST", QStringLiteral("/v1/notifications/sms/status?d=%1").arg(row), {},
                                     "MessageSid=" + sid.toUtf8() + "&MessageStatus=read",
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
        QVERIFY2(isProblem(unsigned_, 403, QStringLiteral("forbidden")), unsigned_.body.constData());
        // Signed but wrong: an unknown status, another message id, an unknown delivery.
        auto unknown = postCallback(row, {{"MessageSid", sid}, {"MessageStatus", "teleported"}});
        QVERIFY2(isProblem(unknown, 400, QStringLiteral("validation")), unknown.body.constData());
        QVERIFY(isProblem(postCallback(row, {{"MessageSid", "SMother"}, {"MessageStatus", "read"}}), 409, QStringLiteral("conflict")));
        QVERIFY(isProblem(postCallback(999999, read), 404, QStringLiteral("not-found")));
        // Not a form; no delivery id.
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/notifications/sms/status?d=%1").arg(row), {}, "{}",
                             {{"Content-Type", "application/json"}}).status, 415);
        QCOMPARE(state(), before);
        // The valid report moves it forward (delivered < read).
        auto applied = postCallback(row, read);
        QCOMPARE(applied.status, 200);
        QCOMPARE(applied.json().value("applied").toBool(), true);
        QCOMPARE(state().section(u'/', 1, 1), QStringLiteral("read"));
        const QString afterRead = state();
        // Replaying the same signed report changes nothing (not even the time).
        auto replay = postCallback(row, read);
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.json().value("applied").toBool(), false);
        QCOMPARE(state(), afterRead);
    }


    void testSendTextsTheVerifiedNumber()
    {
        // communityctl notifications send-test --channel sms: the verified number, at once.
        const QString number = QStringLiteral("+821012345678");
        const int before = textsTo(number).size();
        auto r = m_http.call("POST", QStringLiteral("/v1/admin/notifications/test-send"), m_http.admin.token,
                             ContentHttp::json({{"user", "alice"}, {"channel", "sms"}}), {{"Content-Type", "application/json"}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(textsTo(number).size(), before + 1);
        QCOMPARE(textsTo(number).last().value("form").toObject().value("Body").toString(),
                 QStringLiteral("This is a test message from the notifications plugin."));
        QVERIFY(!textsTo(number).last().value("form").toObject().contains("StatusCallback"));
        // bob has no number.
        QVERIFY(isProblem(m_http.call("POST", QStringLiteral("/v1/admin/notifications/test-send"), m_http.admin.token,
                                      ContentHttp::json({{"user", "bob"}, {"channel", "sms"}}), {{"Content-Type", "application/json"}}),
                          404, QStringLiteral("not-found")));
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
