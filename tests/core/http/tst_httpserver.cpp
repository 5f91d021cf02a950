// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/httpserver.h"
#include "rawclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

using namespace Community::Http;
using namespace Community::Http::Test;
using namespace std::chrono_literals;

namespace {

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

HttpServerConfig smallConfig()
{
    HttpServerConfig c;
    c.port = 0;
    c.maxHeaderBytes = 1024;
    c.maxBodyBytes = 1024;
    c.headerTimeoutMs = 2000;
    c.idleTimeoutMs = 2000;
    return c;
}

Handler echoHandler()
{
    return [](HttpRequest &req, const Responder &r) {
        QJsonObject o{{QStringLiteral("method"), QString::fromLatin1(req.method)},
                      {QStringLiteral("path"), req.path},
                      {QStringLiteral("q"), req.query.queryItemValue(QStringLiteral("q"))},
                      {QStringLiteral("ua"), QString::fromLatin1(req.header("x-test"))},
                      {QStringLiteral("body"), QString::fromUtf8(req.body)},
                      {QStringLiteral("keepAlive"), req.keepAlive},
                      {QStringLiteral("peer"), req.peerAddress.toString()},
                      {QStringLiteral("timer"), req.timer.isValid()}};
        HttpResponse resp = HttpResponse::json(200, o);
        resp.setHeader("X-Served-By", "tst");
        r.send(std::move(resp));
    };
}

QJsonObject jsonOf(const Response &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void simpleGet();
    void keepAliveReuse();
    void connectionClose();
    void http10();
    void headRequest();
    void headersTooLarge();
    void bodyTooLargeContentLength();
    void bodyTooLargeChunked();
    void chunkedBodyOk();
    void garbage();
    void http2Preface();
    void headerTimeout();
    void idleTimeout();
    void pipelinedInOrder();
    void disconnectWhilePending();
    void responderFromWorkerThread();
    void expectContinue();
    void webSocketUpgrade_data();
    void webSocketUpgrade();
    void webSocketNoRoute();
    void ioThreads();
    void maxConnections();
    void stopListeningDrains();
    void noHandlerAnswers404();
    void droppedResponderAndThrowAnswer500();
    // Issue 10: limits against slow and greedy clients, RFC 9112 strictness, drain.
    void slowBodyOverallDeadline();
    void slowBodyMinimumRate();
    void perIpConnectionLimit();
    void rfc9112Refusals_data();
    void rfc9112Refusals();
    void tooManyHeaders();
    void drainAnswersPartlyReceivedRequests();
};

void TestHttpServer::simpleGet()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    QVERIFY(port != 0);
    QCOMPARE(server.connectionCount(), 0);

    auto r = runClient([port] {
        Client c(port);
        c.send(get("/hello%20world/x?q=a%20b&z=1", "X-Test: yes\r\n"));
        return c.read();
    });
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->header("content-type"), QByteArray("application/json"));
    QCOMPARE(r->header("x-served-by"), QByteArray("tst"));
    QCOMPARE(r->header("content-length").toInt(), r->body.size());
    QVERIFY(r->header("connection").isNull());
    const QJsonObject o = jsonOf(*r);
    QCOMPARE(o.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(o.value(QStringLiteral("path")).toString(), QStringLiteral("/hello world/x"));
    QCOMPARE(o.value(QStringLiteral("q")).toString(), QStringLiteral("a b"));
    QCOMPARE(o.value(QStringLiteral("ua")).toString(), QStringLiteral("yes"));
    QCOMPARE(o.value(QStringLiteral("keepAlive")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("peer")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(o.value(QStringLiteral("timer")).toBool(), true);
    QTRY_COMPARE(server.connectionCount(), 0);
    QCOMPARE(server.inFlight(), 0);
}

void TestHttpServer::keepAliveReuse()
{
    HttpServer server(smallConfig());
    std::atomic_int maxConns{0};
    server.setHandler([&](HttpRequest &req, const Responder &r) {
        maxConns = qMax(maxConns.load(), server.connectionCount());
        QCOMPARE(server.inFlight(), 1);
        // Nothing the pipeline set on the previous request survives on the connection.
        QVERIFY(req.requestId.isEmpty() && req.route.isEmpty() && req.pathParams.isEmpty());
        req.requestId = QStringLiteral("rid");
        req.route = QStringLiteral("/n{i}");
        req.pathParams.insert(QStringLiteral("i"), QStringLiteral("x"));
        r.send(HttpResponse::text(200, req.body.isEmpty() ? req.target : req.body));
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto bodies = runClient([port] {
        Client c(port);
        QList<QByteArray> out;
        for (int i = 0; i < 5; ++i) {
            c.send(get("/n" + QByteArray::number(i)));
            auto r = c.read();
            out.append(r ? r->body : QByteArray("<none>"));
        }
        c.send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nabcd");
        auto r = c.read();
        out.append(r ? r->body : QByteArray("<none>"));
        return out;
    });
    QCOMPARE(bodies, (QList<QByteArray>{"/n0", "/n1", "/n2", "/n3", "/n4", "abcd"}));
    QCOMPARE(maxConns.load(), 1);
    QCOMPARE(server.inFlight(), 0);
}

void TestHttpServer::connectionClose()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        c.send(get("/x", "Connection: close\r\n"));
        auto r = c.read();
        return std::make_pair(r, c.waitClosed());
    });
    QVERIFY(res.first);
    QCOMPARE(res.first->status, 200);
    QCOMPARE(res.first->header("connection"), QByteArray("close"));
    QVERIFY(res.second);
}

void TestHttpServer::http10()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        c.send("GET /a HTTP/1.0\r\n\r\n");
        auto r = c.read();
        return std::make_pair(r, c.waitClosed());
    });
    QVERIFY(res.first);
    QCOMPARE(res.first->status, 200);
    QCOMPARE(res.first->header("connection"), QByteArray("close"));
    QVERIFY(res.second);

    auto ka = runClient([port] {
        Client c(port);
        c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        auto r1 = c.read();
        c.send("GET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        auto r2 = c.read();
        return std::make_pair(r1, r2);
    });
    QVERIFY(ka.first && ka.second);
    QCOMPARE(ka.first->header("connection"), QByteArray("keep-alive"));
    QCOMPARE(jsonOf(*ka.second).value(QStringLiteral("path")).toString(), QStringLiteral("/b"));
}

