// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Uploads over real HTTP (communityd with the real auth and files plugins, test
// PostgreSQL): streamed raw POST/PUT, sniffed types, the refusal table (each leaves no
// blob, no temporary file and no quota use behind), deduplication, quotas, delete + GC.

#include "filesfixture.h"
#include "testimages.h"
#include "usershttp.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpSocket>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>

using namespace Users::Test;
using namespace Files::Test;

class TstFilesUpload : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;
    Account m_bob;

    HttpResult upload(const Account &who, const QString &query, const QByteArray &body,
                      const QByteArray &contentType = "application/octet-stream")
    {
        return m_http.call("POST", QStringLiteral("/v1/files?") + query, who.token, body,
                           {{"Content-Type", contentType}});
    }
    QString blobsDir() const { return m_http.daemon.dataDir() + QStringLiteral("/files/blobs"); }
    int blobCount() const { return Files::Test::blobCount(m_http.daemon.dataDir()); }
    int spoolCount() const { return Files::Test::spoolCount(m_http.daemon.dataDir()); }
    qint64 used(const Account &who)
    {
        return m_http.call("GET", QStringLiteral("/v1/files/quota"), who.token).json().value("usedBytes").toInteger(-1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = Files::Test::startWithAnnAndBob(
            m_http, {QStringLiteral("plugins.files.purposes.avatar.maxBytes=65536"),
                     QStringLiteral("plugins.files.quotaBytes=400000"),
                     QStringLiteral("plugins.files.gcGraceSeconds=0")}, m_ann, m_bob);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void uploadIsSniffedHashedAndStored()
    {
        // An attachment is stored byte for byte (public images are re-encoded without
        // metadata: tst_filesimages).
        const QByteArray img = jpeg(80, 60);
        auto r = upload(m_ann, QStringLiteral("purpose=attachment&name=me.jpg"), img, "image/jpeg");
        QCOMPARE(r.status, 201);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("mediaType").toString(), QStringLiteral("image/jpeg"));
        QCOMPARE(o.value("size").toInteger(), img.size());
        const QByteArray sha = QCryptographicHash::hash(img, QCryptographicHash::Sha256).toHex();
        QCOMPARE(o.value("sha256").toString().toLatin1(), sha);
        QCOMPARE(o.value("name").toString(), QStringLiteral("me.jpg"));
        QVERIFY(!o.value("deduplicated").toBool());
        const QString path = blobsDir() + QStringLiteral("/%1/%2/%3").arg(sha.left(2), sha.mid(2, 2), sha);
        QFile stored(path);
        QVERIFY2(stored.open(QIODevice::ReadOnly), qPrintable(path));
        QCOMPARE(stored.readAll(), img);
        QCOMPARE(spoolCount(), 0);
        QCOMPARE(used(m_ann), img.size());
    }

    void putWithNameInPath()
    {
        auto r = m_http.call("PUT", QStringLiteral("/v1/files/uploads/%1?purpose=post_image").arg(QStringLiteral("pic.png")),
                             m_ann.token, png(), {{"Content-Type", "image/png"}});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("name").toString(), QStringLiteral("pic.png"));
        QCOMPARE(r.json().value("mediaType").toString(), QStringLiteral("image/png"));
    }

    void equalContentIsStoredOnce()
    {
        const QByteArray img = png(33, 33);
        const int before = blobCount();
        auto a = upload(m_ann, QStringLiteral("purpose=post_image&name=a.png"), img);
        auto b = upload(m_bob, QStringLiteral("purpose=post_image&name=b.png"), img);
        QCOMPARE(a.status, 201);
        QCOMPARE(b.status, 201);
        QVERIFY(!a.json().value("deduplicated").toBool());
        QVERIFY(b.json().value("deduplicated").toBool());
        QCOMPARE(a.json().value("sha256"), b.json().value("sha256"));
        QVERIFY(a.json().value("id") != b.json().value("id"));
        QCOMPARE(blobCount(), before + 1);
        QCOMPARE(spoolCount(), 0);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("slug");
        const QByteArray j = jpeg();
        const QByteArray oct = "application/octet-stream";
        QTest::newRow("svg") << "purpose=post_image&name=x.svg" << svg() << QByteArray("image/svg+xml") << 415 << "svg-refused";
        QTest::newRow("svg named png") << "purpose=post_image&name=x.png" << svg() << QByteArray("image/png") << 415 << "svg-refused";
        QTest::newRow("pdf as avatar") << "purpose=avatar&name=x.pdf" << QByteArray("%PDF-1.4\n%%EOF\n") << oct << 415 << "unsupported-file-type";
        QTest::newRow("html as attachment") << "purpose=attachment&name=x.html" << QByteArray("<html><script>x</script></html>") << oct << 415 << "unsupported-file-type";
        QTest::newRow("declared png is jpeg") << "purpose=avatar&name=x" << j << QByteArray("image/png") << 415 << "type-mismatch";
        QTest::newRow("named png is jpeg") << "purpose=avatar&name=x.png" << j << oct << 415 << "type-mismatch";
        QTest::newRow("zip inside jpeg") << "purpose=post_image&name=x.jpg" << j + zip() << oct << 422 << "polyglot-file";
        QTest::newRow("php after jpeg") << "purpose=post_image&name=x.jpg" << j + QByteArray("<?php echo 1; ?>") << oct << 422 << "polyglot-file";
        QTest::newRow("truncated jpeg") << "purpose=post_image&name=x.jpg" << j.left(j.size() - 40) << oct << 422 << "truncated-file";
        QTest::newRow("empty") << "purpose=attachment&name=x.txt" << QByteArray() << oct << 422 << "empty-file";
        QTest::newRow("path traversal") << "purpose=attachment&name=..%2F..%2Fetc%2Fpasswd" << QByteArray("hi\n") << oct << 400 << "validation";
        QTest::newRow("unknown purpose") << "purpose=banner&name=x.jpg" << j << oct << 400 << "validation";
        QTest::newRow("unknown query") << "purpose=avatar&owner=2" << j << oct << 400 << "validation";
        QTest::newRow("avatar over its limit") << "purpose=avatar&name=big.jpg" << QByteArray(200 * 1024, 'x') << oct << 413 << "payload-too-large";
    }
    void refusals()
    {
        QFETCH(QString, query);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, slug);
        const int blobs = blobCount();
        const qint64 before = used(m_ann);
        auto r = upload(m_ann, query, body, contentType);
        QVERIFY2(isProblem(r, status, slug), qPrintable(QString::number(r.status) + ' ' + QString::fromUtf8(r.body)));
        QCOMPARE(blobCount(), blobs);
        QCOMPARE(used(m_ann), before);
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 2000);
    }

    void anonymousCannotUpload()
    {
        auto r = m_http.call("POST", QStringLiteral("/v1/files?purpose=avatar"), {}, jpeg());
        QVERIFY(isProblem(r, 401, QStringLiteral("unauthorized")));
        QCOMPARE(spoolCount(), 0);
        // Refused from the head (issue 10): a stranger announcing 50 MB gets the 401 at once,
        // without sending a byte of the body, and nothing reaches the spool.
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, quint16(m_http.daemon.baseUrl().port()));
        QVERIFY(raw.waitForConnected(5000));
        raw.write("POST /v1/files?purpose=attachment HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n"
                  "Content-Length: 50000000\r\n\r\n");
        QByteArray answer;
        QDeadlineTimer deadline(5000);
        while (!answer.contains("\r\n\r\n") && !deadline.hasExpired() && raw.waitForReadyRead(100))
            answer += raw.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 401 "), answer.constData());
        QVERIFY(answer.contains("\r\nConnection: close\r\n"));
        QCOMPARE(spoolCount(), 0);
    }

    void quotaIsEnforced()
    {
        Account cat = m_http.registerUser(QStringLiteral("cat"));
        // 400000-byte quota: two 150000-byte attachments fit, a third does not.
        QByteArray text(150000, 'a');
        for (int i = 0; i < 2; ++i) {
            text[0] = char('0' + i);
            QCOMPARE(upload(cat, QStringLiteral("purpose=attachment&name=t.txt"), text).status, 201);
        }
        text[0] = 'z';
        auto r = upload(cat, QStringLiteral("purpose=attachment&name=t.txt"), text);
        QVERIFY2(isProblem(r, 413, QStringLiteral("quota-exceeded")), r.body.constData());
        QCOMPARE(used(cat), 300000);
    }

    void deleteThenCollectGarbage()
    {
        const QByteArray img = png(21, 13);
        auto a = upload(m_ann, QStringLiteral("purpose=post_image&name=g.png"), img);
        auto b = upload(m_bob, QStringLiteral("purpose=post_image&name=g.png"), img);
        QCOMPARE(a.status, 201);
        const QString sha = a.json().value("sha256").toString();
        const QString idA = a.json().value("id").toString();
        const QString idB = b.json().value("id").toString();
        // Bob cannot delete Ann's file (404: not his to know about).
        QCOMPARE(m_http.call("DELETE", "/v1/files/" + idA, m_bob.token).status, 404);
        QCOMPARE(m_http.call("DELETE", "/v1/files/" + idA, m_ann.token).status, 204);
        // Still referenced by Bob's file: GC keeps it.
        auto gc = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/system/files/gc"));
        QCOMPARE(gc.status, 200);
        QVERIFY(!gc.json().value("removed").toArray().contains(sha));
        const QByteArray kept = m_http.call("GET", "/v1/files/" + idB + "/content").body;
        QCOMPARE(QCryptographicHash::hash(kept, QCryptographicHash::Sha256).toHex(), sha.toLatin1());
        QCOMPARE(m_http.call("DELETE", "/v1/files/" + idB, m_bob.token).status, 204);
        auto dry = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/system/files/gc?dryRun=true"));
        QVERIFY(dry.json().value("removed").toArray().contains(sha));
        const QString path = blobsDir() + QStringLiteral("/%1/%2/%3").arg(sha.left(2), sha.mid(2, 2), sha);
        QVERIFY(QFile::exists(path));
        gc = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/system/files/gc"));
        QVERIFY(gc.json().value("removed").toArray().contains(sha));
        QVERIFY(!QFile::exists(path));
        QCOMPARE(m_http.call("GET", "/v1/files/" + idB).status, 404);
        // The same content uploaded again is stored anew.
        auto again = upload(m_ann, QStringLiteral("purpose=post_image&name=g.png"), img);
        QCOMPARE(again.status, 201);
        QVERIFY(!again.json().value("deduplicated").toBool());
        QVERIFY(QFile::exists(path));
        auto verify = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/files/verify"));
        QVERIFY2(verify.json().value("ok").toBool(), verify.body.constData());
        auto stats = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/files/stats"));
        QVERIFY(stats.json().value("blobs").toInt() >= 1);
    }
};

QTEST_MAIN(TstFilesUpload)
#include "tst_filesupload.moc"
