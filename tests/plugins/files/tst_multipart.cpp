// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The streaming multipart/form-data parser (RFC 7578 / RFC 2046 framing): a table of
// bodies, each fed whole, a byte at a time and in 7-byte slices, which must all agree;
// boundaries from Content-Type; file names (quoted, RFC 5987 filename*, paths cut).

#include "multipart.h"
#include "multipartupload.h"

#include "community/http.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

using namespace Files;

namespace {

/// Peak resident memory of this process (VmHWM, kB).
qint64 peakRssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

struct Parsed {
    bool ok = false;
    QString code;                 ///< the field error's code on failure
    QStringList parts;            ///< "name|filename|type|content" per part
};

Parsed parse(const QByteArray &body, const QByteArray &boundary, qsizetype slice)
{
    Parsed out;
    QString current;
    QByteArray content;
    MultipartParser::Handlers h;
    h.begin = [&](const MultipartPart &p) -> Community::Result<void> {
        current = p.name + QLatin1Char('|') + p.filename.value_or(QStringLiteral("-")) + QLatin1Char('|')
                  + QString::fromLatin1(p.contentType);
        content.clear();
        return {};
    };
    h.data = [&](const char *d, qsizetype n) -> Community::Result<void> {
        content.append(d, n);
        return {};
    };
    h.end = [&]() -> Community::Result<void> {
        out.parts << current + QLatin1Char('|') + QString::fromLatin1(content);
        return {};
    };
    MultipartParser parser(boundary, h, MultipartLimits{256, 4, 64});
    bool fed = true;
    for (qsizetype at = 0; fed && at < body.size(); at += slice)
        fed = parser.feed(body.constData() + at, qMin(slice, body.size() - at));
    out.ok = fed && parser.finish();
    if (!out.ok)
        out.code = parser.error().fields.value(0).code;
    return out;
}

} // namespace

