// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The console's window against a real daemon: `g` then q, u, a, d, c, m, r or s jumps between
// the review queue, users, audit log, dashboard, chaos, migrations, user record and settings
// screens from whatever has the focus (settings load when first shown); Enter on the users screen opens the account's record; with Ctrl
// held, `g` is no chord; typed into a text field it is text; the last screen and the
// window's geometry are remembered for the next start.

#include "auditscreen.h"
#include "jsontablemodel.h"
#include "mainwindow.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "settingsscreen.h"
#include "signin.h"
#include "userrecordscreen.h"
#include "usersscreen.h"

#include "adminhttp.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>

class TstMainWindow : public QObject {
    Q_OBJECT
    Admin::Test::AdminHttp h;
    Console::Session session;
    QTemporaryDir settingsDir;

    static void chord(QWidget *target, Qt::Key key)
    {
        QTest::keyClick(target, Qt::Key_G);
        QTest::keyClick(target, key);
    }

private slots:
    void initTestCase()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("CommunityPlatformTest"));
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
    }

    void chordsJumpBetweenScreens()
    {
        Console::MainWindow window(&session);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QWidget *list = window.reviewQueue()->list();
        list->setFocus();
        chord(list, Qt::Key_A);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::AuditScreenIndex));
        chord(window.audit()->list(), Qt::Key_D);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::DashboardScreenIndex));
        chord(QApplication::focusWidget() ? QApplication::focusWidget() : &window, Qt::Key_C);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::ChaosScreenIndex));
        chord(QApplication::focusWidget() ? QApplication::focusWidget() : &window, Qt::Key_M);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::MigrationsScreenIndex));
        chord(QApplication::focusWidget() ? QApplication::focusWidget() : &window, Qt::Key_R);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::UserRecordScreenIndex));
        chord(QApplication::focusWidget() ? QApplication::focusWidget() : &window, Qt::Key_S);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::SettingsScreenIndex));
        QTRY_VERIFY_WITH_TIMEOUT(window.settings()->model()->rowCount() > 0, 15'000);   // loaded when first shown
        chord(QApplication::focusWidget() ? QApplication::focusWidget() : &window, Qt::Key_U);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::UsersScreenIndex));
        chord(QApplication::focusWidget() ? QApplication::focusWidget() : &window, Qt::Key_Q);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::QueueScreen));

        // Ctrl+G is not the chord; `g` typed into a filter field is text.
        QTest::keyClick(list, Qt::Key_G, Qt::ControlModifier);
        QTest::keyClick(list, Qt::Key_A);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::QueueScreen));
        window.showScreen(Console::MainWindow::AuditScreenIndex);
        QLineEdit *field = window.audit()->actionField();
        field->setFocus();
        QTest::keyClicks(field, QStringLiteral("gq"));
        QCOMPARE(field->text(), QStringLiteral("gq"));
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::AuditScreenIndex));
        window.close();
    }

    void enterOpensTheRecord()
    {
        Console::MainWindow window(&session);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.showScreen(Console::MainWindow::UsersScreenIndex);
        Console::UsersScreen *users = window.users();
        QTRY_VERIFY_WITH_TIMEOUT(users->model()->rowCount() > 0, 15'000);
        users->list()->setFocus();
        users->list()->setCurrentIndex(users->model()->index(0, 0));
        const QString username = users->model()->item(0).value("username").toString();
        QSignalSpy loaded(window.userRecord(), &Console::UserRecordScreen::accountLoaded);
        QTest::keyClick(users->list(), Qt::Key_Return);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::UserRecordScreenIndex));
        QVERIFY(loaded.wait(15'000));
        QCOMPARE(window.userRecord()->username(), username);
        QVERIFY(window.userRecord()->profileText().contains(username));
        window.showScreen(Console::MainWindow::AuditScreenIndex);   // what the next test expects remembered
        window.close();
    }

    void remembersTheLastScreen()
    {
        Console::MainWindow window(&session);
        QCOMPARE(window.currentScreen(), int(Console::MainWindow::AuditScreenIndex));
    }
};

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
