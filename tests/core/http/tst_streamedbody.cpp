// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Streamed request bodies (ADR 0011): routes that declare them get the body in a temporary
// file written as it arrives; the limit is enforced while reading; the file goes away
// when the request ends however it ends; memory stays flat whatever the body's size.

#include "community/host/httpserver.h"
#include "community/router.h"
#include "rawclient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <atomic>
#include <utility>

using namespace Community::Http;
using namespace Community::Http::Test;

namespace {

constexpr qint64 kStreamLimit = 128 * 1024 * 1024;

QByteArray sha256File(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);   // reads in small blocks
    return h.result().toHex();
}

QByteArray pattern(qint64 offset, qsizetype size)
{
    QByteArray b(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        b[i] = char((offset + i) * 31 % 251);
    return b;
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

/// Sends `total` bytes of pattern() as the body of a PUT to `path`, 64 KiB at a time.
bool sendBody(Client &c, const QByteArray &path, qint64 total, qint64 stopAfter = -1)
{
    if (!c.send("PUT " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + QByteArray::number(total) + "\r\n\r\n"))
        return false;
    const qint64 end = stopAfter >= 0 ? stopAfter : total;
    for (qint64 off = 0; off < end;) {
        const qsizetype n = qsizetype(qMin<qint64>(64 * 1024, end - off));
        if (!c.send(pattern(off, n)))
            return false;
        off += n;
    }
    return true;
}

} // namespace

class TestStreamedBody : public QObject {
    Q_OBJECT

    QTemporaryDir m_spool;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    QString m_keptPath;
    std::atomic_int m_gateCalls{0};

    /// PUT of `size` pattern bytes to `path` from a helper thread; the answer.
    std::optional<Response> put(const QByteArray &path, qint64 size, int timeoutMs = 5000)
    {
        const quint16 port = m_port;
        return runClient([port, path, size, timeoutMs] {
            Client c(port);
            c.setTimeout(timeoutMs);
            return sendBody(c, path, size) ? c.read() : std::nullopt;
        });
    }

    int spoolFiles() const { return int(QDir(m_spool.path()).entryList(QDir::Files).size()); }
    bool spoolEmptySoon()
    {
        QDeadlineTimer t(3000);
        while (spoolFiles() != 0 && !t.hasExpired())
            QTest::qWait(10);
        return spoolFiles() == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        HttpServerConfig c;
        c.port = 0;
        c.maxBodyBytes = 1024;   // buffered routes stay small
        c.spoolDirectory = m_spool.path();
        c.minBodyBytesPerSecond = 0;
        m_server = std::make_unique<HttpServer>(c);
        m_server->setBodySpooler([](const HttpRequest &r) -> qint64 {
            if (r.path == QLatin1String("/stream"))
                return kStreamLimit;
            if (r.path == QLatin1String("/small"))
                return 100 * 1024;
            return -1;
        });
        // Stands in for the pipeline's authorization (Pipeline::refusalBeforeBody).
        m_server->setBodyGate([this](const HttpRequest &r) -> std::optional<HttpResponse> {
            ++m_gateCalls;
            if (r.header("x-deny").isNull())
                return std::nullopt;
            return HttpResponse::json(401, QJsonObject{{"refused", true}});
        });
        m_server->setHandler([this](HttpRequest &req, const Responder &res) {
            QJsonObject o{{"buffered", req.body.size()}};
            if (req.spooled) {
                o.insert("size", req.spooled->size());
                o.insert("inSpool", req.spooled->path().startsWith(m_spool.path()));
                o.insert("sha256", QString::fromLatin1(sha256File(req.spooled->path())));
                if (req.query.hasQueryItem(QStringLiteral("keep"))) {
                    m_keptPath = m_spool.path() + QStringLiteral("-kept");
                    QFile::remove(m_keptPath);
                    if (QFile::rename(req.spooled->path(), m_keptPath))
                        req.spooled->release();
                }
            }
            res.send(HttpResponse::json(200, o));
        });
        QVERIFY(m_server->listen().has_value());
        m_port = m_server->serverPort();
    }

    void cleanupTestCase()
    {
        m_server.reset();
        if (!m_keptPath.isEmpty())
            QFile::remove(m_keptPath);
    }

    void bodyArrivesAsAFile()
    {
        const qint64 size = 3 * 1024 * 1024 + 17;
        auto r = put("/stream", size);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonObject o = QJsonDocument::fromJson(r->body).object();
        QCOMPARE(o.value("buffered").toInt(), 0);
        QCOMPARE(o.value("size").toInteger(), size);
        QVERIFY(o.value("inSpool").toBool());
        QCOMPARE(o.value("sha256").toString().toLatin1(),
                 QCryptographicHash::hash(pattern(0, size), QCryptographicHash::Sha256).toHex());
        QVERIFY(spoolEmptySoon());
    }

    void chunkedOverLimitRefusedWhileReading()
    {
        const quint16 port = m_port;
        auto r = runClient([port] {
            Client c(port);
            c.send("PUT /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            // 200 KiB in 8 KiB chunks against a 100 KiB limit: the answer comes mid-body.
            for (int i = 0; i < 25; ++i) {
                if (!c.send("2000\r\n" + pattern(i * 8192, 8192) + "\r\n"))
                    break;
            }
            return c.read();
        });
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QCOMPARE(r->header("content-type"), QByteArray("application/problem+json"));
        QVERIFY(spoolEmptySoon());
    }

    void contentLengthOverLimitRefusedBeforeBody()
    {
        const quint16 port = m_port;
        auto r = runClient([port] {
            Client c(port);
            c.send("PUT /small HTTP/1.1\r\nHost: t\r\nContent-Length: 200000\r\n\r\n");
            return c.read();
        });
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QCOMPARE(spoolFiles(), 0);
    }

    // Issue 10: an upload the gate refuses is answered from its head; none of its body is
    // read into the spool, and the connection closes (the body is never read).
    void gateRefusesBeforeTheBody()
    {
        const quint16 port = m_port;
        auto r = runClient([port] {
            Client c(port);
            c.send("PUT /stream HTTP/1.1\r\nHost: t\r\nX-Deny: 1\r\nContent-Length: 50000000\r\n\r\n");
            auto answer = c.read();
            return std::make_pair(answer, answer && c.waitClosed(3000));
        });
        QVERIFY(r.first);
        QCOMPARE(r.first->status, 401);
        QCOMPARE(r.first->header("connection"), QByteArray("close"));
        QVERIFY(r.second);
        QCOMPARE(spoolFiles(), 0);
        // Chunked: refused before the first chunk, whatever follows.
        auto chunked = runClient([port] {
            Client c(port);
            c.send("PUT /stream HTTP/1.1\r\nHost: t\r\nX-Deny: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
            c.send("2000\r\n" + pattern(0, 8192) + "\r\n");
            return c.read();
        });
        QVERIFY(chunked);
        QCOMPARE(chunked->status, 401);
        QCOMPARE(spoolFiles(), 0);
        // Buffered routes and bodiless requests never ask the gate.
        const int calls = m_gateCalls.load();
        auto small = runClient([port] {
            Client c(port);
            c.send("PUT /buffered HTTP/1.1\r\nHost: t\r\nX-Deny: 1\r\nContent-Length: 3\r\n\r\nabc");
            return c.read();
        });
        QVERIFY(small);
        QCOMPARE(small->status, 200);
        QCOMPARE(m_gateCalls.load(), calls);
    }

    void clientLeavingMidBodyLeavesNoFile()
    {
        const quint16 port = m_port;
        QAtomicInt sent;
        std::atomic_bool release{false};
        auto fut = std::async(std::launch::async, [port, &sent, &release] {
            Client c(port);
            sendBody(c, "/stream", 10 * 1024 * 1024, 2 * 1024 * 1024);
            sent.storeRelease(1);
            while (!release.load())
                std::this_thread::sleep_for(5ms);
            c.close();   // gone with 8 MiB still owed
        });
        QDeadlineTimer t(10000);
        while (!sent.loadAcquire() && !t.hasExpired())
            QTest::qWait(5);
        QTRY_COMPARE_WITH_TIMEOUT(spoolFiles(), 1, 3000);   // the partial body is on disk
        release = true;
        fut.get();
        QVERIFY(spoolEmptySoon());
    }

    void bufferedRoutesKeepTheServerLimit()
    {
        auto r = put("/other", 2048);
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        auto ok = put("/other", 1000);
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
        QCOMPARE(QJsonDocument::fromJson(ok->body).object().value("buffered").toInt(), 1000);
        QCOMPARE(spoolFiles(), 0);
    }

    void handlerMayKeepTheFile()
    {
        auto r = put("/stream?keep=1", 5000);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(spoolEmptySoon());
        QCOMPARE(QFileInfo(m_keptPath).size(), 5000);
    }

    void memoryStaysFlatForA100MiBBody()
    {
        // The first uploads above warmed the allocator; the peak must not move by anything
        // near the body's size (buffering would add >= 100 MiB).
        const qint64 before = peakRssKiB();
        QVERIFY(before > 0);
        const qint64 size = 100 * 1024 * 1024;
        auto r = put("/stream", size, 60000);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(QJsonDocument::fromJson(r->body).object().value("size").toInteger(), size);
        const qint64 growth = peakRssKiB() - before;
        qInfo("peak RSS growth for a 100 MiB streamed body: %lld KiB", growth);
        QVERIFY2(growth < 1024, qPrintable(QString::number(growth)));
    }

    void routeSpoolerUsesRouteOptions()
    {
        Router router;
        RouteOptions o;
        o.withStreamedBody(1000);
        o.streamLimit = [](const HttpRequest &r) {
            return r.query.hasQueryItem(QStringLiteral("tight")) ? qint64(10) : qint64(-1);
        };
        QVERIFY(router.add("PUT", QStringLiteral("/up/{name}"), [](HttpRequest &, const Responder &) {}, o));
        QVERIFY(router.add("PUT", QStringLiteral("/plain"), [](HttpRequest &, const Responder &) {}));
        const BodySpooler spooler = routeBodySpooler(router, 50);
        HttpRequest req;
        req.method = "PUT";
        req.path = QStringLiteral("/up/x");
        QCOMPARE(spooler(req), 1000);
        req.query = QUrlQuery(QStringLiteral("tight=1"));
        QCOMPARE(spooler(req), 10);
        req.path = QStringLiteral("/plain");
        QCOMPARE(spooler(req), -1);
        req.method = "GET";
        req.path = QStringLiteral("/up/x");
        QCOMPARE(spooler(req), -1);
    }
};

QTEST_GUILESS_MAIN(TestStreamedBody)
#include "tst_streamedbody.moc"
