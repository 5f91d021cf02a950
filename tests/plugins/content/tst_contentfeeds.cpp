// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Feeds over real HTTP (real auth, users and content plugins): every sort and top window,
// pinned posts, keyset pages while new posts arrive (no duplicates, no gaps), the home
// feed (followed users + joined communities), blocked/muted authors, deleted/removed
// posts, the tag filter, and 400/401/404 answers. Scores, hot ranks and ages are set by
// SQL on the daemon's database (the vote routes are not needed for that).

#include "contenthttp.h"

#include <pqxx/pqxx>

#include <set>

using namespace Content::Test;

namespace {

QStringList idsOf(const QJsonArray &posts)
{
    QStringList ids;
    for (const QJsonValue &v : posts)
        ids << v.toObject().value(QStringLiteral("id")).toString();
    return ids;
}

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

QString withCursor(const QString &path, const QString &cursor)
{
    if (cursor.isEmpty())
        return path;
    return path + (path.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) + QStringLiteral("cursor=")
           + QString::fromLatin1(QUrl::toPercentEncoding(cursor));
}

/// The field names of a 400 problem's errors.
QStringList errorFields(const HttpResult &r)
{
    QStringList fields;
    for (const QJsonValue &v : r.json().value(QStringLiteral("errors")).toArray())
        fields << v.toObject().value(QStringLiteral("field")).toString();
    fields.sort();
    return fields;
}

} // namespace

class TstContentFeeds : public QObject {
    Q_OBJECT

    ContentHttp m_http;
    Account m_owner, m_reader, m_a1, m_a2, m_followed, m_blocked, m_muted, m_blocker;

    /// Runs `sql` on the daemon's database and returns the first column of every row.
    QStringList column(const std::string &sql)
    {
        QStringList out;
        try {
            pqxx::connection c(m_http.daemon.database()->conninfo());
            pqxx::nontransaction tx(c);
            for (const auto &row : tx.exec(sql))
                out << QString::fromStdString(row[0].c_str());
        } catch (const std::exception &e) {
            qWarning() << "column" << sql.c_str() << e.what();
        }
        return out;
    }
    void exec(const QString &sql) { QVERIFY2(m_http.scalar(sql.toStdString()) >= 0, qPrintable(sql)); }

    QString postId(const Account &who, const QString &slug, const QString &title, const QStringList &tags = {})
    {
        return m_http.createPost(who, slug, title, QStringLiteral("Body of ") + title, tags).value("id").toString();
    }
    /// `count` posts by SQL (fast), titles "<prefix> <i>"; returns their ids in id order.
    QStringList bulkPosts(const QString &slug, const Account &author, int count, const QString &prefix)
    {
        const QString authorId = column(QStringLiteral("SELECT user_id FROM content.authors WHERE username = '%1'")
                                            .arg(author.username).toStdString()).value(0);
        return column(QStringLiteral(
            "INSERT INTO content.posts (community_id, author_id, title, body, hot) "
            "SELECT c.id, %1, '%2 ' || g, repeat('text ', 100), extract(epoch FROM now()) / 45000.0 "
            "FROM content.communities c, generate_series(1, %3) g WHERE c.slug = '%4' ORDER BY g RETURNING id")
                          .arg(authorId, prefix).arg(count).arg(slug).toStdString());
    }
    HttpResult get(const QString &path, const Account *who = nullptr)
    {
        return m_http.call("GET", path, who ? who->token : QByteArray());
    }
    /// Pages through `path` (which carries its own query) and returns every id, failing on
    /// a duplicate; `between` runs after each page.
    QStringList allPages(const QString &path, const Account *who, int *pages = nullptr,
                         const std::function<void()> &between = {})
    {
        QStringList ids;
        std::set<QString> seen;
        QString cursor;
        int n = 0;
        do {
            const auto r = get(withCursor(path, cursor), who);
            if (r.status != 200) {
                qWarning() << path << r.status << r.body;
                return {};
            }
            for (const QString &id : idsOf(items(r))) {
                if (!seen.insert(id).second) {
                    qWarning() << "duplicate" << id << "on page" << n + 1 << "of" << path;
                    return {};
                }
                ids << id;
            }
            cursor = r.json().value("nextCursor").toString();
            ++n;
            if (between)
                between();
        } while (!cursor.isEmpty() && n < 1000);
        if (pages)
            *pages = n;
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_owner = m_http.registerUser(QStringLiteral("feedowner"));
        m_reader = m_http.registerUser(QStringLiteral("feedreader"));
        m_a1 = m_http.registerUser(QStringLiteral("feedauthor1"));
        m_a2 = m_http.registerUser(QStringLiteral("feedauthor2"));
        m_followed = m_http.registerUser(QStringLiteral("feedfollowed"));
        m_blocked = m_http.registerUser(QStringLiteral("feedblocked"));
        m_muted = m_http.registerUser(QStringLiteral("feedmuted"));
        m_blocker = m_http.registerUser(QStringLiteral("feedblocker"));
        for (const Account *a : {&m_owner, &m_reader, &m_a1, &m_a2, &m_followed, &m_blocked, &m_muted, &m_blocker})
            QVERIFY2(!a->token.isEmpty(), qPrintable(a->username));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void sortsAndWindows_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");   // titles in order
        QTest::newRow("default is hot") << "" << "A C E D B F";
        QTest::newRow("hot") << "?sort=hot" << "A C E D B F";
        QTest::newRow("new") << "?sort=new" << "E D C B F A";
        QTest::newRow("new ignores t") << "?sort=new&t=day" << "E D C B F A";
        QTest::newRow("top (all)") << "?sort=top" << "A F B C D E";
        QTest::newRow("top all") << "?sort=top&t=all" << "A F B C D E";
        QTest::newRow("top year") << "?sort=top&t=year" << "F B C D E";
        QTest::newRow("top month") << "?sort=top&t=month" << "B C D E";
        QTest::newRow("top week") << "?sort=top&t=week" << "C D E";
        QTest::newRow("top day") << "?sort=top&t=day" << "D E";
    }

