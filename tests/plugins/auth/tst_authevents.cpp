// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The account events auth publishes on the event bus, read back through the operator
// route GET /v1/system/events of a real communityd on PostgreSQL: one per action, with
// the account as aggregate, a payload the typed struct parses, and no secret and no
// email address in any payload.

#include "authtestclient.h"

#include "community/contracts/events/auth.h"

using namespace AuthTest;
namespace AuthEvents = Community::Contracts::Events::Auth;

class TstAuthEvents : public QObject {
    Q_OBJECT

    DaemonProcess m_daemon;
    Client c;
    QStringList m_secrets;   ///< every password, token and email address the test saw

    /// Every event after `afterId`, oldest first.
    QJsonArray eventsAfter(qint64 afterId)
    {
        const auto r = m_daemon.operatorRequest("GET", QStringLiteral("/v1/system/events?after=%1&limit=1000").arg(afterId));
        if (r.status != 200)
            qWarning("events: %d %s", r.status, r.body.constData());
        return r.json().value(QStringLiteral("events")).toArray();
    }

    qint64 lastEventId()
    {
        const QJsonArray all = eventsAfter(0);
        return all.isEmpty() ? 0 : qint64(all.last().toObject().value(QStringLiteral("id")).toDouble());
    }

    /// The events of `type` after `afterId`.
    QList<QJsonObject> eventsOf(const char *type, qint64 afterId)
    {
        QList<QJsonObject> out;
        for (const QJsonValue &v : eventsAfter(afterId)) {
            if (v.toObject().value(QStringLiteral("type")).toString() == QLatin1String(type))
                out.append(v.toObject());
        }
        return out;
    }

