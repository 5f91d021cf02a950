// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/httpserver.h"

#include "http/httpconnection.h"

#include "community/router.h"

#include <QTcpServer>
#include <QThread>

#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Community::Http {

using Internal::HttpConnection;
using Internal::ServerShared;

namespace {

class Listener : public QTcpServer {
public:
    using QTcpServer::QTcpServer;
    std::function<void(qintptr)> onIncoming;

protected:
    void incomingConnection(qintptr descriptor) override { onIncoming(descriptor); }
};

// Runs on the thread that owns `parent`.
void createConnection(const std::shared_ptr<ServerShared> &shared, QObject *parent, qintptr fd,
                      const QHostAddress &peer, quint16 peerPort)
{
    auto *conn = new HttpConnection(shared, peer, peerPort, parent);
    if (!conn->start(fd)) {
        delete conn;   // gives back its connection count and address slot
        ::close(int(fd));
    }
}

bool peerOf(int fd, QHostAddress &address, quint16 &port)
{
    sockaddr_storage ss{};
    socklen_t sl = sizeof ss;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&ss), &sl) != 0)
        return false;
    address = QHostAddress(reinterpret_cast<const sockaddr *>(&ss));
    if (ss.ss_family == AF_INET)
        port = ntohs(reinterpret_cast<const sockaddr_in *>(&ss)->sin_port);
    else if (ss.ss_family == AF_INET6)
        port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&ss)->sin6_port);
    return true;
}

} // namespace

const char *refusalName(Refusal refusal)
{
    switch (refusal) {
    case Refusal::MaxConnections: return "max_connections";
    case Refusal::PerIpConnections: return "per_ip_connections";
    case Refusal::HeaderTimeout: return "header_timeout";
    case Refusal::BodyTimeout: return "body_timeout";
    case Refusal::BodyTooSlow: return "body_too_slow";
    case Refusal::TooManyHeaders: return "too_many_headers";
    case Refusal::Draining: return "draining";
    }
    return "unknown";
}

struct HttpServer::Private {
    std::shared_ptr<ServerShared> shared = std::make_shared<ServerShared>();
    Listener *listener = nullptr;
    QObject *mainContext = nullptr;   ///< parent of connections on the server's thread
    struct Worker {
        QThread *thread = nullptr;
        QObject *context = nullptr;   ///< lives on `thread`, parent of its connections
    };
    std::vector<Worker> workers;
    std::size_t next = 0;

    void startWorkers();
    void stopWorkers();
    void incoming(qintptr fd);
};

void HttpServer::Private::startWorkers()
{
    const int count = qMax(1, shared->config.ioThreads) - 1;
    for (int i = int(workers.size()); i < count; ++i) {
        Worker w;
        w.thread = new QThread;
        w.thread->setObjectName(QStringLiteral("http-io-%1").arg(i + 1));
        w.context = new QObject;
        w.context->moveToThread(w.thread);
        // Connections are children of the context and die with it on their own thread.
        QObject::connect(w.thread, &QThread::finished, w.context, &QObject::deleteLater);
        w.thread->start();
        workers.push_back(w);
    }
}

void HttpServer::Private::stopWorkers()
{
    for (auto &w : workers) {
        w.thread->quit();
        w.thread->wait();
        delete w.thread;
    }
    workers.clear();
}

void HttpServer::Private::incoming(qintptr fd)
{
    auto &s = *shared;
    if (s.stopping.load()) {
        ::close(int(fd));
        return;
    }
    if (s.connections.load() >= s.config.maxConnections) {
        ::close(int(fd));
        s.refused(Refusal::MaxConnections);
        return;
    }
    QHostAddress peer;
    quint16 peerPort = 0;
    if (!peerOf(int(fd), peer, peerPort)) {
        ::close(int(fd));   // already reset by the peer
        return;
    }
    if (!s.acquireAddress(peer)) {
        ::close(int(fd));
        s.refused(Refusal::PerIpConnections);
        return;
    }
    s.connections.fetch_add(1);
    s.active.fetch_add(1);   // here, not on the io thread: a drain starting meanwhile waits for it
    const std::size_t slotCount = workers.size() + 1;
    const std::size_t slot = next++ % slotCount;
    if (slot == 0) {
        createConnection(shared, mainContext, fd, peer, peerPort);
        return;
    }
    QObject *ctx = workers[slot - 1].context;
    QMetaObject::invokeMethod(
        ctx, [sh = shared, ctx, fd, peer, peerPort] { createConnection(sh, ctx, fd, peer, peerPort); },
        Qt::QueuedConnection);
}

