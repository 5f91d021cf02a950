// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "searchmetrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace Search {

SearchMetrics::SearchMetrics(prometheus::Registry *registry)
{
    if (!registry)
        return;
    m_lag = &prometheus::BuildGauge()
                 .Name("community_search_index_lag_events")
                 .Help("Events the search.index consumer is behind the newest outbox event")
                 .Register(*registry)
                 .Add({});
    m_lastId = &prometheus::BuildGauge()
                    .Name("community_search_last_indexed_event_id")
                    .Help("Id of the last event applied to the search index by this process")
                    .Register(*registry)
                    .Add({});
    m_delay = &prometheus::BuildGauge()
                   .Name("community_search_index_delay_seconds")
                   .Help("Age of the last indexed event when it was applied (publish to searchable)")
                   .Register(*registry)
                   .Add({});
    m_indexed = &prometheus::BuildCounter()
                     .Name("community_search_indexed_events_total")
                     .Help("Events applied to the search index")
                     .Register(*registry)
                     .Add({});
    auto &queries = prometheus::BuildCounter()
                        .Name("community_search_queries_total")
                        .Help("Searches by outcome (hits, zero results, rejected with a 400)")
                        .Register(*registry);
    m_hits = &queries.Add({{"outcome", "hits"}});
    m_zero = &queries.Add({{"outcome", "zero"}});
    m_rejected = &queries.Add({{"outcome", "rejected"}});
    m_suggest = &prometheus::BuildCounter()
                     .Name("community_search_suggest_total")
                     .Help("Autocomplete requests")
                     .Register(*registry)
                     .Add({});
    auto &cache = prometheus::BuildCounter()
                      .Name("community_search_cache_total")
                      .Help("Result cache lookups (hit, miss) and entries evicted by the memory bound, per cache")
                      .Register(*registry);
    const char *caches[] = {"pages", "suggestions"};
    const char *events[] = {"hit", "miss", "eviction"};
    for (int c = 0; c < 2; ++c) {
        for (int e = 0; e < 3; ++e)
            m_cache[c][e] = &cache.Add({{"cache", caches[c]}, {"result", events[e]}});
    }
}

void SearchMetrics::indexed(qint64 eventId, double ageSeconds)
{
    if (m_lastId)
        m_lastId->Set(double(eventId));
    if (m_delay)
        m_delay->Set(ageSeconds < 0 ? 0 : ageSeconds);
    if (m_indexed)
        m_indexed->Increment();
}

void SearchMetrics::setLag(qint64 events)
{
    if (m_lag)
        m_lag->Set(double(events));
}

void SearchMetrics::resetLastIndexed()
{
    if (m_lastId)
        m_lastId->Set(0);
}

void SearchMetrics::searched(Outcome outcome)
{
    prometheus::Counter *c = outcome == Outcome::Hits ? m_hits : outcome == Outcome::Zero ? m_zero : m_rejected;
    if (c)
        c->Increment();
}

void SearchMetrics::cached(Cache cache, CacheEvent event, int count)
{
    if (prometheus::Counter *c = m_cache[int(cache)][int(event)])
        c->Increment(count);
}

void SearchMetrics::suggested()
{
    if (m_suggest)
        m_suggest->Increment();
}

} // namespace Search
