// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Reports over real HTTP (real auth, users and content plugins): creating (one open report
// per reporter and target), validation, the queue's permission matrix (user, community
// moderator, community owner, site moderator, admin), resolving, events.

#include "contenthttp.h"

#include <set>

using namespace Content::Test;

class TstContentReports : public QObject {
    Q_OBJECT

    ContentHttp m_http;
    // alice owns "town" and moira (m_mo) moderates it; erin owns "village"; sam is a site moderator.
    Account m_alice, m_mo, m_erin, m_sam, m_bob, m_carol, m_dave;
    QString m_townPost, m_townComment, m_villagePost;

    HttpResult report(const Account &who, const QJsonObject &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/reports"), who.token, ContentHttp::json(body),
                           {{"Content-Type", "application/json"}});
    }
    HttpResult resolve(const Account &who, const QString &id, const QJsonObject &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/reports/%1/resolve").arg(id), who.token, ContentHttp::json(body),
                           {{"Content-Type", "application/json"}});
    }
    HttpResult queue(const Account &who, const QString &query = {})
    {
        return m_http.call("GET", QStringLiteral("/v1/reports") + query, who.token);
    }
    static std::set<QString> slugs(const HttpResult &r)
    {
        std::set<QString> out;
        for (const QJsonValue &v : items(r))
            out.insert(v.toObject().value("community").toObject().value("slug").toString());
        return out;
    }
    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    qint64 reportEvents(const QString &type) { return count(QStringLiteral("SELECT count(*) FROM events.outbox WHERE type = '%1'").arg(type)); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_mo = m_http.registerUser(QStringLiteral("moira"));
        m_erin = m_http.registerUser(QStringLiteral("erin"));
        m_sam = m_http.registerUser(QStringLiteral("sam"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_carol = m_http.registerUser(QStringLiteral("carol"));
        m_dave = m_http.registerUser(QStringLiteral("dave"));
        QVERIFY(m_http.setRole(m_sam, QStringLiteral("moderator")));
        QVERIFY(!m_http.createCommunity(m_alice, QStringLiteral("town")).isEmpty());
        QVERIFY(!m_http.createCommunity(m_erin, QStringLiteral("village")).isEmpty());
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/communities/town/moderators/moira"), m_alice.token).status, 200);
        m_townPost = m_http.createPost(m_bob, QStringLiteral("town"), QStringLiteral("Buy cheap watches"), QStringLiteral("spam spam")).value("id").toString();
        m_townComment = m_http.createComment(m_carol, m_townPost, QStringLiteral("you are all idiots")).value("id").toString();
        m_villagePost = m_http.createPost(m_bob, QStringLiteral("village"), QStringLiteral("Village news")).value("id").toString();
        QVERIFY(!m_townPost.isEmpty() && !m_townComment.isEmpty() && !m_villagePost.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void createAndDuplicate()
    {
        auto r = report(m_carol, {{"targetType", "post"}, {"targetId", m_townPost}, {"reason", "spam"}, {"details", " watches again "}});
        QCOMPARE(r.status, 201);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("targetType").toString(), QStringLiteral("post"));
        QCOMPARE(o.value("targetId").toString(), m_townPost);
        QCOMPARE(o.value("postId").toString(), m_townPost);
        QCOMPARE(o.value("community").toObject().value("slug").toString(), QStringLiteral("town"));
        QCOMPARE(o.value("reporter").toObject().value("username").toString(), QStringLiteral("carol"));
        QCOMPARE(o.value("reason").toString(), QStringLiteral("spam"));
        QCOMPARE(o.value("details").toString(), QStringLiteral("watches again"));
        QCOMPARE(o.value("status").toString(), QStringLiteral("open"));
        QVERIFY(o.value("resolvedBy").isNull());
        QVERIFY(!o.contains("target"));   // the preview is for moderators
        const QString id = o.value("id").toString();
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events.outbox WHERE type = 'content.report.created' "
                                      "AND payload->>'reportId' = '%1' AND payload->>'targetType' = 'post' "
                                      "AND payload->>'targetId' = '%2' AND payload->>'reason' = 'spam' "
                                      "AND payload->>'communityId' = (SELECT id::text FROM content.communities WHERE slug = 'town') "
                                      "AND payload->>'reporterId' = (SELECT user_id::text FROM content.authors WHERE username = 'carol')")
                           .arg(id, m_townPost)),
                 1);
        // The same reporter again: the open report, nothing new.
        auto again = report(m_carol, {{"targetType", "post"}, {"targetId", m_townPost}, {"reason", "other"}});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value("id").toString(), id);
        QCOMPARE(reportEvents(QStringLiteral("content.report.created")), 1);
        // Another reporter, and a comment (ids as numbers work too).
        QCOMPARE(report(m_dave, {{"targetType", "post"}, {"targetId", m_townPost}, {"reason", "spam"}}).status, 201);
        auto onComment = report(m_bob, {{"targetType", "comment"}, {"targetId", m_townComment.toLongLong()}, {"reason", "harassment"}});
        QCOMPARE(onComment.status, 201);
        QCOMPARE(onComment.json().value("postId").toString(), m_townPost);
        QCOMPARE(report(m_carol, {{"targetType", "post"}, {"targetId", m_villagePost}, {"reason", "off-topic"}}).status, 201);
        QCOMPARE(reportEvents(QStringLiteral("content.report.created")), 4);

        // Concurrent duplicates: one report.
        QList<Request> same;
        for (int i = 0; i < 10; ++i)
            same.append({"POST", QStringLiteral("/v1/reports"), m_dave.token,
                         ContentHttp::json({{"targetType", "comment"}, {"targetId", m_townComment}, {"reason", "harassment"}})});
        int created = 0;
        for (const auto &res : m_http.parallelRequests(same)) {
            QVERIFY(res.status == 201 || res.status == 200);
            created += res.status == 201;
        }
        QCOMPARE(created, 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.reports WHERE target_type = 'comment' AND target_id = %1 "
                                      "AND status = 'open'").arg(m_townComment)),
                 2);
    }

    void badReports_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("code");
        QTest::newRow("type") << QJsonObject{{"targetType", "user"}, {"targetId", "1"}, {"reason", "spam"}} << "targetType" << "invalid_choice";
        QTest::newRow("no type") << QJsonObject{{"targetId", "1"}, {"reason", "spam"}} << "targetType" << "required";
        QTest::newRow("id") << QJsonObject{{"targetType", "post"}, {"targetId", "abc"}, {"reason", "spam"}} << "targetId" << "invalid";
        QTest::newRow("no id") << QJsonObject{{"targetType", "post"}, {"reason", "spam"}} << "targetId" << "required";
        QTest::newRow("reason") << QJsonObject{{"targetType", "post"}, {"targetId", "1"}, {"reason", "boring"}} << "reason" << "invalid_choice";
        QTest::newRow("details") << QJsonObject{{"targetType", "post"}, {"targetId", "1"}, {"reason", "other"}, {"details", QString(2001, QLatin1Char('d'))}}
                                 << "details" << "too_long";
        QTest::newRow("unknown") << QJsonObject{{"targetType", "post"}, {"targetId", "1"}, {"reason", "spam"}, {"urgent", true}} << "urgent" << "unknown_field";
    }

    void badReports()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, field);
        QFETCH(QString, code);
        const qint64 before = count(QStringLiteral("SELECT count(*) FROM content.reports"));
        auto r = report(m_dave, body);
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        bool found = false;
        for (const QJsonValue &e : r.json().value("errors").toArray())
            found = found || (e.toObject().value("field").toString() == field && e.toObject().value("code").toString() == code);
        QVERIFY2(found, r.body.constData());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.reports")), before);
    }

    void reportRefusals()
    {
        const qint64 before = count(QStringLiteral("SELECT count(*) FROM content.reports"));
        auto own = report(m_bob, {{"targetType", "post"}, {"targetId", m_townPost}, {"reason", "spam"}});
        QVERIFY(isProblem(own, 400, QStringLiteral("validation")));
        QCOMPARE(own.json().value("errors").toArray()[0].toObject().value("code").toString(), QStringLiteral("own_content"));
        QVERIFY(isProblem(report(m_bob, {{"targetType", "post"}, {"targetId", "999999999"}, {"reason", "spam"}}), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(report(m_bob, {{"targetType", "comment"}, {"targetId", "999999999"}, {"reason", "spam"}}), 404, QStringLiteral("not-found")));
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/reports"), {}, ContentHttp::json({{"targetType", "post"}, {"targetId", m_townPost}, {"reason", "spam"}}),
                             {{"Content-Type", "application/json"}}).status,
                 401);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.reports")), before);
    }

    void queuePermissions()
    {
        // Open reports: town has 4 (two on the post, two on the comment), village 1.
        QVERIFY(isProblem(queue(m_bob), 403, QStringLiteral("forbidden")));
        QVERIFY(isProblem(queue(m_bob, QStringLiteral("?community=town")), 403, QStringLiteral("forbidden")));
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/reports")).status, 401);

        auto mod = queue(m_mo);
        QCOMPARE(mod.status, 200);
        QCOMPARE(items(mod).size(), 4);
        QCOMPARE(slugs(mod), std::set<QString>{QStringLiteral("town")});
        QVERIFY(isProblem(queue(m_mo, QStringLiteral("?community=village")), 403, QStringLiteral("forbidden")));
        QCOMPARE(items(queue(m_mo, QStringLiteral("?community=town"))).size(), 4);
        QCOMPARE(items(queue(m_alice)).size(), 4);                       // the owner moderates too
        QCOMPARE(slugs(queue(m_erin)), std::set<QString>{QStringLiteral("village")});
        QCOMPARE(items(queue(m_erin)).size(), 1);

        auto site = queue(m_sam);
        QCOMPARE(items(site).size(), 5);
        QCOMPARE(slugs(site), (std::set<QString>{QStringLiteral("town"), QStringLiteral("village")}));
        QCOMPARE(items(queue(m_sam, QStringLiteral("?community=village"))).size(), 1);
        QCOMPARE(items(queue(m_http.admin)).size(), 5);
        QVERIFY(isProblem(queue(m_sam, QStringLiteral("?community=nowhere")), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(queue(m_sam, QStringLiteral("?status=closed")), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(queue(m_sam, QStringLiteral("?cursor=bogus")), 400, QStringLiteral("validation")));
        QCOMPARE(items(queue(m_sam, QStringLiteral("?status=resolved"))).size(), 0);

        // Moderators see the reporter and a preview of the target, newest report first.
        const QJsonObject newest = items(queue(m_mo))[0].toObject();
        QCOMPARE(newest.value("targetType").toString(), QStringLiteral("comment"));
        QCOMPARE(newest.value("target").toObject().value("excerpt").toString(), QStringLiteral("you are all idiots"));
        QCOMPARE(newest.value("target").toObject().value("author").toObject().value("username").toString(), QStringLiteral("carol"));
        QCOMPARE(newest.value("target").toObject().value("title").toString(), QStringLiteral("Buy cheap watches"));
        QCOMPARE(newest.value("reporter").toObject().value("username").toString(), QStringLiteral("dave"));

        // Pages of one.
        std::set<QString> seen;
        QString cursor;
        int pages = 0;
        do {
            auto r = queue(m_sam, QStringLiteral("?limit=1") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            QCOMPARE(r.status, 200);
            for (const QJsonValue &v : items(r))
                QVERIFY(seen.insert(v.toObject().value("id").toString()).second);
            cursor = r.json().value("nextCursor").toString();
            ++pages;
        } while (!cursor.isEmpty());
        QCOMPARE(int(seen.size()), 5);
        QCOMPARE(pages, 5);
    }

    void resolveReports()
    {
        const QJsonArray town = items(queue(m_mo));
        const QString first = town[0].toObject().value("id").toString();
        const QString second = town[1].toObject().value("id").toString();
        const QString village = items(queue(m_erin))[0].toObject().value("id").toString();

        QVERIFY(isProblem(resolve(m_bob, first, {{"resolution", "resolved"}}), 403, QStringLiteral("forbidden")));
        QVERIFY(isProblem(resolve(m_erin, first, {{"resolution", "resolved"}}), 403, QStringLiteral("forbidden")));
        QVERIFY(isProblem(resolve(m_mo, first, {{"resolution", "fixed"}}), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(resolve(m_mo, first, {{"resolution", "resolved"}, {"extra", 1}}), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(resolve(m_mo, QStringLiteral("999999999"), {{"resolution", "resolved"}}), 404, QStringLiteral("not-found")));
        QCOMPARE(reportEvents(QStringLiteral("content.report.resolved")), 0);

        auto done = resolve(m_mo, first, {{"resolution", "resolved"}, {"note", "comment removed"}});
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json().value("status").toString(), QStringLiteral("resolved"));
        QCOMPARE(done.json().value("note").toString(), QStringLiteral("comment removed"));
        QCOMPARE(done.json().value("resolvedBy").toObject().value("username").toString(), QStringLiteral("moira"));
        QVERIFY(!done.json().value("resolvedAt").isNull());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events.outbox WHERE type = 'content.report.resolved' "
                                      "AND payload->>'reportId' = '%1' AND payload->>'resolution' = 'resolved' "
                                      "AND payload->>'note' = 'comment removed' "
                                      "AND payload->>'moderatorId' = (SELECT user_id::text FROM content.authors WHERE username = 'moira')")
                           .arg(first)),
                 1);
        QCOMPARE(resolve(m_mo, first, {{"resolution", "resolved"}}).status, 200);   // same outcome: no-op
        QVERIFY(isProblem(resolve(m_alice, first, {{"resolution", "dismissed"}}), 409, QStringLiteral("report-closed")));
        QCOMPARE(reportEvents(QStringLiteral("content.report.resolved")), 1);

        QCOMPARE(resolve(m_sam, second, {{"resolution", "dismissed"}}).json().value("status").toString(), QStringLiteral("dismissed"));
        QCOMPARE(resolve(m_erin, village, {{"resolution", "dismissed"}}).status, 200);
        QCOMPARE(reportEvents(QStringLiteral("content.report.resolved")), 3);

        QCOMPARE(items(queue(m_mo)).size(), 2);
        QCOMPARE(items(queue(m_mo, QStringLiteral("?status=resolved"))).size(), 1);
        QCOMPARE(items(queue(m_sam, QStringLiteral("?status=dismissed"))).size(), 2);
        QCOMPARE(items(queue(m_erin)).size(), 0);

        // Once closed, the same person may report the same thing again.
        auto anew = report(m_carol, {{"targetType", "post"}, {"targetId", m_villagePost}, {"reason", "spam"}});
        QCOMPARE(anew.status, 201);
        QVERIFY(anew.json().value("id").toString() != village);
    }

    void idempotencyKey()
    {
        const QList<QPair<QByteArray, QByteArray>> key{{"Content-Type", "application/json"}, {"Idempotency-Key", "report-once"}};
        // Last test: a fresh target, so the queue counts above are untouched.
        const QString postId = m_http.createPost(m_bob, QStringLiteral("town"), QStringLiteral("Once more")).value("id").toString();
        const QByteArray body = ContentHttp::json({{"targetType", "post"}, {"targetId", postId}, {"reason", "spam"}});
        auto first = m_http.call("POST", QStringLiteral("/v1/reports"), m_dave.token, body, key);
        QCOMPARE(first.status, 201);
        auto replay = m_http.call("POST", QStringLiteral("/v1/reports"), m_dave.token, body, key);
        QCOMPARE(replay.status, 201);
        QCOMPARE(replay.header("idempotent-replayed"), QByteArray("true"));
        QCOMPARE(replay.json().value("id"), first.json().value("id"));
        auto other = m_http.call("POST", QStringLiteral("/v1/reports"), m_dave.token,
                                 ContentHttp::json({{"targetType", "post"}, {"targetId", m_townPost}, {"reason", "other"}}), key);
        QVERIFY(isProblem(other, 422, QStringLiteral("idempotency-key-reused")));
    }
};

QTEST_GUILESS_MAIN(TstContentReports)
#include "tst_contentreports.moc"
