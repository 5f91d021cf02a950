// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/database.h"
#include "community/requestcontext.h"

#include "community/host/faults.h"
#include "community/problem.h"
#include "db/connectionpool.h"
#include "db/workerpool.h"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <QDebug>

#include <atomic>
#include <random>
#include <thread>

#include <sys/socket.h>

namespace Community::Db {

namespace {

ConnectionPool::Options poolOptions(const DatabaseConfig &c)
{
    ConnectionPool::Options o;
    o.connectionString = c.connectionString;
    o.maxSize = std::max(1, c.poolSize);
    o.acquireTimeoutMs = std::max(0, c.acquireTimeoutMs);
    o.statementTimeoutMs = std::max(0, c.statementTimeoutMs);
    return o;
}

// Connection-level failures reported as SQL errors (the server said goodbye before the
// socket closed): the transaction never committed, so a retry on a new connection is safe.
bool isConnectionState(const std::string &state)
{
    return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03";
}

void backoff(int attempt)
{
    thread_local std::minstd_rand rng{std::random_device{}()};
    const int base = std::min(5 << std::min(attempt, 6), 200);  // 10, 20, 40 ... ms
    std::uniform_int_distribution<int> jitter(0, base);
    std::this_thread::sleep_for(std::chrono::milliseconds(base / 2 + jitter(rng)));
}

// The database whose transactions carry injected faults, and the registry (one per
// process: the daemon's). A slot here rather than a member keeps the SDK header, and so
// every plugin's build, untouched (docs/adr/0019).
std::atomic<const Database *> g_faultedDatabase{nullptr};
std::atomic<Chaos::FaultRegistry *> g_faultRegistry{nullptr};

Chaos::FaultRegistry *faultsFor(const Database *db)
{
    return g_faultedDatabase.load(std::memory_order_acquire) == db ? g_faultRegistry.load(std::memory_order_acquire)
                                                                   : nullptr;
}

// The pool, through the database injection points (chaos): refuse, then latency.
Result<ConnectionPool::Lease> acquireLease(ConnectionPool &pool, Chaos::FaultRegistry *faults)
{
    if (faults && faults->anyActive()) {
        if (faults->pickForDatabase(Chaos::FaultKind::DbRefuse))
            return fail(ErrorCode::Unavailable, QStringLiteral("The database is not available."),
                        QStringLiteral("injected fault: connection refused"));
        if (auto f = faults->pickForDatabase(Chaos::FaultKind::DbLatency))
            Chaos::sleepFor(*f);
    }
    return pool.acquire();
}

// Mid-transaction faults, after BEGIN: cut the connection (the next statement finds it
// broken) or fail as a serialization conflict would, before commit.
void injectAfterBegin(Chaos::FaultRegistry *faults, pqxx::connection &conn)
{
    if (!faults || !faults->anyActive())
        return;
    if (faults->pickForDatabase(Chaos::FaultKind::DbDrop))
        ::shutdown(conn.sock(), SHUT_RDWR);
}

void injectBeforeCommit(Chaos::FaultRegistry *faults)
{
    if (faults && faults->anyActive() && faults->pickForDatabase(Chaos::FaultKind::DbSerialization))
        throw pqxx::serialization_failure("injected fault: could not serialize access (40001)");
}

} // namespace

Database::Database(DatabaseConfig config)
    : m_pool(std::make_unique<ConnectionPool>(poolOptions(config))),
      m_workers(std::make_unique<WorkerPool>(config.workers > 0 ? config.workers : config.poolSize,
                                             config.queueLimit)),
      m_config(std::move(config))
{
}

Database::~Database()
{
    close(std::chrono::seconds(0));
}

Result<void> Database::open()
{
    m_pool->reopen();
    auto lease = m_pool->acquire();
    if (!lease)
        return tl::unexpected(lease.error());
    lease->release();
    m_workers->start();
    return {};
}

void Database::close(std::chrono::milliseconds deadline)
{
    m_workers->close(deadline);
    m_pool->close();
}

Result<void> Database::transactImpl(const std::function<Result<void>(pqxx::work &)> &work)
{
    Error last = Error::make(ErrorCode::Internal, QStringLiteral("Internal error."));
    const int attempts = std::max(0, m_config.maxRetries) + 1;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        if (attempt > 0)
            backoff(attempt);
        auto lease = acquireLease(*m_pool, faultsFor(this));
        if (!lease)
            return tl::unexpected(lease.error());
        bool committing = false;
        bool retryable = false;
        try {
            pqxx::work tx(lease->connection());
            injectAfterBegin(faultsFor(this), lease->connection());
            Result<void> r = work(tx);
            if (!r) {
                try {
                    tx.abort();
                } catch (...) {
                    lease->markBroken();
                }
                return r;
            }
            injectBeforeCommit(faultsFor(this));
            committing = true;
            tx.commit();
            return {};
        } catch (const pqxx::in_doubt_error &e) {
            lease->markBroken();
            return tl::unexpected(mapException(e));
        } catch (const pqxx::broken_connection &e) {
            lease->markBroken();
            last = mapException(e);
            if (committing) {
                last.code = ErrorCode::Internal;
                last.message = QStringLiteral("commit outcome unknown");
                return tl::unexpected(last);
            }
            retryable = true;
        } catch (const pqxx::serialization_failure &e) {
            last = mapException(e);
            retryable = true;
        } catch (const pqxx::deadlock_detected &e) {
            last = mapException(e);
            retryable = true;
        } catch (const pqxx::sql_error &e) {
            last = mapException(e);
            const std::string state = e.sqlstate();
            if (state == "40001" || state == "40P01") {
                retryable = true;
            } else if (isConnectionState(state) && !committing) {
                lease->markBroken();
                retryable = true;
            }
        } catch (const std::exception &e) {
            last = mapException(e);
        } catch (...) {
            last = Error::make(ErrorCode::Internal, QStringLiteral("Internal error."),
                               QStringLiteral("unknown exception in transaction"));
        }
        if (!lease->connection().is_open())
            lease->markBroken();
        if (!retryable)
            return tl::unexpected(last);
    }
    last.logDetail += QStringLiteral(" (gave up after %1 attempts)").arg(attempts);
    return tl::unexpected(last);
}

