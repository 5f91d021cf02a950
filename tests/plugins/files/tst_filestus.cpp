// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Resumable uploads (tus 1.0, docs/adr/0029) over real HTTP: communityd with the real auth
// and files plugins and the test PostgreSQL. The npm tus-js-client drives the main paths
// (tests/tools/tus-check.mjs: complete, interrupted and resumed, checksums, wrong offset,
// termination, another user's 404); the raw protocol's edge cases use the test's own HTTP
// client and a raw socket. Every failure leaves no partial data, spool file or blob behind.

#include "filesfixture.h"
#include "testimages.h"
#include "usershttp.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QDirIterator>
#include <QHostAddress>
#include <QLocale>
#include <QTimeZone>
#include <QProcess>
#include <QTcpSocket>
#include <QThread>

using namespace Users::Test;
using namespace Files::Test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray b64(const QByteArray &v) { return v.toBase64(); }

QByteArray metadata(const QByteArray &purpose, const QByteArray &name)
{
    return "purpose " + b64(purpose) + ",filename " + b64(name);
}

/// A problem with this status and slug whose field errors include `field` (if given).
bool tusProblem(const HttpResult &r, int status, const QString &slug, const QString &field = {})
{
    if (!isProblem(r, status, slug) || r.header("Tus-Resumable") != "1.0.0")
        return false;
    if (field.isEmpty())
        return true;
    const QJsonArray errors = r.json().value(QStringLiteral("errors")).toArray();
    for (const QJsonValue &e : errors)
        if (e.toObject().value(QStringLiteral("field")).toString() == field)
            return true;
    return false;
}

QString describe(const HttpResult &r)
{
    return QString::number(r.status) + QLatin1Char(' ') + QString::fromUtf8(r.body);
}

} // namespace

