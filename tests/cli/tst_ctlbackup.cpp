// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// `communityctl backup` against a real daemon on its embedded cluster: users, a post and an
// uploaded file → backup create (the built binary, daemon running) → verify (and a damaged
// copy fails naming its file) → the daemon stops → restore is refused into a non-empty data
// directory, --dry-run changes nothing, a wrong typed name declines → restore into a new
// empty data directory → a daemon started on it serves the same users, post and file bytes.

#include "contenthttp.h"
#include "ctlrun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

using namespace Content::Test;
using Community::Test::DaemonProcess;

class TstCtlBackup : public QObject {
    Q_OBJECT

    QTemporaryDir m_base{QStringLiteral("/tmp/ctlbackup-XXXXXX")};
    ContentHttp h;
    Account m_alice;
    QString m_postId;
    QString m_fileId;
    QByteArray m_fileBytes;
    QString m_backup;

    QString path(const QString &name) const { return m_base.filePath(name); }

    struct Ran {
        int exitCode = -1;
        QString out, err;
    };
    static Ran binary(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl"), args);
        p.closeWriteChannel();
        Ran r;
        if (!p.waitForFinished(300'000))
            p.kill();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_base.isValid());
        // The embedded cluster runs as an unprivileged user when we are root: let it in.
        QFile::setPermissions(m_base.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                 | QFileDevice::ReadGroup | QFileDevice::ExeGroup
                                                 | QFileDevice::ReadOther | QFileDevice::ExeOther);
        h.embeddedPostgres = true;
        h.dataDir = path(QStringLiteral("data1"));
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        m_alice = h.registerUser(QStringLiteral("alice_backup"));
        QVERIFY(!m_alice.token.isEmpty());
        QVERIFY(!h.createCommunity(m_alice, QStringLiteral("backups")).isEmpty());
        m_postId = h.createPost(m_alice, QStringLiteral("backups"), QStringLiteral("Kept across a restore"),
                                QStringLiteral("백업 body")).value("id").toString();
        QVERIFY(!m_postId.isEmpty());
        for (int i = 0; i < 5000; ++i)
            m_fileBytes.append(char('a' + i % 23));
        const auto up = h.call("POST", QStringLiteral("/v1/files?purpose=attachment&name=notes.txt"), m_alice.token,
                               m_fileBytes, {{"Content-Type", "text/plain"}});
        QCOMPARE(up.status, 201);
        m_fileId = up.json().value("id").toString();
    }

    void createWhileTheDaemonRuns()
    {
        const Ran r = binary({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("backup"), QStringLiteral("create"),
                              QStringLiteral("--data-dir"), h.dataDir, QStringLiteral("--dir"), path(QStringLiteral("backups"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QJsonObject m = QJsonDocument::fromJson(r.out.toUtf8()).object();
        m_backup = m.value("path").toString();
        QVERIFY(QFile::exists(m_backup + QStringLiteral("/database.dump")));
        QVERIFY(m.value("migrations").toObject().value("applied").toInt() > 0);
        QVERIFY(m.value("migrations").toObject().value("plugins").toObject().contains("content"));
        QVERIFY(m.value("versions").toObject().value("pgDump").toString().contains("pg_dump"));
        QVERIFY(!m.value("createdAt").toString().isEmpty());
        // The uploaded file is one content-addressed blob of its bytes.
        const QByteArray sha = QCryptographicHash::hash(m_fileBytes, QCryptographicHash::Sha256).toHex();
        bool found = false;
        for (const QJsonValue &v : m.value("files").toArray())
            found = found || (v.toObject().value("path").toString().endsWith(QString::fromLatin1(sha))
                              && v.toObject().value("sha256").toString() == QString::fromLatin1(sha));
        QVERIFY2(found, QJsonDocument(m.value("files").toArray()).toJson().constData());

        const Ran list = binary({QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--dir"), path(QStringLiteral("backups"))});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(m_backup), qPrintable(list.out));
    }

    void verifyChecksAndFindsDamage()
    {
        const Ran ok = binary({QStringLiteral("backup"), QStringLiteral("verify"), m_backup});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
        QVERIFY2(ok.out.contains("pg_restore reads the dump"), qPrintable(ok.out));

        const QString copy = path(QStringLiteral("damaged"));
        QCOMPARE(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), m_backup, copy}), 0);
        const QJsonArray files = QJsonDocument::fromJson([&] {
            QFile f(copy + QStringLiteral("/manifest.json"));
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }()).object().value("files").toArray();
        const QString blob = files.last().toObject().value("path").toString();
        QFile f(copy + QLatin1Char('/') + blob);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.write("X");
        f.close();
        const Ran bad = binary({QStringLiteral("backup"), QStringLiteral("verify"), copy});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains(blob) && bad.err.contains("checksum mismatch"), qPrintable(bad.err));
    }

    void restoreRefusesAndDryRunChangesNothing()
    {
        QCOMPARE(h.daemon.stop(), 0);
        const QString fresh = path(QStringLiteral("data2"));
        auto refused = Community::Ctl::Test::run({QStringLiteral("backup"), QStringLiteral("restore"), m_backup,
                                                  QStringLiteral("--data-dir"), h.dataDir, QStringLiteral("--yes")});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("refusing to restore") && refused.err.contains("is not empty"), qPrintable(refused.err));

        auto dry = Community::Ctl::Test::run({QStringLiteral("backup"), QStringLiteral("restore"), m_backup,
                                              QStringLiteral("--data-dir"), fresh, QStringLiteral("--dry-run")});
        QVERIFY2(dry.exitCode == 0, qPrintable(dry.err));
        QVERIFY2(dry.out.contains("dry run, nothing changed"), qPrintable(dry.out));
        QVERIFY(!QFileInfo::exists(fresh));

        auto script = Community::Ctl::Test::run({QStringLiteral("backup"), QStringLiteral("restore"), m_backup,
                                                 QStringLiteral("--data-dir"), fresh});
        QCOMPARE(script.exitCode, 2);   // not a terminal and no --yes
        auto wrongName = Community::Ctl::Test::run({QStringLiteral("backup"), QStringLiteral("restore"), m_backup,
                                                    QStringLiteral("--data-dir"), fresh}, "data1\n", true);
        QCOMPARE(wrongName.exitCode, 2);
        QVERIFY2(wrongName.err.contains("Type the target (" + QDir(fresh).absolutePath() + ")"), qPrintable(wrongName.err));
        QVERIFY(!QFileInfo::exists(fresh));
    }

    void restoreIntoAnEmptyDataDirectoryServesTheSameData()
    {
        const QString fresh = QDir(path(QStringLiteral("data2"))).absolutePath();
        auto r = Community::Ctl::Test::run({QStringLiteral("backup"), QStringLiteral("restore"), m_backup,
                                            QStringLiteral("--data-dir"), fresh},
                                           fresh.toStdString() + "\n", true);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));

        DaemonProcess restored;
        DaemonProcess::Options o = ContentHttp::daemonOptions(h.extraSets);
        o.embeddedPostgres = true;
        o.dataDir = fresh;
        o.startTimeoutMs = 120'000;
        QVERIFY2(restored.start(o), qPrintable(restored.errorString() + QString::fromUtf8(restored.output().right(2000))));
        auto call = [&](const QString &p, const QByteArray &token = {}) {
            Community::Test::Headers headers;
            if (!token.isEmpty())
                headers.append({"Authorization", "Bearer " + token});
            return Community::Test::httpRequest(restored.url(p), "GET", {}, headers);
        };
        QCOMPARE(call(QStringLiteral("/v1/users/alice_backup")).status, 200);
        const auto login = Community::Test::httpRequest(restored.url(QStringLiteral("/v1/auth/login")), "POST",
                                                        ContentHttp::json({{"login", m_alice.username}, {"password", m_alice.password}}),
                                                        {{"Content-Type", "application/json"}});
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json().value("accessToken").toString().toLatin1();
        const auto post = call(QStringLiteral("/v1/posts/") + m_postId);
        QCOMPARE(post.status, 200);
        QVERIFY2(post.body.contains("Kept across a restore"), post.body.constData());
        const auto file = call(QStringLiteral("/v1/files/%1/content").arg(m_fileId), token);
        QCOMPARE(file.status, 200);
        QCOMPARE(file.body, m_fileBytes);
        QCOMPARE(restored.stop(), 0);
    }
};

QTEST_MAIN(TstCtlBackup)
#include "tst_ctlbackup.moc"
