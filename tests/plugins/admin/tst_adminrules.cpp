// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Watched words over real HTTP: rules are validated (an RE2 pattern must compile; no
// look-around) and audited; the rule test endpoint shows what a text triggers (Korean
// particles included); a post matching a flag rule opens a queue item of kind "flag"
// once written, a block rule refuses it; removed rules stop applying.

#include "adminhttp.h"

#include <QJsonArray>

using namespace Admin::Test;

class TstAdminRules : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    Account m_author;

    HttpResult addRule(const char *kind, const QString &pattern, const char *action)
    {
        return m_http.op("POST", QStringLiteral("/v1/admin/rules"),
                         AdminHttp::json({{"kind", kind}, {"pattern", pattern}, {"action", action}}));
    }

    QJsonObject test(const QString &text)
    {
        return m_http.op("POST", QStringLiteral("/v1/admin/rules/test"), AdminHttp::json({{"text", text}})).json();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("author"));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("watched")).isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void badRulesAreFieldErrorsAndWriteNothing()
    {
        auto r = addRule("regex", QStringLiteral("a(b"), "block");
        QVERIFY(isProblem(r, 400, QStringLiteral("validation")));
        QCOMPARE(r.json().value("errors").toArray().first().toObject().value("code").toString(), QStringLiteral("invalid_regex"));
        r = addRule("regex", QStringLiteral("(?=x)"), "block");   // look-ahead is not linear-time: not RE2
        QVERIFY(isProblem(r, 400, QStringLiteral("validation")));
        r = addRule("phrase", QStringLiteral("x"), "ban");
        QCOMPARE(r.json().value("errors").toArray().size(), 2);
        QVERIFY(isProblem(m_http.op("POST", QStringLiteral("/v1/admin/rules"), "{\"kind\":\"word\"}"), 400, QStringLiteral("validation")));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.watch_rules"), 0);
    }

    void theTestEndpointShowsWhatATextTriggers()
    {
        QCOMPARE(addRule("word", QStringLiteral("카지노"), "block").status, 201);
        QCOMPARE(addRule("regex", QStringLiteral("free\\s+money"), "flag").status, 201);
        QCOMPARE(test(QStringLiteral("카지노 오픈")).value("action").toString(), QStringLiteral("block"));
        QCOMPARE(test(QStringLiteral("최고의 카지노에서 만나요")).value("action").toString(), QStringLiteral("block"));
        QCOMPARE(test(QStringLiteral("new카지노")).value("action").toString(), QStringLiteral("block"));
        QVERIFY(test(QStringLiteral("카지노게임즈 리뷰")).value("action").isNull());
        QCOMPARE(test(QStringLiteral("Get FREE   money")).value("action").toString(), QStringLiteral("flag"));
        QCOMPARE(test(QStringLiteral("free money at the 카지노를")).value("rules").toArray().size(), 2);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=rule.add"), 2).size(), 2);
    }

    void matchingPostsOpenAQueueItem()
    {
        const QString flagged = m_http.createPost(m_author, QStringLiteral("watched"), QStringLiteral("Get FREE money here")).value("id").toString();
        const QString clean = m_http.createPost(m_author, QStringLiteral("watched"), QStringLiteral("Hello")).value("id").toString();
        // A block rule refuses the write itself (tst_writegate); a flag rule lets it through
        // and opens an item.
        const auto blocked = m_http.call("POST", QStringLiteral("/v1/communities/watched/posts"), m_author.token,
                                         AdminHttp::json({{"title", "카지노를 소개합니다"}, {"body", ""}}));
        QVERIFY2(isProblem(blocked, 400, QStringLiteral("watched-word")), blocked.body.constData());
        const QJsonObject flagItem = m_http.waitForQueueItem(flagged);
        QCOMPARE(flagItem.value("kind").toString(), QStringLiteral("flag"));
        QCOMPARE(flagItem.value("openReports").toInt(), 0);
        QCOMPARE(flagItem.value("priority").toInt(), 30);
        // The clean post was seen too (it came before nothing else), and opened nothing.
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.queue_items WHERE target_id = " + clean.toStdString()), 0);
    }

    void removedRulesStopApplying()
    {
        const auto rules = m_http.op("GET", QStringLiteral("/v1/admin/rules")).json().value("items").toArray();
        QCOMPARE(rules.size(), 2);
        for (const QJsonValue &v : rules)
            QCOMPARE(m_http.op("DELETE", QStringLiteral("/v1/admin/rules/") + v.toObject().value("id").toString()).status, 204);
        QVERIFY(test(QStringLiteral("카지노 오픈")).value("action").isNull());
        QVERIFY(isProblem(m_http.op("DELETE", QStringLiteral("/v1/admin/rules/") + rules.first().toObject().value("id").toString()),
                          404, QStringLiteral("not-found")));
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=rule.remove"), 2).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstAdminRules)
#include "tst_adminrules.moc"
