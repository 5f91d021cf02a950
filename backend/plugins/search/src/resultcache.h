// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A bounded in-process cache of search answers (ranked pages, suggestion lists) keyed by
/// the request and stamped with the index generation they were computed at
/// (search.index_state, bumped by a trigger in the transaction of every index write, on
/// whichever node wrote it). An entry answers only a reader that saw the same generation
/// and is younger than the time to live (relevance has a recency term that moves with the
/// clock); anything else is a miss. Bounded by an estimate of the bytes held, least
/// recently used first out. Thread-safe.

#include "searchmetrics.h"

#include <QCache>
#include <QElapsedTimer>
#include <QMutex>
#include <QString>

#include <optional>
#include <utility>

namespace Search {

/// Lookups and evictions of one cache since it was made (the metrics count them too).
struct CacheCounts {
    qint64 hits = 0, misses = 0, evictions = 0;
};

template<typename T>
class ResultCache {
public:
    using Event = SearchMetrics::CacheEvent;
    /// `maxBytes` 0 disables the cache; `metrics` may be null.
    ResultCache(qint64 maxBytes, int ttlMs, SearchMetrics *metrics, SearchMetrics::Cache which)
        : m_ttlMs(ttlMs), m_enabled(maxBytes > 0), m_metrics(metrics), m_which(which)
    {
        m_entries.setMaxCost(qsizetype(std::max<qint64>(maxBytes, 1)));
    }

    bool enabled() const { return m_enabled; }

    std::optional<T> find(const QString &key, qint64 generation)
    {
        if (!m_enabled)
            return std::nullopt;
        QMutexLocker lock(&m_mutex);
        const Entry *e = m_entries.object(key);
        if (!e || e->generation != generation || e->age.hasExpired(m_ttlMs)) {
            if (e)
                m_entries.remove(key);
            notify(Event::Miss, 1);
            return std::nullopt;
        }
        notify(Event::Hit, 1);
        return e->value;
    }

    /// The live entry for `key` and its generation, without counting a lookup: for a
    /// caller that checks the generation itself, then reports hit() or goes on to find().
    std::optional<std::pair<qint64, T>> peek(const QString &key)
    {
        if (!m_enabled)
            return std::nullopt;
        QMutexLocker lock(&m_mutex);
        const Entry *e = m_entries.object(key);
        if (!e || e->age.hasExpired(m_ttlMs))
            return std::nullopt;
        return std::make_pair(e->generation, e->value);
    }

    void hit()
    {
        QMutexLocker lock(&m_mutex);
        notify(Event::Hit, 1);
    }

    /// `bytes`: the estimated size of `value` (the entry's cost against maxBytes).
    void insert(const QString &key, qint64 generation, const T &value, qint64 bytes)
    {
        if (!m_enabled)
            return;
        const qsizetype cost = qsizetype(bytes + key.size() * 2 + 64);
        QMutexLocker lock(&m_mutex);
        if (cost > m_entries.maxCost())
            return;
        const qsizetype before = m_entries.size() - (m_entries.contains(key) ? 1 : 0);
        auto *e = new Entry{value, generation, {}};
        e->age.start();
        m_entries.insert(key, e, cost);
        const qsizetype evicted = before + 1 - m_entries.size();
        if (evicted > 0)
            notify(Event::Eviction, int(evicted));
    }

    qsizetype size() const
    {
        QMutexLocker lock(&m_mutex);
        return m_entries.size();
    }

    CacheCounts counts() const
    {
        QMutexLocker lock(&m_mutex);
        return m_counts;
    }

private:
    struct Entry {
        T value;
        qint64 generation;
        QElapsedTimer age;
    };

    void notify(Event e, int count)
    {
        (e == Event::Hit ? m_counts.hits : e == Event::Miss ? m_counts.misses : m_counts.evictions) += count;
        if (m_metrics)
            m_metrics->cached(m_which, e, count);
    }

    const int m_ttlMs;
    const bool m_enabled;
    SearchMetrics *m_metrics;
    const SearchMetrics::Cache m_which;
    mutable QMutex m_mutex;
    CacheCounts m_counts;
    QCache<QString, Entry> m_entries;
};

} // namespace Search
