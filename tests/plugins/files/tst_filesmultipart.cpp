// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// multipart/form-data uploads (RFC 7578, docs/adr/0029) on POST /v1/files over real HTTP:
// communityd with the real auth and files plugins and the test PostgreSQL. Real forms from
// curl -F; hand-made bodies for what curl does not send (filename*, Windows paths, bad
// framing). Each refusal leaves no spool file, no extracted part and no blob behind.

#include "filesfixture.h"
#include "testimages.h"
#include "usershttp.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>

using namespace Users::Test;
using namespace Files::Test;

namespace {

QString fieldCode(const HttpResult &r)
{
    return r.json().value(QStringLiteral("errors")).toArray().at(0).toObject().value(QStringLiteral("code")).toString();
}

QByteArray part(const QByteArray &disposition, const QByteArray &content, const QByteArray &type = {})
{
    QByteArray p = "--BoUnDaRy\r\nContent-Disposition: form-data; " + disposition + "\r\n";
    if (!type.isEmpty())
        p += "Content-Type: " + type + "\r\n";
    return p + "\r\n" + content + "\r\n";
}

const QByteArray kClose = "--BoUnDaRy--\r\n";
const QByteArray kFormType = "multipart/form-data; boundary=BoUnDaRy";

/// Peak resident memory of a process (VmHWM, kB).
qint64 peakRssKb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

} // namespace

