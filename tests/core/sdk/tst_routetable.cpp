// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Route tables: Router::add(QList<Route>) and the RouteOptions builders.
#include "community/router.h"

#include <QTest>

using namespace Community;
using namespace Community::Http;

class TstRouteTable : public QObject {
    Q_OBJECT
private slots:
    void addsEveryRouteWithItsOptions()
    {
        Router router;
        int called = 0;
        const Handler h = [&called](HttpRequest &, const Responder &) { ++called; };
        const RouteOptions write = RouteOptions::authenticated(Role::Moderator, QStringLiteral("x:write"))
                                       .withRateClass(QStringLiteral("write")).withBodyLimit(2048);
        QVERIFY(router.add(QList<Route>{
            {"GET", QStringLiteral("/v1/things"), {}, h},
            {"POST", QStringLiteral("/v1/things/{id}"), write, h},
            {"POST", QStringLiteral("/v1/ops"), RouteOptions::operatorOnlyRoute(), h},
        }));
        QCOMPARE(router.routeCount(), 3);
        const auto m = router.match("POST", QStringLiteral("/v1/things/7"));
        QCOMPARE(m.kind, Router::MatchKind::Found);
        QCOMPARE(m.params.value(QStringLiteral("id")), QStringLiteral("7"));
        QCOMPARE(m.route->options.access, Access::Authenticated);
        QCOMPARE(m.route->options.minRole, Role::Moderator);
        QCOMPARE(m.route->options.scope, QStringLiteral("x:write"));
        QCOMPARE(m.route->options.rateClass, QStringLiteral("write"));
        QCOMPARE(m.route->options.maxBodyBytes, 2048);
        const auto op = router.match("POST", QStringLiteral("/v1/ops"));
        QVERIFY(op.route->options.operatorOnly);
        QCOMPARE(op.route->options.rateClass, QStringLiteral("system"));
        HttpRequest req;
        (*m.handler)(req, Responder());
        QCOMPARE(called, 1);
    }

    void firstBadRouteFailsNamingIt()
    {
        Router router;
        const Handler h = [](HttpRequest &, const Responder &) {};
        const auto r = router.add(QList<Route>{
            {"GET", QStringLiteral("/v1/a"), {}, h},
            {"GET", QStringLiteral("/v1/a"), {}, h},
        });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Config);
        QVERIFY2(r.error().message.contains(QStringLiteral("/v1/a")), qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(TstRouteTable)
#include "tst_routetable.moc"
