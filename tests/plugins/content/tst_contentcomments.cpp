// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Threaded comments and the post page over real HTTP (real auth, users and content
// plugins): replies and the depth limit, the tree in each sort, moreReplies, keyset pages
// while comments arrive, edits and revisions, delete/remove/restore placeholders, locked
// posts, mentions, blocked and muted authors, Idempotency-Key, validation (nothing
// written), exact counters under 200 concurrent comments.

#include "contenthttp.h"

#include <set>

using namespace Content::Test;

class TstContentComments : public QObject {
    Q_OBJECT

    ContentHttp m_http;
    Account m_alice, m_bob, m_carol, m_dave;   // alice owns the community "talk"
    QString m_post;                            // a post by alice in "talk"

    QString newPost(const QString &title)
    {
        return m_http.createPost(m_alice, QStringLiteral("talk"), title, QStringLiteral("Body of ") + title)
            .value("id").toString();
    }
    HttpResult comment(const Account &who, const QString &post, const QJsonObject &body,
                       QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return m_http.call("POST", QStringLiteral("/v1/posts/%1/comments").arg(post), who.token, ContentHttp::json(body), headers);
    }
    QString reply(const Account &who, const QString &post, const QString &body, const QString &parent = {})
    {
        return m_http.createComment(who, post, body, parent).value("id").toString();
    }
    QJsonObject page(const QString &post, const QString &query = {}, const QByteArray &token = {})
    {
        auto r = m_http.call("GET", QStringLiteral("/v1/posts/%1%2").arg(post, query), token);
        if (r.status != 200)
            qWarning() << "page" << r.status << r.body;
        return r.json();
    }
    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    qint64 comments(const QString &post)
    {
        return count(QStringLiteral("SELECT count(*) FROM content.comments WHERE post_id = %1").arg(post));
    }
    qint64 commentCount(const QString &post)
    {
        return count(QStringLiteral("SELECT comment_count FROM content.posts WHERE id = %1").arg(post));
    }
    qint64 events(const QString &type, const QString &where = QStringLiteral("true"))
    {
        return count(QStringLiteral("SELECT count(*) FROM events.outbox WHERE type = '%1' AND %2").arg(type, where));
    }
    static QStringList ids(const QJsonArray &nodes)
    {
        QStringList out;
        for (const QJsonValue &v : nodes)
            out << v.toObject().value("id").toString();
        return out;
    }
    static int nodeCount(const QJsonArray &nodes)
    {
        int n = 0;
        for (const QJsonValue &v : nodes)
            n += 1 + nodeCount(v.toObject().value("replies").toArray());
        return n;
    }
    static QJsonObject find(const QJsonArray &nodes, const QString &id)
    {
        for (const QJsonValue &v : nodes) {
            const QJsonObject o = v.toObject();
            if (o.value("id").toString() == id)
                return o;
            const QJsonObject inner = find(o.value("replies").toArray(), id);
            if (!inner.isEmpty())
                return inner;
        }
        return {};
    }
    static bool hasField(const HttpResult &r, const QString &field, const QString &code)
    {
        for (const QJsonValue &v : r.json().value("errors").toArray())
            if (v.toObject().value("field").toString() == field && v.toObject().value("code").toString() == code)
                return true;
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_carol = m_http.registerUser(QStringLiteral("carol"));
        m_dave = m_http.registerUser(QStringLiteral("dave"));
        for (const Account *a : {&m_alice, &m_bob, &m_carol, &m_dave})
            QVERIFY(!a->token.isEmpty());
        QVERIFY(!m_http.createCommunity(m_alice, QStringLiteral("talk")).isEmpty());
        m_post = newPost(QStringLiteral("Welcome"));
        QVERIFY(!m_post.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void createShape()
    {
        auto r = comment(m_bob, m_post, {{"body", "Hello **there**"}});
        QCOMPARE(r.status, 201);
        const QJsonObject c = r.json();
        QCOMPARE(c.value("postId").toString(), m_post);
        QVERIFY(c.value("parentId").isNull());
        QCOMPARE(c.value("depth").toInt(), 0);
        QCOMPARE(c.value("state").toString(), QStringLiteral("visible"));
        QCOMPARE(c.value("author").toObject().value("username").toString(), QStringLiteral("bob"));
        QVERIFY(c.value("bodyHtml").toString().contains(QStringLiteral("<strong>there</strong>")));
        QCOMPARE(r.header("location"), QByteArray("/v1/comments/") + c.value("id").toString().toLatin1());
        QCOMPARE(events(QStringLiteral("content.comment.created"),
                        QStringLiteral("payload->>'commentId' = '%1' AND payload->>'authorName' = 'bob' "
                                       "AND payload->>'body' = 'Hello **there**' AND aggregate = 'post:%2'")
                            .arg(c.value("id").toString(), m_post)),
                 1);
        QCOMPARE(commentCount(m_post), 1);
    }

    void threadedRepliesAndDepthLimit()
    {
        const QString post = newPost(QStringLiteral("Deep thread"));
        QString parent;
        QStringList chain;
        for (int depth = 0; depth <= 8; ++depth) {   // plugins.content.maxCommentDepth = 8
            auto r = comment(depth % 2 ? m_bob : m_carol, post,
                             parent.isEmpty() ? QJsonObject{{"body", "level 0"}}
                                              : QJsonObject{{"body", QStringLiteral("level %1").arg(depth)}, {"parentId", parent}});
            QCOMPARE(r.status, 201);
            QCOMPARE(r.json().value("depth").toInt(), depth);
            QCOMPARE(r.json().value("parentId").toString(), parent);
            parent = r.json().value("id").toString();
            chain << parent;
        }
        const qint64 before = comments(post);
        auto tooDeep = comment(m_bob, post, {{"body", "level 9"}, {"parentId", parent}});
        QVERIFY(isProblem(tooDeep, 400, QStringLiteral("validation")));
        QVERIFY(hasField(tooDeep, QStringLiteral("parentId"), QStringLiteral("too_deep")));
        auto other = comment(m_bob, m_post, {{"body", "wrong post"}, {"parentId", chain[0]}});
        QVERIFY(hasField(other, QStringLiteral("parentId"), QStringLiteral("not_in_post")));
        auto missing = comment(m_bob, post, {{"body", "nobody"}, {"parentId", "999999999"}});
        QVERIFY(hasField(missing, QStringLiteral("parentId"), QStringLiteral("not_found")));
        QCOMPARE(comments(post), before);
        QCOMPARE(commentCount(post), 9);
        // replyCount of each link is 1; the path column is root .. self.
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.comments WHERE post_id = %1 AND reply_count = 1").arg(post)), 8);
        QCOMPARE(count(QStringLiteral("SELECT array_length(path, 1) FROM content.comments WHERE id = %1").arg(parent)), 9);
        QCOMPARE(count(QStringLiteral("SELECT path[1] FROM content.comments WHERE id = %1").arg(parent)), chain[0].toLongLong());

        // The whole chain fits a page of 20: one top-level node nested 9 deep.
        const QJsonObject p = page(post);
        QCOMPARE(p.value("comments").toArray().size(), 1);
        QJsonObject node = p.value("comments").toArray()[0].toObject();
        for (int depth = 0; depth < 8; ++depth) {
            QCOMPARE(node.value("id").toString(), chain[depth]);
            QCOMPARE(node.value("replies").toArray().size(), 1);
            node = node.value("replies").toArray()[0].toObject();
        }
        QCOMPARE(node.value("id").toString(), chain[8]);
        QCOMPARE(node.value("moreReplies").toInt(), 0);

        // Permalink: a comment with its subtree, and where it lives.
        auto permalink = m_http.call("GET", QStringLiteral("/v1/comments/%1").arg(chain[6]));
        QCOMPARE(permalink.status, 200);
        QCOMPARE(permalink.json().value("comment").toObject().value("id").toString(), chain[6]);
        QCOMPARE(nodeCount({permalink.json().value("comment")}), 3);
        QCOMPARE(permalink.json().value("post").toObject().value("id").toString(), post);
        QCOMPARE(permalink.json().value("post").toObject().value("title").toString(), QStringLiteral("Deep thread"));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/comments/999999999")), 404, QStringLiteral("not-found")));
    }

    void postPageSorts()
    {
        const QString post = newPost(QStringLiteral("Sorted"));
        const QString a = reply(m_bob, post, QStringLiteral("A"));
        const QString b = reply(m_carol, post, QStringLiteral("B"));
        const QString c = reply(m_dave, post, QStringLiteral("C"));
        const QString b1 = reply(m_bob, post, QStringLiteral("B1"), b);
        const QString b2 = reply(m_dave, post, QStringLiteral("B2"), b);
        const QString b3 = reply(m_alice, post, QStringLiteral("B3"), b);
        // Scores: B = 3, A = 1, C = 0; replies: B2 = 2, B1 = -1, B3 = 0.
        auto vote = [&](const Account &who, const QString &id, int value) {
            QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/comments/%1/vote").arg(id), who.token,
                                 ContentHttp::json({{"value", value}}), {{"Content-Type", "application/json"}}).status, 200);
        };
        for (const Account *who : {&m_alice, &m_bob, &m_dave})
            vote(*who, b, 1);
        vote(m_alice, a, 1);
        vote(m_alice, b2, 1);
        vote(m_bob, b2, 1);
        vote(m_carol, b1, -1);

        QJsonObject best = page(post);
        QCOMPARE(best.value("sort").toString(), QStringLiteral("best"));
        QCOMPARE(ids(best.value("comments").toArray()), (QStringList{b, a, c}));
        const QJsonObject bNode = best.value("comments").toArray()[0].toObject();
        QCOMPARE(ids(bNode.value("replies").toArray()), (QStringList{b2, b3, b1}));
        QCOMPARE(bNode.value("score").toInt(), 3);
        QCOMPARE(bNode.value("replyCount").toInt(), 3);
        QVERIFY(best.value("nextCursor").isNull());
        QCOMPARE(best.value("post").toObject().value("id").toString(), post);
        QCOMPARE(best.value("post").toObject().value("commentCount").toInt(), 6);
        QCOMPARE(best.value("post").toObject().value("body").toString(), QStringLiteral("Body of Sorted"));

        QJsonObject newest = page(post, QStringLiteral("?sort=new"));
        QCOMPARE(ids(newest.value("comments").toArray()), (QStringList{c, b, a}));
        QCOMPARE(ids(find(newest.value("comments").toArray(), b).value("replies").toArray()), (QStringList{b3, b2, b1}));
        QJsonObject oldest = page(post, QStringLiteral("?sort=old"));
        QCOMPARE(ids(oldest.value("comments").toArray()), (QStringList{a, b, c}));
        QCOMPARE(ids(find(oldest.value("comments").toArray(), b).value("replies").toArray()), (QStringList{b1, b2, b3}));

        // The viewer's votes come with the page.
        QJsonObject mine = page(post, {}, m_alice.token);
        QCOMPARE(find(mine.value("comments").toArray(), b2).value("myVote").toInt(), 1);
        QCOMPARE(find(mine.value("comments").toArray(), b1).value("myVote").toInt(), 0);
        QCOMPARE(find(page(post, {}, m_carol.token).value("comments").toArray(), b1).value("myVote").toInt(), -1);

        // A small page gives the first thread's replies before later threads (nodes are
        // taken by top-level rank + depth) and says what was cut; the cursor continues after
        // the last top-level comment shown.
        QJsonObject small = page(post, QStringLiteral("?limit=3"));
        QCOMPARE(nodeCount(small.value("comments").toArray()), 3);
        QCOMPARE(ids(small.value("comments").toArray()), QStringList{b});
        QCOMPARE(ids(find(small.value("comments").toArray(), b).value("replies").toArray()), (QStringList{b2, b3}));
        QCOMPARE(find(small.value("comments").toArray(), b).value("moreReplies").toInt(), 1);
        const QString cursor = small.value("nextCursor").toString();
        QVERIFY(!cursor.isEmpty());
        auto rest = m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?limit=3&cursor=%2").arg(post, cursor));
        QCOMPARE(rest.status, 200);
        QCOMPARE(ids(items(rest)), (QStringList{a, c}));
        QVERIFY(rest.json().value("nextCursor").isNull());
        // The cut replies of B, as their own page.
        auto replies = m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?parentId=%2").arg(post, b));
        QCOMPARE(replies.status, 200);
        QCOMPARE(ids(items(replies)), (QStringList{b2, b3, b1}));
        QCOMPARE(replies.json().value("parentId").toString(), b);
        // A cursor of another sort is refused; a parent of another post is a 404.
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?sort=new&cursor=%2").arg(post, cursor)), 400,
                          QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?parentId=%2").arg(m_post, b)), 404,
                          QStringLiteral("not-found")));
    }

    void moreRepliesAndBoundedPages()
    {
        const QString post = newPost(QStringLiteral("Busy"));
        const QString root = reply(m_bob, post, QStringLiteral("root"));
        QStringList children;
        for (int i = 0; i < 8; ++i)
            children << reply(m_carol, post, QStringLiteral("child %1").arg(i), root);
        const QString grandchild = reply(m_dave, post, QStringLiteral("grandchild"), children[0]);
        for (int i = 0; i < 30; ++i)
            reply(m_dave, post, QStringLiteral("top %1").arg(i));
        // limit 20: 5 replies per comment are looked at; the root (oldest) shows 5 of 8.
        const QJsonObject p = page(post, QStringLiteral("?sort=old"));
        const QJsonArray tree = p.value("comments").toArray();
        QVERIFY(nodeCount(tree) <= 20);
        const QJsonObject r = tree[0].toObject();
        QCOMPARE(r.value("id").toString(), root);
        QCOMPARE(r.value("replies").toArray().size(), 5);
        QCOMPARE(r.value("moreReplies").toInt(), 3);
        QCOMPARE(r.value("replyCount").toInt(), 8);
        QCOMPARE(find(tree, grandchild).value("depth").toInt(), 2);
        QVERIFY(!p.value("nextCursor").toString().isEmpty());
        // Walk all top-level pages: every top-level comment exactly once.
        std::set<QString> seen;
        for (const QString &id : ids(tree))
            QVERIFY(seen.insert(id).second);
        QString cursor = p.value("nextCursor").toString();
        while (!cursor.isEmpty()) {
            auto next = m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?sort=old&cursor=%2").arg(post, cursor));
            QCOMPARE(next.status, 200);
            QVERIFY(nodeCount(items(next)) <= 20);
            for (const QString &id : ids(items(next)))
                QVERIFY(seen.insert(id).second);
            cursor = next.json().value("nextCursor").toString();
        }
        QCOMPARE(int(seen.size()), 31);
        // The root's replies, three nodes a page (the grandchild counts too).
        std::set<QString> replies;
        cursor.clear();
        int pages = 0;
        do {
            QString path = QStringLiteral("/v1/posts/%1/comments?sort=old&limit=3&parentId=%2").arg(post, root);
            if (!cursor.isEmpty())
                path += QStringLiteral("&cursor=") + cursor;
            auto next = m_http.call("GET", path);
            QCOMPARE(next.status, 200);
            QVERIFY(nodeCount(items(next)) <= 3);
            for (const QString &id : ids(items(next)))
                QVERIFY(replies.insert(id).second);
            if (pages == 0)
                QCOMPARE(ids(find(items(next), children[0]).value("replies").toArray()), QStringList{grandchild});
            cursor = next.json().value("nextCursor").toString();
        } while (!cursor.isEmpty() && ++pages < 10);
        QCOMPARE(replies, std::set<QString>(children.begin(), children.end()));
        // limit bounds the nodes; the maximum is plugins.content.maxPostPageComments.
        for (int limit : {1, 2, 7, 50})
            QVERIFY(nodeCount(page(post, QStringLiteral("?limit=%1").arg(limit)).value("comments").toArray()) <= limit);
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/%1?limit=201").arg(post)), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/%1?limit=0").arg(post)), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/%1?sort=hot").arg(post)), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?cursor=bogus").arg(post)), 400,
                          QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/999999999")), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/posts/abc")), 404, QStringLiteral("not-found")));
    }

    void flatAndRecursiveReadsAgree()
    {
        // The post page reads a small thread in one go and shapes it in the daemon; larger
        // threads and every other listing use the recursive statement. Both must give the
        // same page: compare the post page with the first page of /comments (always
        // recursive) on a thread of 70 comments (flat for limit >= 25, recursive below).
        const QString post = newPost(QStringLiteral("Both ways"));
        const Account *people[] = {&m_bob, &m_carol, &m_dave, &m_alice};
        QStringList roots, all;
        for (int i = 0; i < 12; ++i) {
            roots << reply(*people[i % 4], post, QStringLiteral("root %1").arg(i));
            all << roots.last();
        }
        for (int i = 0; all.size() < 70; ++i) {
            const QString parent = i % 3 ? all[(i * 7) % all.size()] : roots[i % roots.size()];
            all << reply(*people[i % 4], post, QStringLiteral("reply %1").arg(i), parent);
        }
        for (int i = 0; i < 30; ++i) {
            const QString target = all[(i * 11) % all.size()];
            m_http.call("PUT", QStringLiteral("/v1/comments/%1/vote").arg(target), people[i % 4]->token,
                        ContentHttp::json({{"value", i % 5 ? 1 : -1}}), {{"Content-Type", "application/json"}});
        }
        // Placeholders: a deleted comment with replies, a removed one, a deleted leaf.
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/comments/%1").arg(all[12]), people[0]->token).status, 200);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/comments/%1/remove").arg(roots[3]), m_alice.token).status, 200);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/comments/%1").arg(all.last()), people[(all.size() - 12 - 1) % 4]->token).status, 200);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/carol/block"), m_bob.token).status, 204);
        QVERIFY(commentCount(post) > 50);
        for (const QString sort : {QStringLiteral("best"), QStringLiteral("new"), QStringLiteral("old")}) {
            for (int limit : {5, 20, 60, 100}) {
                for (const QByteArray &token : {QByteArray(), m_bob.token, m_alice.token}) {
                    const QString query = QStringLiteral("sort=%1&limit=%2").arg(sort).arg(limit);
                    const QJsonObject p = page(post, QStringLiteral("?") + query, token);
                    auto list = m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?%2").arg(post, query), token);
                    QCOMPARE(list.status, 200);
                    QVERIFY2(p.value("comments").toArray() == items(list), qPrintable(query));
                    QCOMPARE(p.value("nextCursor"), list.json().value("nextCursor"));
                    QVERIFY(nodeCount(items(list)) <= limit);
                }
            }
        }
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/carol/block"), m_bob.token).status, 204);
    }

    void pagesStableWhileCommentsArrive()
    {
        const QString post = newPost(QStringLiteral("Streaming"));
        QStringList original;
        for (int i = 0; i < 10; ++i)
            original << reply(m_bob, post, QStringLiteral("c%1").arg(i));
        for (const QString sort : {QStringLiteral("new"), QStringLiteral("old"), QStringLiteral("best")}) {
            std::set<QString> seen;
            QString cursor;
            int pages = 0;
            do {
                QString path = QStringLiteral("/v1/posts/%1/comments?limit=3&sort=%2").arg(post, sort);
                if (!cursor.isEmpty())
                    path += QStringLiteral("&cursor=") + cursor;
                auto r = m_http.call("GET", path);
                QCOMPARE(r.status, 200);
                for (const QString &id : ids(items(r)))
                    QVERIFY2(seen.insert(id).second, qPrintable(sort + QStringLiteral(" repeats ") + id));
                cursor = r.json().value("nextCursor").toString();
                reply(m_carol, post, QStringLiteral("late %1 %2").arg(sort).arg(pages));   // arrives between pages
                ++pages;
            } while (!cursor.isEmpty() && pages < 20);
            for (const QString &id : original)
                QVERIFY2(seen.count(id), qPrintable(sort + QStringLiteral(" skipped ") + id));
            if (sort == QLatin1String("new"))
                QCOMPARE(int(seen.size()), 10);   // newer ones sort before the cursor
        }
    }

    void editAndRevisions()
    {
        const QString id = reply(m_bob, m_post, QStringLiteral("first text, hi @carol"));
        QCOMPARE(events(QStringLiteral("content.user.mentioned"),
                        QStringLiteral("payload->>'commentId' = '%1' AND payload->>'username' = 'carol' "
                                       "AND payload->>'targetType' = 'comment' AND payload->>'postId' = '%2'")
                            .arg(id, m_post)),
                 1);
        auto patch = [&](const Account &who, const QJsonObject &body) {
            return m_http.call("PATCH", QStringLiteral("/v1/comments/%1").arg(id), who.token, ContentHttp::json(body),
                               {{"Content-Type", "application/json"}});
        };
        auto edited = patch(m_bob, {{"body", "second text, hi @carol and @dave"}});
        QCOMPARE(edited.status, 200);
        QCOMPARE(edited.json().value("revision").toInt(), 2);
        QVERIFY(!edited.json().value("editedAt").isNull());
        QVERIFY(edited.json().value("bodyHtml").toString().contains(QStringLiteral("second text")));
        // Only dave is new: carol hears about the comment once.
        QCOMPARE(events(QStringLiteral("content.user.mentioned"), QStringLiteral("payload->>'commentId' = '%1'").arg(id)), 2);
        QCOMPARE(events(QStringLiteral("content.user.mentioned"),
                        QStringLiteral("payload->>'commentId' = '%1' AND payload->>'username' = 'dave'").arg(id)),
                 1);
        QCOMPARE(events(QStringLiteral("content.comment.edited"), QStringLiteral("payload->>'commentId' = '%1'").arg(id)), 1);
        // Same text again: nothing changes.
        QCOMPARE(patch(m_bob, {{"body", "second text, hi @carol and @dave"}}).json().value("revision").toInt(), 2);
        QVERIFY(isProblem(patch(m_carol, {{"body", "not mine"}}), 403, QStringLiteral("forbidden")));
        QVERIFY(isProblem(patch(m_bob, {{"body", ""}}), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(patch(m_bob, {{"body", "x"}, {"parentId", "1"}}), 400, QStringLiteral("validation")));
        auto revs = m_http.call("GET", QStringLiteral("/v1/comments/%1/revisions").arg(id));
        QCOMPARE(revs.status, 200);
        QCOMPARE(items(revs).size(), 2);
        QCOMPARE(items(revs)[0].toObject().value("revision").toInt(), 2);
        QVERIFY(items(revs)[0].toObject().value("current").toBool());
        QCOMPARE(items(revs)[1].toObject().value("body").toString(), QStringLiteral("first text, hi @carol"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.revisions WHERE target_type = 'comment' AND target_id = %1").arg(id)), 1);
    }

    void deleteRemoveRestore()
    {
        const QString post = newPost(QStringLiteral("Moderated"));
        const QString parent = reply(m_bob, post, QStringLiteral("parent text"));
        const QString child = reply(m_carol, post, QStringLiteral("child text"), parent);
        const QString leaf = reply(m_dave, post, QStringLiteral("leaf text"));
        QCOMPARE(commentCount(post), 3);
        auto act = [&](const QByteArray &method, const QString &path, const Account &who, const QByteArray &body = {}) {
            return m_http.call(method, path, who.token, body,
                               body.isEmpty() ? QList<QPair<QByteArray, QByteArray>>{}
                                              : QList<QPair<QByteArray, QByteArray>>{{"Content-Type", "application/json"}});
        };
        QVERIFY(isProblem(act("DELETE", QStringLiteral("/v1/comments/%1").arg(parent), m_carol), 403, QStringLiteral("forbidden")));
        auto deleted = act("DELETE", QStringLiteral("/v1/comments/%1").arg(parent), m_bob);
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json().value("state").toString(), QStringLiteral("deleted"));
        QCOMPARE(act("DELETE", QStringLiteral("/v1/comments/%1").arg(parent), m_bob).status, 200);   // idempotent
        QCOMPARE(commentCount(post), 2);
        QCOMPARE(events(QStringLiteral("content.comment.deleted"), QStringLiteral("payload->>'commentId' = '%1'").arg(parent)), 1);

        // The deleted parent stays as a placeholder holding its reply.
        QJsonObject p = page(post, QStringLiteral("?sort=old"));
        QJsonObject holder = find(p.value("comments").toArray(), parent);
        QCOMPARE(holder.value("state").toString(), QStringLiteral("deleted"));
        QCOMPARE(holder.value("body").toString(), QString());
        QVERIFY(holder.value("author").isNull());
        QCOMPARE(ids(holder.value("replies").toArray()), QStringList{child});
        QCOMPARE(find(page(post, {}, m_bob.token).value("comments").toArray(), parent).value("body").toString(),
                 QStringLiteral("parent text"));   // its author still sees the text
        // Replying under a deleted comment is fine.
        QCOMPARE(comment(m_dave, post, {{"body", "still here"}, {"parentId", parent}}).status, 201);
        QCOMPARE(count(QStringLiteral("SELECT reply_count FROM content.comments WHERE id = %1").arg(parent)), 2);

        // A moderator removes the leaf: it leaves the page (no replies); only moderators restore it.
        QVERIFY(isProblem(act("POST", QStringLiteral("/v1/comments/%1/remove").arg(leaf), m_bob), 403, QStringLiteral("forbidden")));
        auto removed = act("POST", QStringLiteral("/v1/comments/%1/remove").arg(leaf), m_alice, ContentHttp::json({{"reason", "rude"}}));
        QCOMPARE(removed.status, 200);
        QCOMPARE(removed.json().value("state").toString(), QStringLiteral("removed"));
        QCOMPARE(removed.json().value("removedReason").toString(), QStringLiteral("rude"));
        QCOMPARE(commentCount(post), 2);
        QVERIFY(find(page(post).value("comments").toArray(), leaf).isEmpty());
        QVERIFY(isProblem(act("DELETE", QStringLiteral("/v1/comments/%1").arg(leaf), m_dave), 409, QStringLiteral("comment-removed")));
        QVERIFY(isProblem(act("POST", QStringLiteral("/v1/comments/%1/restore").arg(leaf), m_dave), 403, QStringLiteral("forbidden")));
        QVERIFY(isProblem(comment(m_bob, post, {{"body", "reply"}, {"parentId", leaf}}), 409, QStringLiteral("comment-removed")));
        QVERIFY(isProblem(act("PATCH", QStringLiteral("/v1/comments/%1").arg(leaf), m_dave, ContentHttp::json({{"body", "edit"}})), 409,
                          QStringLiteral("comment-removed")));
        QCOMPARE(events(QStringLiteral("content.comment.removed"),
                        QStringLiteral("payload->>'commentId' = '%1' AND payload->>'reason' = 'rude'").arg(leaf)),
                 1);
        // Revisions of a removed comment: its author and moderators only.
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/comments/%1/revisions").arg(leaf)).status, 404);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/comments/%1/revisions").arg(leaf), m_dave.token).status, 200);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/comments/%1/revisions").arg(leaf), m_alice.token).status, 200);
        // The permalink of a removed comment is a placeholder, with the text for moderators.
        auto perma = m_http.call("GET", QStringLiteral("/v1/comments/%1").arg(leaf));
        QCOMPARE(perma.status, 200);
        QCOMPARE(perma.json().value("comment").toObject().value("body").toString(), QString());
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/comments/%1").arg(leaf), m_alice.token).json()
                     .value("comment").toObject().value("body").toString(),
                 QStringLiteral("leaf text"));

        auto restored = act("POST", QStringLiteral("/v1/comments/%1/restore").arg(leaf), m_alice);
        QCOMPARE(restored.status, 200);
        QCOMPARE(restored.json().value("state").toString(), QStringLiteral("visible"));
        QCOMPARE(commentCount(post), 3);
        QCOMPARE(act("POST", QStringLiteral("/v1/comments/%1/restore").arg(parent), m_bob).json().value("state").toString(),
                 QStringLiteral("visible"));
        QCOMPARE(commentCount(post), 4);
        QCOMPARE(events(QStringLiteral("content.comment.restored"), QStringLiteral("payload->>'postId' = '%1'").arg(post)), 2);
        // Removing a deleted comment does not count it twice.
        QCOMPARE(act("DELETE", QStringLiteral("/v1/comments/%1").arg(child), m_carol).status, 200);
        QCOMPARE(commentCount(post), 3);
        QCOMPARE(act("POST", QStringLiteral("/v1/comments/%1/remove").arg(child), m_alice).status, 200);
        QCOMPARE(commentCount(post), 3);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.comments WHERE post_id = %1 AND state = 'visible'").arg(post)), 3);
    }

    void lockedAndDeletedPosts()
    {
        const QString post = newPost(QStringLiteral("Locked"));
        const QString early = reply(m_bob, post, QStringLiteral("written before the lock"));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/posts/%1/lock").arg(post), m_alice.token).status, 200);
        // Locked freezes the discussion: no edits of its comments either (moderators excepted).
        QVERIFY(isProblem(m_http.call("PATCH", QStringLiteral("/v1/comments/%1").arg(early), m_bob.token,
                                      m_http.json({{"body", "rewritten after the lock"}})),
                          409, QStringLiteral("post-locked")));
        const qint64 before = comments(post);
        QVERIFY(isProblem(comment(m_bob, post, {{"body", "let me in"}}), 409, QStringLiteral("post-locked")));
        QCOMPARE(comments(post), before);
        QCOMPARE(comment(m_alice, post, {{"body", "moderator note"}}).status, 201);   // the community's moderators may
        QCOMPARE(comment(m_http.admin, post, {{"body", "admin note"}}).status, 201);   // and site staff

        const QString gone = newPost(QStringLiteral("Gone"));
        const QString kept = reply(m_bob, gone, QStringLiteral("kept"));
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/%1").arg(gone), m_alice.token).status, 200);
        QVERIFY(isProblem(comment(m_bob, gone, {{"body", "too late"}}), 409, QStringLiteral("post-deleted")));
        // The page of a deleted post: a placeholder post, comments still there.
        const QJsonObject p = page(gone);
        QCOMPARE(p.value("post").toObject().value("state").toString(), QStringLiteral("deleted"));
        QCOMPARE(p.value("post").toObject().value("title").toString(), QString());
        QCOMPARE(ids(p.value("comments").toArray()), QStringList{kept});
        QCOMPARE(page(gone, {}, m_alice.token).value("post").toObject().value("title").toString(), QStringLiteral("Gone"));
        QVERIFY(isProblem(comment(m_bob, QStringLiteral("999999999"), {{"body", "nowhere"}}), 404, QStringLiteral("not-found")));
    }

    void blockedAndMutedAuthorsHidden()
    {
        const QString post = newPost(QStringLiteral("Relations"));
        const QString fromCarol = reply(m_carol, post, QStringLiteral("carol speaks"));
        const QString underCarol = reply(m_bob, post, QStringLiteral("reply to carol"), fromCarol);
        const QString fromDave = reply(m_dave, post, QStringLiteral("dave speaks"));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/carol/block"), m_bob.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/dave/mute"), m_alice.token).status, 204);
        QCOMPARE(ids(page(post, QStringLiteral("?sort=old")).value("comments").toArray()), (QStringList{fromCarol, fromDave}));
        QCOMPARE(ids(page(post, QStringLiteral("?sort=old"), m_bob.token).value("comments").toArray()), QStringList{fromDave});
        // Blocking works both ways: carol does not see bob's reply.
        QVERIFY(find(page(post, QStringLiteral("?sort=old"), m_carol.token).value("comments").toArray(), underCarol).isEmpty());
        QCOMPARE(ids(page(post, QStringLiteral("?sort=old"), m_alice.token).value("comments").toArray()), QStringList{fromCarol});
        auto more = m_http.call("GET", QStringLiteral("/v1/posts/%1/comments?sort=old").arg(post), m_bob.token);
        QCOMPARE(ids(items(more)), QStringList{fromDave});
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/carol/block"), m_bob.token).status, 204);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/dave/mute"), m_alice.token).status, 204);
        QCOMPARE(ids(page(post, QStringLiteral("?sort=old"), m_bob.token).value("comments").toArray()), (QStringList{fromCarol, fromDave}));
    }

    // A block stops the blocked account from interacting with the blocker: no comments on
    // their posts, no replies to their comments, no votes on either, no mentions of them
    // (403 blocked, nothing written, no event). Others are not affected; unblocking
    // restores everything.
    void blockStopsTheBlockedAccount()
    {
        const QString post = newPost(QStringLiteral("Blocker's post"));   // by alice
        const QString aliceComment = reply(m_alice, post, QStringLiteral("alice's own comment"));
        const QString daveComment = reply(m_dave, post, QStringLiteral("dave's comment"));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/carol/block"), m_alice.token).status, 204);
        const qint64 commentsBefore = comments(post);
        const qint64 mentionsBefore = events(QStringLiteral("content.user.mentioned"));

        QVERIFY(isProblem(comment(m_carol, post, {{"body", "on alice's post"}}), 403, QStringLiteral("blocked")));
        QVERIFY(isProblem(comment(m_carol, post, {{"body", "reply"}, {"parentId", aliceComment}}), 403,
                          QStringLiteral("blocked")));
        QVERIFY(isProblem(m_http.call("PUT", QStringLiteral("/v1/posts/%1/vote").arg(post), m_carol.token,
                                      m_http.json({{"value", 1}})), 403, QStringLiteral("blocked")));
        QVERIFY(isProblem(m_http.call("PUT", QStringLiteral("/v1/comments/%1/vote").arg(aliceComment), m_carol.token,
                                      m_http.json({{"value", -1}})), 403, QStringLiteral("blocked")));
        // A mention of alice anywhere, even under someone else's comment.
        QVERIFY(isProblem(comment(m_carol, post, {{"body", "hey @alice"}, {"parentId", daveComment}}), 403,
                          QStringLiteral("blocked")));
        QCOMPARE(comments(post), commentsBefore);
        QCOMPARE(events(QStringLiteral("content.user.mentioned")), mentionsBefore);

        // Under the blocker's post even a reply to someone else is refused: the thread is hers.
        QVERIFY(isProblem(comment(m_carol, post, {{"body", "to dave"}, {"parentId", daveComment}}), 403,
                          QStringLiteral("blocked")));
        // Dave is not affected.
        QVERIFY(!reply(m_dave, post, QStringLiteral("dave again"), aliceComment).isEmpty());
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/carol/block"), m_alice.token).status, 204);
        QCOMPARE(comment(m_carol, post, {{"body", "hey @alice, friends again"}}).status, 201);
        QCOMPARE(events(QStringLiteral("content.user.mentioned")), mentionsBefore + 1);
    }

    void idempotencyKey()
    {
        const QString post = newPost(QStringLiteral("Retries"));
        const QList<QPair<QByteArray, QByteArray>> key{{"Idempotency-Key", "comment-key-1"}};
        auto first = comment(m_bob, post, {{"body", "exactly once"}}, key);
        QCOMPARE(first.status, 201);
        auto again = comment(m_bob, post, {{"body", "exactly once"}}, key);
        QCOMPARE(again.status, 201);
        QCOMPARE(again.header("idempotent-replayed"), QByteArray("true"));
        QCOMPARE(again.json().value("id").toString(), first.json().value("id").toString());
        QCOMPARE(comments(post), 1);
        QCOMPARE(commentCount(post), 1);
        QVERIFY(isProblem(comment(m_bob, post, {{"body", "something else"}}, key), 422, QStringLiteral("idempotency-key-reused")));
        QCOMPARE(comments(post), 1);
        // Keys are per user.
        QCOMPARE(comment(m_carol, post, {{"body", "exactly once"}}, key).status, 201);
        QCOMPARE(comments(post), 2);
        QVERIFY(isProblem(comment(m_bob, post, {{"body", "bad key"}}, {{"Idempotency-Key", "has space"}}), 400, QStringLiteral("validation")));
    }

    // Issue 10: a replay answered 201 while the OpenAPI document said 200. The answer is
    // the first one again: 201, the same body and Location, plus Idempotent-Replayed; the
    // document served at /openapi.json says exactly that for every idempotent create.
    void idempotentReplayMatchesOpenApi()
    {
        const QString post = newPost(QStringLiteral("Replays"));
        const QList<QPair<QByteArray, QByteArray>> key{{"Idempotency-Key", "replay-key-1"}};
        const auto first = comment(m_bob, post, {{"body", "said once"}}, key);
        QCOMPARE(first.status, 201);
        QVERIFY(first.header("idempotent-replayed").isEmpty());
        QVERIFY(!first.header("location").isEmpty());
        const auto replay = comment(m_bob, post, {{"body", "said once"}}, key);
        QCOMPARE(replay.status, 201);
        QCOMPARE(replay.header("idempotent-replayed"), QByteArray("true"));
        QCOMPARE(replay.header("location"), first.header("location"));
        QCOMPARE(replay.body, first.body);

        const QList<QPair<QByteArray, QByteArray>> communityKey{{"Idempotency-Key", "replay-key-2"}};
        const auto created = m_http.call("POST", QStringLiteral("/v1/communities"), m_bob.token,
                                         ContentHttp::json({{"slug", "replayed"}, {"title", "Replayed"}}), communityKey);
        QCOMPARE(created.status, 201);
        const auto again = m_http.call("POST", QStringLiteral("/v1/communities"), m_bob.token,
                                       ContentHttp::json({{"slug", "replayed"}, {"title", "Replayed"}}), communityKey);
        QCOMPARE(again.status, 201);
        QCOMPARE(again.header("idempotent-replayed"), QByteArray("true"));
        QCOMPARE(again.header("location"), QByteArray("/v1/communities/replayed"));

        const QJsonObject doc = m_http.daemon.get(QStringLiteral("/openapi.json")).json();
        const QJsonObject paths = doc.value("paths").toObject();
        int idempotent = 0;
        for (const QString &path : paths.keys()) {
            const QJsonObject create = paths.value(path).toObject().value("post").toObject();
            bool hasKey = false;
            for (const QJsonValue p : create.value("parameters").toArray())
                hasKey = hasKey || p.toObject().value("name").toString() == QLatin1String("Idempotency-Key");
            if (!hasKey)
                continue;
            ++idempotent;
            const QJsonObject responses = create.value("responses").toObject();
            const QJsonObject headers = responses.value("201").toObject().value("headers").toObject();
            QVERIFY2(headers.contains("Idempotent-Replayed") && headers.contains("Location"), qPrintable(path));
            // A 200 may only be another answer (a report already open), never the replay.
            QVERIFY2(!responses.value("200").toObject().value("description").toString().contains(QStringLiteral("replay")),
                     qPrintable(path));
        }
        QCOMPARE(idempotent, 4);   // communities, posts, comments, reports
        QVERIFY(!paths.value("/v1/posts/{id}/comments").toObject().value("post").toObject().value("responses").toObject()
                     .contains("200"));
    }

    void badInputWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("code");
        QTest::newRow("no body") << QByteArray("{}") << "body" << "required";
        QTest::newRow("empty body") << QByteArray(R"({"body": "   "})") << "body" << "required";
        QTest::newRow("number body") << QByteArray(R"({"body": 5})") << "body" << "type";
        QTest::newRow("too long") << ContentHttp::json({{"body", QString(20001, QLatin1Char('x'))}}) << "body" << "too_long";
        QTest::newRow("control") << QByteArray(R"({"body": "bell \u0007"})") << "body" << "invalid_characters";
        QTest::newRow("unknown") << QByteArray(R"({"body": "x", "title": "y"})") << "title" << "unknown_field";
        QTest::newRow("parent text") << QByteArray(R"({"body": "x", "parentId": "abc"})") << "parentId" << "invalid";
        QTest::newRow("parent object") << QByteArray(R"({"body": "x", "parentId": {}})") << "parentId" << "invalid";
        QTest::newRow("parent negative") << QByteArray(R"({"body": "x", "parentId": -3})") << "parentId" << "invalid";
    }

    void badInputWritesNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QFETCH(QString, code);
        const qint64 rows = count(QStringLiteral("SELECT count(*) FROM content.comments"));
        // Only content's own events: other plugins' background events (presence expiry,
        // realtime samples) land in the same outbox while the request runs.
        const QString contentEvents = QStringLiteral("SELECT count(*) FROM events.outbox WHERE type LIKE 'content.%'");
        const qint64 outbox = count(contentEvents);
        auto r = m_http.call("POST", QStringLiteral("/v1/posts/%1/comments").arg(m_post), m_bob.token, body,
                             {{"Content-Type", "application/json"}});
        QVERIFY2(isProblem(r, 400, QStringLiteral("validation")), r.body.constData());
        QVERIFY2(hasField(r, field, code), r.body.constData());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM content.comments")), rows);
        QCOMPARE(count(contentEvents), outbox);
    }

    void accessRules()
    {
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/comments").arg(m_post), {}, ContentHttp::json({{"body", "anon"}}),
                             {{"Content-Type", "application/json"}}).status,
                 401);
        const QString id = reply(m_bob, m_post, QStringLiteral("mine"));
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/comments/%1").arg(id)).status, 401);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/comments/%1/remove").arg(id), m_carol.token).status, 403);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/comments/%1/remove").arg(id), m_http.admin.token).status, 200);   // site staff
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/comments/999999999"), m_bob.token).status, 404);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/comments/0")).status, 404);
    }

    void twoHundredConcurrentComments()
    {
        const QString post = newPost(QStringLiteral("Crowd"));
        const QString root = reply(m_alice, post, QStringLiteral("root"));
        const Account *people[] = {&m_bob, &m_carol, &m_dave};
        QList<Request> requests;
        for (int i = 0; i < 200; ++i) {
            QJsonObject body{{"body", QStringLiteral("comment %1").arg(i)}};
            if (i % 2)
                body.insert("parentId", root);
            requests.append({"POST", QStringLiteral("/v1/posts/%1/comments").arg(post), people[i % 3]->token, ContentHttp::json(body)});
        }
        const auto results = m_http.parallelRequests(requests);
        int created = 0;
        for (const auto &r : results)
            created += r.status == 201;
        QCOMPARE(created, 200);
        QCOMPARE(comments(post), 201);
        QCOMPARE(commentCount(post), 201);
        QCOMPARE(count(QStringLiteral("SELECT reply_count FROM content.comments WHERE id = %1").arg(root)), 100);
        QCOMPARE(page(post).value("post").toObject().value("commentCount").toInt(), 201);
    }
};

QTEST_GUILESS_MAIN(TstContentComments)
#include "tst_contentcomments.moc"
