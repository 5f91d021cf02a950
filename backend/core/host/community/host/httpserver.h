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
/// Protocol errors (400, 408, 413, 431, 505) are answered by the server itself with
/// problem+json and the connection is closed.

#include "community/http.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

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
};

class HttpServer : public QObject {
    Q_OBJECT
public:
    explicit HttpServer(HttpServerConfig config, QObject *parent = nullptr);
    ~HttpServer() override;

    /// The request pipeline (middleware + router). Set before listen().
    void setHandler(Handler handler);

    /// Observer for responses the server produced itself (protocol errors), for
    /// access logging and metrics. Called on the connection's thread.
    void setProtocolErrorObserver(std::function<void(const HttpRequest &, const HttpResponse &)> observer);

    /// WebSocket upgrades: called on the connection's thread for an upgrade request;
    /// return the QWebSocketServer that takes it (its handleConnection() is invoked on the
    /// server's own thread with the untouched socket), or nullptr to answer 404.
    void setWebSocketRouter(std::function<QWebSocketServer *(const HttpRequest &)> router);

    Result<void> listen();
    quint16 serverPort() const;
    bool isListening() const;

    /// Stops accepting; existing connections continue. Idle keep-alive connections are
    /// closed; busy ones close after their in-flight response (Connection: close).
    void stopListening();

    /// Requests received but not yet answered, across all connections (thread-safe).
    int inFlight() const;
    /// Open connections (thread-safe).
    int connectionCount() const;

Q_SIGNALS:
    /// Emitted (on the server's thread) when stopListening() was called and the last
    /// in-flight request has been answered.
    void drained();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Community::Http
