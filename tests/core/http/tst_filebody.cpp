// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// File-valued response bodies (HttpResponse::file, ADR 0011): the connection sends the file
// with sendfile(2) as the socket takes it — whole, a range, paced or cut by the fault
// layer's shaping — keeps the connection usable afterwards, never reads the file into
// memory, and drops a client that stops reading.

#include "community/host/httpserver.h"
#include "rawclient.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>

#include <thread>

using namespace Community::Http;
using namespace Community::Http::Test;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kFileSize = 64 * 1024 * 1024 + 123;
constexpr int kIdleTimeoutMs = 1500;

QByteArray pattern(qint64 offset, qsizetype size)
{
    QByteArray b(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        b[i] = char((offset + i) * 31 % 251);
    return b;
}

QByteArray patternSha(qint64 offset, qint64 length)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (qint64 at = offset; at < offset + length;) {
        const qsizetype n = qsizetype(qMin<qint64>(1 << 20, offset + length - at));
        h.addData(pattern(at, n));
        at += n;
    }
    return h.result().toHex();
}

qint64 peakRssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

/// A response whose body is hashed as it arrives (the client never holds it whole).
struct Streamed {
    int status = 0;
    qint64 contentLength = -1;
    qint64 received = 0;
    QByteArray sha256;
    bool complete = false;   ///< all of Content-Length arrived
};

/// Reads one response from `c`, hashing the body; `biteDelay` pauses between reads (a slow
/// reader), `stopAfter` >= 0 stops reading once that many body bytes arrived.
Streamed readStreamed(Client &c, std::chrono::milliseconds biteDelay = 0ms, qint64 stopAfter = -1)
{
    Streamed s;
    auto head = c.read(true);
    if (!head)
        return s;
    s.status = head->status;
    s.contentLength = head->header("content-length").toLongLong();
    QCryptographicHash h(QCryptographicHash::Sha256);
    auto take = [&] {
        const qsizetype n = qsizetype(qMin<qint64>(c.buf.size(), s.contentLength - s.received));
        h.addData(QByteArrayView(c.buf).first(n));
        c.buf.remove(0, n);
        s.received += n;
    };
    take();
    while (s.received < s.contentLength) {
        if (stopAfter >= 0 && s.received >= stopAfter)
            return s;
        if (biteDelay > 0ms)
            std::this_thread::sleep_for(biteDelay);
        if (c.fill() <= 0)
            break;
        take();
    }
    s.complete = s.received == s.contentLength;
    s.sha256 = h.result().toHex();
    return s;
}

} // namespace

