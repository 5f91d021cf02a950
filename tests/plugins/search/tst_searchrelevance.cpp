// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Search over real HTTP against communityd (real auth, users, content and search
// plugins), content created through the content API and indexed from its events:
// a data-driven relevance table in English, Korean (particles and endings: 회원 finds
// 회원의, 회원들에게, 회원은), mixed Korean/English, Chinese and Japanese; filters and
// sorts; pagination; highlighting; deletion propagation (< 1 s); reindex equivalence;
// hostile queries; autocomplete (prefix, typo, ㅋㅁㄴㅌ, 커뮤닡); analytics and clicks.

#include "searchhttp.h"

#include <QJsonArray>

using namespace Search::Test;

class TstSearchRelevance : public QObject {
    Q_OBJECT

    SearchHttp m_http;
    Account m_alice, m_bob, m_mod, m_fan;
    QHash<QString, QString> m_ids;   // corpus name -> "post:<id>" / "comment:<id>"

    QString post(const Account &who, const QString &name, const QString &slug, const QString &title,
                 const QString &body, const QStringList &tags = {})
    {
        const QJsonObject p = m_http.createPost(who, slug, title, body, tags);
        const QString id = p.value(QStringLiteral("id")).toString();
        m_ids.insert(name, QStringLiteral("post:") + id);
        return id;
    }

    QString idOf(const QString &name) const { return m_ids.value(name).section(QLatin1Char(':'), 1); }

    /// Corpus names (or "kind:id" strings) -> keys.
    QStringList keysOf(const QStringList &names) const
    {
        QStringList out;
        for (const QString &n : names)
            out << m_ids.value(n, n);
        return out;
    }

