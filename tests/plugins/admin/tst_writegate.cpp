// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Admin's policy at content's write gate, over real HTTP (real auth, users, content and
// admin plugins; ADR 0024): a `block` watched word refuses a post, a comment or an edit
// with a field error and writes nothing (Korean particles do not hide the word); a
// `flag` word lets the write through. A moderator's decision with a 3-day silence
// refuses the author's posts, comments and edits (403 silenced, naming the end) while
// others write on; when the silence ends the sweep lifts it and the author writes again.

#include "adminhttp.h"

#include <QJsonArray>

using namespace Admin::Test;

class TstWriteGate : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    Account m_author, m_other, m_mod;
    QString m_postId, m_commentId, m_authorId;

    HttpResult post(const Account &who, const QString &title, const QString &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/communities/gated/posts"), who.token,
                           AdminHttp::json({{"title", title}, {"body", body}}));
    }
    HttpResult comment(const Account &who, const QString &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/posts/%1/comments").arg(m_postId), who.token,
                           AdminHttp::json({{"body", body}}));
    }
    HttpResult editComment(const Account &who, const QString &body)
    {
        return m_http.call("PATCH", QStringLiteral("/v1/comments/%1").arg(m_commentId), who.token,
                           AdminHttp::json({{"body", body}}));
    }
    HttpResult editPost(const Account &who, const QString &title)
    {
        return m_http.call("PATCH", QStringLiteral("/v1/posts/%1").arg(m_postId), who.token,
                           AdminHttp::json({{"title", title}}));
    }
    /// Rows a write leaves behind: posts, comments, revisions and content events.
    QList<qint64> footprint()
    {
        return {m_http.scalar("SELECT count(*) FROM content.posts"), m_http.scalar("SELECT count(*) FROM content.comments"),
                m_http.scalar("SELECT count(*) FROM content.revisions"),
                m_http.scalar("SELECT count(*) FROM events.outbox WHERE type LIKE 'content.%'")};
    }
    static QStringList errorFields(const HttpResult &r, const QString &code)
    {
        QStringList fields;
        for (const QJsonValue &v : r.json().value("errors").toArray())
            if (v.toObject().value("code").toString() == code)
                fields << v.toObject().value("field").toString();
        return fields;
    }
