// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The live dashboard receives admin:metrics samples from a real daemon over the shared
// realtime client: while requests are made, samples arrive about once a second, the
// requests chart gets a line per API area, and the window selector narrows the model.

#include "dashboardscreen.h"
#include "metricsmodel.h"
#include "session.h"
#include "signin.h"

#include "usershttp.h"

#include <QComboBox>
#include <QTimer>

class TstDashboardScreen : public QObject {
    Q_OBJECT
    Users::Test::UsersHttp h;
    Console::Session session;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
    }

    void receivesSamples()
    {
        Console::DashboardScreen screen(&session);
        screen.resize(1200, 800);
        screen.show();
        // Traffic for the users area while the samples come in.
        QTimer traffic;
        connect(&traffic, &QTimer::timeout, this, [this] { (void)h.call("GET", QStringLiteral("/v1/users/search?q=a")); });
        traffic.start(100);
        QTRY_VERIFY_WITH_TIMEOUT(screen.model()->sampleCount() >= 3, 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(screen.model()->areas().contains(QStringLiteral("users")), 10'000);
        traffic.stop();
        const QJsonObject last = screen.model()->latest();
        QVERIFY(last.contains("requestsPerSecond"));
        QVERIFY(last.value("dbPool").toObject().value("size").toInt() > 0);
        QVERIFY(Console::MetricsModel::totalValue(last, Console::MetricsModel::Total::WsConnections) >= 1);  // ours
        QVERIFY(screen.seriesCount(0) >= 2);   // "all" and the users area
        QCOMPARE(screen.seriesCount(2), 2);    // 4xx, 5xx
        QVERIFY2(screen.status().contains(QLatin1String("sample")), qPrintable(screen.status()));
        QCOMPARE(screen.model()->rowCount(), screen.model()->sampleCount());

        QCOMPARE(screen.model()->windowSeconds(), 60);   // the default: the last minute
        screen.windowSelector()->setCurrentIndex(1);
        QCOMPARE(screen.model()->windowSeconds(), 300);
        if (const QString dir = qEnvironmentVariable("COMMUNITY_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(screen.grab().save(dir + QStringLiteral("/dashboard.png")));
    }
};

QTEST_MAIN(TstDashboardScreen)
#include "tst_dashboardscreen.moc"
