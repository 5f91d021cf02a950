// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Authorization matrix: every auth route (the 2FA / OAuth ones included) × every kind of
// caller (the operator token too) → the expected status.

#include "authtestclient.h"

using namespace AuthTest;

namespace {

enum Caller { Anonymous, User, OtherUser, Moderator, Admin, KeyWithScope, KeyWithoutScope, Operator, CallerCount };
const char *const callerNames[] = {"anonymous", "user", "other user", "moderator", "admin", "key+scope", "key-scope",
                                   "operator"};

struct Row {
    QByteArray method;
    QString path;
    QByteArray body;
    std::array<int, CallerCount> expected;
};

constexpr std::array<int, CallerCount> adminOnly(int ok)
{
    return {401, 403, 403, 403, ok, ok, 403, ok};
}

constexpr std::array<int, CallerCount> everyone(int status)
{
    return {status, status, status, status, status, status, status, status};
}

/// Signed-in people only: API keys and the operator token have no account to manage.
constexpr std::array<int, CallerCount> people(int ok)
{
    return {401, ok, ok, ok, ok, 403, 403, 403};
}

} // namespace

class TstAuthMatrix : public QObject {
    Q_OBJECT

    DaemonProcess m_daemon;
    Client c;
    QString m_tokens[CallerCount];

