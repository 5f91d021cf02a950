// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The scanning hook of uploads (ADR 0031) over real HTTP: communityd with the real auth
// and files plugins asks a real clamd (started by ClamdFixture with a private signature
// database: the EICAR string, nothing downloaded) over its unix socket, or runs an
// external command. Infected files are refused (422, nothing stored) or quarantined
// (stored, never served); a scanner that cannot answer refuses (503) or lets the file
// through, as onError says.

#include "filesfixture.h"
#include "clamdfixture.h"
#include "usershttp.h"

#include <QDir>
#include <QElapsedTimer>

#include <memory>
#include <QDirIterator>
#include <QJsonArray>

using namespace Users::Test;
using Community::Test::ClamdFixture;
using Community::Test::DaemonProcess;
using Community::Test::HttpResult;

class TstFilesScan : public QObject {
    Q_OBJECT

    ClamdFixture m_clamd;
    std::unique_ptr<DaemonProcess> m_command;   // the external-command variant
    UsersHttp m_http;   // clamd, action reject, onError reject
    Account m_ann;

    int blobCount() const { return Files::Test::blobCount(m_http.daemon.dataDir()); }
    int spoolCount() const { return Files::Test::spoolCount(m_http.daemon.dataDir()); }
    qint64 used(const Account &who)
    {
        return m_http.call("GET", QStringLiteral("/v1/files/quota"), who.token).json().value("usedBytes").toInteger(-1);
    }
    static HttpResult uploadTo(DaemonProcess &d, const QByteArray &token, const QString &name, const QByteArray &body)
    {
        return Community::Test::httpRequest(d.url(QStringLiteral("/v1/files?purpose=attachment&name=") + name), "POST", body,
                                            {{"Authorization", "Bearer " + token}, {"Content-Type", "text/plain"}});
    }
    HttpResult upload(const QByteArray &token, const QString &name, const QByteArray &body)
    {
        return uploadTo(m_http.daemon, token, name, body);
    }
    QStringList clamdSets(const QString &action, const QString &onError) const
    {
        return {QStringLiteral("plugins.files.scan.clamd=") + m_clamd.socketPath(),
                QStringLiteral("plugins.files.scan.action=") + action, QStringLiteral("plugins.files.scan.onError=") + onError};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_clamd.start(&error), qPrintable(error));
        m_http.extraSets << clamdSets(QStringLiteral("reject"), QStringLiteral("reject"));
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
        QVERIFY(!m_ann.token.isEmpty());
    }

    void cleanupTestCase()
    {
        if (m_command)
            QCOMPARE(m_command->stop(), 0);
        QCOMPARE(m_http.daemon.stop(), 0);
        m_clamd.stop();
    }

    void cleanFileIsStored()
    {
        auto r = upload(m_ann.token, QStringLiteral("notes.txt"), "nothing to see here\n");
        QCOMPARE(r.status, 201);
        QVERIFY(!r.json().contains("quarantined"));
        const QString id = r.json().value("id").toString();
        QCOMPARE(m_http.call("GET", "/v1/files/" + id + "/content", m_ann.token).body, QByteArray("nothing to see here\n"));
    }

    void infectedFileIsRefusedAndNothingStored()
    {
        const int blobs = blobCount();
        const qint64 before = used(m_ann);
        auto r = upload(m_ann.token, QStringLiteral("eicar.txt"), ClamdFixture::eicar());
        QVERIFY2(isProblem(r, 422, QStringLiteral("file-infected")), r.body.constData());
        // The signature is for admins and logs, not for the uploader.
        QVERIFY2(!r.body.contains("EICAR"), r.body.constData());
        QCOMPARE(blobCount(), blobs);
        QCOMPARE(used(m_ann), before);
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 2000);
        QVERIFY(m_http.daemon.output().contains(ClamdFixture::signatureName().toUtf8()));

        // Inside a longer text the stream is scanned as a whole (several INSTREAM chunks).
        QByteArray big(300 * 1024, 'a');
        big.append(ClamdFixture::eicar());
        big.append(QByteArray(100 * 1024, 'b'));
        QVERIFY(isProblem(upload(m_ann.token, QStringLiteral("big.txt"), big), 422, QStringLiteral("file-infected")));
        QCOMPARE(blobCount(), blobs);
    }

    void adminSeesTheSignature()
    {
        auto r = upload(m_http.admin.token, QStringLiteral("eicar.txt"), ClamdFixture::eicar());
        QVERIFY(isProblem(r, 422, QStringLiteral("file-infected")));
        QVERIFY2(r.json().value("detail").toString().contains(ClamdFixture::signatureName()), r.body.constData());
    }

    void fileOverStreamMaxLengthFollowsOnError()
    {
        // The fixture's clamd takes 2 MiB at most; the daemon is told the same and does not
        // send a larger file: with onError reject that is a 503 the client may retry.
        DaemonProcess peer;
        QString error;
        QVERIFY2(m_http.startPeer(peer, clamdSets(QStringLiteral("reject"), QStringLiteral("reject"))
                                            << QStringLiteral("plugins.files.scan.streamMaxLength=2097152"), &error),
                 qPrintable(error));
        auto r = uploadTo(peer, m_ann.token, QStringLiteral("large.txt"), QByteArray(3 * 1024 * 1024, 'x'));
        QVERIFY2(isProblem(r, 503, QStringLiteral("scanner-unavailable")), r.body.constData());
        QCOMPARE(r.header("Retry-After"), QByteArray("1"));
        QCOMPARE(uploadTo(peer, m_ann.token, QStringLiteral("small.txt"), QByteArray(1024 * 1024, 'x')).status, 201);
        QCOMPARE(peer.stop(), 0);
    }

    void quarantinedFileIsStoredButNeverServed()
    {
        DaemonProcess peer;
        QString error;
        QVERIFY2(m_http.startPeer(peer, clamdSets(QStringLiteral("quarantine"), QStringLiteral("reject")), &error), qPrintable(error));
        auto r = uploadTo(peer, m_ann.token, QStringLiteral("eicar.txt"), ClamdFixture::eicar());
        QCOMPARE(r.status, 201);
        QVERIFY(r.json().value("quarantined").toBool());
        QVERIFY(!r.body.contains("EICAR"));
        const QString id = r.json().value("id").toString();
        auto get = [&](const QString &path, const QByteArray &token) {
            return Community::Test::httpRequest(peer.url(path), "GET", {}, {{"Authorization", "Bearer " + token}});
        };
        // To its owner (and anyone else) it does not exist; to an admin it is quarantined.
        QVERIFY(isProblem(get("/v1/files/" + id, m_ann.token), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(get("/v1/files/" + id + "/content", m_ann.token), 404, QStringLiteral("not-found")));
        auto admin = get("/v1/files/" + id + "/content", m_http.admin.token);
        QVERIFY2(isProblem(admin, 403, QStringLiteral("file-quarantined")), admin.body.constData());
        QVERIFY(admin.json().value("detail").toString().contains(ClamdFixture::signatureName()));
        QVERIFY(isProblem(get("/v1/files/" + id, m_http.admin.token), 403, QStringLiteral("file-quarantined")));
        // A signed link does not get around it.
        auto sign = Community::Test::httpRequest(peer.url("/v1/files/" + id + "/signed-url"), "POST", "{}",
                                                 {{"Authorization", "Bearer " + m_http.admin.token},
                                                  {"Content-Type", "application/json"}});
        QVERIFY2(isProblem(sign, 403, QStringLiteral("file-quarantined")), sign.body.constData());
        // Operators list it with the verdict.
        auto list = peer.operatorRequest("GET", QStringLiteral("/v1/system/files/quarantine"));
        QCOMPARE(list.status, 200);
        const QJsonArray files = list.json().value("files").toArray();
        QVERIFY(!files.isEmpty());
        QCOMPARE(files.first().toObject().value("id").toString(), id);
        QCOMPARE(files.first().toObject().value("signature").toString(), ClamdFixture::signatureName());
        QCOMPARE(files.first().toObject().value("scanner").toString(), QStringLiteral("clamd"));
        QVERIFY(isProblem(peer.operatorRequest("GET", QStringLiteral("/v1/system/files/quarantine?limit=0")), 400,
                          QStringLiteral("validation")));
        QCOMPARE(peer.stop(), 0);
    }

    void externalCommand_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("slug");
        QTest::newRow("clean") << QByteArray("plain words\n") << 201 << QString();
        QTest::newRow("infected") << ClamdFixture::eicar() << 422 << QStringLiteral("file-infected");
        QTest::newRow("scanner error") << QByteArray("SCANNER-BREAK\n") << 503 << QStringLiteral("scanner-unavailable");
        QTest::newRow("scanner timeout") << QByteArray("SCANNER-SLOW\n") << 503 << QStringLiteral("scanner-unavailable");
    }
    void externalCommand()
    {
        if (!m_command) {
            m_command = std::make_unique<DaemonProcess>();
            QString error;
            // (the shared sets name clamd: emptied here, one scanner per node)
            QVERIFY2(m_http.startPeer(*m_command, {QStringLiteral("plugins.files.scan.clamd="),
                                                   QStringLiteral("plugins.files.scan.command=") + QStringLiteral(SCAN_COMMAND),
                                                   QStringLiteral("plugins.files.scan.timeoutMs=1500")}, &error),
                     qPrintable(error));
        }
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, slug);
        QElapsedTimer timer;
        timer.start();
        auto r = uploadTo(*m_command, m_ann.token, QStringLiteral("f.txt"), body);
        if (slug.isEmpty())
            QCOMPARE(r.status, status);
        else
            QVERIFY2(isProblem(r, status, slug), r.body.constData());
        if (body.contains("SLOW"))   // killed at timeoutMs, not waited for
            QVERIFY2(timer.elapsed() < 8000, qPrintable(QString::number(timer.elapsed())));
    }

    // Last: stops clamd.
    void scannerDownFollowsOnError()
    {
        DaemonProcess allow;
        QString error;
        QVERIFY2(m_http.startPeer(allow, clamdSets(QStringLiteral("reject"), QStringLiteral("allow")), &error), qPrintable(error));
        m_clamd.stop();
        const int blobs = blobCount();
        auto r = upload(m_ann.token, QStringLiteral("later.txt"), "scan me when you can\n");
        QVERIFY2(isProblem(r, 503, QStringLiteral("scanner-unavailable")), r.body.constData());
        QCOMPARE(r.header("Retry-After"), QByteArray("1"));
        QCOMPARE(blobCount(), blobs);
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 2000);
        // onError allow: stored unscanned (and logged).
        auto allowed = uploadTo(allow, m_ann.token, QStringLiteral("later.txt"), "scan me when you can\n");
        QCOMPARE(allowed.status, 201);
        QVERIFY(allow.output().contains("allowed unscanned"));
        QCOMPARE(allow.stop(), 0);
    }
};

QTEST_MAIN(TstFilesScan)
#include "tst_filesscan.moc"
