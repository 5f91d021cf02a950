// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// `communityctl demo seed` against a real daemon: on a fresh platform it creates the demo
// accounts, the Korean and English communities, posts with comments and votes, and open
// reports that reach the review queue; run again it creates nothing; with a real account
// present it refuses (exit 2) unless --force.

#include "adminhttp.h"

#include <QJsonDocument>

using namespace Admin::Test;

class TstCtlDemo : public QObject {
    Q_OBJECT
    AdminHttp h;

    QJsonObject created(const AdminHttp::CtlRun &run)
    {
        return QJsonDocument::fromJson(run.out.toUtf8()).object().value("created").toObject();
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
    }

    void seedsAFreshPlatform()
    {
        const auto run = h.ctl({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("demo"), QStringLiteral("seed")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        const QJsonObject c = created(run);
        QCOMPARE(c.value("users").toInt(), 8);
        QCOMPARE(c.value("communities").toInt(), 3);
        QCOMPARE(c.value("posts").toInt(), 8);
        QVERIFY(c.value("comments").toInt() >= 8);
        QVERIFY(c.value("votes").toInt() >= 15);
        QCOMPARE(c.value("reports").toInt(), 3);

        const auto cafes = h.call("GET", QStringLiteral("/v1/communities/seoul-cafes"));
        QCOMPARE(cafes.status, 200);
        QVERIFY2(cafes.body.contains("서울 카페 탐방"), cafes.body.constData());
        const auto posts = h.call("GET", QStringLiteral("/v1/users/demo_alex/posts"));
        QVERIFY(posts.body.contains("은/는"));
        // The reports reach the review queue (through the event bus).
        QTRY_COMPARE_WITH_TIMEOUT(h.op("GET", QStringLiteral("/v1/admin/queue?limit=100")).json().value("items").toArray().size(), 3, 15'000);
    }

    void secondRunCreatesNothing()
    {
        const auto run = h.ctl({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("demo"), QStringLiteral("seed")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        const QJsonObject c = created(run);
        for (const char *k : {"users", "communities", "posts", "comments", "votes", "reports"})
            QVERIFY2(c.value(QLatin1String(k)).toInt() == 0, k);
    }

    void refusesWithRealUsers()
    {
        h.registerUser(QStringLiteral("a_real_person"));
        const auto refused = h.ctl({QStringLiteral("demo"), QStringLiteral("seed")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QLatin1String("refusing")), qPrintable(refused.err));
        const auto forced = h.ctl({QStringLiteral("demo"), QStringLiteral("seed"), QStringLiteral("--force")});
        QVERIFY2(forced.exitCode == 0, qPrintable(forced.err));
        QVERIFY2(forced.out.contains(QLatin1String("created 0 users")), qPrintable(forced.out));
    }
};

QTEST_MAIN(TstCtlDemo)
#include "tst_ctldemo.moc"