    void sortsAndWindows()
    {
        QFETCH(QString, query);
        QFETCH(QString, expected);
        static bool seeded = false;
        if (!seeded) {
            QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-sorts")).isEmpty());
            // title: age, score, hot (hot set apart from age so that each order differs).
            struct P { const char *title, *age; int score; int hot; };
            for (const P &p : {P{"A", "400 days", 50, 5}, P{"B", "20 days", 30, 1}, P{"C", "3 days", 20, 4},
                               P{"D", "2 hours", 5, 2}, P{"E", "0 seconds", -2, 3}, P{"F", "100 days", 40, 0}}) {
                const QString id = postId(m_a1, QStringLiteral("feed-sorts"), QLatin1String(p.title));
                QVERIFY(!id.isEmpty());
                exec(QStringLiteral("UPDATE content.posts SET created_at = now() - interval '%1', score = %2, hot = %3 "
                                    "WHERE id = %4")
                         .arg(QLatin1String(p.age)).arg(p.score).arg(p.hot).arg(id));
            }
            seeded = true;
        }
        const auto r = get(QStringLiteral("/v1/communities/feed-sorts/posts") + query);
        QCOMPARE(r.status, 200);
        QStringList titles;
        for (const QJsonValue &v : items(r))
            titles << v.toObject().value("title").toString();
        QCOMPARE(titles.join(QLatin1Char(' ')), expected);
        QVERIFY(r.json().value("nextCursor").isNull());
        QCOMPARE(r.json().value("pinned").toArray().size(), 0);
        // Feed items are excerpts.
        const QJsonObject first = items(r).at(0).toObject();
        QCOMPARE(first.value("excerpt").toString(), QStringLiteral("Body of ") + expected.left(1));
        QVERIFY(!first.contains("body") && !first.contains("bodyHtml"));
        QCOMPARE(first.value("community").toObject().value("slug").toString(), QStringLiteral("feed-sorts"));
        QCOMPARE(first.value("author").toObject().value("username").toString(), m_a1.username);
    }

    void excerptIsShortened()
    {
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-long")).isEmpty());
        const QString body = QString(300, QLatin1Char('x'));
        QVERIFY(!m_http.createPost(m_a1, QStringLiteral("feed-long"), QStringLiteral("long"), body).isEmpty());
        const auto r = get(QStringLiteral("/v1/communities/feed-long/posts"));
        QCOMPARE(r.status, 200);
        QCOMPARE(items(r).at(0).toObject().value("excerpt").toString(), QString(280, QLatin1Char('x')) + QChar(0x2026));
    }