void TestHttpServer::headRequest()
{
    HttpServer server(smallConfig());
    server.setHandler([](HttpRequest &req, const Responder &r) {
        r.send(HttpResponse::text(200, req.path == QLatin1String("/h") ? "0123456789" : "next"));
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        c.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n");
        auto r1 = c.read(/*head*/ true);
        c.send(get("/n"));
        auto r2 = c.read();
        return std::make_pair(r1, r2);
    });
    QVERIFY(res.first && res.second);
    QCOMPARE(res.first->status, 200);
    QCOMPARE(res.first->header("content-length"), QByteArray("10"));
    // No body bytes came in between: the next response parses cleanly.
    QCOMPARE(res.second->status, 200);
    QCOMPARE(res.second->body, QByteArray("next"));
}

void TestHttpServer::headersTooLarge()
{
    HttpServer server(smallConfig());
    std::atomic_int handled{0};
    std::atomic_int observed{0};
    server.setHandler([&](HttpRequest &, const Responder &r) {
        ++handled;
        r.send(HttpResponse::empty(204));
    });
    server.setProtocolErrorObserver([&](const HttpRequest &, const HttpResponse &resp) {
        if (resp.status == 431)
            ++observed;
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        c.send(get("/x", "X-Big: " + QByteArray(2000, 'a') + "\r\n"));
        auto r = c.read();
        return std::make_pair(r, c.waitClosed());
    });
    QVERIFY(res.first);
    QCOMPARE(res.first->status, 431);
    QCOMPARE(res.first->header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(res.first->header("connection"), QByteArray("close"));
    QVERIFY(jsonOf(*res.first).value(QStringLiteral("type")).toString().endsWith(
        QLatin1String("header-fields-too-large")));
    QVERIFY(res.second);
    QCOMPARE(handled.load(), 0);
    QCOMPARE(observed.load(), 1);

    // Just under the limit is fine.
    auto ok = runClient([port] {
        Client c(port);
        c.send(get("/x", "X-Big: " + QByteArray(800, 'a') + "\r\n"));
        return c.read();
    });
    QVERIFY(ok);
    QCOMPARE(ok->status, 204);
    QVERIFY(ok->header("content-length").isNull());
}

void TestHttpServer::bodyTooLargeContentLength()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        // Only the head is sent: the answer must not wait for the body.
        c.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n");
        auto r = c.read();
        return std::make_pair(r, c.waitClosed());
    });
    QVERIFY(res.first);
    QCOMPARE(res.first->status, 413);
    QCOMPARE(res.first->header("connection"), QByteArray("close"));
    QVERIFY(res.second);
}

void TestHttpServer::bodyTooLargeChunked()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto r = runClient([port] {
        Client c(port);
        QByteArray req = "POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 8; ++i)
            req += "200\r\n" + QByteArray(512, 'x') + "\r\n";
        c.send(req);
        return c.read();
    });
    QVERIFY(r);
    QCOMPARE(r->status, 413);
    QCOMPARE(r->header("connection"), QByteArray("close"));
}

void TestHttpServer::chunkedBodyOk()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto r = runClient([port] {
        Client c(port);
        c.send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        std::this_thread::sleep_for(30ms);   // body split across reads
        c.send("6\r\n world\r\n0\r\n\r\n");
        return c.read();
    });
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(jsonOf(*r).value(QStringLiteral("body")).toString(), QStringLiteral("hello world"));
}