    /// The newest mail token of `type` from auth's mail queue.
    QString mailToken(const QString &type)
    {
        QString token;
        const auto r = c.get(QStringLiteral("/v1/admin/auth/outbox?limit=500"), c.adminToken);
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            if (v.toObject().value(QStringLiteral("type")).toString() == type)
                token = v.toObject().value(QStringLiteral("payload")).toObject().value(QStringLiteral("token")).toString();
        }
        m_secrets << token;
        return token;
    }

    struct Session {
        QString access;
        QString refresh;
        qint64 userId = 0;
    };

    Session login(const QString &name, const QString &password)
    {
        const auto r = c.login(name, password);
        Session s{r.json().value(QStringLiteral("accessToken")).toString(), r.json().value(QStringLiteral("refreshToken")).toString(),
                  qint64(r.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toDouble())};
        m_secrets << s.access << s.refresh;
        return s;
    }

    /// Exactly one event of `type` after `afterId` about `userId` (aggregate "user:<id>"),
    /// and its payload parses; returns the payload (empty on failure).
    template<typename E>
    QJsonObject expectOne(qint64 afterId, qint64 userId)
    {
        const QList<QJsonObject> all = eventsOf(E::type, afterId);
        QList<QJsonObject> events;
        for (const QJsonObject &e : all) {
            if (e.value(QStringLiteral("aggregate")).toString() == QStringLiteral("user:%1").arg(userId))
                events.append(e);
        }
        // After a mark, nothing else of that type either.
        if (events.size() != 1 || (afterId > 0 && all.size() != 1)) {
            qWarning("%s: %lld events for user %lld", E::type, qint64(events.size()), userId);
            return {};
        }
        const QJsonObject payload = events.first().value(QStringLiteral("payload")).toObject();
        if (!E::fromJson(payload) || E::fromJson(payload)->userId != userId) {
            qWarning("%s: payload does not parse", E::type);
            return {};
        }
        return payload;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(startWithAdmin(m_daemon, c));
        m_secrets << c.adminPassword << Client::adminNewPassword << c.adminToken << c.adminRefresh;
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }

    void bootstrapAdminRegistered()
    {
        const auto admin = expectOne<AuthEvents::AccountRegistered>(0, 1);
        QCOMPARE(admin.value(QStringLiteral("source")).toString(), QStringLiteral("bootstrap"));
        QCOMPARE(admin.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
    }

    void accountLifecycle()
    {
        const QString password = QStringLiteral("first secret pass 1");
        const QString email = QStringLiteral("eve@example.org");
        m_secrets << password << email;

        qint64 mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/register"), {{"username", "eve"}, {"email", email}, {"password", password}}).status, 201);
        Session s = login(QStringLiteral("eve"), password);
        QVERIFY(s.userId > 0);
        const auto reg = expectOne<AuthEvents::AccountRegistered>(mark, s.userId);
        QCOMPARE(reg.value(QStringLiteral("username")).toString(), QStringLiteral("eve"));
        QCOMPARE(reg.value(QStringLiteral("source")).toString(), QStringLiteral("register"));

        // Email verification.
        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/verify-email/request"), {}, s.access).status, 202);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/verify-email"), {{"token", mailToken(QStringLiteral("auth.email_verification_requested"))}}).status, 200);
        QVERIFY(!expectOne<AuthEvents::EmailVerified>(mark, s.userId).isEmpty());

        // Password change: the other session is revoked.
        const Session other = login(QStringLiteral("eve"), password);
        const QString second = QStringLiteral("second secret pass 2");
        m_secrets << second;
        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password"), {{"currentPassword", password}, {"newPassword", second}}, s.access).status, 204);
        QCOMPARE(expectOne<AuthEvents::PasswordChanged>(mark, s.userId).value(QStringLiteral("method")).toString(), QStringLiteral("changed"));
        const auto revoked = AuthEvents::SessionRevoked::fromJson(expectOne<AuthEvents::SessionRevoked>(mark, s.userId));
        QVERIFY(revoked);
        QCOMPARE(revoked->reason, QStringLiteral("password_changed"));
        QCOMPARE(revoked->sessionIds.size(), 1);

        // Logout.
        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/logout"), {}, s.access).status, 204);
        QCOMPARE(expectOne<AuthEvents::SessionRevoked>(mark, s.userId).value(QStringLiteral("reason")).toString(), QStringLiteral("logout"));
        Q_UNUSED(other);

        // A refresh token used twice ends its session.
        s = login(QStringLiteral("eve"), second);
        const auto rotated = c.post(QStringLiteral("/v1/auth/refresh"), {{"refreshToken", s.refresh}});
        QCOMPARE(rotated.status, 200);
        m_secrets << rotated.json().value(QStringLiteral("accessToken")).toString() << rotated.json().value(QStringLiteral("refreshToken")).toString();
        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/refresh"), {{"refreshToken", s.refresh}}).status, 401);
        QCOMPARE(expectOne<AuthEvents::SessionRevoked>(mark, s.userId).value(QStringLiteral("reason")).toString(), QStringLiteral("token_reuse"));

        // Password reset through the mail token: every session ends.
        s = login(QStringLiteral("eve"), second);
        const QString third = QStringLiteral("third secret pass 3");
        m_secrets << third;
        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password-reset/request"), {{"email", email}}).status, 202);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password-reset"),
                        {{"token", mailToken(QStringLiteral("auth.password_reset_requested"))}, {"newPassword", third}}).status, 204);
        QCOMPARE(expectOne<AuthEvents::PasswordChanged>(mark, s.userId).value(QStringLiteral("method")).toString(), QStringLiteral("reset"));
        QCOMPARE(expectOne<AuthEvents::SessionRevoked>(mark, s.userId).value(QStringLiteral("reason")).toString(), QStringLiteral("password_reset"));

        // Revoking the other sessions.
        s = login(QStringLiteral("eve"), third);
        login(QStringLiteral("eve"), third);
        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/sessions/revoke-others"), {}, s.access).status, 200);
        QCOMPARE(expectOne<AuthEvents::SessionRevoked>(mark, s.userId).value(QStringLiteral("reason")).toString(), QStringLiteral("revoked"));
    }

    void adminActions()
    {
        const auto created = c.post(QStringLiteral("/v1/admin/users"), {{"username", "mallory"}, {"email", "mallory@example.org"}}, c.adminToken);
        QCOMPARE(created.status, 201);
        m_secrets << created.json().value(QStringLiteral("password")).toString() << QStringLiteral("mallory@example.org");
        const qint64 id = qint64(created.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toDouble());
        QCOMPARE(expectOne<AuthEvents::AccountRegistered>(0, id).value(QStringLiteral("source")).toString(), QStringLiteral("admin"));

        qint64 mark = lastEventId();
        QCOMPARE(c.call("PUT", QStringLiteral("/v1/admin/users/mallory/role"), json({{"role", "moderator"}}), c.adminToken).status, 200);
        QCOMPARE(expectOne<AuthEvents::RoleChanged>(mark, id).value(QStringLiteral("role")).toString(), QStringLiteral("moderator"));

        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/admin/users/mallory/suspend"), {{"reason", "spam"}}, c.adminToken).status, 200);
        QCOMPARE(expectOne<AuthEvents::AccountSuspended>(mark, id).value(QStringLiteral("reason")).toString(), QStringLiteral("spam"));
        mark = lastEventId();
        QCOMPARE(c.post(QStringLiteral("/v1/admin/users/mallory/unsuspend"), {}, c.adminToken).status, 200);
        QVERIFY(!expectOne<AuthEvents::AccountUnsuspended>(mark, id).isEmpty());

        mark = lastEventId();
        const auto reset = c.post(QStringLiteral("/v1/admin/users/mallory/reset-password"), {}, c.adminToken);
        QCOMPARE(reset.status, 200);
        m_secrets << reset.json().value(QStringLiteral("password")).toString();
        QCOMPARE(expectOne<AuthEvents::PasswordChanged>(mark, id).value(QStringLiteral("method")).toString(), QStringLiteral("admin_reset"));
    }

    void noSecretInAnyPayload()
    {
        const QJsonArray all = eventsAfter(0);
        int authEvents = 0;
        for (const QJsonValue &v : all) {
            const QJsonObject e = v.toObject();
            if (!e.value(QStringLiteral("type")).toString().startsWith(QLatin1String("auth.")))
                continue;
            ++authEvents;
            const QString payload = QString::fromUtf8(QJsonDocument(e.value(QStringLiteral("payload")).toObject()).toJson());
            for (const QString &secret : std::as_const(m_secrets)) {
                if (!secret.isEmpty())
                    QVERIFY2(!payload.contains(secret, Qt::CaseInsensitive), qPrintable(e.value(QStringLiteral("type")).toString()));
            }
            for (const char *key : {"password", "passwordHash", "token", "refreshToken", "accessToken", "email", "secret", "code"})
                QVERIFY2(!e.value(QStringLiteral("payload")).toObject().contains(QLatin1String(key)), key);
            QVERIFY(!payload.contains(QLatin1Char('@')));
        }
        QVERIFY(authEvents >= 15);
    }
};

QTEST_GUILESS_MAIN(TstAuthEvents)
#include "tst_authevents.moc"
