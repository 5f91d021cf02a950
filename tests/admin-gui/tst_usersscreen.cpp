// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Users: search narrows the list, paging follows the server's cursor, suspending needs a
// reason and changes the account on the server, unsuspending restores it.

#include "jsontablemodel.h"
#include "session.h"
#include "signin.h"
#include "usersscreen.h"

#include "usershttp.h"

#include <QLineEdit>
#include <QSignalSpy>

using namespace Users::Test;

class TstUsersScreen : public QObject {
    Q_OBJECT
    UsersHttp h;
    Console::Session session;

    QString state(const QString &username)
    {
        const QJsonObject o = h.call("GET", QStringLiteral("/v1/admin/users/%1").arg(username), h.admin.token).json();
        return (o.contains("user") ? o.value("user").toObject() : o).value("state").toString();
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
        for (int i = 0; i < 3; ++i)
            QVERIFY(!h.registerUser(QStringLiteral("screen_user%1").arg(i)).token.isEmpty());
    }

    void searchAndSuspend()
    {
        Console::UsersScreen screen(&session);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        QVERIFY(loaded.wait(15'000));
        QVERIFY(screen.model()->rowCount() >= 4);  // admin + three

        // Search: type the prefix, Enter.
        QTest::keyClicks(screen.searchField(), QStringLiteral("screen_user1"));
        QTest::keyClick(screen.searchField(), Qt::Key_Return);
        QVERIFY(loaded.wait(15'000));
        QCOMPARE(screen.model()->rowCount(), 1);
        QCOMPARE(screen.model()->item(0).value("username").toString(), QStringLiteral("screen_user1"));

        // No reason: refused in the console, nothing sent.
        screen.setSuspended(true, QString());
        QVERIFY(screen.feedback().contains(QLatin1String("reason")));
        QCOMPARE(state(QStringLiteral("screen_user1")), QStringLiteral("active"));

        screen.setSuspended(true, QStringLiteral("spam run"));
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("suspended.")), 15'000);
        QCOMPARE(state(QStringLiteral("screen_user1")), QStringLiteral("suspended"));
        screen.setSuspended(false);
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("unsuspended.")), 15'000);
        QCOMPARE(state(QStringLiteral("screen_user1")), QStringLiteral("active"));
    }

    void pagingFollowsTheCursor()
    {
        Console::JsonTableModel model({{QStringLiteral("Username"), QStringLiteral("username")}});
        QSignalSpy loaded(&model, &Console::JsonTableModel::loaded);
        Community::Client::ApiRequest request{"GET", QStringLiteral("/v1/admin/users")};
        request.query.addQueryItem(QStringLiteral("limit"), QStringLiteral("2"));
        model.load(session.api(), request);
        QVERIFY(loaded.wait(15'000));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.hasMore());
        QStringList names;
        while (model.hasMore()) {
            model.loadMore();
            QVERIFY(loaded.wait(15'000));
        }
        for (int r = 0; r < model.rowCount(); ++r)
            names << model.data(model.index(r, 0)).toString();
        QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), names.size());  // no row twice
        QVERIFY(names.contains(QStringLiteral("admin")));
        QVERIFY(names.contains(QStringLiteral("screen_user2")));
    }
};

QTEST_MAIN(TstUsersScreen)
#include "tst_usersscreen.moc"
