// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "realtime/livemetrics.h"

#include "community/database.h"
#include "community/host/realtimehub.h"

#include <prometheus/registry.h>

#include <QJsonArray>

#include <cmath>

namespace Community::Realtime {

namespace {

std::string label(const prometheus::ClientMetric &m, const char *name)
{
    for (const auto &l : m.label) {
        if (l.name == name)
            return l.value;
    }
    return {};
}

// "/v1/users/{name}" -> "users"; system routes and the rest -> "system".
std::string areaOf(const std::string &route)
{
    if (route.rfind("/v1/", 0) != 0)
        return "system";
    const auto end = route.find('/', 4);
    return route.substr(4, end == std::string::npos ? std::string::npos : end - 4);
}

// Linear interpolation inside the bucket that holds the q-th observation.
double quantile(const std::vector<std::pair<double, double>> &cumulative, double q)
{
    if (cumulative.empty() || cumulative.back().second <= 0)
        return 0;
    const double target = q * cumulative.back().second;
    double lowerBound = 0, lowerCount = 0;
    for (const auto &[bound, count] : cumulative) {
        if (count >= target) {
            if (std::isinf(bound))
                return lowerBound;
            const double span = count - lowerCount;
            return span <= 0 ? bound : lowerBound + (bound - lowerBound) * (target - lowerCount) / span;
        }
        lowerBound = bound;
        lowerCount = count;
    }
    return lowerBound;
}

} // namespace

LiveMetrics::Totals LiveMetrics::collect(QJsonObject &eventLag) const
{
    Totals t;
    for (const auto &family : m_registry.Collect()) {
        if (family.name == "community_http_requests_total") {
            for (const auto &m : family.metric) {
                const std::string status = label(m, "status");
                t.requests += m.counter.value;
                auto &[areaClient, areaServer] = t.errors[areaOf(label(m, "route"))];
                if (!status.empty() && status[0] == '4') {
                    t.client += m.counter.value;
                    areaClient += m.counter.value;
                }
                if (!status.empty() && status[0] == '5') {
                    t.server += m.counter.value;
                    areaServer += m.counter.value;
                }
            }
        } else if (family.name == "community_http_request_duration_seconds") {
            for (const auto &m : family.metric) {
                auto &acc = t.buckets[areaOf(label(m, "route"))];
                if (acc.empty())
                    acc.resize(m.histogram.bucket.size());
                for (std::size_t i = 0; i < m.histogram.bucket.size() && i < acc.size(); ++i)
                    acc[i] = {m.histogram.bucket[i].upper_bound, acc[i].second + double(m.histogram.bucket[i].cumulative_count)};
            }
        } else if (family.name == "community_events_lag") {
            for (const auto &m : family.metric)
                eventLag.insert(QString::fromStdString(label(m, "consumer")), m.gauge.value);
        }
    }
    return t;
}

QJsonObject LiveMetrics::sample()
{
    QJsonObject lag;
    Totals now = collect(lag);
    const double seconds = m_clock.isValid() ? qMax(0.001, double(m_clock.restart()) / 1000.0) : 1.0;
    if (!m_clock.isValid())
        m_clock.start();
    QJsonObject areas;
    for (const auto &[area, buckets] : now.buckets) {
        std::vector<std::pair<double, double>> delta = buckets;
        const auto prev = m_last.buckets.find(area);
        for (std::size_t i = 0; prev != m_last.buckets.end() && i < delta.size() && i < prev->second.size(); ++i)
            delta[i].second -= prev->second[i].second;
        if (delta.empty() || delta.back().second <= 0)
            continue;
        const auto errorsNow = now.errors[area];
        const auto errorsBefore = m_last.errors.count(area) ? m_last.errors.at(area) : std::pair<double, double>{};
        areas.insert(QString::fromStdString(area),
                     QJsonObject{{QStringLiteral("requestsPerSecond"), delta.back().second / seconds},
                                 {QStringLiteral("clientErrorsPerSecond"), (errorsNow.first - errorsBefore.first) / seconds},
                                 {QStringLiteral("serverErrorsPerSecond"), (errorsNow.second - errorsBefore.second) / seconds},
                                 {QStringLiteral("p50Ms"), quantile(delta, 0.5) * 1000.0},
                                 {QStringLiteral("p99Ms"), quantile(delta, 0.99) * 1000.0}});
    }
    QJsonObject out{
        {QStringLiteral("requestsPerSecond"), (now.requests - m_last.requests) / seconds},
        {QStringLiteral("clientErrorsPerSecond"), (now.client - m_last.client) / seconds},
        {QStringLiteral("serverErrorsPerSecond"), (now.server - m_last.server) / seconds},
        {QStringLiteral("byArea"), areas},
        {QStringLiteral("wsConnections"), m_hub.connectionCount()},
        {QStringLiteral("dbPool"), QJsonObject{{QStringLiteral("size"), m_db.poolSize()},
                                               {QStringLiteral("inUse"), m_db.poolInUse()},
                                               {QStringLiteral("waiting"), m_db.poolWaiting()}}},
        {QStringLiteral("workerQueue"), m_db.queueDepth()},
        {QStringLiteral("eventLag"), lag},
    };
    m_last = std::move(now);
    return out;
}

} // namespace Community::Realtime