class TstFilesTus : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;
    Account m_bob;

    HttpResult tus(const QByteArray &method, const QString &path, const Account &who, const QByteArray &body = {},
                   Headers headers = {})
    {
        headers.prepend({"Tus-Resumable", "1.0.0"});
        return m_http.call(method, path, who.token, body, headers);
    }
    /// Creates an upload; its path ("/v1/files/tus/7"), empty on failure.
    QString create(const Account &who, qint64 length, const QByteArray &purpose = "attachment",
                   const QByteArray &name = "notes.txt")
    {
        auto r = tus("POST", QStringLiteral("/v1/files/tus"), who, {},
                     {{"Upload-Length", QByteArray::number(length)}, {"Upload-Metadata", metadata(purpose, name)}});
        if (r.status != 201)
            qWarning() << "create" << r.status << r.body;
        return QString::fromLatin1(r.header("Location"));
    }
    HttpResult patch(const Account &who, const QString &path, qint64 offset, const QByteArray &chunk, Headers extra = {})
    {
        extra.prepend({"Upload-Offset", QByteArray::number(offset)});
        extra.prepend({"Content-Type", "application/offset+octet-stream"});
        return tus("PATCH", path, who, chunk, extra);
    }
    qint64 offsetOf(const Account &who, const QString &path)
    {
        auto r = tus("HEAD", path, who);
        return r.status == 200 ? r.header("Upload-Offset").toLongLong() : -r.status;
    }
    QString tusDir() const { return m_http.daemon.dataDir() + QStringLiteral("/files/tus"); }
    QStringList partFiles() const { return QDir(tusDir()).entryList(QDir::Files); }
    int spoolCount() const { return Files::Test::spoolCount(m_http.daemon.dataDir()); }
    int blobCount() const { return Files::Test::blobCount(m_http.daemon.dataDir()); }
    static QByteArray text(int bytes, char seed = 'a')
    {
        QByteArray t;
        t.reserve(bytes);
        for (int i = 0; t.size() < bytes; ++i)
            t += QByteArray::number(i * 7919 + seed) + (i % 9 == 8 ? "\n" : " ");
        return t.left(bytes);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = Files::Test::startWithAnnAndBob(
            m_http, {QStringLiteral("plugins.files.purposes.avatar.maxBytes=65536"),
                     QStringLiteral("plugins.files.quotaBytes=20000000"),
                     QStringLiteral("plugins.files.tus.maxUploadsPerUser=8")}, m_ann, m_bob);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void optionsAnnouncesTheServer()
    {
        auto r = m_http.call("OPTIONS", QStringLiteral("/v1/files/tus"));
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Tus-Resumable"), QByteArray("1.0.0"));
        QCOMPARE(r.header("Tus-Version"), QByteArray("1.0.0"));
        QCOMPARE(r.header("Tus-Extension"), QByteArray("creation,termination,checksum,expiration"));
        QCOMPARE(r.header("Tus-Checksum-Algorithm"), QByteArray("sha1,sha256"));
        QCOMPARE(r.header("Tus-Max-Size").toLongLong(), 100LL * 1024 * 1024);   // the attachment limit
    }

    // The real client: complete, interrupted + resumed (same SHA-256 as the source),
    // checksums, mismatch (460), wrong offset (409), termination, another user's 404.
    void tusJsClient()
    {
        const QString tools = QString::fromLocal8Bit(qgetenv("COMMUNITY_SOURCE_DIR")) + QStringLiteral("/tests/tools");
        QVERIFY2(QFileInfo::exists(tools + QStringLiteral("/node_modules/tus-js-client/package.json")),
                 "tus-js-client is not installed: run `npm ci` in tests/tools");
        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BASE"), m_http.daemon.baseUrl().toString(QUrl::StripTrailingSlash));
        env.insert(QStringLiteral("TOKEN_A"), QString::fromLatin1(m_ann.token));
        env.insert(QStringLiteral("TOKEN_B"), QString::fromLatin1(m_bob.token));
        node.setProcessEnvironment(env);
        node.setWorkingDirectory(tools);
        node.setProcessChannelMode(QProcess::MergedChannels);
        node.start(QStringLiteral("node"), {QStringLiteral("tus-check.mjs")});
        QVERIFY(node.waitForFinished(120'000));
        const QByteArray out = node.readAll();
        qInfo().noquote() << out;
        QVERIFY2(node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0, out.constData());
        QVERIFY(out.contains("8 passed, 0 failed"));
        // Completed uploads' data went into the store, terminated ones were removed.
        QTRY_COMPARE_WITH_TIMEOUT(partFiles(), QStringList(), 3000);
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 3000);
    }

    void rawUploadInTwoChunks()
    {
        const QByteArray data = text(70000);
        const QString path = create(m_ann, data.size());
        QVERIFY(path.startsWith(QStringLiteral("/v1/files/tus/")));
        auto h = tus("HEAD", path, m_ann);
        QCOMPARE(h.status, 200);
        QCOMPARE(h.header("Upload-Offset"), QByteArray("0"));
        QCOMPARE(h.header("Upload-Length"), QByteArray::number(data.size()));
        QCOMPARE(h.header("Cache-Control"), QByteArray("no-store"));
        QCOMPARE(h.header("Tus-Resumable"), QByteArray("1.0.0"));
        QVERIFY(!h.header("Upload-Expires").isEmpty());
        auto p1 = patch(m_ann, path, 0, data.left(30000),
                        {{"Upload-Checksum", "sha256 " + QCryptographicHash::hash(data.left(30000), QCryptographicHash::Sha256).toBase64()}});
        QCOMPARE(p1.status, 204);
        QCOMPARE(p1.header("Upload-Offset"), QByteArray("30000"));
        QCOMPARE(p1.header("Tus-Resumable"), QByteArray("1.0.0"));
        QVERIFY(p1.header("Upload-File-Id").isEmpty());
        auto p2 = patch(m_ann, path, 30000, data.mid(30000));
        QCOMPARE(p2.status, 204);
        QCOMPARE(p2.header("Upload-Offset"), QByteArray::number(data.size()));
        const QByteArray fileId = p2.header("Upload-File-Id");
        QVERIFY(!fileId.isEmpty());
        auto meta = m_http.call("GET", QStringLiteral("/v1/files/") + QString::fromLatin1(fileId), m_ann.token);
        QCOMPARE(meta.status, 200);
        QCOMPARE(meta.json().value("name").toString(), QStringLiteral("notes.txt"));
        QCOMPARE(meta.json().value("purpose").toString(), QStringLiteral("attachment"));
        QCOMPARE(meta.json().value("sha256").toString().toLatin1(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
        // HEAD still names the file; more bytes are refused.
        QCOMPARE(tus("HEAD", path, m_ann).header("Upload-File-Id"), fileId);
        QVERIFY(tusProblem(patch(m_ann, path, data.size(), "x"), 409, QStringLiteral("upload-complete")));
        QCOMPARE(partFiles(), QStringList());
    }

    void creationRefusals_data()
    {
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QString>("field");
        const QByteArray ok = metadata("attachment", "a.txt");
        QTest::newRow("no Tus-Resumable") << Headers{{"Tus-Resumable", ""}, {"Upload-Length", "10"}, {"Upload-Metadata", ok}}
                                          << 412 << "tus-version-unsupported" << "Tus-Resumable";
        QTest::newRow("old version") << Headers{{"Tus-Resumable", "0.2.2"}, {"Upload-Length", "10"}, {"Upload-Metadata", ok}}
                                     << 412 << "tus-version-unsupported" << "Tus-Resumable";
        QTest::newRow("no length") << Headers{{"Upload-Metadata", ok}} << 400 << "validation" << "Upload-Length";
        QTest::newRow("negative length") << Headers{{"Upload-Length", "-5"}, {"Upload-Metadata", ok}} << 400 << "validation" << "Upload-Length";
        QTest::newRow("zero length") << Headers{{"Upload-Length", "0"}, {"Upload-Metadata", ok}} << 400 << "validation" << "Upload-Length";
        QTest::newRow("deferred length") << Headers{{"Upload-Defer-Length", "1"}, {"Upload-Metadata", ok}} << 400 << "validation" << "Upload-Defer-Length";
        QTest::newRow("metadata not base64") << Headers{{"Upload-Length", "10"}, {"Upload-Metadata", "purpose !!!"}} << 400 << "validation" << "Upload-Metadata";
        QTest::newRow("metadata key twice") << Headers{{"Upload-Length", "10"}, {"Upload-Metadata", ok + ",purpose " + b64("avatar")}} << 400 << "validation" << "Upload-Metadata";
        QTest::newRow("no purpose") << Headers{{"Upload-Length", "10"}, {"Upload-Metadata", "filename " + b64("a.txt")}} << 400 << "validation" << "Upload-Metadata.purpose";
        QTest::newRow("unknown purpose") << Headers{{"Upload-Length", "10"}, {"Upload-Metadata", metadata("banner", "a.txt")}} << 400 << "validation" << "Upload-Metadata.purpose";
        QTest::newRow("path traversal") << Headers{{"Upload-Length", "10"}, {"Upload-Metadata", metadata("attachment", "../../etc/passwd")}} << 400 << "validation" << "Upload-Metadata.filename";
        QTest::newRow("over the purpose's limit") << Headers{{"Upload-Length", "65537"}, {"Upload-Metadata", metadata("avatar", "a.png")}} << 413 << "payload-too-large" << "";
        QTest::newRow("over the quota") << Headers{{"Upload-Length", "20000001"}, {"Upload-Metadata", ok}} << 413 << "quota-exceeded" << "";
    }
    void creationRefusals()
    {
        QFETCH(Headers, headers);
        QFETCH(int, status);
        QFETCH(QString, slug);
        QFETCH(QString, field);
        Headers h = headers;
        if (!h.isEmpty() && h.first().first == "Tus-Resumable") {
            if (h.first().second.isEmpty())
                h.removeFirst();
        } else {
            h.prepend({"Tus-Resumable", "1.0.0"});
        }
        const QStringList before = partFiles();
        auto r = m_http.call("POST", QStringLiteral("/v1/files/tus"), m_ann.token, {}, h);
        QVERIFY2(tusProblem(r, status, slug, field), qPrintable(describe(r)));
        if (status == 412)
            QCOMPARE(r.header("Tus-Version"), QByteArray("1.0.0"));
        QCOMPARE(partFiles(), before);
    }

    void anonymousCannotCreate()
    {
        auto r = m_http.call("POST", QStringLiteral("/v1/files/tus"), {}, {},
                             {{"Tus-Resumable", "1.0.0"}, {"Upload-Length", "10"}, {"Upload-Metadata", metadata("attachment", "a.txt")}});
        QCOMPARE(r.status, 401);
        // Refusals given before the route's handler runs speak tus too (Tus-Resumable on
        // every answer): the pipeline's 401, and the body gate's 401 before a PATCH body.
        QCOMPARE(r.header("Tus-Resumable"), QByteArray("1.0.0"));
        const QString path = create(m_ann, 10);
        QVERIFY(!path.isEmpty());
        auto anonymousPatch = m_http.call("PATCH", path, {}, "0123456789",
                                          {{"Tus-Resumable", "1.0.0"}, {"Upload-Offset", "0"}, {"Content-Type", "application/offset+octet-stream"}});
        QCOMPARE(anonymousPatch.status, 401);
        QCOMPARE(anonymousPatch.header("Tus-Resumable"), QByteArray("1.0.0"));
        QCOMPARE(tus("DELETE", path, m_ann).status, 204);
    }

    void patchRefusals()
    {
        const QByteArray data = text(5000);
        const QString path = create(m_ann, data.size());
        QVERIFY(!path.isEmpty());
        // Wrong media type, missing or bad headers, wrong offset, too many bytes, bad
        // checksums: each refused, the offset unchanged, no spool file left.
        auto wrongType = tus("PATCH", path, m_ann, data.left(10), {{"Upload-Offset", "0"}, {"Content-Type", "application/octet-stream"}});
        QVERIFY2(tusProblem(wrongType, 415, QStringLiteral("unsupported-media-type")), qPrintable(describe(wrongType)));   // the pipeline's
        QVERIFY2(tusProblem(tus("PATCH", path, m_ann, data.left(10), {{"Content-Type", "application/offset+octet-stream"}}),
                            400, QStringLiteral("validation"), QStringLiteral("Upload-Offset")), "no offset");
        QVERIFY(tusProblem(tus("PATCH", path, m_ann, data.left(10), {{"Upload-Offset", "ten"}, {"Content-Type", "application/offset+octet-stream"}}),
                           400, QStringLiteral("validation"), QStringLiteral("Upload-Offset")));
        QVERIFY(tusProblem(patch(m_ann, path, 7, data.left(10)), 409, QStringLiteral("upload-offset-mismatch"), QStringLiteral("Upload-Offset")));
        QVERIFY(tusProblem(patch(m_ann, path, 0, data.left(10), {{"Upload-Checksum", "md5 " + b64("0123456789abcdef")}}),
                           400, QStringLiteral("validation"), QStringLiteral("Upload-Checksum")));
        QVERIFY(tusProblem(patch(m_ann, path, 0, data.left(10), {{"Upload-Checksum", "sha1 abc"}}), 400, QStringLiteral("validation"), QStringLiteral("Upload-Checksum")));
        QVERIFY(tusProblem(patch(m_ann, path, 0, data.left(10), {{"Upload-Checksum", "sha1 " + QCryptographicHash::hash("x", QCryptographicHash::Sha1).toBase64()}}),
                           460, QStringLiteral("checksum-mismatch")));
        QVERIFY(tusProblem(m_http.call("PATCH", path, m_ann.token, data.left(10),
                                       {{"Tus-Resumable", "2.0.0"}, {"Upload-Offset", "0"}, {"Content-Type", "application/offset+octet-stream"}}),
                           412, QStringLiteral("tus-version-unsupported"), QStringLiteral("Tus-Resumable")));
        // More than the announced length: refused before the body is read (Content-Length).
        auto tooLong = patch(m_ann, path, 0, data + "extra");
        QVERIFY2(tusProblem(tooLong, 413, QStringLiteral("payload-too-large")), qPrintable(describe(tooLong)));   // the HTTP layer's
        QCOMPARE(offsetOf(m_ann, path), 0);
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 2000);
        QCOMPARE(QFileInfo(tusDir() + QStringLiteral("/") + path.section(QLatin1Char('/'), -1) + QStringLiteral(".part")).size(), 0);
        // Another user: 404 for every method; the owner can still use it.
        auto foreignHead = tus("HEAD", path, m_bob);   // (a HEAD answer has no body)
        QCOMPARE(foreignHead.status, 404);
        QCOMPARE(foreignHead.header("Tus-Resumable"), QByteArray("1.0.0"));
        QVERIFY(tusProblem(patch(m_bob, path, 0, data), 404, QStringLiteral("not-found")));
        QVERIFY(tusProblem(tus("DELETE", path, m_bob), 404, QStringLiteral("not-found")));
        // An admin sees it (and could terminate it).
        QCOMPARE(tus("HEAD", path, m_http.admin).status, 200);
        QCOMPARE(tus("HEAD", QStringLiteral("/v1/files/tus/999999"), m_ann).status, 404);
        QCOMPARE(tus("HEAD", QStringLiteral("/v1/files/tus/abc"), m_ann).status, 404);
        auto done = patch(m_ann, path, 0, data);
        QCOMPARE(done.status, 204);
        // Terminating a completed upload forgets the upload, not the file it became.
        QCOMPARE(tus("DELETE", path, m_ann).status, 204);
        QCOMPARE(tus("HEAD", path, m_ann).status, 404);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/files/") + QString::fromLatin1(done.header("Upload-File-Id")), m_ann.token).status, 200);
    }

    // An interrupted PATCH: the bytes that arrived before the connection dropped are not
    // kept (docs/adr/0029); the client resumes from the last complete PATCH.
    void interruptedPatchKeepsTheLastCompleteOffset()
    {
        const QByteArray data = text(200000, 'q');
        const QString path = create(m_ann, data.size());
        QCOMPARE(patch(m_ann, path, 0, data.left(50000)).status, 204);
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, quint16(m_http.daemon.baseUrl().port()));
        QVERIFY(raw.waitForConnected(5000));
        raw.write("PATCH " + path.toLatin1() + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + m_ann.token
                  + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 50000\r\nContent-Type: application/offset+octet-stream\r\n"
                    "Content-Length: 150000\r\n\r\n");
        raw.write(data.mid(50000, 60000));
        QVERIFY(raw.waitForBytesWritten(5000));
        QTRY_VERIFY_WITH_TIMEOUT(spoolCount() == 1, 3000);   // the chunk is being received
        raw.abort();
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 3000);
        QCOMPARE(offsetOf(m_ann, path), 50000);
        const QString part = tusDir() + QStringLiteral("/") + path.section(QLatin1Char('/'), -1) + QStringLiteral(".part");
        QCOMPARE(QFileInfo(part).size(), 50000);
        auto rest = patch(m_ann, path, 50000, data.mid(50000));
        QCOMPARE(rest.status, 204);
        const QByteArray fileId = rest.header("Upload-File-Id");
        auto content = m_http.call("GET", QStringLiteral("/v1/files/%1/content").arg(QString::fromLatin1(fileId)), m_ann.token);
        QCOMPARE(content.status, 200);
        QCOMPARE(QCryptographicHash::hash(content.body, QCryptographicHash::Sha256), QCryptographicHash::hash(data, QCryptographicHash::Sha256));
        QVERIFY(!QFile::exists(part));
    }

    // The assembled file goes through the same checks as a raw upload; a refusal removes
    // the upload and its data.
    void refusedContentLeavesNothing()
    {
        const int blobs = blobCount();
        const QByteArray image = svg();
        const QString path = create(m_ann, image.size(), "post_image", "x.png");
        auto r = patch(m_ann, path, 0, image);
        QVERIFY2(tusProblem(r, 415, QStringLiteral("svg-refused")), qPrintable(describe(r)));
        QCOMPARE(tus("HEAD", path, m_ann).status, 404);
        const QByteArray j = jpeg();
        const QString poly = create(m_ann, j.size() + zip().size(), "post_image", "y.jpg");
        QCOMPARE(patch(m_ann, poly, 0, j).status, 204);
        r = patch(m_ann, poly, j.size(), zip());
        QVERIFY2(tusProblem(r, 422, QStringLiteral("polyglot-file")), qPrintable(describe(r)));
        QCOMPARE(blobCount(), blobs);
        QCOMPARE(partFiles(), QStringList());
        QTRY_COMPARE_WITH_TIMEOUT(spoolCount(), 0, 2000);
    }

    void imagesAreReencodedLikeRawUploads()
    {
        const QByteArray img = png(40, 30);
        const QString path = create(m_ann, img.size(), "post_image", "pic.png");
        auto r = patch(m_ann, path, 0, img);
        QCOMPARE(r.status, 204);
        auto meta = m_http.call("GET", QStringLiteral("/v1/files/") + QString::fromLatin1(r.header("Upload-File-Id")));
        QCOMPARE(meta.json().value("mediaType").toString(), QStringLiteral("image/png"));
        QCOMPARE(meta.json().value("name").toString(), QStringLiteral("pic.png"));
    }

    void unfinishedUploadsAreLimited()
    {
        Account cat = m_http.registerUser(QStringLiteral("cat"));
        QStringList paths;
        for (int i = 0; i < 8; ++i)
            paths << create(cat, 1000);
        QVERIFY(!paths.contains(QString()));
        auto r = tus("POST", QStringLiteral("/v1/files/tus"), cat, {},
                     {{"Upload-Length", "1000"}, {"Upload-Metadata", metadata("attachment", "a.txt")}});
        QVERIFY2(tusProblem(r, 409, QStringLiteral("too-many-uploads")), qPrintable(describe(r)));
        for (const QString &p : paths)
            QCOMPARE(tus("DELETE", p, cat).status, 204);
        QCOMPARE(partFiles(), QStringList());
    }

    // Abandoned uploads expire: Upload-Expires says when, the sweep removes row and data.
    void expiredUploadsAreSwept()
    {
        UsersHttp other;
        other.extraSets << QStringLiteral("plugins.files.tus.expirySeconds=2") << QStringLiteral("plugins.files.tus.sweepSeconds=1");
        QString error;
        QVERIFY2(other.start(&error), qPrintable(error));
        Account dan = other.registerUser(QStringLiteral("dan"));
        auto created = other.call("POST", QStringLiteral("/v1/files/tus"), dan.token, {},
                                  {{"Tus-Resumable", "1.0.0"}, {"Upload-Length", "1000"}, {"Upload-Metadata", metadata("attachment", "a.txt")}});
        QCOMPARE(created.status, 201);
        QDateTime expires = QLocale::c().toDateTime(QString::fromLatin1(created.header("Upload-Expires")),
                                                    QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        expires.setTimeZone(QTimeZone::utc());
        QVERIFY2(expires.isValid(), created.header("Upload-Expires").constData());
        QVERIFY(qAbs(expires.secsTo(QDateTime::currentDateTimeUtc()) + 2) <= 2);
        const QString path = QString::fromLatin1(created.header("Location"));
        QCOMPARE(other.call("PATCH", path, dan.token, text(100),
                            {{"Tus-Resumable", "1.0.0"}, {"Upload-Offset", "0"}, {"Content-Type", "application/offset+octet-stream"}}).status, 204);
        const QString dir = other.daemon.dataDir() + QStringLiteral("/files/tus");
        QCOMPARE(QDir(dir).entryList(QDir::Files).size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(QDir(dir).entryList(QDir::Files).size(), 0, 8000);
        QCOMPARE(other.call("HEAD", path, dan.token, {}, {{"Tus-Resumable", "1.0.0"}}).status, 404);
        QCOMPARE(other.daemon.stop(), 0);
    }
};

QTEST_MAIN(TstFilesTus)
#include "tst_filestus.moc"
