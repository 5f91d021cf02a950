// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The 2FA and OAuth routes in process: a fresh database with the auth tables this module
// uses, Router + Pipeline + HttpServer on loopback, a stub authenticator ("Bearer user-<id>")
// and the FakeOidcProvider. The daemon-level end-to-end test comes with the auth plugin.

#include "daemonprocess.h"
#include "fakeoidcprovider.h"
#include "mfamodule.h"
#include "totp.h"

#include "community/contracts/auth.h"
#include "community/database.h"
#include "community/host/httpserver.h"
#include "community/host/pipeline.h"
#include "community/router.h"
#include "testdb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <QtTest>

#include <atomic>

using namespace Community;
using namespace Community::Test;
using namespace Auth::Mfa;

namespace {

class StubAuthenticator : public Contracts::IAuthenticator {
public:
    Result<Principal> authenticate(QByteArrayView bearer) const override
    {
        const QByteArray b = bearer.toByteArray();
        if (!b.startsWith("user-"))
            return fail(ErrorCode::Unauthorized, QStringLiteral("bad token"));
        Principal p;
        p.kind = Principal::Kind::User;
        p.userId = b.mid(5).toLongLong();
        p.username = QStringLiteral("user%1").arg(p.userId);
        return p;
    }
};

const char *kSchema = R"SQL(
CREATE SCHEMA auth;
CREATE TABLE auth.users (id bigserial PRIMARY KEY, username text UNIQUE NOT NULL, email text UNIQUE,
                         password_hash text);
CREATE TABLE auth.totp (user_id bigint PRIMARY KEY REFERENCES auth.users ON DELETE CASCADE,
                        secret bytea NOT NULL, enabled_at timestamptz, created_at timestamptz DEFAULT now(),
                        last_used_step bigint);
CREATE TABLE auth.recovery_codes (user_id bigint REFERENCES auth.users ON DELETE CASCADE,
                                  code_hash text NOT NULL, used_at timestamptz, PRIMARY KEY (user_id, code_hash));
CREATE TABLE auth.oauth_identities (provider text, subject text, user_id bigint REFERENCES auth.users ON DELETE CASCADE,
                                    email text, created_at timestamptz DEFAULT now(), PRIMARY KEY (provider, subject));
CREATE TABLE auth.oauth_states (state text PRIMARY KEY, provider text NOT NULL, code_verifier text NOT NULL,
                                redirect_uri text, link_user_id bigint, expires_at timestamptz NOT NULL);
CREATE TABLE auth.mfa_challenges (token_hash text PRIMARY KEY,
                                  user_id bigint NOT NULL REFERENCES auth.users ON DELETE CASCADE,
                                  user_agent text, ip text, expires_at timestamptz NOT NULL, used_at timestamptz);
INSERT INTO auth.users (username, email, password_hash) VALUES ('alice', 'alice@example.org', 'alice-pw');
)SQL";

const QString kRedirect = QStringLiteral("https://app.example/oauth/done");

} // namespace

class TstMfaRoutes : public QObject {
    Q_OBJECT

