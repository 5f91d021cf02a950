// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Authorization matrix over real HTTP (real auth + users plugins): every users route ×
// {anonymous, user (the target themself), other user, moderator, admin, API key with the
// route's scope, API key without it} → status.
//
// Both API keys are created by the admin, so their principal is the admin account (userId =
// creator, role user since neither has the "admin" scope): with the scope a key gets what the
// admin gets on every Authenticated route (PATCH /v1/users/me edits the admin's profile);
// without it, 403. Public routes ignore scopes: any valid key gets what anyone gets.

#include "usershttp.h"

#include <QJsonArray>

using namespace Users::Test;

namespace {

enum Caller { Anonymous, User, Other, Moderator, Admin, KeyWithScope, KeyWithoutScope, CallerCount };
const char *const callerNames[] = {"anonymous", "user", "other", "moderator", "admin", "key+scope", "key-scope"};

struct Row {
    const char *method;
    const char *path;
    const char *body;
    std::array<int, CallerCount> expected;
};

/// "user" is the account named in the path (owner); writes on oneself are 400.
const Row rows[] = {
    // Public: the same for everyone, scopes ignored.
    {"GET", "/v1/users/search?q=own", "", {200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/v1/users/owner", "", {200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/v1/users/owner/followers", "", {200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/v1/users/owner/following", "", {200, 200, 200, 200, 200, 200, 200}},
    // users:read / users:write: a key with the scope acts as its creator (the admin).
    {"GET", "/v1/users/me", "", {401, 200, 200, 200, 200, 200, 403}},
    {"PATCH", "/v1/users/me", "{\"bio\":\"matrix\"}", {401, 200, 200, 200, 200, 200, 403}},
    {"GET", "/v1/users/me/blocks", "", {401, 200, 200, 200, 200, 200, 403}},
    {"GET", "/v1/users/me/mutes", "", {401, 200, 200, 200, 200, 200, 403}},
    // The admin's key acts on owner after the admin did: idempotent 204 again.
    {"PUT", "/v1/users/owner/follow", "", {401, 400, 204, 204, 204, 204, 403}},
    {"DELETE", "/v1/users/owner/follow", "", {401, 400, 204, 204, 204, 204, 403}},
    {"PUT", "/v1/users/owner/mute", "", {401, 400, 204, 204, 204, 204, 403}},
    {"DELETE", "/v1/users/owner/mute", "", {401, 400, 204, 204, 204, 204, 403}},
    {"PUT", "/v1/users/owner/block", "", {401, 400, 204, 204, 204, 204, 403}},
    {"DELETE", "/v1/users/owner/block", "", {401, 400, 204, 204, 204, 204, 403}},
};

} // namespace

class TstUsersMatrix : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    QByteArray m_tokens[CallerCount];   // anonymous = empty

    QByteArray createKey(const QJsonArray &scopes)
    {
        auto r = m_http.call("POST", QStringLiteral("/v1/admin/api-keys"), m_http.admin.token,
                             UsersHttp::json({{"name", "users-matrix"}, {"scopes", scopes}}));
        if (r.status != 201)
            qWarning() << "create key" << r.status << r.body;
        return r.json().value(QStringLiteral("key")).toString().toLatin1();
    }

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
        m_tokens[User] = owner.token;
        m_tokens[Other] = other.token;
        m_tokens[Moderator] = mod.token;
        m_tokens[Admin] = m_http.admin.token;
        m_tokens[KeyWithScope] = createKey(QJsonArray{QStringLiteral("users:read"), QStringLiteral("users:write")});
        m_tokens[KeyWithoutScope] = createKey(QJsonArray{QStringLiteral("content:read")});  // valid, but not a users scope
        for (int i = User; i < CallerCount; ++i)
            QVERIFY2(!m_tokens[i].isEmpty(), callerNames[i]);
        QVERIFY(m_tokens[KeyWithScope].startsWith("cpk_") && m_tokens[KeyWithoutScope].startsWith("cpk_"));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void everyRouteIsInTheTable()
    {
        QSet<QString> inTable;
        for (const Row &r : rows) {
            QString path = QString::fromLatin1(r.path);
            path = path.left(path.indexOf(QLatin1Char('?')) < 0 ? path.size() : path.indexOf(QLatin1Char('?')));
            path.replace(QStringLiteral("/owner"), QStringLiteral("/{username}"));
            inTable.insert(QString::fromLatin1(r.method) + QLatin1Char(' ') + path);
        }
        const auto routes = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/routes"));
        QCOMPARE(routes.status, 200);
        int mine = 0;
        for (const QJsonValue &v : routes.json().value(QStringLiteral("routes")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("owner")).toString() != QStringLiteral("users"))
                continue;
            ++mine;
            const QString key = o.value(QStringLiteral("method")).toString() + QLatin1Char(' ')
                                + o.value(QStringLiteral("path")).toString();
            QVERIFY2(inTable.contains(key), qPrintable(key + QStringLiteral(" is not in the matrix")));
        }
        QCOMPARE(mine, int(std::size(rows)));
    }

    void matrix_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("caller");
        QTest::addColumn<int>("status");
        for (const Row &r : rows) {
            for (int i = 0; i < CallerCount; ++i) {
                QTest::addRow("%s %s as %s", r.method, r.path, callerNames[i])
                    << QByteArray(r.method) << QString::fromLatin1(r.path) << QByteArray(r.body) << i
                    << r.expected[size_t(i)];
            }
        }
    }