HttpServer::HttpServer(HttpServerConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->shared->config = std::move(config);
    d->shared->serverContext = this;
    d->shared->emitDrained = [this] { Q_EMIT drained(); };
    d->listener = new Listener(this);
    d->listener->onIncoming = [this](qintptr fd) { d->incoming(fd); };
    d->mainContext = new QObject(this);
}

HttpServer::~HttpServer()
{
    // Reverse of start-up: stop accepting, stop the io threads (their connections go
    // with them), then the connections on this thread.
    d->shared->destroying.store(true);
    d->listener->close();
    d->stopWorkers();
    delete d->mainContext;
    d->mainContext = nullptr;
}

void HttpServer::setHandler(Handler handler)
{
    d->shared->handler = std::move(handler);
}

void HttpServer::setProtocolErrorObserver(
    std::function<void(const HttpRequest &, HttpResponse &)> observer)
{
    d->shared->errorObserver = std::move(observer);
}

void HttpServer::setWebSocketRouter(std::function<QWebSocketServer *(const HttpRequest &)> router)
{
    d->shared->wsRouter = std::move(router);
}

void HttpServer::setWebSocketGate(std::function<std::optional<HttpResponse>(const HttpRequest &)> gate)
{
    d->shared->wsGate = std::move(gate);
}

void HttpServer::setRefusalObserver(std::function<void(Refusal)> observer)
{
    d->shared->refusalObserver = std::move(observer);
}

void HttpServer::setBodySpooler(BodySpooler spooler)
{
    d->shared->spooler = std::move(spooler);
}

void HttpServer::setBodyGate(std::function<std::optional<HttpResponse>(const HttpRequest &)> gate)
{
    d->shared->bodyGate = std::move(gate);
}

BodySpooler routeBodySpooler(const Router &router, qint64 serverLimit)
{
    return [&router, serverLimit](const HttpRequest &req) -> qint64 {
        const Router::Match m = router.match(req.method, req.path);
        if (m.kind != Router::MatchKind::Found || !m.route->options.streamBody)
            return -1;
        const RouteOptions &o = m.route->options;
        qint64 limit = o.maxBodyBytes >= 0 ? o.maxBodyBytes : serverLimit;
        if (o.streamLimit) {
            const qint64 tighter = o.streamLimit(req);
            if (tighter >= 0)
                limit = qMin(limit, tighter);
        }
        return limit;
    };
}

Result<void> HttpServer::listen()
{
    if (d->listener->isListening())
        return {};
    const auto &cfg = d->shared->config;
    d->shared->stopping.store(false);
    d->shared->drainedEmitted.store(false);
    d->startWorkers();
    d->listener->setListenBacklogSize(1024);
    if (!d->listener->listen(cfg.address, cfg.port)) {
        return fail(ErrorCode::Unavailable,
                    tr("Cannot listen on %1:%2").arg(cfg.address.toString()).arg(cfg.port),
                    d->listener->errorString());
    }
    return {};
}

quint16 HttpServer::serverPort() const
{
    return d->listener->serverPort();
}

bool HttpServer::isListening() const
{
    return d->listener->isListening();
}

void HttpServer::stopListening()
{
    auto &s = *d->shared;
    s.stopping.store(true);
    d->listener->close();
    {
        std::lock_guard lock(s.registryMutex);
        for (HttpConnection *conn : std::as_const(s.registry)) {
            QMetaObject::invokeMethod(
                conn, [conn] { conn->serverStopping(); }, Qt::QueuedConnection);
        }
    }
    if (s.inFlight.load() == 0 && s.active.load() == 0 && !s.drainedEmitted.exchange(true))
        Q_EMIT drained();
}

void HttpServer::abortIncompleteRequests()
{
    auto &s = *d->shared;
    std::lock_guard lock(s.registryMutex);
    for (HttpConnection *conn : std::as_const(s.registry)) {
        QMetaObject::invokeMethod(
            conn, [conn] { conn->abortIncomplete(); }, Qt::QueuedConnection);
    }
}

int HttpServer::inFlight() const
{
    return d->shared->inFlight.load();
}

int HttpServer::connectionCount() const
{
    return d->shared->connections.load();
}

} // namespace Community::Http
