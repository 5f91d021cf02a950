// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/ratelimiter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <unordered_map>

namespace Community::Http {

namespace {
constexpr size_t kShards = 16;
constexpr size_t kShardSoftLimit = 50'000;

struct Bucket {
    double tokens = 0;
    double last = 0;
};
} // namespace

struct RateLimiter::Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
    size_t scanAt = kShardSoftLimit;   ///< next size at which idle buckets are swept
};

RateLimiter::RateLimiter()
    : m_shards(new Shard[kShards])
{
}

RateLimiter::~RateLimiter() = default;

double RateLimiter::now()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

RateLimiter::Decision RateLimiter::check(const QByteArray &key, const RateLimit &limit, double nowSeconds)
{
    Decision d;
    if (limit.unlimited())
        return d;
    d.limit = limit.burst;
    Shard &shard = m_shards[qHash(key) % kShards];
    std::lock_guard lock(shard.mutex);
    if (shard.buckets.size() >= shard.scanAt) {
        // Drop buckets that have refilled completely: they hold no information. The next
        // sweep waits until the shard has grown again, so sweeps cost O(1) amortised.
        for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
            const double full = it->second.tokens + (nowSeconds - it->second.last) * limit.ratePerSecond;
            it = full >= limit.burst ? shard.buckets.erase(it) : std::next(it);
        }
        shard.scanAt = std::max(kShardSoftLimit, shard.buckets.size() * 2);
    }
    auto [it, inserted] = shard.buckets.try_emplace(key.toStdString(), Bucket{limit.burst, nowSeconds});
    Bucket &b = it->second;
    if (!inserted) {
        b.tokens = std::min(limit.burst, b.tokens + (nowSeconds - b.last) * limit.ratePerSecond);
        b.last = nowSeconds;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        d.allowed = true;
    } else {
        d.allowed = false;
        d.retryAfterSeconds = (1 - b.tokens) / limit.ratePerSecond;
    }
    d.remaining = std::floor(b.tokens);
    d.resetSeconds = (limit.burst - b.tokens) / limit.ratePerSecond;
    return d;
}

size_t RateLimiter::bucketCount() const
{
    size_t n = 0;
    for (size_t i = 0; i < kShards; ++i) {
        std::lock_guard lock(m_shards[i].mutex);
        n += m_shards[i].buckets.size();
    }
    return n;
}

} // namespace Community::Http
