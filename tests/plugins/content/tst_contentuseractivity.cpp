// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// A user's own posts and comments (/v1/users/{username}/posts and /comments) over real
// HTTP (real auth, users and content plugins): newest first, deleted and removed content
// left out, keyset pages without duplicates, the post each comment belongs to, the
// viewer's blocks and mutes applied, and 400/404 answers.

#include "contenthttp.h"

#include <QJsonArray>

using namespace Content::Test;

class TstContentUserActivity : public QObject {
    Q_OBJECT

    ContentHttp m_http;
    Account m_author, m_owner, m_reader, m_other;
    QStringList m_posts;      // the author's visible posts, newest first
    QStringList m_comments;   // the author's listed comments, newest first
    QString m_commentOnOther; // the author's comment under m_other's post

    static QStringList ids(const HttpResult &r, const char *key = "id")
    {
        QStringList out;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            out << v.toObject().value(QLatin1String(key)).toString();
        return out;
    }

    /// Every id of a list, one item per page, following nextCursor.
    QStringList paged(const QString &path, const Account *who = nullptr)
    {
        QStringList out;
        QString cursor;
        for (int n = 0; n < 50; ++n) {
            const QString url = path + QStringLiteral("?limit=1")
                                + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + QString::fromLatin1(QUrl::toPercentEncoding(cursor)));
            const HttpResult r = m_http.call("GET", url, who ? who->token : QByteArray());
            if (r.status != 200)
                return {QStringLiteral("status %1").arg(r.status)};
            out << ids(r);
            cursor = r.json().value(QStringLiteral("nextCursor")).toString();
            if (cursor.isEmpty())
                break;
        }
        return out;
    }

    QString comment(const Account &who, const QString &postId, const QString &body)
    {
        return m_http.createComment(who, postId, body).value(QStringLiteral("id")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("actauthor"));
        m_owner = m_http.registerUser(QStringLiteral("actowner"));
        m_reader = m_http.registerUser(QStringLiteral("actreader"));
        m_other = m_http.registerUser(QStringLiteral("actother"));
        QVERIFY(!m_http.createCommunity(m_owner, QStringLiteral("acts")).isEmpty());

        // Posts: three kept, one deleted by its author, one removed by the community owner.
        QStringList posts;
        for (const char *title : {"first", "deleted", "second", "removed", "third"})
            posts.prepend(m_http.createPost(m_author, QStringLiteral("acts"), QLatin1String(title)).value("id").toString());
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/posts/") + posts[3], m_author.token).status, 200);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/posts/%1/remove").arg(posts[1]), m_owner.token,
                             m_http.json({{"reason", "spam"}})).status, 200);
        m_posts = {posts[0], posts[2], posts[4]};

        // Comments: on the author's own post, one deleted, one on the removed post, one on
        // another user's post.
        const QString otherPost = m_http.createPost(m_other, QStringLiteral("acts"), QStringLiteral("other's")).value("id").toString();
        const QString kept1 = comment(m_author, m_posts[2], QStringLiteral("kept one"));
        const QString gone = comment(m_author, m_posts[2], QStringLiteral("deleted one"));
        m_commentOnOther = comment(m_author, otherPost, QStringLiteral("under another's post"));
        const QString kept2 = comment(m_author, m_posts[0], QStringLiteral("kept two"));
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/comments/") + gone, m_author.token).status, 200);
        m_comments = {kept2, m_commentOnOther, kept1};
        for (const QString &id : posts + m_comments)
            QVERIFY(!id.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void postsNewestFirstWithoutDeletedOrRemoved()
    {
        const HttpResult r = m_http.call("GET", QStringLiteral("/v1/users/actauthor/posts"));
        QCOMPARE(r.status, 200);
        QCOMPARE(ids(r), m_posts);
        QCOMPARE(paged(QStringLiteral("/v1/users/ACTAUTHOR/posts"), &m_reader), m_posts);   // names are case-insensitive
        const HttpResult top = m_http.call("GET", QStringLiteral("/v1/users/actauthor/posts?sort=top"), m_reader.token);
        QCOMPARE(top.status, 200);
        QCOMPARE(ids(top).size(), 3);
    }

    void commentsNewestFirstWithTheirPosts()
    {
        const HttpResult r = m_http.call("GET", QStringLiteral("/v1/users/actauthor/comments"));
        QCOMPARE(r.status, 200);
        QCOMPARE(ids(r), m_comments);
        const QJsonObject first = r.json().value("items").toArray().at(0).toObject();
        QCOMPARE(first.value("body").toString(), QStringLiteral("kept two"));
        QCOMPARE(first.value("post").toObject().value("id").toString(), m_posts[0]);
        QCOMPARE(first.value("post").toObject().value("title").toString(), QStringLiteral("third"));
        QCOMPARE(first.value("post").toObject().value("community").toString(), QStringLiteral("acts"));
        QCOMPARE(paged(QStringLiteral("/v1/users/actauthor/comments"), &m_reader), m_comments);
    }

    void viewersBlocksAndMutesApply()
    {
        // The reader blocks the author: both lists are empty for the reader only.
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/actauthor/block"), m_reader.token).status, 204);
        for (const char *list : {"posts", "comments"}) {
            const QString path = QStringLiteral("/v1/users/actauthor/") + QLatin1String(list);
            QVERIFY(ids(m_http.call("GET", path, m_reader.token)).isEmpty());
            QVERIFY(!ids(m_http.call("GET", path, m_other.token)).isEmpty());
        }
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/actauthor/block"), m_reader.token).status, 204);
        // Muting the author of the post a comment sits under leaves that comment out.
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/actother/mute"), m_reader.token).status, 204);
        QStringList expected = m_comments;
        expected.removeAll(m_commentOnOther);
        QCOMPARE(ids(m_http.call("GET", QStringLiteral("/v1/users/actauthor/comments"), m_reader.token)), expected);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/actother/mute"), m_reader.token).status, 204);
        QCOMPARE(ids(m_http.call("GET", QStringLiteral("/v1/users/actauthor/comments"), m_reader.token)), m_comments);
    }

    void badRequests()
    {
        for (const char *list : {"posts", "comments"}) {
            const QString path = QStringLiteral("/v1/users/nobody-here/") + QLatin1String(list);
            QVERIFY(isProblem(m_http.call("GET", path), 404, QStringLiteral("not-found")));
        }
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/users/actauthor/comments?cursor=abc")), 400,
                          QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/users/actauthor/comments?limit=0")), 400,
                          QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/users/actauthor/posts?sort=best")), 400,
                          QStringLiteral("validation")));
    }
};

QTEST_GUILESS_MAIN(TstContentUserActivity)
#include "tst_contentuseractivity.moc"
