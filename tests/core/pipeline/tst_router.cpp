// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/router.h"

#include <QtTest>

using namespace Community::Http;

class TstRouter : public QObject {
    Q_OBJECT

    static Handler tag(QString *out, const QString &name)
    {
        return [out, name](HttpRequest &, const Responder &) { *out = name; };
    }

private Q_SLOTS:
    void matchesLiteralsBeforeParameters()
    {
        Router r;
        QString hit;
        QVERIFY(r.add("GET", QStringLiteral("/v1/users/{name}"), tag(&hit, QStringLiteral("param"))));
        QVERIFY(r.add("GET", QStringLiteral("/v1/users/me"), tag(&hit, QStringLiteral("me"))));
        HttpRequest req;
        auto m = r.match("GET", QStringLiteral("/v1/users/me"));
        QCOMPARE(m.kind, Router::MatchKind::Found);
        (*m.handler)(req, Responder());
        QCOMPARE(hit, QStringLiteral("me"));
        m = r.match("GET", QStringLiteral("/v1/users/alice"));
        QCOMPARE(m.kind, Router::MatchKind::Found);
        QCOMPARE(m.params.value(QStringLiteral("name")), QStringLiteral("alice"));
        QCOMPARE(m.route->pattern, QStringLiteral("/v1/users/{name}"));
    }

    void methodNotAllowedListsAllowed()
    {
        Router r;
        QString hit;
        QVERIFY(r.add("GET", QStringLiteral("/a"), tag(&hit, QStringLiteral("get"))));
        QVERIFY(r.add("POST", QStringLiteral("/a"), tag(&hit, QStringLiteral("post"))));
        auto m = r.match("DELETE", QStringLiteral("/a"));
        QCOMPARE(m.kind, Router::MatchKind::MethodNotAllowed);
        QVERIFY(m.allowed.contains("GET"));
        QVERIFY(m.allowed.contains("POST"));
        QVERIFY(m.allowed.contains("HEAD"));
        QCOMPARE(r.match("HEAD", QStringLiteral("/a")).kind, Router::MatchKind::Found);
    }

    void notFound_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("unknown") << QStringLiteral("/nope");
        QTest::newRow("prefix only") << QStringLiteral("/v1");
        QTest::newRow("too deep") << QStringLiteral("/v1/users/alice/extra");
        QTest::newRow("root") << QStringLiteral("/");
    }
    void notFound()
    {
        QFETCH(QString, path);
        Router r;
        QString hit;
        QVERIFY(r.add("GET", QStringLiteral("/v1/users/{name}"), tag(&hit, QStringLiteral("x"))));
        QCOMPARE(r.match("GET", path).kind, Router::MatchKind::NotFound);
    }

    void trailingAndDoubleSlashesAreTolerated()
    {
        Router r;
        QString hit;
        QVERIFY(r.add("GET", QStringLiteral("/v1/system/info"), tag(&hit, QStringLiteral("x"))));
        QCOMPARE(r.match("GET", QStringLiteral("/v1/system/info/")).kind, Router::MatchKind::Found);
        QCOMPARE(r.match("GET", QStringLiteral("//v1//system/info")).kind, Router::MatchKind::Found);
    }

    void rejectsDuplicatesAndClashes()
    {
        Router r;
        QString hit;
        QVERIFY(r.add("GET", QStringLiteral("/a/{id}"), tag(&hit, QStringLiteral("x"))));
        auto dup = r.add("GET", QStringLiteral("/a/{id}"), tag(&hit, QStringLiteral("y")));
        QVERIFY(!dup);
        QVERIFY(dup.error().message.contains(QStringLiteral("twice")));
        auto clash = r.add("POST", QStringLiteral("/a/{name}"), tag(&hit, QStringLiteral("z")));
        QVERIFY(!clash);
        QVERIFY(clash.error().message.contains(QStringLiteral("{name}")));
        QVERIFY(!r.add("GET", QStringLiteral("relative"), tag(&hit, QStringLiteral("z"))));
        QCOMPARE(r.routes().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstRouter)
#include "tst_router.moc"
