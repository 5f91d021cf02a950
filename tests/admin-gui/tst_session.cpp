// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Signing in from the console: password, wrong password (the server's problem detail is
// shown), operator token, an unreachable server, and the dialog driven by its fields.

#include "session.h"
#include "signindialog.h"

#include "usershttp.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace Users::Test;

class TstSession : public QObject {
    Q_OBJECT
    UsersHttp h;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);  // the dialog's QSettings stay out of the user's config
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
    }

    void passwordSignIn()
    {
        Console::Session session;
        QSignalSpy ok(&session, &Console::Session::signedIn);
        session.signIn(h.daemon.baseUrl(), h.admin.username, h.admin.password);
        QVERIFY(ok.wait(15'000));
        QVERIFY(session.isSignedIn());
        QCOMPARE(session.serverVersion(), Console::Session::consoleVersion());
        QVERIFY(session.versionWarning().isEmpty());
        QVERIFY(!session.api()->token().isEmpty());
    }

    void wrongPasswordShowsTheServersDetail()
    {
        Console::Session session;
        QSignalSpy failed(&session, &Console::Session::failed);
        session.signIn(h.daemon.baseUrl(), h.admin.username, QStringLiteral("not-the-password"));
        QVERIFY(failed.wait(15'000));
        QVERIFY(!session.isSignedIn());
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QLatin1String("password"), Qt::CaseInsensitive), qPrintable(message));
    }

    void operatorToken()
    {
        Console::Session session;
        QSignalSpy ok(&session, &Console::Session::signedIn);
        session.signInWithToken(h.daemon.baseUrl(), h.daemon.operatorToken());
        QVERIFY(ok.wait(15'000));
        QCOMPARE(session.username(), QStringLiteral("operator"));

        Console::Session wrong;
        QSignalSpy failed(&wrong, &Console::Session::failed);
        wrong.signInWithToken(h.daemon.baseUrl(), QStringLiteral("not-a-token"));
        QVERIFY(failed.wait(15'000));
        QVERIFY(!wrong.isSignedIn());
    }

    void unreachableServer()
    {
        Console::Session session;
        QSignalSpy failed(&session, &Console::Session::failed);
        session.signIn(QUrl(QStringLiteral("http://127.0.0.1:1")), QStringLiteral("a"), QStringLiteral("b"));
        QVERIFY(failed.wait(20'000));
        QVERIFY(!failed.first().first().toString().isEmpty());
    }

    void dialogByKeyboard()
    {
        Console::Session session;
        Console::SignInDialog dialog(&session);
        dialog.serverField()->setText(h.daemon.baseUrl().toString());
        dialog.usernameField()->clear();  // the last signed-in name is remembered
        QTest::keyClicks(dialog.usernameField(), h.admin.username);
        QTest::keyClicks(dialog.passwordField(), h.admin.password);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.submit();
        QVERIFY(accepted.wait(15'000));
        QVERIFY(session.isSignedIn());
    }
};

QTEST_MAIN(TstSession)
#include "tst_session.moc"
