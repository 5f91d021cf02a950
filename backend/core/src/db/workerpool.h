// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// A fixed set of std::threads with a bounded queue. Thread-safe. trySubmit() refuses
// work (returns false) once `queueLimit` jobs wait beyond the busy workers, so callers
// can answer 503 instead of queueing without bound.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace prometheus { class Gauge; }

namespace Community::Db {

class WorkerPool {
public:
    WorkerPool(int threads, int queueLimit);
    ~WorkerPool();
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    void start();
    /// Lets the queued jobs run until `deadline`, drops what is left, joins the threads.
    /// A job still running at the deadline is waited for (threads cannot be cancelled).
    void close(std::chrono::milliseconds deadline);

    /// Queues `job`. False when the pool is not running or the queue is full.
    /// Jobs must not throw; an escaping exception is caught and logged.
    bool trySubmit(std::function<void()> job);

    int queueDepth() const;  ///< jobs waiting for a thread
    int active() const;      ///< jobs running
    int threadCount() const { return m_threadCount; }
    bool isRunning() const;

    void setGauges(prometheus::Gauge *depth, prometheus::Gauge *active);

private:
    void run();
    void updateGaugesLocked();

    const int m_threadCount;
    const int m_queueLimit;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_drained;
    std::deque<std::function<void()>> m_queue;
    std::vector<std::thread> m_threads;
    int m_active = 0;
    bool m_running = false;
    bool m_stopping = false;
    std::chrono::steady_clock::time_point m_dropAfter = std::chrono::steady_clock::time_point::max();
    prometheus::Gauge *m_depthGauge = nullptr;
    prometheus::Gauge *m_activeGauge = nullptr;
};

} // namespace Community::Db
