// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Migrations screen against a real daemon started with --no-migrate (every plugin's
// migrations pending), signed in with the operator token: the status per plugin and per
// file; Apply refuses without a plan; the plan (dry run) lists what is pending and
// changes nothing; a declined confirmation applies nothing; a confirmed one applies
// exactly the plan, after which everything is applied and a new plan is empty.

#include "jsontablemodel.h"
#include "migrationsscreen.h"
#include "session.h"

#include "usershttp.h"

#include <QJsonArray>
#include <QSignalSpy>

using Community::Test::DaemonProcess;

class TstMigrationsScreen : public QObject {
    Q_OBJECT
    DaemonProcess daemon;
    Console::Session session;

    int countState(const QString &state)
    {
        int n = 0;
        const QJsonArray all = daemon.operatorRequest("GET", QStringLiteral("/v1/system/migrations")).json()
                                   .value("migrations").toArray();
        for (const QJsonValue &v : all)
            n += v.toObject().value("state").toString() == state;
        return n;
    }

private slots:
    void initTestCase()
    {
        DaemonProcess::Options o = Users::Test::UsersHttp::daemonOptions({});
        o.extraArgs << QStringLiteral("--no-migrate");
        QVERIFY2(daemon.start(o), qPrintable(daemon.errorString()));
        QSignalSpy ok(&session, &Console::Session::signedIn);
        session.signInWithToken(daemon.baseUrl(), daemon.operatorToken());
        QVERIFY(ok.wait(15'000));
        QVERIFY(countState(QStringLiteral("pending")) > 0);
    }

    void planConfirmApply()
    {
        const int pending = countState(QStringLiteral("pending"));
        Console::MigrationsScreen screen(&session);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        QVERIFY(loaded.wait(15'000));
        QCOMPARE(screen.model()->rowCount(), pending + countState(QStringLiteral("applied")));
        QVERIFY2(screen.summary().contains(QLatin1String("auth: 0 applied,")), qPrintable(screen.summary()));
        QVERIFY2(screen.summary().contains(QLatin1String("pending")), qPrintable(screen.summary()));
        // Each row: its plugin, version, name, state and a checksum.
        const QJsonObject first = screen.model()->item(0);
        QVERIFY(!first.value("plugin").toString().isEmpty());
        QCOMPARE(first.value("checksum").toString().size(), 64);
        QCOMPARE(screen.model()->data(screen.model()->index(0, 3)).toString(), QStringLiteral("pending"));

        // No plan yet: nothing is sent.
        QVERIFY(!screen.canApply());
        screen.apply();
        QVERIFY2(screen.feedback().contains(QLatin1String("plan first")), qPrintable(screen.feedback()));
        QCOMPARE(countState(QStringLiteral("pending")), pending);

        // The plan (p) lists every pending file and applies none.
        QTest::keyClick(screen.focusProxy(), Qt::Key_P);
        QTRY_VERIFY_WITH_TIMEOUT(screen.canApply(), 15'000);
        QCOMPARE(screen.planned().size(), pending);
        QCOMPARE(countState(QStringLiteral("pending")), pending);

        // Declined: nothing applied, and the question named the count.
        QString asked;
        screen.setConfirm([&asked](const QString &question) {
            asked = question;
            return false;
        });
        screen.apply();
        QVERIFY2(asked.contains(QStringLiteral("Apply %1 migration").arg(pending)), qPrintable(asked));
        QVERIFY2(asked.contains(screen.planned().first()), qPrintable(asked));
        QCOMPARE(screen.feedback(), QStringLiteral("Not applied."));
        QCOMPARE(countState(QStringLiteral("pending")), pending);

        // Confirmed: exactly the plan is applied.
        screen.setConfirm([](const QString &) { return true; });
        QSignalSpy applied(&screen, &Console::MigrationsScreen::applied);
        screen.apply();
        QVERIFY(applied.wait(60'000));
        QCOMPARE(applied.first().first().toInt(), pending);
        QCOMPARE(countState(QStringLiteral("pending")), 0);
        QVERIFY2(screen.feedback().startsWith(QStringLiteral("Applied %1 migration").arg(pending)), qPrintable(screen.feedback()));
        QTRY_VERIFY_WITH_TIMEOUT(screen.summary().contains(QLatin1String(", 0 pending")), 15'000);
        QVERIFY(!screen.summary().contains(QLatin1String(", 1 pending")));

        // A new plan is empty and cannot be applied.
        screen.plan();
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("lists 0 migration")), 15'000);
        QVERIFY(screen.planned().isEmpty());
        QVERIFY(!screen.canApply());
    }
};

QTEST_MAIN(TstMigrationsScreen)
#include "tst_migrationsscreen.moc"
