// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Chaos screen against a real daemon with chaos.enabled: a fault injected from the form
// acts on real requests; a held fault ends with the screen that holds it, and lapses by
// itself when the console stops renewing (a crash or a lost connection: the dead-man
// switch); Delete clears the selected fault, Stop all clears every one; the server's
// field errors reach the operator.

#include "chaosscreen.h"
#include "jsontablemodel.h"
#include "session.h"
#include "signin.h"

#include "usershttp.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>

using namespace Users::Test;

class TstChaosScreen : public QObject {
    Q_OBJECT
    UsersHttp h;
    Console::Session session;

    QJsonArray faults()
    {
        return h.call("GET", QStringLiteral("/v1/admin/chaos/faults"), h.admin.token).json().value("faults").toArray();
    }
    int probeStatus() { return h.call("GET", QStringLiteral("/v1/communities?limit=1"), h.admin.token).status; }

    /// Fills the form for an http.abort with `status` on the communities list.
    void fillAbort(Console::ChaosScreen &screen, int status, bool hold, int ttl = 120)
    {
        screen.kindField()->setCurrentText(QStringLiteral("http.abort"));
        screen.routeField()->setText(QStringLiteral("/v1/communities"));
        screen.statusField()->setValue(status);
        screen.ttlField()->setValue(ttl);
        screen.holdField()->setChecked(hold);
    }

private slots:
    void initTestCase()
    {
        h.extraSets << QStringLiteral("chaos.enabled=true");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
        QCOMPARE(probeStatus(), 200);
    }

    void cleanup() { h.call("POST", QStringLiteral("/v1/admin/chaos/stop-all"), h.admin.token, "{}"); }

    void heldFaultEndsWithTheScreen()
    {
        {
            Console::ChaosScreen screen(&session);
            screen.show();
            QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
            QVERIFY(loaded.wait(15'000));
            QCOMPARE(screen.kindField()->findText(QStringLiteral("db.hold")) >= 0, true);   // the daemon's kinds
            fillAbort(screen, 507, true);
            screen.inject();
            QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().startsWith(QLatin1String("Injected http.abort")), 15'000);
            QVERIFY(!screen.leaseId().isEmpty());
            QCOMPARE(probeStatus(), 507);
            QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 1, 15'000);
            const QJsonObject f = screen.model()->item(0);
            QCOMPARE(f.value("lease").toString(), screen.leaseId());
            QCOMPARE(Console::JsonTableModel::valueAt(f, QStringLiteral("selector.route")), QStringLiteral("/v1/communities"));
            QCOMPARE(screen.model()->data(screen.model()->index(0, 4)).toString(), QStringLiteral("by this console"));
            // Held longer than the lease's TTL (5 s): the screen's renewals keep it.
            QTest::qWait(6500);
            QCOMPARE(faults().size(), 1);
        }
        // The screen is gone (the console closed): its lease ended, and the fault with it.
        QTRY_COMPARE_WITH_TIMEOUT(faults().size(), 0, 10'000);
        QCOMPARE(probeStatus(), 200);
    }

    void abandonedLeaseLapses()
    {
        Console::ChaosScreen screen(&session);
        screen.show();
        fillAbort(screen, 503, true);
        screen.inject();
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().startsWith(QLatin1String("Injected")), 15'000);
        QCOMPARE(probeStatus(), 503);
        // The console stops renewing without a word, as a crashed one would.
        QElapsedTimer t;
        t.start();
        screen.abandonLease();
        QTRY_COMPARE_WITH_TIMEOUT(faults().size(), 0, 20'000);
        qInfo("the abandoned lease's fault cleared after %lld ms", t.elapsed());
        QCOMPARE(probeStatus(), 200);
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 0, 10'000);   // the screen refreshes itself
    }

    void deleteKeyAndStopAll()
    {
        Console::ChaosScreen screen(&session);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        // Two faults without a lease: they outlive the screen unless cleared.
        fillAbort(screen, 503, false);
        screen.inject();
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().startsWith(QLatin1String("Injected")), 15'000);
        screen.kindField()->setCurrentText(QStringLiteral("http.delay"));
        screen.delayField()->setValue(10);
        screen.inject();
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 2, 15'000);
        QVERIFY(screen.leaseId().isEmpty());

        auto *list = screen.findChild<QTableView *>();
        QVERIFY(list);
        list->setFocus();
        list->setCurrentIndex(screen.model()->index(0, 0));
        const QString first = screen.model()->item(0).value("id").toString();
        QTest::keyClick(list, Qt::Key_Delete);
        QTRY_COMPARE_WITH_TIMEOUT(faults().size(), 1, 15'000);
        QVERIFY(faults().at(0).toObject().value("id").toString() != first);

        QTest::keyClick(list, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().startsWith(QLatin1String("Stopped: 1 fault")), 15'000);
        QCOMPARE(faults().size(), 0);
        QCOMPARE(probeStatus(), 200);
    }

    void serverFieldErrorsShown()
    {
        Console::ChaosScreen screen(&session);
        screen.show();
        fillAbort(screen, 503, false);
        screen.routeField()->setText(QString(600, QLatin1Char('x')));   // longer than a selector may be
        screen.inject();
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("not injected")), 15'000);
        QVERIFY2(screen.feedback().contains(QLatin1String("route")), qPrintable(screen.feedback()));
        QCOMPARE(faults().size(), 0);
    }
};

QTEST_MAIN(TstChaosScreen)
#include "tst_chaosscreen.moc"