    std::unique_ptr<TestDb> m_tdb;
    std::unique_ptr<Db::Database> m_db;
    std::unique_ptr<MfaModule> m_mfa;
    Http::Router m_router;
    StubAuthenticator m_auth;
    std::unique_ptr<Http::Pipeline> m_pipeline;
    std::unique_ptr<Http::HttpServer> m_server;
    FakeOidcProvider m_idp;
    std::atomic<qint64> m_now{1'700'000'000};
    const qint64 m_alice = 1;
    QByteArray m_secret;          // alice's TOTP secret
    QStringList m_recovery;       // alice's recovery codes

    HttpResult call(const QByteArray &method, const QString &path, const QJsonObject &body = {}, qint64 asUser = 0,
                    bool sendBody = true)
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"User-Agent", "tst_mfaroutes"}};
        if (asUser > 0)
            headers.append({"Authorization", "Bearer user-" + QByteArray::number(asUser)});
        QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()));
        const int q = path.indexOf(QLatin1Char('?'));
        url.setPath(q < 0 ? path : path.left(q));
        if (q >= 0)
            url.setQuery(path.mid(q + 1));
        const QByteArray payload = (method == "GET" || method == "DELETE" || !sendBody)
                                       ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
        return httpRequest(url, method, payload, headers);
    }

    static QJsonArray jsonArray(const HttpResult &r) { return QJsonDocument::fromJson(r.body).array(); }

    static QStringList errorCodes(const HttpResult &r)
    {
        QStringList out;
        for (const QJsonValue &e : r.json().value(QStringLiteral("errors")).toArray())
            out << e[QStringLiteral("field")].toString() + QLatin1Char(':') + e[QStringLiteral("code")].toString();
        return out;
    }

    template<typename T>
    T sql(const std::function<T(pqxx::work &)> &f)
    {
        auto r = m_db->transact<T>([&](pqxx::work &tx) -> Result<T> { return f(tx); });
        if (!r)
            qFatal("sql: %s", qPrintable(r.error().logDetail));
        return *r;
    }
    qint64 count(const std::string &query)
    {
        return sql<qint64>([&](pqxx::work &tx) { return tx.exec(query)[0][0].as<qint64>(); });
    }
    QString challenge(qint64 userId)
    {
        return sql<QString>([&](pqxx::work &tx) {
            return *createChallenge(tx, userId, QStringLiteral("ua"), QStringLiteral("127.0.0.1"));
        });
    }
    QString currentCode() const { return totpAt(m_secret, m_now); }

    OAuthProviderConfig provider(const QString &id) const
    {
        OAuthProviderConfig c;
        c.id = id;
        c.displayName = id == QLatin1String("fake") ? QStringLiteral("Fake IdP") : QStringLiteral("Other");
        c.authorizationEndpoint = m_idp.url(QStringLiteral("/authorize"));
        c.tokenEndpoint = m_idp.url(QStringLiteral("/token"));
        c.userinfoEndpoint = m_idp.url(QStringLiteral("/userinfo"));
        c.clientId = m_idp.clientId();
        c.clientSecret = Secret(m_idp.clientSecret());
        c.redirectUri = kRedirect;
        c.timeoutMs = 5000;
        return c;
    }

    /// authorize -> provider approves -> callback; returns the callback's answer.
    HttpResult oauthLogin(const QString &providerId, qint64 asUser = 0, QString *stateOut = nullptr)
    {
        const HttpResult a = call("GET", QStringLiteral("/v1/auth/oauth/%1/authorize").arg(providerId), {}, asUser);
        if (a.status != 200)
            return a;
        const QUrl location = m_idp.approve(QUrl(a.json().value(QStringLiteral("authorizationUrl")).toString()));
        const QUrlQuery q(location);
        const QString state = q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
        if (state != a.json().value(QStringLiteral("state")).toString() || !location.toString().startsWith(kRedirect))
            return HttpResult{};
        if (stateOut)
            *stateOut = state;
        return call("POST", QStringLiteral("/v1/auth/oauth/%1/callback").arg(providerId),
                    {{QStringLiteral("code"), q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded)},
                     {QStringLiteral("state"), state}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_idp.start());
        m_tdb = std::make_unique<TestDb>();
        m_db = std::make_unique<Db::Database>(m_tdb->config(4));
        QVERIFY(m_db->open());
        sql<int>([](pqxx::work &tx) { tx.exec(kSchema); return 0; });

        Hooks hooks;
        hooks.issueSession = [](pqxx::work &, qint64 userId, const QString &ua, const QString &ip) -> Result<QJsonObject> {
            return QJsonObject{{QStringLiteral("accessToken"), QStringLiteral("session-for-%1").arg(userId)},
                               {QStringLiteral("userId"), userId},
                               {QStringLiteral("userAgent"), ua},
                               {QStringLiteral("ip"), ip}};
        };
        hooks.verifyPassword = [](pqxx::work &tx, qint64 userId, const QString &pw) -> Result<bool> {
            const auto r = tx.exec_params("SELECT password_hash = $2 FROM auth.users WHERE id = $1", userId, pw.toStdString());
            return !r.empty() && !r[0][0].is_null() && r[0][0].as<bool>();
        };
        hooks.createUser = [](pqxx::work &tx, const QString &name, const QString &email) -> Result<qint64> {
            const QString base = name.isEmpty() ? QStringLiteral("user") : name;
            const auto n = tx.exec_params("SELECT count(*) FROM auth.users WHERE username LIKE $1 || '%'", base.toStdString());
            const QString username = n[0][0].as<qint64>() == 0 ? base : base + QString::number(n[0][0].as<qint64>() + 1);
            const auto r = tx.exec_params("INSERT INTO auth.users (username, email) VALUES ($1, NULLIF($2, '')) RETURNING id",
                                          username.toStdString(), email.toStdString());
            return r[0][0].as<qint64>();
        };
        hooks.hasPassword = [](pqxx::work &tx, qint64 userId) -> Result<bool> {
            return !tx.exec_params("SELECT 1 FROM auth.users WHERE id = $1 AND password_hash IS NOT NULL", userId).empty();
        };
        Auth::Mfa::Config config;
        config.issuer = QStringLiteral("Community Test");
        config.providers = {provider(QStringLiteral("fake")), provider(QStringLiteral("other"))};
        config.recoveryCodePepper = Secret(QStringLiteral("test-pepper"));
        config.clock = [this] { return m_now.load(); };
        auto mfa = MfaModule::create(*m_db, hooks, config);
        QVERIFY2(mfa, mfa ? "" : qPrintable(mfa.error().message));
        m_mfa = std::move(*mfa);
        auto reg = m_router.add(m_mfa->routes());
        QVERIFY2(reg, reg ? "" : qPrintable(reg.error().message));

        Http::PipelineConfig pc;
        pc.accessLog = QStringLiteral("off");
        m_pipeline = std::make_unique<Http::Pipeline>(m_router, pc, nullptr);
        m_pipeline->setAuthenticator(&m_auth);
        Http::HttpServerConfig sc;
        sc.port = 0;
        m_server = std::make_unique<Http::HttpServer>(sc);
        m_server->setHandler([this](Http::HttpRequest &req, const Http::Responder &res) { m_pipeline->handle(req, res); });
        QVERIFY(m_server->listen());
    }

    void cleanupTestCase()
    {
        m_server.reset();
        if (m_db)
            m_db->close();
    }

    void configParsing()
    {
        QJsonObject root{
            {QStringLiteral("issuer"), QStringLiteral("Forum")},
            {QStringLiteral("oauthProviders"), QJsonArray{QStringLiteral("gh")}},
            {QStringLiteral("oauth"), QJsonObject{
                {QStringLiteral("gh"), QJsonObject{
                    {QStringLiteral("authorizationEndpoint"), QStringLiteral("https://gh.example/authorize")},
                    {QStringLiteral("tokenEndpoint"), QStringLiteral("https://gh.example/token")},
                    {QStringLiteral("userinfoEndpoint"), QStringLiteral("https://gh.example/userinfo")},
                    {QStringLiteral("clientId"), QStringLiteral("id")},
                    {QStringLiteral("clientSecret"), QStringLiteral("secret")},
                    {QStringLiteral("redirectUri"), QStringLiteral("https://forum.example/cb")}}}}},
        };
        ConfigReader ok(root, QStringLiteral("plugins.auth.mfa"));
        auto c = parseConfig(ok);
        QVERIFY2(c, c ? "" : qPrintable(formatErrors(c.error())));
        QCOMPARE(c->issuer, QStringLiteral("Forum"));
        QCOMPARE(c->providers.size(), 1);
        QCOMPARE(c->providers.first().displayName, QStringLiteral("gh"));

        root.insert(QStringLiteral("isuer"), QStringLiteral("typo"));
        QJsonObject oauth = root.value(QStringLiteral("oauth")).toObject();
        oauth.insert(QStringLiteral("notlisted"), QJsonObject{});
        root.insert(QStringLiteral("oauth"), oauth);
        ConfigReader bad(root, QStringLiteral("plugins.auth.mfa"));
        auto e = parseConfig(bad);
        QVERIFY(!e);
        const QString text = formatErrors(e.error());
        QVERIFY2(text.contains(QStringLiteral("plugins.auth.mfa.isuer")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("plugins.auth.mfa.oauth.notlisted")), qPrintable(text));
    }

    void enrolNeedsAuthentication()
    {
        QCOMPARE(call("POST", QStringLiteral("/v1/auth/2fa/enrol")).status, 401);
        QCOMPARE(call("GET", QStringLiteral("/v1/auth/identities")).status, 401);
    }

    void enrolAndEnable()
    {
        auto first = call("POST", QStringLiteral("/v1/auth/2fa/enrol"), {}, m_alice, false);
        QCOMPARE(first.status, 200);
        // Re-enrolling before enabling replaces the pending secret.
        auto e = call("POST", QStringLiteral("/v1/auth/2fa/enrol"), {}, m_alice);
        QCOMPARE(e.status, 200);
        const QString secretText = e.json().value(QStringLiteral("secret")).toString();
        QVERIFY(secretText != first.json().value(QStringLiteral("secret")).toString());
        m_secret = *Base32::decode(secretText.toLatin1());
        QCOMPARE(m_secret.size(), 20);
        QCOMPARE(e.json().value(QStringLiteral("otpauthUri")).toString(),
                 QStringLiteral("otpauth://totp/Community%20Test:alice?secret=") + secretText
                     + QStringLiteral("&issuer=Community%20Test&algorithm=SHA1&digits=6&period=30"));
        QCOMPARE(count("SELECT count(*) FROM auth.totp WHERE enabled_at IS NULL"), 1);

        // Validation: unknown field and wrong type, nothing written.
        auto v = call("POST", QStringLiteral("/v1/auth/2fa/enable"), {{QStringLiteral("code"), 123456}, {QStringLiteral("x"), 1}}, m_alice);
        QCOMPARE(v.status, 400);
        QCOMPARE(v.json().value(QStringLiteral("type")).toString(), QStringLiteral("https://community.example/problems/validation"));
        QCOMPARE(errorCodes(v), (QStringList{QStringLiteral("code:type"), QStringLiteral("x:unknown_field")}));

        // A code of the replaced secret is wrong.
        const QByteArray oldSecret = *Base32::decode(first.json().value(QStringLiteral("secret")).toString().toLatin1());
        auto wrong = call("POST", QStringLiteral("/v1/auth/2fa/enable"), {{QStringLiteral("code"), totpAt(oldSecret, m_now)}}, m_alice);
        QCOMPARE(wrong.status, 400);
        QCOMPARE(errorCodes(wrong), QStringList{QStringLiteral("code:incorrect")});
        QCOMPARE(count("SELECT count(*) FROM auth.totp WHERE enabled_at IS NOT NULL"), 0);

        auto ok = call("POST", QStringLiteral("/v1/auth/2fa/enable"), {{QStringLiteral("code"), currentCode()}}, m_alice);
        QCOMPARE(ok.status, 200);
        for (const QJsonValue &c : ok.json().value(QStringLiteral("recoveryCodes")).toArray())
            m_recovery << c.toString();
        QCOMPARE(m_recovery.size(), 10);
        QCOMPARE(count("SELECT count(*) FROM auth.recovery_codes WHERE user_id = 1 AND used_at IS NULL"), 10);
        QCOMPARE(count("SELECT count(*) FROM auth.recovery_codes WHERE code_hash LIKE '%-%'"), 0);

        QCOMPARE(call("POST", QStringLiteral("/v1/auth/2fa/enrol"), {}, m_alice).status, 409);
        QCOMPARE(call("POST", QStringLiteral("/v1/auth/2fa/enable"), {{QStringLiteral("code"), currentCode()}}, m_alice).status, 409);
    }

    void loginWithCode()
    {
        // The enabling code's step is used: the same code cannot log in (replay).
        const QString token = challenge(m_alice);
        auto replay = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                           {{QStringLiteral("mfaToken"), token}, {QStringLiteral("code"), currentCode()}});
        QCOMPARE(replay.status, 401);

        m_now += 30;
        // The wrong code consumed that challenge.
        auto used = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                         {{QStringLiteral("mfaToken"), token}, {QStringLiteral("code"), currentCode()}});
        QCOMPARE(used.status, 401);

        const QString t2 = challenge(m_alice);
        // Bad input first: nothing consumed.
        auto bad = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                        {{QStringLiteral("mfaToken"), t2}, {QStringLiteral("code"), currentCode()},
                         {QStringLiteral("recoveryCode"), m_recovery.at(0)}});
        QCOMPARE(bad.status, 400);
        auto extra = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                          {{QStringLiteral("mfaToken"), t2}, {QStringLiteral("code"), currentCode()}, {QStringLiteral("remember"), true}});
        QCOMPARE(extra.status, 400);
        QCOMPARE(errorCodes(extra), QStringList{QStringLiteral("remember:unknown_field")});

        auto ok = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                       {{QStringLiteral("mfaToken"), t2}, {QStringLiteral("code"), currentCode()}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value(QStringLiteral("accessToken")).toString(), QStringLiteral("session-for-1"));
        QCOMPARE(ok.json().value(QStringLiteral("userAgent")).toString(), QStringLiteral("tst_mfaroutes"));

        // Single use.
        m_now += 30;
        auto again = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                          {{QStringLiteral("mfaToken"), t2}, {QStringLiteral("code"), currentCode()}});
        QCOMPARE(again.status, 401);

        // Expired.
        const QString t3 = challenge(m_alice);
        sql<int>([](pqxx::work &tx) { tx.exec("UPDATE auth.mfa_challenges SET expires_at = now() - interval '1 second' WHERE used_at IS NULL"); return 0; });
        QCOMPARE(call("POST", QStringLiteral("/v1/auth/login/2fa"),
                      {{QStringLiteral("mfaToken"), t3}, {QStringLiteral("code"), currentCode()}}).status, 401);
        // The previous step (window -1) works once the clock moved on.
        const QString t4 = challenge(m_alice);
        m_now += 30;
        QCOMPARE(call("POST", QStringLiteral("/v1/auth/login/2fa"),
                      {{QStringLiteral("mfaToken"), t4}, {QStringLiteral("code"), totpAt(m_secret, m_now - 30)}}).status, 200);
    }

    void loginWithRecoveryCode()
    {
        const QString t = challenge(m_alice);
        auto ok = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                       {{QStringLiteral("mfaToken"), t}, {QStringLiteral("recoveryCode"), m_recovery.at(0).toUpper()}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value(QStringLiteral("recoveryCodesRemaining")).toInt(), 9);
        auto reuse = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                          {{QStringLiteral("mfaToken"), challenge(m_alice)}, {QStringLiteral("recoveryCode"), m_recovery.at(0)}});
        QCOMPARE(reuse.status, 401);
        QCOMPARE(count("SELECT count(*) FROM auth.recovery_codes WHERE used_at IS NOT NULL"), 1);
    }

    void regenerateRecoveryCodes()
    {
        m_now += 30;
        auto wrongPw = call("POST", QStringLiteral("/v1/auth/2fa/recovery-codes"),
                            {{QStringLiteral("password"), QStringLiteral("nope")}, {QStringLiteral("code"), currentCode()}}, m_alice);
        QCOMPARE(wrongPw.status, 400);
        QCOMPARE(errorCodes(wrongPw), QStringList{QStringLiteral("password:incorrect")});
        auto ok = call("POST", QStringLiteral("/v1/auth/2fa/recovery-codes"),
                       {{QStringLiteral("password"), QStringLiteral("alice-pw")}, {QStringLiteral("code"), currentCode()}}, m_alice);
        QCOMPARE(ok.status, 200);
        const QStringList old = m_recovery;
        m_recovery.clear();
        for (const QJsonValue &c : ok.json().value(QStringLiteral("recoveryCodes")).toArray())
            m_recovery << c.toString();
        QCOMPARE(m_recovery.size(), 10);
        QCOMPARE(count("SELECT count(*) FROM auth.recovery_codes WHERE user_id = 1"), 10);
        auto oldCode = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                            {{QStringLiteral("mfaToken"), challenge(m_alice)}, {QStringLiteral("recoveryCode"), old.at(5)}});
        QCOMPARE(oldCode.status, 401);
    }

    void disable()
    {
        m_now += 30;
        auto wrongPw = call("POST", QStringLiteral("/v1/auth/2fa/disable"),
                            {{QStringLiteral("password"), QStringLiteral("nope")}, {QStringLiteral("code"), currentCode()}}, m_alice);
        QCOMPARE(wrongPw.status, 400);
        auto wrongCode = call("POST", QStringLiteral("/v1/auth/2fa/disable"),
                              {{QStringLiteral("password"), QStringLiteral("alice-pw")}, {QStringLiteral("code"), QStringLiteral("000000")}}, m_alice);
        QCOMPARE(wrongCode.status, 400);
        QCOMPARE(count("SELECT count(*) FROM auth.totp WHERE enabled_at IS NOT NULL"), 1);
        // With a recovery code instead of the app.
        auto ok = call("POST", QStringLiteral("/v1/auth/2fa/disable"),
                       {{QStringLiteral("password"), QStringLiteral("alice-pw")}, {QStringLiteral("code"), m_recovery.at(1)}}, m_alice);
        QCOMPARE(ok.status, 204);
        QCOMPARE(count("SELECT count(*) FROM auth.totp"), 0);
        QCOMPARE(count("SELECT count(*) FROM auth.recovery_codes"), 0);
        QCOMPARE(call("POST", QStringLiteral("/v1/auth/2fa/disable"),
                      {{QStringLiteral("password"), QStringLiteral("alice-pw")}, {QStringLiteral("code"), currentCode()}}, m_alice).status, 409);
    }

    void providersListed()
    {
        auto r = call("GET", QStringLiteral("/v1/auth/oauth/providers"));
        QCOMPARE(r.status, 200);
        const QJsonArray a = jsonArray(r);
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).toObject(), (QJsonObject{{QStringLiteral("id"), QStringLiteral("fake")},
                                                  {QStringLiteral("displayName"), QStringLiteral("Fake IdP")}}));
    }

    void authorizeValidation()
    {
        QCOMPARE(call("GET", QStringLiteral("/v1/auth/oauth/nope/authorize")).status, 404);
        auto redirect = call("GET", QStringLiteral("/v1/auth/oauth/fake/authorize?redirectUri=https%3A%2F%2Fevil.example%2F"));
        QCOMPARE(redirect.status, 400);
        QCOMPARE(errorCodes(redirect), QStringList{QStringLiteral("redirectUri:not_allowed")});
        auto extra = call("GET", QStringLiteral("/v1/auth/oauth/fake/authorize?foo=1"));
        QCOMPARE(extra.status, 400);
        QCOMPARE(count("SELECT count(*) FROM auth.oauth_states"), 0);
        auto ok = call("GET", QStringLiteral("/v1/auth/oauth/fake/authorize?redirectUri=") + QString::fromLatin1(QUrl::toPercentEncoding(kRedirect)));
        QCOMPARE(ok.status, 200);
        const QUrlQuery q(QUrl(ok.json().value(QStringLiteral("authorizationUrl")).toString()));
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(q.queryItemValue(QStringLiteral("state")), ok.json().value(QStringLiteral("state")).toString());
        // Only the state's hash is stored.
        QCOMPARE(count("SELECT count(*) FROM auth.oauth_states WHERE state = '" + ok.json().value(QStringLiteral("state")).toString().toStdString() + "'"), 0);
        QCOMPARE(count("SELECT count(*) FROM auth.oauth_states WHERE expires_at BETWEEN now() + interval '9 minutes' AND now() + interval '11 minutes'"), 1);
    }

    void oauthCreatesAccountThenLogsIn()
    {
        FakeOidcProvider::Claims bob;
        bob.sub = QStringLiteral("bob-sub");
        bob.email = QStringLiteral("bob@example.org");
        bob.preferredUsername = QStringLiteral("bob");
        m_idp.setClaims(bob);
        QString state;
        auto first = oauthLogin(QStringLiteral("fake"), 0, &state);
        QCOMPARE(first.status, 200);
        const qint64 bobId = first.json().value(QStringLiteral("userId")).toInteger();
        QVERIFY(bobId > m_alice);
        QCOMPARE(count("SELECT count(*) FROM auth.users WHERE username = 'bob' AND email = 'bob@example.org' AND password_hash IS NULL"), 1);
        QCOMPARE(count("SELECT count(*) FROM auth.oauth_identities WHERE provider = 'fake' AND subject = 'bob-sub'"), 1);

        // The provider saw the PKCE verifier for the challenge it was given.
        bool sawVerifier = false;
        for (const auto &rec : m_idp.received())
            sawVerifier |= rec.path == QLatin1String("/token") && rec.status == 200
                           && rec.form.value(QStringLiteral("code_verifier")).size() == 43;
        QVERIFY(sawVerifier);

        // The state is single use.
        auto replay = call("POST", QStringLiteral("/v1/auth/oauth/fake/callback"),
                           {{QStringLiteral("code"), QStringLiteral("whatever")}, {QStringLiteral("state"), state}});
        QCOMPARE(replay.status, 400);
        QCOMPARE(errorCodes(replay), QStringList{QStringLiteral("state:invalid")});

        auto second = oauthLogin(QStringLiteral("fake"));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json().value(QStringLiteral("userId")).toInteger(), bobId);
        QCOMPARE(count("SELECT count(*) FROM auth.users"), 2);
    }

    void stateBoundToProvider()
    {
        auto a = call("GET", QStringLiteral("/v1/auth/oauth/fake/authorize"));
        QCOMPARE(a.status, 200);
        const QUrl location = m_idp.approve(QUrl(a.json().value(QStringLiteral("authorizationUrl")).toString()));
        const QUrlQuery q(location);
        auto cross = call("POST", QStringLiteral("/v1/auth/oauth/other/callback"),
                          {{QStringLiteral("code"), q.queryItemValue(QStringLiteral("code"))},
                           {QStringLiteral("state"), a.json().value(QStringLiteral("state")).toString()}});
        QCOMPARE(cross.status, 400);
        auto unknown = call("POST", QStringLiteral("/v1/auth/oauth/fake/callback"),
                            {{QStringLiteral("code"), q.queryItemValue(QStringLiteral("code"))},
                             {QStringLiteral("state"), QStringLiteral("forged")}});
        QCOMPARE(unknown.status, 400);
        auto wrongType = call("POST", QStringLiteral("/v1/auth/oauth/fake/callback"),
                              {{QStringLiteral("code"), 1}, {QStringLiteral("state"), QStringLiteral("x")}});
        QCOMPARE(wrongType.status, 400);
        QCOMPARE(errorCodes(wrongType), QStringList{QStringLiteral("code:type")});
    }

    void linkListAndUnlink()
    {
        FakeOidcProvider::Claims aliceRemote;
        aliceRemote.sub = QStringLiteral("alice-remote");
        aliceRemote.email = QStringLiteral("alice.remote@example.org");
        m_idp.setClaims(aliceRemote);
        auto link = oauthLogin(QStringLiteral("fake"), m_alice);
        QCOMPARE(link.status, 200);
        QCOMPARE(link.json().value(QStringLiteral("linked")).toBool(), true);
        QCOMPARE(count("SELECT count(*) FROM auth.oauth_identities WHERE user_id = 1 AND subject = 'alice-remote'"), 1);

        // Bob's identity cannot be linked to alice.
        FakeOidcProvider::Claims bob;
        bob.sub = QStringLiteral("bob-sub");
        m_idp.setClaims(bob);
        QCOMPARE(oauthLogin(QStringLiteral("other"), m_alice).status, 200);  // other provider: a new identity
        QCOMPARE(oauthLogin(QStringLiteral("fake"), m_alice).status, 409);

        auto list = call("GET", QStringLiteral("/v1/auth/identities"), {}, m_alice);
        QCOMPARE(list.status, 200);
        const QJsonArray a = jsonArray(list);
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0)[QStringLiteral("provider")].toString(), QStringLiteral("fake"));
        QCOMPARE(a.at(0)[QStringLiteral("email")].toString(), QStringLiteral("alice.remote@example.org"));
        QVERIFY(QDateTime::fromString(a.at(0)[QStringLiteral("createdAt")].toString(), Qt::ISODateWithMs).isValid());

        // Bob (OAuth only, no password) cannot remove his only way in.
        const qint64 bobId = count("SELECT id FROM auth.users WHERE username = 'bob'");
        auto last = call("DELETE", QStringLiteral("/v1/auth/identities/fake"), {}, bobId);
        QCOMPARE(last.status, 409);
        QCOMPARE(count("SELECT count(*) FROM auth.oauth_identities WHERE subject = 'bob-sub' AND provider = 'fake'"), 1);

        // Alice has a password: both go.
        QCOMPARE(call("DELETE", QStringLiteral("/v1/auth/identities/fake"), {}, m_alice).status, 204);
        QCOMPARE(call("DELETE", QStringLiteral("/v1/auth/identities/other"), {}, m_alice).status, 204);
        QCOMPARE(call("DELETE", QStringLiteral("/v1/auth/identities/other"), {}, m_alice).status, 404);
        QCOMPARE(jsonArray(call("GET", QStringLiteral("/v1/auth/identities"), {}, m_alice)).size(), 0);
    }

    void oauthLoginHonoursTwoFactor()
    {
        // Bob enables 2FA; his next OAuth login must pass it too.
        const qint64 bobId = count("SELECT id FROM auth.users WHERE username = 'bob'");
        auto e = call("POST", QStringLiteral("/v1/auth/2fa/enrol"), {}, bobId);
        QCOMPARE(e.status, 200);
        const QByteArray secret = *Base32::decode(e.json().value(QStringLiteral("secret")).toString().toLatin1());
        QCOMPARE(call("POST", QStringLiteral("/v1/auth/2fa/enable"), {{QStringLiteral("code"), totpAt(secret, m_now)}}, bobId).status, 200);
        FakeOidcProvider::Claims bob;
        bob.sub = QStringLiteral("bob-sub");
        m_idp.setClaims(bob);
        auto r = oauthLogin(QStringLiteral("fake"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("mfaRequired")).toBool(), true);
        m_now += 30;
        auto done = call("POST", QStringLiteral("/v1/auth/login/2fa"),
                         {{QStringLiteral("mfaToken"), r.json().value(QStringLiteral("mfaToken"))}, {QStringLiteral("code"), totpAt(secret, m_now)}});
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json().value(QStringLiteral("userId")).toInteger(), bobId);
        // Bob has no password: the code alone disables 2FA.
        m_now += 30;
        QCOMPARE(call("POST", QStringLiteral("/v1/auth/2fa/disable"), {{QStringLiteral("code"), totpAt(secret, m_now)}}, bobId).status, 204);
    }
};

QTEST_GUILESS_MAIN(TstMfaRoutes)
#include "tst_mfaroutes.moc"
