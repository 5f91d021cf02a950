// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The gateway's request pipeline: request id and trace context, access log, metrics,
/// CORS, routing (404/405), per-route body limit (413), content type (415), operator
/// authentication, and a catch-all turning any escaped exception into a 500 problem.
/// Threading: handle() runs on a connection's event-loop thread; finalizers run on the
/// thread that answers. Everything it touches after construction is thread-safe.

#include "community/http.h"
#include "community/config.h"
#include "community/host/ratelimiter.h"

#include <QSet>
#include <QStringList>

#include <memory>
#include <optional>

namespace prometheus { class Registry; }
namespace Community::Contracts { class IAuthenticator; }
namespace Community::Chaos { class FaultRegistry; }

namespace Community::Http {

class Router;

struct CorsConfig {
    QStringList allowedOrigins;      ///< exact origins, or "*"
    int maxAgeSeconds = 600;
};

struct PipelineConfig {
    CorsConfig cors;
    QString accessLog = QStringLiteral("stdout"); ///< "stdout", "off" or a file path
    Secret operatorToken;                         ///< bearer token for operator routes
    QHash<QString, RateClass> rateLimits;         ///< by route class; absent class = unlimited
};

class Pipeline {
public:
    Pipeline(const Router &router, PipelineConfig config, prometheus::Registry *metrics);
    ~Pipeline();

    void handle(HttpRequest &request, const Responder &responder);

    /// Access log + metrics for responses the HTTP server produced itself; adds the
    /// matched route's response headers (RouteOptions::responseHeaders).
    void observeProtocolError(const HttpRequest &request, HttpResponse &response);

    /// Writes buffered access-log lines out now.
    void flush();

    /// Changes one token bucket of a rate-limit class (runtime settings); requests already
    /// past the check keep the old one. Buckets keep their tokens. Thread-safe.
    void setRateLimit(const QString &rateClass, bool perIp, std::optional<double> rate, std::optional<double> burst);

    /// The credential checker (provided by the auth plugin). Set before serving; null
    /// means no authentication on this node: Authenticated routes answer 503.
    void setAuthenticator(const Contracts::IAuthenticator *authenticator);

    /// The fault registry (chaos) whose HTTP faults apply before handlers; null = none.
    /// Set before serving; it must outlive the pipeline.
    void setFaults(Chaos::FaultRegistry *faults);

    /// Route owners (plugin ids) that are not running: their routes answer 503.
    /// Thread-safe; the fast path costs one relaxed atomic load when the set is empty.
    void setUnavailableOwners(const QSet<QString> &owners);

    /// The bearer check handle() applies, for entry points outside the router (the
    /// WebSocket upgrade and its `auth` frame): the operator token, else the
    /// authenticator. Unauthorized or Forbidden as the authenticator says; Unavailable
    /// when this node has no authenticator. Thread-safe, non-blocking.
    Result<Principal> authenticateBearer(QByteArrayView token) const;

    /// For a request whose body is about to be streamed to disk (HttpServer::setBodyGate):
    /// the answer handle() would give before the handler for want of authentication or
    /// authorization (401, 403), so that a stranger's upload is refused from its head and
    /// never stored. Null when the route would let it through (or is unknown: handle()
    /// answers that). Thread-safe, non-blocking.
    std::optional<HttpResponse> refusalBeforeBody(const HttpRequest &request) const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

/// The default rate-limit classes: "auth" strict per IP, "default" generous, "system"
/// (health, metrics) unlimited.
QHash<QString, RateClass> defaultRateLimits();

} // namespace Community::Http
