// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Bad input to the auth routes: 400 with the right field errors, and nothing written.

#include "authtestclient.h"

using namespace AuthTest;

class TstAuthValidation : public QObject {
    Q_OBJECT

    DaemonProcess m_daemon;
    Client c;

    int userCount()
    {
        return c.get(QStringLiteral("/v1/admin/users?limit=100"), c.adminToken).json().value(QStringLiteral("items")).toArray().size();
    }

    static QByteArray reg(const QByteArray &username, const QByteArray &email = "\"v@example.org\"",
                          const QByteArray &password = "\"long enough pass 1\"")
    {
        return "{\"username\":" + username + ",\"email\":" + email + ",\"password\":" + password + "}";
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(startWithAdmin(m_daemon, c)); }
    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }

    void badInput_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("fields");   // field:code, all must be present

        const QString r = QStringLiteral("/v1/auth/register");
        QTest::newRow("missing all") << r << QByteArray("{}")
                                     << QStringList{"username:required", "email:required", "password:required"};
        QTest::newRow("extra field") << r << QByteArray(R"({"username":"okname","email":"a@example.org","password":"long enough pass 1","admin":true})")
                                     << QStringList{"admin:unknown_field"};
        QTest::newRow("wrong types") << r << reg("123", "[\"a@example.org\"]", "{}")
                                     << QStringList{"username:type", "email:type", "password:type"};
        QTest::newRow("null username") << r << reg("null") << QStringList{"username:required"};
        QTest::newRow("too short") << r << reg("\"ab\"") << QStringList{"username:length"};
        QTest::newRow("too long") << r << reg("\"" + QByteArray(33, 'a') + "\"") << QStringList{"username:length"};
        QTest::newRow("oversize") << r << reg("\"" + QByteArray(5000, 'a') + "\"") << QStringList{"username:too_long"};
        QTest::newRow("space") << r << reg("\"two words\"") << QStringList{"username:invalid_character"};
        QTest::newRow("starts with dot") << r << reg("\".hidden\"") << QStringList{"username:invalid_start"};
        QTest::newRow("control char") << r << reg("\"bad\\u0007name\"") << QStringList{"username:invalid_characters"};
        QTest::newRow("newline") << r << reg("\"bad\\nname\"") << QStringList{"username:invalid_characters"};
        QTest::newRow("nul") << r << reg("\"bad\\u0000name\"") << QStringList{"username:invalid_characters"};
        QTest::newRow("zero width") << r << reg("\"bad\\u200bname\"") << QStringList{"username:invalid_characters"};
        // Issue 10: a name ends with a letter or digit too ("admin_" passes for "admin").
        QTest::newRow("ends with underscore") << r << reg("\"okname_\"") << QStringList{"username:invalid_end"};
        QTest::newRow("duplicate key") << r << QByteArray(R"({"username":"a1b2c3","email":"d@example.org","password":"long enough pass 1","username":"admin"})")
                                       << QStringList{"username:duplicate_key"};
        QTest::newRow("lone surrogate") << r << reg("\"bad\\ud800name\"") << QStringList{"username:invalid_characters"};
        QTest::newRow("symbol") << r << reg("\"na$me\"") << QStringList{"username:invalid_character"};
        QTest::newRow("bad email") << r << reg("\"okname\"", "\"not-an-email\"") << QStringList{"email:invalid_email"};
        QTest::newRow("email no domain dot") << r << reg("\"okname\"", "\"a@localhost\"") << QStringList{"email:invalid_email"};
        QTest::newRow("short password") << r << reg("\"okname\"", "\"v@example.org\"", "\"short\"") << QStringList{"password:too_short"};
        QTest::newRow("common password") << r << reg("\"okname\"", "\"v@example.org\"", "\"password123\"") << QStringList{"password:too_common"};
        QTest::newRow("repeated password") << r << reg("\"okname\"", "\"v@example.org\"", "\"aaaaaaaaaaaa\"") << QStringList{"password:too_common"};
        QTest::newRow("password is username") << r << reg("\"longusername\"", "\"v@example.org\"", "\"LongUserName\"") << QStringList{"password:same_as_identity"};
        QTest::newRow("password too long") << r << reg("\"okname\"", "\"v@example.org\"", "\"" + QByteArray(300, 'x') + "\"") << QStringList{"password:too_long"};
        QTest::newRow("invalid utf-8") << r << QByteArray("{\"username\":\"ok\xff\xfename\",\"email\":\"v@example.org\",\"password\":\"long enough pass 1\"}")
                                       << QStringList{"body:invalid_utf8"};
        QTest::newRow("overlong utf-8") << r << QByteArray("{\"username\":\"ok\xc0\xafname\",\"email\":\"v@example.org\",\"password\":\"long enough pass 1\"}")
                                        << QStringList{"body:invalid_utf8"};
        QTest::newRow("not an object") << r << QByteArray("[1,2]") << QStringList{"body:type"};
        QTest::newRow("malformed") << r << QByteArray("{\"username\":") << QStringList{"body:malformed_json"};
        const QString l = QStringLiteral("/v1/auth/login");
        QTest::newRow("login missing") << l << QByteArray("{}") << QStringList{"login:required", "password:required"};
        QTest::newRow("login wrong type") << l << QByteArray(R"({"login":1,"password":true})") << QStringList{"login:type", "password:type"};
        QTest::newRow("login extra") << l << QByteArray(R"({"login":"a","password":"b","remember":1})") << QStringList{"remember:unknown_field"};
        QTest::newRow("refresh missing") << QStringLiteral("/v1/auth/refresh") << QByteArray("{}") << QStringList{"refreshToken:required"};
        QTest::newRow("reset request bad email") << QStringLiteral("/v1/auth/password-reset/request") << QByteArray(R"({"email":"x"})")
                                                 << QStringList{"email:invalid_email"};
        QTest::newRow("reset weak") << QStringLiteral("/v1/auth/password-reset") << QByteArray(R"({"token":"t","newPassword":"1234567890"})")
                                    << QStringList{"newPassword:too_common"};
        QTest::newRow("verify wrong type") << QStringLiteral("/v1/auth/verify-email") << QByteArray(R"({"token":5})") << QStringList{"token:type"};
    }

    void badInput()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, fields);
        const int before = userCount();
        const HttpResult r = c.call("POST", path, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(slug(r), QStringLiteral("validation"));
        const QStringList got = fieldCodes(r);
        for (const QString &f : fields)
            QVERIFY2(got.contains(f), qPrintable(got.join(QLatin1Char(' '))));
        QCOMPARE(userCount(), before);
    }

    void adminBadInput_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("create missing") << QByteArray("POST") << QStringLiteral("/v1/admin/users") << QByteArray("{}")
                                        << QStringList{"username:required", "email:required"};
        QTest::newRow("create bad role") << QByteArray("POST") << QStringLiteral("/v1/admin/users")
                                         << QByteArray(R"({"username":"newbie","email":"n@example.org","role":"root"})")
                                         << QStringList{"role:invalid_role"};
        QTest::newRow("role wrong type") << QByteArray("PUT") << QStringLiteral("/v1/admin/users/admin/role") << QByteArray(R"({"role":3})")
                                         << QStringList{"role:type"};
        QTest::newRow("key scopes type") << QByteArray("POST") << QStringLiteral("/v1/admin/api-keys") << QByteArray(R"({"name":"k","scopes":"admin"})")
                                         << QStringList{"scopes:type"};
        QTest::newRow("key scope item") << QByteArray("POST") << QStringLiteral("/v1/admin/api-keys") << QByteArray(R"({"name":"k","scopes":[1]})")
                                        << QStringList{"scopes:type"};
        QTest::newRow("key missing name") << QByteArray("POST") << QStringLiteral("/v1/admin/api-keys") << QByteArray(R"({"scopes":[]})")
                                          << QStringList{"name:required"};
        QTest::newRow("suspend extra") << QByteArray("POST") << QStringLiteral("/v1/admin/users/admin/suspend") << QByteArray(R"({"why":"x"})")
                                       << QStringList{"why:unknown_field"};
        QTest::newRow("list bad limit") << QByteArray("GET") << QStringLiteral("/v1/admin/users?limit=abc") << QByteArray()
                                        << QStringList{"limit:range"};
        QTest::newRow("outbox bad after") << QByteArray("GET") << QStringLiteral("/v1/admin/auth/outbox?after=-1") << QByteArray()
                                          << QStringList{"after:invalid"};
    }

    void adminBadInput()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, fields);
        const int before = userCount();
        const HttpResult r = c.call(method, path, body, c.adminToken);
        QCOMPARE(r.status, 400);
        const QStringList got = fieldCodes(r);
        for (const QString &f : fields)
            QVERIFY2(got.contains(f), qPrintable(got.join(QLatin1Char(' '))));
        QCOMPARE(userCount(), before);
        const auto keys = c.get(QStringLiteral("/v1/admin/api-keys"), c.adminToken);
        QCOMPARE(keys.json().value(QStringLiteral("items")).toArray().size(), 0);
    }

    void goodUnicodeNames()
    {
        QCOMPARE(c.registerUser(QStringLiteral("김민수")).status, 201);
        QCOMPARE(c.registerUser(QStringLiteral("Ünal.x-9")).status, 201);
        QCOMPARE(c.registerUser(QStringLiteral("9lives")).status, 201);
        const auto dup = c.post(QStringLiteral("/v1/auth/register"),
                                {{"username", "ÜNAL.X-9"}, {"email", "other@example.org"}, {"password", "long enough pass 1"}});
        QCOMPARE(dup.status, 409);
        QVERIFY(fieldCodes(dup).contains(QStringLiteral("username:taken")));
        const auto dupMail = c.post(QStringLiteral("/v1/auth/register"),
                                    {{"username", "someone"}, {"email", "9LIVES@example.org"}, {"password", "long enough pass 1"}});
        QVERIFY(fieldCodes(dupMail).contains(QStringLiteral("email:taken")));
        QCOMPARE(c.login(QStringLiteral("김민수")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TstAuthValidation)
#include "tst_authvalidation.moc"
