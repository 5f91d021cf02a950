// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The files plugin on S3 (ADR 0030) over real HTTP, against a real S3-compatible server on
// loopback (tests/support/s3server.h: npm s3rver behind a Signature V4 check): uploads land
// as blobs/ab/cd/<sha256> objects (one object for two equal uploads), downloads with Range,
// 304 and the private-file rules, variants made from an S3 blob, delete + GC removes the
// object, verify finds a missing and an orphan object across several listing pages, a
// second node in virtual-host style, wrong credentials and config errors refused at
// start, S3 failing (5xx, unreachable) and the outbound faults (error, timeout, latency,
// selector route "s3") seen as 503 problem+json with nothing written and no temp file.
// What the server holds is read from its folder, not through the daemon's S3 client.

#include "filesfixture.h"
#include "s3server.h"
#include "testimages.h"
#include "usershttp.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryFile>
#include <QThread>

using namespace Users::Test;
using namespace Files::Test;
using Community::Test::DaemonProcess;
using Community::Test::S3Server;

class TstFilesS3 : public QObject {
    Q_OBJECT

    S3Server m_s3;
    UsersHttp m_http;
    Account m_ann;
    Account m_bob;
    int m_counter = 0;

    static QByteArray sha(const QByteArray &data) { return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex(); }
    /// Text no earlier upload had (so no deduplication unless wanted).
    QByteArray uniqueText(int size = 3000)
    {
        QByteArray d = "case " + QByteArray::number(++m_counter) + " ";
        while (d.size() < size)
            d.append(char('a' + d.size() % 26));
        return d;
    }
    HttpResult upload(const Account &who, const QByteArray &data, const QString &purpose = QStringLiteral("attachment"),
                      const QString &name = QStringLiteral("notes.txt"))
    {
        return m_http.call("POST", QStringLiteral("/v1/files?purpose=%1&name=%2").arg(purpose, name), who.token, data,
                           {{"Content-Type", "application/octet-stream"}});
    }
    HttpResult get(const QString &path, const QByteArray &token = {}, QList<QPair<QByteArray, QByteArray>> h = {})
    {
        return m_http.call("GET", path, token, {}, std::move(h));
    }
    QJsonObject stats() { return m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/files/stats")).json(); }
    int spoolCount() const { return Files::Test::spoolCount(m_http.daemon.dataDir()); }
    int localBlobCount() const { return Files::Test::blobCount(m_http.daemon.dataDir()); }
    void inject(const char *kind, int ttlSeconds, int delayMs = 0)
    {
        const QJsonObject f{{"kind", kind}, {"selector", QJsonObject{{"route", "s3"}, {"plugin", "files"}}},
                            {"delayMs", delayMs}, {"ttlSeconds", ttlSeconds}};
        const auto r = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/faults"), UsersHttp::json(f));
        QVERIFY2(r.status == 201, r.body.constData());
    }
    void stopAll()
    {
        QCOMPARE(m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/admin/chaos/stop-all"), "{}").status, 200);
    }
    /// An upload refused because S3 failed: 503 problem+json, nothing written, no temp file.
    void refusedAsUnavailable(const HttpResult &r, qint64 filesBefore, const QStringList &objectsBefore)
    {
        QVERIFY2(isProblem(r, 503, QStringLiteral("storage-unavailable")), r.body.constData());
        QCOMPARE(r.header("retry-after"), QByteArray("1"));
        QCOMPARE(stats().value("files").toInteger(), filesBefore);
        QCOMPARE(m_s3.objectKeys(), objectsBefore);
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 2000);
    }
    /// A daemon on the same database with `sets`; false and its output when it does not start.
    bool startOther(DaemonProcess &d, const QStringList &sets, QByteArray *output)
    {
        DaemonProcess::Options o = UsersHttp::daemonOptions(sets);
        o.extraArgs << QStringLiteral("--set")
                    << QStringLiteral("database.url=") + QString::fromStdString(m_http.daemon.database()->conninfo());
        o.startTimeoutMs = 30'000;
        const bool ok = d.start(o);
        *output = d.output();
        return ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_s3.start());
        m_http.extraSets = m_s3.daemonSets() + QStringList{QStringLiteral("plugins.files.s3.listPageSize=2"),
                                                           QStringLiteral("plugins.files.gcGraceSeconds=0"),
                                                           QStringLiteral("chaos.enabled=true")};
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void uploadPlacesAnObject()
    {
        const QByteArray data = uniqueText(200'000);
        auto r = upload(m_ann, data);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("sha256").toString().toLatin1(), sha(data));
        QVERIFY(m_s3.objectKeys().contains(S3Server::blobKey(sha(data))));
        QCOMPARE(m_s3.object(S3Server::blobKey(sha(data))), data);
        QCOMPARE(localBlobCount(), 0);   // nothing on the node's disk
        QCOMPARE(spoolCount(), 0);
    }

    void equalUploadsAreOneObject()
    {
        const QByteArray data = uniqueText();
        const int before = int(m_s3.objectKeys().size());
        auto first = upload(m_ann, data);
        auto second = upload(m_bob, data, QStringLiteral("attachment"), QStringLiteral("copy.txt"));
        QCOMPARE(first.status, 201);
        QCOMPARE(second.status, 201);
        QCOMPARE(first.json().value("deduplicated").toBool(), false);
        QCOMPARE(second.json().value("deduplicated").toBool(), true);
        QCOMPARE(m_s3.objectKeys().size(), before + 1);
        QCOMPARE(spoolCount(), 0);
    }

    void downloadsRangeAndNotModified()
    {
        const QByteArray data = uniqueText(50'000);
        const QString id = upload(m_ann, data).json().value("id").toString();
        const QString path = "/v1/files/" + id + "/content";
        auto whole = get(path, m_ann.token);
        QCOMPARE(whole.status, 200);
        QCOMPARE(whole.body, data);
        QCOMPARE(whole.header("etag"), '"' + sha(data) + '"');
        QCOMPARE(whole.header("content-disposition"), QByteArray("attachment; filename=\"notes.txt\""));
        QCOMPARE(whole.header("x-content-type-options"), QByteArray("nosniff"));
        auto part = get(path, m_ann.token, {{"Range", "bytes=1000-1999"}});
        QCOMPARE(part.status, 206);
        QCOMPARE(part.body, data.mid(1000, 1000));
        QCOMPARE(part.header("content-range"), QByteArray("bytes 1000-1999/50000"));
        auto tail = get(path, m_ann.token, {{"Range", "bytes=-7"}});
        QCOMPARE(tail.status, 206);
        QCOMPARE(tail.body, data.right(7));
        auto multi = get(path, m_ann.token, {{"Range", "bytes=0-1,49998-"}});
        QCOMPARE(multi.status, 206);
        QVERIFY(multi.header("content-type").startsWith("multipart/byteranges"));
        QVERIFY(multi.body.contains("Content-Range: bytes 49998-49999/50000\r\n\r\n" + data.right(2)));
        QCOMPARE(get(path, m_ann.token, {{"Range", "bytes=60000-"}}).status, 416);
        auto cached = get(path, m_ann.token, {{"If-None-Match", whole.header("etag")}});
        QCOMPARE(cached.status, 304);
        QVERIFY(cached.body.isEmpty());
    }

    // Each worker thread keeps its libcurl handle and with it the keep-alive connection:
    // 20 downloads in a row open at most one connection per worker (db.workers, 8 by
    // default), not one each.
    void downloadsReuseConnections()
    {
        const QByteArray data = uniqueText(20'000);
        const QString path = "/v1/files/" + upload(m_ann, data).json().value("id").toString() + "/content";
        const int before = m_s3.connectionCount();
        for (int i = 0; i < 20; ++i) {
            auto r = get(path, m_ann.token);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, data);
        }
        const int opened = m_s3.connectionCount() - before;
        QVERIFY2(opened <= 8, qPrintable(QStringLiteral("%1 connections for 20 downloads").arg(opened)));
    }

    void largeDownloadWithBoundedMemory()
    {
        // Larger than what is read into memory (1 MiB): staged in an unnamed file on the
        // node and sent from there (ADR 0030); nothing named is left behind.
        const QByteArray data = uniqueText(3 * 1024 * 1024 + 17);
        const QString id = upload(m_ann, data).json().value("id").toString();
        const QString path = "/v1/files/" + id + "/content";
        auto whole = get(path, m_ann.token);
        QCOMPARE(whole.status, 200);
        QCOMPARE(whole.header("content-length"), QByteArray::number(data.size()));
        QVERIFY(whole.body == data);
        auto part = get(path, m_ann.token, {{"Range", "bytes=1048000-2200000"}});
        QCOMPARE(part.status, 206);
        QVERIFY(part.body == data.mid(1048000, 2200000 - 1048000 + 1));
        QDirIterator it(m_http.daemon.dataDir() + QStringLiteral("/files"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            QVERIFY2(f.endsWith(QLatin1String("signing.key")) || f.contains(QLatin1String("/variants/")), qPrintable(f));
        }
    }

    void privateFileRules()
    {
        const QString id = upload(m_ann, uniqueText()).json().value("id").toString();
        const QString path = "/v1/files/" + id + "/content";
        QVERIFY(isProblem(get(path), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(get(path, m_bob.token), 404, QStringLiteral("not-found")));
        QCOMPARE(get(path, m_http.admin.token).status, 200);
        auto signedUrl = m_http.call("POST", "/v1/files/" + id + "/signed-url", m_ann.token, "{}",
                                     {{"Content-Type", "application/json"}});
        QCOMPARE(signedUrl.status, 200);
        const QString url = signedUrl.json().value("url").toString();
        QVERIFY2(url.startsWith(path + '?'), qPrintable(url));
        auto viaSignature = get(url);
        QCOMPARE(viaSignature.status, 200);
        QCOMPARE(viaSignature.header("cache-control"), QByteArray("private, max-age=31536000, immutable"));
    }

    void variantFromAnS3Blob()
    {
        const auto r = upload(m_ann, jpeg(640, 480), QStringLiteral("post_image"), QStringLiteral("cat.jpg"));
        QCOMPARE(r.status, 201);
        const QString id = r.json().value("id").toString();
        auto thumb = get("/v1/files/" + id + "/variants/thumb.jpg");
        QCOMPARE(thumb.status, 200);
        QCOMPARE(QImage::fromData(thumb.body).width(), 256);
        // Cached on the node's disk (see ADR 0030); the bucket holds only blobs.
        QVERIFY(QFileInfo::exists(m_http.daemon.dataDir() + "/files/variants/" + r.json().value("sha256").toString() + "/thumb.jpg"));
        for (const QString &k : m_s3.objectKeys())
            QVERIFY2(k.startsWith(QLatin1String("blobs/")), qPrintable(k));
        QCOMPARE(localBlobCount(), 0);
    }

    void deleteThenGcRemovesTheObject()
    {
        const QByteArray data = uniqueText();
        const QString key = S3Server::blobKey(sha(data));
        const QString a = upload(m_ann, data).json().value("id").toString();
        const QString b = upload(m_bob, data).json().value("id").toString();
        QCOMPARE(m_http.call("DELETE", "/v1/files/" + a, m_ann.token).status, 204);
        QCOMPARE(m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/system/files/gc")).status, 200);
        QVERIFY(m_s3.objectKeys().contains(key));   // Bob's file still references it
        QCOMPARE(m_http.call("DELETE", "/v1/files/" + b, m_bob.token).status, 204);
        auto gc = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/system/files/gc"));
        QCOMPARE(gc.status, 200);
        QVERIFY2(gc.json().value("removed").toArray().contains(QString::fromLatin1(sha(data))), gc.body.constData());
        QVERIFY(!m_s3.objectKeys().contains(key));
    }

    void verifyFindsMissingAndOrphanAcrossPages()
    {
        // listPageSize is 2: the listing below takes several ListObjectsV2 pages.
        QVERIFY(m_s3.objectKeys().size() >= 5);
        auto clean = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/files/verify"));
        QCOMPARE(clean.status, 200);
        QVERIFY2(clean.json().value("ok").toBool(), clean.body.constData());

        const QByteArray lost = uniqueText();
        QCOMPARE(upload(m_ann, lost).status, 201);
        QVERIFY(m_s3.removeObject(S3Server::blobKey(sha(lost))));
        // An object no row knows, put by an independent client (curl's own SigV4).
        const QByteArray stray = uniqueText();
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(stray);
        file.close();
        QProcess curl;
        curl.start(QStringLiteral("curl"), {QStringLiteral("-sf"), QStringLiteral("--aws-sigv4"), QStringLiteral("aws:amz:us-east-1:s3"),
                                            QStringLiteral("-u"), S3Server::accessKeyId() + ':' + S3Server::secretAccessKey(),
                                            QStringLiteral("-H"), QStringLiteral("x-amz-content-sha256: ") + QString::fromLatin1(sha(stray)),
                                            QStringLiteral("-T"), file.fileName(),
                                            m_s3.endpoint() + '/' + m_s3.bucket() + '/' + S3Server::blobKey(sha(stray))});
        QVERIFY(curl.waitForFinished(10'000));
        QCOMPARE(curl.exitCode(), 0);
        QVERIFY(m_s3.objectKeys().contains(S3Server::blobKey(sha(stray))));

        auto r = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/files/verify"));
        QCOMPARE(r.status, 200);
        const QJsonObject v = r.json();
        QCOMPARE(v.value("ok").toBool(), false);
        QCOMPARE(v.value("missing").toArray(), QJsonArray{QString::fromLatin1(sha(lost))});
        QCOMPARE(v.value("orphans").toArray(), QJsonArray{QString::fromLatin1(sha(stray))});
        QVERIFY(m_s3.removeObject(S3Server::blobKey(sha(stray))));
    }

    void secondNodeVirtualHostStyle()
    {
        const QByteArray data = uniqueText();
        const QString id = upload(m_ann, data).json().value("id").toString();
        DaemonProcess peer;
        QByteArray output;
        QVERIFY2(startOther(peer, m_s3.daemonSets(false), &output), output.right(3000).constData());
        QVERIFY2(output.contains("virtual-host style"), output.right(3000).constData());
        auto r = Community::Test::httpRequest(peer.url("/v1/files/" + id + "/content"), "GET", {},
                                              {{"Authorization", "Bearer " + m_ann.token}, {"Range", "bytes=10-19"}});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, data.mid(10, 10));
        const QByteArray other = uniqueText();
        auto up = Community::Test::httpRequest(peer.url(QStringLiteral("/v1/files?purpose=attachment&name=peer.txt")), "POST", other,
                                               {{"Authorization", "Bearer " + m_bob.token}, {"Content-Type", "text/plain"}});
        QCOMPARE(up.status, 201);
        QCOMPARE(m_s3.object(S3Server::blobKey(sha(other))), other);
        QCOMPARE(peer.stop(), 0);
    }

    void wrongCredentialsRefusedAtStart()
    {
        const QString secret = QStringLiteral("not-the-secret-7f3a9c");
        DaemonProcess other;
        QByteArray output;
        QVERIFY(!startOther(other, m_s3.daemonSets(true, secret), &output));
        QVERIFY2(output.contains("plugins.files.s3") && output.contains("HTTP 403") && output.contains("SignatureDoesNotMatch"),
                 output.right(3000).constData());
        QVERIFY(!output.contains(secret.toUtf8()));
    }

    void configErrorsRefusedAtStart_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("message");
        QTest::newRow("no bucket") << "plugins.files.s3.bucket=" << "plugins.files.s3.bucket";
        QTest::newRow("bad endpoint") << "plugins.files.s3.endpoint=ftp://127.0.0.1/x" << "plugins.files.s3.endpoint";
        QTest::newRow("no secret") << "plugins.files.s3.secretAccessKey=" << "plugins.files.s3.secretAccessKey";
        QTest::newRow("unknown key") << "plugins.files.s3.sessionToken=x" << "plugins.files.s3.sessionToken";
        QTest::newRow("unknown storage") << "plugins.files.storage=gcs" << "plugins.files.storage";
    }
    void configErrorsRefusedAtStart()
    {
        QFETCH(QString, set);
        QFETCH(QString, message);
        DaemonProcess other;
        QByteArray output;
        QVERIFY(!startOther(other, m_s3.daemonSets() << set, &output));
        QVERIFY2(output.contains(message.toUtf8()), output.right(3000).constData());
    }

    void failingS3IsRetryable()
    {
        const qint64 files = stats().value("files").toInteger();
        const QStringList objects = m_s3.objectKeys();
        for (int status : {500, 503}) {
            m_s3.setStatus(status);
            refusedAsUnavailable(upload(m_ann, uniqueText()), files, objects);
        }
        m_s3.setStatus(0);
        QCOMPARE(upload(m_ann, uniqueText()).status, 201);
    }

    void outboundErrorUntilItsTimeLimit()
    {
        const qint64 files = stats().value("files").toInteger();
        const QStringList objects = m_s3.objectKeys();
        inject("outbound.error", 2);
        QElapsedTimer t;
        t.start();
        refusedAsUnavailable(upload(m_ann, uniqueText()), files, objects);
        const QByteArray data = uniqueText();
        int status = 0;
        while (t.elapsed() < 8000 && (status = upload(m_ann, data).status) != 201)
            QThread::msleep(200);
        QCOMPARE(status, 201);
        QVERIFY2(t.elapsed() >= 1500, qPrintable(QString::number(t.elapsed())));
        qInfo("outbound.error on s3 (ttl 2 s): uploads 503 until %lld ms", qint64(t.elapsed()));
    }

    void outboundTimeout()
    {
        const qint64 files = stats().value("files").toInteger();
        const QStringList objects = m_s3.objectKeys();
        inject("outbound.timeout", 30, 400);
        QElapsedTimer t;
        t.start();
        const auto r = upload(m_ann, uniqueText());
        const qint64 ms = t.elapsed();
        refusedAsUnavailable(r, files, objects);
        QVERIFY2(ms >= 400, qPrintable(QString::number(ms)));
        stopAll();
    }

    void outboundLatency()
    {
        const QString id = upload(m_ann, uniqueText()).json().value("id").toString();
        const QString path = "/v1/files/" + id + "/content";
        auto timed = [&] {
            QElapsedTimer t;
            t.start();
            const auto r = get(path, m_ann.token);
            return r.status == 200 ? t.elapsed() : -1;
        };
        qint64 baseline = 0;
        for (int i = 0; i < 5; ++i)
            baseline = qMax(baseline, timed());
        inject("outbound.latency", 30, 300);
        qint64 slowest = 0, fastest = 1'000'000;
        for (int i = 0; i < 3; ++i) {
            const qint64 ms = timed();
            QVERIFY(ms >= 0);
            slowest = qMax(slowest, ms);
            fastest = qMin(fastest, ms);
        }
        QElapsedTimer t;
        t.start();
        QCOMPARE(upload(m_ann, uniqueText()).status, 201);   // HEAD + PUT: two delayed calls
        const qint64 uploadMs = t.elapsed();
        stopAll();
        qInfo("outbound.latency 300 ms on s3: download %lld-%lld ms (baseline max %lld ms), upload %lld ms", fastest, slowest,
              baseline, uploadMs);
        QVERIFY2(fastest >= 300, qPrintable(QString::number(fastest)));
        QVERIFY2(uploadMs >= 600, qPrintable(QString::number(uploadMs)));
        QVERIFY(timed() < 300 + baseline);
    }

    void unreachableS3()
    {
        const QString id = upload(m_ann, uniqueText()).json().value("id").toString();
        const qint64 files = stats().value("files").toInteger();
        const QStringList objects = m_s3.objectKeys();
        m_s3.stop();
        refusedAsUnavailable(upload(m_ann, uniqueText()), files, objects);
        QVERIFY(isProblem(get("/v1/files/" + id + "/content", m_ann.token), 503, QStringLiteral("storage-unavailable")));
        QCOMPARE(get("/v1/files/" + id, m_ann.token).status, 200);   // metadata is the database's
    }
};

QTEST_GUILESS_MAIN(TstFilesS3)
#include "tst_filess3.moc"
