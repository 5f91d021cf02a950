// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Token buckets keyed by an id (a sender, a room): `rate` tokens per second up to
/// `burst`. Per node. Thread-safe.

#include <QHash>
#include <QMutex>

#include <chrono>

namespace Chat {

class RateLimiter {
public:
    RateLimiter(double rate, int burst) : m_rate(rate), m_burst(burst) {}
    /// Takes one token; false (and the seconds until one is free) when none is left.
    bool take(qint64 key, int *retryAfterSeconds = nullptr);
    /// Returns a token taken for an action that did not happen after all.
    void giveBack(qint64 key);
    /// Whether `key` may act now, at most once per `intervalMs` (typing throttle).
    static bool once(QHash<qint64, qint64> &last, qint64 key, qint64 nowMs, int intervalMs);

private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point at;
    };
    QMutex m_mutex;
    QHash<qint64, Bucket> m_buckets;
    double m_rate;
    int m_burst;
};

} // namespace Chat