    void itemsAreThePostViewExcerpt()
    {
        // Feeds write their JSON directly; it must say what postJson says (the post routes'
        // answer, minus body/bodyHtml, plus the excerpt), escapes and all.
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-json")).isEmpty());
        const QString body = QStringLiteral("line \"one\"\n\\ back\tslash \u00fcn\u00efc\u00f6de \u20ac \U0001F600 <b>&amp;</b>")
                             + QString(300, QLatin1Char('y'));
        auto created = m_http.createPost(m_a1, QStringLiteral("feed-json"), QStringLiteral("T\u00eftle \"q\" \\ \U0001F680"),
                                         body, {QStringLiteral("caf\u00e9"), QStringLiteral("x-1")});
        QVERIFY(!created.isEmpty());
        const QString id = created.value("id").toString();
        auto patched = m_http.call("PATCH", QStringLiteral("/v1/posts/%1").arg(id), m_a1.token,
                                   ContentHttp::json({{"title", "Edited \"title\""}}), {{"Content-Type", "application/json"}});
        QCOMPARE(patched.status, 200);
        QJsonObject expected = patched.json();
        QVERIFY(expected.value("editedAt").isString());
        expected.remove("body");
        expected.remove("bodyHtml");
        expected.insert("excerpt", body.left(280) + QChar(0x2026));
        // The viewer's own vote and bookmark (set by SQL: those routes are another module's).
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/feed-json/join"), m_reader.token).status, 200);
        const QString viewerId = column("SELECT user_id FROM content.authors WHERE username = 'feedreader'").value(0);
        QVERIFY(!viewerId.isEmpty());
        exec(QStringLiteral("INSERT INTO content.post_votes (post_id, user_id, value) VALUES (%1, %2, -1)").arg(id, viewerId));
        exec(QStringLiteral("INSERT INTO content.bookmarks (user_id, post_id) VALUES (%2, %1)").arg(id, viewerId));

        for (const Account *who : std::initializer_list<const Account *>{nullptr, &m_reader}) {
            for (const QString &path : {QStringLiteral("/v1/communities/feed-json/posts"), QStringLiteral("/v1/posts?sort=new")}) {
                const auto r = get(path, who);
                QCOMPARE(r.status, 200);
                QCOMPARE(r.header("content-type"), QByteArray("application/json"));
                QJsonObject item = items(r).at(0).toObject();
                QCOMPARE(item.value("myVote").toInt(), who ? -1 : 0);
                QCOMPARE(item.value("bookmarked").toBool(), who != nullptr);
                item.insert("myVote", 0);
                item.insert("bookmarked", false);
                QCOMPARE(item, expected);
                if (!who)   // byte for byte what QJsonDocument writes
                    QVERIFY(r.body.contains(QJsonDocument(item).toJson(QJsonDocument::Compact)));
            }
        }
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/feed-json/leave"), m_reader.token).status, 200);
    }

    void pinnedPosts()
    {
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-pins")).isEmpty());
        QStringList ids;
        for (int i = 1; i <= 4; ++i)
            ids << postId(m_a1, QStringLiteral("feed-pins"), QStringLiteral("P%1").arg(i));
        // Distinct hot ranks and ages: P4 first in both orders.
        for (int i = 0; i < 4; ++i)
            exec(QStringLiteral("UPDATE content.posts SET hot = %1, created_at = now() - interval '%2 minutes' WHERE id = %3")
                     .arg(i).arg(10 - i).arg(ids[i]));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/pin").arg(ids[1]), m_owner.token).status, 200);

        for (const char *sort : {"hot", "new"}) {
            const QString path = QStringLiteral("/v1/communities/feed-pins/posts?limit=2&sort=") + QLatin1String(sort);
            const auto first = get(path);
            QCOMPARE(first.status, 200);
            QCOMPARE(idsOf(first.json().value("pinned").toArray()), QStringList{ids[1]});
            QVERIFY(first.json().value("pinned").toArray().at(0).toObject().value("pinned").toBool());
            QCOMPARE(idsOf(items(first)), (QStringList{ids[3], ids[2]}));
            const auto second = get(withCursor(path, first.json().value("nextCursor").toString()));
            QCOMPARE(second.status, 200);
            QCOMPARE(second.json().value("pinned").toArray().size(), 0);
            QCOMPARE(idsOf(items(second)), QStringList{ids[0]});
            QVERIFY(second.json().value("nextCursor").isNull());
        }
        // Top: pinned posts are ordinary items.
        const auto top = get(QStringLiteral("/v1/communities/feed-pins/posts?sort=top"));
        QCOMPARE(top.json().value("pinned").toArray().size(), 0);
        QCOMPARE(sorted(idsOf(items(top))), sorted(ids));
    }

