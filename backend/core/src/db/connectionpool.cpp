// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "db/connectionpool.h"

#include "community/database.h"

#include <prometheus/gauge.h>

#include <QString>

#include <utility>

#include <poll.h>

namespace Community::Db {

namespace {

// An idle connection has nothing to read. If its socket is readable, the server has
// closed it or sent a FATAL (e.g. pg_terminate_backend, restart): it is dead, and using
// it would only cost a failed statement and a retry.
bool idleConnectionLooksDead(const pqxx::connection &conn)
{
    if (!conn.is_open())
        return true;
    const int fd = conn.sock();
    if (fd < 0)
        return true;
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, 0);
    return n != 0;  // readable, hung up, error, or poll failed
}

} // namespace

ConnectionPool::Lease::Lease(Lease &&other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr)),
      m_conn(std::move(other.m_conn)),
      m_broken(std::exchange(other.m_broken, false))
{
}

ConnectionPool::Lease &ConnectionPool::Lease::operator=(Lease &&other) noexcept
{
    if (this != &other) {
        release();
        m_pool = std::exchange(other.m_pool, nullptr);
        m_conn = std::move(other.m_conn);
        m_broken = std::exchange(other.m_broken, false);
    }
    return *this;
}

ConnectionPool::Lease::~Lease()
{
    release();
}

void ConnectionPool::Lease::release()
{
    if (m_pool && m_conn)
        m_pool->giveBack(std::move(m_conn), m_broken);
    m_pool = nullptr;
    m_conn.reset();
    m_broken = false;
}

ConnectionPool::ConnectionPool(Options options)
    : m_options(std::move(options))
{
}

ConnectionPool::~ConnectionPool()
{
    close();
}

Result<ConnectionPool::Lease> ConnectionPool::acquire()
{
    return acquire(std::chrono::milliseconds(m_options.acquireTimeoutMs));
}

Result<ConnectionPool::Lease> ConnectionPool::acquire(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_closed)
            return fail(ErrorCode::Unavailable, QStringLiteral("The database is not available."),
                        QStringLiteral("connection pool is closed"));
        while (!m_idle.empty()) {
            std::unique_ptr<pqxx::connection> conn = std::move(m_idle.back());
            m_idle.pop_back();
            if (!idleConnectionLooksDead(*conn)) {
                ++m_inUse;
                updateGaugesLocked();
                return Lease(this, std::move(conn));
            }
            --m_open;  // found broken while idle: drop it, a new one may take its slot
            lock.unlock();
            conn.reset();
            lock.lock();
        }
        if (m_open < m_options.maxSize) {
            // Reserve the slot, then connect without holding the lock.
            ++m_open;
            ++m_inUse;
            updateGaugesLocked();
            lock.unlock();
            auto conn = connect();
            if (!conn) {
                lock.lock();
                --m_open;
                --m_inUse;
                updateGaugesLocked();
                lock.unlock();
                m_available.notify_one();
                return tl::unexpected(conn.error());
            }
            return Lease(this, std::move(*conn));
        }
        ++m_waiting;
        updateGaugesLocked();
        const bool woken = m_available.wait_until(lock, deadline, [this] {
            return m_closed || !m_idle.empty() || m_open < m_options.maxSize;
        });
        --m_waiting;
        updateGaugesLocked();
        if (!woken)
            return fail(ErrorCode::Timeout, QStringLiteral("The database is busy; please retry."),
                        QStringLiteral("timed out after %1 ms waiting for a database connection "
                                       "(pool size %2)")
                            .arg(timeout.count())
                            .arg(m_options.maxSize));
    }
}

Result<std::unique_ptr<pqxx::connection>> ConnectionPool::connect()
{
    try {
        auto conn = std::make_unique<pqxx::connection>(m_options.connectionString);
        // A silent reconnect would lose the session settings below; we replace broken
        // connections ourselves instead.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
        pqxx::nontransaction setup(*conn);
        setup.exec("SET statement_timeout = " + std::to_string(m_options.statementTimeoutMs)
                   + "; SET application_name = 'communityd'");
        return conn;
    } catch (const std::exception &e) {
        Error err = mapException(e);
        if (err.code == ErrorCode::Internal)
            err.code = ErrorCode::Unavailable;
        err.message = QStringLiteral("The database is not available.");
        err.logDetail = QStringLiteral("connecting to the database failed: ") + err.logDetail;
        return tl::unexpected(err);
    }
}

void ConnectionPool::giveBack(std::unique_ptr<pqxx::connection> conn, bool broken)
{
    std::vector<std::unique_ptr<pqxx::connection>> discard;
    {
        std::lock_guard lock(m_mutex);
        --m_inUse;
        if (broken || m_closed || !conn->is_open()) {
            --m_open;
            discard.push_back(std::move(conn));
            if (broken) {
                // One broken connection usually means the server restarted or an admin
                // killed our backends: the idle siblings are most likely dead too, and
                // each would cost a caller a retry.
                m_open -= int(m_idle.size());
                for (auto &c : m_idle)
                    discard.push_back(std::move(c));
                m_idle.clear();
            }
        } else {
            m_idle.push_back(std::move(conn));
        }
        updateGaugesLocked();
    }
    m_available.notify_all();
    discard.clear();  // closes sockets outside the lock
}

void ConnectionPool::close()
{
    std::vector<std::unique_ptr<pqxx::connection>> discard;
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_open -= int(m_idle.size());
        discard = std::move(m_idle);
        m_idle.clear();
        updateGaugesLocked();
    }
    m_available.notify_all();
}

void ConnectionPool::reopen()
{
    std::lock_guard lock(m_mutex);
    m_closed = false;
}

int ConnectionPool::size() const
{
    std::lock_guard lock(m_mutex);
    return m_open;
}

int ConnectionPool::inUse() const
{
    std::lock_guard lock(m_mutex);
    return m_inUse;
}

int ConnectionPool::waiting() const
{
    std::lock_guard lock(m_mutex);
    return m_waiting;
}

void ConnectionPool::setGauges(prometheus::Gauge *size, prometheus::Gauge *inUse,
                               prometheus::Gauge *waiting)
{
    std::lock_guard lock(m_mutex);
    m_sizeGauge = size;
    m_inUseGauge = inUse;
    m_waitingGauge = waiting;
    updateGaugesLocked();
}

void ConnectionPool::updateGaugesLocked()
{
    if (m_sizeGauge)
        m_sizeGauge->Set(m_open);
    if (m_inUseGauge)
        m_inUseGauge->Set(m_inUse);
    if (m_waitingGauge)
        m_waitingGauge->Set(m_waiting);
}

} // namespace Community::Db
