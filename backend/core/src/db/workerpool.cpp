// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "db/workerpool.h"

#include <prometheus/gauge.h>

#include <QtGlobal>

#include <algorithm>
#include <exception>

namespace Community::Db {

WorkerPool::WorkerPool(int threads, int queueLimit)
    : m_threadCount(std::max(1, threads)), m_queueLimit(std::max(0, queueLimit))
{
}

WorkerPool::~WorkerPool()
{
    close(std::chrono::milliseconds(0));
}

void WorkerPool::start()
{
    std::lock_guard lock(m_mutex);
    if (m_running || !m_threads.empty())
        return;
    m_running = true;
    m_stopping = false;
    m_dropAfter = std::chrono::steady_clock::time_point::max();
    m_threads.reserve(m_threadCount);
    for (int i = 0; i < m_threadCount; ++i)
        m_threads.emplace_back([this] { run(); });
}

void WorkerPool::close(std::chrono::milliseconds deadline)
{
    std::vector<std::thread> threads;
    {
        std::unique_lock lock(m_mutex);
        if (m_threads.empty())
            return;
        m_running = false;  // no new jobs from here on
        m_stopping = true;
        m_dropAfter = std::chrono::steady_clock::now() + deadline;
        m_wake.notify_all();
        m_drained.wait_until(lock, m_dropAfter, [this] { return m_queue.empty(); });
        // Whatever is still queued past the deadline is dropped, not run.
        std::deque<std::function<void()>> dropped;
        dropped.swap(m_queue);
        if (!dropped.empty())
            qWarning("worker pool: dropped %d queued jobs at shutdown", int(dropped.size()));
        updateGaugesLocked();
        threads.swap(m_threads);
        lock.unlock();
        m_wake.notify_all();
        dropped.clear();
    }
    for (auto &t : threads)
        t.join();
}

bool WorkerPool::trySubmit(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_running)
            return false;
        // Queue bound counts what waits beyond the busy workers: idle threads take
        // their job at once.
        const int idle = m_threadCount - m_active;
        if (int(m_queue.size()) >= m_queueLimit + std::max(0, idle))
            return false;
        m_queue.push_back(std::move(job));
        updateGaugesLocked();
    }
    m_wake.notify_one();
    return true;
}

void WorkerPool::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty()) {
            if (m_stopping)
                return;
            continue;
        }
        if (m_stopping && std::chrono::steady_clock::now() >= m_dropAfter)
            return;  // close() drops the rest
        std::function<void()> job = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_active;
        updateGaugesLocked();
        if (m_queue.empty())
            m_drained.notify_all();
        lock.unlock();
        try {
            job();
        } catch (const std::exception &e) {
            qWarning("worker pool: job threw: %s", e.what());
        } catch (...) {
            qWarning("worker pool: job threw an unknown exception");
        }
        job = nullptr;  // destroy captures before taking the lock
        lock.lock();
        --m_active;
        updateGaugesLocked();
    }
}

int WorkerPool::queueDepth() const
{
    std::lock_guard lock(m_mutex);
    return int(m_queue.size());
}

int WorkerPool::active() const
{
    std::lock_guard lock(m_mutex);
    return m_active;
}

bool WorkerPool::isRunning() const
{
    std::lock_guard lock(m_mutex);
    return m_running;
}

void WorkerPool::setGauges(prometheus::Gauge *depth, prometheus::Gauge *active)
{
    std::lock_guard lock(m_mutex);
    m_depthGauge = depth;
    m_activeGauge = active;
    updateGaugesLocked();
}

void WorkerPool::updateGaugesLocked()
{
    if (m_depthGauge)
        m_depthGauge->Set(double(m_queue.size()));
    if (m_activeGauge)
        m_activeGauge->Set(m_active);
}

} // namespace Community::Db
