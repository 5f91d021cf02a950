// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Authorization matrix over real HTTP: every admin route × {anonymous, user, community
// moderator of another community, moderator, admin, API key with the route's scope, API
// key without it, operator token} → status. Items that do not exist answer 404 to callers
// who pass authorization, so the table shows where the gateway stops each caller.
//
// Both keys carry the "admin" scope, so they act with their creator's (the admin's) role;
// one also has admin:moderate and admin:audit, the other only content:moderate.

#include "accessmatrix.h"
#include "adminhttp.h"

#include <QJsonArray>

using namespace Admin::Test;

namespace {

enum Caller { Anonymous, User, CommunityMod, Moderator, Administrator, KeyWithScope, KeyWithoutScope, Operator, CallerCount };
const char *const callerNames[] = {"anonymous", "user", "community-mod", "moderator", "admin", "key+scope", "key-scope", "operator"};

using Row = Community::Test::AccessRow<CallerCount>;

const Row rows[] = {
    {"GET", "/v1/admin/queue", "", {401, 403, 403, 200, 200, 200, 403, 200}},
    {"GET", "/v1/admin/queue/999999", "", {401, 403, 403, 404, 404, 404, 403, 404}},
    {"POST", "/v1/admin/queue/999999/claim", "{}", {401, 403, 403, 404, 404, 404, 403, 404}},
    {"DELETE", "/v1/admin/queue/999999/claim", "", {401, 403, 403, 404, 404, 404, 403, 404}},
    {"POST", "/v1/admin/queue/999999/notes", "{\"body\":\"n\"}", {401, 403, 403, 404, 404, 404, 403, 404}},
    {"PUT", "/v1/admin/queue/999999/assignee", "{\"assigneeId\":null}", {401, 403, 403, 404, 404, 404, 403, 404}},
    {"POST", "/v1/admin/queue/999999/decision", "{\"actions\":[{\"type\":\"dismiss\"}],\"reason\":\"r\"}",
     {401, 403, 403, 404, 404, 404, 403, 404}},
    // A selection answers 200 with a row per item (this one: 404 inside); undo of a missing decision is 404.
    {"POST", "/v1/admin/queue/decisions", "{\"items\":[\"999999\"],\"actions\":[{\"type\":\"dismiss\"}],\"reason\":\"r\"}",
     {401, 403, 403, 200, 200, 200, 403, 200}},
    {"POST", "/v1/admin/decisions/999999/undo", "{\"reason\":\"r\"}", {401, 403, 403, 404, 404, 404, 403, 404}},
    {"GET", "/v1/admin/penalties/1", "", {401, 403, 403, 200, 200, 200, 403, 200}},
    // The audit log is for administrators only.
    {"GET", "/v1/admin/audit", "", {401, 403, 403, 403, 200, 200, 403, 200}},
    {"GET", "/v1/admin/audit/verify", "", {401, 403, 403, 403, 200, 200, 403, 200}},
    // Watched words: administrators only.
    {"GET", "/v1/admin/rules", "", {401, 403, 403, 403, 200, 200, 403, 200}},
    {"POST", "/v1/admin/rules", "{\"kind\":\"word\",\"pattern\":\"matrixword\",\"action\":\"flag\"}",
     {401, 403, 403, 403, 201, 201, 403, 201}},
    {"DELETE", "/v1/admin/rules/999999", "", {401, 403, 403, 403, 404, 404, 403, 404}},
    {"POST", "/v1/admin/rules/test", "{\"text\":\"hello\"}", {401, 403, 403, 403, 200, 200, 403, 200}},
};

} // namespace

class TstAdminMatrix : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    QByteArray m_tokens[CallerCount];

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        Account user = m_http.registerUser(QStringLiteral("someone"));
        Account owner = m_http.registerUser(QStringLiteral("owner"));
        Account mod = m_http.registerUser(QStringLiteral("moddy"));
        QVERIFY(m_http.setRole(mod, QStringLiteral("moderator")));
        // Owns (and so moderates) a community of its own: still not site staff.
        QVERIFY(!m_http.createCommunity(owner, QStringLiteral("elsewhere")).isEmpty());
        m_tokens[User] = user.token;
        m_tokens[CommunityMod] = owner.token;
        m_tokens[Moderator] = mod.token;
        m_tokens[Administrator] = m_http.admin.token;
        m_tokens[KeyWithScope] = m_http.createKey(
            QJsonArray{QStringLiteral("admin"), QStringLiteral("admin:moderate"), QStringLiteral("admin:audit"),
                       QStringLiteral("admin:rules")});
        m_tokens[KeyWithoutScope] = m_http.createKey(QJsonArray{QStringLiteral("admin"), QStringLiteral("content:moderate")});
        for (int i = User; i < Operator; ++i)
            QVERIFY2(!m_tokens[i].isEmpty(), callerNames[i]);
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void everyRouteIsInTheTable()
    {
        QSet<QString> inTable;
        for (const Row &r : rows) {
            QString path = QString::fromLatin1(r.path);
            path.replace(QStringLiteral("/999999"), QStringLiteral("/{id}")).replace(QStringLiteral("/penalties/1"), QStringLiteral("/penalties/{userId}"));
            inTable.insert(QString::fromLatin1(r.method) + QLatin1Char(' ') + path);
        }
        const auto routes = m_http.op("GET", QStringLiteral("/v1/system/routes"));
        QCOMPARE(routes.status, 200);
        int mine = 0;
        for (const QJsonValue &v : routes.json().value(QStringLiteral("routes")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("owner")).toString() != QStringLiteral("admin"))
                continue;
            ++mine;
            const QString key = o.value(QStringLiteral("method")).toString() + QLatin1Char(' ') + o.value(QStringLiteral("path")).toString();
            QVERIFY2(inTable.contains(key), qPrintable(key + QStringLiteral(" is not in the matrix")));
        }
        QCOMPARE(mine, int(std::size(rows)));
    }

    void matrix_data() { Community::Test::addAccessRows(rows, callerNames); }

    void matrix()
    {
        Community::Test::checkAccess([this](const QByteArray &method, const QString &path, const QByteArray &body, int caller) {
            return caller == Operator ? m_http.op(method, path, body) : m_http.call(method, path, m_tokens[caller], body);
        });
    }
};

QTEST_GUILESS_MAIN(TstAdminMatrix)
#include "tst_adminmatrix.moc"
