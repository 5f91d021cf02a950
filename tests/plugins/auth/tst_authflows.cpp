// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Every auth flow over real HTTP against a real communityd and PostgreSQL.

#include "authtestclient.h"

#include <thread>
#include <vector>

using namespace AuthTest;

class TstAuthFlows : public QObject {
    Q_OBJECT

    DaemonProcess m_daemon;
    Client c;

    static QJsonObject withoutRequest(QJsonObject o)
    {
        o.remove(QStringLiteral("instance"));
        o.remove(QStringLiteral("requestId"));
        return o;
    }

    /// POST /v1/auth/login from a loopback source address of its own.
    HttpResult loginFrom(const QString &source, const QString &login, const QString &password)
    {
        return requestFrom(source, m_daemon.url(QStringLiteral("/v1/auth/login")), "POST",
                           json({{"login", login}, {"password", password}}));
    }

    QJsonArray outboxOf(const QString &type)
    {
        QJsonArray out;
        const auto r = c.get(QStringLiteral("/v1/admin/auth/outbox?limit=500"), c.adminToken);
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            if (v.toObject().value(QStringLiteral("type")).toString() == type)
                out.append(v);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(startWithAdmin(m_daemon, c,
                               {QStringLiteral("--set"), QStringLiteral("plugins.auth.lockout.maxFailures=3"),
                                QStringLiteral("--set"), QStringLiteral("plugins.auth.lockout.delayAfter=100"),
                                QStringLiteral("--set"), QStringLiteral("plugins.auth.lockout.lockSeconds=60"),
                                QStringLiteral("--set"), QStringLiteral("plugins.auth.lockout.accountMaxFailures=6"),
                                // Capped below: 127.0.5.x and 127.0.6.x (127.0.0.1, every other test, is exempt).
                                QStringLiteral("--set"), QStringLiteral("plugins.auth.registration.exempt=127.0.0.1/32"),
                                QStringLiteral("--set"), QStringLiteral("plugins.auth.registration.maxPerAddressPerDay=2"),
                                QStringLiteral("--set"), QStringLiteral("plugins.auth.registration.maxPerNetworkPerDay=3")}));
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }

