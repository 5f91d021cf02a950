// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/pipeline.h"

#include "chaos/httpfaults.h"
#include "community/host/faults.h"

#include "community/contracts/auth.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/router.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <sodium.h>

#include <QDateTime>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <cmath>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <thread>
#include <unistd.h>
#include <unordered_map>

Q_LOGGING_CATEGORY(lcPipeline, "community.http")

namespace Community::Http {

namespace {

constexpr char kHex[] = "0123456789abcdef";

QByteArray randomHex(int bytes)
{
    thread_local std::mt19937_64 rng(QRandomGenerator::system()->generate64());
    QByteArray out(bytes * 2, Qt::Uninitialized);
    char *p = out.data();
    for (int i = 0; i < bytes; i += 8) {
        quint64 v = rng();
        for (int j = 0; j < 8 && i + j < bytes; ++j) {
            *p++ = kHex[(v >> 4) & 0xf];
            *p++ = kHex[v & 0xf];
            v >>= 8;
        }
    }
    return out;
}

// "2026-11-23T23:24:13.903Z" without QDateTime (which costs microseconds per call):
// the date-and-seconds part is formatted once per second per thread.
void appendTimestamp(QByteArray &out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    thread_local time_t cachedSecond = -1;
    thread_local char cached[24];
    if (ts.tv_sec != cachedSecond) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
        cachedSecond = ts.tv_sec;
    }
    out.append(cached, 19);
    const int ms = int(ts.tv_nsec / 1'000'000);
    const char frac[6] = {'.', char('0' + ms / 100), char('0' + ms / 10 % 10), char('0' + ms % 10), 'Z', 0};
    out.append(frac, 5);
}

// Dotted quad without QHostAddress::toString (which goes through printf).
void appendAddress(QByteArray &out, const QHostAddress &addr)
{
    bool ok = false;
    const quint32 v4 = addr.toIPv4Address(&ok);
    if (!ok) {
        out.append(addr.toString().toLatin1());
        return;
    }
    char buf[16];
    char *p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        const unsigned octet = (v4 >> shift) & 0xff;
        if (octet >= 100)
            *p++ = char('0' + octet / 100);
        if (octet >= 10)
            *p++ = char('0' + octet / 10 % 10);
        *p++ = char('0' + octet % 10);
        if (shift)
            *p++ = '.';
    }
    out.append(buf, p - buf);
}

