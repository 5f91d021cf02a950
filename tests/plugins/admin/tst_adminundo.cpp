// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Undo window and quarantine over real HTTP (real auth, users, content and admin plugins).
// A decision with hide + a 3-day silence, undone inside the window by the moderator who
// made it, restores everything: the post visible, the silence lifted (the author writes
// again), the item open with its reports, each reporter told the outcome was reversed,
// an audit row. Only that moderator or an administrator may undo; after the window, twice,
// or for a ban the answer is a 409 with a stable type. The window is a live setting. A
// quarantine hides the post from everyone but staff and the author and leaves the item
// open until the final decision.

#include "adminhttp.h"

#include <QJsonArray>

using namespace Admin::Test;

namespace {

QJsonObject action(const char *type, int days = 0)
{
    QJsonObject o{{"type", type}};
    if (days)
        o.insert("days", days);
    return o;
}

} // namespace

class TstAdminUndo : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    Account m_author, m_reporter1, m_reporter2, m_modA, m_modB;

    /// A post by `author` reported by `reporters`; its queue item id (and the post id in `post`).
    QString reportedPost(const Account &author, const QList<Account> &reporters, QString *post)
    {
        *post = m_http.createPost(author, QStringLiteral("undo"), QStringLiteral("Reported")).value("id").toString();
        for (const Account &r : reporters)
            if (m_http.call("POST", QStringLiteral("/v1/reports"), r.token,
                            AdminHttp::json({{"targetType", "post"}, {"targetId", *post}, {"reason", "spam"}}))
                    .status
                != 201)
                return {};
        return m_http.waitForQueueItem(*post, int(reporters.size())).value("id").toString();
    }

    HttpResult decide(const Account &who, const QString &item, const QJsonArray &actions)
    {
        return m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(item), who.token,
                           AdminHttp::json({{"actions", actions}, {"reason", "rule 3"}}));
    }

    HttpResult undo(const QByteArray &token, const QString &decision, const QByteArray &extra = {})
    {
        const QByteArray body = extra.isEmpty() ? AdminHttp::json({{"reason", "wrong post"}}) : extra;
        return m_http.call("POST", QStringLiteral("/v1/admin/decisions/%1/undo").arg(decision), token, body);
    }

    /// admin.report.outcome events for `decision`: reporter id → (outcome, correction).
    QHash<QString, std::pair<QString, bool>> outcomes(const QString &decision, const QString &outcome)
    {
        QHash<QString, std::pair<QString, bool>> out;
        QDeadlineTimer deadline(10'000);
        while (!deadline.hasExpired()) {
            out.clear();
            for (const QJsonValue &v : m_http.op("GET", QStringLiteral("/v1/system/events?limit=1000")).json().value("events").toArray()) {
                const QJsonObject e = v.toObject();
                const QJsonObject p = e.value("payload").toObject();
                if (e.value("type").toString() == QStringLiteral("admin.report.outcome")
                    && p.value("decisionId").toString() == decision && p.value("outcome").toString() == outcome)
                    out.insert(p.value("reporterId").toString(), {p.value("outcome").toString(), p.value("correction").toBool()});
            }
            if (!out.isEmpty())
                break;
            QThread::msleep(100);
        }
        return out;
    }

    int postWrite(const Account &who)
    {
        return m_http.call("POST", QStringLiteral("/v1/communities/undo/posts"), who.token,
                           AdminHttp::json({{"title", "still here"}, {"body", ""}}))
            .status;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("author"));
        m_reporter1 = m_http.registerUser(QStringLiteral("reporter1"));
        m_reporter2 = m_http.registerUser(QStringLiteral("reporter2"));
        m_modA = m_http.registerUser(QStringLiteral("moda"));
        m_modB = m_http.registerUser(QStringLiteral("modb"));
        QVERIFY(m_http.setRole(m_modA, QStringLiteral("moderator")) && m_http.setRole(m_modB, QStringLiteral("moderator")));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("undo")).isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void undoInsideTheWindowRestoresEverything()
    {
        QString post;
        const QString item = reportedPost(m_author, {m_reporter1, m_reporter2}, &post);
        QVERIFY(!item.isEmpty());
        const auto decided = decide(m_modA, item, QJsonArray{action("hide"), action("silence", 3)});
        QCOMPARE(decided.status, 200);
        const QString decision = decided.json().value("decisionId").toString();
        const QDateTime until = QDateTime::fromString(decided.json().value("undoableUntil").toString(), Qt::ISODateWithMs);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(until) - 600) < 60);   // the default: 10 minutes
        QCOMPARE(postWrite(m_author), 403);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'removed' AND id = " + post.toStdString()), 1);

        // Another moderator may not; a bad body is a field error; neither writes anything.
        QVERIFY(isProblem(undo(m_modB.token, decision), 403, QStringLiteral("forbidden")));
        QVERIFY(isProblem(undo(m_modA.token, decision, R"({"reason":""})"), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(undo(m_modA.token, QStringLiteral("999999")), 404, QStringLiteral("not-found")));
        // A dry run checks and changes nothing.
        const auto dry = undo(m_modA.token, decision, AdminHttp::json({{"reason", "check"}, {"dryRun", true}}));
        QCOMPARE(dry.status, 200);
        QVERIFY(dry.json().value("dryRun").toBool() && !dry.json().value("undone").toBool());
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions WHERE undone_at IS NOT NULL"), 0);

        const auto r = undo(m_modA.token, decision);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().value("undone").toBool());
        QCOMPARE(r.json().value("reportersCorrected").toInt(), 2);
        QCOMPARE(r.json().value("liftedPenalties").toArray().size(), 1);
        const QJsonObject reopened = r.json().value("item").toObject();
        QCOMPARE(reopened.value("status").toString(), QStringLiteral("open"));
        QCOMPARE(reopened.value("openReports").toInt(), 2);
        QVERIFY(reopened.value("decisionId").isNull());
        // The post is back, the silence lifted: the author writes again.
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'visible' AND id = " + post.toStdString()), 1);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.penalties WHERE lifted_at IS NULL AND decision_id = "
                               + decision.toStdString()),
                 0);
        QCOMPARE(postWrite(m_author), 201);
        // Each reporter is told the outcome was reversed, as a correction.
        const auto reversed = outcomes(decision, QStringLiteral("reversed"));
        QCOMPARE(reversed.size(), 2);
        for (const auto &o : reversed)
            QVERIFY(o.second);
        // Audited.
        const QJsonArray rows = m_http.waitForAudit(QStringLiteral("action=queue.undo&targetId=") + decision);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value("reason").toString(), QStringLiteral("wrong post"));
        QCOMPARE(rows.first().toObject().value("actor").toObject().value("username").toString(), m_modA.username);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=post.restore&targetId=") + post).size(), 1);
        // Twice is a conflict.
        QVERIFY(isProblem(undo(m_modA.token, decision), 409, QStringLiteral("decision-undone")));

        // Decided again: the reporters hear the new outcome as a correction too.
        const auto again = decide(m_modB, item, QJsonArray{action("dismiss")});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value("reportersNotified").toInt(), 2);
        const auto corrected = outcomes(again.json().value("decisionId").toString(), QStringLiteral("dismissed"));
        QCOMPARE(corrected.size(), 2);
        for (const auto &o : corrected)
            QVERIFY(o.second);
    }

    void anAdministratorUndoesAModeratorsSuspension()
    {
        Account author = m_http.registerUser(QStringLiteral("suspended"));
        QString post;
        const QString item = reportedPost(author, {m_reporter1}, &post);
        QVERIFY(!item.isEmpty());
        const auto decided = decide(m_modA, item, QJsonArray{action("remove"), action("suspend", 2)});
        QCOMPARE(decided.status, 200);
        QVERIFY(m_http.login(author.username, author.password).isEmpty());   // suspended
        const auto r = undo(m_http.admin.token, decided.json().value("decisionId").toString());
        QCOMPARE(r.status, 200);
        QVERIFY(!m_http.login(author.username, author.password).isEmpty());
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'visible' AND id = " + post.toStdString()), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=user.unsuspend")).size(), 1);
    }

    void afterTheWindowAndForABanUndoIsAConflict()
    {
        QString post;
        const QString item = reportedPost(m_author, {m_reporter2}, &post);
        const auto decided = decide(m_modA, item, QJsonArray{action("warn")});
        QCOMPARE(decided.status, 200);
        const QString decision = decided.json().value("decisionId").toString();
        QVERIFY(m_http.exec("UPDATE admin.decisions SET created_at = now() - interval '11 minutes' WHERE id = "
                            + decision.toStdString()));
        QVERIFY(isProblem(undo(m_modA.token, decision), 409, QStringLiteral("undo-window-closed")));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.penalties WHERE lifted_at IS NULL AND decision_id = "
                               + decision.toStdString()),
                 1);
        // The window is a setting the registry shows, applied at once: a day, and it opens again.
        const auto key = m_http.op("GET", QStringLiteral("/v1/admin/settings/plugins.admin.undoMinutes"));
        QCOMPARE(key.status, 200);
        QCOMPARE(key.json().value("value").toInt(), 10);
        QCOMPARE(m_http.op("PUT", QStringLiteral("/v1/admin/settings/plugins.admin.undoMinutes"),
                           AdminHttp::json({{"value", 1440}, {"reason", "slow weekend"}}))
                     .status,
                 200);
        QCOMPARE(undo(m_modA.token, decision).status, 200);
        QCOMPARE(m_http.op("DELETE", QStringLiteral("/v1/admin/settings/plugins.admin.undoMinutes")).status, 200);

        Account banned = m_http.registerUser(QStringLiteral("banned"));
        const QString bannedItem = reportedPost(banned, {m_reporter1}, &post);
        const auto ban = decide(m_modA, bannedItem, QJsonArray{action("ban")});
        QCOMPARE(ban.status, 200);
        QVERIFY(ban.json().value("undoableUntil").isNull());
        const auto refused = undo(m_modA.token, ban.json().value("decisionId").toString());
        QVERIFY(isProblem(refused, 409, QStringLiteral("decision-irreversible")));
        QVERIFY(refused.json().value("detail").toString().contains(QStringLiteral("ban")));
    }

    void quarantineHidesFromAllButStaffAndTheAuthorUntilDecided()
    {
        QString post;
        const QString item = reportedPost(m_author, {m_reporter1}, &post);
        QVERIFY(!item.isEmpty());
        const auto q = decide(m_modA, item, QJsonArray{action("quarantine")});
        QCOMPARE(q.status, 200);
        QVERIFY(q.json().value("interim").toBool());
        QCOMPARE(q.json().value("reportersNotified").toInt(), 0);
        const QJsonObject held = q.json().value("item").toObject();
        QCOMPARE(held.value("status").toString(), QStringLiteral("open"));
        QCOMPARE(held.value("quarantineDecisionId").toString(), q.json().value("decisionId").toString());
        // Readers see an empty shell; the author and staff see the post.
        const QString path = QStringLiteral("/v1/posts/") + post;
        QCOMPARE(m_http.call("GET", path, m_reporter2.token).json().value("post").toObject().value("title").toString(), QString());
        QCOMPARE(m_http.call("GET", path).json().value("post").toObject().value("title").toString(), QString());
        QCOMPARE(m_http.call("GET", path, m_author.token).json().value("post").toObject().value("title").toString(),
                 QStringLiteral("Reported"));
        QCOMPARE(m_http.call("GET", path, m_modB.token).json().value("post").toObject().value("title").toString(),
                 QStringLiteral("Reported"));
        // The reports stay open until the final decision.
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.reports WHERE status = 'open' AND target_id = " + post.toStdString()), 1);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=queue.quarantine&targetId=") + item).size(), 1);
        QVERIFY(isProblem(decide(m_modA, item, QJsonArray{action("quarantine")}), 409, QStringLiteral("already-quarantined")));

        // The final decision (a dismissal) shows the post again and resolves the item.
        const auto final = decide(m_modA, item, QJsonArray{action("dismiss")});
        QCOMPARE(final.status, 200);
        QCOMPARE(final.json().value("item").toObject().value("status").toString(), QStringLiteral("resolved"));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'visible' AND id = " + post.toStdString()), 1);
        // Undoing that dismissal puts the quarantine back.
        QCOMPARE(undo(m_modA.token, final.json().value("decisionId").toString()).status, 200);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'removed' AND id = " + post.toStdString()), 1);
        // Undoing the quarantine itself shows the post and leaves the item open, unquarantined.
        const auto lifted = undo(m_modA.token, q.json().value("decisionId").toString());
        QVERIFY2(lifted.status == 200, lifted.body.constData());   // flaked once with a 409: name its type
        QVERIFY(lifted.json().value("item").toObject().value("quarantineDecisionId").isNull());
        QCOMPARE(lifted.json().value("item").toObject().value("status").toString(), QStringLiteral("open"));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'visible' AND id = " + post.toStdString()), 1);
        // Quarantined, then hidden for good: the post stays hidden.
        QCOMPARE(decide(m_modA, item, QJsonArray{action("quarantine")}).status, 200);
        QCOMPARE(decide(m_modA, item, QJsonArray{action("hide")}).status, 200);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'removed' AND id = " + post.toStdString()), 1);
    }
};

QTEST_GUILESS_MAIN(TstAdminUndo)
#include "tst_adminundo.moc"