class TstFilesMultipart : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;
    QTemporaryDir m_tmp;

    HttpResult form(const QString &query, const QByteArray &body, const QByteArray &type = kFormType)
    {
        return m_http.call("POST", QStringLiteral("/v1/files") + query, m_ann.token, body, {{"Content-Type", type}});
    }
    /// curl -F with the given form arguments; status and JSON answer.
    std::pair<int, QJsonObject> curl(const QString &query, const QStringList &fields)
    {
        QStringList args{QStringLiteral("-sS"), QStringLiteral("-o"), m_tmp.filePath(QStringLiteral("answer.json")),
                         QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                         QStringLiteral("Authorization: Bearer ") + QString::fromLatin1(m_ann.token)};
        for (const QString &f : fields)
            args << QStringLiteral("-F") << f;
        args << m_http.url(QStringLiteral("/v1/files") + query).toString();
        QProcess p;
        p.start(QStringLiteral("curl"), args);
        if (!p.waitForFinished(120'000) || p.exitCode() != 0)
            qWarning() << "curl" << args << p.readAllStandardError();
        QFile answer(m_tmp.filePath(QStringLiteral("answer.json")));
        answer.open(QIODevice::ReadOnly);
        return {p.readAllStandardOutput().toInt(), QJsonDocument::fromJson(answer.readAll()).object()};
    }
    QString write(const QString &name, const QByteArray &content)
    {
        QFile f(m_tmp.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(content);
        return f.fileName();
    }
    QStringList spoolFiles() const { return Files::Test::spoolFiles(m_http.daemon.dataDir()); }
    int blobCount() const { return Files::Test::blobCount(m_http.daemon.dataDir()); }
    static QByteArray text(qint64 bytes)
    {
        QByteArray t;
        t.reserve(bytes);
        for (qint64 i = 0; t.size() < bytes; ++i)
            t += QByteArray::number(i * 104729) + (i % 11 == 10 ? "\n" : " ");
        return t.left(bytes);
    }
    static QString sha(const QByteArray &b) { return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_http.extraSets << QStringLiteral("plugins.files.purposes.avatar.maxBytes=65536");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
        QVERIFY(!m_ann.token.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void curlFileAndFields()
    {
        const QByteArray data = text(200 * 1024);
        const QString path = write(QStringLiteral("notes.txt"), data);
        auto [status, o] = curl({}, {QStringLiteral("purpose=attachment"), QStringLiteral("file=@%1;type=text/plain").arg(path)});
        QCOMPARE(status, 201);
        QCOMPARE(o.value("name").toString(), QStringLiteral("notes.txt"));
        QCOMPARE(o.value("purpose").toString(), QStringLiteral("attachment"));
        QCOMPARE(o.value("mediaType").toString(), QStringLiteral("text/plain"));
        QCOMPARE(o.value("size").toInteger(), data.size());
        QCOMPARE(o.value("sha256").toString(), sha(data));
        auto content = m_http.call("GET", o.value("url").toString(), m_ann.token);
        QCOMPARE(content.body, data);
        QTRY_COMPARE_WITH_TIMEOUT(spoolFiles(), QStringList(), 2000);
    }

    void curlWithPurposeInQueryAndNameField()
    {
        const QString path = write(QStringLiteral("pic.png"), png(30, 20));
        auto [status, o] = curl(QStringLiteral("?purpose=post_image"),
                                {QStringLiteral("file=@%1").arg(path), QStringLiteral("name=holiday.png")});
        QCOMPARE(status, 201);
        QCOMPARE(o.value("mediaType").toString(), QStringLiteral("image/png"));
        QCOMPARE(o.value("name").toString(), QStringLiteral("holiday.png"));
    }

    void pathComponentsAreStripped()
    {
        const QString path = write(QStringLiteral("x.txt"), "plain text\n");
        auto [status, o] = curl({}, {QStringLiteral("purpose=attachment"), QStringLiteral("file=@%1;filename=../../etc/passwd").arg(path)});
        QCOMPARE(status, 201);
        QCOMPARE(o.value("name").toString(), QStringLiteral("passwd"));
        auto r = form({}, part("name=\"purpose\"", "attachment")
                              + part("name=\"file\"; filename=\"C:\\Users\\me\\report.txt\"", "text\n", "text/plain") + kClose);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("name").toString(), QStringLiteral("report.txt"));
    }

    void rfc5987FileName()
    {
        auto r = form(QStringLiteral("?purpose=attachment"),
                      part("name=\"file\"; filename=\"EUR rates.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt", "1 EUR\n") + kClose);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("name").toString(), QString::fromUtf8("€ rates.txt"));
    }

    // A large form end to end (the parser's own memory bound is tst_multipart's
    // spooledFormIsReadWithBoundedMemory, without the rest of the pipeline). The daemon's
    // peak RSS is printed beside that of raw uploads of the same size from the same client.
    void largeForm()
    {
        QByteArray data = text(40LL * 1024 * 1024);
        const qint64 pid = m_http.daemon.process()->processId();
        const qint64 start = peakRssKb(pid);
        data[0] = 'A';   // other content than the form's: no deduplication shortcut
        const QString raw = write(QStringLiteral("raw.txt"), data);
        QProcess p;
        p.start(QStringLiteral("curl"), {QStringLiteral("-sS"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                         QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                                         QStringLiteral("-H"), QStringLiteral("Authorization: Bearer ") + QString::fromLatin1(m_ann.token),
                                         QStringLiteral("-H"), QStringLiteral("Content-Type: text/plain"),
                                         QStringLiteral("--data-binary"), QLatin1Char('@') + raw,
                                         m_http.url(QStringLiteral("/v1/files?purpose=attachment&name=raw.txt")).toString()});
        QVERIFY(p.waitForFinished(120'000));
        QCOMPARE(p.readAllStandardOutput(), QByteArray("201"));
        const qint64 afterRaw = peakRssKb(pid);
        data[0] = 'X';
        const QString path = write(QStringLiteral("big.txt"), data);
        auto [status, o] = curl(QStringLiteral("?purpose=attachment"), {QStringLiteral("file=@%1").arg(path)});
        QCOMPARE(status, 201);
        QCOMPARE(o.value("sha256").toString(), sha(data));
        QCOMPARE(o.value("size").toInteger(), data.size());
        QCOMPARE(o.value("name").toString(), QStringLiteral("big.txt"));
        qInfo() << "daemon peak RSS: a 40 MiB raw upload (curl --data-binary) added" << afterRaw - start
                << "kB; a 40 MiB form (curl -F) then added" << peakRssKb(pid) - afterRaw << "kB";
        QFile::remove(path);
        QFile::remove(raw);
        QTRY_COMPARE_WITH_TIMEOUT(spoolFiles(), QStringList(), 2000);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QString>("code");
        const QByteArray file = part("name=\"file\"; filename=\"a.txt\"", "hello\n");
        const QByteArray purpose = part("name=\"purpose\"", "attachment");
        const QString none;
        QTest::newRow("truncated") << none << purpose + file << kFormType << 400 << "malformed-multipart" << "truncated";
        QTest::newRow("cut inside the file") << none << purpose + file.left(file.size() - 3) << kFormType << 400 << "malformed-multipart" << "truncated";
        QTest::newRow("boundary of 71") << none << purpose + file + kClose << "multipart/form-data; boundary=" + QByteArray(71, 'B') << 400 << "malformed-multipart" << "bad_boundary";
        QTest::newRow("no boundary") << none << purpose + file + kClose << QByteArray("multipart/form-data") << 400 << "malformed-multipart" << "bad_boundary";
        QTest::newRow("wrong boundary") << none << purpose + file + kClose << QByteArray("multipart/form-data; boundary=other") << 400 << "malformed-multipart" << "no_boundary";
        QTest::newRow("LF only") << none << QByteArray(purpose + file + kClose).replace("\r\n", "\n") << kFormType << 400 << "malformed-multipart" << "bad_delimiter";
        QTest::newRow("two files") << none << purpose + file + part("name=\"file\"; filename=\"b.txt\"", "x\n") + kClose << kFormType << 400 << "validation" << "too_many_files";
        QTest::newRow("unknown field") << none << purpose + part("name=\"owner\"", "2") + file + kClose << kFormType << 400 << "validation" << "unknown_part";
        QTest::newRow("file under another name") << none << purpose + part("name=\"upload\"; filename=\"a.txt\"", "x\n") + kClose << kFormType << 400 << "validation" << "unknown_part";
        QTest::newRow("no file") << none << purpose + kClose << kFormType << 400 << "validation" << "required";
        QTest::newRow("purpose twice") << QStringLiteral("?purpose=attachment") << purpose + file + kClose << kFormType << 400 << "validation" << "duplicate";
        QTest::newRow("field sent twice") << none << purpose + purpose + file + kClose << kFormType << 400 << "validation" << "duplicate";
        QTest::newRow("field too long") << none << purpose + part("name=\"name\"", QByteArray(300, 'n')) + file + kClose << kFormType << 400 << "validation" << "too_long";
        QTest::newRow("name is a path") << none << purpose + part("name=\"file\"; filename=\"a/..\"", "x\n") + kClose << kFormType << 400 << "validation" << "";
        QTest::newRow("no disposition") << none << "--BoUnDaRy\r\nContent-Type: text/plain\r\n\r\nx\r\n" + kClose << kFormType << 400 << "malformed-multipart" << "bad_disposition";
        QTest::newRow("unknown purpose") << none << part("name=\"purpose\"", "banner") + file + kClose << kFormType << 400 << "validation" << "invalid_value";
        QTest::newRow("svg") << QStringLiteral("?purpose=post_image") << part("name=\"file\"; filename=\"x.svg\"", svg()) + kClose << kFormType << 415 << "svg-refused" << "";
        QTest::newRow("part type contradicts") << QStringLiteral("?purpose=avatar") << part("name=\"file\"; filename=\"x\"", jpeg(), "image/png") + kClose << kFormType << 415 << "type-mismatch" << "";
        QTest::newRow("zip inside jpeg") << QStringLiteral("?purpose=post_image") << part("name=\"file\"; filename=\"x.jpg\"", jpeg() + zip()) + kClose << kFormType << 422 << "polyglot-file" << "";
        QTest::newRow("avatar over its limit") << QStringLiteral("?purpose=avatar") << part("name=\"file\"; filename=\"x.jpg\"", QByteArray(200 * 1024, 'x')) + kClose << kFormType << 413 << "payload-too-large" << "";
    }
    void refusals()
    {
        QFETCH(QString, query);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, type);
        QFETCH(int, status);
        QFETCH(QString, slug);
        QFETCH(QString, code);
        const int blobs = blobCount();
        auto r = form(query, body, type);
        QVERIFY2(isProblem(r, status, slug), qPrintable(QString::number(r.status) + ' ' + QString::fromUtf8(r.body)));
        if (!code.isEmpty())
            QCOMPARE(fieldCode(r), code);
        QCOMPARE(blobCount(), blobs);
        QTRY_COMPARE_WITH_TIMEOUT(spoolFiles(), QStringList(), 2000);
    }
};

QTEST_MAIN(TstFilesMultipart)
#include "tst_filesmultipart.moc"
