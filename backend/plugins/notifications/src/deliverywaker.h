// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Wakes the delivery worker when delivery rows are written, on every node: hint() (after
/// a commit that wrote rows) sends one payload-free NOTIFY on channel
/// `notifications_delivery` per coalescing window from a connection of its own — never
/// inside a write transaction, where NOTIFY would serialise every committing writer (DESIGN
/// §5) — and a thread LISTENing on that channel calls `wake` on each node. Lossy by design:
/// the worker's slow poll (`delivery.pollMs`) stays as the safety net.
/// Threading: hint() is thread-safe and never blocks; `wake` runs on the listener thread.

#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace Notifications {

class DeliveryWaker {
public:
    DeliveryWaker(std::string connectionString, std::function<void()> wake, int coalesceMs = 5)
        : m_conninfo(std::move(connectionString)), m_wake(std::move(wake)), m_coalesceMs(coalesceMs) {}
    ~DeliveryWaker() { stop(); }
    DeliveryWaker(const DeliveryWaker &) = delete;
    DeliveryWaker &operator=(const DeliveryWaker &) = delete;

    void start();
    void stop();
    /// Rows were committed: wake the workers of every node (this one included).
    void hint();

    static constexpr const char *channel = "notifications_delivery";

private:
    void listenLoop();
    void notifyLoop();

    std::string m_conninfo;
    std::function<void()> m_wake;
    int m_coalesceMs;
    std::atomic<bool> m_running{false};
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_pending = false;
    std::thread m_listener, m_notifier;
};

} // namespace Notifications