    void pagesStableWhilePostsArrive_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("order");   // SQL ORDER BY of the expected sequence
        QTest::newRow("hot") << "sort=hot" << "hot DESC, id DESC";
        QTest::newRow("new") << "sort=new" << "created_at DESC, id DESC";
        QTest::newRow("top all") << "sort=top" << "score DESC, id DESC";
        QTest::newRow("top day") << "sort=top&t=day" << "score DESC, id DESC";
    }

    void pagesStableWhilePostsArrive()
    {
        QFETCH(QString, query);
        QFETCH(QString, order);
        const QString slug = QStringLiteral("feed-pages-%1").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'));
        QVERIFY(!m_http.createCommunity(m_owner, slug).isEmpty());
        postId(m_a1, slug, QStringLiteral("first"));   // makes a1 an author (content.authors)
        QStringList initial = bulkPosts(slug, m_a1, 22, QStringLiteral("bulk"));
        QCOMPARE(initial.size(), 22);
        // Ties on purpose (score 0..3, hot 0..4, two posts per created_at): the id decides.
        exec(QStringLiteral("UPDATE content.posts p SET score = p.id %% 4, hot = p.id %% 5, "
                            "created_at = now() - (p.id / 2) * interval '1 minute' "
                            "FROM content.communities c WHERE c.id = p.community_id AND c.slug = '%1'")
                 .arg(slug).replace(QStringLiteral("%%"), QStringLiteral("%")));
        const QStringList expected = column(QStringLiteral("SELECT p.id FROM content.posts p JOIN content.communities c "
                                                           "ON c.id = p.community_id WHERE c.slug = '%1' ORDER BY p.%2")
                                                .arg(slug, QString(order).replace(QStringLiteral(", "), QStringLiteral(", p."))).toStdString());
        QCOMPARE(expected.size(), 23);

        int pages = 0, written = 0;
        const QStringList seen = allPages(QStringLiteral("/v1/communities/%1/posts?limit=5&%2").arg(slug, query), nullptr,
                                          &pages, [&] {
            // New posts between page fetches, ranked last by hot and top: without the cursor's
            // anchor they would show up on the following pages.
            const QString id = postId(m_a2, slug, QStringLiteral("late %1").arg(written++));
            exec(QStringLiteral("UPDATE content.posts SET score = -1, hot = -1 WHERE id = %1").arg(id));
        });
        QCOMPARE(pages, 5);
        QCOMPARE(seen, expected);
        QCOMPARE(written, 5);
        // A fresh first page sees the late posts.
        const auto fresh = get(QStringLiteral("/v1/communities/%1/posts?limit=100&%2").arg(slug, query));
        QCOMPARE(items(fresh).size(), 28);
    }

    void homeFeed()
    {
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("home-joined")).isEmpty());
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("home-other")).isEmpty());
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/home-joined/join"), m_reader.token).status, 200);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/feedfollowed/follow"), m_reader.token).status, 204);

        // Nothing yet.
        auto empty = get(QStringLiteral("/v1/feed"), &m_reader);
        QCOMPARE(empty.status, 200);
        QCOMPARE(items(empty).size(), 0);
        QVERIFY(empty.json().value("nextCursor").isNull());
        QVERIFY(!empty.json().contains("pinned"));

        const QStringList expected{
            postId(m_a1, QStringLiteral("home-joined"), QStringLiteral("J1")),
            postId(m_a2, QStringLiteral("home-joined"), QStringLiteral("J2")),
            postId(m_followed, QStringLiteral("home-other"), QStringLiteral("F1")),
            postId(m_followed, QStringLiteral("home-joined"), QStringLiteral("F2")),   // both ways: once
        };
        postId(m_a1, QStringLiteral("home-other"), QStringLiteral("O1"));   // neither joined nor followed
        postId(m_owner, QStringLiteral("feed-long"), QStringLiteral("O2"));
        exec(QStringLiteral("UPDATE content.posts SET score = id %% 7, hot = id %% 3 WHERE id IN (%1)")
                 .arg(expected.join(QLatin1Char(','))).replace(QStringLiteral("%%"), QStringLiteral("%")));

        for (const char *q : {"", "?sort=new", "?sort=hot", "?sort=top", "?sort=top&t=day"}) {
            const auto r = get(QStringLiteral("/v1/feed") + QLatin1String(q), &m_reader);
            QCOMPARE(r.status, 200);
            QCOMPARE(sorted(idsOf(items(r))), sorted(expected));
            int pages = 0;
            const QStringList paged = allPages(QStringLiteral("/v1/feed?limit=1&sort=%1").arg(QLatin1String(q).mid(6)),
                                               &m_reader, &pages);
            QCOMPARE(sorted(paged), sorted(expected));
            QCOMPARE(pages, 4);
        }
        const auto newest = get(QStringLiteral("/v1/feed?sort=new"), &m_reader);
        QCOMPARE(idsOf(items(newest)), (QStringList{expected[3], expected[2], expected[1], expected[0]}));

        QCOMPARE(get(QStringLiteral("/v1/feed")).status, 401);
        // Leaving and unfollowing empties it.
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/home-joined/leave"), m_reader.token).status, 200);
        QCOMPARE(sorted(idsOf(items(get(QStringLiteral("/v1/feed"), &m_reader)))), sorted({expected[2], expected[3]}));
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/feedfollowed/follow"), m_reader.token).status, 204);
        QCOMPARE(items(get(QStringLiteral("/v1/feed"), &m_reader)).size(), 0);
    }

    void blockedAndMutedAuthorsLeftOut()
    {
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-hidden")).isEmpty());
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/feed-hidden/join"), m_reader.token).status, 200);
        const QStringList tag{QStringLiteral("hiddentag")};
        const QString shown = postId(m_a1, QStringLiteral("feed-hidden"), QStringLiteral("shown"), tag);
        const QStringList all{shown,
                              postId(m_blocked, QStringLiteral("feed-hidden"), QStringLiteral("by blocked"), tag),
                              postId(m_muted, QStringLiteral("feed-hidden"), QStringLiteral("by muted"), tag),
                              postId(m_blocker, QStringLiteral("feed-hidden"), QStringLiteral("by blocker"), tag)};
        // Pinned posts of hidden authors are left out as well.
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/pin").arg(all[1]), m_owner.token).status, 200);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/feedmuted/follow"), m_reader.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/feedblocked/block"), m_reader.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/feedmuted/mute"), m_reader.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/feedreader/block"), m_blocker.token).status, 204);

        const auto everything = [](const HttpResult &r) {
            return sorted(idsOf(items(r)) + idsOf(r.json().value("pinned").toArray()));
        };
        for (const char *sort : {"hot", "new", "top"}) {
            const QString q = QStringLiteral("?sort=") + QLatin1String(sort);
            QCOMPARE(everything(get(QStringLiteral("/v1/communities/feed-hidden/posts") + q, &m_reader)), QStringList{shown});
            QCOMPARE(everything(get(QStringLiteral("/v1/communities/feed-hidden/posts") + q)), sorted(all));
            QCOMPARE(idsOf(items(get(QStringLiteral("/v1/feed") + q, &m_reader))), QStringList{shown});
            QCOMPARE(idsOf(items(get(QStringLiteral("/v1/posts?tag=hiddentag&sort=") + QLatin1String(sort), &m_reader))),
                     QStringList{shown});
            QCOMPARE(sorted(idsOf(items(get(QStringLiteral("/v1/posts?tag=hiddentag&sort=") + QLatin1String(sort))))),
                     sorted(all));
        }
        // Undone: back in the viewer's feeds.
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/feedblocked/block"), m_reader.token).status, 204);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/feedmuted/mute"), m_reader.token).status, 204);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/feedreader/block"), m_blocker.token).status, 204);
        QCOMPARE(everything(get(QStringLiteral("/v1/communities/feed-hidden/posts"), &m_reader)), sorted(all));
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/feed-hidden/leave"), m_reader.token).status, 200);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/feedmuted/follow"), m_reader.token).status, 204);
    }

    void deletedAndRemovedLeftOut()
    {
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-gone")).isEmpty());
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/feed-gone/join"), m_reader.token).status, 200);
        const QStringList tag{QStringLiteral("gonetag")};
        const QString deleted = postId(m_a1, QStringLiteral("feed-gone"), QStringLiteral("deleted"), tag);
        const QString removed = postId(m_a1, QStringLiteral("feed-gone"), QStringLiteral("removed"), tag);
        const QString kept = postId(m_a1, QStringLiteral("feed-gone"), QStringLiteral("kept"), tag);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/pin").arg(removed), m_owner.token).status, 200);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1").arg(deleted), m_a1.token).status, 200);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/remove").arg(removed), m_owner.token,
                             ContentHttp::json({{"reason", "spam"}}), {{"Content-Type", "application/json"}}).status,
                 200);
        for (const char *sort : {"hot", "new", "top"}) {
            const QString q = QStringLiteral("sort=") + QLatin1String(sort);
            const auto community = get(QStringLiteral("/v1/communities/feed-gone/posts?") + q, &m_reader);
            QCOMPARE(idsOf(items(community)), QStringList{kept});
            QCOMPARE(community.json().value("pinned").toArray().size(), 0);
            QCOMPARE(idsOf(items(get(QStringLiteral("/v1/feed?") + q, &m_reader))), QStringList{kept});
            QCOMPARE(idsOf(items(get(QStringLiteral("/v1/posts?tag=gonetag&") + q))), QStringList{kept});
        }
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/communities/feed-gone/leave"), m_reader.token).status, 200);
    }

    void allPostsAndTags()
    {
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-tags-a")).isEmpty());
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-tags-b")).isEmpty());
        const QStringList tagged{
            postId(m_a1, QStringLiteral("feed-tags-a"), QStringLiteral("t1"), {QStringLiteral("feedtag")}),
            postId(m_a2, QStringLiteral("feed-tags-b"), QStringLiteral("t2"), {QStringLiteral("other"), QStringLiteral("feedtag")}),
        };
        const QString untagged = postId(m_a1, QStringLiteral("feed-tags-b"), QStringLiteral("t3"), {QStringLiteral("other")});
        for (const char *sort : {"hot", "new", "top"}) {
            const auto r = get(QStringLiteral("/v1/posts?tag=FeedTag&sort=") + QLatin1String(sort));
            QCOMPARE(r.status, 200);
            QCOMPARE(sorted(idsOf(items(r))), sorted(tagged));
            QVERIFY(!r.json().contains("pinned"));
        }
        // Without a tag: every community, newest first, paged without duplicates.
        const auto newest = get(QStringLiteral("/v1/posts?sort=new&limit=3"));
        QCOMPARE(idsOf(items(newest)), (QStringList{untagged, tagged[1], tagged[0]}));
        const qint64 visible = m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'visible'");
        for (const char *sort : {"hot", "new", "top"}) {
            const QStringList all = allPages(QStringLiteral("/v1/posts?limit=100&sort=") + QLatin1String(sort), &m_reader);
            QCOMPARE(all.size(), int(visible));
        }
    }

    void defaultPageSize()
    {
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-default")).isEmpty());
        postId(m_a1, QStringLiteral("feed-default"), QStringLiteral("first"));
        QCOMPARE(bulkPosts(QStringLiteral("feed-default"), m_a1, 26, QStringLiteral("bulk")).size(), 26);
        const auto first = get(QStringLiteral("/v1/communities/feed-default/posts"));
        QCOMPARE(items(first).size(), 25);
        QVERIFY(first.json().value("nextCursor").isString());
        const auto second = get(withCursor(QStringLiteral("/v1/communities/FEED-DEFAULT/posts"),
                                           first.json().value("nextCursor").toString()));
        QCOMPARE(second.status, 200);
        QCOMPARE(items(second).size(), 2);
        QVERIFY(second.json().value("nextCursor").isNull());
        QCOMPARE(items(get(QStringLiteral("/v1/communities/feed-default/posts?limit=100"))).size(), 27);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("fields");
        const QString c = QStringLiteral("/v1/communities/feed-default/posts");
        QTest::newRow("sort") << c + "?sort=best" << QStringList{"sort"};
        QTest::newRow("t") << c + "?sort=top&t=decade" << QStringList{"t"};
        QTest::newRow("limit 0") << c + "?limit=0" << QStringList{"limit"};
        QTest::newRow("limit 101") << c + "?limit=101" << QStringList{"limit"};
        QTest::newRow("limit text") << c + "?limit=ten" << QStringList{"limit"};
        QTest::newRow("cursor junk") << c + "?cursor=bogus!" << QStringList{"cursor"};
        QTest::newRow("cursor of another sort") << c + "?cursor=Zm46MSwy" << QStringList{"cursor"};   // "fn:1,2": new's
        QTest::newRow("several at once") << c + "?sort=best&limit=0&t=x" << QStringList{"limit", "sort", "t"};
        QTest::newRow("home") << "/v1/feed?sort=worst" << QStringList{"sort"};
        QTest::newRow("all") << "/v1/posts?limit=-1" << QStringList{"limit"};
        QTest::newRow("tag") << "/v1/posts?tag=no%20spaces" << QStringList{"tag"};
        QTest::newRow("empty tag") << "/v1/posts?tag=" << QStringList{"tag"};
    }

    void badInput()
    {
        QFETCH(QString, path);
        QFETCH(QStringList, fields);
        const auto r = get(path, &m_reader);
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        QCOMPARE(errorFields(r), fields);
    }

    void cursorOfAnotherSortOrWindow()
    {
        const QString c = QStringLiteral("/v1/communities/feed-default/posts?limit=5");
        const QString hot = get(c).json().value("nextCursor").toString();
        const QString topDay = get(c + "&sort=top&t=day").json().value("nextCursor").toString();
        QVERIFY(!hot.isEmpty() && !topDay.isEmpty());
        QCOMPARE(errorFields(get(withCursor(c + "&sort=new", hot))), QStringList{"cursor"});
        QCOMPARE(errorFields(get(withCursor(c + "&sort=top", hot))), QStringList{"cursor"});
        QCOMPARE(errorFields(get(withCursor(c + "&sort=top&t=week", topDay))), QStringList{"cursor"});
        // The window travels with the cursor: leaving t out or repeating it both work.
        QCOMPARE(get(withCursor(c + "&sort=top", topDay)).status, 200);
        QCOMPARE(get(withCursor(c + "&sort=top&t=day", topDay)).status, 200);
        QCOMPARE(get(withCursor(c, hot)).status, 200);
    }

    void notFoundAndUnauthorized()
    {
        QVERIFY(isProblem(get(QStringLiteral("/v1/communities/no-such-place/posts")), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(get(QStringLiteral("/v1/communities/x/posts")), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(get(QStringLiteral("/v1/communities/no-such-place/posts?sort=top&t=day"), &m_reader), 404,
                          QStringLiteral("not-found")));
        // An existing community without posts is an empty page, not a 404.
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("feed-empty")).isEmpty());
        const auto empty = get(QStringLiteral("/v1/communities/feed-empty/posts"));
        QCOMPARE(empty.status, 200);
        QCOMPARE(items(empty).size(), 0);
        QVERIFY(empty.json().value("nextCursor").isNull());
        QCOMPARE(get(QStringLiteral("/v1/feed")).status, 401);
        const auto bad = m_http.call("GET", QStringLiteral("/v1/feed"), "not-a-token");
        QCOMPARE(bad.status, 401);
    }

    void openApiDocumentsFeeds()
    {
        const QJsonObject paths = get(QStringLiteral("/openapi.json")).json().value("paths").toObject();
        for (const char *p : {"/v1/communities/{slug}/posts", "/v1/feed", "/v1/posts"})
            QVERIFY2(paths.value(QLatin1String(p)).toObject().contains("get"), p);
    }
};

QTEST_MAIN(TstContentFeeds)
#include "tst_contentfeeds.moc"