private Q_SLOTS:
    void initTestCase()
    {
        m_http.extraSets << QStringLiteral("plugins.admin.penaltySweepMs=200");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("author"));
        m_other = m_http.registerUser(QStringLiteral("other"));
        m_mod = m_http.registerUser(QStringLiteral("warden"));
        QVERIFY(m_http.setRole(m_mod, QStringLiteral("moderator")));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("gated")).isEmpty());
        const QJsonObject p = m_http.createPost(m_author, QStringLiteral("gated"), QStringLiteral("Hello"), QStringLiteral("First"));
        m_postId = p.value("id").toString();
        m_authorId = p.value("author").toObject().value("id").toString();
        m_commentId = m_http.createComment(m_author, m_postId, QStringLiteral("a fine comment")).value("id").toString();
        QVERIFY(!m_postId.isEmpty() && !m_commentId.isEmpty());
        for (const auto &[kind, pattern, action] : {std::tuple{"word", "카지노", "block"}, std::tuple{"regex", "buy\\s+followers", "block"},
                                                    std::tuple{"word", "crypto", "flag"}})
            QCOMPARE(m_http.op("POST", QStringLiteral("/v1/admin/rules"),
                               AdminHttp::json({{"kind", kind}, {"pattern", pattern}, {"action", action}})).status,
                     201);
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void blockedWordsRefuseTheWriteAndWriteNothing()
    {
        const QList<qint64> before = footprint();
        auto r = post(m_author, QStringLiteral("카지노를 소개합니다"), QStringLiteral("Buy   Followers today"));
        QVERIFY2(isProblem(r, 400, QStringLiteral("watched-word")), r.body.constData());
        QCOMPARE(errorFields(r, QStringLiteral("blocked_word")), (QStringList{QStringLiteral("title"), QStringLiteral("body")}));
        r = comment(m_other, QStringLiteral("최고의 카지노에서 만나요"));
        QVERIFY2(isProblem(r, 400, QStringLiteral("watched-word")), r.body.constData());
        QCOMPARE(errorFields(r, QStringLiteral("blocked_word")), QStringList{QStringLiteral("body")});
        r = editComment(m_author, QStringLiteral("now with 카지노"));
        QVERIFY2(isProblem(r, 400, QStringLiteral("watched-word")), r.body.constData());
        r = editPost(m_author, QStringLiteral("buy followers here"));
        QVERIFY2(isProblem(r, 400, QStringLiteral("watched-word")), r.body.constData());
        QCOMPARE(footprint(), before);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.comments WHERE body = 'a fine comment' AND id = "
                               + m_commentId.toStdString()),
                 1);
        // A word that is only part of a longer one is not the word; a flag word goes through.
        QCOMPARE(comment(m_other, QStringLiteral("카지노게임즈 리뷰")).status, 201);
        QCOMPARE(comment(m_other, QStringLiteral("crypto talk")).status, 201);
    }

    void silenceRefusesTheAuthorUntilItEnds()
    {
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/reports"), m_other.token,
                             AdminHttp::json({{"targetType", "post"}, {"targetId", m_postId}, {"reason", "spam"}})).status,
                 201);
        const QString item = m_http.waitForQueueItem(m_postId).value("id").toString();
        QVERIFY(!item.isEmpty());
        // Days are required and bounded: a bad decision writes nothing.
        auto bad = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(item), m_mod.token,
                               AdminHttp::json({{"actions", QJsonArray{QJsonObject{{"type", "silence"}}}}, {"reason", "spam"}}));
        QVERIFY2(isProblem(bad, 400, QStringLiteral("validation")), bad.body.constData());
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.penalties"), 0);

        const auto decided = m_http.call(
            "POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(item), m_mod.token,
            AdminHttp::json({{"actions", QJsonArray{QJsonObject{{"type", "silence"}, {"days", 3}}}}, {"reason", "spam"}}));
        QCOMPARE(decided.status, 200);
        QCOMPARE(decided.json().value("penalties").toArray().size(), 1);

        // At once on this node: no window in which the author still writes.
        auto r = comment(m_author, QStringLiteral("still here"));
        QVERIFY2(isProblem(r, 403, QStringLiteral("silenced")), r.body.constData());
        const QString until = QDateTime::currentDateTimeUtc().addDays(3).toString(QStringLiteral("yyyy-MM-dd"));
        QVERIFY2(r.json().value("detail").toString().contains(until), r.body.constData());
        QVERIFY(isProblem(post(m_author, QStringLiteral("New"), QStringLiteral("x")), 403, QStringLiteral("silenced")));
        QVERIFY(isProblem(editComment(m_author, QStringLiteral("edited")), 403, QStringLiteral("silenced")));
        QVERIFY(isProblem(editPost(m_author, QStringLiteral("Edited")), 403, QStringLiteral("silenced")));
        QCOMPARE(comment(m_other, QStringLiteral("others write on")).status, 201);
        const auto penalties = m_http.call("GET", QStringLiteral("/v1/admin/penalties/") + m_authorId, m_mod.token);
        QCOMPARE(penalties.json().value("items").toArray().first().toObject().value("kind").toString(), QStringLiteral("silence"));

        // The silence ends: the sweep lifts it and the author writes again.
        QVERIFY(m_http.exec("UPDATE admin.penalties SET ends_at = now() - interval '1 second' WHERE kind = 'silence'"));
        QTRY_COMPARE_WITH_TIMEOUT(m_http.scalar("SELECT count(*) FROM admin.penalties WHERE lifted_at IS NOT NULL"), 1, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(comment(m_author, QStringLiteral("back again")).status, 201, 10'000);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=penalty.lift&targetId=") + m_authorId).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstWriteGate)
#include "tst_writegate.moc"
