// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// `communityctl settings get|set|reset|diff|export|import` (the built binary) against a live
// communityd with the real plugins: -o json, --dry-run validated by the server and writing
// nothing, refusal without --yes off a terminal, the server's field errors, export → reset
// → import round trip, an import with an unknown key writing nothing.

#include "adminhttp.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace Admin::Test;

namespace {

const QString kClaim = QStringLiteral("plugins.admin.claimMinutes");

} // namespace

class TstCtlSettings : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    QTemporaryDir m_dir;

    int claimMinutes()
    {
        return m_http.op("GET", QStringLiteral("/v1/admin/settings/") + kClaim).json().value("value").toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void getListsEveryKey()
    {
        auto r = m_http.ctl({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("settings"), QStringLiteral("get")});
        QCOMPARE(r.exitCode, 0);
        bool found = false;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).object().value("settings").toArray())
            found = found || v.toObject().value("key").toString() == kClaim;
        QVERIFY2(found, qPrintable(r.out.left(500)));

        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("get"), QStringLiteral("--prefix"), QStringLiteral("plugins.admin")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("KEY")));
        QVERIFY(r.out.contains(kClaim));
        QVERIFY(!r.out.contains(QStringLiteral("http.maxBodyBytes")));

        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("get"), QStringLiteral("plugins.auth.passwordHash.opsLimit")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("read-only")) && r.out.contains(QStringLiteral("--set flag")), qPrintable(r.out));
    }

    void setDryRunAndConfirmation()
    {
        // --dry-run: the server checks the value; nothing is written.
        auto r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("set"), kClaim, QStringLiteral("7"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("would set plugins.admin.claimMinutes: 10 -> 7 (applies at once)")), qPrintable(r.out));
        QCOMPARE(claimMinutes(), 10);
        // A bad value is refused already in the dry run, with the startup's words.
        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("set"), kClaim, QStringLiteral("0"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("must be between 1 and 1440, got 0")), qPrintable(r.err));
        // Without --yes and without a terminal: refused before any request.
        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("set"), kClaim, QStringLiteral("7")});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(claimMinutes(), 10);
        // A key the command line set cannot change, and says why.
        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("plugins.auth.passwordHash.opsLimit"),
                        QStringLiteral("2"), QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("--set flag")), qPrintable(r.err));

        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("set"), kClaim, QStringLiteral("7"), QStringLiteral("--yes"),
                        QStringLiteral("--reason"), QStringLiteral("cli test")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("live")), qPrintable(r.out));
        QCOMPARE(claimMinutes(), 7);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=setting.change&targetId=") + kClaim).first().toObject()
                     .value("reason").toString(), QStringLiteral("cli test"));
    }

    void diffExportResetImport()
    {
        auto r = m_http.ctl({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("settings"), QStringLiteral("diff")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(kClaim));

        const QString file = m_dir.filePath(QStringLiteral("settings.json"));
        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("export"), QStringLiteral("--file"), file});
        QCOMPARE(r.exitCode, 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(f.readAll()).object().value("settings").toObject().value(kClaim).toInt(), 7);
        f.close();

        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("reset"), kClaim, QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(claimMinutes(), 10);

        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("import"), file, QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("set plugins.admin.claimMinutes")), qPrintable(r.out));
        QCOMPARE(claimMinutes(), 10);

        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("import"), file, QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(claimMinutes(), 7);

        // One unknown key: nothing is written.
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        QFile b(bad);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(R"({"version": 1, "settings": {"plugins.admin.claimMinutes": 9, "plugins.admin.nope": 1}})");
        b.close();
        r = m_http.ctl({QStringLiteral("settings"), QStringLiteral("import"), bad, QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("plugins.admin.nope")), qPrintable(r.err));
        QCOMPARE(claimMinutes(), 7);
    }
};

QTEST_GUILESS_MAIN(TstCtlSettings)
#include "tst_ctlsettings.moc"
