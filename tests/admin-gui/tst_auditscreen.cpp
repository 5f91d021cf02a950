// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The audit log screen against a real daemon: staff actions taken over HTTP are listed
// newest first; the action and target filters narrow the list on the server; the selected
// row shows its before/after difference; the chain verification is shown; export writes
// every matching row to CSV and JSON files.

#include "auditscreen.h"
#include "jsontablemodel.h"
#include "session.h"
#include "signin.h"

#include "adminhttp.h"

#include <QFile>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

using namespace Admin::Test;

class TstAuditScreen : public QObject {
    Q_OBJECT
    AdminHttp h;
    Console::Session session;
    QString postId;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
        const Account author = h.registerUser(QStringLiteral("audit_author"));
        h.createCommunity(author, QStringLiteral("audited"));
        postId = h.createPost(author, QStringLiteral("audited"), QStringLiteral("Pinned then locked")).value("id").toString();
        QVERIFY(h.call("PUT", QStringLiteral("/v1/posts/%1/pin").arg(postId), h.admin.token).status < 300);
        QVERIFY(h.call("PUT", QStringLiteral("/v1/posts/%1/lock").arg(postId), h.admin.token).status < 300);
        QCOMPARE(h.waitForAudit(QStringLiteral("targetType=post&targetId=") + postId, 2).size(), 2);
    }

    void listFilterAndDiff()
    {
        Console::AuditScreen screen(&session);
        screen.resize(1200, 700);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        QVERIFY(loaded.wait(15'000));
        QVERIFY(screen.model()->rowCount() >= 2);

        screen.actionField()->setText(QStringLiteral("post.lock"));
        screen.targetIdField()->setText(postId);
        QTest::keyClick(screen.actionField(), Qt::Key_Return);
        QVERIFY(loaded.wait(15'000));
        QCOMPARE(screen.model()->rowCount(), 1);
        QCOMPARE(screen.model()->item(0).value("action").toString(), QStringLiteral("post.lock"));
        screen.list()->setCurrentIndex(screen.model()->index(0, 0));
        QTRY_VERIFY(screen.detailText().contains(QLatin1String("post.lock")));
        QVERIFY2(screen.detailText().contains(QLatin1String("visible")), qPrintable(screen.detailText()));  // the after column

        screen.actionField()->setText(QStringLiteral("post."));
        QTest::keyClick(screen.actionField(), Qt::Key_Return);
        QVERIFY(loaded.wait(15'000));
        QCOMPARE(screen.model()->rowCount(), 2);
    }

    void verifyShowsTheChain()
    {
        Console::AuditScreen screen(&session);
        QSignalSpy verified(&screen, &Console::AuditScreen::verified);
        screen.verify();
        QVERIFY(verified.wait(15'000));
        QCOMPARE(verified.first().at(0).toBool(), true);
        QVERIFY2(screen.verifyText().contains(QLatin1String("intact")), qPrintable(screen.verifyText()));
    }

    void exportCsvAndJson()
    {
        QTemporaryDir dir;
        Console::AuditScreen screen(&session);
        screen.targetIdField()->setText(postId);
        screen.targetTypeField()->setText(QStringLiteral("post"));
        QSignalSpy exported(&screen, &Console::AuditScreen::exported);
        screen.exportTo(dir.filePath(QStringLiteral("audit.csv")), QStringLiteral("csv"));
        QVERIFY(exported.wait(15'000));
        QCOMPARE(exported.last().at(1).toInt(), 2);
        QFile csv(dir.filePath(QStringLiteral("audit.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QVERIFY(lines[0].startsWith("seq,occurredAt,actorKind,actor,action"));
        QCOMPARE(lines.size(), 4);   // header, two rows, the final empty piece
        QVERIFY(lines[1].contains("post.lock"));

        screen.exportTo(dir.filePath(QStringLiteral("audit.json")), QStringLiteral("json"));
        QVERIFY(exported.wait(15'000));
        QFile json(dir.filePath(QStringLiteral("audit.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray items = QJsonDocument::fromJson(json.readAll()).object().value("items").toArray();
        QCOMPARE(items.size(), 2);
        QVERIFY(!items[0].toObject().value("hash").toString().isEmpty());
    }
};

QTEST_MAIN(TstAuditScreen)
#include "tst_auditscreen.moc"
