// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// OAuthClient against the in-process FakeOidcProvider: authorization URL, token exchange
// with PKCE, userinfo, and every way the provider can refuse; provider config parsing.

#include "fakeoidcprovider.h"
#include "oauthprovider.h"
#include "pkce.h"

#include <QTcpServer>
#include <QtTest>

using namespace Auth::Mfa;
using Community::ErrorCode;
using Community::Test::FakeOidcProvider;

class TstOAuthClient : public QObject {
    Q_OBJECT

    FakeOidcProvider m_idp;
    const QString m_redirect = QStringLiteral("https://app.example/oauth/callback?from=test");

    OAuthProviderConfig config(const QString &secret = {}) const
    {
        OAuthProviderConfig c;
        c.id = QStringLiteral("fake");
        c.displayName = QStringLiteral("Fake IdP");
        c.authorizationEndpoint = m_idp.url(QStringLiteral("/authorize"));
        c.tokenEndpoint = m_idp.url(QStringLiteral("/token"));
        c.userinfoEndpoint = m_idp.url(QStringLiteral("/userinfo"));
        c.clientId = m_idp.clientId();
        c.clientSecret = Community::Secret(secret.isEmpty() ? m_idp.clientSecret() : secret);
        c.redirectUri = m_redirect;
        c.timeoutMs = 3000;
        return c;
    }

