// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "ratelimiter.h"

#include <QMutexLocker>

#include <cmath>

namespace Chat {

bool RateLimiter::take(qint64 key, int *retryAfterSeconds)
{
    const auto now = std::chrono::steady_clock::now();
    QMutexLocker lock(&m_mutex);
    if (m_buckets.size() > 100'000)
        m_buckets.clear();   // bounded memory: a full reset only ever lets a burst through
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        it = m_buckets.insert(key, Bucket{double(m_burst), now});
    const double elapsed = std::chrono::duration<double>(now - it->at).count();
    it->tokens = std::min(double(m_burst), it->tokens + elapsed * m_rate);
    it->at = now;
    if (it->tokens >= 1) {
        it->tokens -= 1;
        return true;
    }
    if (retryAfterSeconds)
        *retryAfterSeconds = std::max(1, int(std::ceil((1 - it->tokens) / m_rate)));
    return false;
}

void RateLimiter::giveBack(qint64 key)
{
    QMutexLocker lock(&m_mutex);
    if (auto it = m_buckets.find(key); it != m_buckets.end())
        it->tokens = std::min(double(m_burst), it->tokens + 1);
}

bool RateLimiter::once(QHash<qint64, qint64> &last, qint64 key, qint64 nowMs, int intervalMs)
{
    auto it = last.find(key);
    if (it != last.end() && nowMs - *it < intervalMs)
        return false;
    last.insert(key, nowMs);
    return true;
}

} // namespace Chat