bool isHex(QByteArrayView v)
{
    for (char c : v) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

// Accepts a client's request id only if it is short and plain, so it is safe in logs.
bool validRequestId(QByteArrayView v)
{
    if (v.isEmpty() || v.size() > 128)
        return false;
    for (char c : v) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}

// Buffered, thread-safe line writer: requests append, a background thread writes out.
// Logging must never make a request wait on a disk.
class AccessLog {
public:
    explicit AccessLog(const QString &target)
    {
        if (target == QLatin1String("off"))
            return;
        if (target == QLatin1String("stdout") || target.isEmpty()) {
            m_fd = STDOUT_FILENO;
        } else {
            m_fd = ::open(target.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
            m_ownsFd = m_fd >= 0;
            if (m_fd < 0)
                qCWarning(lcPipeline, "cannot open access log %s, logging to stdout", qPrintable(target));
            if (m_fd < 0)
                m_fd = STDOUT_FILENO;
        }
        m_thread = std::thread([this] { run(); });
    }
    ~AccessLog()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        if (m_thread.joinable())
            m_thread.join();
        if (m_ownsFd)
            ::close(m_fd);
    }
    bool enabled() const { return m_fd >= 0; }
    void append(const QByteArray &line)
    {
        std::lock_guard lock(m_mutex);
        if (m_buffer.capacity() == 0)
            m_buffer.reserve(128 * 1024);
        m_buffer.append(line);
        if (m_buffer.size() > 64 * 1024)
            m_cv.notify_one();
    }
    void flush()
    {
        QByteArray out;
        {
            std::lock_guard lock(m_mutex);
            out.swap(m_buffer);
        }
        writeAll(out);
    }

private:
    void run()
    {
        std::unique_lock lock(m_mutex);
        while (!m_stop) {
            m_cv.wait_for(lock, std::chrono::milliseconds(200));
            QByteArray out;
            out.swap(m_buffer);
            lock.unlock();
            writeAll(out);
            lock.lock();
        }
        QByteArray out;
        out.swap(m_buffer);
        lock.unlock();
        writeAll(out);
    }
    void writeAll(const QByteArray &out)
    {
        std::lock_guard lock(m_writeMutex);
        qsizetype off = 0;
        while (off < out.size()) {
            const ssize_t n = ::write(m_fd, out.constData() + off, size_t(out.size() - off));
            if (n <= 0)
                return;
            off += n;
        }
    }

    int m_fd = -1;
    bool m_ownsFd = false;
    std::mutex m_mutex;
    std::mutex m_writeMutex;
    std::condition_variable m_cv;
    QByteArray m_buffer;
    bool m_stop = false;
    std::thread m_thread;
};

struct RouteMetrics {
    prometheus::Histogram *latency = nullptr;
    prometheus::Counter *bytes = nullptr;
    std::unordered_map<int, prometheus::Counter *> byStatus;
};

/// The route's fixed headers on an answer that does not set them itself.
void addRouteHeaders(const RouteOptions &options, HttpResponse &response)
{
    for (const auto &[name, value] : options.responseHeaders) {
        if (response.header(name).isNull())
            response.setHeader(name, value);
    }
}

} // namespace

// What the response finalizer needs, captured by value: the request object may be gone
// (its connection closed) by the time a worker answers.
struct Snapshot {
    HttpRequest request;
    QByteArray requestIdBytes;  ///< the same values as bytes, computed once
    QByteArray traceParentBytes;
    QByteArray routeBytes;
    QByteArray rateLimit;       ///< RateLimit-* values to send, if a limit applied
    QByteArray rateRemaining;
    QByteArray rateReset;
};

struct Pipeline::Private {
    const Router &router;
    PipelineConfig config;
    AccessLog accessLog;
    RateLimiter limiter;
    const Contracts::IAuthenticator *authenticator = nullptr;
    Chaos::FaultRegistry *faults = nullptr;
    // Rate limits change at runtime (settings API): readers copy the pointer under the
    // mutex and use an immutable table; a change installs a new table.
    mutable std::mutex limitsMutex;
    std::shared_ptr<const QHash<QString, RateClass>> rateLimits;
    std::shared_ptr<const QHash<QString, RateClass>> currentLimits() const
    {
        std::lock_guard lock(limitsMutex);
        return rateLimits;
    }
    mutable std::mutex ownersMutex;
    QSet<QString> unavailableOwners;     ///< plugins not running: their routes answer 503
    std::atomic_bool anyUnavailable{false};
    prometheus::Family<prometheus::Counter> *rateRejected = nullptr;
    prometheus::Family<prometheus::Counter> *requests = nullptr;
    prometheus::Family<prometheus::Histogram> *latency = nullptr;
    prometheus::Family<prometheus::Counter> *bytes = nullptr;
    std::shared_mutex metricsMutex;
    QHash<QByteArray, RouteMetrics> routeMetrics;

    Private(const Router &r, PipelineConfig c)
        : router(r)
        , config(std::move(c))
        , accessLog(config.accessLog)
    {
    }

