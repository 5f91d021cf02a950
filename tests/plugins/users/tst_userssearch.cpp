// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// User search over real HTTP (real auth + users plugins): prefix, typo, Korean names,
// ranking, pages, hostile queries (400, never 500).

#include "usershttp.h"

using namespace Users::Test;

class TstUsersSearch : public QObject {
    Q_OBJECT

    UsersHttp m_http;

    QStringList search(const QString &q, const QString &extra = {}, QString *next = nullptr)
    {
        auto r = m_http.call("GET", UsersHttp::searchPath(q, extra));
        if (r.status != 200)
            qWarning() << "search" << q << r.status << r.body;
        QStringList names;
        for (const QJsonValue &v : r.json().value("items").toArray())
            names << v.toObject().value("username").toString();
        if (next)
            *next = r.json().value("nextCursor").toString();
        return names;
    }

    void named(const QString &username, const QString &displayName)
    {
        Account a = m_http.registerUser(username);
        auto r = m_http.call("PATCH", QStringLiteral("/v1/users/me"), a.token,
                             UsersHttp::json({{"displayName", displayName}}));
        QCOMPARE(r.status, 200);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        named(QStringLiteral("minsu"), QStringLiteral("김민수"));
        named(QStringLiteral("leeminsu"), QStringLiteral("이민수"));
        for (const char *n : {"alice", "alicia", "malice", "joe", "joe1", "joe2", "joe3", "joe4", "fanx", "fany"})
            QVERIFY(!m_http.registerUser(QString::fromLatin1(n)).token.isEmpty());
        Account fx{QStringLiteral("fanx"), QStringLiteral("Correct-Horse-fanx-Battery!"), {}};
        fx.token = m_http.login(fx.username, fx.password);
        Account fy{QStringLiteral("fany"), QStringLiteral("Correct-Horse-fany-Battery!"), {}};
        fy.token = m_http.login(fy.username, fy.password);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/joe3/follow"), fx.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/joe3/follow"), fy.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/joe1/follow"), fx.token).status, 204);
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void korean()
    {
        QStringList r = search(QStringLiteral("김민"));
        QVERIFY(!r.isEmpty());
        QCOMPARE(r.first(), QStringLiteral("minsu"));
        QCOMPARE(search(QStringLiteral("김민수")).value(0), QStringLiteral("minsu"));
        QCOMPARE(search(QStringLiteral("이민")).value(0), QStringLiteral("leeminsu"));
    }

    void prefixCaseInsensitiveAndExactFirst()
    {
        QStringList r = search(QStringLiteral("ALI"));
        QVERIFY2(r.contains(QStringLiteral("alice")) && r.contains(QStringLiteral("alicia")), qPrintable(r.join(',')));
        QCOMPARE(search(QStringLiteral("alice")).value(0), QStringLiteral("alice"));
    }

    void typo()
    {
        QVERIFY(search(QStringLiteral("alcie")).contains(QStringLiteral("alice")));
    }

    void rankingByFollowers()
    {
        QCOMPARE(search(QStringLiteral("joe")).mid(0, 3), (QStringList{"joe", "joe3", "joe1"}));
    }

    void pagination()
    {
        const QStringList all = search(QStringLiteral("joe"), QStringLiteral("&limit=100"));
        QString next;
        QStringList paged = search(QStringLiteral("joe"), QStringLiteral("&limit=2"), &next);
        while (!next.isEmpty())
            paged += search(QStringLiteral("joe"), QStringLiteral("&limit=2&cursor=") + next, &next);
        QCOMPARE(paged, all);
        QCOMPARE(all.size(), 5);
    }

    void hostileQueries_data()
    {
        QTest::addColumn<QString>("q");
        QTest::addColumn<int>("status");
        QTest::newRow("percent") << QStringLiteral("%") << 400;
        QTest::newRow("underscore") << QStringLiteral("_") << 400;
        QTest::newRow("punctuation only") << QStringLiteral("'\";--%_\\") << 400;
        QTest::newRow("empty") << QString() << 400;
        QTest::newRow("10 kB") << QString(10'000, QLatin1Char('a')) << 400;
        QTest::newRow("65 chars") << QString(65, QLatin1Char('a')) << 400;
        QTest::newRow("control") << QStringLiteral("a\u0001") << 400;
        QTest::newRow("sql-ish") << QStringLiteral("a'; DROP TABLE users.profiles; --") << 200;
        QTest::newRow("percent inside") << QStringLiteral("a%") << 200;
        QTest::newRow("underscore inside") << QStringLiteral("jo_") << 200;
        QTest::newRow("backslash inside") << QStringLiteral("a\\") << 200;
    }

    void hostileQueries()
    {
        QFETCH(QString, q);
        QFETCH(int, status);
        auto r = m_http.call("GET", UsersHttp::searchPath(q));
        QCOMPARE(r.status, status);
        if (status == 400)
            QVERIFY(isProblem(r, 400, QStringLiteral("validation")));
    }

    void badParameters()
    {
        QVERIFY(isProblem(m_http.call("GET", UsersHttp::searchPath(QStringLiteral("joe"), QStringLiteral("&limit=0"))), 400, QStringLiteral("validation")));
        QVERIFY(isProblem(m_http.call("GET", UsersHttp::searchPath(QStringLiteral("joe"), QStringLiteral("&cursor=xyz"))), 400, QStringLiteral("validation")));
    }

    void suspendedLeftOut()
    {
        QVERIFY(search(QStringLiteral("malice")).contains(QStringLiteral("malice")));
        auto s = m_http.call("POST", QStringLiteral("/v1/admin/users/malice/suspend"), m_http.admin.token, "{}");
        QVERIFY2(s.status / 100 == 2, s.body.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!search(QStringLiteral("malice")).contains(QStringLiteral("malice")), 5000);
    }
};

QTEST_GUILESS_MAIN(TstUsersSearch)
#include "tst_userssearch.moc"
