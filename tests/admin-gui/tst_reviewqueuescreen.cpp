// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The review queue by keystrokes: reports filed over HTTP by users appear; j/k move; r
// resolves and i dismisses the selected report on the server; the row leaves the list, the
// next is selected and the status line says so; an error keeps the row and shows the
// server's detail.

#include "jsontablemodel.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "signin.h"

#include "contenthttp.h"

#include <QSignalSpy>
#include <QTableView>

using namespace Content::Test;

class TstReviewQueueScreen : public QObject {
    Q_OBJECT
    ContentHttp h;
    Console::Session session;
    QStringList postIds;

    QString fileReport(const Account &reporter, const QString &postId, const QString &reason)
    {
        auto r = h.call("POST", QStringLiteral("/v1/reports"), reporter.token,
                        h.json({{"targetType", "post"}, {"targetId", postId}, {"reason", reason}}));
        return r.json().value("id").toString();
    }
    QString reportStatus(const QString &id)
    {
        for (const char *status : {"open", "resolved", "dismissed"}) {
            auto r = h.call("GET", QStringLiteral("/v1/reports?status=%1&limit=100").arg(QLatin1String(status)), h.admin.token);
            for (const QJsonValue &v : r.json().value("items").toArray()) {
                if (v.toObject().value("id").toString() == id)
                    return QString::fromLatin1(status);
            }
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
        const Account author = h.registerUser(QStringLiteral("queue_author"));
        h.createCommunity(author, QStringLiteral("queue"));
        for (int i = 0; i < 3; ++i)
            postIds << h.createPost(author, QStringLiteral("queue"), QStringLiteral("Reported post %1").arg(i)).value("id").toString();
    }

    void triageByKeys()
    {
        const Account reporter = h.registerUser(QStringLiteral("queue_reporter"));
        const QString first = fileReport(reporter, postIds[0], QStringLiteral("spam"));
        const QString second = fileReport(reporter, postIds[1], QStringLiteral("harassment"));
        const QString third = fileReport(reporter, postIds[2], QStringLiteral("off-topic"));
        QVERIFY(!first.isEmpty() && !second.isEmpty() && !third.isEmpty());

        Console::ReviewQueueScreen screen(&session);
        screen.resize(1200, 700);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        QVERIFY(loaded.wait(15'000));
        QCOMPARE(screen.model()->rowCount(), 3);
        QTableView *list = screen.list();
        list->setFocus();
        QCOMPARE(list->currentIndex().row(), 0);
        if (const QString dir = qEnvironmentVariable("COMMUNITY_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(screen.grab().save(dir + QStringLiteral("/review-queue.png")));

        // j to the second report, r resolves it on the server.
        QTest::keyClick(list, Qt::Key_J);
        QCOMPARE(list->currentIndex().row(), 1);
        const QString selected = screen.model()->item(1).value("id").toString();
        QSignalSpy decided(&screen, &Console::ReviewQueueScreen::decided);
        QTest::keyClick(list, Qt::Key_R);
        QVERIFY(decided.wait(15'000));
        QCOMPARE(decided.first().at(0).toString(), selected);
        QCOMPARE(reportStatus(selected), QStringLiteral("resolved"));
        QCOMPARE(screen.model()->rowCount(), 2);
        QVERIFY2(screen.feedback().contains(QLatin1String("resolved")), qPrintable(screen.feedback()));
        QCOMPARE(list->currentIndex().row(), 1);  // the list moved on to the next report

        // k back to the top, i dismisses it.
        QTest::keyClick(list, Qt::Key_K);
        const QString top = screen.model()->item(0).value("id").toString();
        QTest::keyClick(list, Qt::Key_I);
        QVERIFY(decided.wait(15'000));
        QCOMPARE(reportStatus(top), QStringLiteral("dismissed"));
        QCOMPARE(screen.model()->rowCount(), 1);

        // Held with Ctrl, the key is not a command.
        QTest::keyClick(list, Qt::Key_R, Qt::ControlModifier);
        QTest::qWait(300);
        QCOMPARE(screen.model()->rowCount(), 1);
    }

    void failedDecisionKeepsTheRow()
    {
        const Account reporter = h.registerUser(QStringLiteral("queue_reporter2"));
        const QString id = fileReport(reporter, postIds[0], QStringLiteral("other"));
        Console::ReviewQueueScreen screen(&session);
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        QVERIFY(loaded.wait(15'000));
        const int before = screen.model()->rowCount();
        QVERIFY(before >= 1);
        // Someone else decides it first: the console's decision then fails on the server.
        QTest::keyClick(screen.list(), Qt::Key_End);
        int row = -1;
        for (int r = 0; r < before; ++r) {
            if (screen.model()->item(r).value("id").toString() == id)
                row = r;
        }
        QVERIFY(row >= 0);
        screen.list()->setCurrentIndex(screen.model()->index(row, 0));
        QCOMPARE(h.call("POST", QStringLiteral("/v1/reports/%1/resolve").arg(id), h.admin.token,
                        h.json({{"resolution", "dismissed"}})).status, 200);
        screen.decide(QStringLiteral("resolved"));
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("not changed")), 15'000);
        QCOMPARE(screen.model()->rowCount(), before);
    }
};

QTEST_MAIN(TstReviewQueueScreen)
#include "tst_reviewqueuescreen.moc"
