// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The review queue on /v1/admin/queue by keystrokes against a real daemon: a report filed
// over HTTP appears live (admin:queue over the realtime hub, no reload), j moves, 2 (hide +
// a 1-day suspension) decides it: the post is hidden for other users and a queue.decide
// audit row is written, the list moves on and the status line says so. Keys held with Ctrl
// are not commands; x / Shift+X mark items that r then dismisses together; an item decided
// elsewhere keeps its row and shows the server's detail. `/` searches: a reason or a target
// type goes to the queue API as its filter, other words narrow the list (a holder's name);
// Enter returns to the list, Esc clears the search.

#include "decisionpanel.h"
#include "jsontablemodel.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "signin.h"

#include "adminhttp.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>

using namespace Admin::Test;

class TstReviewQueueScreen : public QObject {
    Q_OBJECT
    AdminHttp h;
    Console::Session session;
    Account author, reporter, reader;
    QStringList postIds;
    QString authorId;

    void fileReport(const QString &postId, const QString &reason)
    {
        auto r = h.call("POST", QStringLiteral("/v1/reports"), reporter.token,
                        h.json({{"targetType", "post"}, {"targetId", postId}, {"reason", reason}}));
        QVERIFY2(r.status == 201, r.body.constData());
    }
    static int rowOfTarget(Console::ReviewQueueScreen &screen, const QString &postId)
    {
        for (int r = 0; r < screen.model()->rowCount(); ++r) {
            if (screen.model()->item(r).value("target").toObject().value("id").toString() == postId)
                return r;
        }
        return -1;
    }
    static bool openScreen(Console::ReviewQueueScreen &screen)
    {
        screen.resize(1400, 800);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        return loaded.wait(15'000) && QTest::qWaitFor([&] { return screen.isLive(); }, 15'000);
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
        author = h.registerUser(QStringLiteral("queue_author"));
        reporter = h.registerUser(QStringLiteral("queue_reporter"));
        reader = h.registerUser(QStringLiteral("queue_reader"));
        h.createCommunity(author, QStringLiteral("queue"));
        for (int i = 0; i < 5; ++i) {
            const QJsonObject post = h.createPost(author, QStringLiteral("queue"), QStringLiteral("Reported post %1").arg(i),
                                                  QStringLiteral("Body of post %1").arg(i));
            postIds << post.value("id").toString();
            authorId = post.value("author").toObject().value("id").toString();
        }
    }

