// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The review queue on /v1/admin/queue by keystrokes against a real daemon: a report filed
// over HTTP appears live (admin:queue over the realtime hub, no reload), j moves, 2 (hide +
// a 1-day suspension) decides it: the post is hidden for other users and a queue.decide
// audit row is written, the list moves on and the status line says so. Keys held with Ctrl
// are not commands; x / Shift+X mark items that r then dismisses together; an item decided
// elsewhere keeps its row and shows the server's detail. `/` searches: a reason or a target
// type goes to the queue API as its filter, other words narrow the list (a holder's name);
// Enter returns to the list, Esc clears the search. A claim, takeover or release by
// another moderator shows in the row within a second, without a reload. `b` previews the
// marked items with the decision each gets (1–9 per row), Enter applies them one request
// each: a refused item keeps its row and its mark, the others leave the list.

#include "bulkpreview.h"
#include "decisionpanel.h"
#include "jsontablemodel.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "signin.h"

#include "adminhttp.h"

#include <QElapsedTimer>
#include <QPointer>
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
    /// x on the first row, j j, Shift+X: the three rows are marked.
    static void markFirstThreeByKeys(Console::ReviewQueueScreen &screen)
    {
        QTableView *list = screen.list();
        list->setFocus();
        list->setCurrentIndex(screen.model()->index(0, 0));
        QTest::keyClick(list, Qt::Key_X);
        QTest::keyClick(list, Qt::Key_J);
        QTest::keyClick(list, Qt::Key_J);
        QTest::keyClick(list, Qt::Key_X, Qt::ShiftModifier);
        QCOMPARE(screen.marked().size(), 3);
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
        markFirstThreeByKeys(screen);
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

    void claimsElsewhereShowWithinASecond()
    {
        // Open now: postIds[0] (held by queue_othermod), postIds[2], postIds[3].
        Console::ReviewQueueScreen screen(&session);
        QVERIFY(openScreen(screen));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 3, 15'000);
        const int row = rowOfTarget(screen, postIds[2]);
        QVERIFY(row >= 0);
        const QString id = screen.model()->item(row).value("id").toString();
        screen.list()->setCurrentIndex(screen.model()->index(row, 0));
        const int held = 6;   // the "Held by" column
        auto holder = [&] { return screen.model()->data(screen.model()->index(rowOfTarget(screen, postIds[2]), held)).toString(); };
        QCOMPARE(holder(), QString());
        Account claimer = h.registerUser(QStringLiteral("queue_claimer"));
        QVERIFY(h.setRole(claimer, QStringLiteral("moderator")));
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);

        // Another moderator claims it: the row says so in under a second, no reload.
        QCOMPARE(h.call("POST", QStringLiteral("/v1/admin/queue/%1/claim").arg(id), claimer.token, "{}").status, 200);
        QElapsedTimer since;
        since.start();
        QTRY_COMPARE_WITH_TIMEOUT(holder(), QStringLiteral("queue_claimer"), 1'000);
        qInfo("claim shown after %lld ms", since.elapsed());
        QVERIFY2(screen.feedback().contains(QLatin1String("now held by queue_claimer")), qPrintable(screen.feedback()));
        // Taken over by an administrator, then released: each shows the same way.
        QCOMPARE(h.call("POST", QStringLiteral("/v1/admin/queue/%1/claim").arg(id), h.admin.token, h.json({{"takeover", true}})).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(holder(), h.admin.username, 1'000);
        QCOMPARE(h.call("DELETE", QStringLiteral("/v1/admin/queue/%1/claim").arg(id), h.admin.token).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(holder(), QString(), 1'000);
        QVERIFY2(screen.feedback().contains(QLatin1String("released")), qPrintable(screen.feedback()));
        QCOMPARE(loaded.size(), 0);   // updated in place
    }

    void bulkPreviewThenApply()
    {
        // Open: postIds[0] (held by queue_othermod: the server refuses others' decisions),
        // postIds[2] and postIds[3] (free).
        Console::ReviewQueueScreen screen(&session);
        QVERIFY(openScreen(screen));
        QTRY_COMPARE_WITH_TIMEOUT(screen.model()->rowCount(), 3, 15'000);
        QTableView *list = screen.list();
        markFirstThreeByKeys(screen);

        QTest::keyClick(list, Qt::Key_B);
        QPointer<Console::BulkPreview> preview = screen.bulkPreview();   // deleted when closed
        QVERIFY(preview);
        QVERIFY(preview->isVisible());
        QCOMPARE(preview->model()->rowCount(), 3);
        // The panel had no decision: every row waits for one.
        for (int r = 0; r < 3; ++r)
            QVERIFY2(preview->plannedText(r).contains(QLatin1String("no decision")), qPrintable(preview->plannedText(r)));
        // 7 (dismiss) on each row, 6 (hide) on the second instead.
        QTableView *table = preview->table();
        for (int r = 0; r < 3; ++r) {
            table->setCurrentIndex(preview->model()->index(r, 0));
            QTest::keyClick(table, r == 1 ? Qt::Key_6 : Qt::Key_7);
        }
        QCOMPARE(preview->plannedText(0), QStringLiteral("dismiss"));
        QCOMPARE(preview->plannedText(1), QStringLiteral("hide"));
        QVERIFY2(preview->summary().startsWith(QLatin1String("3 item")), qPrintable(preview->summary()));
        int othersRow = -1;
        for (int r = 0; r < 3; ++r) {
            if (preview->model()->item(r).value("target").toObject().value("id").toString() == postIds[0])
                othersRow = r;
        }
        QVERIFY(othersRow >= 0);
        QVERIFY2(preview->model()->data(preview->model()->index(othersRow, 2)).toString().contains(QLatin1String("queue_othermod")),
                 qPrintable(preview->model()->data(preview->model()->index(othersRow, 2)).toString()));

        // Enter: one request per item; the held one is refused, the others are decided.
        QSignalSpy finished(preview, &Console::BulkPreview::applied);
        QSignalSpy decided(&screen, &Console::ReviewQueueScreen::decided);
        QTest::keyClick(table, Qt::Key_Return);
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.first().at(0).toInt(), 2);
        QCOMPARE(finished.first().at(1).toInt(), 1);
        QCOMPARE(decided.size(), 2);
        for (int r = 0; r < 3; ++r) {
            if (r == othersRow)
                QVERIFY2(preview->resultText(r).contains(QLatin1String("queue_othermod")), qPrintable(preview->resultText(r)));
            else
                QCOMPARE(preview->resultText(r), QStringLiteral("ok"));
        }
        // The refused item stays in the list and stays marked; the others are gone.
        QCOMPARE(screen.model()->rowCount(), 1);
        QCOMPARE(rowOfTarget(screen, postIds[0]), 0);
        QCOMPARE(screen.marked(), QStringList{screen.model()->item(0).value("id").toString()});
        QVERIFY2(screen.feedback().contains(QLatin1String("2 decided, 1 refused")), qPrintable(screen.feedback()));
        QStringList resolvedTargets;
        for (const QJsonValue &v : h.op("GET", QStringLiteral("/v1/admin/queue?status=resolved&limit=100")).json().value("items").toArray())
            resolvedTargets << v.toObject().value("target").toObject().value("id").toString();
        QVERIFY2(resolvedTargets.contains(postIds[2]) && resolvedTargets.contains(postIds[3]), qPrintable(resolvedTargets.join(' ')));

        // Applied again, only the refused row is sent (the others keep their answer).
        finished.clear();
        QTest::keyClick(table, Qt::Key_Return);
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.first().at(0).toInt(), 0);
        QCOMPARE(finished.first().at(1).toInt(), 1);
        QTest::keyClick(table, Qt::Key_Escape);
        QTRY_VERIFY(!preview || !preview->isVisible());
    }
};

QTEST_MAIN(TstReviewQueueScreen)
#include "tst_reviewqueuescreen.moc"