class TestFileBody : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;

    QByteArray get(const QByteArray &target, const QByteArray &method = "GET")
    {
        return method + ' ' + target + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("blob"));
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (qint64 at = 0; at < kFileSize;) {
            const qsizetype n = qsizetype(qMin<qint64>(1 << 20, kFileSize - at));
            QCOMPARE(f.write(pattern(at, n)), qint64(n));
            at += n;
        }
        f.close();

        HttpServerConfig c;
        c.port = 0;
        c.idleTimeoutMs = kIdleTimeoutMs;
        m_server = std::make_unique<HttpServer>(c);
        m_server->setHandler([this](HttpRequest &req, const Responder &res) {
            const qint64 offset = req.query.queryItemValue(QStringLiteral("offset")).toLongLong();
            const QString len = req.query.queryItemValue(QStringLiteral("length"));
            const qint64 length = len.isEmpty() ? kFileSize - offset : len.toLongLong();
            QString path = m_path;
            if (req.path == QLatin1String("/short")) {
                // A copy that loses its second half after it was opened: fewer bytes than
                // announced are in the file when the connection sends it.
                path = m_dir.filePath(QStringLiteral("short"));
                QFile::remove(path);
                QFile::copy(m_path, path);
            }
            HttpResponse r;
            r.setHeader("Content-Type", "application/octet-stream");
            r.file = FileBody::open(path, offset, length);
            if (!r.file) {
                res.send(HttpResponse::text(404, "no such range"));
                return;
            }
            if (req.path == QLatin1String("/short"))
                QFile(path).resize(length / 2);
            if (req.path == QLatin1String("/paced"))
                r.shaping.bytesPerSecond = 1024 * 1024;
            if (req.path == QLatin1String("/truncated"))
                r.shaping.truncateAfterBodyBytes = 50'000;
            res.send(std::move(r));
        });
        QVERIFY(m_server->listen().has_value());
        m_port = m_server->serverPort();
    }

    void cleanupTestCase() { m_server.reset(); }

    void openChecksTheRange()
    {
        QVERIFY(FileBody::open(m_path, 0, kFileSize));
        QVERIFY(FileBody::open(m_path, kFileSize, 0));
        QVERIFY(!FileBody::open(m_path, 1, kFileSize));
        QVERIFY(!FileBody::open(m_path, -1, 10));
        QVERIFY(!FileBody::open(m_dir.filePath(QStringLiteral("absent")), 0, 0));
        QVERIFY(!FileBody::open(m_dir.path(), 0, 0));   // a directory is no file body
    }

    // The whole file, then a range and a HEAD on the same keep-alive connection.
    void wholeFileThenMoreOnTheConnection()
    {
        const quint16 port = m_port;
        const qint64 rssBefore = peakRssKiB();
        auto results = runClient([this, port] {
            Client c(port);
            c.setTimeout(10000);
            QList<Streamed> out;
            if (!c.send(get("/file")))
                return out;
            out.append(readStreamed(c));
            if (!c.send(get("/file?offset=1000000&length=300001")))
                return out;
            out.append(readStreamed(c));
            if (!c.send(get("/file?offset=5&length=10", "HEAD")) || !c.send(get("/file?offset=5&length=10")))
                return out;
            auto head = c.read(true);
            Streamed h;
            h.status = head ? head->status : 0;
            h.contentLength = head ? head->header("content-length").toLongLong() : -1;
            out.append(h);
            out.append(readStreamed(c));
            return out;
        });
        QCOMPARE(results.size(), 4);
        QCOMPARE(results[0].status, 200);
        QCOMPARE(results[0].contentLength, kFileSize);
        QVERIFY(results[0].complete);
        QCOMPARE(results[0].sha256, patternSha(0, kFileSize));
        QVERIFY(results[1].complete);
        QCOMPARE(results[1].contentLength, 300001);
        QCOMPARE(results[1].sha256, patternSha(1000000, 300001));
        QCOMPARE(results[2].status, 200);
        QCOMPARE(results[2].contentLength, 10);   // HEAD: the length, no body
        QVERIFY(results[3].complete);
        QCOMPARE(results[3].sha256, patternSha(5, 10));
        // 64 MiB went out without the server holding them (the client hashes as it reads).
        const qint64 grewKiB = peakRssKiB() - rssBefore;
        qInfo("peak RSS grew by %lld KiB sending %lld bytes", grewKiB, kFileSize);
        QVERIFY2(grewKiB < 16 * 1024, qPrintable(QString::number(grewKiB)));
    }

    void slowReaderGetsEveryByte()
    {
        const quint16 port = m_port;
        auto s = runClient([this, port] {
            Client c(port);
            int small = 16 * 1024;
            ::setsockopt(c.descriptor(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
            c.send(get("/file?offset=7&length=2000000"));
            return readStreamed(c, 2ms);
        });
        QVERIFY(s.complete);
        QCOMPARE(s.sha256, patternSha(7, 2000000));
    }

    void pacedAndTruncatedFileBodies()
    {
        const quint16 port = m_port;
        QElapsedTimer t;
        t.start();
        auto paced = runClient([this, port] {
            Client c(port);
            c.send(get("/paced?length=1500000"));
            return readStreamed(c);
        });
        const qint64 ms = t.elapsed();
        QVERIFY(paced.complete);
        QCOMPARE(paced.sha256, patternSha(0, 1500000));
        QVERIFY2(ms >= 1200, qPrintable(QString::number(ms)));   // 1.43 MiB at 1 MiB/s

        auto cut = runClient([this, port] {
            Client c(port);
            c.send(get("/truncated?length=1000000"));
            Streamed s = readStreamed(c);
            s.sha256 = c.waitClosed() ? "closed" : "open";
            return s;
        });
        QVERIFY(!cut.complete);
        QCOMPARE(cut.contentLength, 1000000);
        QCOMPARE(cut.received, 50'000);
        QCOMPARE(cut.sha256, QByteArray("closed"));
    }

    // A file that is shorter than announced when it is sent: the client gets what exists
    // and the connection ends; it never waits for bytes that will not come.
    void shortFileEndsTheConnection()
    {
        const quint16 port = m_port;
        auto s = runClient([this, port] {
            Client c(port);
            c.send(get("/short?length=4000000"));
            Streamed r = readStreamed(c);
            r.sha256 = c.waitClosed() ? "closed" : "open";
            return r;
        });
        QCOMPARE(s.status, 200);
        QVERIFY(!s.complete);
        QCOMPARE(s.received, 2000000);
        QCOMPARE(s.sha256, QByteArray("closed"));
    }

    // A client that stops reading holds no connection past the idle timeout.
    void stalledReaderIsDropped()
    {
        const quint16 port = m_port;
        QElapsedTimer t;
        t.start();
        auto s = runClient([this, port] {
            Client c(port);
            c.setTimeout(10000);
            c.send(get("/file"));
            Streamed r = readStreamed(c, 0ms, 1);
            std::this_thread::sleep_for(std::chrono::milliseconds(kIdleTimeoutMs + 1000));
            // What the kernel buffered still arrives, then the end.
            r.sha256 = "open";
            for (;;) {
                const ssize_t n = c.fill();
                if (n <= 0) {
                    r.sha256 = n == 0 || errno == ECONNRESET ? "closed" : "timeout";
                    break;
                }
                r.received += n;
                c.buf.clear();
            }
            return r;
        });
        qInfo("a stalled reader got %lld of %lld bytes, then the end, after %lld ms", s.received, kFileSize, t.elapsed());
        QCOMPARE(s.sha256, QByteArray("closed"));
        QVERIFY(s.received < kFileSize);
        QVERIFY2(t.elapsed() < 9000, qPrintable(QString::number(t.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestFileBody)
#include "tst_filebody.moc"
