// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Downloads over real HTTP: headers every user file carries, Range (single, multiple,
// unsatisfiable), If-Range, ETag/If-None-Match, private attachments, signed URLs.

#include "testimages.h"
#include "usershttp.h"

#include <QCryptographicHash>
#include <QImage>
#include <QJsonArray>
#include <QThread>

using namespace Users::Test;
using namespace Files::Test;

class TstFilesDownload : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;
    Account m_bob;
    QByteArray m_data;      // 10000 bytes of text, a private attachment of Ann's
    QString m_private;      // its id
    QString m_public;       // a public post image of Ann's
    QByteArray m_image;

    HttpResult get(const QString &path, const QByteArray &token = {}, QList<QPair<QByteArray, QByteArray>> h = {})
    {
        return m_http.call("GET", path, token, {}, std::move(h));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        for (int i = 0; i < 10000; ++i)
            m_data.append(char('a' + i % 26));
        auto r = m_http.call("POST", QStringLiteral("/v1/files?purpose=attachment&name=%1")
                                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("보고서 \"final\".txt")))),
                             m_ann.token, m_data, {{"Content-Type", "text/plain"}});
        QCOMPARE(r.status, 201);
        m_private = r.json().value("id").toString();
        m_image = jpeg();
        r = m_http.call("POST", QStringLiteral("/v1/files?purpose=post_image&name=cat.jpg"), m_ann.token, m_image, {{"Content-Type", "application/octet-stream"}});
        QCOMPARE(r.status, 201);
        m_public = r.json().value("id").toString();
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void publicFileHeaders()
    {
        auto r = get("/v1/files/" + m_public + "/content");
        QCOMPARE(r.status, 200);
        QCOMPARE(QImage::fromData(r.body).size(), QImage::fromData(m_image).size());   // re-encoded, metadata-free
        QCOMPARE(QCryptographicHash::hash(r.body, QCryptographicHash::Sha256).toHex(),
                 get("/v1/files/" + m_public).json().value("sha256").toString().toLatin1());
        QCOMPARE(r.header("content-type"), QByteArray("image/jpeg"));
        QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(r.header("content-security-policy"), QByteArray("default-src 'none'; sandbox"));
        QCOMPARE(r.header("cache-control"), QByteArray("public, max-age=31536000, immutable"));
        QCOMPARE(r.header("accept-ranges"), QByteArray("bytes"));
        QCOMPARE(r.header("content-disposition"), QByteArray("inline; filename=\"cat.jpg\""));
        QVERIFY(r.header("etag").startsWith('"'));
        auto meta = get("/v1/files/" + m_public);
        QCOMPARE(meta.json().value("mediaType").toString(), QStringLiteral("image/jpeg"));
    }

    void notModified()
    {
        const QByteArray etag = get("/v1/files/" + m_public + "/content").header("etag");
        auto r = get("/v1/files/" + m_public + "/content", {}, {{"If-None-Match", etag}});
        QCOMPARE(r.status, 304);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(r.header("etag"), etag);
        QCOMPARE(get("/v1/files/" + m_public + "/content", {}, {{"If-None-Match", "\"other\""}}).status, 200);
    }

    void singleRange()
    {
        auto r = get("/v1/files/" + m_private + "/content", m_ann.token, {{"Range", "bytes=100-199"}});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, m_data.mid(100, 100));
        QCOMPARE(r.header("content-range"), QByteArray("bytes 100-199/10000"));
        auto tail = get("/v1/files/" + m_private + "/content", m_ann.token, {{"Range", "bytes=-10"}});
        QCOMPARE(tail.status, 206);
        QCOMPARE(tail.body, m_data.right(10));
    }

    void multipleRanges()
    {
        auto r = get("/v1/files/" + m_private + "/content", m_ann.token, {{"Range", "bytes=0-4,9995-"}});
        QCOMPARE(r.status, 206);
        const QByteArray ct = r.header("content-type");
        QVERIFY2(ct.startsWith("multipart/byteranges; boundary="), ct.constData());
        const QByteArray boundary = ct.mid(ct.indexOf('=') + 1);
        const QByteArray expected = "--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-4/10000\r\n\r\n"
                                    + m_data.left(5) + "\r\n--" + boundary
                                    + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 9995-9999/10000\r\n\r\n"
                                    + m_data.right(5) + "\r\n--" + boundary + "--\r\n";
        QCOMPARE(r.body, expected);
    }

    void unsatisfiableAndIfRange()
    {
        auto r = get("/v1/files/" + m_private + "/content", m_ann.token, {{"Range", "bytes=20000-"}});
        QCOMPARE(r.status, 416);
        QCOMPARE(r.header("content-range"), QByteArray("bytes */10000"));
        const QByteArray etag = r.header("etag");
        auto same = get("/v1/files/" + m_private + "/content", m_ann.token, {{"Range", "bytes=0-9"}, {"If-Range", etag}});
        QCOMPARE(same.status, 206);
        auto changed = get("/v1/files/" + m_private + "/content", m_ann.token, {{"Range", "bytes=0-9"}, {"If-Range", "\"old\""}});
        QCOMPARE(changed.status, 200);
        QCOMPARE(changed.body, m_data);
    }

    void privateFilesOnlyForTheOwner()
    {
        const QString path = "/v1/files/" + m_private + "/content";
        QVERIFY(isProblem(get(path), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(get(path, m_bob.token), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(get("/v1/files/" + m_private, m_bob.token), 404, QStringLiteral("not-found")));
        auto own = get(path, m_ann.token);
        QCOMPARE(own.status, 200);
        QCOMPARE(own.header("cache-control"), QByteArray("private, max-age=31536000, immutable"));
        // Safe name: quotes replaced in the ASCII fallback, the real name in filename*.
        QCOMPARE(own.header("content-disposition"),
                 QByteArray("attachment; filename=\"___ _final_.txt\"; filename*=UTF-8''"
                            "%EB%B3%B4%EA%B3%A0%EC%84%9C%20%22final%22.txt"));
        QCOMPARE(get(path, m_http.admin.token).status, 200);
    }

    void signedUrls()
    {
        // Bob cannot sign Ann's private file.
        QCOMPARE(m_http.call("POST", "/v1/files/" + m_private + "/signed-url", m_bob.token, "{}").status, 404);
        auto s = m_http.call("POST", "/v1/files/" + m_private + "/signed-url", m_ann.token, "{\"expiresIn\":60}");
        QCOMPARE(s.status, 200);
        const QString url = s.json().value("url").toString();
        QVERIFY(url.startsWith("/v1/files/" + m_private + "/content?expires="));
        auto anon = get(url);
        QCOMPARE(anon.status, 200);
        QCOMPARE(anon.body, m_data);
        QString tampered = url;
        tampered.replace(QStringLiteral("sig="), QStringLiteral("sig=0"));
        QVERIFY(isProblem(get(tampered), 403, QStringLiteral("signature-invalid")));
        // A signature for one file does not open another.
        QString other = url;
        other.replace("/v1/files/" + m_private + "/", "/v1/files/" + m_public + "/");
        QVERIFY(isProblem(get(other), 403, QStringLiteral("signature-invalid")));
        auto shortLived = m_http.call("POST", "/v1/files/" + m_private + "/signed-url", m_ann.token, "{\"expiresIn\":1}");
        QThread::sleep(2);
        QVERIFY(isProblem(get(shortLived.json().value("url").toString()), 403, QStringLiteral("signature-expired")));
        auto bad = m_http.call("POST", "/v1/files/" + m_private + "/signed-url", m_ann.token, "{\"expiresIn\":0}");
        QVERIFY(isProblem(bad, 400, QStringLiteral("validation")));
    }
};

QTEST_MAIN(TstFilesDownload)
#include "tst_filesdownload.moc"
