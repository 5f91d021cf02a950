// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The figures of an `admin:metrics` frame, taken from the daemon's Prometheus registry
// once per tick: rates are deltas since the previous sample, quantiles come from the
// latency histogram's bucket deltas (grouped by the API area, the first path segment
// after /v1/, which is the owning plugin's prefix). Hub thread only.

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>

#include <map>
#include <vector>

namespace prometheus { class Registry; }
namespace Community::Db { class Database; }

namespace Community::Realtime {

class RealtimeHub;

class LiveMetrics {
public:
    LiveMetrics(prometheus::Registry &registry, Db::Database &db, RealtimeHub &hub)
        : m_registry(registry), m_db(db), m_hub(hub) {}

    QJsonObject sample();

private:
    struct Totals {
        double requests = 0, client = 0, server = 0;
        std::map<std::string, std::vector<std::pair<double, double>>> buckets;   // area -> (upper bound, count)
        std::map<std::string, std::pair<double, double>> errors;                 // area -> (4xx, 5xx) counts
    };
    Totals collect(QJsonObject &eventLag) const;

    prometheus::Registry &m_registry;
    Db::Database &m_db;
    RealtimeHub &m_hub;
    Totals m_last;
    QElapsedTimer m_clock;
};

} // namespace Community::Realtime
