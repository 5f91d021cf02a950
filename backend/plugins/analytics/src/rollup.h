// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What one stored event adds to the rollups: a count under its type, and under the
/// dimensions reports rank by (post views per post, searches per query, actions per
/// moderator, ...). A batch's additions are summed here and written once per key, in key
/// order (so concurrent batches lock rollup rows in the same order). Pure values.

#include "rawevent.h"

#include <QList>
#include <QMap>
#include <QSet>
#include <tuple>

namespace Analytics {

struct MetricDim {
    QString metric;
    QString dim;
};

/// The (metric, dim) pairs an event counts under; always includes (type, "").
QList<MetricDim> metricsOf(const RawEvent &e);

class RollupDelta {
public:
    void add(const RawEvent &e);
    bool isEmpty() const { return m_hourly.isEmpty() && m_active.isEmpty(); }

    using Key = std::tuple<qint64, QString, QString>;   ///< (epoch seconds of the bucket, metric, dim)
    const QMap<Key, double> &hourly() const { return m_hourly; }
    const QMap<Key, double> &daily() const { return m_daily; }
    /// (hour epoch seconds, user id), sorted.
    const QMap<std::pair<qint64, qint64>, bool> &activeHours() const { return m_active; }

private:
    QMap<Key, double> m_hourly;
    QMap<Key, double> m_daily;
    QMap<std::pair<qint64, qint64>, bool> m_active;
};

} // namespace Analytics
