// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "analyticsconfig.h"

#include "eventschema.h"

#include "community/config.h"

#include <QTimeZone>

using namespace Community;

namespace Analytics {

Result<AnalyticsConfig> readAnalyticsConfig(const QJsonObject &subtree, const QString &path)
{
    AnalyticsConfig c;
    ConfigReader r(subtree, path);
    c.maxBatchEvents = int(r.integer(QStringLiteral("maxBatchEvents"), c.maxBatchEvents, 1, 10'000));
    c.maxBodyBytes = r.integer(QStringLiteral("maxBodyBytes"), c.maxBodyBytes, 1024, 16 * 1024 * 1024);
    c.maxPastSkewSeconds = r.integer(QStringLiteral("maxPastSkewSeconds"), c.maxPastSkewSeconds, 0, 7 * 86'400);
    c.maxFutureSkewSeconds = r.integer(QStringLiteral("maxFutureSkewSeconds"), c.maxFutureSkewSeconds, 0, 86'400);
    c.eventsPerSecond = int(r.integer(QStringLiteral("eventsPerSecond"), c.eventsPerSecond, 1, 1'000'000));
    c.eventsBurst = int(r.integer(QStringLiteral("eventsBurst"), c.eventsBurst, 1, 10'000'000));
    c.retentionDays = int(r.integer(QStringLiteral("retentionDays"), c.retentionDays, 2, 3650));
    c.partitionsAhead = int(r.integer(QStringLiteral("partitionsAhead"), c.partitionsAhead, 1, 60));
    c.dedupWindowHours = int(r.integer(QStringLiteral("dedupWindowHours"), c.dedupWindowHours, 1, 24 * 30));
    c.liveIntervalMs = int(r.integer(QStringLiteral("liveIntervalMs"), c.liveIntervalMs, 0, 3'600'000));
    c.maintenanceIntervalMs = int(r.integer(QStringLiteral("maintenanceIntervalMs"), c.maintenanceIntervalMs, 1000, 86'400'000));
    c.maxReportDays = int(r.integer(QStringLiteral("maxReportDays"), c.maxReportDays, 1, 3660));
    c.topLimit = int(r.integer(QStringLiteral("topLimit"), c.topLimit, 1, 100));
    c.durableIngest = r.boolean(QStringLiteral("durableIngest"), c.durableIngest);
    c.reportZones = r.stringList(QStringLiteral("reportZones"), c.reportZones);
    for (const QString &zone : std::as_const(c.reportZones)) {
        if (!QTimeZone(zone.toUtf8()).isValid() || zone.size() > 64)
            return tl::unexpected(Error::make(ErrorCode::Config,
                                              QStringLiteral("%1.reportZones: unknown time zone %2").arg(path, zone)));
    }
    ConfigReader sampling = r.child(QStringLiteral("sampling"));
    for (const QString &type : clientEventTypes()) {
        const qint64 permille = sampling.integer(type, 1000, 1, 1000);
        if (permille < 1000)
            c.sampling.insert(type, double(permille) / 1000.0);
    }
    if (auto s = sampling.finish(); !s)
        return tl::unexpected(s.error());
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    return c;
}

} // namespace Analytics
