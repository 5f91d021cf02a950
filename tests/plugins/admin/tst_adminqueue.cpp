// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The review queue end to end over real HTTP (real auth, users, content and admin
// plugins): two reports on a post become one item; claims, takeover, notes; a decision
// with hide + a 3-day suspension resolves both reports, tells both reporters (events),
// suspends the author until the time passes (then the sweep lifts it), and every step is
// in the audit log. Bad decisions are field errors and write nothing.

#include "adminhttp.h"

#include <QJsonArray>

using namespace Admin::Test;

namespace {

QJsonObject firstItem(const HttpResult &r)
{
    return r.json().value(QStringLiteral("items")).toArray().first().toObject();
}

} // namespace

class TstAdminQueue : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    Account m_author, m_reporter1, m_reporter2, m_modA, m_modB;
    QString m_postId, m_itemId, m_authorId;

    HttpResult report(const Account &who, const QString &type, const QString &id, const char *reason)
    {
        return m_http.call("POST", QStringLiteral("/v1/reports"), who.token,
                           AdminHttp::json({{"targetType", type}, {"targetId", id}, {"reason", reason}}));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_http.extraSets << QStringLiteral("plugins.admin.penaltySweepMs=200");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("author"));
        m_reporter1 = m_http.registerUser(QStringLiteral("reporter1"));
        m_reporter2 = m_http.registerUser(QStringLiteral("reporter2"));
        m_modA = m_http.registerUser(QStringLiteral("moda"));
        m_modB = m_http.registerUser(QStringLiteral("modb"));
        QVERIFY(m_http.setRole(m_modA, QStringLiteral("moderator")) && m_http.setRole(m_modB, QStringLiteral("moderator")));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("queued")).isEmpty());
        const QJsonObject post = m_http.createPost(m_author, QStringLiteral("queued"), QStringLiteral("Buy now"));
        m_postId = post.value("id").toString();
        m_authorId = post.value("author").toObject().value("id").toString();
        QVERIFY(!m_postId.isEmpty() && !m_authorId.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void twoReportsBecomeOneItem()
    {
        QCOMPARE(report(m_reporter1, "post", m_postId, "spam").status, 201);
        QCOMPARE(report(m_reporter2, "post", m_postId, "harassment").status, 201);
        const QJsonObject item = m_http.waitForQueueItem(m_postId, 2);
        QVERIFY(!item.isEmpty());
        m_itemId = item.value("id").toString();
        QCOMPARE(item.value("openReports").toInt(), 2);
        QCOMPARE(item.value("status").toString(), QStringLiteral("open"));
        // 2 reports × 10 + harassment 25.
        QCOMPARE(item.value("priority").toInt(), 45);
        QStringList reasons;
        for (const QJsonValue &v : item.value("reasons").toArray())
            reasons << v.toString();
        reasons.sort();
        QCOMPARE(reasons, (QStringList{QStringLiteral("harassment"), QStringLiteral("spam")}));
        QVERIFY(item.value("claim").isNull());
    }

    void claimsShowTheHolderAndNeedAnExplicitTakeover()
    {
        const QString claim = QStringLiteral("/v1/admin/queue/%1/claim").arg(m_itemId);
        auto a = m_http.call("POST", claim, m_modA.token);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json().value("claim").toObject().value("holder").toString(), m_modA.username);
        // B sees who holds it, and cannot claim or decide without taking over.
        const auto seen = m_http.call("GET", QStringLiteral("/v1/admin/queue/%1").arg(m_itemId), m_modB.token);
        QCOMPARE(seen.json().value("claim").toObject().value("holder").toString(), m_modA.username);
        auto b = m_http.call("POST", claim, m_modB.token, "{}");
        QVERIFY(isProblem(b, 409, QStringLiteral("claimed")));
        QVERIFY(b.json().value("detail").toString().contains(m_modA.username));
        auto decideB = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(m_itemId), m_modB.token,
                                   AdminHttp::json({{"actions", QJsonArray{QJsonObject{{"type", "dismiss"}}}}, {"reason", "ok"}}));
        QVERIFY(isProblem(decideB, 409, QStringLiteral("claimed")));
        b = m_http.call("POST", claim, m_modB.token, AdminHttp::json({{"takeover", true}}));
        QCOMPARE(b.status, 200);
        QCOMPARE(b.json().value("claim").toObject().value("holder").toString(), m_modB.username);
        const auto note = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/notes").arg(m_itemId), m_modB.token,
                                      AdminHttp::json({{"body", "Same link as last week."}}));
        QCOMPARE(note.status, 201);
        QCOMPARE(note.json().value("notes").toArray().first().toObject().value("body").toString(),
                 QStringLiteral("Same link as last week."));
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=queue.takeover&targetId=") + m_itemId).size(), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=queue.claim&targetId=") + m_itemId).size(), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=queue.note&targetId=") + m_itemId).size(), 1);
        // The holder lets go: the item is free (A may claim without a takeover), then B takes it again.
        const auto released = m_http.call("DELETE", claim, m_modB.token);
        QCOMPARE(released.status, 200);
        QVERIFY(released.json().value("claim").isNull());
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=queue.release&targetId=") + m_itemId).size(), 1);
        QCOMPARE(m_http.call("POST", claim, m_modA.token).status, 200);
        QCOMPARE(m_http.call("POST", claim, m_modB.token, AdminHttp::json({{"takeover", true}})).status, 200);
    }

    void badDecisionsAreFieldErrorsAndWriteNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no actions") << QByteArray(R"({"actions":[],"reason":"x"})") << QStringLiteral("actions");
        QTest::newRow("dismiss plus remove") << QByteArray(R"({"actions":[{"type":"dismiss"},{"type":"remove"}],"reason":"x"})") << QStringLiteral("actions");
        QTest::newRow("unknown action") << QByteArray(R"({"actions":[{"type":"nuke"}],"reason":"x"})") << QStringLiteral("actions[0].type");
        QTest::newRow("suspend without days") << QByteArray(R"({"actions":[{"type":"suspend"}],"reason":"x"})") << QStringLiteral("actions[0].days");
        QTest::newRow("days on ban") << QByteArray(R"({"actions":[{"type":"ban","days":3}],"reason":"x"})") << QStringLiteral("actions[0].days");
        QTest::newRow("suspend and ban") << QByteArray(R"({"actions":[{"type":"suspend","days":1},{"type":"ban"}],"reason":"x"})") << QStringLiteral("actions");
        QTest::newRow("no reason") << QByteArray(R"({"actions":[{"type":"remove"}]})") << QStringLiteral("reason");
        QTest::newRow("unknown field") << QByteArray(R"({"actions":[{"type":"remove","extra":1}],"reason":"x"})") << QStringLiteral("actions[0].extra");
    }

    void badDecisionsAreFieldErrorsAndWriteNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const auto r = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(m_itemId), m_modB.token, body);
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        QStringList fields;
        for (const QJsonValue &e : r.json().value("errors").toArray())
            fields << e.toObject().value("field").toString();
        QVERIFY2(fields.contains(field), qPrintable(fields.join(',')));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), 0);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.penalties"), 0);
    }

    void decisionWithHideAndSuspensionResolvesEverything()
    {
        const auto r = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(m_itemId), m_modB.token,
                                   AdminHttp::json({{"actions", QJsonArray{QJsonObject{{"type", "hide"}},
                                                                           QJsonObject{{"type", "suspend"}, {"days", 3}}}},
                                                    {"reason", "spam campaign"}}),
                                   {{"X-Request-Id", "decide-1"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("reportersNotified").toInt(), 2);
        QCOMPARE(r.json().value("penalties").toArray().size(), 1);
        const QJsonObject item = r.json().value("item").toObject();
        QCOMPARE(item.value("status").toString(), QStringLiteral("resolved"));
        QVERIFY(item.value("claim").isNull());
        for (const QJsonValue &v : item.value("reports").toArray())
            QCOMPARE(v.toObject().value("outcome").toString(), QStringLiteral("actioned"));

        // Both reports resolved in content.
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.reports WHERE status = 'resolved' AND target_id = " + m_postId.toStdString()), 2);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.reports WHERE status = 'open'"), 0);
        // The post is hidden from readers.
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'removed' AND id = " + m_postId.toStdString()), 1);
        // The author is suspended: their token is refused with a clear error.
        const auto refused = m_http.call("POST", QStringLiteral("/v1/communities/queued/posts"), m_author.token,
                                         AdminHttp::json({{"title", "again"}, {"body", ""}}));
        QCOMPARE(refused.status, 403);
        QVERIFY(refused.json().value("detail").toString().contains(QStringLiteral("suspended")));
        // Each reporter is told: one admin.report.outcome event per reporter.
        const auto events = m_http.op("GET", QStringLiteral("/v1/system/events?limit=1000"));
        QSet<QString> told;
        for (const QJsonValue &v : events.json().value("events").toArray()) {
            const QJsonObject e = v.toObject();
            if (e.value("type").toString() == QStringLiteral("admin.report.outcome")) {
                QCOMPARE(e.value("payload").toObject().value("outcome").toString(), QStringLiteral("actioned"));
                told.insert(e.value("payload").toObject().value("reporterId").toString());
            }
        }
        QCOMPARE(told.size(), 2);
        // Audit rows for each step, all under the decision's request id.
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=queue.decide&targetId=") + m_itemId).size(), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=post.remove&targetId=") + m_postId).size(), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=report.resolve"), 2).size(), 2);
        const QJsonArray suspended = m_http.waitForAudit(QStringLiteral("action=user.suspend&targetId=") + m_authorId);
        QCOMPARE(suspended.size(), 1);
        QCOMPARE(suspended.first().toObject().value("requestId").toString(), QStringLiteral("decide-1"));
        QCOMPARE(suspended.first().toObject().value("actor").toObject().value("username").toString(), m_modB.username);
        // A decided item cannot be decided again.
        const auto again = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(m_itemId), m_modB.token,
                                       AdminHttp::json({{"actions", QJsonArray{QJsonObject{{"type", "dismiss"}}}}, {"reason", "x"}}));
        QVERIFY(isProblem(again, 409, QStringLiteral("item-resolved")));
    }

    void suspensionIsLiftedWhenItsTimeIsUp()
    {
        const auto list = m_http.call("GET", QStringLiteral("/v1/admin/penalties/") + m_authorId, m_modA.token);
        QCOMPARE(list.status, 200);
        const QJsonObject penalty = list.json().value("items").toArray().first().toObject();
        QCOMPARE(penalty.value("kind").toString(), QStringLiteral("suspend"));
        QVERIFY(penalty.value("active").toBool());
        const QDateTime ends = QDateTime::fromString(penalty.value("endsAt").toString(), Qt::ISODateWithMs);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(ends) - 3 * 86400) < 120);
        // Let the three days pass.
        QVERIFY(m_http.exec("UPDATE admin.penalties SET ends_at = now() - interval '1 second'"));
        QDeadlineTimer deadline(15'000);
        QString token;
        while (!deadline.hasExpired() && token.isEmpty()) {
            token = QString::fromLatin1(m_http.login(m_author.username, m_author.password));
            if (token.isEmpty())
                QThread::msleep(100);
        }
        QVERIFY2(!token.isEmpty(), "the author can sign in again");
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=penalty.lift&targetId=") + m_authorId).size(), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=user.unsuspend&targetId=") + m_authorId).first()
                     .toObject().value("actor").toObject().value("kind").toString(),
                 QStringLiteral("system"));
        const auto after = m_http.call("GET", QStringLiteral("/v1/admin/penalties/") + m_authorId, m_modA.token);
        QVERIFY(!after.json().value("items").toArray().first().toObject().value("active").toBool());
    }

    void filtersAndCursorPaging()
    {
        // Three more items: a comment and two posts.
        const QString post2 = m_http.createPost(m_reporter1, QStringLiteral("queued"), QStringLiteral("Two")).value("id").toString();
        const QString post3 = m_http.createPost(m_reporter1, QStringLiteral("queued"), QStringLiteral("Three")).value("id").toString();
        const QString comment = m_http.createComment(m_reporter1, post2, QStringLiteral("a comment")).value("id").toString();
        QCOMPARE(report(m_reporter2, "post", post2, "off-topic").status, 201);
        QCOMPARE(report(m_reporter2, "post", post3, "illegal").status, 201);
        QCOMPARE(report(m_reporter2, "comment", comment, "spam").status, 201);
        for (const QString &target : {comment, post3, post2})
            QVERIFY(!m_http.waitForQueueItem(target, 1).isEmpty());

        QCOMPARE(m_http.op("GET", QStringLiteral("/v1/admin/queue?targetType=comment")).json().value("items").toArray().size(), 1);
        QCOMPARE(firstItem(m_http.op("GET", QStringLiteral("/v1/admin/queue?reason=illegal"))).value("target").toObject().value("id").toString(), post3);
        QCOMPARE(firstItem(m_http.op("GET", QStringLiteral("/v1/admin/queue?status=resolved"))).value("id").toString(), m_itemId);
        // Highest priority first (illegal 10+40 > spam 10+15 > off-topic 10+5), one per page.
        QStringList order;
        QString cursor;
        for (int i = 0; i < 10; ++i) {
            const auto r = m_http.op("GET", QStringLiteral("/v1/admin/queue?limit=1") + (cursor.isEmpty() ? QString() : "&cursor=" + cursor));
            QCOMPARE(r.status, 200);
            for (const QJsonValue &v : r.json().value("items").toArray())
                order << v.toObject().value("target").toObject().value("id").toString();
            cursor = r.json().value("nextCursor").toString();
            if (cursor.isEmpty())
                break;
        }
        QCOMPARE(order, (QStringList{post3, comment, post2}));
        // Assignment to a moderator, and refusal of a non-moderator.
        const QString item = m_http.waitForQueueItem(post2, 1).value("id").toString();
        const QString modAId = m_http.call("GET", QStringLiteral("/v1/users/me"), m_modA.token).json().value("id").toString();
        const auto assigned = m_http.call("PUT", QStringLiteral("/v1/admin/queue/%1/assignee").arg(item), m_modB.token,
                                          AdminHttp::json({{"assigneeId", modAId}}));
        QCOMPARE(assigned.status, 200);
        QCOMPARE(assigned.json().value("assigneeId").toString(), modAId);
        QCOMPARE(m_http.op("GET", QStringLiteral("/v1/admin/queue?assignee=") + modAId).json().value("items").toArray().size(), 1);
        const auto notStaff = m_http.call("PUT", QStringLiteral("/v1/admin/queue/%1/assignee").arg(item), m_modB.token,
                                          AdminHttp::json({{"assigneeId", m_authorId}}));
        QVERIFY(isProblem(notStaff, 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.op("GET", QStringLiteral("/v1/admin/queue?status=maybe&targetType=user")), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.op("GET", QStringLiteral("/v1/admin/queue/999999")), 404, QStringLiteral("not-found")));
    }

    void dismissalTellsTheReporter()
    {
        const QString post = m_http.createPost(m_reporter2, QStringLiteral("queued"), QStringLiteral("Fine")).value("id").toString();
        QCOMPARE(report(m_reporter1, "post", post, "other").status, 201);
        const QString item = m_http.waitForQueueItem(post, 1).value("id").toString();
        const auto r = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(item), m_modA.token,
                                   AdminHttp::json({{"actions", QJsonArray{QJsonObject{{"type", "dismiss"}}}}, {"reason", "no rule broken"}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("item").toObject().value("reports").toArray().first().toObject().value("outcome").toString(),
                 QStringLiteral("dismissed"));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.reports WHERE status = 'dismissed' AND target_id = " + post.toStdString()), 1);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'visible' AND id = " + post.toStdString()), 1);
    }
};

QTEST_GUILESS_MAIN(TstAdminQueue)
#include "tst_adminqueue.moc"
