// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Profiles over real HTTP (real auth + users plugins, test PostgreSQL): get, patch, the
// validation table (400 with field errors and nothing written).

#include "usershttp.h"

using namespace Users::Test;

class TstUsersProfile : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;

    QJsonObject me() { return m_http.call("GET", QStringLiteral("/v1/users/me"), m_ann.token).json(); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
        QVERIFY(!m_ann.token.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void getProfilePublicCaseInsensitive()
    {
        auto r = m_http.call("GET", QStringLiteral("/v1/users/ANN"));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("username").toString(), QStringLiteral("ann"));
        QCOMPARE(o.value("displayName").toString(), QStringLiteral("ann"));
        QCOMPARE(o.value("state").toString(), QStringLiteral("active"));
        QCOMPARE(o.value("role").toString(), QStringLiteral("user"));
        QCOMPARE(o.value("followersCount").toInt(), 0);
        QVERIFY(!o.contains("settings"));        // private
        QVERIFY(!o.contains("email"));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/users/nobody-here")), 404, QStringLiteral("not-found")));
    }

    void patchProfile()
    {
        const QByteArray body = "{\"displayName\":\"앤 Ann\",\"bio\":\"hi\",\"avatarUrl\":\"https:\\/\\/img.example/ann.png\",\"locale\":\"ko-KR\",\"timeZone\":\"Asia/Seoul\",\"settings\":{\"theme\":\"dark\",\"emailNotifications\":false}}";
        auto r = m_http.call("PATCH", QStringLiteral("/v1/users/me"), m_ann.token, body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("displayName").toString(), QStringLiteral("앤 Ann"));
        QCOMPARE(r.json().value("settings").toObject().value("theme").toString(), QStringLiteral("dark"));
        auto pub = m_http.call("GET", QStringLiteral("/v1/users/ann")).json();
        QCOMPARE(pub.value("timeZone").toString(), QStringLiteral("Asia/Seoul"));
        QCOMPARE(pub.value("avatarUrl").toString(), QStringLiteral("https://img.example/ann.png"));
        // Settings merge; null removes a key; null clears a nullable field.
        auto r2 = m_http.call("PATCH", QStringLiteral("/v1/users/me"), m_ann.token,
                              "{\"avatarUrl\":null,\"settings\":{\"theme\":null,\"language\":\"en\"}}");
        QCOMPARE(r2.status, 200);
        QCOMPARE(r2.json().value("settings").toObject(), (QJsonObject{{"emailNotifications", false}, {"language", "en"}}));
        QVERIFY(r2.json().value("avatarUrl").isNull());
        QCOMPARE(r2.json().value("bio").toString(), QStringLiteral("hi"));
    }

    void patchNeedsAuthentication()
    {
        auto r = m_http.call("PATCH", QStringLiteral("/v1/users/me"), {}, "{\"bio\":\"x\"}");
        QVERIFY(isProblem(r, 401, QStringLiteral("unauthorized")));
        auto bad = m_http.call("PATCH", QStringLiteral("/v1/users/me"), "not-a-token", "{\"bio\":\"x\"}");
        QCOMPARE(bad.status, 401);
    }

    void validationTable_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QString>("field");
        const QString v = QStringLiteral("validation");
        QTest::newRow("extra field") << QByteArray("{\"bio\":\"x\",\"isAdmin\":true}") << 400 << v << QStringLiteral("isAdmin");
        QTest::newRow("wrong type") << QByteArray("{\"displayName\":42}") << 400 << v << QStringLiteral("displayName");
        QTest::newRow("empty name") << QByteArray("{\"displayName\":\"\"}") << 400 << v << QStringLiteral("displayName");
        QTest::newRow("oversize name") << QByteArray("{\"displayName\":\"" + QByteArray(65, 'n') + "\"}") << 400 << v << QStringLiteral("displayName");
        QTest::newRow("oversize bio") << QByteArray("{\"bio\":\"" + QByteArray(2001, 'b') + "\"}") << 400 << v << QStringLiteral("bio");
        QTest::newRow("control chars") << QByteArray("{\"displayName\":\"a\\u001bb\"}") << 400 << v << QStringLiteral("displayName");
        QTest::newRow("nul in bio") << QByteArray("{\"bio\":\"a\\u0000\"}") << 400 << v << QStringLiteral("bio");
        QTest::newRow("invalid utf-8") << QByteArray("{\"bio\":\"\xff\xfe\"}") << 400 << v << QStringLiteral("body");
        QTest::newRow("bad time zone") << QByteArray("{\"timeZone\":\"Europe/Atlantis\"}") << 400 << v << QStringLiteral("timeZone");
        QTest::newRow("http avatar") << QByteArray("{\"avatarUrl\":\"http:\\/\\/x.example/a.png\"}") << 400 << v << QStringLiteral("avatarUrl");
        QTest::newRow("bad locale") << QByteArray("{\"locale\":\"!!\"}") << 400 << v << QStringLiteral("locale");
        QTest::newRow("unknown setting") << QByteArray("{\"settings\":{\"x\":1}}") << 400 << v << QStringLiteral("settings.x");
        QTest::newRow("setting type") << QByteArray("{\"settings\":{\"theme\":1}}") << 400 << v << QStringLiteral("settings.theme");
        QTest::newRow("settings array") << QByteArray("{\"settings\":[]}") << 400 << v << QStringLiteral("settings");
        QTest::newRow("not an object") << QByteArray("[1]") << 400 << QStringLiteral("malformed-json") << QString();
        QTest::newRow("malformed") << QByteArray("{\"bio\":") << 400 << QStringLiteral("malformed-json") << QString();
        QTest::newRow("over 16 KiB") << QByteArray("{\"bio\":\"" + QByteArray(17 * 1024, 'b') + "\"}") << 413 << QStringLiteral("payload-too-large") << QString();
    }

    void validationTable()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, slug);
        QFETCH(QString, field);
        const QJsonObject before = me();
        auto r = m_http.call("PATCH", QStringLiteral("/v1/users/me"), m_ann.token, body);
        QVERIFY2(isProblem(r, status, slug), r.body.constData());
        if (!field.isEmpty()) {
            const QJsonArray errors = r.json().value("errors").toArray();
            QVERIFY(!errors.isEmpty());
            QCOMPARE(errors.first().toObject().value("field").toString(), field);
            QVERIFY(!errors.first().toObject().value("code").toString().isEmpty());
        }
        QCOMPARE(me(), before);   // nothing written
    }

    void mixedValidAndInvalidWritesNothing()
    {
        const QJsonObject before = me();
        auto r = m_http.call("PATCH", QStringLiteral("/v1/users/me"), m_ann.token,
                             "{\"displayName\":\"New Name\",\"timeZone\":\"Not/AZone\"}");
        QVERIFY(isProblem(r, 400, QStringLiteral("validation")));
        QCOMPARE(me().value("displayName"), before.value("displayName"));
    }

    void suspendedUserShownWithState()
    {
        Account sam = m_http.registerUser(QStringLiteral("sam"));
        QVERIFY(!sam.token.isEmpty());
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/users/sam")).status, 200);
        auto s = m_http.call("POST", QStringLiteral("/v1/admin/users/sam/suspend"), m_http.admin.token, "{}");
        QVERIFY2(s.status / 100 == 2, s.body.constData());
        QTRY_COMPARE_WITH_TIMEOUT(m_http.call("GET", QStringLiteral("/v1/users/sam")).json().value("state").toString(),
                                  QStringLiteral("suspended"), 5000);
        // The gateway refuses the suspended user's own token.
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/users/me"), sam.token, "{\"bio\":\"x\"}").status, 403);
    }
};

QTEST_GUILESS_MAIN(TstUsersProfile)
#include "tst_usersprofile.moc"