void TestHttpServer::garbage()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    std::atomic_int observed{0};
    server.setProtocolErrorObserver([&](const HttpRequest &, const HttpResponse &resp) {
        if (resp.status == 400)
            ++observed;
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    for (const QByteArray &junk : {QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello\r\n\r\n"),
                                   QByteArray("GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
                                   QByteArray("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n")}) {
        auto res = runClient([port, junk] {
            Client c(port);
            c.send(junk);
            auto r = c.read();
            return std::make_pair(r, c.waitClosed());
        });
        QVERIFY(res.first);
        QCOMPARE(res.first->status, 400);
        QCOMPARE(res.first->header("content-type"), QByteArray("application/problem+json"));
        QVERIFY(res.second);
    }
    QCOMPARE(observed.load(), 3);
}

void TestHttpServer::http2Preface()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto r = runClient([port] {
        Client c(port);
        c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        return c.read();
    });
    QVERIFY(r);
    QVERIFY2(r->status == 505 || r->status == 400, QByteArray::number(r->status));
    auto r2 = runClient([port] {
        Client c(port);
        c.send("GET / HTTP/2.0\r\n\r\n");
        return c.read();
    });
    QVERIFY(r2);
    QVERIFY2(r2->status == 505 || r2->status == 400, QByteArray::number(r2->status));
}

void TestHttpServer::headerTimeout()
{
    auto cfg = smallConfig();
    cfg.headerTimeoutMs = 300;
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    std::atomic_int observed{0};
    server.setProtocolErrorObserver([&](const HttpRequest &, const HttpResponse &resp) {
        if (resp.status == 408)
            ++observed;
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        const auto t0 = std::chrono::steady_clock::now();
        c.send("GET /slow HTTP/1.1\r\nHost: x\r\n");
        auto r = c.read();
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - t0).count();
        return std::make_tuple(r, c.waitClosed(), ms);
    });
    QVERIFY(std::get<0>(res));
    QCOMPARE(std::get<0>(res)->status, 408);
    QVERIFY(std::get<1>(res));
    QVERIFY2(std::get<2>(res) >= 250 && std::get<2>(res) < 2000, QByteArray::number(std::get<2>(res)));
    QCOMPARE(observed.load(), 1);
}

void TestHttpServer::idleTimeout()
{
    auto cfg = smallConfig();
    cfg.idleTimeoutMs = 300;
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        c.send(get("/a"));
        auto r = c.read();
        const auto t0 = std::chrono::steady_clock::now();
        const bool closed = c.waitClosed(3000);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - t0).count();
        return std::make_tuple(r, closed, ms);
    });
    QVERIFY(std::get<0>(res));
    QCOMPARE(std::get<0>(res)->status, 200);
    QVERIFY(std::get<1>(res));   // closed silently, no 408
    QVERIFY2(std::get<2>(res) >= 200 && std::get<2>(res) < 2500, QByteArray::number(std::get<2>(res)));
    QTRY_COMPARE(server.connectionCount(), 0);
}

