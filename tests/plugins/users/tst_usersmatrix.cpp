// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Authorization matrix over real HTTP (real auth + users plugins): every users route ×
// {anonymous, user (the target themself), other user, moderator, admin} → status.
// API-key rows (with and without users:read / users:write) are still to come.

#include "usershttp.h"

using namespace Users::Test;

class TstUsersMatrix : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    QHash<QString, QByteArray> m_tokens;   // by caller name; anonymous = empty

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        Account owner = m_http.registerUser(QStringLiteral("owner"));
        Account other = m_http.registerUser(QStringLiteral("other"));
        Account mod = m_http.registerUser(QStringLiteral("moddy"));
        QVERIFY(!owner.token.isEmpty() && !other.token.isEmpty() && !mod.token.isEmpty());
        QVERIFY(m_http.setRole(mod, QStringLiteral("moderator")));
        m_tokens = {{QStringLiteral("anonymous"), {}}, {QStringLiteral("user"), owner.token},
                    {QStringLiteral("other"), other.token}, {QStringLiteral("moderator"), mod.token},
                    {QStringLiteral("admin"), m_http.admin.token}};
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void matrix_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("caller");
        QTest::addColumn<int>("status");
        struct Row { const char *method; const char *path; const char *body; int anon, user, other, mod, admin; };
        // "user" is the account named in the path (owner); writes on oneself are 400.
        const Row rows[] = {
            {"GET", "/v1/users/search?q=own", "", 200, 200, 200, 200, 200},
            {"GET", "/v1/users/owner", "", 200, 200, 200, 200, 200},
            {"GET", "/v1/users/owner/followers", "", 200, 200, 200, 200, 200},
            {"GET", "/v1/users/owner/following", "", 200, 200, 200, 200, 200},
            {"GET", "/v1/users/me", "", 401, 200, 200, 200, 200},
            {"PATCH", "/v1/users/me", "{\"bio\":\"matrix\"}", 401, 200, 200, 200, 200},
            {"GET", "/v1/users/me/blocks", "", 401, 200, 200, 200, 200},
            {"GET", "/v1/users/me/mutes", "", 401, 200, 200, 200, 200},
            {"PUT", "/v1/users/owner/follow", "", 401, 400, 204, 204, 204},
            {"DELETE", "/v1/users/owner/follow", "", 401, 400, 204, 204, 204},
            {"PUT", "/v1/users/owner/mute", "", 401, 400, 204, 204, 204},
            {"DELETE", "/v1/users/owner/mute", "", 401, 400, 204, 204, 204},
            {"PUT", "/v1/users/owner/block", "", 401, 400, 204, 204, 204},
            {"DELETE", "/v1/users/owner/block", "", 401, 400, 204, 204, 204},
        };
        const char *callers[] = {"anonymous", "user", "other", "moderator", "admin"};
        for (const Row &r : rows) {
            const int expected[] = {r.anon, r.user, r.other, r.mod, r.admin};
            for (int i = 0; i < 5; ++i) {
                QTest::addRow("%s %s as %s", r.method, r.path, callers[i])
                    << QByteArray(r.method) << QString::fromLatin1(r.path) << QByteArray(r.body)
                    << QString::fromLatin1(callers[i]) << expected[i];
            }
        }
    }

    void matrix()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, caller);
        QFETCH(int, status);
        auto r = m_http.call(method, path, m_tokens.value(caller), body);
        QVERIFY2(r.status == status, qPrintable(QStringLiteral("got %1: %2").arg(r.status).arg(QString::fromUtf8(r.body))));
        if (status >= 400)
            QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
    }

    void badTokenIs401Everywhere()
    {
        for (const char *path : {"/v1/users/owner", "/v1/users/me", "/v1/users/search?q=a"}) {
            auto r = m_http.call("GET", QString::fromLatin1(path), "garbage-token");
            QCOMPARE(r.status, 401);
        }
    }
};

QTEST_GUILESS_MAIN(TstUsersMatrix)
#include "tst_usersmatrix.moc"
