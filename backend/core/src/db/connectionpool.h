// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// A fixed-size pool of libpqxx connections, opened lazily. Thread-safe.
// acquire() waits on a condition variable up to the acquire timeout; the Lease hands the
// connection back when it goes out of scope. A connection found broken is discarded and
// a fresh one is opened by a later acquire().

#include "community/result.h"

#include <pqxx/pqxx>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace prometheus { class Gauge; }

namespace Community::Db {

class ConnectionPool {
public:
    struct Options {
        std::string connectionString;
        int maxSize = 8;
        int acquireTimeoutMs = 2000;
        int statementTimeoutMs = 30'000;
    };

    class Lease {
    public:
        Lease() = default;
        Lease(Lease &&other) noexcept;
        Lease &operator=(Lease &&other) noexcept;
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        ~Lease();

        pqxx::connection &connection() const { return *m_conn; }
        pqxx::connection &operator*() const { return *m_conn; }
        pqxx::connection *operator->() const { return m_conn.get(); }
        explicit operator bool() const { return bool(m_conn); }

        /// The connection must not go back to the pool (it broke, or its session state
        /// is unknown).
        void markBroken() { m_broken = true; }
        /// Returns the connection early.
        void release();

    private:
        friend class ConnectionPool;
        Lease(ConnectionPool *pool, std::unique_ptr<pqxx::connection> conn)
            : m_pool(pool), m_conn(std::move(conn)) {}
        ConnectionPool *m_pool = nullptr;
        std::unique_ptr<pqxx::connection> m_conn;
        bool m_broken = false;
    };

    explicit ConnectionPool(Options options);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool &) = delete;
    ConnectionPool &operator=(const ConnectionPool &) = delete;

    Result<Lease> acquire();
    Result<Lease> acquire(std::chrono::milliseconds timeout);

    /// Closes idle connections and refuses new acquires. Leased connections are closed
    /// when they come back. Outstanding leases must not outlive the pool.
    void close();
    /// Accepts acquires again after close().
    void reopen();

    int size() const;     ///< open (or opening) connections, leased or idle
    int inUse() const;
    int waiting() const;
    int maxSize() const { return m_options.maxSize; }

    void setGauges(prometheus::Gauge *size, prometheus::Gauge *inUse, prometheus::Gauge *waiting);

private:
    void giveBack(std::unique_ptr<pqxx::connection> conn, bool broken);
    Result<std::unique_ptr<pqxx::connection>> connect();
    void updateGaugesLocked();

    const Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<pqxx::connection>> m_idle;  // LIFO: warmest on top
    int m_open = 0;
    int m_inUse = 0;
    int m_waiting = 0;
    bool m_closed = false;
    prometheus::Gauge *m_sizeGauge = nullptr;
    prometheus::Gauge *m_inUseGauge = nullptr;
    prometheus::Gauge *m_waitingGauge = nullptr;
};

} // namespace Community::Db