void TestHttpServer::pipelinedInOrder()
{
    HttpServer server(smallConfig());
    std::vector<std::thread> threads;
    server.setHandler([&](HttpRequest &req, const Responder &r) {
        const QByteArray body = req.path.toUtf8();
        if (req.path == QLatin1String("/a")) {
            QTimer::singleShot(100, [r, body] { r.send(HttpResponse::text(200, body)); });
        } else if (req.path == QLatin1String("/b")) {
            r.send(HttpResponse::text(200, body));
        } else {
            threads.emplace_back([r, body] {
                std::this_thread::sleep_for(20ms);
                r.send(HttpResponse::text(200, body));
            });
        }
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto bodies = runClient([port] {
        Client c(port);
        c.send(get("/a") + get("/b") + get("/c"));
        QList<QByteArray> out;
        for (int i = 0; i < 3; ++i) {
            auto r = c.read();
            out.append(r ? r->body : QByteArray("<none>"));
        }
        return out;
    });
    for (auto &t : threads)
        t.join();
    QCOMPARE(bodies, (QList<QByteArray>{"/a", "/b", "/c"}));
    QCOMPARE(server.inFlight(), 0);
}

void TestHttpServer::disconnectWhilePending()
{
    auto cfg = smallConfig();
    cfg.ioThreads = 2;
    HttpServer server(cfg);
    std::mutex mutex;
    QList<Responder> parked;
    server.setHandler([&](HttpRequest &req, const Responder &r) {
        if (req.path == QLatin1String("/park")) {
            std::lock_guard lock(mutex);
            parked.append(r);
            return;
        }
        r.send(HttpResponse::text(200, "ok"));
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    for (int round = 0; round < 5; ++round) {
        runClient([port] {
            Client c(port);
            c.send(get("/park"));
            std::this_thread::sleep_for(20ms);
            c.close();
            return 0;
        });
        QTRY_COMPARE(server.connectionCount(), 0);
        QCOMPARE(server.inFlight(), 0);
        QList<Responder> toAnswer;
        {
            std::lock_guard lock(mutex);
            toAnswer.swap(parked);
        }
        QCOMPARE(toAnswer.size(), 1);
        // Answer from another thread and from this one, after the client left.
        bool sent = false;
        std::thread t([r = toAnswer.first(), &sent] { sent = r.send(HttpResponse::text(200, "late")); });
        t.join();
        QVERIFY(sent);
        QVERIFY(!toAnswer.first().send(HttpResponse::text(200, "again")));
        QTest::qWait(10);
        auto r = runClient([port] {
            Client c(port);
            c.send(get("/ok"));
            return c.read();
        });
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("ok"));
    }
    // Answer while the connection is still there but from a thread racing the close.
    for (int round = 0; round < 5; ++round) {
        runClient([port, &mutex, &parked] {
            Client c(port);
            c.send(get("/park"));
            for (int i = 0; i < 200; ++i) {
                std::this_thread::sleep_for(1ms);
                std::lock_guard lock(mutex);
                if (!parked.isEmpty())
                    break;
            }
            std::thread t([&] {
                std::lock_guard lock(mutex);
                if (!parked.isEmpty())
                    parked.takeFirst().send(HttpResponse::text(200, "racy"));
            });
            c.close();
            t.join();
            return 0;
        });
    }
    QTRY_COMPARE(server.connectionCount(), 0);
    QCOMPARE(server.inFlight(), 0);
}

void TestHttpServer::responderFromWorkerThread()
{
    HttpServer server(smallConfig());
    QThreadPool pool;
    server.setHandler([&](HttpRequest &req, const Responder &r) {
        const QByteArray path = req.path.toUtf8();
        pool.start([r, path] {
            QThread::msleep(5);
            r.send(HttpResponse::text(201, "worker:" + path));
        });
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto bodies = runClient([port] {
        Client c(port);
        QList<QByteArray> out;
        for (int i = 0; i < 3; ++i) {
            c.send(get("/w" + QByteArray::number(i)));
            auto r = c.read();
            out.append(r ? QByteArray::number(r->status) + " " + r->body : QByteArray("<none>"));
        }
        return out;
    });
    pool.waitForDone();
    QCOMPARE(bodies, (QList<QByteArray>{"201 worker:/w0", "201 worker:/w1", "201 worker:/w2"}));
}

void TestHttpServer::expectContinue()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client c(port);
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        auto cont = c.read();
        c.send("hello");
        auto r = c.read();
        return std::make_pair(cont, r);
    });
    QVERIFY(res.first && res.second);
    QCOMPARE(res.first->status, 100);
    QCOMPARE(res.second->status, 200);
    QCOMPARE(jsonOf(*res.second).value(QStringLiteral("body")).toString(), QStringLiteral("hello"));

    auto big = runClient([port] {
        Client c(port);
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
        return c.read();
    });
    QVERIFY(big);
    QCOMPARE(big->status, 413);
}

void TestHttpServer::webSocketUpgrade_data()
{
    QTest::addColumn<int>("ioThreads");
    QTest::newRow("1 io thread") << 1;
    QTest::newRow("2 io threads") << 2;
}

void TestHttpServer::webSocketUpgrade()
{
    QFETCH(int, ioThreads);
    QWebSocketServer echo(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    connect(&echo, &QWebSocketServer::newConnection, this, [&echo] {
        while (QWebSocket *ws = echo.nextPendingConnection()) {
            ws->setParent(&echo);
            connect(ws, &QWebSocket::textMessageReceived, ws,
                    [ws](const QString &m) { ws->sendTextMessage(QStringLiteral("echo:") + m); });
            connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
        }
    });
    auto cfg = smallConfig();
    cfg.ioThreads = ioThreads;
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    std::atomic_int routed{0};
    server.setWebSocketRouter([&](const HttpRequest &req) -> QWebSocketServer * {
        ++routed;
        return req.path == QLatin1String("/ws") ? &echo : nullptr;
    });
    QVERIFY(server.listen().has_value());
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/ws").arg(server.serverPort()));

    // Two clients: with 2 io threads one of them lands on the worker thread.
    QList<QWebSocket *> clients;
    QStringList received;
    for (int i = 0; i < 2; ++i) {
        auto *c = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        connect(c, &QWebSocket::textMessageReceived, this,
                [&received](const QString &m) { received.append(m); });
        c->open(url);
        clients.append(c);
    }
    for (QWebSocket *c : clients)
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), QAbstractSocket::ConnectedState, 5000);
    clients[0]->sendTextMessage(QStringLiteral("one"));
    clients[1]->sendTextMessage(QStringLiteral("two"));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 5000);
    received.sort();
    QCOMPARE(received, (QStringList{QStringLiteral("echo:one"), QStringLiteral("echo:two")}));
    QCOMPARE(routed.load(), 2);
    // Handed over: no longer counted as HTTP connections.
    QTRY_COMPARE(server.connectionCount(), 0);

    // Plain HTTP still works alongside.
    const quint16 port = server.serverPort();
    auto r = runClient([port] {
        Client c(port);
        c.send(get("/plain"));
        return c.read();
    });
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    qDeleteAll(clients);
}

