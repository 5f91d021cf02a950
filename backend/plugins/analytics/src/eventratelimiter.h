// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Token buckets counting events (not requests) per user or per client address: the
/// gateway limits requests, this limits what one sender may add per second however it
/// batches. In memory, per node. Thread-safe.

#include <QHash>
#include <QMutex>
#include <QString>

namespace Analytics {

class EventRateLimiter {
public:
    EventRateLimiter(double perSecond, double burst) : m_rate(perSecond), m_burst(burst) {}

    /// Takes `n` tokens from `key`'s bucket: 0 when allowed, else the seconds to wait
    /// before a batch of that size would pass (nothing is taken then).
    int take(const QString &key, int n, qint64 nowMs);

private:
    struct Bucket {
        double tokens = 0;
        qint64 atMs = 0;
    };
    QMutex m_mutex;
    QHash<QString, Bucket> m_buckets;
    double m_rate;
    double m_burst;
};

} // namespace Analytics
