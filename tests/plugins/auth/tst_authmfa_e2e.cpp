// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// 2FA and OAuth login end to end: the real communityd with the auth plugin (and its
// 2FA / OAuth module) against PostgreSQL, and a FakeOidcProvider on loopback that the
// daemon is configured to use as provider "fake" (plugins.auth.mfa).

#include "authtestclient.h"
#include "fakeoidcprovider.h"
#include "totp.h"

#include <QDateTime>
#include <QUrlQuery>

using namespace AuthTest;
using Community::Test::FakeOidcProvider;
using namespace Auth::Mfa;

class TstAuthMfaE2e : public QObject {
    Q_OBJECT

    DaemonProcess m_daemon;
    Client c;
    FakeOidcProvider m_idp;
    const QString m_redirect = QStringLiteral("https://app.example/oauth/done");

    static qint64 now() { return QDateTime::currentSecsSinceEpoch(); }

    /// A code for the next time step: accepted (window ±1) and never a replay of the
    /// current step, which enabling may just have used.
    static QString nextCode(const QByteArray &secret) { return totpAt(secret, now() + 30); }

    /// A six-digit code that matches none of the steps the server accepts now.
    static QString wrongCode(const QByteArray &secret)
    {
        QStringList valid;
        for (int d = -2; d <= 2; ++d)
            valid << totpAt(secret, now() + d * 30);
        for (int i = 0;; ++i) {
            const QString code = QStringLiteral("%1").arg(123456 + i * 1111, 6, 10, QLatin1Char('0'));
            if (!valid.contains(code))
                return code;
        }
    }

    /// Enrols and enables TOTP for the holder of `token`; returns the secret, fills `codes`.
    QByteArray enableTotp(const QString &token, QStringList *codes = nullptr)
    {
        const HttpResult e = c.post(QStringLiteral("/v1/auth/2fa/enrol"), {}, token);
        if (e.status != 200) {
            qWarning("enrol: %d %s", e.status, e.body.constData());
            return {};
        }
        const auto secret = Base32::decode(e.json().value(QStringLiteral("secret")).toString().toLatin1());
        if (!secret)
            return {};
        const HttpResult en = c.post(QStringLiteral("/v1/auth/2fa/enable"), {{"code", totpAt(*secret, now())}}, token);
        if (en.status != 200) {
            qWarning("enable: %d %s", en.status, en.body.constData());
            return {};
        }
        if (codes) {
            codes->clear();
            for (const QJsonValue &v : en.json().value(QStringLiteral("recoveryCodes")).toArray())
                codes->append(v.toString());
        }
        return *secret;
    }

    /// authorize -> the provider approves -> callback. `bearer` links instead of logging in.
    HttpResult oauthLogin(const FakeOidcProvider::Claims &claims, const QString &bearer = {})
    {
        m_idp.setClaims(claims);
        const HttpResult a = c.get(QStringLiteral("/v1/auth/oauth/fake/authorize"), bearer);
        if (a.status != 200)
            return a;
        const QUrl location = m_idp.approve(QUrl(a.json().value(QStringLiteral("authorizationUrl")).toString()));
        const QUrlQuery q(location);
        const QJsonObject body{{"code", q.queryItemValue(QStringLiteral("code"))},
                               {"state", q.queryItemValue(QStringLiteral("state"))}};
        m_lastCallback = body;
        return c.post(QStringLiteral("/v1/auth/oauth/fake/callback"), body, bearer);
    }
    QJsonObject m_lastCallback;

