// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The search plugin's Prometheus series: index lag (events behind the outbox head, as
/// the bus reports for the consumer), the last indexed event id, the age of events when
/// they were indexed, and searches by outcome. Thread-safe; without a registry every
/// call is a no-op (unit tests, the bench seeder).

#include <QtGlobal>

namespace prometheus { class Registry; class Gauge; class Counter; }

namespace Search {

class SearchMetrics {
public:
    explicit SearchMetrics(prometheus::Registry *registry = nullptr);

    /// After an event was applied: its id and how old it was (seconds since publish).
    void indexed(qint64 eventId, double ageSeconds);
    /// The consumer's lag in events (outbox head minus offset).
    void setLag(qint64 events);
    void resetLastIndexed();
    enum class Outcome { Hits, Zero, Rejected };
    void searched(Outcome outcome);
    void suggested();
    /// The result caches (ResultCache): which cache, what happened, how many times.
    enum class Cache { Pages, Suggestions };
    enum class CacheEvent { Hit, Miss, Eviction };
    void cached(Cache cache, CacheEvent event, int count = 1);

private:
    prometheus::Gauge *m_lag = nullptr;
    prometheus::Gauge *m_lastId = nullptr;
    prometheus::Gauge *m_delay = nullptr;
    prometheus::Counter *m_indexed = nullptr;
    prometheus::Counter *m_hits = nullptr;
    prometheus::Counter *m_zero = nullptr;
    prometheus::Counter *m_rejected = nullptr;
    prometheus::Counter *m_suggest = nullptr;
    prometheus::Counter *m_cache[2][3] = {};
};

} // namespace Search
