// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// `communityctl files stats|gc|verify|quota|quarantine` (runCtl in this process, so that a
// terminal can be simulated) against a live communityd with the auth and files plugins:
// totals after real uploads, gc --dry-run listing what would go and removing nothing,
// gc refused without a terminal or --yes, gc --yes removing it, verify noticing a blob
// removed behind the daemon's back, quota by username and id, -o json.

#include "ctlrun.h"
#include "usershttp.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>


using namespace Community::Ctl;
using Community::Ctl::Test::Run;
using Community::Ctl::Test::run;
using Users::Test::Account;
using Users::Test::UsersHttp;

class TstCtlFiles : public QObject
{
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;
    QString m_annId;

    Run ctl(const QStringList &args, const std::string &stdinText = {}, bool tty = false)
    {
        return run(QStringList{"--server", m_http.daemon.baseUrl().toString(), "--token", m_http.daemon.operatorToken()} + args,
                   stdinText, tty);
    }
    QJsonObject upload(const QByteArray &body, const QString &name)
    {
        auto r = m_http.call("POST", QStringLiteral("/v1/files?purpose=attachment&name=") + name, m_ann.token, body,
                             {{"Content-Type", "text/plain"}});
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json();
    }
    QString blobPath(const QString &sha) const
    {
        return m_http.daemon.dataDir() + QStringLiteral("/files/blobs/%1/%2/%3").arg(sha.left(2), sha.mid(2, 2), sha);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_http.extraSets << QStringLiteral("plugins.files.gcGraceSeconds=0") << QStringLiteral("plugins.files.quotaBytes=1000000")
                         << QStringLiteral("plugins.files.scan.command=") + QStringLiteral(SCAN_COMMAND)
                         << QStringLiteral("plugins.files.scan.action=quarantine");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
        QVERIFY(!m_ann.token.isEmpty());
        m_annId = QString::number(
            m_http.call("GET", QStringLiteral("/v1/admin/users/ann"), m_http.admin.token).json().value("user").toObject().value("id").toInteger());
        QVERIFY(m_annId != QLatin1String("0"));
        QVERIFY(!upload(QByteArray(2048, 'a'), QStringLiteral("a.txt")).isEmpty());
        QVERIFY(!upload(QByteArray(1024, 'b'), QStringLiteral("b.txt")).isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void stats()
    {
        Run r = ctl({"files", "stats"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression("files:\\s+2\\n")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression("blobs:\\s+2\\n")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("3.0 KiB (3072 bytes)")), qPrintable(r.out));
        Run j = ctl({"-o", "json", "files", "stats"});
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(j.json().value("bytes").toInteger(), 3072);
        QCOMPARE(j.json().value("files").toInteger(), 2);
    }

    void quotaByNameAndId()
    {
        Run r = ctl({"files", "quota", "ann"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("3.0 KiB (3072 bytes)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("(1000000 bytes)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression("files:\\s+2\\n")), qPrintable(r.out));
        Run j = ctl({"-o", "json", "files", "quota", "--id", m_annId});
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(j.json().value("usedBytes").toInteger(), 3072);
        QCOMPARE(j.json().value("userId").toString(), m_annId);
        // Unknown user: the server's 404, exit 1; neither name nor id: usage.
        QCOMPARE(ctl({"files", "quota", "nobody-here"}).exitCode, 1);
        QCOMPARE(ctl({"files", "quota"}).exitCode, 2);
        QCOMPARE(ctl({"files", "quota", "ann", "--id", "3"}).exitCode, 2);
    }

    void gcDryRunListsThenGcRemoves()
    {
        const QJsonObject doomed = upload("delete me\n", QStringLiteral("d.txt"));
        const QString sha = doomed.value("sha256").toString();
        QCOMPARE(m_http.call("DELETE", "/v1/files/" + doomed.value("id").toString(), m_ann.token).status, 204);

        Run dry = ctl({"files", "gc", "--dry-run"});
        QCOMPARE(dry.exitCode, 0);
        QVERIFY2(dry.out.contains(QStringLiteral("would remove 1 blob(s)")), qPrintable(dry.out));
        QVERIFY2(dry.out.contains(sha), qPrintable(dry.out));
        QVERIFY(QFile::exists(blobPath(sha)));
        Run dryJson = ctl({"-o", "json", "files", "gc", "--dry-run"});
        QVERIFY(dryJson.json().value("dryRun").toBool());
        QCOMPARE(dryJson.json().value("removed").toArray(), QJsonArray{sha});

        // No terminal, no --yes: refused before any request; a "no" on a terminal declines.
        Run refused = ctl({"files", "gc"});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(QFile::exists(blobPath(sha)));
        Run declined = ctl({"files", "gc"}, "n\n", true);
        QCOMPARE(declined.exitCode, 2);
        QVERIFY2(declined.err.contains(QStringLiteral("about to remove 1 unreferenced blob(s)")), qPrintable(declined.err));
        QVERIFY(QFile::exists(blobPath(sha)));

        Run gc = ctl({"files", "gc", "--yes"});
        QCOMPARE(gc.exitCode, 0);
        QVERIFY2(gc.out.contains(QStringLiteral("removed 1 blob(s)")) && gc.out.contains(sha), qPrintable(gc.out));
        QVERIFY(!QFile::exists(blobPath(sha)));
        QCOMPARE(ctl({"files", "gc", "--dry-run"}).out, QStringLiteral("nothing to collect\n"));
    }

    void verifyFindsAMissingBlob()
    {
        Run ok = ctl({"files", "verify"});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.out.startsWith(QStringLiteral("ok:")), qPrintable(ok.out));
        const QJsonObject f = upload("soon missing\n", QStringLiteral("m.txt"));
        const QString sha = f.value("sha256").toString();
        QVERIFY(QFile::remove(blobPath(sha)));
        Run bad = ctl({"files", "verify"});
        QCOMPARE(bad.exitCode, 0);
        QVERIFY2(bad.out.contains(QStringLiteral("1 row(s) without a blob, 0 blob(s) without a row")), qPrintable(bad.out));
        QVERIFY2(bad.out.contains(sha), qPrintable(bad.out));
        Run j = ctl({"-o", "json", "files", "verify"});
        QVERIFY(!j.json().value("ok").toBool());
        QCOMPARE(j.json().value("missing").toArray(), QJsonArray{sha});
    }

    void quarantineListsTheVerdict()
    {
        Run none = ctl({"files", "quarantine"});
        QCOMPARE(none.exitCode, 0);
        QCOMPARE(none.out, QStringLiteral("no quarantined files\n"));
        const QJsonObject f = upload("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*", QStringLiteral("e.txt"));
        QVERIFY(f.value("quarantined").toBool());
        Run r = ctl({"files", "quarantine"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("Community.Script.EICAR")) && r.out.contains(QStringLiteral("e.txt"))
                     && r.out.contains(QStringLiteral("command")),
                 qPrintable(r.out));
        Run j = ctl({"-o", "json", "files", "quarantine", "--limit", "5"});
        QCOMPARE(j.json().value("files").toArray().first().toObject().value("id").toString(), f.value("id").toString());
        QCOMPARE(ctl({"files", "quarantine", "--limit", "0"}).exitCode, 2);
    }
};

QTEST_MAIN(TstCtlFiles)
#include "tst_ctlfiles.moc"
