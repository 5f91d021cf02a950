// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The clock offset fault (chaos `clock.offset`, community/clock.h) moves the time-dependent
// rules of the plugin it selects: two days ahead for auth, a fresh access token and refresh
// token are expired (401) and work again after stop-all; two days ahead for admin, a
// one-day suspension is lifted by the penalty sweep at once.

#include "contenthttp.h"

#include <QtTest>

using namespace Content::Test;

class TstClockFaults : public QObject {
    Q_OBJECT
    ContentHttp h;

    void inject(const QString &plugin, qint64 offsetSeconds)
    {
        const auto r = h.daemon.operatorRequest(
            "POST", QStringLiteral("/v1/admin/chaos/faults"),
            ContentHttp::json({{"kind", "clock.offset"}, {"selector", QJsonObject{{"plugin", plugin}}},
                               {"offsetSeconds", double(offsetSeconds)}, {"ttlSeconds", 60}}));
        QVERIFY2(r.status == 201, r.body.constData());
        QCOMPARE(r.json().value("offsetSeconds").toInteger(), offsetSeconds);
    }
    void stopAll() { QCOMPARE(h.daemon.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/stop-all"), "{}").status, 200); }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("COMMUNITY_RESPONSE_LOG");   // answers under faults are not API examples
        h.extraSets << QStringLiteral("chaos.enabled=true") << QStringLiteral("plugins.admin.penaltySweepMs=200");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
    }
    void cleanupTestCase() { QCOMPARE(h.daemon.stop(), 0); }

    void sessionsExpireAheadOfTime()
    {
        const Account ivy = h.registerUser(QStringLiteral("ivy"));
        const auto login = h.call("POST", QStringLiteral("/v1/auth/login"), {},
                                  ContentHttp::json({{"login", ivy.username}, {"password", ivy.password}}));
        const QString refresh = login.json().value("refreshToken").toString();
        QVERIFY(!refresh.isEmpty());
        QCOMPARE(h.call("GET", QStringLiteral("/v1/auth/me"), ivy.token).status, 200);

        inject(QStringLiteral("auth"), 2 * 86'400);
        QCOMPARE(h.call("GET", QStringLiteral("/v1/auth/me"), ivy.token).status, 401);
        stopAll();
        QCOMPARE(h.call("GET", QStringLiteral("/v1/auth/me"), ivy.token).status, 200);

        inject(QStringLiteral("auth"), 400 * 86'400);   // beyond any refresh lifetime
        const auto refreshed = h.call("POST", QStringLiteral("/v1/auth/refresh"), {}, ContentHttp::json({{"refreshToken", refresh}}));
        QCOMPARE(refreshed.status, 401);
        stopAll();
        // Other plugins keep the wall clock: a fault for "admin" leaves auth alone.
        inject(QStringLiteral("admin"), 2 * 86'400);
        QCOMPARE(h.call("GET", QStringLiteral("/v1/auth/me"), ivy.token).status, 200);
        stopAll();
    }

    void penaltiesExpireAheadOfTime()
    {
        const Account jon = h.registerUser(QStringLiteral("jon"));
        const qint64 id = h.scalar("SELECT id FROM auth.users WHERE username = 'jon'");
        const qint64 penalty = h.scalar("INSERT INTO admin.penalties (user_id, kind, reason, created_by, ends_at) VALUES ("
                                        + std::to_string(id) + ", 'suspend', 'clock test', 1, now() + interval '1 day') RETURNING id");
        QVERIFY(penalty > 0);
        const std::string lifted = "SELECT count(*) FROM admin.penalties WHERE id = " + std::to_string(penalty)
                                   + " AND lifted_at IS NOT NULL";
        QTest::qWait(600);   // several sweeps on the wall clock: still in force
        QCOMPARE(h.scalar(lifted), 0);
        inject(QStringLiteral("admin"), 2 * 86'400);
        QTRY_COMPARE_WITH_TIMEOUT(h.scalar(lifted), 1, 10'000);
        stopAll();
    }
};

QTEST_MAIN(TstClockFaults)
#include "tst_clockfaults.moc"
