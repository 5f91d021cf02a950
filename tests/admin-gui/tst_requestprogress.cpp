// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Requests in flight, against a real daemon whose chaos layer slows or fails the routes
// the screens use: a slow answer shows the progress bar (with the seconds waited) while
// the screen keeps taking keys and its event loop keeps turning; Esc aborts the request
// long before the server would have answered and the screen says "Cancelled."; a failing
// route (503, a documented answer) shows the problem+json detail; the next load works.

#include "jsontablemodel.h"
#include "requestprogress.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "signin.h"
#include "usersscreen.h"

#include "usershttp.h"

#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTimer>

using namespace Users::Test;

class TstRequestProgress : public QObject {
    Q_OBJECT
    UsersHttp h;
    Console::Session session;

    void inject(const QJsonObject &fault)
    {
        const auto r = h.call("POST", QStringLiteral("/v1/admin/chaos/faults"), h.admin.token, h.json(fault));
        QVERIFY2(r.status == 201, r.body.constData());
    }

private slots:
    void initTestCase()
    {
        h.extraSets << QStringLiteral("chaos.enabled=true");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
    }

    void cleanup() { h.call("POST", QStringLiteral("/v1/admin/chaos/stop-all"), h.admin.token, "{}"); }

    void slowServerShowsProgressAndEscCancels()
    {
        // Every account list answer is held back 8 s (the client's own limit is 15 s).
        inject({{"kind", "http.delay"}, {"selector", QJsonObject{{"route", "/v1/admin/users"}}}, {"delayMs", 8000},
                {"ttlSeconds", 120}});
        Console::UsersScreen screen(&session);
        screen.resize(1000, 600);
        screen.show();
        QVERIFY(QTest::qWaitForWindowExposed(&screen));
        Console::RequestProgress *progress = screen.progress();
        QSignalSpy failed(screen.model(), &Console::JsonTableModel::failed);
        QElapsedTimer clock;
        clock.start();
        screen.reload();
        QVERIFY(progress->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(progress->isVisible(), 3000);   // shown once the wait is noticeable

        // The event loop keeps turning while the request waits: a 50 ms timer ticks on time
        // and typing reaches the search field.
        int ticks = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&ticks] { ++ticks; });
        tick.start(50);
        QTest::keyClicks(screen.searchField(), QStringLiteral("abc"));
        QTest::qWait(1500);
        tick.stop();
        QVERIFY2(ticks >= 20, qPrintable(QString::number(ticks)));
        QCOMPARE(screen.searchField()->text(), QStringLiteral("abc"));
        QVERIFY(progress->isBusy());
        QVERIFY2(progress->text().contains(QLatin1String("Esc")), qPrintable(progress->text()));
        // The wait counts up: whole seconds since the request left (on a loaded machine the
        // first look may already see 2 s or more; only 0 s would be wrong).
        static const QRegularExpression counted(QStringLiteral("\\b[1-9][0-9]* s\\b"));
        QTRY_VERIFY2_WITH_TIMEOUT(counted.match(progress->text()).hasMatch(), qPrintable(progress->text()), 3000);

        // Esc from the list aborts it.
        screen.list()->setFocus();
        QTest::keyClick(screen.list(), Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 2000);
        QVERIFY2(clock.elapsed() < 7000, "cancelled before the server answered");
        QVERIFY(!progress->isBusy());
        QVERIFY(!progress->isVisible());
        QVERIFY2(screen.feedback().contains(QLatin1String("Cancelled")), qPrintable(screen.feedback()));

        // Without the fault the same screen loads.
        cleanup();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.searchField()->clear();
        screen.reload();
        QVERIFY(loaded.wait(15'000));
        QVERIFY(screen.model()->rowCount() >= 1);
        QVERIFY(!progress->isBusy());
    }

    void failingServerShowsTheProblemDetail()
    {
        inject({{"kind", "http.abort"}, {"selector", QJsonObject{{"route", "/v1/admin/queue"}}}, {"status", 503},
                {"ttlSeconds", 120}});
        Console::ReviewQueueScreen screen(&session);
        screen.show();
        QSignalSpy failed(screen.model(), &Console::JsonTableModel::failed);
        screen.reload();
        QVERIFY(failed.wait(15'000));
        // The chaos layer's problem+json detail ("Injected fault <id>.") reaches the user.
        QVERIFY2(screen.feedback().contains(QLatin1String("Injected fault")), qPrintable(screen.feedback()));
        QVERIFY(!screen.progress()->isBusy());

        cleanup();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        QTest::keyClick(screen.list(), Qt::Key_F5);
        QVERIFY(loaded.wait(15'000));
        QVERIFY2(screen.feedback().contains(QLatin1String("in the queue")), qPrintable(screen.feedback()));
    }

    void decisionInFlightIsCancelledToo()
    {
        // A request sent through the helper (not a list load) is tracked and cancelled alike.
        inject({{"kind", "http.delay"}, {"selector", QJsonObject{{"route", "/v1/admin/audit/verify"}}}, {"delayMs", 8000},
                {"ttlSeconds", 120}});
        Console::UsersScreen screen(&session);
        screen.show();
        bool cancelled = false;
        screen.progress()->send(Community::Client::ApiRequest{"GET", QStringLiteral("/v1/admin/audit/verify")},
                                [&cancelled](const Community::Client::ApiReply &reply) {
                                    cancelled = reply.outcome == Community::Client::ApiReply::Outcome::Cancelled
                                        && Console::replyMessage(reply) == QLatin1String("Cancelled.");
                                });
        QVERIFY(screen.progress()->isBusy());
        QSignalSpy cancelledSpy(screen.progress(), &Console::RequestProgress::cancelled);
        QTest::qWait(400);
        screen.progress()->cancelAll();
        QTRY_VERIFY_WITH_TIMEOUT(cancelled, 2000);
        QCOMPARE(cancelledSpy.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!screen.progress()->isBusy(), 2000);
    }
};

QTEST_MAIN(TstRequestProgress)
#include "tst_requestprogress.moc"
