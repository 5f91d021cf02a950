// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The audit log over real HTTP: staff actions taken through auth's and content's own
// routes are recorded (actor, target, reason, request id), rows are listed with filters
// and cursors, the chain verifies, a row altered in the database makes verification fail
// at that row, and who may read it.

#include "adminhttp.h"

#include <QJsonArray>

using namespace Admin::Test;

class TstAdminAudit : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    Account m_user, m_mod, m_author;
    QString m_postId;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_user = m_http.registerUser(QStringLiteral("plainuser"));
        m_mod = m_http.registerUser(QStringLiteral("moddy"));
        m_author = m_http.registerUser(QStringLiteral("writer"));
        QVERIFY(m_http.setRole(m_mod, QStringLiteral("moderator")));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("audited")).isEmpty());
        m_postId = m_http.createPost(m_author, QStringLiteral("audited"), QStringLiteral("Hello")).value("id").toString();
        QVERIFY(!m_postId.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void suspensionIsRecordedWithReasonActorAndRequestId()
    {
        const auto r = m_http.call("POST", QStringLiteral("/v1/admin/users/plainuser/suspend"), m_http.admin.token,
                                   AdminHttp::json({{"reason", "spam links"}}), {{"X-Request-Id", "audit-suspend-1"}});
        QCOMPARE(r.status, 200);
        const QJsonArray rows = m_http.waitForAudit(QStringLiteral("action=user.suspend"));
        QCOMPARE(rows.size(), 1);
        const QJsonObject row = rows.first().toObject();
        QCOMPARE(row.value("target").toObject().value("type").toString(), QStringLiteral("user"));
        QCOMPARE(row.value("reason").toString(), QStringLiteral("spam links"));
        QCOMPARE(row.value("requestId").toString(), QStringLiteral("audit-suspend-1"));
        QCOMPARE(row.value("actor").toObject().value("username").toString(), m_http.admin.username);
        QCOMPARE(row.value("actor").toObject().value("kind").toString(), QStringLiteral("user"));
        QCOMPARE(row.value("after").toObject().value("state").toString(), QStringLiteral("suspended"));
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/admin/users/plainuser/unsuspend"), m_http.admin.token).status, 200);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=user.unsuspend")).size(), 1);
    }

    void roleChangeByTheOperatorIsRecorded()
    {
        const auto r = m_http.op("PUT", QStringLiteral("/v1/admin/users/writer/role"), "{\"role\":\"moderator\"}");
        QCOMPARE(r.status, 200);
        const QString id = r.json().value("user").toObject().value("id").toVariant().toString();
        QVERIFY(!id.isEmpty());
        const QJsonArray rows = m_http.waitForAudit(QStringLiteral("action=user.role_change&targetId=") + id);
        QCOMPARE(rows.size(), 1);
        const QJsonObject row = rows.first().toObject();
        QCOMPARE(row.value("actor").toObject().value("kind").toString(), QStringLiteral("operator"));
        QCOMPARE(row.value("after").toObject().value("role").toString(), QStringLiteral("moderator"));
        QVERIFY(!row.value("requestId").toString().isEmpty());
        QCOMPARE(m_http.op("PUT", QStringLiteral("/v1/admin/users/writer/role"), "{\"role\":\"user\"}").status, 200);
    }

    void contentModerationAndReportResolutionAreRecorded()
    {
        const auto report = m_http.call("POST", QStringLiteral("/v1/reports"), m_user.token,
                                        AdminHttp::json({{"targetType", "post"}, {"targetId", m_postId}, {"reason", "spam"}}));
        QCOMPARE(report.status, 201);
        const auto removed = m_http.call("POST", QStringLiteral("/v1/posts/%1/remove").arg(m_postId), m_mod.token,
                                         AdminHttp::json({{"reason", "spam"}}), {{"X-Request-Id", "audit-remove-1"}});
        QCOMPARE(removed.status, 200);
        const QString reportId = report.json().value("id").toString();
        const auto resolved = m_http.call("POST", QStringLiteral("/v1/reports/%1/resolve").arg(reportId), m_mod.token,
                                          AdminHttp::json({{"resolution", "resolved"}, {"note", "removed as spam"}}));
        QCOMPARE(resolved.status, 200);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/restore").arg(m_postId), m_mod.token).status, 200);

        const QJsonArray removal = m_http.waitForAudit(QStringLiteral("action=post.remove&targetId=") + m_postId);
        QCOMPARE(removal.size(), 1);
        QCOMPARE(removal.first().toObject().value("requestId").toString(), QStringLiteral("audit-remove-1"));
        QCOMPARE(removal.first().toObject().value("actor").toObject().value("username").toString(), m_mod.username);
        const QJsonArray resolution = m_http.waitForAudit(QStringLiteral("action=report.resolve&targetId=") + reportId);
        QCOMPARE(resolution.size(), 1);
        QCOMPARE(resolution.first().toObject().value("reason").toString(), QStringLiteral("removed as spam"));
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=post.restore&targetId=") + m_postId).size(), 1);
    }

    void authorsOwnRestoreIsNotAStaffAction()
    {
        const QString id = m_http.createPost(m_author, QStringLiteral("audited"), QStringLiteral("Mine")).value("id").toString();
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1").arg(id), m_author.token).status, 200);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/restore").arg(id), m_author.token).status, 200);
        // Something recorded after it proves the consumer has passed the restore event.
        const int before = int(m_http.waitForAudit(QStringLiteral("action=user.role_change")).size());
        QCOMPARE(m_http.op("PUT", QStringLiteral("/v1/admin/users/writer/role"), "{\"role\":\"moderator\"}").status, 200);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=user.role_change"), before + 1).size(), before + 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("targetType=post&targetId=") + id, 0).size(), 0);
    }

    void filtersAndCursorPaging()
    {
        const QJsonArray users = m_http.waitForAudit(QStringLiteral("action=user."), 5);
        QVERIFY(users.size() >= 5);
        for (const QJsonValue &v : users)
            QVERIFY(v.toObject().value("action").toString().startsWith(QStringLiteral("user.")));
        // Two rows per page, newest first, no row twice, the same rows as one big page.
        QStringList paged;
        QString cursor;
        for (int pages = 0; pages < 20; ++pages) {
            const auto r = m_http.op("GET", QStringLiteral("/v1/admin/audit?limit=2") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            QCOMPARE(r.status, 200);
            for (const QJsonValue &v : r.json().value("items").toArray())
                paged << v.toObject().value("seq").toString();
            cursor = r.json().value("nextCursor").toString();
            if (cursor.isEmpty())
                break;
        }
        QStringList all;
        for (const QJsonValue &v : m_http.op("GET", QStringLiteral("/v1/admin/audit?limit=500")).json().value("items").toArray())
            all << v.toObject().value("seq").toString();
        QCOMPARE(paged, all);
        QVERIFY(all.size() >= 6);
        QVERIFY(all.first().toLongLong() > all.last().toLongLong());
        // Filter by actor.
        const QString modId = m_http.call("GET", QStringLiteral("/v1/users/me"), m_mod.token).json().value("id").toString();
        for (const QJsonValue &v : m_http.waitForAudit(QStringLiteral("actor=") + modId, 2))
            QCOMPARE(v.toObject().value("actor").toObject().value("id").toString(), modId);
    }

    void badQueriesAreFieldErrors()
    {
        auto r = m_http.op("GET", QStringLiteral("/v1/admin/audit?actor=bob&since=yesterday"));
        QVERIFY(isProblem(r, 400, QStringLiteral("validation")));
        QCOMPARE(r.json().value("errors").toArray().size(), 2);
        QVERIFY(isProblem(m_http.op("GET", QStringLiteral("/v1/admin/audit?colour=red")), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.op("GET", QStringLiteral("/v1/admin/audit?cursor=zzz")), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.op("GET", QStringLiteral("/v1/admin/audit?limit=0")), 400, QStringLiteral("validation")));
    }

    void authorization_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("list") << QStringLiteral("/v1/admin/audit");
        QTest::newRow("verify") << QStringLiteral("/v1/admin/audit/verify");
    }

    void authorization()
    {
        QFETCH(QString, path);
        // Both carry "admin" (the key acts with its creator's role); only one has admin:audit.
        const QByteArray withScope = m_http.createKey(QJsonArray{QStringLiteral("admin"), QStringLiteral("admin:audit")});
        const QByteArray withoutScope = m_http.createKey(QJsonArray{QStringLiteral("admin"), QStringLiteral("content:moderate")});
        QVERIFY(!withScope.isEmpty() && !withoutScope.isEmpty());
        QCOMPARE(m_http.call("GET", path).status, 401);
        QCOMPARE(m_http.call("GET", path, m_user.token).status, 403);
        QCOMPARE(m_http.call("GET", path, m_mod.token).status, 403);
        QCOMPARE(m_http.call("GET", path, m_http.admin.token).status, 200);
        QCOMPARE(m_http.call("GET", path, withScope).status, 200);
        QCOMPARE(m_http.call("GET", path, withoutScope).status, 403);
        QCOMPARE(m_http.op("GET", path).status, 200);
    }

    // Last: it breaks the chain on purpose.
    void tamperingIsDetectedAtTheAlteredRow()
    {
        auto ok = m_http.op("GET", QStringLiteral("/v1/admin/audit/verify"));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value("ok").toBool(), true);
        const qint64 rows = ok.json().value("lastSeq").toString().toLongLong();
        QVERIFY(rows >= 6);
        QCOMPARE(ok.json().value("checked").toInt(), int(rows));

        // The daemon's own role cannot rewrite history: the table refuses updates and deletes.
        QVERIFY(!m_http.exec("UPDATE admin.audit_log SET reason = 'nothing' WHERE seq = 2"));
        QVERIFY(!m_http.exec("DELETE FROM admin.audit_log WHERE seq = 2"));
        // Someone who bypasses the trigger is still caught by the chain, at that row.
        QVERIFY(m_http.exec("SET session_replication_role = replica;"
                            " UPDATE admin.audit_log SET reason = 'nothing to see' WHERE seq = 2"));
        auto bad = m_http.op("GET", QStringLiteral("/v1/admin/audit/verify"));
        QCOMPARE(bad.status, 200);
        QCOMPARE(bad.json().value("ok").toBool(), false);
        QCOMPARE(bad.json().value("brokenSeq").toString(), QStringLiteral("2"));
        QCOMPARE(bad.json().value("problem").toString(), QStringLiteral("hash_mismatch"));

        // Deleting the newest row (and fixing nothing else) is caught by the head.
        QVERIFY(m_http.exec("SET session_replication_role = replica;"
                            " DELETE FROM admin.audit_log WHERE seq = (SELECT max(seq) FROM admin.audit_log)"));
        QVERIFY(m_http.exec("SET session_replication_role = replica; DELETE FROM admin.audit_log WHERE seq = 2"));
        bad = m_http.op("GET", QStringLiteral("/v1/admin/audit/verify"));
        QCOMPARE(bad.json().value("ok").toBool(), false);
        QCOMPARE(bad.json().value("brokenSeq").toString(), QStringLiteral("3"));
        QCOMPARE(bad.json().value("problem").toString(), QStringLiteral("sequence_gap"));
    }
};

QTEST_GUILESS_MAIN(TstAdminAudit)
#include "tst_adminaudit.moc"
