// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Follow, unfollow, block and mute over real HTTP (real auth + users plugins): idempotence,
// exact counts under 50 concurrent follows, cursor pages while follows arrive.

#include "usershttp.h"

#include <set>

using namespace Users::Test;

class TstUsersFollow : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_a, m_b;

    QJsonObject profile(const QString &name) { return m_http.call("GET", QStringLiteral("/v1/users/") + name).json(); }
    int followers(const QString &name) { return profile(name).value("followersCount").toInt(-1); }
    int following(const QString &name) { return profile(name).value("followingCount").toInt(-1); }
    HttpResult rel(const QByteArray &method, const Account &who, const QString &target, const char *what)
    {
        return m_http.call(method, QStringLiteral("/v1/users/%1/%2").arg(target, QLatin1String(what)), who.token);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_a = m_http.registerUser(QStringLiteral("alpha"));
        m_b = m_http.registerUser(QStringLiteral("bravo"));
        QVERIFY(!m_a.token.isEmpty() && !m_b.token.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void followIdempotent()
    {
        QCOMPARE(rel("PUT", m_a, QStringLiteral("bravo"), "follow").status, 204);
        QCOMPARE(rel("PUT", m_a, QStringLiteral("BRAVO"), "follow").status, 204);
        QCOMPARE(followers(QStringLiteral("bravo")), 1);
        QCOMPARE(following(QStringLiteral("alpha")), 1);
        auto seen = m_http.call("GET", QStringLiteral("/v1/users/bravo"), m_a.token).json();
        QVERIFY(seen.value("relationship").toObject().value("following").toBool());
        auto list = m_http.call("GET", QStringLiteral("/v1/users/bravo/followers")).json();
        QCOMPARE(list.value("items").toArray().size(), 1);
        QCOMPARE(list.value("items").toArray()[0].toObject().value("username").toString(), QStringLiteral("alpha"));
        QVERIFY(list.value("nextCursor").isNull());
        QCOMPARE(rel("DELETE", m_a, QStringLiteral("bravo"), "follow").status, 204);
        QCOMPARE(rel("DELETE", m_a, QStringLiteral("bravo"), "follow").status, 204);
        QCOMPARE(followers(QStringLiteral("bravo")), 0);
        QCOMPARE(following(QStringLiteral("alpha")), 0);
    }

    void followErrors()
    {
        QVERIFY(isProblem(rel("PUT", m_a, QStringLiteral("alpha"), "follow"), 400, QStringLiteral("cannot-target-self")));
        QVERIFY(isProblem(rel("PUT", m_a, QStringLiteral("no-such-user"), "follow"), 404, QStringLiteral("not-found")));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/bravo/follow")).status, 401);
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/users/bravo/followers?limit=0")), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/users/bravo/followers?limit=101")), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/users/bravo/followers?cursor=bogus")), 400, QStringLiteral("validation")));
    }

    void fiftyConcurrentFollows()
    {
        Account star = m_http.registerUser(QStringLiteral("star"));
        QList<Account> fans;
        for (int i = 0; i < 50; ++i) {
            fans << m_http.registerUser(QStringLiteral("fan%1").arg(i));
            QVERIFY(!fans.last().token.isEmpty());
        }
        QList<std::tuple<QByteArray, QString, QByteArray>> reqs;
        for (const Account &f : fans)
            reqs.append({"PUT", QStringLiteral("/v1/users/star/follow"), f.token});
        const auto results = m_http.parallel(reqs);
        for (const auto &r : results)
            QCOMPARE(r.status, 204);
        QCOMPARE(followers(QStringLiteral("star")), 50);
        // Everyone again at once, plus half of them unfollowing: still exact.
        reqs.clear();
        for (int i = 0; i < 50; ++i)
            reqs.append({i % 2 ? "PUT" : "DELETE", QStringLiteral("/v1/users/star/follow"), fans[i].token});
        for (const auto &r : m_http.parallel(reqs))
            QCOMPARE(r.status, 204);
        QCOMPARE(followers(QStringLiteral("star")), 25);
    }

    void cursorPagesWhileFollowsArrive()
    {
        // star has 25 followers (odd fans); page through 10 at a time while new ones arrive.
        std::set<QString> seen;
        QString cursor;
        int pages = 0;
        int late = 0;
        do {
            QString path = QStringLiteral("/v1/users/star/followers?limit=10");
            if (!cursor.isEmpty())
                path += QStringLiteral("&cursor=") + QString::fromLatin1(QUrl::toPercentEncoding(cursor));
            auto r = m_http.call("GET", path);
            QCOMPARE(r.status, 200);
            for (const QJsonValue &v : r.json().value("items").toArray())
                QVERIFY(seen.insert(v.toObject().value("username").toString()).second);
            cursor = r.json().value("nextCursor").toString();
            ++pages;
            Account n = m_http.registerUser(QStringLiteral("late%1").arg(late++));
            QCOMPARE(rel("PUT", n, QStringLiteral("star"), "follow").status, 204);
        } while (!cursor.isEmpty());
        QCOMPARE(pages, 3);
        QCOMPARE(int(seen.size()), 25);
        auto newest = m_http.call("GET", QStringLiteral("/v1/users/star/followers?limit=1")).json();
        QCOMPARE(newest.value("items").toArray()[0].toObject().value("username").toString(), QStringLiteral("late2"));
        auto fol = m_http.call("GET", QStringLiteral("/v1/users/fan1/following")).json();
        QCOMPARE(fol.value("items").toArray()[0].toObject().value("username").toString(), QStringLiteral("star"));
    }

    void blockRemovesFollowsAndPreventsNew()
    {
        Account c = m_http.registerUser(QStringLiteral("charlie"));
        Account d = m_http.registerUser(QStringLiteral("delta"));
        QCOMPARE(rel("PUT", c, QStringLiteral("delta"), "follow").status, 204);
        QCOMPARE(rel("PUT", d, QStringLiteral("charlie"), "follow").status, 204);
        QCOMPARE(followers(QStringLiteral("charlie")), 1);
        QCOMPARE(rel("PUT", c, QStringLiteral("delta"), "block").status, 204);
        QCOMPARE(rel("PUT", c, QStringLiteral("delta"), "block").status, 204);
        for (const QString &n : {QStringLiteral("charlie"), QStringLiteral("delta")}) {
            QCOMPARE(followers(n), 0);
            QCOMPARE(following(n), 0);
        }
        QVERIFY(isProblem(rel("PUT", d, QStringLiteral("charlie"), "follow"), 403, QStringLiteral("blocked")));
        QVERIFY(isProblem(rel("PUT", c, QStringLiteral("delta"), "follow"), 403, QStringLiteral("blocked")));
        auto blocks = m_http.call("GET", QStringLiteral("/v1/users/me/blocks"), c.token).json();
        QCOMPARE(blocks.value("items").toArray().size(), 1);
        QCOMPARE(blocks.value("items").toArray()[0].toObject().value("username").toString(), QStringLiteral("delta"));
        QVERIFY(m_http.call("GET", QStringLiteral("/v1/users/charlie"), d.token).json()
                    .value("relationship").toObject().value("blockedBy").toBool());
        QCOMPARE(rel("DELETE", c, QStringLiteral("delta"), "block").status, 204);
        QCOMPARE(rel("PUT", d, QStringLiteral("charlie"), "follow").status, 204);
        QCOMPARE(followers(QStringLiteral("charlie")), 1);
    }

    void mute()
    {
        QCOMPARE(rel("PUT", m_a, QStringLiteral("bravo"), "mute").status, 204);
        QCOMPARE(rel("PUT", m_a, QStringLiteral("bravo"), "mute").status, 204);
        auto mutes = m_http.call("GET", QStringLiteral("/v1/users/me/mutes"), m_a.token).json();
        QCOMPARE(mutes.value("items").toArray().size(), 1);
        QCOMPARE(rel("PUT", m_a, QStringLiteral("bravo"), "follow").status, 204);   // muting does not block
        QCOMPARE(rel("DELETE", m_a, QStringLiteral("bravo"), "mute").status, 204);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/users/me/mutes"), m_a.token).json().value("items").toArray().size(), 0);
    }

    // settings.showFollowers = false: both lists hidden from everyone but the owner and
    // administrators; the counts stay on the profile.
    void showFollowersFalseHidesBothLists()
    {
        const Account owner = m_http.registerUser(QStringLiteral("private_owner"));
        const Account fan = m_http.registerUser(QStringLiteral("private_fan"));
        QCOMPARE(rel("PUT", fan, QStringLiteral("private_owner"), "follow").status, 204);
        QCOMPARE(rel("PUT", owner, QStringLiteral("private_fan"), "follow").status, 204);
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/users/me"), owner.token,
                             m_http.json({{"settings", QJsonObject{{"showFollowers", false}}}})).status, 200);
        for (const char *list : {"followers", "following"}) {
            const QString path = QStringLiteral("/v1/users/private_owner/%1").arg(QLatin1String(list));
            QVERIFY(isProblem(m_http.call("GET", path), 403, QStringLiteral("relations-hidden")));
            QVERIFY(isProblem(m_http.call("GET", path, fan.token), 403, QStringLiteral("relations-hidden")));
            const auto own = m_http.call("GET", path, owner.token);
            QCOMPARE(own.status, 200);
            QCOMPARE(own.json().value("items").toArray().size(), 1);
            QCOMPARE(m_http.call("GET", path, m_http.admin.token).status, 200);
        }
        QCOMPARE(profile(QStringLiteral("private_owner")).value("followersCount").toInt(), 1);
        // The fan's own lists are not affected, and turning the setting back on shows them again.
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/users/private_fan/following")).status, 200);
        QCOMPARE(m_http.call("PATCH", QStringLiteral("/v1/users/me"), owner.token,
                             m_http.json({{"settings", QJsonObject{{"showFollowers", true}}}})).status, 200);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/users/private_owner/followers")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TstUsersFollow)
#include "tst_usersfollow.moc"