    static QString accessToken(const HttpResult &r) { return r.json().value(QStringLiteral("accessToken")).toString(); }
    static QJsonObject userOf(const HttpResult &r) { return r.json().value(QStringLiteral("user")).toObject(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_idp.start());
        const QString p = QStringLiteral("plugins.auth.mfa.");
        const QString f = p + QStringLiteral("oauth.fake.");
        QStringList extra;
        for (const QString &kv : {p + QStringLiteral("issuer=Community Test"),
                                  p + QStringLiteral("oauthProviders=fake"),
                                  f + QStringLiteral("displayName=Fake IdP"),
                                  f + QStringLiteral("authorizationEndpoint=") + m_idp.url(QStringLiteral("/authorize")).toString(),
                                  f + QStringLiteral("tokenEndpoint=") + m_idp.url(QStringLiteral("/token")).toString(),
                                  f + QStringLiteral("userinfoEndpoint=") + m_idp.url(QStringLiteral("/userinfo")).toString(),
                                  f + QStringLiteral("clientId=") + m_idp.clientId(),
                                  f + QStringLiteral("clientSecret=") + m_idp.clientSecret(),
                                  f + QStringLiteral("redirectUri=") + m_redirect})
            extra << QStringLiteral("--set") << kv;
        QVERIFY(startWithAdmin(m_daemon, c, extra));
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }

