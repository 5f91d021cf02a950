// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// A user's record against a real daemon: the profile, the strike a moderator's decision
// gave, the reports the account filed and those against its posts; the role changed and
// a suspension with a preset reason land on the server; on your own record the sessions
// are listed and one can be revoked; on another account "End every session" resets the
// password after a confirmation (the old password stops working).

#include "jsontablemodel.h"
#include "session.h"
#include "signin.h"
#include "userrecordscreen.h"

#include "adminhttp.h"

#include <QComboBox>
#include <QJsonArray>
#include <QSignalSpy>

using namespace Admin::Test;

class TstUserRecordScreen : public QObject {
    Q_OBJECT
    AdminHttp h;
    Console::Session session;
    Account author, reporter;
    QString reportedPost;

    QJsonObject account(const QString &username)
    {
        return h.call("GET", QStringLiteral("/v1/admin/users/%1").arg(username), h.admin.token).json().value("user").toObject();
    }
    static bool openRecord(Console::UserRecordScreen &screen, const QString &username)
    {
        QSignalSpy account(&screen, &Console::UserRecordScreen::accountLoaded);
        QSignalSpy reports(&screen, &Console::UserRecordScreen::reportsLoaded);
        screen.open(username);
        return account.wait(15'000) && (reports.size() > 0 || reports.wait(15'000));
    }
    static QStringList column(Console::JsonTableModel *model, const QString &path)
    {
        QStringList out;
        for (int r = 0; r < model->rowCount(); ++r)
            out << Console::JsonTableModel::valueAt(model->item(r), path);
        return out;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
        author = h.registerUser(QStringLiteral("record_author"));
        reporter = h.registerUser(QStringLiteral("record_reporter"));
        h.createCommunity(author, QStringLiteral("records"));
        reportedPost = h.createPost(author, QStringLiteral("records"), QStringLiteral("Reported"), QStringLiteral("x")).value("id").toString();
        const QString warnedPost = h.createPost(author, QStringLiteral("records"), QStringLiteral("Warned"), QStringLiteral("y")).value("id").toString();
        for (const QString &id : {reportedPost, warnedPost}) {
            const auto r = h.call("POST", QStringLiteral("/v1/reports"), reporter.token,
                                  h.json({{"targetType", "post"}, {"targetId", id}, {"reason", "harassment"}}));
            QVERIFY2(r.status == 201, r.body.constData());
        }
        // A moderator's decision on the second post gives the author a strike (a warning).
        const QJsonObject item = h.waitForQueueItem(warnedPost, 1);
        QVERIFY(!item.isEmpty());
        const auto decided = h.call("POST", QStringLiteral("/v1/admin/queue/%1/decision").arg(item.value("id").toString()),
                                    h.admin.token,
                                    h.json({{"actions", QJsonArray{QJsonObject{{"type", "warn"}}}}, {"reason", "Mind the rules."}}));
        QVERIFY2(decided.status == 200, decided.body.constData());
    }

    void profilePenaltiesAndReports()
    {
        Console::UserRecordScreen screen(&session);
        screen.show();
        QVERIFY(openRecord(screen, author.username));
        QVERIFY2(screen.profileText().contains(author.username), qPrintable(screen.profileText()));
        QVERIFY(screen.profileText().contains(QLatin1String("active")));
        QCOMPARE(screen.account().value("role").toString(), QStringLiteral("user"));
        QTRY_VERIFY_WITH_TIMEOUT(column(screen.penalties(), QStringLiteral("kind")).contains(QStringLiteral("warn")), 15'000);
        QVERIFY(column(screen.penalties(), QStringLiteral("reason")).contains(QStringLiteral("Mind the rules.")));
        // Reports against the author's posts, each naming the reporter; none filed.
        QVERIFY(column(screen.received(), QStringLiteral("targetId")).contains(reportedPost));
        QVERIFY(column(screen.received(), QStringLiteral("reporter.username")).contains(reporter.username));
        QCOMPARE(screen.filed()->rowCount(), 0);
        QVERIFY2(screen.sessionsNote().contains(QLatin1String("only to their owner")), qPrintable(screen.sessionsNote()));
        QCOMPARE(screen.sessions()->rowCount(), 0);

        QVERIFY(openRecord(screen, reporter.username));
        QVERIFY(column(screen.filed(), QStringLiteral("targetId")).contains(reportedPost));
        QCOMPARE(screen.received()->rowCount(), 0);
        QCOMPARE(screen.penalties()->rowCount(), 0);
    }

    void roleAndSuspensionWithPresetReason()
    {
        Console::UserRecordScreen screen(&session);
        screen.show();
        QVERIFY(openRecord(screen, author.username));
        screen.setRole(QStringLiteral("moderator"));
        QTRY_COMPARE_WITH_TIMEOUT(account(author.username).value("role").toString(), QStringLiteral("moderator"), 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(screen.account().value("role").toString(), QStringLiteral("moderator"), 15'000);
        screen.setRole(QStringLiteral("user"));
        QTRY_COMPARE_WITH_TIMEOUT(account(author.username).value("role").toString(), QStringLiteral("user"), 15'000);

        // No reason: refused here, nothing sent.
        screen.suspend(QString());
        QVERIFY(screen.feedback().contains(QLatin1String("reason")));
        QCOMPARE(account(author.username).value("state").toString(), QStringLiteral("active"));

        const QString preset = Console::UserRecordScreen::reasonPresets().at(1);
        screen.reasonField()->setCurrentIndex(1);
        QCOMPARE(screen.reasonField()->currentText(), preset);
        screen.suspend(screen.reasonField()->currentText());
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().endsWith(QLatin1String("suspended.")), 15'000);
        const QJsonObject suspended = account(author.username);
        QCOMPARE(suspended.value("state").toString(), QStringLiteral("suspended"));
        QCOMPARE(suspended.value("suspendedReason").toString(), preset);
        QVERIFY(screen.profileText().contains(preset));
        screen.unsuspend();
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().endsWith(QLatin1String("unsuspended.")), 15'000);
        QCOMPARE(account(author.username).value("state").toString(), QStringLiteral("active"));
    }

    void ownSessionsListedAndRevoked()
    {
        // A second session of the admin (another device).
        QVERIFY(!h.login(h.admin.username, h.admin.password).isEmpty());
        Console::UserRecordScreen screen(&session);
        screen.show();
        QSignalSpy sessionsLoaded(screen.sessions(), &Console::JsonTableModel::loaded);
        QVERIFY(openRecord(screen, h.admin.username));
        QVERIFY(sessionsLoaded.size() > 0 || sessionsLoaded.wait(15'000));
        const int before = screen.sessions()->rowCount();
        QVERIFY2(before >= 2, qPrintable(QString::number(before)));
        QString other;
        for (int r = 0; r < before; ++r) {
            if (!screen.sessions()->item(r).value("current").toBool())
                other = screen.sessions()->item(r).value("id").toString();
        }
        QVERIFY(!other.isEmpty());
        screen.revokeSession(other);
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("revoked")), 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(screen.sessions()->rowCount(), before - 1, 15'000);
        QVERIFY(!column(screen.sessions(), QStringLiteral("id")).contains(other));
    }

    void endEverySessionOfAnotherAccount()
    {
        Console::UserRecordScreen screen(&session);
        screen.show();
        QVERIFY(openRecord(screen, reporter.username));
        screen.setConfirm([](const QString &) { return false; });
        screen.endAllSessions();
        QCOMPARE(screen.feedback(), QStringLiteral("Nothing changed."));
        QVERIFY(!h.login(reporter.username, reporter.password).isEmpty());

        QString asked;
        screen.setConfirm([&asked](const QString &q) {
            asked = q;
            return true;
        });
        screen.endAllSessions();
        QVERIFY(asked.contains(reporter.username));
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("One-time password")), 15'000);
        QVERIFY(h.login(reporter.username, reporter.password).isEmpty());   // the old password is gone
    }
};

QTEST_MAIN(TstUserRecordScreen)
#include "tst_userrecordscreen.moc"
