// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chaos/httpfaults.h"

#include "community/host/faults.h"
#include "community/problem.h"

#include <QRandomGenerator>

namespace Community::Chaos {

using namespace Http;

namespace {

Responder holding(FaultRegistry &registry, Responder outer, std::function<int(const HttpResponse &)> holdMs)
{
    return Responder([&registry, outer = std::move(outer), holdMs = std::move(holdMs)](HttpResponse &&response) {
        const int ms = holdMs(response);
        auto shared = std::make_shared<HttpResponse>(std::move(response));
        registry.runLater(ms, [outer, shared] { outer.send(std::move(*shared)); });
    });
}

// The handler's response, changed on its way to the connection (which does the shaping).
Responder shaping(Responder outer, std::function<void(HttpResponse &)> shape)
{
    return Responder([outer = std::move(outer), shape = std::move(shape)](HttpResponse &&response) {
        shape(response);
        outer.send(std::move(response));
    });
}

qint64 cutAt(const Fault &f, const HttpResponse &r)
{
    return f.bodyBytes >= 0 ? f.bodyBytes : r.bodyLength() / 2;
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
    // Reset and truncation cut the handler's own response: the work is done, the client
    // does not learn it (an answer lost in flight, what retries and idempotency keys are for).
    if (auto reset = registry.pick(FaultKind::HttpReset, target)) {
        responder = shaping(responder, [f = *reset](HttpResponse &r) { r.shaping.resetAfterBodyBytes = cutAt(f, r); });
    } else if (auto truncate = registry.pick(FaultKind::HttpTruncate, target)) {
        responder = shaping(responder, [f = *truncate](HttpResponse &r) { r.shaping.truncateAfterBodyBytes = cutAt(f, r); });
    }
    if (auto f = registry.pick(FaultKind::HttpThrottle, target)) {
        // The connection writes the body in timed slices; it stops pacing once the fault is
        // cleared (time limit, clear, stop-all), so a slow body does not outlive its fault.
        responder = shaping(responder, [rate = std::max(1, f->bytesPerSecond), live = f->live](HttpResponse &r) {
            r.shaping.bytesPerSecond = rate;
            r.shaping.pacing = live;
        });
    }
    if (auto f = registry.pick(FaultKind::HttpDelay, target)) {
        const int ms = jittered(*f);
        responder = holding(registry, responder, [ms](const HttpResponse &) { return ms; });
    }
    return false;
}

} // namespace Community::Chaos
