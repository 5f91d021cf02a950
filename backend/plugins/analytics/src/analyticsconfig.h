// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// plugins.analytics: ingestion limits, clock-skew window, sampling, retention, live feed.

#include "community/result.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Analytics {

struct AnalyticsConfig {
    int maxBatchEvents = 500;             ///< events per POST; 413 beyond
    qint64 maxBodyBytes = 256 * 1024;     ///< body limit of the ingestion route
    qint64 maxPastSkewSeconds = 86'400;   ///< older client times are clamped to now - this
    qint64 maxFutureSkewSeconds = 300;    ///< newer client times are clamped to now
    int eventsPerSecond = 100;            ///< per user (or per address when anonymous)
    int eventsBurst = 2000;
    QHash<QString, double> sampling;      ///< type -> kept share (0, 1]; absent = 1
    int retentionDays = 90;               ///< raw event partitions older than this are dropped
    int partitionsAhead = 7;              ///< days of partitions created in advance
    int dedupWindowHours = 48;            ///< how long a client id is remembered
    int liveIntervalMs = 10'000;          ///< admin:analytics frames (0 = off)
    int maintenanceIntervalMs = 3'600'000;
    int maxReportDays = 400;
    int topLimit = 10;
    bool durableIngest = false;           ///< client batches wait for their WAL flush
    /// Zones whose distinct-user reports (active users, retention) read counters kept at
    /// ingestion; other zones take the exact scan of active_hours (slower).
    QStringList reportZones{QStringLiteral("UTC")};
};

Community::Result<AnalyticsConfig> readAnalyticsConfig(const QJsonObject &subtree, const QString &path);

} // namespace Analytics