    void liveTriageByKeys()
    {
        Console::ReviewQueueScreen screen(&session);
        QVERIFY(openScreen(screen));
        QCOMPARE(screen.model()->rowCount(), 0);

        // Filed over HTTP: the items appear without a reload.
        fileReport(postIds[0], QStringLiteral("spam"));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 1, 15'000);
        fileReport(postIds[1], QStringLiteral("harassment"));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 2, 15'000);
        QTableView *list = screen.list();
        list->setFocus();
        list->setCurrentIndex(screen.model()->index(0, 0));
        QTRY_VERIFY_WITH_TIMEOUT(screen.detailText().contains(QLatin1String("Body of post")), 15'000);

        // j to the second item, 2: hide + 1-day suspension.
        QTest::keyClick(list, Qt::Key_J);
        QCOMPARE(list->currentIndex().row(), 1);
        const QJsonObject item = screen.model()->item(1);
        const QString postId = item.value("target").toObject().value("id").toString();
        QSignalSpy decided(&screen, &Console::ReviewQueueScreen::decided);
        QTest::keyClick(list, Qt::Key_2);
        QVERIFY(decided.wait(15'000));
        QCOMPARE(decided.first().at(0).toString(), item.value("id").toString());
        QVERIFY2(screen.feedback().contains(QLatin1String("hide + suspend 1 d")), qPrintable(screen.feedback()));
        QVERIFY2(screen.feedback().contains(QLatin1String("notified")), qPrintable(screen.feedback()));
        QCOMPARE(rowOfTarget(screen, postId), -1);
        QCOMPARE(list->currentIndex().row(), 0);   // the list moved on to the one left

        // Another user no longer sees the post; the audit log has the decision.
        const auto seen = h.call("GET", QStringLiteral("/v1/posts/%1").arg(postId), reader.token);
        QVERIFY2(seen.status == 404 || seen.json().value("post").toObject().value("state").toString() != "visible",
                 seen.body.constData());
        QVERIFY(!h.waitForAudit(QStringLiteral("action=queue.decide")).isEmpty());
        QVERIFY(!h.waitForAudit(QStringLiteral("action=post.remove")).isEmpty());
        const auto penalties = h.call("GET", QStringLiteral("/v1/admin/penalties/%1").arg(authorId), h.admin.token);
        QCOMPARE(penalties.json().value("items").toArray().size(), 1);

        // Held with Ctrl, the key is not a command.
        QTest::keyClick(list, Qt::Key_R, Qt::ControlModifier);
        QTest::qWait(300);
        QCOMPARE(screen.model()->rowCount(), 1);
        QTest::keyClick(list, Qt::Key_R);   // rejects the last report: the queue is empty
        QVERIFY(decided.wait(15'000));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 0, 15'000);
    }

    void markedItemsAreDecidedTogether()
    {
        Console::ReviewQueueScreen screen(&session);
        QVERIFY(openScreen(screen));
        fileReport(postIds[2], QStringLiteral("off-topic"));
        fileReport(postIds[3], QStringLiteral("off-topic"));
        fileReport(postIds[4], QStringLiteral("off-topic"));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 3, 15'000);
        QTableView *list = screen.list();
        list->setFocus();
        list->setCurrentIndex(screen.model()->index(0, 0));
        QTest::keyClick(list, Qt::Key_X);
        QTest::keyClick(list, Qt::Key_J);
        QTest::keyClick(list, Qt::Key_J);
        QTest::keyClick(list, Qt::Key_X, Qt::ShiftModifier);
        QCOMPARE(screen.marked().size(), 3);
        QCOMPARE(screen.model()->data(screen.model()->index(1, 0)).toString(), QStringLiteral("✓"));
        QSignalSpy decided(&screen, &Console::ReviewQueueScreen::decided);
        QTest::keyClick(list, Qt::Key_R);
        QTRY_COMPARE_WITH_TIMEOUT(decided.size(), 3, 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 0, 15'000);
        QVERIFY(screen.marked().isEmpty());
    }

    void decidedElsewhereKeepsTheRow()
    {
        Console::ReviewQueueScreen screen(&session);
        QVERIFY(openScreen(screen));
        fileReport(postIds[0], QStringLiteral("other"));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 1, 15'000);
        const QString id = screen.model()->item(0).value("id").toString();
        screen.list()->setCurrentIndex(screen.model()->index(0, 0));
        // Someone else claims it first: the console's decision is refused with their name.
        Account other = h.registerUser(QStringLiteral("queue_othermod"));
        QVERIFY(h.setRole(other, QStringLiteral("moderator")));
        QCOMPARE(h.call("POST", QStringLiteral("/v1/admin/queue/%1/claim").arg(id), other.token, "{}").status, 200);
        QTest::keyClick(screen.list(), Qt::Key_R);
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("not decided")), 15'000);
        QVERIFY2(screen.feedback().contains(QLatin1String("queue_othermod")), qPrintable(screen.feedback()));
        QCOMPARE(screen.model()->rowCount(), 1);
    }

    void parseSearch()
    {
        const auto s = Console::ReviewQueueScreen::parseSearch(QStringLiteral(" Post SPAM  Mina "));
        QCOMPARE(s.targetType, QStringLiteral("post"));
        QCOMPARE(s.reason, QStringLiteral("spam"));
        QCOMPARE(s.words, QStringList{QStringLiteral("mina")});
        QVERIFY(Console::ReviewQueueScreen::parseSearch(QStringLiteral("comment")).words.isEmpty());
    }

    void slashSearch()
    {
        // Open now: postIds[0] ("other", held by queue_othermod, from the test before).
        fileReport(postIds[2], QStringLiteral("spam"));
        fileReport(postIds[3], QStringLiteral("illegal"));
        QVERIFY(!h.waitForQueueItem(postIds[2], 1).isEmpty());
        QVERIFY(!h.waitForQueueItem(postIds[3], 1).isEmpty());
        Console::ReviewQueueScreen screen(&session);
        QVERIFY(openScreen(screen));
        QVERIFY(QTest::qWaitForWindowActive(&screen));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 3, 15'000);
        QTableView *list = screen.list();
        QLineEdit *search = screen.searchField();
        list->setFocus();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        auto find = [&](const QString &text) {
            loaded.clear();
            QTest::keyClick(list, Qt::Key_Slash);
            QVERIFY(search->hasFocus());
            search->selectAll();
            QTest::keyClicks(search, text);
            QTest::keyClick(search, Qt::Key_Return);
            QVERIFY(loaded.wait(15'000));
            QVERIFY(list->hasFocus());   // Enter went back to the list: j/k work at once
        };
        find(QStringLiteral("spam"));
        QCOMPARE(screen.model()->rowCount(), 1);
        QCOMPARE(rowOfTarget(screen, postIds[2]), 0);
        QVERIFY2(screen.feedback().contains(QLatin1String("match")), qPrintable(screen.feedback()));
        find(QStringLiteral("post illegal"));
        QCOMPARE(screen.model()->rowCount(), 1);
        QCOMPARE(rowOfTarget(screen, postIds[3]), 0);
        find(QStringLiteral("othermod"));   // no API filter: narrowed in the console
        QCOMPARE(screen.model()->rowCount(), 1);
        QCOMPARE(rowOfTarget(screen, postIds[0]), 0);
        find(QStringLiteral("comment"));
        QCOMPARE(screen.model()->rowCount(), 0);

        // Esc in the field clears the search: everything is back.
        loaded.clear();
        QTest::keyClick(list, Qt::Key_Slash);
        QTest::keyClick(search, Qt::Key_Escape);
        QVERIFY(loaded.wait(15'000));
        QVERIFY(search->text().isEmpty());
        QCOMPARE(screen.model()->rowCount(), 3);
    }
};

QTEST_MAIN(TstReviewQueueScreen)
#include "tst_reviewqueuescreen.moc"
