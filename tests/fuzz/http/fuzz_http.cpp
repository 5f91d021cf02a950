// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// libFuzzer target: the HTTP/1.1 layer (HttpServer, HttpConnection: http-parser callbacks,
// header and body limits, pipelining, Expect, upgrades, protocol errors).
//
// HttpConnection reads a socket descriptor and has no byte-level seam, and its header is
// private to core, so the target drives the real server the way a client does: one
// HttpServer on 127.0.0.1 (port 0) in this process, and per input a fresh loopback TCP
// connection that gets the input in chunks of a size picked from the input (parsing across
// reads), then a half-close; the event loop runs until the server has closed. The
// client's close is abortive (SO_LINGER 0) so that millions of connections leave no
// TIME_WAIT behind.
//
// The handler answers by path: synchronously (echo), later from the event loop
// (/async...), from a pool thread (/thread...), never (/drop...: the server's 500), by
// throwing (/throw...); /ws goes to a QWebSocketServer. Checked: every request the handler
// sees is within the configured limits with lower-case header names; what comes back
// starts as an HTTP/1.1 response; the server closes every connection; after each input no
// connection and no request is left (connectionCount, inFlight).

#include "community/host/httpserver.h"

#include <QCoreApplication>
#include <QThreadPool>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Community::Http;

namespace {

constexpr qint64 kMaxHeaderBytes = 2048;
constexpr qint64 kMaxBodyBytes = 4096;
constexpr auto kInputDeadline = std::chrono::seconds(10);

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_http: contract broken: %s\n", what);
    std::abort();
}

void messageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    // The server's warnings (a dropped Responder) are expected here; an assertion is not.
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "fuzz_http: Qt fatal: %s\n", qPrintable(message));
        std::abort();
    }
}

std::atomic_int g_outstanding{0};   ///< answers still to come from the pool or a timer

void handle(HttpRequest &request, const Responder &responder)
{
    if (request.method.isEmpty() || request.httpMajor != 1)
        broken("request without method or with a version the server refuses");
    if (request.body.size() > kMaxBodyBytes)
        broken("body over maxBodyBytes reached the handler");
    if (request.target.size() > kMaxHeaderBytes)
        broken("target over maxHeaderBytes reached the handler");
    for (const auto &h : request.headers) {
        for (char c : h.first) {
            if (c >= 'A' && c <= 'Z')
                broken("header name not lower-cased");
        }
    }
    HttpResponse response = HttpResponse::text(200, request.body, "application/octet-stream");
    response.setHeader("X-Method", request.method);
    if (request.path.contains(QLatin1String("close")))
        response.setHeader("Connection", "close");
    const QString &path = request.path;
    if (path.startsWith(QLatin1String("/async"))) {
        ++g_outstanding;
        QTimer::singleShot(0, [responder, response] {
            responder.send(response);
            --g_outstanding;
        });
    } else if (path.startsWith(QLatin1String("/thread"))) {
        ++g_outstanding;
        QThreadPool::globalInstance()->start([responder, response] {
            responder.send(response);
            --g_outstanding;
        });
    } else if (path.startsWith(QLatin1String("/drop"))) {
        return;   // the connection's guard answers 500
    } else if (path.startsWith(QLatin1String("/throw"))) {
        throw std::runtime_error("handler failure");
    } else {
        responder.send(std::move(response));
    }
}

struct Harness {
    HttpServer *server = nullptr;
    QWebSocketServer *ws = nullptr;
    quint16 port = 0;
};

Harness &harness()
{
    static Harness h = [] {
        qputenv("QT_NO_GLIB", "1");
        qInstallMessageHandler(messageHandler);
        static int argc = 1;
        static char name[] = "fuzz_http";
        static char *argv[] = {name, nullptr};
        new QCoreApplication(argc, argv);
        Harness out;
        HttpServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.maxHeaderBytes = kMaxHeaderBytes;
        config.maxBodyBytes = kMaxBodyBytes;
        config.ioThreads = 1;
        out.server = new HttpServer(config);
        out.server->setHandler(handle);
        out.ws = new QWebSocketServer(QStringLiteral("fuzz"), QWebSocketServer::NonSecureMode);
        out.ws->setHandshakeTimeout(std::chrono::milliseconds(200));
        QObject::connect(out.ws, &QWebSocketServer::newConnection, out.ws, [ws = out.ws] {
            while (QWebSocket *s = ws->nextPendingConnection()) {
                s->abort();
                s->deleteLater();
            }
        });
        out.server->setWebSocketRouter([ws = out.ws](const HttpRequest &r) -> QWebSocketServer * {
            return r.path.startsWith(QLatin1String("/ws")) ? ws : nullptr;
        });
        if (!out.server->listen())
            broken("cannot listen on 127.0.0.1");
        out.port = out.server->serverPort();
        return out;
    }();
    return h;
}

void spin()
{
    QCoreApplication::processEvents(QEventLoop::AllEvents);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Harness &h = harness();
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        broken("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(h.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 && errno != EINPROGRESS)
        broken("connect() failed");

    // Chunk size from the input: whole, or 1..97 bytes per write.
    const size_t hash = qHash(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    const size_t chunk = (hash % 4 == 0) ? size : 1 + (hash >> 2) % 97;

    size_t sent = 0;
    bool halfClosed = false;
    QByteArray received;
    const auto deadline = std::chrono::steady_clock::now() + kInputDeadline;
    for (;;) {
        spin();
        if (!halfClosed) {
            const size_t n = std::min(chunk, size - sent);
            if (n > 0) {
                const ssize_t w = ::send(fd, data + sent, n, MSG_NOSIGNAL);
                if (w > 0)
                    sent += size_t(w);
                else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                    sent = size;   // the server closed early (e.g. after a 431); stop sending
            }
            if (sent == size) {
                ::shutdown(fd, SHUT_WR);
                halfClosed = true;
            }
        }
        char buf[16384];
        const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
        if (r > 0) {
            received.append(buf, qsizetype(r));
        } else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ENOTCONN)) {
            break;   // the server closed (or reset) the connection
        }
        if (std::chrono::steady_clock::now() > deadline)
            broken("the server did not close the connection");
    }
    const linger abortive{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    ::close(fd);

    if (!received.isEmpty() && !received.startsWith("HTTP/1.1 "))
        broken("the answer is not an HTTP/1.1 response");

    // Everything the input started must be over: late answers delivered, connection objects
    // deleted, counters back to zero.
    while (g_outstanding.load() > 0 || h.server->connectionCount() > 0 || h.server->inFlight() > 0) {
        spin();
        if (std::chrono::steady_clock::now() > deadline + kInputDeadline)
            broken("a connection or request outlived its input");
    }
    return 0;
}