Result<void> Database::withConnection(const std::function<Result<void>(pqxx::connection &)> &work)
{
    auto lease = acquireLease(*m_pool, faultsFor(this));
    if (!lease)
        return tl::unexpected(lease.error());
    try {
        auto r = work(lease->connection());
        if (!lease->connection().is_open())
            lease->markBroken();
        return r;
    } catch (const std::exception &e) {
        // Session state after an escaped exception is unknown: do not reuse.
        lease->markBroken();
        return tl::unexpected(mapException(e));
    } catch (...) {
        lease->markBroken();
        return fail(ErrorCode::Internal, QStringLiteral("Internal error."),
                    QStringLiteral("unknown exception in withConnection"));
    }
}

bool Database::trySubmit(std::function<void()> job)
{
    return m_workers->trySubmit(std::move(job));
}

namespace {

// Runs `run` on a worker and sends its response or problem; 503 at once when the queue is full.
template<typename Run>
void respondOnWorker(WorkerPool &workers, const Http::HttpRequest &request, const Http::Responder &responder, Run run)
{
    const QString requestId = request.requestId;
    const QString route = request.route;
    Chaos::Target target{route, {}, request.principal.userId ? QString::number(request.principal.userId)
                                                              : request.peerAddress.toString()};
    auto job = [requestId, route, responder, context = RequestContext{request.requestId, request.principal},
                target = std::move(target), run = std::move(run)] {
        const RequestScope scope(context);
        const Chaos::TargetScope faultTarget(target);
        auto r = run();
        if (r) {
            responder.send(std::move(*r));
            return;
        }
        if (r.error().code == ErrorCode::Internal)
            qWarning().noquote() << "request" << requestId << route
                                 << "database error:" << r.error().logDetail;
        responder.send(Http::problemFromError(r.error(), requestId));
    };
    if (!workers.trySubmit(std::move(job))) {
        auto resp = Http::problem(503, QStringLiteral("overloaded"),
                                  QStringLiteral("Service overloaded"),
                                  QStringLiteral("The server is busy; please retry shortly."), {},
                                  requestId);
        resp.setHeader("Retry-After", "1");
        responder.send(std::move(resp));
    }
}

} // namespace

void Database::respond(const Http::HttpRequest &request, const Http::Responder &responder,
                       std::function<Result<Http::HttpResponse>(pqxx::work &)> work)
{
    respondOnWorker(*m_workers, request, responder,
                    [this, work = std::move(work)] { return transact<Http::HttpResponse>(work); });
}

void Database::respondRead(const Http::HttpRequest &request, const Http::Responder &responder,
                           std::function<Result<Http::HttpResponse>(pqxx::nontransaction &)> work)
{
    respondOnWorker(*m_workers, request, responder,
                    [this, work = std::move(work)] { return read<Http::HttpResponse>(work); });
}

void Database::respondWith(const Http::HttpRequest &request, const Http::Responder &responder,
                           std::function<Result<Http::HttpResponse>()> job)
{
    respondOnWorker(*m_workers, request, responder, [job = std::move(job)]() -> Result<Http::HttpResponse> {
        try {
            return job();
        } catch (const std::exception &e) {
            return tl::unexpected(mapException(e));
        }
    });
}

void Database::registerMetrics(prometheus::Registry &registry)
{
    try {
        auto gauge = [&](const char *name, const char *help) -> prometheus::Gauge * {
            return &prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
        };
        auto *size = gauge("community_db_pool_size", "Open database connections");
        auto *inUse = gauge("community_db_pool_in_use", "Database connections leased");
        auto *waiting = gauge("community_db_pool_waiting", "Callers waiting for a connection");
        auto *depth = gauge("community_worker_queue_depth", "Jobs queued for a database worker");
        auto *active = gauge("community_worker_active", "Database worker jobs running");
        m_pool->setGauges(size, inUse, waiting);
        m_workers->setGauges(depth, active);
    } catch (const std::exception &e) {
        qWarning("database: registering metrics failed: %s", e.what());
    }
}

} // namespace Community::Db

namespace Community::Chaos {

void attachToDatabase(const Db::Database *db, FaultRegistry *faults)
{
    Db::g_faultRegistry.store(faults, std::memory_order_release);
    Db::g_faultedDatabase.store(db, std::memory_order_release);
}

} // namespace Community::Chaos

namespace Community::Db {

int Database::poolSize() const { return m_pool->size(); }
int Database::poolInUse() const { return m_pool->inUse(); }
int Database::poolWaiting() const { return m_pool->waiting(); }
int Database::queueDepth() const { return m_workers->queueDepth(); }
const DatabaseConfig &Database::config() const { return m_config; }

} // namespace Community::Db