    void totpEnrolEnableLoginRecovery()
    {
        const QString token = c.userToken(QStringLiteral("tina"));
        QVERIFY(!token.isEmpty());
        const HttpResult e = c.post(QStringLiteral("/v1/auth/2fa/enrol"), {}, token);
        QCOMPARE(e.status, 200);
        QVERIFY(e.json().value(QStringLiteral("otpauthUri")).toString().startsWith(
            QStringLiteral("otpauth://totp/Community%20Test:tina?")));
        const auto secret = Base32::decode(e.json().value(QStringLiteral("secret")).toString().toLatin1());
        QVERIFY(secret && secret->size() == 20);
        // Not enabled before a valid code: the password alone still logs in.
        QVERIFY(!accessToken(c.login(QStringLiteral("tina"))).isEmpty());
        const HttpResult bad = c.post(QStringLiteral("/v1/auth/2fa/enable"), {{"code", wrongCode(*secret)}}, token);
        QCOMPARE(bad.status, 400);
        QVERIFY(fieldCodes(bad).contains(QStringLiteral("code:incorrect")));
        const HttpResult en = c.post(QStringLiteral("/v1/auth/2fa/enable"), {{"code", totpAt(*secret, now())}}, token);
        QCOMPARE(en.status, 200);
        QStringList codes;
        for (const QJsonValue &v : en.json().value(QStringLiteral("recoveryCodes")).toArray())
            codes << v.toString();
        QCOMPARE(codes.size(), 10);

        // The password step now answers a challenge, not tokens.
        const HttpResult l = c.login(QStringLiteral("tina"));
        QCOMPARE(l.status, 200);
        QCOMPARE(l.json().value(QStringLiteral("mfaRequired")).toBool(), true);
        QVERIFY(!l.json().contains(QStringLiteral("accessToken")));
        const QString challenge = l.json().value(QStringLiteral("mfaToken")).toString();
        QVERIFY(!challenge.isEmpty());
        // A wrong code uses the challenge up.
        QCOMPARE(c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", challenge}, {"code", wrongCode(*secret)}}).status, 401);
        QCOMPARE(c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", challenge}, {"code", nextCode(*secret)}}).status, 401);

        const QString challenge2 = c.login(QStringLiteral("tina")).json().value(QStringLiteral("mfaToken")).toString();
        const QString used = nextCode(*secret);
        const HttpResult ok = c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", challenge2}, {"code", used}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value(QStringLiteral("tokenType")).toString(), QStringLiteral("Bearer"));
        QVERIFY(!ok.json().value(QStringLiteral("refreshToken")).toString().isEmpty());
        QCOMPARE(userOf(ok).value(QStringLiteral("username")).toString(), QStringLiteral("tina"));
        const QString t2 = accessToken(ok);
        QCOMPARE(c.get(QStringLiteral("/v1/auth/me"), t2).status, 200);
        // The same code again is a replay.
        const QString challenge3 = c.login(QStringLiteral("tina")).json().value(QStringLiteral("mfaToken")).toString();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", challenge3}, {"code", used}}).status, 401);

        // A recovery code works once.
        const QString challenge4 = c.login(QStringLiteral("tina")).json().value(QStringLiteral("mfaToken")).toString();
        const HttpResult rec = c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", challenge4}, {"recoveryCode", codes[0]}});
        QCOMPARE(rec.status, 200);
        QVERIFY(!accessToken(rec).isEmpty());
        QCOMPARE(rec.json().value(QStringLiteral("recoveryCodesRemaining")).toInt(), 9);
        const QString challenge5 = c.login(QStringLiteral("tina")).json().value(QStringLiteral("mfaToken")).toString();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", challenge5}, {"recoveryCode", codes[0]}}).status, 401);
        // Nonsense challenge.
        QCOMPARE(c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", "nope"}, {"code", "123456"}}).status, 401);
        // New recovery codes, confirmed by the password and a recovery code (this step's TOTP
        // code is used up): the old ones stop working.
        const HttpResult regen = c.post(QStringLiteral("/v1/auth/2fa/recovery-codes"),
                                        {{"password", "long enough pass 1"}, {"code", codes[1]}}, t2);
        QCOMPARE(regen.status, 200);
        const QJsonArray fresh = regen.json().value(QStringLiteral("recoveryCodes")).toArray();
        QCOMPARE(fresh.size(), 10);
        const QString challenge6 = c.login(QStringLiteral("tina")).json().value(QStringLiteral("mfaToken")).toString();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/login/2fa"), {{"mfaToken", challenge6}, {"recoveryCode", codes[2]}}).status, 401);
        const QString challenge7 = c.login(QStringLiteral("tina")).json().value(QStringLiteral("mfaToken")).toString();
        QCOMPARE(c.post(QStringLiteral("/v1/auth/login/2fa"),
                        {{"mfaToken", challenge7}, {"recoveryCode", fresh.at(0).toString()}}).status, 200);
        // The wrong password still fails before any second step.
        QCOMPARE(c.login(QStringLiteral("tina"), QStringLiteral("wrong password!!")).status, 401);

        // An administrator removes 2FA (lost phone): the password alone logs in again.
        const HttpResult dis = c.call("POST", QStringLiteral("/v1/admin/users/tina/disable-2fa"), {}, c.adminToken);
        QCOMPARE(dis.status, 200);
        QCOMPARE(dis.json().value(QStringLiteral("disabled")).toBool(), true);
        QVERIFY(!accessToken(c.login(QStringLiteral("tina"))).isEmpty());
        // And the operator token may do it too.
        QCOMPARE(m_daemon.operatorRequest("POST", QStringLiteral("/v1/admin/users/tina/disable-2fa")).status, 200);
    }

    void disableNeedsPasswordAndCode()
    {
        const QString token = c.userToken(QStringLiteral("uma"));
        QStringList codes;
        const QByteArray secret = enableTotp(token, &codes);
        QVERIFY(!secret.isEmpty());
        const QString path = QStringLiteral("/v1/auth/2fa/disable");
        const HttpResult noPw = c.post(path, {{"code", nextCode(secret)}}, token);
        QCOMPARE(noPw.status, 400);
        QVERIFY(fieldCodes(noPw).contains(QStringLiteral("password:required")));
        const HttpResult wrongPw = c.post(path, {{"password", "not the password"}, {"code", nextCode(secret)}}, token);
        QCOMPARE(wrongPw.status, 400);
        QVERIFY(fieldCodes(wrongPw).contains(QStringLiteral("password:incorrect")));
        const HttpResult noCode = c.post(path, {{"password", "long enough pass 1"}}, token);
        QCOMPARE(noCode.status, 400);
        QVERIFY(fieldCodes(noCode).contains(QStringLiteral("code:required")));
        const HttpResult wrongCodeR = c.post(path, {{"password", "long enough pass 1"}, {"code", wrongCode(secret)}}, token);
        QCOMPARE(wrongCodeR.status, 400);
        QVERIFY(fieldCodes(wrongCodeR).contains(QStringLiteral("code:incorrect")));
        // Still enabled after all that.
        QCOMPARE(c.login(QStringLiteral("uma")).json().value(QStringLiteral("mfaRequired")).toBool(), true);
        QCOMPARE(c.post(path, {{"password", "long enough pass 1"}, {"code", nextCode(secret)}}, token).status, 204);
        QVERIFY(!accessToken(c.login(QStringLiteral("uma"))).isEmpty());
        QCOMPARE(c.post(path, {{"password", "long enough pass 1"}, {"code", nextCode(secret)}}, token).status, 409);
        // API keys and the operator cannot manage anyone's 2FA.
        QCOMPARE(m_daemon.operatorRequest("POST", QStringLiteral("/v1/auth/2fa/enrol"), "{}").status, 403);
    }

    void oauthRoundTrip()
    {
        const HttpResult providers = c.get(QStringLiteral("/v1/auth/oauth/providers"));
        QCOMPARE(providers.status, 200);
        const QJsonArray list = QJsonDocument::fromJson(providers.body).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("fake"));
        QCOMPARE(list[0].toObject().value(QStringLiteral("displayName")).toString(), QStringLiteral("Fake IdP"));

        // The preferred name is taken by a local account: digits are added.
        QCOMPARE(c.registerUser(QStringLiteral("oscar")).status, 201);
        FakeOidcProvider::Claims claims;
        claims.sub = QStringLiteral("oidc-oscar-remote");
        claims.email = QStringLiteral("oscar.remote@example.net");
        claims.emailVerified = true;
        claims.preferredUsername = QStringLiteral("Oscar");
        const HttpResult first = oauthLogin(claims);
        QCOMPARE(first.status, 200);
        const QString token = accessToken(first);
        QVERIFY(!token.isEmpty());
        QVERIFY(!first.json().value(QStringLiteral("refreshToken")).toString().isEmpty());
        const QJsonObject user = userOf(first);
        QCOMPARE(user.value(QStringLiteral("username")).toString().toLower(), QStringLiteral("oscar2"));
        QCOMPARE(user.value(QStringLiteral("email")).toString(), claims.email);
        QCOMPARE(user.value(QStringLiteral("emailVerified")).toBool(), true);
        const HttpResult me = c.get(QStringLiteral("/v1/auth/me"), token);
        QCOMPARE(me.status, 200);
        const qint64 id = userOf(me).value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);

        // The state is single use.
        QCOMPARE(c.post(QStringLiteral("/v1/auth/oauth/fake/callback"), m_lastCallback).status, 400);

        // Second login: the same account.
        const HttpResult second = oauthLogin(claims);
        QCOMPARE(second.status, 200);
        QCOMPARE(userOf(second).value(QStringLiteral("id")).toInteger(), id);

        const HttpResult ids = c.get(QStringLiteral("/v1/auth/identities"), token);
        QCOMPARE(ids.status, 200);
        const QJsonArray idList = QJsonDocument::fromJson(ids.body).array();
        QCOMPARE(idList.size(), 1);
        QCOMPARE(idList[0].toObject().value(QStringLiteral("provider")).toString(), QStringLiteral("fake"));
        QCOMPARE(idList[0].toObject().value(QStringLiteral("email")).toString(), claims.email);
        // No password and no other identity: unlinking would lock the account out.
        const HttpResult unlink = c.call("DELETE", QStringLiteral("/v1/auth/identities/fake"), {}, token);
        QCOMPARE(unlink.status, 409);
        QCOMPARE(c.call("DELETE", QStringLiteral("/v1/auth/identities/other"), {}, token).status, 404);
        // Without a password the account cannot log in with one.
        QCOMPARE(c.login(user.value(QStringLiteral("username")).toString(), QStringLiteral("")).status, 400);
        QCOMPARE(c.login(claims.email, QStringLiteral("long enough pass 1")).status, 401);
    }

    void oauthNewAccountNames()
    {
        // Reserved and invalid preferred names are not used.
        FakeOidcProvider::Claims claims;
        claims.sub = QStringLiteral("oidc-reserved");
        claims.email = QStringLiteral("ME@example.net");
        claims.preferredUsername = QStringLiteral("Me");
        const HttpResult r = oauthLogin(claims);
        QCOMPARE(r.status, 200);
        const QString name = userOf(r).value(QStringLiteral("username")).toString();
        QVERIFY2(name.size() >= 3 && name.toLower() != QLatin1String("me"), qPrintable(name));

        // No preferred name: the email's local part, cleaned.
        claims.sub = QStringLiteral("oidc-local-part");
        claims.email = QStringLiteral("x+Peggy Sue@example.net");
        claims.preferredUsername.clear();
        const HttpResult l = oauthLogin(claims);
        QCOMPARE(l.status, 200);
        QCOMPARE(userOf(l).value(QStringLiteral("username")).toString(), QStringLiteral("xPeggySue"));

        // An unverified email is neither stored nor matched.
        claims.sub = QStringLiteral("oidc-unverified");
        claims.email = QStringLiteral("tina@example.org");
        claims.emailVerified = false;
        claims.preferredUsername = QStringLiteral("admin");
        const HttpResult u = oauthLogin(claims);
        QCOMPARE(u.status, 200);
        QVERIFY(userOf(u).value(QStringLiteral("email")).isNull());
        QVERIFY(userOf(u).value(QStringLiteral("username")).toString().toLower() != QLatin1String("admin"));

        // A verified email that a local account uses: refused, nothing created.
        claims.sub = QStringLiteral("oidc-clash");
        claims.email = QStringLiteral("OSCAR@example.org");
        claims.emailVerified = true;
        claims.preferredUsername = QStringLiteral("someone-new");
        const HttpResult clash = oauthLogin(claims);
        QCOMPARE(clash.status, 409);
        QCOMPARE(c.get(QStringLiteral("/v1/admin/users/someone-new"), c.adminToken).status, 404);
    }

    void oauthLinkAndUnlink()
    {
        const QString token = c.userToken(QStringLiteral("pia"));
        FakeOidcProvider::Claims claims;
        claims.sub = QStringLiteral("oidc-pia");
        claims.email = QStringLiteral("pia.remote@example.net");
        claims.preferredUsername = QStringLiteral("pia-remote");
        const HttpResult link = oauthLogin(claims, token);
        QCOMPARE(link.status, 200);
        QCOMPARE(link.json().value(QStringLiteral("linked")).toBool(), true);
        // Logging in with the identity now reaches pia's account.
        const HttpResult in = oauthLogin(claims);
        QCOMPARE(in.status, 200);
        QCOMPARE(userOf(in).value(QStringLiteral("username")).toString(), QStringLiteral("pia"));
        QCOMPARE(QJsonDocument::fromJson(c.get(QStringLiteral("/v1/auth/identities"), token).body).array().size(), 1);
        // pia has a password: unlinking is fine.
        QCOMPARE(c.call("DELETE", QStringLiteral("/v1/auth/identities/fake"), {}, token).status, 204);
        QCOMPARE(QJsonDocument::fromJson(c.get(QStringLiteral("/v1/auth/identities"), token).body).array().size(), 0);
    }

    void oauthLoginNeedsSecondFactorAndRefusesSuspended()
    {
        FakeOidcProvider::Claims claims;
        claims.sub = QStringLiteral("oidc-quinn");
        claims.email = QStringLiteral("quinn@example.net");
        claims.preferredUsername = QStringLiteral("quinn");
        const HttpResult first = oauthLogin(claims);
        QCOMPARE(first.status, 200);
        const QString token = accessToken(first);
        const QByteArray secret = enableTotp(token);
        QVERIFY(!secret.isEmpty());
        const HttpResult second = oauthLogin(claims);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json().value(QStringLiteral("mfaRequired")).toBool(), true);
        const HttpResult done = c.post(QStringLiteral("/v1/auth/login/2fa"),
                                       {{"mfaToken", second.json().value(QStringLiteral("mfaToken")).toString()},
                                        {"code", nextCode(secret)}});
        QCOMPARE(done.status, 200);
        QVERIFY(!accessToken(done).isEmpty());

        const QString name = userOf(first).value(QStringLiteral("username")).toString();
        QCOMPARE(c.post(QStringLiteral("/v1/admin/users/") + name + QStringLiteral("/disable-2fa"), {}, c.adminToken).status, 200);
        QCOMPARE(c.post(QStringLiteral("/v1/admin/users/") + name + QStringLiteral("/suspend"), {}, c.adminToken).status, 200);
        QCOMPARE(oauthLogin(claims).status, 403);
    }
};

QTEST_GUILESS_MAIN(TstAuthMfaE2e)
#include "tst_authmfa_e2e.moc"
