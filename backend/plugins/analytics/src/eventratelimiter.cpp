// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "eventratelimiter.h"

#include <QMutexLocker>

#include <cmath>

namespace Analytics {

int EventRateLimiter::take(const QString &key, int n, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    if (m_buckets.size() > 100'000) {
        // Full buckets carry no state worth keeping.
        for (auto it = m_buckets.begin(); it != m_buckets.end();)
            it = (nowMs - it->atMs) / 1000.0 * m_rate + it->tokens >= m_burst ? m_buckets.erase(it) : std::next(it);
    }
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        it = m_buckets.insert(key, Bucket{m_burst, nowMs});
    Bucket &b = *it;
    b.tokens = std::min(m_burst, b.tokens + double(nowMs - b.atMs) / 1000.0 * m_rate);
    b.atMs = nowMs;
    if (b.tokens >= n) {
        b.tokens -= n;
        return 0;
    }
    if (n > m_burst)
        return int(std::ceil((n - b.tokens) / m_rate));
    return std::max(1, int(std::ceil((n - b.tokens) / m_rate)));
}

} // namespace Analytics