    void finish(const HttpRequest &request, HttpResponse &response, const Snapshot *snap = nullptr);
    void record(const QString &route, const QByteArray &routeBytes, const QByteArray &method, int status, qint64 bytes,
                double seconds);
    void applyCors(const HttpRequest &request, HttpResponse &response) const;
    bool originAllowed(const QByteArray &origin) const;
    bool operatorAuthorized(const HttpRequest &request) const;
    bool isOperatorToken(QByteArrayView given) const;
    bool rateLimited(const QString &cls, const QByteArray &subjectKind, const QByteArray &subject,
                     const RateLimit &limit, Snapshot &snap, const HttpRequest &request, const Responder &responder);
    bool authenticate(HttpRequest &request, const RouteOptions &opts, const Responder &responder);
};

bool Pipeline::Private::rateLimited(const QString &cls, const QByteArray &subjectKind, const QByteArray &subject,
                                    const RateLimit &limit, Snapshot &snap, const HttpRequest &request,
                                    const Responder &responder)
{
    if (limit.unlimited())
        return false;
    const QByteArray key = cls.toUtf8() + '|' + subjectKind + '|' + subject;
    const RateLimiter::Decision dec = limiter.check(key, limit, RateLimiter::now());
    snap.rateLimit = QByteArray::number(qint64(dec.limit));
    snap.rateRemaining = QByteArray::number(qint64(dec.remaining));
    snap.rateReset = QByteArray::number(qint64(std::ceil(dec.resetSeconds)));
    if (dec.allowed)
        return false;
    if (rateRejected)
        rateRejected->Add({{"class", cls.toStdString()}, {"subject", subjectKind.toStdString()}}).Increment();
    HttpResponse r = problem(429, QStringLiteral("rate-limited"), QStringLiteral("Too Many Requests"),
                             QStringLiteral("Too many requests; retry after %1 s.").arg(qint64(std::ceil(dec.retryAfterSeconds))),
                             {}, request.requestId);
    r.setHeader("Retry-After", QByteArray::number(qMax<qint64>(1, qint64(std::ceil(dec.retryAfterSeconds)))));
    responder.send(std::move(r));
    return true;
}