    void firstStartAdminPrintedOnceAndChanged()
    {
        QCOMPARE(m_daemon.output().count("initial admin: admin / "), 1);
        // The one-time password no longer works; the new one does and no change is forced.
        QCOMPARE(c.login(QStringLiteral("admin"), c.adminPassword).status, 401);
        const auto l = c.login(QStringLiteral("admin"), Client::adminNewPassword);
        QCOMPARE(l.status, 200);
        QCOMPARE(l.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("mustChangePassword")).toBool(), false);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), c.adminToken).status, 200);
    }

    void registerLoginRefreshReuse()
    {
        const auto reg = c.registerUser(QStringLiteral("alice"));
        QCOMPARE(reg.status, 201);
        const QJsonObject user = reg.json().value(QStringLiteral("user")).toObject();
        QCOMPARE(user.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        QCOMPARE(c.registerUser(QStringLiteral("ALICE")).status, 409);
        QVERIFY(fieldCodes(c.registerUser(QStringLiteral("Alice"))).contains(QStringLiteral("username:taken")));

        const auto l = c.login(QStringLiteral("alice@example.org"));   // by email
        QCOMPARE(l.status, 200);
        const QJsonObject t = l.json();
        QCOMPARE(t.value(QStringLiteral("tokenType")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(t.value(QStringLiteral("expiresIn")).toInt(), 900);
        const QString access = t.value(QStringLiteral("accessToken")).toString();
        const QString r1 = t.value(QStringLiteral("refreshToken")).toString();
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), access).status, 200);

        const auto ref = c.post(QStringLiteral("/v1/auth/refresh"), {{"refreshToken", r1}});
        QCOMPARE(ref.status, 200);
        const QString access2 = ref.json().value(QStringLiteral("accessToken")).toString();
        const QString r2 = ref.json().value(QStringLiteral("refreshToken")).toString();
        QVERIFY(r2 != r1);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), access2).status, 200);

        // r1 again: reuse. The whole family (r2 and the access tokens) is revoked.
        const auto reuse = c.post(QStringLiteral("/v1/auth/refresh"), {{"refreshToken", r1}});
        QCOMPARE(reuse.status, 401);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/refresh"), {{"refreshToken", r2}}).status, 401);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), access2).status, 401);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), access).status, 401);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/refresh"), {{"refreshToken", "nonsense"}}).status, 401);
    }

    void logoutRevokesSession()
    {
        QString refresh;
        const QString token = c.userToken(QStringLiteral("bob"), &refresh);
        QVERIFY(!token.isEmpty());
        QCOMPARE(c.call("POST", QStringLiteral("/v1/auth/logout"), {}, token).status, 204);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), token).status, 401);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/refresh"), {{"refreshToken", refresh}}).status, 401);
        QCOMPARE(c.call("POST", QStringLiteral("/v1/auth/logout")).status, 401);
    }

    /// lastSeenAt follows use (first use within a state refresh, then at most once a
    /// minute per session), so users can tell their sessions apart by it.
    void sessionsShowActivity()
    {
        const QString token = c.userToken(QStringLiteral("erin"));
        auto current = [&] {
            const auto list = c.call("GET", QStringLiteral("/v1/auth/sessions"), {}, token);
            for (const QJsonValue &v : list.json().value(QStringLiteral("items")).toArray()) {
                if (v.toObject().value(QStringLiteral("current")).toBool())
                    return v.toObject();
            }
            return QJsonObject();
        };
        auto at = [](const QJsonObject &s, const char *key) {
            return QDateTime::fromString(s.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
        };
        QTest::qWait(1100);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), token).status, 200);   // the first use, a second after login
        const QDateTime created = at(current(), "createdAt");
        QVERIFY(created.isValid());
        QDateTime seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen = at(current(), "lastSeenAt")) >= created.addMSecs(1000), 6000);
        // Used again at once: not written again within the minute.
        QTest::qWait(1100);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), token).status, 200);
        QTest::qWait(2500);   // more than one state refresh
        QCOMPARE(at(current(), "lastSeenAt"), seen);
    }

    void sessionsListRevokeAndRevokeOthers()
    {
        const QString a = c.userToken(QStringLiteral("carol"));
        const QString b = c.login(QStringLiteral("carol")).json().value(QStringLiteral("accessToken")).toString();
        const QString d = c.login(QStringLiteral("carol")).json().value(QStringLiteral("accessToken")).toString();
        const auto list = c.call("GET", QStringLiteral("/v1/auth/sessions"), {}, a, {{"User-Agent", "phone/1.0"}});
        QCOMPARE(list.status, 200);
        const QJsonArray items = list.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 3);
        int current = 0;
        QString other;
        for (const QJsonValue &v : items) {
            const QJsonObject s = v.toObject();
            QCOMPARE(s.value(QStringLiteral("ip")).toString(), QStringLiteral("127.0.0.1"));
            QVERIFY(!s.value(QStringLiteral("createdAt")).toString().isEmpty());
            QVERIFY(!s.value(QStringLiteral("lastSeenAt")).toString().isEmpty());
            if (s.value(QStringLiteral("current")).toBool())
                ++current;
            else if (other.isEmpty())
                other = s.value(QStringLiteral("id")).toString();
        }
        QCOMPARE(current, 1);
        // Someone else's session is not found for this user.
        const QString dave = c.userToken(QStringLiteral("dave"));
        QCOMPARE(c.call("DELETE", QStringLiteral("/v1/auth/sessions/") + other, {}, dave).status, 404);
        QCOMPARE(c.call("DELETE", QStringLiteral("/v1/auth/sessions/") + other, {}, a).status, 204);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/sessions"), a).json().value(QStringLiteral("items")).toArray().size(), 2);
        const auto ro = c.call("POST", QStringLiteral("/v1/auth/sessions/revoke-others"), {}, a);
        QCOMPARE(ro.status, 200);
        QCOMPARE(ro.json().value(QStringLiteral("revoked")).toInt(), 1);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), a).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), b).status + c.get(QStringLiteral("/v1/auth/me"), d).status, 802);
    }

    void passwordChangeRevokesOthers()
    {
        const QString a = c.userToken(QStringLiteral("erin"));
        const QString b = c.login(QStringLiteral("erin")).json().value(QStringLiteral("accessToken")).toString();
        const auto wrong = c.post(QStringLiteral("/v1/auth/password"),
                                  {{"currentPassword", "not my password"}, {"newPassword", "a brand new secret"}}, a);
        QCOMPARE(wrong.status, 400);
        QVERIFY(fieldCodes(wrong).contains(QStringLiteral("currentPassword:wrong_password")));
        const auto ok = c.post(QStringLiteral("/v1/auth/password"),
                               {{"currentPassword", "long enough pass 1"}, {"newPassword", "a brand new secret"}}, a);
        QCOMPARE(ok.status, 204);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), a).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), b).status, 401);
        QCOMPARE(c.login(QStringLiteral("erin")).status, 401);
        QCOMPARE(c.login(QStringLiteral("erin"), QStringLiteral("a brand new secret")).status, 200);
    }

    void lockoutLooksTheSameForUnknownUsers()
    {
        QCOMPARE(c.registerUser(QStringLiteral("frank")).status, 201);
        QList<HttpResult> known, unknown;
        for (int i = 0; i < 4; ++i) {
            known.append(c.login(QStringLiteral("frank"), QStringLiteral("wrong password!")));
            unknown.append(c.login(QStringLiteral("nobody-at-all"), QStringLiteral("wrong password!")));
        }
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(known[i].status, 401);
            QCOMPARE(unknown[i].status, 401);
            QCOMPARE(withoutRequest(known[i].json()), withoutRequest(unknown[i].json()));
        }
        QCOMPARE(known[3].status, 429);
        QCOMPARE(unknown[3].status, 429);
        QCOMPARE(withoutRequest(known[3].json()), withoutRequest(unknown[3].json()));
        QVERIFY(known[3].header("retry-after").toInt() > 0);
        QVERIFY(unknown[3].header("retry-after").toInt() > 0);
        // Locked: even the right password is refused until the lock expires.
        QCOMPARE(c.login(QStringLiteral("frank")).status, 429);
        // Other accounts are not affected.
        QCOMPARE(c.login(QStringLiteral("alice")).status, 200);
    }

    // Issue 10: one known username let anyone lock its owner out for 15 minutes (the right
    // password refused too). Failures lock the (account, address) pair first; only many
    // failures from several addresses (accountMaxFailures, 6 here) lock the account.
    void lockoutPerAccountAndAddress()
    {
        const QString right = QStringLiteral("long enough pass 1");
        const QString wrong = QStringLiteral("wrong password!");
        QCOMPARE(c.registerUser(QStringLiteral("lockvictim")).status, 201);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(loginFrom(QStringLiteral("127.0.3.1"), QStringLiteral("lockvictim"), wrong).status, 401);
        // The guessing address is locked, even with the right password ...
        const HttpResult locked = loginFrom(QStringLiteral("127.0.3.1"), QStringLiteral("lockvictim"), right);
        QCOMPARE(locked.status, 429);
        QCOMPARE(slug(locked), QStringLiteral("too-many-attempts"));
        QVERIFY(locked.header("retry-after").toInt() > 0);
        // ... its owner elsewhere is not.
        QCOMPARE(c.login(QStringLiteral("lockvictim"), right).status, 200);
        QCOMPARE(loginFrom(QStringLiteral("127.0.3.2"), QStringLiteral("lockvictim"), right).status, 200);
        // Unknown names answer alike (counted under the login string).
        for (int i = 0; i < 3; ++i) {
            const HttpResult unknown = loginFrom(QStringLiteral("127.0.3.1"), QStringLiteral("nobody-lockvictim"), wrong);
            QCOMPARE(unknown.status, 401);
            QCOMPARE(slug(unknown), QStringLiteral("invalid-credentials"));
        }
        QCOMPARE(loginFrom(QStringLiteral("127.0.3.1"), QStringLiteral("nobody-lockvictim"), wrong).status, 429);
        QCOMPARE(loginFrom(QStringLiteral("127.0.3.2"), QStringLiteral("nobody-lockvictim"), wrong).status, 401);

        // Guessing spread over addresses: 3 + 3 failures reach the account-wide threshold,
        // which locks the account for every address.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(loginFrom(QStringLiteral("127.0.3.3"), QStringLiteral("lockvictim"), wrong).status, 401);
        const HttpResult accountLocked = c.login(QStringLiteral("lockvictim"), right);
        QCOMPARE(accountLocked.status, 429);
        QCOMPARE(slug(accountLocked), QStringLiteral("too-many-attempts"));
        const int retry = accountLocked.header("retry-after").toInt();
        QVERIFY2(retry > 0 && retry <= 60, accountLocked.header("retry-after").constData());
        QCOMPARE(loginFrom(QStringLiteral("127.0.3.4"), QStringLiteral("lockvictim"), right).status, 429);
    }

    // Issue 10: registrations allowed ~3,600 accounts an hour from one address. Daily caps
    // per address (2 here) and per /24 network (3 here): 429 problem+json with Retry-After.
    void registrationCapsPerAddressAndNetwork()
    {
        const auto registerFrom = [&](const QString &source, const QString &name) {
            return requestFrom(source, m_daemon.url(QStringLiteral("/v1/auth/register")), "POST",
                               json({{"username", name}, {"email", name + QStringLiteral("@example.org")},
                                     {"password", "long enough pass 1"}}));
        };
        QCOMPARE(registerFrom(QStringLiteral("127.0.5.1"), QStringLiteral("capa1")).status, 201);
        QCOMPARE(registerFrom(QStringLiteral("127.0.5.1"), QStringLiteral("capa2")).status, 201);
        const HttpResult third = registerFrom(QStringLiteral("127.0.5.1"), QStringLiteral("capa3"));
        QCOMPARE(third.status, 429);
        QCOMPARE(third.header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(slug(third), QStringLiteral("too-many-registrations"));
        const int retry = third.header("retry-after").toInt();
        QVERIFY2(retry > 86'000 && retry <= 86'400, third.header("retry-after").constData());
        // Nothing was created: the name is still free (from an exempt address).
        QCOMPARE(c.registerUser(QStringLiteral("capa3")).status, 201);

        // A refused registration (name taken) does not count; the network cap does.
        QCOMPARE(registerFrom(QStringLiteral("127.0.5.2"), QStringLiteral("capa1")).status, 409);
        QCOMPARE(registerFrom(QStringLiteral("127.0.5.2"), QStringLiteral("capb1")).status, 201);
        const HttpResult network = registerFrom(QStringLiteral("127.0.5.3"), QStringLiteral("capc1"));
        QCOMPARE(network.status, 429);
        QCOMPARE(slug(network), QStringLiteral("too-many-registrations"));
        QVERIFY(network.header("retry-after").toInt() > 0);
        // Another network is not affected.
        QCOMPARE(registerFrom(QStringLiteral("127.0.6.1"), QStringLiteral("capd1")).status, 201);

        // Concurrent registrations cannot overshoot (check and record are serialised per
        // network): six at once from one fresh address, exactly two accounts.
        QList<HttpResult> results(6);
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i)
            threads.emplace_back([&, i] { results[i] = registerFrom(QStringLiteral("127.0.7.1"), QStringLiteral("cape%1").arg(i)); });
        for (auto &t : threads)
            t.join();
        int created = 0, capped = 0;
        for (const HttpResult &r : results) {
            created += r.status == 201;
            capped += r.status == 429;
        }
        QCOMPARE(created, 2);
        QCOMPARE(capped, 4);
    }

    // Issue 10: a signature whose last base64url character differed only in its unused
    // bits was accepted. Each of the three other spellings is a 401 through the gateway.
    void nonCanonicalTokenSignatureRefused()
    {
        const QString token = c.userToken(QStringLiteral("jules"));
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), token).status, 200);
        const QByteArray alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
        const int value = int(alphabet.indexOf(token.back().toLatin1()));
        QCOMPARE(value & 3, 0);   // 32 signature bytes: 2 unused bits in the last character
        for (int unused = 1; unused < 4; ++unused) {
            QString forged = token;
            forged.back() = QLatin1Char(alphabet[value | unused]);
            const HttpResult r = c.get(QStringLiteral("/v1/auth/me"), forged);
            QCOMPARE(r.status, 401);
            QCOMPARE(slug(r), QStringLiteral("unauthorized"));
        }
    }

    void emailVerificationThroughOutbox()
    {
        const QString t = c.userToken(QStringLiteral("gina"));
        QCOMPARE(c.call("POST", QStringLiteral("/v1/auth/verify-email/request"), {}, t).status, 202);
        const QJsonArray events = outboxOf(QStringLiteral("auth.email_verification_requested"));
        QVERIFY(!events.isEmpty());
        const QJsonObject payload = events.last().toObject().value(QStringLiteral("payload")).toObject();
        QCOMPARE(payload.value(QStringLiteral("email")).toString(), QStringLiteral("gina@example.org"));
        const QString token = payload.value(QStringLiteral("token")).toString();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/verify-email"), {{"token", "wrong"}}).status, 400);
        const auto v = c.post(QStringLiteral("/v1/auth/verify-email"), {{"token", token}});
        QCOMPARE(v.status, 200);
        QCOMPARE(v.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("emailVerified")).toBool(), true);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/verify-email"), {{"token", token}}).status, 400);   // single use
        QCOMPARE(c.call("POST", QStringLiteral("/v1/auth/verify-email/request"), {}, t).status, 409);
    }

    void passwordResetThroughOutbox()
    {
        const QString old = c.userToken(QStringLiteral("hank"));
        const int before = outboxOf(QStringLiteral("auth.password_reset_requested")).size();
        // Unknown addresses get the same answer and no event.
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password-reset/request"), {{"email", "nobody@example.org"}}).status, 202);
        QCOMPARE(outboxOf(QStringLiteral("auth.password_reset_requested")).size(), before);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password-reset/request"), {{"email", "HANK@example.org"}}).status, 202);
        const QJsonArray events = outboxOf(QStringLiteral("auth.password_reset_requested"));
        QCOMPARE(events.size(), before + 1);
        const QString token = events.last().toObject().value(QStringLiteral("payload")).toObject().value(QStringLiteral("token")).toString();
        const auto weak = c.post(QStringLiteral("/v1/auth/password-reset"), {{"token", token}, {"newPassword", "short"}});
        QCOMPARE(weak.status, 400);
        QVERIFY(fieldCodes(weak).contains(QStringLiteral("newPassword:too_short")));
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password-reset"), {{"token", token}, {"newPassword", "reset to this one"}}).status, 204);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password-reset"), {{"token", token}, {"newPassword", "and again this one"}}).status, 400);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), old).status, 401);   // sessions revoked
        QCOMPARE(c.login(QStringLiteral("hank"), QStringLiteral("reset to this one")).status, 200);
    }

    void apiKeys()
    {
        const auto created = c.post(QStringLiteral("/v1/admin/api-keys"), {{"name", "ci"}, {"scopes", QJsonArray{"admin"}}}, c.adminToken);
        QCOMPARE(created.status, 201);
        const QString key = created.json().value(QStringLiteral("key")).toString();
        const QString id = created.json().value(QStringLiteral("id")).toString();
        QVERIFY(key.startsWith(QStringLiteral("cpk_") + id + QLatin1Char('_')));
        const auto narrow = c.post(QStringLiteral("/v1/admin/api-keys"), {{"name", "ro"}, {"scopes", QJsonArray{"users:read"}}}, c.adminToken);
        const QString narrowKey = narrow.json().value(QStringLiteral("key")).toString();

        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), key).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), narrowKey).status, 403);

        // A scope no route asks for is refused, naming the valid ones; nothing is created.
        const int keysBefore = int(c.get(QStringLiteral("/v1/admin/api-keys"), c.adminToken).json().value("items").toArray().size());
        const auto unknown = c.post(QStringLiteral("/v1/admin/api-keys"),
                                    {{"name", "typo"}, {"scopes", QJsonArray{"users:read", "content:everything"}}}, c.adminToken);
        QCOMPARE(unknown.status, 400);
        const QJsonObject error = unknown.json().value("errors").toArray().first().toObject();
        QCOMPARE(error.value("field").toString(), QStringLiteral("scopes"));
        QCOMPARE(error.value("code").toString(), QStringLiteral("unknown_scope"));
        QVERIFY2(error.value("message").toString().contains(QLatin1String("admin")), unknown.body.constData());
        QCOMPARE(int(c.get(QStringLiteral("/v1/admin/api-keys"), c.adminToken).json().value("items").toArray().size()), keysBefore);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), key.left(key.size() - 2) + QStringLiteral("xx")).status, 401);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/sessions"), key).status, 403);   // no session behind a key

        // Listed without secrets, last use recorded.
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            const auto list = c.get(QStringLiteral("/v1/admin/api-keys"), c.adminToken);
            for (const QJsonValue &v : list.json().value(QStringLiteral("items")).toArray()) {
                const QJsonObject k = v.toObject();
                if (k.contains(QStringLiteral("key")))
                    return false;
                if (k.value(QStringLiteral("id")).toString() == id)
                    return k.value(QStringLiteral("lastUsedAt")).isString();
            }
            return false;
        }()), 5000);

        QCOMPARE(c.call("DELETE", QStringLiteral("/v1/admin/api-keys/") + id, {}, c.adminToken).status, 204);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), key).status, 401);   // at once
        QCOMPARE(c.call("DELETE", QStringLiteral("/v1/admin/api-keys/") + id, {}, c.adminToken).status, 404);
    }

    void keyRotationKeepsOldTokens()
    {
        const QString before = c.userToken(QStringLiteral("ivan"));
        const auto rot = c.call("POST", QStringLiteral("/v1/admin/auth/rotate-key"), {}, c.adminToken);
        QCOMPARE(rot.status, 201);
        const QString after = c.login(QStringLiteral("ivan")).json().value(QStringLiteral("accessToken")).toString();
        auto kid = [](const QString &jwt) {
            return QJsonDocument::fromJson(QByteArray::fromBase64(jwt.section(QLatin1Char('.'), 0, 0).toLatin1(),
                                                                  QByteArray::Base64UrlEncoding))
                .object().value(QStringLiteral("kid")).toString();
        };
        QCOMPARE(kid(after), rot.json().value(QStringLiteral("kid")).toString());
        QVERIFY(kid(before) != kid(after));
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), before).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), after).status, 200);
        // Still true after the periodic reload from the database.
        QTest::qWait(1200);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), before).status, 200);
    }

    void suspendedUserRefusedAtOnce()
    {
        const QString t = c.userToken(QStringLiteral("judy"));
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), t).status, 200);
        const auto s = c.post(QStringLiteral("/v1/admin/users/judy/suspend"), {{"reason", "spam"}}, c.adminToken);
        QCOMPARE(s.status, 200);
        QCOMPARE(s.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("suspended"));
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), t).status, 403);
        QCOMPARE(c.login(QStringLiteral("judy")).status, 403);
        QCOMPARE(c.call("POST", QStringLiteral("/v1/admin/users/judy/unsuspend"), {}, c.adminToken).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), t).status, 200);
        QCOMPARE(c.post(QStringLiteral("/v1/admin/users/nobody/suspend"), {}, c.adminToken).status, 404);
    }

    void roleChangeWithoutRelogin()
    {
        const QString t = c.userToken(QStringLiteral("kate"));
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), t).status, 403);
        QCOMPARE(c.call("PUT", QStringLiteral("/v1/admin/users/kate/role"), json({{"role", "admin"}}), c.adminToken).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), t).status, 200);
        QCOMPARE(c.call("PUT", QStringLiteral("/v1/admin/users/kate/role"), json({{"role", "user"}}), c.adminToken).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), t).status, 403);
        QCOMPARE(c.call("PUT", QStringLiteral("/v1/admin/users/kate/role"), json({{"role", "king"}}), c.adminToken).status, 400);
    }

    void adminCreatedAndResetUsersMustChangePassword()
    {
        const auto cr = c.post(QStringLiteral("/v1/admin/users"), {{"username", "leo"}, {"email", "leo@example.org"}}, c.adminToken);
        QCOMPARE(cr.status, 201);
        const QString pw = cr.json().value(QStringLiteral("password")).toString();
        QVERIFY(pw.size() >= 12);
        const auto l = c.login(QStringLiteral("leo"), pw);
        QCOMPARE(l.status, 200);
        QCOMPARE(l.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("mustChangePassword")).toBool(), true);
        const QString t = l.json().value(QStringLiteral("accessToken")).toString();
        // The gateway's gate: every authenticated route but me, sessions, password and logout.
        const auto gated = c.call("POST", QStringLiteral("/v1/auth/sessions/revoke-others"), {}, t);
        QCOMPARE(gated.status, 403);
        QCOMPARE(slug(gated), QStringLiteral("password-change-required"));
        QCOMPARE(slug(c.post(QStringLiteral("/v1/auth/2fa/enrol"), {}, t)), QStringLiteral("password-change-required"));
        QCOMPARE(slug(c.get(QStringLiteral("/v1/auth/identities"), t)), QStringLiteral("password-change-required"));
        const auto me = c.get(QStringLiteral("/v1/auth/me"), t);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("mustChangePassword")).toBool(), true);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/sessions"), t).status, 200);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/password"), {{"currentPassword", pw}, {"newPassword", "leo chose this one"}}, t).status, 204);
        // Lifted at once, with the same token.
        QCOMPARE(c.get(QStringLiteral("/v1/auth/identities"), t).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), t).status, 200);

        const auto reset = c.call("POST", QStringLiteral("/v1/admin/users/leo/reset-password"), {}, c.adminToken);
        QCOMPARE(reset.status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), t).status, 401);   // sessions revoked
        const auto l2 = c.login(QStringLiteral("leo"), reset.json().value(QStringLiteral("password")).toString());
        QCOMPARE(l2.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("mustChangePassword")).toBool(), true);
        QCOMPARE(c.call("POST", QStringLiteral("/v1/admin/users/leo/disable-2fa"), {}, c.adminToken).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users/LEO"), c.adminToken).status, 200);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users/nobody"), c.adminToken).status, 404);
    }

    void reservedUsernames()
    {
        for (const char *name : {"me", "ME", "search", "Search", "admin", "ADMIN", "system", "root", "Root"}) {
            const auto r = c.post(QStringLiteral("/v1/auth/register"),
                                  {{"username", name}, {"email", QStringLiteral("%1@reserved.example.org").arg(QLatin1String(name))},
                                   {"password", "long enough pass 1"}});
            QCOMPARE(r.status, 400);
            QVERIFY2(fieldCodes(r).contains(QStringLiteral("username:reserved")), name);
        }
        const auto a = c.post(QStringLiteral("/v1/admin/users"), {{"username", "Search"}, {"email", "search@example.org"}}, c.adminToken);
        QCOMPARE(a.status, 400);
        QVERIFY(fieldCodes(a).contains(QStringLiteral("username:reserved")));
        // Names that merely contain one are fine.
        QCOMPARE(c.registerUser(QStringLiteral("mesearch")).status, 201);
    }

    // Issue 10, item 4: look-alike and unnormalised usernames (ADR 0009).
    void lookAlikeUsernames()
    {
        int n = 0;
        auto registerAs = [&](const QString &name) {
            return c.post(QStringLiteral("/v1/auth/register"),
                          {{"username", name}, {"email", QStringLiteral("lookalike%1@example.org").arg(++n)},
                           {"password", "long enough pass 1"}});
        };
        struct Refused {
            QString name;
            int status;
            QString code;
        };
        QCOMPARE(registerAs(QStringLiteral("secaflri")).status, 201);
        const QString nfc = QString::fromUtf16(u"\ud55c\uae00\uc774\ub984");
        const QString nfd = QString::fromUtf16(u"\u1112\u1161\u11ab\u1100\u1173\u11af\u110b\u1175\u1105\u1173\u11b7");
        const auto hangul = registerAs(nfc);
        QCOMPARE(hangul.status, 201);
        const qint64 hangulId = hangul.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
        const QList<Refused> refused{
            {QString::fromUtf16(u"\u0430dmin"), 400, QStringLiteral("reserved")},                          // Cyrillic а
            {QString::fromUtf16(u"\uff41\uff44\uff4d\uff49\uff4e"), 400, QStringLiteral("reserved")},      // fullwidth
            {QString::fromUtf16(u"adm\u0131n"), 400, QStringLiteral("reserved")},                         // dotless ı
            {QStringLiteral("admin."), 400, QStringLiteral("invalid_end")},
            {QStringLiteral("admin_"), 400, QStringLiteral("invalid_end")},
            {QStringLiteral("operator"), 400, QStringLiteral("reserved")},
            {QStringLiteral("Moderator"), 400, QStringLiteral("reserved")},
            {QStringLiteral("SUPP0RT"), 400, QStringLiteral("reserved")},
            {QString::fromUtf16(u"sec\u0430flri"), 400, QStringLiteral("mixed_scripts")},                 // Latin + Cyrillic
            {QStringLiteral("SECAFLRI"), 409, QStringLiteral("taken")},
            {QStringLiteral("secaf1ri"), 409, QStringLiteral("confusable")},                               // digit 1 for l
            {QString::fromUtf16(u"SECAFLR\u0131"), 409, QStringLiteral("confusable")},                  // dotless ı for i
            {nfd, 409, QStringLiteral("taken")},                                                          // NFD of an NFC name
        };
        for (const Refused &r : refused) {
            const auto got = registerAs(r.name);
            QVERIFY2(got.status == r.status && fieldCodes(got).contains(QStringLiteral("username:") + r.code),
                     qPrintable(r.name + QLatin1Char(' ') + QString::number(got.status) + QLatin1Char(' ')
                                + fieldCodes(got).join(QLatin1Char(' '))));
        }
        // The admin route follows the same rule.
        const auto byAdmin = c.post(QStringLiteral("/v1/admin/users"),
                                    {{"username", QString::fromUtf16(u"\uff53\uff45\uff43\uff41\uff46\uff4c\uff52\uff49")},
                                     {"email", "fullwidth-secaflri@example.org"}},
                                    c.adminToken);
        QCOMPARE(byAdmin.status, 409);
        QVERIFY(fieldCodes(byAdmin).contains(QStringLiteral("username:taken")));

        // Any normalised spelling logs in to the one account.
        for (const QString &login : {nfc, nfd}) {
            const auto l = c.login(login);
            QCOMPARE(l.status, 200);
            QCOMPARE(l.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger(), hangulId);
        }
        const auto fullwidth = c.login(QString::fromUtf16(u"\uff53\uff45\uff43\uff41\uff46\uff4c\uff52\uff49"));
        QCOMPARE(fullwidth.status, 200);
        QCOMPARE(fullwidth.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("username")).toString(),
                 QStringLiteral("secaflri"));
        // A decomposed name is stored composed, and admin lookups by name normalise too.
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users/") + nfd, c.adminToken)
                     .json().value(QStringLiteral("user")).toObject().value(QStringLiteral("username")).toString(), nfc);
    }

    void operatorTokenActsAsAdmin()
    {
        QCOMPARE(m_daemon.operatorRequest("GET", QStringLiteral("/v1/admin/users")).status, 200);
        QCOMPARE(m_daemon.operatorRequest("GET", QStringLiteral("/v1/auth/me")).status, 403);
        QCOMPARE(m_daemon.operatorRequest("GET", QStringLiteral("/v1/auth/sessions")).status, 403);
        // A key made with the operator token records no creator and still works.
        const auto k = m_daemon.operatorRequest("POST", QStringLiteral("/v1/admin/api-keys"),
                                                json({{"name", "ops"}, {"scopes", QJsonArray{"admin"}}}));
        QCOMPARE(k.status, 201);
        QVERIFY(k.json().value(QStringLiteral("createdBy")).isNull());
        const QString key = k.json().value(QStringLiteral("key")).toString();
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), key).status, 200);
        bool listed = false;
        for (const QJsonValue &v : c.get(QStringLiteral("/v1/admin/api-keys"), c.adminToken).json().value(QStringLiteral("items")).toArray()) {
            if (v.toObject().value(QStringLiteral("id")) == k.json().value(QStringLiteral("id"))) {
                listed = true;
                QVERIFY(v.toObject().value(QStringLiteral("createdBy")).isNull());
            }
        }
        QVERIFY(listed);
        // Still valid after the periodic reload from the database.
        QTest::qWait(1200);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users"), key).status, 200);
        // The operator creates users too (reserved names refused as for everyone).
        const auto u = m_daemon.operatorRequest("POST", QStringLiteral("/v1/admin/users"),
                                                json({{"username", "opsmade"}, {"email", "opsmade@example.org"}}));
        QCOMPARE(u.status, 201);
        QCOMPARE(m_daemon.operatorRequest("POST", QStringLiteral("/v1/admin/users"),
                                          json({{"username", "root"}, {"email", "root@example.org"}})).status, 400);
    }

    void adminUserListPaginates()
    {
        const auto p1 = c.get(QStringLiteral("/v1/admin/users?limit=2"), c.adminToken);
        QCOMPARE(p1.status, 200);
        QCOMPARE(p1.json().value(QStringLiteral("items")).toArray().size(), 2);
        const QString cursor = p1.json().value(QStringLiteral("nextCursor")).toString();
        QVERIFY(!cursor.isEmpty());
        const auto p2 = c.get(QStringLiteral("/v1/admin/users?limit=2&cursor=") + cursor, c.adminToken);
        QVERIFY(p2.json().value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("id")).toInteger()
                > p1.json().value(QStringLiteral("items")).toArray()[1].toObject().value(QStringLiteral("id")).toInteger());
        const auto q = c.get(QStringLiteral("/v1/admin/users?query=ali"), c.adminToken);
        QCOMPARE(q.json().value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users?limit=0"), c.adminToken).status, 400);
    }
};

QTEST_GUILESS_MAIN(TstAuthFlows)
#include "tst_authflows.moc"
