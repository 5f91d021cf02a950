// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The sign-in dialog offers the contexts shared with communityctl (Client::ContextStore, the
// 0600 file): the current one is chosen and fills the server and its operator token (or the
// token file's contents); choosing another switches; "(none)" leaves the fields alone.

#include "session.h"
#include "signindialog.h"

#include "community/client/contexts.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using Community::Client::Context;
using Community::Client::ContextStore;

class TstSignInDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("COMMUNITY_CONTEXTS", m_dir.filePath(QStringLiteral("contexts.json")).toUtf8());
        QFile tokenFile(m_dir.filePath(QStringLiteral("staging.token")));
        QVERIFY(tokenFile.open(QIODevice::WriteOnly));
        tokenFile.write("staging-secret\n");
        tokenFile.close();
        ContextStore store;
        QVERIFY(store.load());
        QVERIFY(store.put(Context{QStringLiteral("prod"), QUrl(QStringLiteral("https://forum.example:8443")), QStringLiteral("prod-secret"), {}}));
        QVERIFY(store.put(Context{QStringLiteral("staging"), QUrl(QStringLiteral("http://10.0.0.5:8080")), {}, tokenFile.fileName()}));
        QVERIFY(store.use(QStringLiteral("prod")));
        QVERIFY(store.save());
    }

    void offersTheContexts()
    {
        Console::Session session;
        Console::SignInDialog dialog(&session);
        QComboBox *contexts = dialog.contextField();
        QCOMPARE(contexts->count(), 3);   // (none), prod, staging
        QCOMPARE(contexts->currentData().toString(), QStringLiteral("prod"));
        QCOMPARE(dialog.serverField()->text(), QStringLiteral("https://forum.example:8443"));
        QCOMPARE(dialog.tokenField()->text(), QStringLiteral("prod-secret"));
        QCOMPARE(dialog.findChild<QTabWidget *>()->currentIndex(), 1);   // the operator tab

        contexts->setCurrentIndex(contexts->findData(QStringLiteral("staging")));
        QCOMPARE(dialog.serverField()->text(), QStringLiteral("http://10.0.0.5:8080"));
        QCOMPARE(dialog.tokenField()->text(), QStringLiteral("staging-secret"));

        contexts->setCurrentIndex(0);
        QCOMPARE(dialog.serverField()->text(), QStringLiteral("http://10.0.0.5:8080"));
    }
};

QTEST_MAIN(TstSignInDialog)
#include "tst_signindialog.moc"