    QList<Row> table() const
    {
        return {
            // Public routes: the same answer for everyone (bodies chosen to write nothing).
            {"POST", "/v1/auth/register", "{}", everyone(400)},
            {"POST", "/v1/auth/login", R"({"login":"matrix-nobody","password":"wrong password"})", everyone(401)},
            {"POST", "/v1/auth/refresh", R"({"refreshToken":"nope"})", everyone(401)},
            {"POST", "/v1/auth/verify-email", R"({"token":"nope"})", everyone(400)},
            {"POST", "/v1/auth/password-reset/request", R"({"email":"nobody@example.org"})", everyone(202)},
            {"POST", "/v1/auth/password-reset", R"({"token":"nope","newPassword":"a good new password"})", everyone(400)},
            {"POST", "/v1/auth/login/2fa", R"({"mfaToken":"nope","code":"123456"})", everyone(401)},
            {"GET", "/v1/auth/oauth/providers", {}, everyone(200)},
            {"GET", "/v1/auth/oauth/nope/authorize", {}, everyone(404)},
            {"POST", "/v1/auth/oauth/nope/callback", R"({"code":"c","state":"s"})", everyone(404)},
            // Signed-in users; API keys have no session, the operator no account.
            {"GET", "/v1/auth/me", {}, {401, 200, 200, 200, 200, 200, 200, 403}},
            {"GET", "/v1/auth/sessions", {}, people(200)},
            {"DELETE", "/v1/auth/sessions/999999", {}, people(404)},
            {"POST", "/v1/auth/sessions/revoke-others", {}, people(200)},
            {"POST", "/v1/auth/password", "{}", {401, 400, 400, 400, 400, 403, 403, 403}},
            {"POST", "/v1/auth/verify-email/request", {}, people(202)},
            // 2FA and identities (enrol first: enable then has a pending secret to check against).
            {"POST", "/v1/auth/2fa/enrol", {}, people(200)},
            {"POST", "/v1/auth/2fa/enable", R"({"code":"000000"})", people(400)},
            {"POST", "/v1/auth/2fa/disable", R"({"code":"000000"})", people(409)},
            {"POST", "/v1/auth/2fa/recovery-codes", R"({"code":"000000"})", people(409)},
            {"GET", "/v1/auth/identities", {}, people(200)},
            {"DELETE", "/v1/auth/identities/nope", {}, people(404)},
            // Administration.
            {"POST", "/v1/admin/auth/rotate-key", {}, adminOnly(201)},
            {"GET", "/v1/admin/auth/outbox", {}, adminOnly(200)},
            {"POST", "/v1/admin/api-keys", R"({"name":"matrix","scopes":[]})", adminOnly(201)},
            {"GET", "/v1/admin/api-keys", {}, adminOnly(200)},
            {"DELETE", "/v1/admin/api-keys/999999", {}, adminOnly(404)},
            {"GET", "/v1/admin/users", {}, adminOnly(200)},
            {"POST", "/v1/admin/users", "{}", adminOnly(400)},
            {"GET", "/v1/admin/users/matrix-user", {}, adminOnly(200)},
            {"PUT", "/v1/admin/users/nobody/role", R"({"role":"user"})", adminOnly(404)},
            {"POST", "/v1/admin/users/nobody/suspend", {}, adminOnly(404)},
            {"POST", "/v1/admin/users/nobody/unsuspend", {}, adminOnly(404)},
            {"POST", "/v1/admin/users/nobody/reset-password", {}, adminOnly(404)},
            {"POST", "/v1/admin/users/nobody/disable-2fa", {}, adminOnly(404)},
            // Last: it ends the callers' sessions.
            {"POST", "/v1/auth/logout", {}, people(204)},
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Seven failed logins for one name in the table: no escalating wait in between.
        QVERIFY(startWithAdmin(m_daemon, c, {QStringLiteral("--set"), QStringLiteral("plugins.auth.lockout.delayAfter=100")}));
        m_tokens[User] = c.userToken(QStringLiteral("matrix-user"));
        m_tokens[OtherUser] = c.userToken(QStringLiteral("matrix-other"));
        m_tokens[Moderator] = c.userToken(QStringLiteral("matrix-mod"));
        QCOMPARE(c.call("PUT", QStringLiteral("/v1/admin/users/matrix-mod/role"), json({{"role", "moderator"}}), c.adminToken).status, 200);
        m_tokens[Admin] = c.adminToken;
        auto key = [&](const QJsonArray &scopes) {
            return c.post(QStringLiteral("/v1/admin/api-keys"), {{"name", "m"}, {"scopes", scopes}}, c.adminToken)
                .json().value(QStringLiteral("key")).toString();
        };
        m_tokens[KeyWithScope] = key(QJsonArray{"admin"});
        m_tokens[KeyWithoutScope] = key(QJsonArray{"users:read"});
        m_tokens[Operator] = m_daemon.operatorToken();
        for (int i = User; i < CallerCount; ++i)
            QVERIFY2(!m_tokens[i].isEmpty(), callerNames[i]);
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }

    void everyRouteIsInTheTable()
    {
        QSet<QString> inTable;
        for (const Row &r : table())
            inTable.insert(QString::fromLatin1(r.method) + QLatin1Char(' ')
                           + QString(r.path).replace(QStringLiteral("999999"), QStringLiteral("{id}"))
                                 .replace(QStringLiteral("/nobody/"), QStringLiteral("/{username}/"))
                                 .replace(QStringLiteral("/matrix-user"), QStringLiteral("/{username}"))
                                 .replace(QStringLiteral("/nope"), QStringLiteral("/{provider}")));
        const auto routes = m_daemon.operatorRequest("GET", QStringLiteral("/v1/system/routes"));
        int mine = 0;
        for (const QJsonValue &v : routes.json().value(QStringLiteral("routes")).toArray()) {
            const QString path = v.toObject().value(QStringLiteral("path")).toString();
            if (!path.startsWith(QStringLiteral("/v1/auth")) && !path.startsWith(QStringLiteral("/v1/admin/auth"))
                && !path.startsWith(QStringLiteral("/v1/admin/api-keys")) && !path.startsWith(QStringLiteral("/v1/admin/users")))
                continue;
            ++mine;
            const QString key = v.toObject().value(QStringLiteral("method")).toString() + QLatin1Char(' ') + path;
            QVERIFY2(inTable.contains(key), qPrintable(key + QStringLiteral(" is not in the matrix")));
        }
        QCOMPARE(mine, table().size());
    }

    void matrix()
    {
        QStringList mismatches;
        for (const Row &row : table()) {
            for (int who = 0; who < CallerCount; ++who) {
                const HttpResult r = c.call(row.method, row.path, row.body, m_tokens[who]);
                if (r.status != row.expected[size_t(who)])
                    mismatches << QStringLiteral("%1 %2 as %3: got %4, want %5 %6")
                                      .arg(QString::fromLatin1(row.method), row.path, QString::fromLatin1(callerNames[who]))
                                      .arg(r.status).arg(row.expected[size_t(who)]).arg(QString::fromUtf8(r.body.left(200)));
            }
        }
        QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TstAuthMatrix)
#include "tst_authmatrix.moc"