    void matrix()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, caller);
        QFETCH(int, status);
        auto r = m_http.call(method, path, m_tokens[caller], body);
        QVERIFY2(r.status == status, qPrintable(QStringLiteral("got %1: %2").arg(r.status).arg(QString::fromUtf8(r.body))));
        if (status >= 400)
            QCOMPARE(r.header("content-type"), QByteArray("application/problem+json"));
        if (caller == KeyWithoutScope && status == 403)
            QVERIFY2(isProblem(r, 403, QStringLiteral("forbidden")), r.body.constData());
    }

    /// With the scope, the key's "me" is its creator: it reads and edits the admin's profile,
    /// and its relation writes are the admin's.
    void keyActsAsItsCreator()
    {
        const QByteArray key = m_tokens[KeyWithScope];
        auto me = m_http.call("GET", QStringLiteral("/v1/users/me"), key);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("username")).toString(), QStringLiteral("admin"));
        QVERIFY(me.json().contains(QStringLiteral("settings")));

        auto patched = m_http.call("PATCH", QStringLiteral("/v1/users/me"), key, R"({"bio":"set by key"})");
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json().value(QStringLiteral("username")).toString(), QStringLiteral("admin"));
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/users/admin")).json().value(QStringLiteral("bio")).toString(),
                 QStringLiteral("set by key"));
        QVERIFY(m_http.call("GET", QStringLiteral("/v1/users/owner")).json().value(QStringLiteral("bio")).toString()
                != QStringLiteral("set by key"));

        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/owner/follow"), key).status, 204);
        auto rel = m_http.call("GET", QStringLiteral("/v1/users/owner"), m_http.admin.token).json()
                       .value(QStringLiteral("relationship")).toObject();
        QCOMPARE(rel.value(QStringLiteral("following")).toBool(), true);
        // The admin's own key may not target the admin.
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/admin/follow"), key).status, 400);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/owner/follow"), key).status, 204);
        rel = m_http.call("GET", QStringLiteral("/v1/users/owner"), m_http.admin.token).json()
                  .value(QStringLiteral("relationship")).toObject();
        QCOMPARE(rel.value(QStringLiteral("following")).toBool(), false);
    }

    /// A key without users:read learns nothing about its creator on the Public routes:
    /// it is answered like an anonymous caller (no settings, no relationship).
    void keyWithoutScopeReadsPublicRoutesAsAnonymous()
    {
        const QByteArray key = m_tokens[KeyWithoutScope];
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/owner/mute"), m_http.admin.token).status, 204);
        auto self = m_http.call("GET", QStringLiteral("/v1/users/admin"), key);
        QCOMPARE(self.status, 200);
        QVERIFY2(!self.json().contains(QStringLiteral("settings")), self.body.constData());
        auto target = m_http.call("GET", QStringLiteral("/v1/users/owner"), key);
        QCOMPARE(target.status, 200);
        QVERIFY2(!target.json().contains(QStringLiteral("relationship")), target.body.constData());
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/owner/mute"), m_http.admin.token).status, 204);
        // With users:read the same requests are the admin's view.
        QVERIFY(m_http.call("GET", QStringLiteral("/v1/users/admin"), m_tokens[KeyWithScope]).json()
                    .contains(QStringLiteral("settings")));
    }

    void badTokenIs401Everywhere()
    {
        for (const char *path : {"/v1/users/owner", "/v1/users/me", "/v1/users/search?q=a"}) {
            auto r = m_http.call("GET", QString::fromLatin1(path), "garbage-token");
            QCOMPARE(r.status, 401);
        }
        // A well-formed but unknown API key is no better.
        auto r = m_http.call("GET", QStringLiteral("/v1/users/owner"), "cpk_999999_nosuchsecret");
        QCOMPARE(r.status, 401);
    }
};

QTEST_GUILESS_MAIN(TstUsersMatrix)
#include "tst_usersmatrix.moc"
