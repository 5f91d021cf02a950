// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SIGINT/SIGTERM for commands that run until stopped (`events tail --follow`, `top`,
/// `chaos inject --hold`, `drill run`): while a guard lives the handlers only set a flag,
/// which the command's loop checks between polls or frames (and, when given, an atomic
/// flag that a worker such as the drill runner watches); the previous handlers come back
/// when it goes.

#include <QDeadlineTimer>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>

namespace Community::Ctl {

namespace Detail {
inline volatile std::sig_atomic_t g_interrupted = 0;
inline std::atomic_bool *g_alsoSet = nullptr;
inline void onInterrupt(int)
{
    g_interrupted = 1;
    if (g_alsoSet)
        g_alsoSet->store(true);   // lock-free: safe in a handler
}
} // namespace Detail

class InterruptGuard
{
public:
    explicit InterruptGuard(std::atomic_bool *alsoSet = nullptr)
    {
        Detail::g_interrupted = 0;
        Detail::g_alsoSet = alsoSet;
        struct sigaction sa = {};
        sa.sa_handler = Detail::onInterrupt;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &m_oldInt);
        sigaction(SIGTERM, &sa, &m_oldTerm);
    }
    ~InterruptGuard()
    {
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
        Detail::g_alsoSet = nullptr;
    }
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

    bool interrupted() const { return Detail::g_interrupted != 0; }

    /// Sleeps @p interval in short slices; false when interrupted.
    bool pause(std::chrono::milliseconds interval) const
    {
        QDeadlineTimer deadline(interval);
        while (!interrupted() && !deadline.hasExpired())
            QThread::msleep(quint64(std::min<qint64>(50, std::max<qint64>(1, deadline.remainingTime()))));
        return !interrupted();
    }

private:
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
};

} // namespace Community::Ctl