class TstMultipart : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");       // empty: accepted
        QTest::addColumn<QStringList>("parts");
        const QByteArray file = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                                "Content-Type: text/plain\r\n\r\nhello\r\n";
        QTest::newRow("one file") << file + "--XyZ--\r\n" << QString() << QStringList{"file|a.txt|text/plain|hello"};
        QTest::newRow("closing without CRLF") << file + "--XyZ--" << QString() << QStringList{"file|a.txt|text/plain|hello"};
        QTest::newRow("preamble and epilogue")
            << "ignored preamble\r\n" + file + "--XyZ--\r\nepilogue --XyZ junk" << QString() << QStringList{"file|a.txt|text/plain|hello"};
        QTest::newRow("field and file")
            << "--XyZ\r\nContent-Disposition: form-data; name=purpose\r\n\r\nattachment\r\n" + file + "--XyZ--\r\n" << QString()
            << QStringList{"purpose|-||attachment", "file|a.txt|text/plain|hello"};
        QTest::newRow("content with CRLF and near-delimiters")
            << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b\"\r\n\r\nline\r\n--XyY\r\n--Xy\r\n\r\n--XyZ--\r\n")
            << QString() << QStringList{"file|b||line\r\n--XyY\r\n--Xy\r\n"};
        QTest::newRow("empty content")
            << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e\"\r\n\r\n\r\n--XyZ--") << QString()
            << QStringList{"file|e||"};
        QTest::newRow("transport padding") << QByteArray("--XyZ  \r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nv\r\n--XyZ--")
                                           << QString() << QStringList{"n|-||v"};
        QTest::newRow("escaped quote in filename")
            << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"say \\\"hi\\\".txt\"\r\n\r\nx\r\n--XyZ--")
            << QString() << QStringList{"file|say \"hi\".txt||x"};
        QTest::newRow("windows path kept for baseFileName")
            << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\Users\\x\\evil.txt\"\r\n\r\nx\r\n--XyZ--")
            << QString() << QStringList{"file|C:\\Users\\x\\evil.txt||x"};
        QTest::newRow("filename* wins")
            << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"EUR rates.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\nx\r\n--XyZ--")
            << QString() << QStringList{QString::fromUtf8("file|€ rates.txt||x")};
        QTest::newRow("filename* latin-1")
            << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename*=iso-8859-1'de'%E4.txt\r\n\r\nx\r\n--XyZ--")
            << QString() << QStringList{QString::fromUtf8("file|ä.txt||x")};

        QTest::newRow("truncated in content") << file.left(file.size() - 4) << "truncated" << QStringList();
        QTest::newRow("truncated before closing") << file << "truncated" << QStringList();
        QTest::newRow("truncated in headers") << QByteArray("--XyZ\r\nContent-Disposition: form-da") << "truncated" << QStringList();
        QTest::newRow("empty body") << QByteArray() << "no_boundary" << QStringList();
        QTest::newRow("another boundary") << QByteArray("--Other\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--Other--") << "no_boundary" << QStringList();
        QTest::newRow("no boundary at all") << QByteArray(300, 'a') << "no_boundary" << QStringList();
        QTest::newRow("no parts") << QByteArray("--XyZ--\r\n") << "no_parts" << QStringList();
        QTest::newRow("bare LF") << QByteArray("--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nv\n--XyZ--\n") << "bad_delimiter" << QStringList();
        QTest::newRow("boundary followed by junk") << "--XyZjunk\r\n" + file.mid(7) + "--XyZ--" << "bad_delimiter" << QStringList();
        QTest::newRow("no disposition") << QByteArray("--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--") << "bad_disposition" << QStringList();
        QTest::newRow("not form-data") << QByteArray("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--XyZ--") << "bad_disposition" << QStringList();
        QTest::newRow("no name") << QByteArray("--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nv\r\n--XyZ--") << "bad_disposition" << QStringList();
        QTest::newRow("unclosed quote") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--") << "bad_disposition" << QStringList();
        QTest::newRow("parameter twice") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--") << "bad_disposition" << QStringList();
        QTest::newRow("bad filename*") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=file; filename*=UTF-8''%E2%8\r\n\r\nv\r\n--XyZ--") << "bad_filename" << QStringList();
        QTest::newRow("filename* not UTF-8") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=file; filename*=UTF-8''%FF\r\n\r\nv\r\n--XyZ--") << "bad_filename" << QStringList();
        QTest::newRow("folded header") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: text/plain;\r\n charset=x\r\n\r\nv\r\n--XyZ--") << "bad_part_header" << QStringList();
        QTest::newRow("control character in header") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\nv\r\n--XyZ--") << "bad_part_header" << QStringList();
        QTest::newRow("headers too large") << "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX: " + QByteArray(300, 'x') + "\r\n\r\nv\r\n--XyZ--" << "headers_too_large" << QStringList();
        QByteArray many;
        for (int i = 0; i < 5; ++i)
            many += "--XyZ\r\nContent-Disposition: form-data; name=f" + QByteArray::number(i) + "\r\n\r\nv\r\n";
        QTest::newRow("too many parts") << many + "--XyZ--" << "too_many_parts" << QStringList();
    }
    void bodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QStringList, parts);
        for (qsizetype slice : {body.size() + 1, qsizetype(1), qsizetype(7)}) {
            const Parsed p = parse(body, "XyZ", qMax<qsizetype>(slice, 1));
            QCOMPARE(p.ok, code.isEmpty());
            QCOMPARE(p.code, code);
            if (p.ok)
                QCOMPARE(p.parts, parts);
        }
    }

    void boundaries_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("boundary");   // empty: refused; "-": not multipart
        QTest::newRow("token") << QByteArray("multipart/form-data; boundary=abc123") << QByteArray("abc123");
        QTest::newRow("quoted with space") << QByteArray("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"") << QByteArray("a b:c");
        QTest::newRow("curl's") << QByteArray("multipart/form-data; boundary=------------------------d74496d66958873e") << QByteArray("------------------------d74496d66958873e");
        QTest::newRow("70 characters") << "multipart/form-data; boundary=" + QByteArray(70, 'b') << QByteArray(70, 'b');
        QTest::newRow("71 characters") << "multipart/form-data; boundary=" + QByteArray(71, 'b') << QByteArray();
        QTest::newRow("missing") << QByteArray("multipart/form-data") << QByteArray();
        QTest::newRow("empty") << QByteArray("multipart/form-data; boundary=\"\"") << QByteArray();
        QTest::newRow("ends in space") << QByteArray("multipart/form-data; boundary=\"abc \"") << QByteArray();
        QTest::newRow("bad character") << QByteArray("multipart/form-data; boundary=\"ab\\\"c\"") << QByteArray();
        QTest::newRow("octet-stream") << QByteArray("application/octet-stream") << QByteArray("-");
        QTest::newRow("mixed") << QByteArray("multipart/mixed; boundary=abc") << QByteArray("-");
    }
    void boundaries()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, boundary);
        const auto b = multipartBoundary(contentType);
        if (boundary == "-") {
            QVERIFY(!b);
            return;
        }
        QVERIFY(b);
        if (boundary.isEmpty()) {
            QVERIFY(!*b);
            QCOMPARE(b->error().fields.value(0).code, QStringLiteral("bad_boundary"));
            QCOMPARE(b->error().type, QStringLiteral("malformed-multipart"));
        } else {
            QVERIFY(*b);
            QCOMPARE(**b, boundary);
        }
    }

    // readMultipartUpload() streams over the spooled body: a 64 MiB form is read with the
    // process's peak RSS growing by a small fraction of it, and the extracted file is the
    // one that was sent, byte for byte.
    void spooledFormIsReadWithBoundedMemory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString spool = dir.filePath(QStringLiteral("body"));
        QFile out(spool);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCryptographicHash sent(QCryptographicHash::Sha256);
        out.write("--b0und\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nattachment\r\n"
                  "--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dir/big.bin\"\r\n"
                  "Content-Type: application/octet-stream\r\n\r\n");
        QByteArray chunk(64 * 1024, Qt::Uninitialized);
        for (int i = 0; i < 1024; ++i) {   // 64 MiB, with near-delimiters ("\r\n--b0un") inside
            for (qsizetype j = 0; j < chunk.size(); ++j)
                chunk[j] = char((i * 131 + j * 7) & 0xff);
            chunk.replace(1000, 9, "\r\n--b0unX");   // (never the boundary itself)
            sent.addData(chunk);
            out.write(chunk);
        }
        out.write("\r\n--b0und--\r\n");
        const qint64 size = out.size();
        out.close();

        const qint64 before = peakRssKb();
        UploadInput input;
        input.body = std::make_shared<Community::Http::SpooledBody>(spool, size);
        auto read = readMultipartUpload(input, "b0und", false, false);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        const qint64 grown = peakRssKb() - before;
        qInfo() << "peak RSS grew by" << grown << "kB reading a" << size / 1024 << "kB form";
        QVERIFY2(grown < 2 * 1024, qPrintable(QString::number(grown)));
        QCOMPARE(input.purpose, QStringLiteral("attachment"));
        QCOMPARE(input.name, QStringLiteral("big.bin"));
        QCOMPARE(input.declaredType, QStringLiteral("application/octet-stream"));
        QCOMPARE(input.body->size(), 64LL * 1024 * 1024);
        QFile extracted(input.body->path());
        QVERIFY(extracted.open(QIODevice::ReadOnly));
        QCryptographicHash got(QCryptographicHash::Sha256);
        QVERIFY(got.addData(&extracted));
        QCOMPARE(got.result(), sent.result());
        const QString path = input.body->path();
        input.body.reset();   // the extracted file goes with its SpooledBody
        QVERIFY(!QFile::exists(path));
    }

    void baseNames()
    {
        QCOMPARE(baseFileName(QStringLiteral("../../etc/passwd")), QStringLiteral("passwd"));
        QCOMPARE(baseFileName(QStringLiteral("C:\\Users\\x\\evil.txt")), QStringLiteral("evil.txt"));
        QCOMPARE(baseFileName(QStringLiteral("a/b\\c")), QStringLiteral("c"));
        QCOMPARE(baseFileName(QStringLiteral("plain.txt")), QStringLiteral("plain.txt"));
        QCOMPARE(baseFileName(QStringLiteral("dir/")), QString());
    }
};

QTEST_MAIN(TstMultipart)
#include "tst_multipart.moc"