// Authentication and authorization for every route, in this one place.
bool Pipeline::Private::authenticate(HttpRequest &request, const RouteOptions &opts, const Responder &responder)
{
    auto unauthorized = [&](const QString &detail, const QByteArray &challenge) {
        HttpResponse r = problem(401, QStringLiteral("unauthorized"), QStringLiteral("Unauthorized"), detail, {},
                                 request.requestId);
        r.setHeader("WWW-Authenticate", challenge);
        responder.send(std::move(r));
        return false;
    };
    auto forbidden = [&](const QString &detail) {
        responder.send(problem(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"), detail, {}, request.requestId));
        return false;
    };

    // The operator token acts as an administrator everywhere (communityctl uses it).
    if (operatorAuthorized(request)) {
        request.principal.kind = Principal::Kind::Operator;
        request.principal.role = Role::Admin;
        request.principal.username = QStringLiteral("operator");
        return true;
    }
    if (opts.operatorOnly && inNetworks(request.peerAddress, opts.tokenlessNetworks))
        return true;
    if (opts.operatorOnly)
        return unauthorized(QStringLiteral("This route needs the operator token as a Bearer token."),
                            "Bearer realm=\"community\"");

    const QByteArray auth = request.header("authorization");
    if (!auth.isEmpty()) {
        if (!auth.startsWith("Bearer ") || auth.size() <= 7)
            return unauthorized(QStringLiteral("Use the Bearer authentication scheme."), "Bearer realm=\"community\"");
        if (!authenticator) {
            if (opts.access == Access::Public)
                return true;  // no auth service on this node; the route does not need it
            responder.send(problem(503, QStringLiteral("auth-unavailable"), QStringLiteral("Service Unavailable"),
                                   QStringLiteral("Authentication is not available on this node."), {}, request.requestId));
            return false;
        }
        auto principal = authenticator->authenticate(QByteArrayView(auth).sliced(7).trimmed());
        if (!principal) {
            if (principal.error().code == ErrorCode::Forbidden)
                return forbidden(principal.error().message);
            return unauthorized(principal.error().message.isEmpty() ? QStringLiteral("Invalid or expired credentials.")
                                                                     : principal.error().message,
                                "Bearer realm=\"community\", error=\"invalid_token\"");
        }
        request.principal = *principal;
    }
    if (opts.access == Access::Public)
        return true;
    if (request.principal.isAnonymous())
        return unauthorized(QStringLiteral("This route needs authentication."), "Bearer realm=\"community\"");
    if (request.principal.passwordChangeRequired && !opts.allowPendingPasswordChange) {
        responder.send(problem(403, QStringLiteral("password-change-required"), QStringLiteral("Forbidden"),
                               QStringLiteral("Change your password first (POST /v1/auth/password)."), {},
                               request.requestId));
        return false;
    }
    if (!request.principal.hasRole(opts.minRole))
        return forbidden(QStringLiteral("This route needs the %1 role.").arg(roleName(opts.minRole)));
    if (!opts.scope.isEmpty() && !request.principal.hasScope(opts.scope))
        return forbidden(QStringLiteral("This API key lacks the scope %1.").arg(opts.scope));
    return true;
}

void Pipeline::Private::record(const QString &route, const QByteArray &routeBytes, const QByteArray &method,
                               int status, qint64 nbytes, double seconds)
{
    if (!requests)
        return;
    QByteArray key;
    key.reserve(route.size() * 3 + method.size() + 1);
    key.append(method).append(' ').append(routeBytes.isEmpty() ? route.toUtf8() : routeBytes);
    prometheus::Histogram *hist = nullptr;
    prometheus::Counter *counter = nullptr;
    prometheus::Counter *byteCounter = nullptr;
    {
        std::shared_lock lock(metricsMutex);
        auto it = routeMetrics.constFind(key);
        if (it != routeMetrics.constEnd()) {
            hist = it->latency;
            byteCounter = it->bytes;
            auto c = it->byStatus.find(status);
            if (c != it->byStatus.end())
                counter = c->second;
        }
    }
    if (!hist || !counter) {
        std::unique_lock lock(metricsMutex);
        RouteMetrics &rm = routeMetrics[key];
        const std::string r = route.toStdString();
        const std::string m = method.toStdString();
        if (!rm.latency) {
            static const prometheus::Histogram::BucketBoundaries buckets{
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
            rm.latency = &latency->Add({{"route", r}, {"method", m}}, buckets);
            rm.bytes = &bytes->Add({{"route", r}, {"method", m}});
        }
        auto &c = rm.byStatus[status];
        if (!c)
            c = &requests->Add({{"route", r}, {"method", m}, {"status", std::to_string(status)}});
        hist = rm.latency;
        byteCounter = rm.bytes;
        counter = c;
    }
    hist->Observe(seconds);
    counter->Increment();
    byteCounter->Increment(double(nbytes));
}

void Pipeline::Private::finish(const HttpRequest &request, HttpResponse &response, const Snapshot *snap)
{
    const qint64 nanos = request.timer.isValid() ? request.timer.nsecsElapsed() : 0;
    const QString route = request.route.isEmpty() ? QStringLiteral("unmatched") : request.route;
    record(route, snap ? snap->routeBytes : QByteArray(), request.method, response.status, response.bodyLength(),
           double(nanos) / 1e9);
    if (!accessLog.enabled())
        return;
    // One buffer per thread, reused: resize(0) keeps its capacity.
    thread_local QByteArray line;
    line.resize(0);
    line.reserve(256 + request.target.size());
    line.append("{\"ts\":\"");
    appendTimestamp(line);
    line.append("\",\"level\":\"info\",\"msg\":\"access\",\"method\":");
    Json::appendString(line, request.method);
    line.append(",\"path\":");
    Json::appendString(line, request.path.toUtf8());
    line.append(",\"route\":");
    Json::appendString(line, snap && !snap->routeBytes.isEmpty() ? snap->routeBytes : route.toUtf8());
    line.append(",\"status\":");
    line.append(QByteArray::number(response.status));
    line.append(",\"bytes\":");
    line.append(QByteArray::number(response.bodyLength()));
    line.append(",\"durationMs\":");
    line.append(QByteArray::number(double(nanos) / 1e6, 'f', 3));
    line.append(",\"requestId\":");
    Json::appendString(line, snap ? QByteArrayView(snap->requestIdBytes) : QByteArrayView(request.requestId.toLatin1()));
    const QByteArray tp = snap ? snap->traceParentBytes : request.traceParent.toLatin1();
    if (tp.size() >= 35) {
        line.append(",\"traceId\":");
        Json::appendString(line, QByteArrayView(tp).sliced(3, 32));
    }
    line.append(",\"remote\":\"");
    appendAddress(line, request.peerAddress);
    if (!request.proxyAddress.isNull()) {
        line.append("\",\"proxy\":\"");
        appendAddress(line, request.proxyAddress);
    }
    line.append("\"}\n");
    accessLog.append(line);
}

bool Pipeline::Private::originAllowed(const QByteArray &origin) const
{
    for (const QString &o : config.cors.allowedOrigins) {
        if (o == QLatin1String("*") || o.toUtf8() == origin)
            return true;
    }
    return false;
}

void Pipeline::Private::applyCors(const HttpRequest &request, HttpResponse &response) const
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || !originAllowed(origin))
        return;
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Vary", "Origin");
    response.setHeader("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, traceparent");
}

bool Pipeline::Private::operatorAuthorized(const HttpRequest &request) const
{
    const QByteArray auth = request.header("authorization");
    if (!auth.startsWith("Bearer "))
        return false;
    return isOperatorToken(auth.mid(7).trimmed());
}

bool Pipeline::Private::isOperatorToken(QByteArrayView given) const
{
    const QByteArray token = config.operatorToken.reveal().toUtf8();
    if (token.isEmpty())
        return false;
    return given.size() == token.size()
           && sodium_memcmp(given.data(), token.constData(), size_t(token.size())) == 0;
}

std::optional<HttpResponse> Pipeline::refusalBeforeBody(const HttpRequest &request) const
{
    const Router::Match m = d->router.match(request.method, request.path);
    if (m.kind != Router::MatchKind::Found)
        return std::nullopt;
    HttpRequest probe = request;   // authenticate() fills in the principal; handle() does it again
    std::optional<HttpResponse> refusal;
    const Responder capture([&refusal](HttpResponse &&r) { refusal = std::move(r); });
    if (d->authenticate(probe, m.route->options, capture))
        return std::nullopt;
    if (refusal)
        addRouteHeaders(m.route->options, *refusal);
    return refusal;
}

Result<Principal> Pipeline::authenticateBearer(QByteArrayView token) const
{
    if (d->isOperatorToken(token)) {
        Principal p;
        p.kind = Principal::Kind::Operator;
        p.role = Role::Admin;
        p.username = QStringLiteral("operator");
        return p;
    }
    if (!d->authenticator)
        return fail(ErrorCode::Unavailable, QStringLiteral("Authentication is not available on this node."));
    return d->authenticator->authenticate(token);
}

Pipeline::Pipeline(const Router &router, PipelineConfig config, prometheus::Registry *metrics)
    : d(std::make_unique<Private>(router, std::move(config)))
{
    d->rateLimits = std::make_shared<const QHash<QString, RateClass>>(d->config.rateLimits);
    if (metrics) {
        d->requests = &prometheus::BuildCounter()
                           .Name("community_http_requests_total")
                           .Help("HTTP requests by route, method and status")
                           .Register(*metrics);
        d->latency = &prometheus::BuildHistogram()
                          .Name("community_http_request_duration_seconds")
                          .Help("HTTP request latency by route, from complete request to response")
                          .Register(*metrics);
        d->rateRejected = &prometheus::BuildCounter()
                               .Name("community_ratelimit_rejected_total")
                               .Help("Requests refused with 429, by rate-limit class and subject (ip or principal)")
                               .Register(*metrics);
        // The configured limits, so dashboards can show refusals against them.
        auto &limitGauge = prometheus::BuildGauge()
                               .Name("community_ratelimit_limit")
                               .Help("Configured token-bucket limits by class, subject and parameter (rate per second, burst)")
                               .Register(*metrics);
        for (auto it = d->config.rateLimits.cbegin(); it != d->config.rateLimits.cend(); ++it) {
            const std::string cls = it.key().toStdString();
            for (const auto &[subject, limit] : {std::pair{"ip", it->perIp}, std::pair{"principal", it->perPrincipal}}) {
                if (limit.unlimited())
                    continue;
                limitGauge.Add({{"class", cls}, {"subject", subject}, {"parameter", "rate"}}).Set(limit.ratePerSecond);
                limitGauge.Add({{"class", cls}, {"subject", subject}, {"parameter", "burst"}}).Set(limit.burst);
            }
        }
        d->bytes = &prometheus::BuildCounter()
                        .Name("community_http_response_body_bytes_total")
                        .Help("Response body bytes by route")
                        .Register(*metrics);
    }
}

Pipeline::~Pipeline() = default;

void Pipeline::setUnavailableOwners(const QSet<QString> &owners)
{
    std::lock_guard lock(d->ownersMutex);
    d->unavailableOwners = owners;
    d->anyUnavailable = !owners.isEmpty();
}

void Pipeline::setFaults(Chaos::FaultRegistry *faults)
{
    d->faults = faults;
}

void Pipeline::setAuthenticator(const Contracts::IAuthenticator *authenticator)
{
    d->authenticator = authenticator;
}

QHash<QString, RateClass> defaultRateLimits()
{
    QHash<QString, RateClass> limits;
    limits.insert(QStringLiteral("default"), RateClass{RateLimit{200, 400}, RateLimit{100, 200}});
    // Login, registration, password reset: brute force protection per address.
    limits.insert(QStringLiteral("auth"), RateClass{RateLimit{1, 10}, RateLimit{}});
    limits.insert(QStringLiteral("write"), RateClass{RateLimit{50, 100}, RateLimit{10, 30}});
    return limits;
}

void Pipeline::setRateLimit(const QString &rateClass, bool perIp, std::optional<double> rate, std::optional<double> burst)
{
    std::lock_guard lock(d->limitsMutex);
    auto next = std::make_shared<QHash<QString, RateClass>>(*d->rateLimits);
    RateLimit &limit = perIp ? (*next)[rateClass].perIp : (*next)[rateClass].perPrincipal;
    if (rate)
        limit.ratePerSecond = *rate;
    if (burst)
        limit.burst = *burst;
    d->rateLimits = std::move(next);
}

void Pipeline::flush()
{
    d->accessLog.flush();
}

void Pipeline::observeProtocolError(const HttpRequest &request, HttpResponse &response)
{
    if (!request.method.isEmpty()) {
        const Router::Match m = d->router.match(request.method, request.path);
        if (m.kind == Router::MatchKind::Found)
            addRouteHeaders(m.route->options, response);
    }
    HttpResponse copy = response;
    d->finish(request, copy);
}

void Pipeline::handle(HttpRequest &request, const Responder &responder)
{
    if (!request.timer.isValid())
        request.timer.start();

    // Request id and W3C trace context.
    const QByteArray incomingId = request.header("x-request-id");
    auto snap = std::make_shared<Snapshot>();
    snap->requestIdBytes = validRequestId(incomingId) ? incomingId : randomHex(16);
    request.requestId = QString::fromLatin1(snap->requestIdBytes);
    const QByteArray tp = request.header("traceparent");
    QByteArray traceId;
    if (tp.size() == 55 && tp.startsWith("00-") && tp.at(35) == '-' && tp.at(52) == '-'
        && isHex(QByteArrayView(tp).sliced(3, 32)) && isHex(QByteArrayView(tp).sliced(36, 16))
        && QByteArrayView(tp).sliced(3, 32) != QByteArrayView("00000000000000000000000000000000")) {
        traceId = tp.mid(3, 32);
    } else {
        traceId = randomHex(16);
    }
    const QByteArray flags = tp.size() == 55 ? tp.mid(53, 2) : QByteArrayLiteral("01");
    snap->traceParentBytes = "00-" + traceId + '-' + randomHex(8) + '-' + flags;
    request.traceParent = QString::fromLatin1(snap->traceParentBytes);

    HttpRequest &sr = snap->request;
    sr.method = request.method;
    sr.path = request.path;
    sr.target = request.target;
    sr.requestId = request.requestId;
    sr.traceParent = request.traceParent;
    sr.peerAddress = request.peerAddress;
    sr.proxyAddress = request.proxyAddress;
    sr.timer = request.timer;
    const QByteArray origin = request.header("origin");
    if (!origin.isEmpty())
        sr.headers.emplaceBack("origin", origin);

    const Router::Match m = d->router.match(request.method, request.path);
    if (m.route) {
        sr.route = m.route->pattern;
        snap->routeBytes = m.route->patternUtf8;
    }
    request.route = sr.route;

    if (m.kind == Router::MatchKind::Found && !m.route->options.responseHeaders.isEmpty()) {
        responder.addFinalizer([route = m.route](HttpResponse &response) { addRouteHeaders(route->options, response); });
    }
    Private *p = d.get();
    responder.addFinalizer([p, snap](HttpResponse &response) {
        response.headers.reserve(response.headers.size() + 6);
        response.setHeader("X-Request-Id", snap->requestIdBytes);
        response.setHeader("traceparent", snap->traceParentBytes);
        if (!snap->rateLimit.isEmpty()) {
            response.setHeader("RateLimit-Limit", snap->rateLimit);
            response.setHeader("RateLimit-Remaining", snap->rateRemaining);
            response.setHeader("RateLimit-Reset", snap->rateReset);
        }
        p->applyCors(snap->request, response);
        p->finish(snap->request, response, snap.get());
    });

    // CORS preflight.
    if (request.method == "OPTIONS" && !origin.isEmpty() && request.hasHeader("access-control-request-method")) {
        if (m.kind == Router::MatchKind::NotFound || !d->originAllowed(origin)) {
            responder.send(problem(403, QStringLiteral("cors-rejected"), QStringLiteral("Forbidden"),
                                   QStringLiteral("Cross-origin request not allowed."), {}, request.requestId));
            return;
        }
        HttpResponse r = HttpResponse::empty(204);
        QByteArrayList allowed = m.allowed;
        if (m.kind == Router::MatchKind::Found)
            allowed = {request.header("access-control-request-method")};
        r.setHeader("Access-Control-Allow-Methods", allowed.join(", "));
        r.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id, Idempotency-Key, traceparent");
        r.setHeader("Access-Control-Max-Age", QByteArray::number(d->config.cors.maxAgeSeconds));
        responder.send(std::move(r));
        return;
    }

    if (m.kind == Router::MatchKind::NotFound) {
        responder.send(problem(404, QStringLiteral("not-found"), QStringLiteral("Not Found"),
                               QStringLiteral("No route matches %1.").arg(request.path.left(200)), {},
                               request.requestId));
        return;
    }
    if (m.kind == Router::MatchKind::MethodNotAllowed) {
        HttpResponse r;
        if (request.method == "OPTIONS") {
            r = HttpResponse::empty(204);
        } else {
            r = problem(405, QStringLiteral("method-not-allowed"), QStringLiteral("Method Not Allowed"),
                        QStringLiteral("%1 is not allowed here.").arg(QString::fromLatin1(request.method.left(20))),
                        {}, request.requestId);
        }
        r.setHeader("Allow", m.allowed.join(", "));
        responder.send(std::move(r));
        return;
    }

    const RouteOptions &opts = m.route->options;
    if (d->anyUnavailable.load(std::memory_order_relaxed)) {
        std::lock_guard lock(d->ownersMutex);
        if (d->unavailableOwners.contains(opts.owner)) {
            HttpResponse r = problem(503, QStringLiteral("service-unavailable"), QStringLiteral("Service Unavailable"),
                                     QStringLiteral("The %1 service is not running (pending migrations?).").arg(opts.owner),
                                     {}, request.requestId);
            r.setHeader("Retry-After", "5");
            responder.send(std::move(r));
            return;
        }
    }
    if (opts.maxBodyBytes >= 0 && request.body.size() > opts.maxBodyBytes) {
        responder.send(problem(413, QStringLiteral("payload-too-large"), QStringLiteral("Content Too Large"),
                               QStringLiteral("The request body is larger than %1 bytes.").arg(opts.maxBodyBytes),
                               {}, request.requestId));
        return;
    }
    if ((!request.body.isEmpty() || request.spooled) && !opts.contentTypes.isEmpty()) {
        QByteArray ct = request.header("content-type");
        const qsizetype semi = ct.indexOf(';');
        if (semi >= 0)
            ct.truncate(semi);
        ct = ct.trimmed().toLower();
        if (!opts.contentTypes.contains(ct)) {
            responder.send(problem(415, QStringLiteral("unsupported-media-type"), QStringLiteral("Unsupported Media Type"),
                                   QStringLiteral("Send the body as %1.").arg(QString::fromLatin1(opts.contentTypes.join(" or "))),
                                   {}, request.requestId));
            return;
        }
    }
    // Rate limits: per IP before authentication (it protects the login routes too),
    // per principal after it.
    const auto limits = d->currentLimits();
    const auto rc = limits->constFind(opts.rateClass);
    if (rc != limits->constEnd()
        && d->rateLimited(opts.rateClass, "ip", addressGroup(request.peerAddress).toLatin1(), rc->perIp, *snap, request, responder))
        return;
    if (!d->authenticate(request, opts, responder))
        return;
    if (rc != limits->constEnd() && !request.principal.isAnonymous()) {
        const QByteArray subject = request.principal.kind == Principal::Kind::ApiKey
                                       ? "key:" + request.principal.apiKeyId.toLatin1()
                                       : "user:" + QByteArray::number(request.principal.userId);
        if (d->rateLimited(opts.rateClass, "principal", subject, rc->perPrincipal, *snap, request, responder))
            return;
    }

    request.pathParams = m.params;
    // Injected faults (chaos): the host's own routes (health, metrics, the chaos API) stay
    // untouched so that an operator can always see and stop what is going on.
    Responder effective = responder;
    if (d->faults && d->faults->anyActive() && opts.owner != QLatin1String("core")
        && opts.owner != QLatin1String("chaos") && Chaos::applyHttpFaults(*d->faults, request, opts.owner, effective))
        return;
    try {
        (*m.handler)(request, effective);
    } catch (const std::exception &e) {
        qCWarning(lcPipeline, "request %s: handler threw: %s", qPrintable(request.requestId), e.what());
        responder.send(problem(500, QStringLiteral("internal"), QStringLiteral("Internal Server Error"),
                               QStringLiteral("The server could not complete the request."), {}, request.requestId));
    } catch (...) {
        qCWarning(lcPipeline, "request %s: handler threw a non-standard exception", qPrintable(request.requestId));
        responder.send(problem(500, QStringLiteral("internal"), QStringLiteral("Internal Server Error"),
                               QStringLiteral("The server could not complete the request."), {}, request.requestId));
    }
}


} // namespace Community::Http
