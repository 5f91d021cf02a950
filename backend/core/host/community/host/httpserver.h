// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Thin HTTP/1.1 server on QTcpServer with libhttp-parser (see docs/adr/0001).
/// Threading: the HttpServer object lives on the thread that created it (the main
/// thread). Accepted connections are spread over `ioThreads` event-loop threads; the
/// handler runs on the connection's thread and must not block: it answers through the
/// Responder, possibly later and from another thread.
/// One request per connection is processed at a time; the parser is paused while a
/// response is pending, so pipelined requests are answered in order.
/// Protocol errors (400, 408, 413, 431, 501, 505, and 503 at the end of a drain) are
/// answered by the server itself with problem+json and the connection is closed.
/// Limits against slow or greedy clients: the request head and the body each have an
/// overall deadline (never restarted by a trickle of bytes), a body must keep a minimum
/// average rate once its grace period is over, and each client address may hold only so
/// many connections; refusals are reported to the refusal observer.

#include "community/http.h"

#include <QHostAddress>
#include <QObject>

#include <functional>

#include <memory>
#include <optional>

class QWebSocketServer;

namespace Community::Http {

struct HttpServerConfig {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;                 ///< 0 = any free port
    qint64 maxHeaderBytes = 16 * 1024;   ///< request line + headers; over it: 431
    qint64 maxBodyBytes = 1024 * 1024;   ///< over it: 413 (checked on Content-Length and while reading)
    int headerTimeoutMs = 10'000;        ///< time to receive a complete request head: 408
    int idleTimeoutMs = 60'000;          ///< keep-alive idle time before close
    int ioThreads = 1;                   ///< event-loop threads for connections (1 = main thread only)
    int maxConnections = 10'000;         ///< over it, new connections are closed at once
    int maxConnectionsPerIp = 256;       ///< per client address (IPv6: per /64); over it, closed at once (0 = no limit)
    /// Reverse proxies whose X-Forwarded-For is believed (HttpRequest::peerAddress is then
    /// the client it names) and whose connections the per-address cap does not count.
    QList<Subnet> trustedProxies;
    int maxHeaderCount = 100;            ///< header fields per request; over it: 431
    int bodyTimeoutMs = 60'000;          ///< time to receive the whole body after the head: 408
    qint64 minBodyBytesPerSecond = 1024; ///< average body rate after the grace period, else 408 (0 = off)
    int bodyRateGraceMs = 5'000;         ///< time before the minimum body rate applies
    QString spoolDirectory;              ///< streamed bodies' temporary files; empty: QDir::tempPath()
};

/// Decides, from a request's head, whether its body streams to a temporary file
/// (HttpRequest::spooled) and up to which size: a limit >= 0, or -1 to buffer it in
/// memory under maxBodyBytes as usual. Runs on the connection's thread.
using BodySpooler = std::function<qint64(const HttpRequest &)>;

class Router;
/// The spooler for the routes of `router` that declare RouteOptions::streamBody (their
/// maxBodyBytes, tightened by streamLimit; `serverLimit` when they name none).
BodySpooler routeBodySpooler(const Router &router, qint64 serverLimit);

/// Why the server refused a connection or cut a request off (for metrics).
enum class Refusal {
    MaxConnections,       ///< the server-wide connection limit
    PerIpConnections,     ///< the per-address connection limit
    HeaderTimeout,        ///< 408: the head did not arrive within headerTimeoutMs
    BodyTimeout,          ///< 408: the body did not arrive within bodyTimeoutMs
    BodyTooSlow,          ///< 408: the body fell under minBodyBytesPerSecond
    TooManyHeaders,       ///< 431: more than maxHeaderCount fields
    Draining,             ///< 503: still being received when the drain budget ran out
};
/// Stable label for a refusal: "max_connections", "per_ip_connections", "header_timeout",
/// "body_timeout", "body_too_slow", "too_many_headers", "draining".
const char *refusalName(Refusal refusal);

class HttpServer : public QObject {
    Q_OBJECT
public:
    explicit HttpServer(HttpServerConfig config, QObject *parent = nullptr);
    ~HttpServer() override;

    /// The request pipeline (middleware + router). Set before listen().
    void setHandler(Handler handler);

    /// Observer for responses the server produced itself (protocol errors), for
    /// access logging and metrics; it may add headers (a matched route's response
    /// headers). Called on the connection's thread before the response is written.
    void setProtocolErrorObserver(std::function<void(const HttpRequest &, HttpResponse &)> observer);

    /// WebSocket upgrades: called on the connection's thread for an upgrade request;
    /// return the QWebSocketServer that takes it (its handleConnection() is invoked on the
    /// server's own thread with the untouched socket), or nullptr to answer 404.
    void setWebSocketRouter(std::function<QWebSocketServer *(const HttpRequest &)> router);
    /// Checked on the connection's thread after the router accepted an upgrade and before
    /// the hand-over: a returned response (401, 403, 429 ...) is sent with
    /// Connection: close instead of upgrading. Must be thread-safe and must not block.
    void setWebSocketGate(std::function<std::optional<HttpResponse>(const HttpRequest &)> gate);

    /// Observer for refused connections and requests cut off by a limit. Set before
    /// listen(); called on the accepting thread or a connection's thread, so it must be
    /// thread-safe (a Prometheus counter is).
    void setRefusalObserver(std::function<void(Refusal)> observer);

    /// Streaming request bodies (ADR 0011). Set before listen(); none: every body is buffered.
    void setBodySpooler(BodySpooler spooler);
    /// Checked on the connection's thread when a request's head says its body will be
    /// spooled, before a byte of the body is read: a returned response (401, 403 ...) is
    /// sent with Connection: close and the body is never stored. Must be thread-safe and
    /// must not block.
    void setBodyGate(std::function<std::optional<HttpResponse>(const HttpRequest &)> gate);

    Result<void> listen();
    quint16 serverPort() const;
    bool isListening() const;

    /// Stops accepting; existing connections continue. Idle keep-alive connections are
    /// closed; busy ones close after their in-flight response (Connection: close), and a
    /// request partly received goes on being read and is answered like any other.
    void stopListening();

    /// The end of a drain budget: every request still being received is answered 503
    /// with Connection: close (never dropped silently); idle connections are closed.
    /// Requests already with their handler are left to it. Call after stopListening().
    void abortIncompleteRequests();

    /// Requests received but not yet answered, across all connections (thread-safe).
    int inFlight() const;
    /// Open connections (thread-safe).
    int connectionCount() const;

Q_SIGNALS:
    /// Emitted (on the server's thread) when stopListening() was called and every
    /// connection is done: nothing in flight and no request partly received.
    void drained();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Community::Http