void TestHttpServer::webSocketNoRoute()
{
    HttpServer server(smallConfig());
    server.setHandler(echoHandler());
    server.setWebSocketRouter([](const HttpRequest &) -> QWebSocketServer * { return nullptr; });
    std::atomic_int observed{0};
    server.setProtocolErrorObserver([&](const HttpRequest &req, const HttpResponse &resp) {
        if (resp.status == 404 && req.path == QLatin1String("/nows"))
            ++observed;
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto r = runClient([port] {
        Client c(port);
        c.send(get("/nows", "Upgrade: WebSocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
        return c.read();
    });
    QVERIFY(r);
    QCOMPARE(r->status, 404);
    QCOMPARE(r->header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(observed.load(), 1);
}

void TestHttpServer::ioThreads()
{
    auto cfg = smallConfig();
    cfg.ioThreads = 3;
    HttpServer server(cfg);
    std::mutex mutex;
    std::set<QThread *> threads;
    server.setHandler([&](HttpRequest &, const Responder &r) {
        {
            std::lock_guard lock(mutex);
            threads.insert(QThread::currentThread());
        }
        r.send(HttpResponse::text(200, "t"));
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    const int ok = runClient([port] {
        std::vector<std::unique_ptr<Client>> cs;
        for (int i = 0; i < 6; ++i)
            cs.push_back(std::make_unique<Client>(port));
        int n = 0;
        for (int round = 0; round < 3; ++round) {
            for (auto &c : cs)
                c->send(get("/t"));
            for (auto &c : cs) {
                auto r = c->read();
                n += r && r->status == 200;
            }
        }
        return n;
    });
    QCOMPARE(ok, 18);
    QCOMPARE(int(threads.size()), 3);
    QVERIFY(threads.count(QThread::currentThread()));
    QTRY_COMPARE(server.connectionCount(), 0);
}

void TestHttpServer::maxConnections()
{
    auto cfg = smallConfig();
    cfg.maxConnections = 2;
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        Client a(port), b(port);
        a.send(get("/a"));
        b.send(get("/b"));
        const bool ab = a.read() && b.read();
        Client c(port);
        const bool cClosed = c.waitClosed(2000);
        a.send(get("/a2"));
        const bool aStill = a.read().has_value();
        return std::make_tuple(ab, cClosed, aStill);
    });
    QVERIFY(std::get<0>(res));
    QVERIFY(std::get<1>(res));
    QVERIFY(std::get<2>(res));
    QTRY_COMPARE(server.connectionCount(), 0);
}

void TestHttpServer::stopListeningDrains()
{
    HttpServer server(smallConfig());
    Responder parked;
    server.setHandler([&](HttpRequest &req, const Responder &r) {
        if (req.path == QLatin1String("/slow"))
            parked = r;
        else
            r.send(HttpResponse::text(200, "fast"));
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    QSignalSpy drained(&server, &HttpServer::drained);

    auto slow = std::async(std::launch::async, [port] {
        Client c(port);
        c.send(get("/slow"));
        auto r = c.read();
        return std::make_pair(r, c.waitClosed());
    });
    // An idle keep-alive connection, to be closed by stopListening().
    auto idle = std::async(std::launch::async, [port] {
        Client c(port);
        c.send(get("/fast"));
        auto r = c.read();
        return r && c.waitClosed(5000);
    });
    QTRY_COMPARE(server.inFlight(), 1);
    QTRY_COMPARE(server.connectionCount(), 2);
    QTest::qWait(50);

    server.stopListening();
    QVERIFY(!server.isListening());
    QCOMPARE(drained.size(), 0);
    QTRY_VERIFY(idle.wait_for(0ms) == std::future_status::ready);
    QVERIFY(idle.get());

    auto refused = runClient([port] {
        Client c(port);
        return !c.connected() || c.waitClosed(1000);
    });
    QVERIFY(refused);

    QVERIFY(parked.isValid());
    parked.send(HttpResponse::text(200, "done"));
    QTRY_VERIFY(slow.wait_for(0ms) == std::future_status::ready);
    auto res = slow.get();
    QVERIFY(res.first);
    QCOMPARE(res.first->body, QByteArray("done"));
    QCOMPARE(res.first->header("connection"), QByteArray("close"));
    QVERIFY(res.second);
    QTRY_COMPARE(drained.size(), 1);
    QCOMPARE(server.inFlight(), 0);
    QTRY_COMPARE(server.connectionCount(), 0);

    // Already drained: a second server stopping with nothing in flight emits at once.
    HttpServer other(smallConfig());
    QVERIFY(other.listen().has_value());
    QSignalSpy drained2(&other, &HttpServer::drained);
    other.stopListening();
    QCOMPARE(drained2.size(), 1);
}

void TestHttpServer::noHandlerAnswers404()
{
    HttpServer server(smallConfig());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto r = runClient([port] {
        Client c(port);
        c.send(get("/"));
        return c.read();
    });
    QVERIFY(r);
    QCOMPARE(r->status, 404);
}

void TestHttpServer::droppedResponderAndThrowAnswer500()
{
    HttpServer server(smallConfig());
    server.setHandler([](HttpRequest &req, const Responder &r) {
        if (req.path == QLatin1String("/throw"))
            throw std::runtime_error("boom");
        if (req.path == QLatin1String("/ok"))
            r.send(HttpResponse::text(200, "ok"));
        // otherwise: dropped without an answer
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    QTest::ignoreMessage(QtWarningMsg, "HttpServer: a handler dropped its Responder without answering");
    auto res = runClient([port] {
        Client c(port);
        c.send(get("/drop") + get("/throw") + get("/ok"));
        QList<int> out;
        for (int i = 0; i < 3; ++i) {
            auto r = c.read();
            out.append(r ? r->status : 0);
        }
        return out;
    });
    QCOMPARE(res, (QList<int>{500, 500, 200}));
    QCOMPARE(server.inFlight(), 0);
}

namespace {

/// Counts refusals by reason (the observer runs on io threads).
struct RefusalCounter {
    std::mutex mutex;
    std::map<Refusal, int> counts;
    std::function<void(Refusal)> observer()
    {
        return [this](Refusal r) {
            std::lock_guard lock(mutex);
            ++counts[r];
        };
    }
    int operator[](Refusal r)
    {
        std::lock_guard lock(mutex);
        return counts[r];
    }
};

/// Sends `head`, then `body` one piece every `intervalMs` until the server answers;
/// returns the answer, the milliseconds from the head to the answer, and whether the
/// server closed afterwards.
std::tuple<std::optional<Response>, qint64, bool> dripBody(quint16 port, const QByteArray &head,
                                                           const QList<QByteArray> &pieces, int intervalMs)
{
    Client c(port);
    const auto t0 = std::chrono::steady_clock::now();
    c.send(head);
    c.setTimeout(intervalMs);
    for (int i = 0; c.buf.indexOf("\r\n\r\n") < 0 && i < 200; ++i) {
        if (i < pieces.size() && !c.send(pieces[i]))
            break;
        if (c.fill() == 0)
            break;
    }
    c.setTimeout(5000);
    auto r = c.read();
    const qint64 ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    return {r, ms, r && c.waitClosed()};
}

} // namespace

void TestHttpServer::slowBodyOverallDeadline()
{
    // One byte every 100 ms used to restart the body deadline forever; now the body has
    // an overall deadline.
    auto cfg = smallConfig();
    cfg.bodyTimeoutMs = 800;
    cfg.minBodyBytesPerSecond = 0;   // only the overall deadline here
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    RefusalCounter refusals;
    server.setRefusalObserver(refusals.observer());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto [r, ms, closed] = runClient([port] {
        return dripBody(port, "POST /drip HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n",
                        QList<QByteArray>(100, "x"), 100);
    });
    QVERIFY(r);
    QCOMPARE(r->status, 408);
    QCOMPARE(r->header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(r->header("connection"), QByteArray("close"));
    QVERIFY(jsonOf(*r).value(QStringLiteral("type")).toString().endsWith(QLatin1String("/request-timeout")));
    QVERIFY(closed);
    QVERIFY2(ms >= 700 && ms < 2500, QByteArray::number(ms));
    QCOMPARE(refusals[Refusal::BodyTimeout], 1);

    // A body that arrives in time is not affected.
    auto ok = runClient([port] {
        return dripBody(port, "POST /drip HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\n", {"ab", "cd"}, 100);
    });
    QVERIFY(std::get<0>(ok));
    QCOMPARE(std::get<0>(ok)->status, 200);
}

void TestHttpServer::slowBodyMinimumRate()
{
    auto cfg = smallConfig();
    cfg.bodyTimeoutMs = 20'000;
    cfg.minBodyBytesPerSecond = 100;
    cfg.bodyRateGraceMs = 500;
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    RefusalCounter refusals;
    server.setRefusalObserver(refusals.observer());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    // 10 bytes/s: cut off soon after the grace period, long before the overall deadline.
    auto [r, ms, closed] = runClient([port] {
        return dripBody(port, "POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n",
                        QList<QByteArray>(200, "y"), 100);
    });
    QVERIFY(r);
    QCOMPARE(r->status, 408);
    QVERIFY(jsonOf(*r).value(QStringLiteral("detail")).toString().contains(QLatin1String("too slowly")));
    QVERIFY(closed);
    QVERIFY2(ms >= 400 && ms < 2500, QByteArray::number(ms));
    QCOMPARE(refusals[Refusal::BodyTooSlow], 1);

    // Well above the minimum rate and longer than the grace period: accepted.
    auto ok = runClient([port] {
        return dripBody(port, "POST /fast HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n",
                        QList<QByteArray>(5, QByteArray(200, 'z')), 150);
    });
    QVERIFY(std::get<0>(ok));
    QCOMPARE(std::get<0>(ok)->status, 200);
    QCOMPARE(jsonOf(*std::get<0>(ok)).value(QStringLiteral("body")).toString().size(), 1000);
}

void TestHttpServer::perIpConnectionLimit()
{
    auto cfg = smallConfig();
    cfg.maxConnectionsPerIp = 2;
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    RefusalCounter refusals;
    server.setRefusalObserver(refusals.observer());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    constexpr quint32 kOther = 0x7f000002;   // 127.0.0.2
    auto res = runClient([port] {
        auto a = std::make_unique<Client>(port);
        Client b(port);
        a->send(get("/a"));
        b.send(get("/b"));
        const bool ab = a->read() && b.read();
        Client c(port);   // the third from 127.0.0.1: refused
        const bool cClosed = c.waitClosed(2000);
        Client other(port, kOther);   // another address has its own allowance
        other.send(get("/other"));
        const bool otherOk = other.read().has_value();
        b.send(get("/b2"));
        const bool bStill = b.read().has_value();
        a.reset();   // frees a slot for 127.0.0.1
        std::optional<Response> late;
        for (int i = 0; i < 50 && !late; ++i) {
            Client d(port);
            d.send(get("/d"));
            late = d.read();
            if (!late)
                std::this_thread::sleep_for(20ms);
        }
        return std::make_tuple(ab, cClosed, otherOk, bStill, late.has_value());
    });
    QVERIFY(std::get<0>(res));
    QVERIFY(std::get<1>(res));
    QVERIFY(std::get<2>(res));
    QVERIFY(std::get<3>(res));
    QVERIFY(std::get<4>(res));
    QVERIFY(refusals[Refusal::PerIpConnections] >= 1);
    QCOMPARE(refusals[Refusal::MaxConnections], 0);
    QTRY_COMPARE(server.connectionCount(), 0);
}

void TestHttpServer::rfc9112Refusals_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("slug");
    QTest::newRow("HTTP/1.1 without Host") << QByteArray("GET /x HTTP/1.1\r\nX-Test: a\r\n\r\n") << 400 << QStringLiteral("bad-request");
    QTest::newRow("two Host headers") << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400 << QStringLiteral("bad-request");
    QTest::newRow("space before colon") << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nX-Test : b\r\n\r\n") << 400
                                        << QStringLiteral("bad-request");
    QTest::newRow("tab before colon") << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nX-Test\t: b\r\n\r\n") << 400
                                      << QStringLiteral("bad-request");
    QTest::newRow("space before Host colon") << QByteArray("GET /x HTTP/1.1\r\nHost : a\r\n\r\n") << 400 << QStringLiteral("bad-request");
    QTest::newRow("obs-fold space") << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nX-Test: b\r\n  c\r\n\r\n") << 400
                                    << QStringLiteral("bad-request");
    QTest::newRow("obs-fold tab") << QByteArray("GET /x HTTP/1.1\r\nX-Test: b\r\n\tc\r\nHost: a\r\n\r\n") << 400
                                  << QStringLiteral("bad-request");
    QTest::newRow("gzip, chunked") << QByteArray("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                                                 "5\r\nhello\r\n0\r\n\r\n")
                                   << 501 << QStringLiteral("not-implemented");
    QTest::newRow("gzip then chunked") << QByteArray("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n"
                                                     "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                                       << 501 << QStringLiteral("not-implemented");
    QTest::newRow("chunked twice") << QByteArray("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"
                                                 "5\r\nhello\r\n0\r\n\r\n")
                                   << 400 << QStringLiteral("bad-request");
    // Still accepted:
    QTest::newRow("HTTP/1.0 without Host") << QByteArray("GET /x HTTP/1.0\r\n\r\n") << 200 << QString();
    QTest::newRow("plain chunked") << QByteArray("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                 "5\r\nhello\r\n0\r\n\r\n")
                                   << 200 << QString();
    QTest::newRow("space after colon") << QByteArray("GET /x HTTP/1.1\r\nHost:   a  \r\nX-Test:\tb\r\n\r\n") << 200 << QString();
}

void TestHttpServer::rfc9112Refusals()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, slug);
    HttpServer server(smallConfig());
    std::atomic_int handled{0};
    server.setHandler([&](HttpRequest &req, const Responder &r) {
        ++handled;
        r.send(HttpResponse::text(200, req.body));
    });
    std::atomic_int observed{0};
    server.setProtocolErrorObserver([&](const HttpRequest &, const HttpResponse &resp) {
        if (resp.status == status)
            ++observed;
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port, request] {
        Client c(port);
        c.send(request);
        auto r = c.read();
        return std::make_pair(r, r && r->status >= 400 && c.waitClosed());
    });
    QVERIFY(res.first);
    QCOMPARE(res.first->status, status);
    if (status >= 400) {
        QCOMPARE(res.first->header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(res.first->header("connection"), QByteArray("close"));
        const QJsonObject o = jsonOf(*res.first);
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("https://community.example/problems/") + slug);
        QCOMPARE(o.value(QStringLiteral("status")).toInt(), status);
        QVERIFY(!o.value(QStringLiteral("detail")).toString().isEmpty());
        QVERIFY(res.second);
        QCOMPARE(handled.load(), 0);
        QCOMPARE(observed.load(), 1);
    } else {
        QCOMPARE(handled.load(), 1);
    }
}

void TestHttpServer::tooManyHeaders()
{
    auto cfg = smallConfig();
    cfg.maxHeaderCount = 5;
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    RefusalCounter refusals;
    server.setRefusalObserver(refusals.observer());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto headers = [](int n) {
        QByteArray h;
        for (int i = 0; i < n; ++i)
            h += "X-H" + QByteArray::number(i) + ": v\r\n";
        return h;
    };
    // Host + 4 = 5 fields: at the limit.
    auto ok = runClient([port, h = headers(4)] {
        Client c(port);
        c.send(get("/ok", h));
        return c.read();
    });
    QVERIFY(ok);
    QCOMPARE(ok->status, 200);
    // Host + 5 = 6 fields, and many more: 431.
    for (int n : {5, 200}) {
        auto res = runClient([port, h = headers(n)] {
            Client c(port);
            c.send(get("/many", h));
            auto r = c.read();
            return std::make_pair(r, c.waitClosed());
        });
        QVERIFY(res.first);
        QCOMPARE(res.first->status, 431);
        QCOMPARE(res.first->header("content-type"), QByteArray("application/problem+json"));
        QVERIFY(jsonOf(*res.first).value(QStringLiteral("type")).toString().endsWith(
            QLatin1String("/header-fields-too-large")));
        QVERIFY(jsonOf(*res.first).value(QStringLiteral("detail")).toString().contains(QLatin1String("header fields")));
        QVERIFY(res.second);
    }
    QCOMPARE(refusals[Refusal::TooManyHeaders], 2);
}

void TestHttpServer::drainAnswersPartlyReceivedRequests()
{
    auto cfg = smallConfig();
    cfg.headerTimeoutMs = 30'000;   // the half-sent head must meet the drain, not its own 408
    HttpServer server(cfg);
    server.setHandler(echoHandler());
    RefusalCounter refusals;
    server.setRefusalObserver(refusals.observer());
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    QSignalSpy drained(&server, &HttpServer::drained);

    // Three partly sent requests: one finishes during the drain, two never do.
    std::promise<void> stopped;
    auto stoppedFuture = stopped.get_future().share();
    auto finishing = std::async(std::launch::async, [port, stoppedFuture] {
        Client c(port);
        c.send("POST /late HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhello");
        stoppedFuture.wait();
        c.send("world");
        auto r = c.read();
        return std::make_pair(r, r && c.waitClosed());
    });
    auto halfBody = std::async(std::launch::async, [port] {
        Client c(port);
        c.send("POST /never HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhalf");
        auto r = c.read();
        return std::make_pair(r, r && c.waitClosed());
    });
    auto halfHead = std::async(std::launch::async, [port] {
        Client c(port);
        c.send("GET /never HTTP/1.1\r\nHost: t\r\n");
        auto r = c.read();
        return std::make_pair(r, r && c.waitClosed());
    });
    QTRY_COMPARE(server.connectionCount(), 3);
    QTest::qWait(100);   // every byte sent so far is in the server

    server.stopListening();
    QTest::qWait(100);
    QCOMPARE(drained.size(), 0);   // partly received requests hold the drain open
    stopped.set_value();
    QTRY_VERIFY(finishing.wait_for(0ms) == std::future_status::ready);
    auto done = finishing.get();
    QVERIFY(done.first);
    QCOMPARE(done.first->status, 200);
    QCOMPARE(jsonOf(*done.first).value(QStringLiteral("body")).toString(), QStringLiteral("helloworld"));
    QCOMPARE(done.first->header("connection"), QByteArray("close"));
    QVERIFY(done.second);
    QCOMPARE(drained.size(), 0);

    // The budget is spent: the other two are answered 503, never dropped.
    server.abortIncompleteRequests();
    for (auto *f : {&halfBody, &halfHead}) {
        QTRY_VERIFY(f->wait_for(0ms) == std::future_status::ready);
        auto r = f->get();
        QVERIFY(r.first);
        QCOMPARE(r.first->status, 503);
        QCOMPARE(r.first->header("connection"), QByteArray("close"));
        QCOMPARE(r.first->header("content-type"), QByteArray("application/problem+json"));
        QVERIFY(jsonOf(*r.first).value(QStringLiteral("type")).toString().endsWith(QLatin1String("/shutting-down")));
        QVERIFY(r.second);
    }
    QTRY_COMPARE(drained.size(), 1);
    QCOMPARE(refusals[Refusal::Draining], 2);
    QTRY_COMPARE(server.connectionCount(), 0);
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
