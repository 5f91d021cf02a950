// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chaos/httpfaults.h"

#include "community/host/faults.h"
#include "community/problem.h"

#include <QDir>
#include <QRandomGenerator>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Community::Chaos {

using namespace Http;

namespace {

// The socket of this request's connection: the one whose peer is the request's peer. The
// connection thread owns it and is inside handle() now, so nothing else writes to it.
int findConnectionSocket(const HttpRequest &request)
{
    const QStringList fds = QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System);
    for (const QString &name : fds) {
        const int fd = name.toInt();
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        if (::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &len) != 0)
            continue;
        if (peer.ss_family == AF_INET) {
            const auto *in = reinterpret_cast<const sockaddr_in *>(&peer);
            if (ntohs(in->sin_port) == request.peerPort && QHostAddress(ntohl(in->sin_addr.s_addr)).isEqual(request.peerAddress, QHostAddress::TolerantConversion))
                return fd;
        } else if (peer.ss_family == AF_INET6) {
            const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(&peer);
            if (ntohs(in6->sin6_port) == request.peerPort
                && QHostAddress(in6->sin6_addr.s6_addr).isEqual(request.peerAddress, QHostAddress::TolerantConversion))
                return fd;
        }
    }
    return -1;
}

// Half a response, then an RST: the client sees the body cut off by a reset.
void resetMidResponse(const HttpRequest &request, const Responder &responder)
{
    const int fd = findConnectionSocket(request);
    if (fd >= 0) {
        const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n"
                                "{\"chaos\":\"this response is cut off by an injected connection reset";
        const ssize_t n = ::send(fd, head.constData(), size_t(head.size()), MSG_NOSIGNAL);
        Q_UNUSED(n);
        const linger hard{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    // The connection closes the socket after this (Connection: close); with SO_LINGER 0
    // the close is an RST.
    HttpResponse r = problem(503, QStringLiteral("chaos-reset"), QStringLiteral("Service Unavailable"),
                             QStringLiteral("Injected connection reset."), {}, request.requestId);
    r.setHeader("Connection", "close");
    responder.send(std::move(r));
}

Responder holding(FaultRegistry &registry, Responder outer, std::function<int(const HttpResponse &)> holdMs)
{
    return Responder([&registry, outer = std::move(outer), holdMs = std::move(holdMs)](HttpResponse &&response) {
        const int ms = holdMs(response);
        auto shared = std::make_shared<HttpResponse>(std::move(response));
        registry.runLater(ms, [outer, shared] { outer.send(std::move(*shared)); });
    });
}

int jittered(const Fault &f)
{
    int ms = f.delayMs;
    if (f.jitterMs > 0)
        ms += int(QRandomGenerator::global()->bounded(2 * f.jitterMs + 1)) - f.jitterMs;
    return std::max(0, ms);
}

} // namespace

bool applyHttpFaults(FaultRegistry &registry, const HttpRequest &request, const QString &owner, Responder &responder)
{
    Target target{request.route, owner,
                  request.principal.userId ? QString::number(request.principal.userId) : request.peerAddress.toString()};
    if (auto f = registry.pick(FaultKind::HttpAbort, target)) {
        HttpResponse r = problem(f->status, QStringLiteral("chaos-abort"), QString::fromLatin1(reasonPhrase(f->status)),
                                 QStringLiteral("Injected fault %1.").arg(f->id), {}, request.requestId);
        if (f->status == 503 || f->status == 429)
            r.setHeader("Retry-After", "1");
        responder.send(std::move(r));
        return true;
    }
    if (registry.pick(FaultKind::HttpReset, target)) {
        resetMidResponse(request, responder);
        return true;
    }
    if (auto f = registry.pick(FaultKind::HttpDelay, target)) {
        const int ms = jittered(*f);
        responder = holding(registry, responder, [ms](const HttpResponse &) { return ms; });
    }
    if (auto f = registry.pick(FaultKind::HttpThrottle, target)) {
        // Paced as a whole: the response leaves when a link of bytesPerSecond would have
        // carried its body (docs/adr/0019: a trickle needs the connection's writer).
        const int rate = std::max(1, f->bytesPerSecond);
        responder = holding(registry, responder,
                            [rate](const HttpResponse &r) { return int(qint64(r.body.size()) * 1000 / rate); });
    }
    return false;
}

} // namespace Community::Chaos