    QString describe(const HttpResult &r) const
    {
        QStringList names;
        for (const QString &k : SearchHttp::keys(r))
            names << (m_ids.key(k).isEmpty() ? k : m_ids.key(k));
        return names.join(QStringLiteral(", ")) + QStringLiteral(" | ") + QString::fromUtf8(r.body.left(400));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_mod = m_http.registerUser(QStringLiteral("modkim"));
        m_fan = m_http.registerUser(QStringLiteral("searchfan"));
        QVERIFY(m_http.setRole(m_mod, QStringLiteral("moderator")));
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/users/me"), m_fan.token,
                             m_http.json({{"displayName", "검색 애호가"}, {"bio", "I love full text search"}})).status, 200);

        QVERIFY(!m_http.createCommunity(m_alice, QStringLiteral("dev"), QStringLiteral("Developers")).isEmpty());
        QVERIFY(!m_http.createCommunity(m_alice, QStringLiteral("kor"), QStringLiteral("한국어 커뮤니티")).isEmpty());
        QVERIFY(!m_http.createCommunity(m_bob, QStringLiteral("cjk"), QStringLiteral("東アジア")).isEmpty());

        // English.
        post(m_alice, "E1", "dev", "How to tune PostgreSQL full text search",
             "Use GIN indexes and ts_rank for ranking search results.", {"postgres", "search"});
        post(m_alice, "E2", "dev", "Running a community forum", "Moderation tips for running healthy communities.",
             {"community"});
        post(m_bob, "E3", "dev", "Cooking pasta at home", "Boil water, add salt, cook the pasta for ten minutes.",
             {"cooking"});
        post(m_bob, "E4", "dev", "Qt 6 networking", "QTcpServer and QNetworkAccessManager examples; searching the docs helps.",
             {"qt"});
        post(m_alice, "E5", "dev", "Weekly thread", "Talk about anything: postgres, pasta, or running. <script>x</script> 1 < 2 & 3 > 2");
        // Korean.
        post(m_alice, "K1", "kor", "회원 가입 안내", "새 회원은 이메일 인증 후 가입이 완료됩니다.", {"공지"});
        post(m_bob, "K2", "kor", "회원들에게 드리는 공지", "모든 회원의 개인정보는 안전하게 보관됩니다.", {"공지"});
        post(m_alice, "K3", "kor", "커뮤니티 운영 원칙", "우리 커뮤니티에서는 서로 존중합니다.");
        post(m_bob, "K4", "kor", "맛있는 파스타 만들기", "파스타를 삶을 때 소금을 넣으세요.", {"cooking"});
        post(m_alice, "K5", "kor", "검색 기능 개선", "한국어 검색이 이제 조사를 처리합니다. PostgreSQL 기반입니다.");
        post(m_bob, "K6", "kor", "회의록", "오늘 회의에서 결정한 사항을 정리했습니다.");
        // Mixed.
        post(m_alice, "M1", "kor", "Qt6와 PostgreSQL로 만든 커뮤니티", "C++ 서버를 Qt로 작성했습니다.");
        // Chinese and Japanese.
        post(m_bob, "C1", "cjk", "東京大学の研究", "日本語の全文検索はバイグラムで動きます。");
        post(m_bob, "C2", "cjk", "中文搜索引擎", "我们使用二元语法进行中文分词。");

        const QJsonObject c1 = m_http.createComment(m_bob, idOf("K1"), QStringLiteral("저도 회원 가입했어요. 감사합니다!"));
        m_ids.insert(QStringLiteral("K1c"), QStringLiteral("comment:") + c1.value(QStringLiteral("id")).toString());
        const QJsonObject c2 = m_http.createComment(m_alice, idOf("E1"), QStringLiteral("The GIN index made my queries fast."));
        m_ids.insert(QStringLiteral("E1c"), QStringLiteral("comment:") + c2.value(QStringLiteral("id")).toString());
        for (const QString &n : m_ids.keys())
            QVERIFY2(!m_ids.value(n).endsWith(QLatin1Char(':')), qPrintable(n));
        QVERIFY(m_http.waitIndexed());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void relevance_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QStringList>("top");        // expected first results, in this order
        QTest::addColumn<QStringList>("includes");   // must appear somewhere
        QTest::addColumn<QStringList>("excludes");   // must not appear

        const QString posts = QStringLiteral("&type=post");
        auto row = [](const char *name, const QString &query, const QString &extra, const QStringList &top,
                      const QStringList &includes, const QStringList &excludes) {
            QTest::newRow(name) << query << extra << top << includes << excludes;
        };
        // English: stemming, title above body, phrases, exclusion.
        row("en stem: search -> searching", u"search"_qs, posts, {"E1"}, {"E4"}, {"E3"});
        row("en title above body", u"pasta"_qs, posts, {"E3"}, {"E5"}, {"E1"});
        row("en running/run", u"run"_qs, posts, {"E2"}, {"E5"}, {});
        row("en phrase", u"\"full text\""_qs, posts, {"E1"}, {}, {"E5"});
        row("en exclusion", u"postgres -pasta"_qs, posts, {"E1"}, {}, {"E5"});
        row("en or", u"pasta or networking"_qs, posts, {}, {"E3", "E4", "E5"}, {"E1"});
        row("en case and width", u"ＰＯＳＴＧＲＥＳ"_qs, posts, {"E1"}, {"E5"}, {});
        // Korean: particles (josa), plural 들, endings; 회의 is not 회원.
        row("ko 회원", u"회원"_qs, posts, {}, {"K1", "K2"}, {"K6", "K3"});
        row("ko 회원의", u"회원의"_qs, posts, {}, {"K1", "K2"}, {"K6"});
        row("ko 회원들에게", u"회원들에게"_qs, posts, {"K2"}, {"K1"}, {"K6"});
        row("ko 회원은", u"회원은"_qs, posts, {}, {"K1", "K2"}, {"K6"});
        row("ko comments too", u"회원"_qs, u"&type=comment"_qs, {"K1c"}, {}, {});
        row("ko ending 가입했습니다", u"가입했습니다"_qs, posts, {"K1"}, {}, {"K2"});
        row("ko 커뮤니티 title first", u"커뮤니티"_qs, posts, {"K3"}, {"M1"}, {"K1"});
        row("ko 커뮤니티에서 (josa)", u"커뮤니티에서"_qs, posts, {"K3"}, {"M1"}, {});
        row("ko partial 뮤니티", u"뮤니티"_qs, posts, {}, {"K3", "M1"}, {"K1"});
        row("ko 파스타를", u"파스타를"_qs, posts, {"K4"}, {}, {"E3"});
        row("ko 회의", u"회의"_qs, posts, {"K6"}, {}, {"K1", "K2"});
        row("ko exclusion", u"회원 -안내"_qs, posts, {"K2"}, {}, {"K1"});
        // Mixed Korean/English.
        row("mixed PostgreSQL 검색", u"PostgreSQL 검색"_qs, posts, {"K5"}, {}, {"E1"});
        row("mixed Qt6와 커뮤니티", u"Qt6 커뮤니티"_qs, posts, {"M1"}, {}, {"K3"});
        row("mixed glued particle", u"postgresql로"_qs, posts, {}, {"M1", "K5", "E1"}, {});
        // Chinese and Japanese by bigrams.
        row("ja 東京", u"東京"_qs, posts, {"C1"}, {}, {"C2"});
        row("ja 全文検索", u"全文検索"_qs, posts, {"C1"}, {}, {"C2"});
        row("zh 搜索引擎", u"搜索引擎"_qs, posts, {"C2"}, {}, {"C1"});
        row("zh 中文", u"中文"_qs, posts, {"C2"}, {}, {});
        // Other kinds.
        row("community by title", u"커뮤니티"_qs, u"&type=community"_qs, {"community:kor"}, {}, {});
        row("user by display name", u"애호가"_qs, u"&type=user"_qs, {"user:searchfan"}, {}, {});
        row("user by username", u"searchfan"_qs, u"&type=user"_qs, {"user:searchfan"}, {}, {});
    }

    void relevance()
    {
        QFETCH(QString, query);
        QFETCH(QString, extra);
        QFETCH(QStringList, top);
        QFETCH(QStringList, includes);
        QFETCH(QStringList, excludes);
        const HttpResult r = m_http.search(query, extra);
        QVERIFY2(r.status == 200, qPrintable(describe(r)));
        QStringList got = SearchHttp::keys(r);
        // Communities and users by name: map "community:kor" / "user:searchfan" to ids.
        QStringList expectedTop;
        for (const QString &t : top) {
            if (t.startsWith(QLatin1String("community:")) || t.startsWith(QLatin1String("user:"))) {
                const QJsonObject first = r.json().value(QStringLiteral("items")).toArray().at(0).toObject();
                const QString name = t.section(QLatin1Char(':'), 1);
                const bool ok = first.value(QStringLiteral("community")).toObject().value(QStringLiteral("slug")).toString() == name
                                || first.value(QStringLiteral("author")).toObject().value(QStringLiteral("username")).toString() == name;
                QVERIFY2(ok && first.value(QStringLiteral("kind")).toString() == t.section(QLatin1Char(':'), 0, 0),
                         qPrintable(describe(r)));
                return;
            }
            expectedTop << m_ids.value(t);
        }
        QVERIFY2(got.mid(0, expectedTop.size()) == expectedTop, qPrintable(describe(r)));
        for (const QString &k : keysOf(includes))
            QVERIFY2(got.contains(k), qPrintable(QStringLiteral("missing ") + m_ids.key(k) + QStringLiteral(": ") + describe(r)));
        for (const QString &k : keysOf(excludes))
            QVERIFY2(!got.contains(k), qPrintable(QStringLiteral("unexpected ") + m_ids.key(k) + QStringLiteral(": ") + describe(r)));
    }

    void highlightsAreEscapedAndMarked()
    {
        const HttpResult r = m_http.search(QStringLiteral("회원들에게"), QStringLiteral("&type=post"));
        const QJsonObject first = r.json().value(QStringLiteral("items")).toArray().at(0).toObject();
        QCOMPARE(first.value("title").toString(), QStringLiteral("<mark>회원들에게</mark> 드리는 공지"));
        QVERIFY2(first.value("snippet").toString().contains(QStringLiteral("<mark>회원</mark>의")), qPrintable(first.value("snippet").toString()));

        const HttpResult e = m_http.search(QStringLiteral("anything"), QStringLiteral("&type=post"));
        const QString snippet = e.json().value(QStringLiteral("items")).toArray().at(0).toObject().value("snippet").toString();
        QVERIFY2(snippet.contains(QStringLiteral("<mark>anything</mark>")), qPrintable(snippet));
        // Markup in the source never reaches the snippet as markup: HTML tags are dropped at
        // indexing, everything else is escaped.
        QVERIFY2(!snippet.contains(QStringLiteral("script")) && snippet.contains(QStringLiteral("1 &lt; 2 &amp; 3 &gt; 2")),
                 qPrintable(snippet));
        // Only <mark> is ever emitted.
        QString stripped = snippet;
        stripped.remove(QStringLiteral("<mark>")).remove(QStringLiteral("</mark>"));
        QVERIFY(!stripped.contains(QLatin1Char('<')));

        const QJsonObject running = m_http.search(QStringLiteral("run"), QStringLiteral("&type=post")).json()
                                        .value(QStringLiteral("items")).toArray().at(0).toObject();
        QVERIFY2(running.value("title").toString().contains(QStringLiteral("<mark>Running</mark>")),
                 qPrintable(running.value("title").toString()));
        const QJsonObject ja = m_http.search(QStringLiteral("全文検索"), QStringLiteral("&type=post")).json()
                                   .value(QStringLiteral("items")).toArray().at(0).toObject();
        QVERIFY2(ja.value("snippet").toString().contains(QStringLiteral("<mark>全文検索</mark>")),
                 qPrintable(ja.value("snippet").toString()));
    }

    void itemsCarryTheirContext()
    {
        const HttpResult r = m_http.search(QStringLiteral("회원"), QStringLiteral("&type=comment"));
        const QJsonObject c = r.json().value(QStringLiteral("items")).toArray().at(0).toObject();
        QCOMPARE(c.value("postId").toString(), idOf("K1"));
        QCOMPARE(c.value("postTitle").toString(), QStringLiteral("회원 가입 안내"));
        QCOMPARE(c.value("community").toObject().value("slug").toString(), QStringLiteral("kor"));
        QCOMPARE(c.value("author").toObject().value("username").toString(), QStringLiteral("bob"));
        const QJsonObject p = m_http.search(QStringLiteral("pasta"), QStringLiteral("&type=post")).json()
                                  .value(QStringLiteral("items")).toArray().at(0).toObject();
        QCOMPARE(p.value("tags").toArray(), QJsonArray{QStringLiteral("cooking")});
        QCOMPARE(p.value("community").toObject().value("slug").toString(), QStringLiteral("dev"));
        QVERIFY(p.value("rank").toDouble() > 0);
        QVERIFY(QDateTime::fromString(p.value("createdAt").toString(), Qt::ISODateWithMs).isValid());
    }

    void filters()
    {
        auto keys = [&](const QString &q, const QString &extra) {
            const HttpResult r = m_http.search(q, extra);
            if (r.status != 200)
                qWarning() << r.status << r.body;
            return SearchHttp::keys(r);
        };
        // community
        const QStringList kor = keys(QStringLiteral("postgresql"), QStringLiteral("&community=kor"));
        QVERIFY2(kor.contains(m_ids["K5"]) && kor.contains(m_ids["M1"]) && !kor.contains(m_ids["E1"]), qPrintable(kor.join(',')));
        QVERIFY(keys(QStringLiteral("postgresql"), QStringLiteral("&community=KOR")).contains(m_ids["K5"]));
        QVERIFY(keys(QStringLiteral("postgresql"), QStringLiteral("&community=nosuch")).isEmpty());
        // author
        const QStringList bob = keys(QStringLiteral("pasta"), QStringLiteral("&author=Bob"));
        QVERIFY2(bob.contains(m_ids["E3"]) && !bob.contains(m_ids["E5"]), qPrintable(bob.join(',')));
        // tag (without q: newest first)
        const QStringList notices = keys(QString(), QStringLiteral("&tag=공지"));
        QCOMPARE(notices, (QStringList{m_ids["K2"], m_ids["K1"]}));
        const QStringList cooking = keys(QStringLiteral("파스타"), QStringLiteral("&tag=cooking"));
        QCOMPARE(cooking, QStringList{m_ids["K4"]});
        // type
        for (const QString &k : keys(QStringLiteral("회원"), QStringLiteral("&type=comment")))
            QVERIFY(k.startsWith(QLatin1String("comment:")));
        // date range
        const QString tomorrow = QDate::currentDate().addDays(2).toString(Qt::ISODate);
        const QString yesterday = QDate::currentDate().addDays(-2).toString(Qt::ISODate);
        QVERIFY(keys(QStringLiteral("pasta"), QStringLiteral("&from=") + tomorrow).isEmpty());
        QVERIFY(!keys(QStringLiteral("pasta"), QStringLiteral("&from=") + yesterday + QStringLiteral("&to=") + tomorrow).isEmpty());
        QVERIFY(keys(QStringLiteral("pasta"), QStringLiteral("&to=") + yesterday).isEmpty());
        const QString isoNow = SearchHttp::enc(QDateTime::currentDateTimeUtc().addDays(1).toString(Qt::ISODate));
        QVERIFY(!keys(QStringLiteral("pasta"), QStringLiteral("&to=") + isoNow).isEmpty());
        // combined
        QCOMPARE(keys(QStringLiteral("회원"), QStringLiteral("&type=post&community=kor&author=alice&tag=공지")),
                 QStringList{m_ids["K1"]});
        // bad filter values are 400s
        for (const QString &bad : {QStringLiteral("&type=video"), QStringLiteral("&sort=hot"), QStringLiteral("&from=yesterday"),
                                   QStringLiteral("&limit=0"), QStringLiteral("&limit=1000"), QStringLiteral("&cursor=nope")}) {
            const HttpResult r = m_http.search(QStringLiteral("pasta"), bad);
            QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), qPrintable(bad + QString::fromUtf8(r.body)));
        }
        // neither q nor a filter
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/search")), 400, QStringLiteral("validation")));
    }

    void sortsAndPages()
    {
        // new: newest first
        const QStringList byNew = SearchHttp::keys(m_http.search(QStringLiteral("pasta"), QStringLiteral("&type=post&sort=new")));
        QCOMPARE(byNew, (QStringList{m_ids["E5"], m_ids["E3"]}));
        // top: an upvote moves E3... and a downvote E5
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/vote").arg(idOf("E5")), m_bob.token, m_http.json({{"value", 1}})).status, 200);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/vote").arg(idOf("E5")), m_mod.token, m_http.json({{"value", 1}})).status, 200);
        QVERIFY(m_http.waitIndexed());
        const HttpResult top = m_http.search(QStringLiteral("pasta"), QStringLiteral("&type=post&sort=top"));
        QCOMPARE(SearchHttp::keys(top).first(), m_ids["E5"]);
        QCOMPARE(top.json().value("items").toArray().at(0).toObject().value("score").toInt(), 2);

        // pages: limit 2 over the Korean posts, no duplicates, same total
        QStringList seen;
        QString cursor;
        int pages = 0;
        qint64 total = -1;
        do {
            const HttpResult r = m_http.search(QString(), QStringLiteral("&community=kor&limit=2")
                                                             + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            QCOMPARE(r.status, 200);
            const QJsonObject o = r.json();
            if (total < 0)
                total = qint64(o.value("total").toDouble());
            QCOMPARE(qint64(o.value("total").toDouble()), total);
            QVERIFY(o.value("totalExact").toBool());
            for (const QString &k : SearchHttp::keys(r)) {
                QVERIFY2(!seen.contains(k), qPrintable(k));
                seen << k;
            }
            cursor = o.value("nextCursor").toString();
            ++pages;
        } while (!cursor.isEmpty() && pages < 20);
        QCOMPARE(qint64(seen.size()), total);
        QVERIFY(pages >= 4);
    }

    void deletionLeavesResultsWithinASecond()
    {
        const QString id = post(m_alice, "X1", "dev", "Ephemeral unicorn sighting", "A unicorn was seen near the lake.");
        QVERIFY(m_http.waitIndexed());
        QCOMPARE(SearchHttp::keys(m_http.search(QStringLiteral("unicorn"))), QStringList{m_ids["X1"]});

        auto gone = [&](const QString &q) {
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 3000) {
                if (SearchHttp::keys(m_http.search(q)).isEmpty())
                    return t.elapsed();
                QTest::qWait(10);
            }
            return qint64(-1);
        };
        // Author deletes.
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1").arg(id), m_alice.token).status, 200);
        const qint64 deletedMs = gone(QStringLiteral("unicorn"));
        QVERIFY2(deletedMs >= 0 && deletedMs < 1000, qPrintable(QString::number(deletedMs)));
        qInfo("deleted post left the results after %lld ms", static_cast<long long>(deletedMs));
        // Autocomplete forgets the title too.
        QVERIFY(m_http.suggest(QStringLiteral("ephemeral")).json().value("items").toArray().isEmpty());
        // Restored: back.
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/restore").arg(id), m_alice.token).status, 200);
        QVERIFY(m_http.waitIndexed());
        QCOMPARE(SearchHttp::keys(m_http.search(QStringLiteral("unicorn"))), QStringList{m_ids["X1"]});
        // A moderator removes it.
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/remove").arg(id), m_mod.token,
                             m_http.json({{"reason", "spam"}})).status, 200);
        const qint64 removedMs = gone(QStringLiteral("unicorn"));
        QVERIFY2(removedMs >= 0 && removedMs < 1000, qPrintable(QString::number(removedMs)));

        // Comments: deleting the comment, and deleting its post, both hide it.
        const QString pid = post(m_bob, "X2", "dev", "Dragons", "Here be dragons.");
        const QJsonObject c = m_http.createComment(m_alice, pid, QStringLiteral("I saw a griffin once."));
        const QString cid = c.value("id").toString();
        QVERIFY(m_http.waitIndexed());
        QCOMPARE(SearchHttp::keys(m_http.search(QStringLiteral("griffin"))), QStringList{QStringLiteral("comment:") + cid});
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1").arg(pid), m_bob.token).status, 200);
        const qint64 parentMs = gone(QStringLiteral("griffin"));
        QVERIFY2(parentMs >= 0 && parentMs < 1000, qPrintable(QString::number(parentMs)));
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/restore").arg(pid), m_bob.token).status, 200);
        QVERIFY(m_http.waitIndexed());
        QCOMPARE(SearchHttp::keys(m_http.search(QStringLiteral("griffin"))).size(), 1);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/comments/%1").arg(cid), m_alice.token).status, 200);
        const qint64 commentMs = gone(QStringLiteral("griffin"));
        QVERIFY2(commentMs >= 0 && commentMs < 1000, qPrintable(QString::number(commentMs)));

        // Edits replace the old text.
        const QString eid = post(m_bob, "X3", "dev", "Zeppelin facts", "Airships are big.");
        QVERIFY(m_http.waitIndexed());
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/posts/%1").arg(eid), m_bob.token,
                             m_http.json({{"title", "Blimp facts"}})).status, 200);
        QVERIFY(m_http.waitIndexed());
        QVERIFY(SearchHttp::keys(m_http.search(QStringLiteral("zeppelin"))).isEmpty());
        QCOMPARE(SearchHttp::keys(m_http.search(QStringLiteral("blimp"))), QStringList{m_ids["X3"]});
    }

    void reindexYieldsTheSameResults()
    {
        const QStringList queries{QStringLiteral("회원"), QStringLiteral("pasta"), QStringLiteral("커뮤니티"),
                                  QStringLiteral("postgresql"), QStringLiteral("東京"), QStringLiteral("run"),
                                  QStringLiteral("blimp")};
        auto snapshot = [&] {
            QStringList out;
            for (const QString &q : queries) {
                const HttpResult r = m_http.search(q);
                out << q + QStringLiteral(" -> ") + SearchHttp::keys(r).join(QLatin1Char(','))
                           + QStringLiteral(" total ") + QString::number(r.json().value("total").toDouble());
            }
            for (const QString &q : {QStringLiteral("ㅋㅁㄴㅌ"), QStringLiteral("pas")}) {
                QStringList texts;
                for (const QJsonValue &v : m_http.suggest(q).json().value("items").toArray())
                    texts << v.toObject().value("text").toString();
                out << q + QStringLiteral(" => ") + texts.join(QLatin1Char('|'));
            }
            return out;
        };
        const QStringList before = snapshot();
        const QJsonObject statusBefore = m_http.status();

        // The operator token only.
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/search/reindex"), m_mod.token).status, 401);
        const HttpResult r = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/search/reindex"));
        QCOMPARE(r.status, 202);
        const qint64 target = qint64(r.json().value("targetEventId").toDouble());
        QVERIFY(target >= m_http.outboxHead() - 0);
        QVERIFY(m_http.waitIndexed(target, 30'000));
        const QStringList after = snapshot();
        QCOMPARE(after, before);
        QCOMPARE(m_http.status().value("documents").toObject(), statusBefore.value("documents").toObject());
        QCOMPARE(m_http.status().value("suggestions"), statusBefore.value("suggestions"));
    }

    void hostileQueries_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");   // field error code for 400s
        QTest::newRow("only punctuation") << QStringLiteral("!!! ??? ... ,,,") << 400 << QStringLiteral("no_words");
        QTest::newRow("operator soup") << QStringLiteral("&|!():*<->") << 400 << QStringLiteral("no_words");
        QTest::newRow("operators around words") << QStringLiteral("pasta & (salt | !water):* <-> x") << 200 << QString();
        QTest::newRow("tsquery syntax") << QStringLiteral("'pasta':* & !'salt'") << 200 << QString();
        QTest::newRow("unbalanced quote") << QStringLiteral("\"full text") << 200 << QString();
        QTest::newRow("unbalanced quotes 2") << QStringLiteral("pasta \" \" \"") << 200 << QString();
        QTest::newRow("only exclusions") << QStringLiteral("-pasta -회원") << 400 << QStringLiteral("only_excluded");
        QTest::newRow("stop words only") << QStringLiteral("the of and") << 200 << QString();
        QTest::newRow("sql injection") << QStringLiteral("'; DROP TABLE search.documents; --") << 200 << QString();
        QTest::newRow("backslashes") << QStringLiteral("\\\\' \\x00 \\") << 200 << QString();
        QTest::newRow("nul byte") << QStringLiteral("pasta") + QChar(0) + QStringLiteral("salt") << 200 << QString();
        QTest::newRow("emoji only") << QStringLiteral("😀🎉") << 400 << QStringLiteral("no_words");
        QTest::newRow("too long (300)") << QString(300, QLatin1Char('a')) << 400 << QStringLiteral("too_long");
        QTest::newRow("10 kB of text") << QStringLiteral("lorem ipsum ").repeated(850) << 400 << QStringLiteral("too_long");
        QTest::newRow("1000 Hangul syllables") << QStringLiteral("회원들에게 ").repeated(200) << 400 << QStringLiteral("too_long");
        // Beyond the request-line/header limit the server refuses before the route runs.
        QTest::newRow("30 kB of Hangul") << QStringLiteral("회원들에게 ").repeated(700) << 431 << QString();
        QTest::newRow("too many words") << QStringLiteral("a b c d e f g h i j k l m n o p q r s t") << 400 << QStringLiteral("too_many_terms");
        QTest::newRow("many ors") << QStringLiteral("x or y or z or w or v or u or t or s or r") << 400 << QStringLiteral("too_many_terms");
        QTest::newRow("long Hangul word") << QStringLiteral("가나다라마바사아자차카타파하가나다라마바사아자차카타파하") << 200 << QString();
        QTest::newRow("mixed scripts soup") << QStringLiteral("東京-회원*ab|c\"d") << 200 << QString();
    }

    void hostileQueries()
    {
        QFETCH(QString, query);
        QFETCH(int, status);
        QFETCH(QString, code);
        QElapsedTimer t;
        t.start();
        const HttpResult r = m_http.search(query);
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(r.status == status, qPrintable(QString::number(r.status) + QString::fromUtf8(r.body.left(300))));
        if (status == 400) {
            QVERIFY(isProblem(r, 400, QStringLiteral("validation")));
            QCOMPARE(r.json().value("errors").toArray().at(0).toObject().value("code").toString(), code);
        }
        // Nothing was dropped.
        QVERIFY(m_http.scalar("SELECT count(*) FROM search.documents") > 0);
    }

    void typosAreCorrected_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("corrected");
        QTest::addColumn<QString>("first");
        QTest::newRow("transposition") << u"netwroking"_qs << u"networking"_qs << u"E4"_qs;
        QTest::newRow("short word") << u"pastaa"_qs << u"pasta"_qs << u"E3"_qs;
        QTest::newRow("two words, one wrong") << u"cooking psata"_qs << u"cooking pasta"_qs << u"E3"_qs;
        QTest::newRow("korean") << u"커뮤니트"_qs << u"커뮤니티"_qs << u"K3"_qs;
    }

    void typosAreCorrected()
    {
        QFETCH(QString, query);
        QFETCH(QString, corrected);
        QFETCH(QString, first);
        const HttpResult r = m_http.search(query, QStringLiteral("&type=post"));
        QCOMPARE(r.status, 200);
        QVERIFY2(r.json().value("fuzzy").toBool(), r.body.constData());
        QCOMPARE(r.json().value("correctedQuery").toString(), corrected);
        QCOMPARE(SearchHttp::keys(r).value(0), m_ids.value(first));
    }

    void correctWordsOnlyWhenNothingMatches()
    {
        const HttpResult ok = m_http.search(QStringLiteral("pasta"));
        QVERIFY(!ok.json().value("fuzzy").toBool());
        QVERIFY(ok.json().value("correctedQuery").isNull());
        const HttpResult none = m_http.search(QStringLiteral("qqqzzzvvv"));
        QCOMPARE(none.status, 200);
        QVERIFY(!none.json().value("fuzzy").toBool());
        QCOMPARE(none.json().value("total").toInt(), 0);
        QVERIFY(none.json().value("items").toArray().isEmpty());
    }

    void suggest_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");   // a suggestion text that must be among the answers
        QTest::addColumn<QString>("match");
        QTest::newRow("prefix title") << QStringLiteral("cooking pa") << QStringLiteral("Cooking pasta at home") << QStringLiteral("prefix");
        QTest::newRow("prefix later word") << QStringLiteral("pasta at") << QStringLiteral("Cooking pasta at home") << QStringLiteral("prefix");
        QTest::newRow("tag") << QStringLiteral("cook") << QStringLiteral("cooking") << QStringLiteral("prefix");
        QTest::newRow("community by slug") << QStringLiteral("de") << QStringLiteral("Developers") << QStringLiteral("prefix");
        QTest::newRow("username") << QStringLiteral("searchf") << QStringLiteral("searchfan") << QStringLiteral("prefix");
        QTest::newRow("display name") << QStringLiteral("검색 애") << QStringLiteral("searchfan") << QStringLiteral("prefix");
        QTest::newRow("exact") << QStringLiteral("cooking") << QStringLiteral("cooking") << QStringLiteral("exact");
        QTest::newRow("typo") << QStringLiteral("comunity forum") << QStringLiteral("Running a community forum") << QStringLiteral("fuzzy");
        QTest::newRow("typo 2") << QStringLiteral("netwroking") << QStringLiteral("Qt 6 networking") << QStringLiteral("fuzzy");
        QTest::newRow("ko prefix") << QStringLiteral("커뮤") << QStringLiteral("커뮤니티 운영 원칙") << QStringLiteral("prefix");
        QTest::newRow("ko choseong ㅋㅁㄴㅌ") << QStringLiteral("ㅋㅁㄴㅌ") << QStringLiteral("한국어 커뮤니티") << QStringLiteral("choseong");
        QTest::newRow("ko choseong title") << QStringLiteral("ㅋㅁㄴㅌ ㅇㅇ") << QStringLiteral("커뮤니티 운영 원칙") << QStringLiteral("choseong");
        QTest::newRow("ko unfinished 커뮤닡") << QStringLiteral("커뮤닡") << QStringLiteral("커뮤니티 운영 원칙") << QStringLiteral("prefix");
        QTest::newRow("ko unfinished lone jamo") << QStringLiteral("커뮤니ㅌ") << QStringLiteral("한국어 커뮤니티") << QStringLiteral("prefix");
        QTest::newRow("ko unfinished 회워") << QStringLiteral("회워") << QStringLiteral("회원 가입 안내") << QStringLiteral("prefix");
        QTest::newRow("ko tag") << QStringLiteral("공") << QStringLiteral("공지") << QStringLiteral("prefix");
        QTest::newRow("ko typo") << QStringLiteral("커뮤니트 운영") << QStringLiteral("커뮤니티 운영 원칙") << QStringLiteral("fuzzy");
        QTest::newRow("ja prefix") << QStringLiteral("東京") << QStringLiteral("東京大学の研究") << QStringLiteral("prefix");
    }

    void suggest()
    {
        QFETCH(QString, query);
        QFETCH(QString, expected);
        QFETCH(QString, match);
        const HttpResult r = m_http.suggest(query);
        QCOMPARE(r.status, 200);
        QStringList texts;
        QString gotMatch;
        for (const QJsonValue &v : r.json().value("items").toArray()) {
            texts << v.toObject().value("text").toString();
            if (texts.last() == expected)
                gotMatch = v.toObject().value("match").toString();
        }
        QVERIFY2(texts.contains(expected), qPrintable(texts.join(QStringLiteral(" | "))));
        QCOMPARE(gotMatch, match);
    }

    // Issue 10: suggest answered titles unescaped while search escaped them. One format
    // now (docs/search.md "Response text"): display text HTML-escaped in both, the plain
    // text of a suggestion in `value`.
    void suggestAndSearchShareOneTextFormat()
    {
        const QString title = QStringLiteral("Fishmonger & Chips <i>daily</i> \"fresh\"");
        post(m_bob, "X1", "dev", title, QStringLiteral("Fried fishmonger specials every day."));
        QVERIFY(m_http.waitIndexed());

        const HttpResult found = m_http.search(QStringLiteral("fishmonger"), QStringLiteral("&type=post"));
        QCOMPARE(found.status, 200);
        const QJsonObject hit = found.json().value(QStringLiteral("items")).toArray().at(0).toObject();
        QString shown = hit.value("title").toString();
        QVERIFY2(shown.contains(QStringLiteral("<mark>Fishmonger</mark>")), qPrintable(shown));
        shown.remove(QStringLiteral("<mark>")).remove(QStringLiteral("</mark>"));

        const HttpResult r = m_http.suggest(QStringLiteral("fishmo"));
        QCOMPARE(r.status, 200);
        QJsonObject item;
        for (const QJsonValue &v : r.json().value("items").toArray()) {
            if (v.toObject().value("kind").toString() == QLatin1String("title"))
                item = v.toObject();
        }
        QVERIFY2(!item.isEmpty(), r.body.constData());
        const QString text = item.value("text").toString();
        const QString value = item.value("value").toString();
        QCOMPARE(text, shown);                      // the same escaped text as search shows
        QCOMPARE(text, value.toHtmlEscaped());
        QVERIFY2(value.contains(QLatin1Char('&')) && value.contains(QLatin1Char('"')), qPrintable(value));
        QVERIFY2(!text.contains(QLatin1Char('<')) && !text.contains(QLatin1Char('"')) && text.contains(QStringLiteral("&amp;")),
                 qPrintable(text));
        QCOMPARE(item.value("detail").toString(), idOf("X1"));
    }

    void suggestLimits()
    {
        QVERIFY(isProblem(m_http.suggest(QString()), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.suggest(QString(65, QLatin1Char('x'))), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.suggest(QStringLiteral("a"), QStringLiteral("&limit=11")), 400, QStringLiteral("validation")));
        QCOMPARE(m_http.suggest(QStringLiteral("%_\\")).status, 200);
        QCOMPARE(m_http.suggest(QStringLiteral("!!!")).status, 200);
        const HttpResult one = m_http.suggest(QStringLiteral("c"), QStringLiteral("&limit=1"));
        QCOMPARE(one.json().value("items").toArray().size(), 1);
    }

    void analyticsAndClicks()
    {
        // Searches by a signed-in user: the normalised query with the user id, no IP.
        const HttpResult first = m_http.search(QStringLiteral("  Pasta  "), {}, m_fan.token);
        const QString queryId = first.json().value("queryId").toString();
        QVERIFY(!queryId.isEmpty());
        QCOMPARE(first.json().value("query").toString(), QStringLiteral("pasta"));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM search.queries WHERE id = " + queryId.toStdString()
                               + " AND query = 'pasta' AND user_id IS NOT NULL"), 1);
        // Later pages are not logged again.
        const QString next = first.json().value("nextCursor").toString();
        QVERIFY(next.isEmpty() || m_http.search(QStringLiteral("pasta"), QStringLiteral("&cursor=") + next)
                                      .json().value("queryId").isNull());
        m_http.search(QStringLiteral("PASTA"));
        m_http.search(QStringLiteral("xyzzyplugh"));
        m_http.search(QStringLiteral("xyzzyplugh"));

        const QJsonObject hit = first.json().value("items").toArray().at(0).toObject();
        const QByteArray click = m_http.json({{"queryId", queryId}, {"kind", hit.value("kind")}, {"id", hit.value("id")},
                                              {"position", 0}});
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/search/click"), m_fan.token, click).status, 204);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/search/click"), m_fan.token, click).status, 204);   // counted once
        QVERIFY(isProblem(m_http.call("POST", QStringLiteral("/v1/search/click"), {},
                                      m_http.json({{"queryId", "999999999"}, {"kind", "post"}, {"id", "1"}, {"position", 0}})),
                          404, QStringLiteral("not-found")));
        QVERIFY(isProblem(m_http.call("POST", QStringLiteral("/v1/search/click"), {},
                                      m_http.json({{"queryId", queryId}, {"kind", "video"}, {"id", "x"}, {"position", -1}})),
                          400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("POST", QStringLiteral("/v1/search/click"), {}, QByteArrayLiteral("{nope")), 400,
                          QStringLiteral("malformed-json")));

        // Stats: moderators and admins only.
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/search/stats"), m_fan.token).status, 403);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/search/stats")).status, 401);
        const HttpResult stats = m_http.call("GET", QStringLiteral("/v1/search/stats?days=1&limit=50"), m_mod.token);
        QCOMPARE(stats.status, 200);
        const QJsonObject s = stats.json();
        QVERIFY(s.value("searches").toDouble() >= 4);
        QVERIFY(s.value("ctr").toDouble() > 0);
        QCOMPARE(s.value("clicks").toDouble(), 1.0);
        QCOMPARE(s.value("meanClickPosition").toDouble(), 0.0);   // 0-based like the click itself
        QJsonObject pasta, zero;
        for (const QJsonValue &v : s.value("topQueries").toArray()) {
            if (v.toObject().value("query").toString() == QLatin1String("pasta"))
                pasta = v.toObject();
        }
        for (const QJsonValue &v : s.value("topZeroResultQueries").toArray()) {
            if (v.toObject().value("query").toString() == QLatin1String("xyzzyplugh"))
                zero = v.toObject();
        }
        QVERIFY2(pasta.value("count").toDouble() >= 2, qPrintable(QString::fromUtf8(stats.body)));
        QCOMPARE(pasta.value("clicked").toDouble(), 1.0);
        QCOMPARE(zero.value("count").toDouble(), 2.0);
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/search/stats?days=0"), m_mod.token), 400,
                          QStringLiteral("validation")));
    }

    /// A signed-in viewer never finds what blocked or muted authors wrote, nor the posts
    /// of someone who blocks them; others still do, and undoing the relation brings it back.
    void blockedAndMutedAuthorsAreLeftOut()
    {
        const QString pasta = QStringLiteral("pasta");
        const QStringList everyone = SearchHttp::keys(m_http.search(pasta, {}, m_fan.token));
        QVERIFY(everyone.contains(m_ids["E3"]) && everyone.contains(m_ids["E5"]));   // bob's and alice's
        auto relate = [&](const char *method, const Account &who, const QString &what, const QString &whom) {
            return m_http.call(method, QStringLiteral("/v1/users/%1/%2").arg(whom, what), who.token).status;
        };
        QCOMPARE(relate("PUT", m_fan, QStringLiteral("block"), QStringLiteral("bob")), 204);
        QStringList seen = SearchHttp::keys(m_http.search(pasta, {}, m_fan.token));
        QVERIFY2(!seen.contains(m_ids["E3"]) && !seen.contains(m_ids["K4"]), qPrintable(seen.join(',')));
        QVERIFY(seen.contains(m_ids["E5"]));
        QVERIFY(SearchHttp::keys(m_http.search(pasta)).contains(m_ids["E3"]));   // anonymous: unchanged
        // Bob's comment is gone for the viewer too, alice's post it sits under is not.
        QVERIFY(!SearchHttp::keys(m_http.search(QStringLiteral("회원"), {}, m_fan.token)).contains(m_ids["K1c"]));
        QVERIFY(SearchHttp::keys(m_http.search(QStringLiteral("회원"), {}, m_fan.token)).contains(m_ids["K1"]));

        QCOMPARE(relate("PUT", m_fan, QStringLiteral("mute"), QStringLiteral("alice")), 204);
        QVERIFY(SearchHttp::keys(m_http.search(pasta, {}, m_fan.token)).isEmpty());
        QCOMPARE(relate("DELETE", m_fan, QStringLiteral("mute"), QStringLiteral("alice")), 204);
        QCOMPARE(relate("DELETE", m_fan, QStringLiteral("block"), QStringLiteral("bob")), 204);
        QCOMPARE(SearchHttp::keys(m_http.search(pasta, {}, m_fan.token)), everyone);

        // Blocked by the author: the author's writing is hidden from the blocked viewer.
        QCOMPARE(relate("PUT", m_bob, QStringLiteral("block"), QStringLiteral("searchfan")), 204);
        QVERIFY(!SearchHttp::keys(m_http.search(pasta, {}, m_fan.token)).contains(m_ids["E3"]));
        QCOMPARE(relate("DELETE", m_bob, QStringLiteral("block"), QStringLiteral("searchfan")), 204);
    }

    void metricsShowIndexLag()
    {
        QVERIFY(m_http.waitIndexed());
        QTest::qWait(5500);   // the lag gauge is refreshed every 5 s
        const QByteArray metrics = m_http.daemon.operatorRequest("GET", QStringLiteral("/metrics")).body;
        QVERIFY(metrics.contains("community_search_index_lag_events 0"));
        QVERIFY(metrics.contains("community_events_lag{consumer=\"search.index\"}"));
        QVERIFY(metrics.contains("community_search_last_indexed_event_id"));
        QVERIFY(metrics.contains("community_search_queries_total{outcome=\"zero\"}"));
    }
};

QTEST_GUILESS_MAIN(TstSearchRelevance)
#include "tst_searchrelevance.moc"
