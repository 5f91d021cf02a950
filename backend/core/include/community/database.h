// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The database facade a plugin uses: a bounded worker pool for blocking work and a
/// libpqxx connection pool, with a transaction helper that retries what is safe to retry.
/// Threading: all methods are thread-safe. Handlers call respond(), which runs the work
/// on a worker thread and answers through the Responder; when the worker queue is full
/// the answer is 503 + Retry-After at once.

#include "community/http.h"
#include "community/result.h"

#include <pqxx/pqxx>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace prometheus { class Registry; }

namespace Community::Db {

struct DatabaseConfig {
    std::string connectionString;    ///< libpq conninfo or URI (secret: never logged)
    int poolSize = 8;                ///< connections
    int acquireTimeoutMs = 2000;     ///< waiting for a free connection, then Timeout
    int workers = 8;                 ///< worker threads (defaults to poolSize)
    int queueLimit = 256;            ///< queued jobs beyond the busy workers; then 503
    int maxRetries = 3;              ///< serialization failures / broken connections
    int statementTimeoutMs = 30'000; ///< SET statement_timeout on each connection
};

/// Maps a libpqxx/std exception to an Error (SQLSTATE table in one place):
/// 23505 unique / 23P01 exclusion -> Conflict, 23503 foreign key / 23001 restrict ->
/// Conflict; every other 23xxx (not null, check) and every 22xxx data exception ->
/// Internal (our statement or our validation is wrong, never the client's fault);
/// 40001/40P01 -> Unavailable (retryable), 57014 -> Timeout, 08xxx/broken -> Unavailable,
/// in_doubt -> Internal (never retried), everything else Internal. logDetail holds the
/// server's primary message (no DETAIL lines: they carry row data; quoted values of data
/// exceptions redacted), the SQLSTATE and the statement text; message is user-safe.
Error mapException(const std::exception &e);

class ConnectionPool;
class WorkerPool;

class Database {
public:
    explicit Database(DatabaseConfig config);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /// Connects once to verify the server is reachable; starts the workers.
    Result<void> open();
    /// Stops the workers after the queued jobs ran (bounded by the deadline) and closes
    /// every connection.
    void close(std::chrono::milliseconds deadline = std::chrono::seconds(10));

    /// Runs `work` in a transaction on a pooled connection, on the calling thread
    /// (blocking: workers and tools only). Retries serialization failures and broken
    /// connections (before commit) up to maxRetries; never retries an in-doubt commit.
    /// `work` returns Result<T>; an error result rolls back.
    template<typename T>
    Result<T> transact(const std::function<Result<T>(pqxx::work &)> &work);

    /// Reads in autocommit mode (pqxx::nontransaction): no BEGIN/COMMIT round trips, so
    /// a single-statement read costs one round trip. Each statement sees its own snapshot;
    /// use transact() when several reads must agree. A broken connection is retried once.
    template<typename T>
    Result<T> read(const std::function<Result<T>(pqxx::nontransaction &)> &work);

    /// Same, with a raw connection (no transaction; e.g. advisory locks, LISTEN).
    Result<void> withConnection(const std::function<Result<void>(pqxx::connection &)> &work);

    /// Queues `job` on the worker pool. False when the queue is full.
    bool trySubmit(std::function<void()> job);

    /// For handlers: runs `work` in a transaction on a worker and sends its response,
    /// or the problem+json for its error, through `responder`. Queue full: 503 with
    /// Retry-After. If the client left, the response is dropped by the Responder.
    void respond(const Http::HttpRequest &request, const Http::Responder &responder,
                 std::function<Result<Http::HttpResponse>(pqxx::work &)> work);

    /// Same for reads that need no transaction (autocommit, one round trip per statement).
    void respondRead(const Http::HttpRequest &request, const Http::Responder &responder,
                     std::function<Result<Http::HttpResponse>(pqxx::nontransaction &)> work);

    /// Same for a job that manages its own transactions (e.g. one that asks another plugin
    /// through a contract before it opens its own transaction). Exceptions are mapped.
    void respondWith(const Http::HttpRequest &request, const Http::Responder &responder,
                     std::function<Result<Http::HttpResponse>()> job);

    /// Registers pool/queue gauges (community_db_pool_*, community_worker_queue_*).
    /// The registry must outlive this Database.
    void registerMetrics(prometheus::Registry &registry);

    int poolSize() const;
    int poolInUse() const;
    int poolWaiting() const;
    int queueDepth() const;
    const DatabaseConfig &config() const;

private:
    Result<void> transactImpl(const std::function<Result<void>(pqxx::work &)> &work);
    std::unique_ptr<ConnectionPool> m_pool;
    std::unique_ptr<WorkerPool> m_workers;
    DatabaseConfig m_config;
};

template<typename T>
Result<T> Database::transact(const std::function<Result<T>(pqxx::work &)> &work)
{
    if constexpr (std::is_void_v<T>) {
        return transactImpl(work);
    } else {
        std::optional<T> out;
        auto r = transactImpl([&](pqxx::work &tx) -> Result<void> {
            auto v = work(tx);
            if (!v)
                return tl::unexpected(v.error());
            out = std::move(*v);
            return {};
        });
        if (!r)
            return tl::unexpected(r.error());
        return std::move(*out);
    }
}

template<typename T>
Result<T> Database::read(const std::function<Result<T>(pqxx::nontransaction &)> &work)
{
    std::optional<T> out;
    Result<void> r;
    for (int attempt = 0; attempt < 2; ++attempt) {
        r = withConnection([&](pqxx::connection &c) -> Result<void> {
            pqxx::nontransaction tx(c);
            auto v = work(tx);
            if (!v)
                return tl::unexpected(v.error());
            out = std::move(*v);
            return {};
        });
        if (r || r.error().code != ErrorCode::Unavailable)
            break;
    }
    if (!r)
        return tl::unexpected(r.error());
    return std::move(*out);
}

} // namespace Community::Db