    /// Runs the browser part: returns the code the provider redirected back with.
    QString authorize(const OAuthClient &client, const QString &state, const QString &verifier)
    {
        const QUrl location = m_idp.approve(client.authorizationUrl(state, Pkce::challengeS256(verifier), m_redirect));
        const QUrlQuery q(location);
        if (q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded) != state)
            return {};
        return q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_idp.start()); }

    void authorizationUrlCarriesPkce()
    {
        OAuthClient client(config());
        const QUrl url = client.authorizationUrl(QStringLiteral("st&te+1"), QStringLiteral("chal"), m_redirect);
        const QUrlQuery q(url);
        QCOMPARE(q.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
        QCOMPARE(q.queryItemValue(QStringLiteral("client_id")), m_idp.clientId());
        QCOMPARE(q.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded), m_redirect);
        QCOMPARE(q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded), QStringLiteral("st&te+1"));
        QCOMPARE(q.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded), QStringLiteral("openid email profile"));
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    }

    void exchangeAndUserInfo()
    {
        FakeOidcProvider::Claims claims;
        claims.sub = QStringLiteral("sub-42");
        claims.email = QStringLiteral("carol@example.org");
        claims.preferredUsername = QStringLiteral("carol");
        m_idp.setClaims(claims);
        m_idp.clearReceived();
        OAuthClient client(config());
        const QString verifier = Pkce::generateVerifier();
        const QString code = authorize(client, QStringLiteral("state-1"), verifier);
        QVERIFY(!code.isEmpty());
        auto tokens = client.exchangeCode(code, verifier, m_redirect);
        QVERIFY2(tokens, tokens ? "" : qPrintable(tokens.error().logDetail));
        QVERIFY(!tokens->accessToken.isEmpty());
        QCOMPARE(tokens->idToken, QStringLiteral("fake.id.token"));
        auto info = client.fetchUserInfo(tokens->accessToken);
        QVERIFY2(info, info ? "" : qPrintable(info.error().logDetail));
        QCOMPARE(info->subject, QStringLiteral("sub-42"));
        QCOMPARE(info->email, QStringLiteral("carol@example.org"));
        QVERIFY(info->emailVerified);
        QCOMPARE(info->preferredUsername, QStringLiteral("carol"));

        // What the provider received: PKCE verifier and client secret in the form.
        const auto rec = m_idp.received();
        QCOMPARE(rec.size(), 3);
        QCOMPARE(rec.at(1).path, QStringLiteral("/token"));
        QCOMPARE(rec.at(1).status, 200);
        QCOMPARE(rec.at(1).form.value(QStringLiteral("code_verifier")), verifier);
        QCOMPARE(rec.at(1).form.value(QStringLiteral("client_secret")), m_idp.clientSecret());
        QCOMPARE(rec.at(1).form.value(QStringLiteral("redirect_uri")), m_redirect);
        QCOMPARE(rec.at(2).authorization, "Bearer " + tokens->accessToken.toLatin1());
    }

    void wrongVerifierIsInvalidGrant()
    {
        OAuthClient client(config());
        const QString code = authorize(client, QStringLiteral("s"), Pkce::generateVerifier());
        auto tokens = client.exchangeCode(code, Pkce::generateVerifier(), m_redirect);
        QVERIFY(!tokens);
        QCOMPARE(tokens.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(tokens.error().fields.value(0).field, QStringLiteral("code"));
    }

    void codeIsSingleUse()
    {
        OAuthClient client(config());
        const QString verifier = Pkce::generateVerifier();
        const QString code = authorize(client, QStringLiteral("s"), verifier);
        QVERIFY(client.exchangeCode(code, verifier, m_redirect));
        auto again = client.exchangeCode(code, verifier, m_redirect);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::InvalidArgument);
    }

    void wrongClientSecretIsUnavailable()
    {
        OAuthClient good(config());
        OAuthClient bad(config(QStringLiteral("not-the-secret")));
        const QString verifier = Pkce::generateVerifier();
        const QString code = authorize(good, QStringLiteral("s"), verifier);
        auto tokens = bad.exchangeCode(code, verifier, m_redirect);
        QVERIFY(!tokens);
        QCOMPARE(tokens.error().code, ErrorCode::Unavailable);
        QVERIFY(tokens.error().logDetail.contains(QStringLiteral("invalid_client")));
        QVERIFY(!tokens.error().message.contains(QStringLiteral("not-the-secret")));
    }

    void wrongRedirectUriRefused()
    {
        OAuthClient client(config());
        const QString verifier = Pkce::generateVerifier();
        const QString code = authorize(client, QStringLiteral("s"), verifier);
        auto tokens = client.exchangeCode(code, verifier, QStringLiteral("https://evil.example/cb"));
        QVERIFY(!tokens);
        QCOMPARE(tokens.error().code, ErrorCode::InvalidArgument);
    }

    void badAccessTokenRefused()
    {
        OAuthClient client(config());
        auto info = client.fetchUserInfo(QStringLiteral("forged"));
        QVERIFY(!info);
        QCOMPARE(info.error().code, ErrorCode::Unavailable);
    }

    void unreachableAndTimeout()
    {
        QTcpServer silent;  // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        auto c = config();
        c.tokenEndpoint = QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(silent.serverPort()));
        c.timeoutMs = 300;
        QElapsedTimer t;
        t.start();
        auto r = OAuthClient(c).exchangeCode(QStringLiteral("x"), Pkce::generateVerifier(), m_redirect);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Unavailable);
        QVERIFY(r.error().logDetail.contains(QStringLiteral("timed out")));
        QVERIFY(t.elapsed() < 3000);

        const quint16 port = silent.serverPort();
        silent.close();
        c.tokenEndpoint = QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(port));
        auto refused = OAuthClient(c).exchangeCode(QStringLiteral("x"), Pkce::generateVerifier(), m_redirect);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Unavailable);
    }

    void configParsing()
    {
        const QJsonObject good{
            {QStringLiteral("displayName"), QStringLiteral("Example")},
            {QStringLiteral("authorizationEndpoint"), QStringLiteral("https://idp.example/authorize")},
            {QStringLiteral("tokenEndpoint"), QStringLiteral("https://idp.example/token")},
            {QStringLiteral("userinfoEndpoint"), QStringLiteral("https://idp.example/userinfo")},
            {QStringLiteral("clientId"), QStringLiteral("cid")},
            {QStringLiteral("clientSecret"), QStringLiteral("csecret")},
            {QStringLiteral("redirectUri"), QStringLiteral("https://app.example/cb")},
        };
        Community::ConfigReader r(good, QStringLiteral("plugins.auth.mfa.oauth.example"));
        auto c = parseProviderConfig(QStringLiteral("example"), r);
        QVERIFY(c);
        QCOMPARE(c->clientSecret.reveal(), QStringLiteral("csecret"));
        QCOMPARE(c->scopes, (QStringList{QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("profile")}));

        QJsonObject extra = good;
        extra.insert(QStringLiteral("clientSecrte"), QStringLiteral("typo"));
        extra.remove(QStringLiteral("tokenEndpoint"));
        extra.insert(QStringLiteral("userinfoEndpoint"), QStringLiteral("not a url"));
        Community::ConfigReader r2(extra, QStringLiteral("p"));
        auto bad = parseProviderConfig(QStringLiteral("example"), r2);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::Config);
        QStringList fields;
        for (const auto &f : bad.error().fields)
            fields << f.field;
        QVERIFY2(fields.contains(QStringLiteral("p.clientSecrte")), qPrintable(fields.join(u',')));
        QVERIFY(fields.contains(QStringLiteral("p.tokenEndpoint")));
        QVERIFY(fields.contains(QStringLiteral("p.userinfoEndpoint")));
    }
};

QTEST_GUILESS_MAIN(TstOAuthClient)
#include "tst_oauthclient.moc"
