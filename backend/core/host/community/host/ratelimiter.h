// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Token buckets keyed by (route class, subject), where the subject is a client IP or a
/// principal. Threading: check() is thread-safe (sharded locks). Idle buckets are
/// dropped when a shard grows, so memory stays bounded under address scans.

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>

namespace Community::Http {

struct RateLimit {
    double ratePerSecond = 0;   ///< refill rate; 0 = unlimited
    double burst = 0;           ///< bucket size
    bool unlimited() const { return ratePerSecond <= 0; }
};

struct RateClass {
    RateLimit perIp;
    RateLimit perPrincipal;
};

class RateLimiter {
public:
    struct Decision {
        bool allowed = true;
        double limit = 0;          ///< bucket size
        double remaining = 0;      ///< tokens left after this request
        double resetSeconds = 0;   ///< until the bucket is full again
        double retryAfterSeconds = 0; ///< until one token is available (when refused)
    };

    RateLimiter();
    ~RateLimiter();

    /// Takes one token from the bucket `key` under `limit`. `nowSeconds` is a monotonic
    /// clock reading (tests pass their own).
    Decision check(const QByteArray &key, const RateLimit &limit, double nowSeconds);
    /// Monotonic seconds.
    static double now();
    size_t bucketCount() const;

private:
    struct Shard;
    std::unique_ptr<Shard[]> m_shards;
};

} // namespace Community::Http
