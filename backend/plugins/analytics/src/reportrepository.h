// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The report queries: rollups only (hourly, or daily when the zone is UTC), grouped by
/// local day in the requested time zone. Days are calendar days of that zone, so a DST
/// day has 23 or 25 hours. SQL only.

#include <QDate>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pqxx { class transaction_base; }

namespace Analytics {

class GapCounts;

struct ReportRange {
    QDate from, to;            ///< inclusive local days
    QString tz = QStringLiteral("UTC");
    int days() const { return int(from.daysTo(to)) + 1; }
    ReportRange previous() const { return {from.addDays(-days()), from.addDays(-1), tz}; }
};

struct ActiveDay {
    qint64 dau = 0, wau = 0, mau = 0;
};

struct Ranked {
    QString dim;
    double value = 0;
};

struct Cohort {
    QDate week;                ///< Monday of the signup week (local)
    qint64 size = 0;
    QList<qint64> retained;    ///< active users in week 0, 1, ... up to the range's end
};

struct ResponseTimes {
    qint64 resolved = 0;
    double averageSeconds = 0, medianSeconds = 0;
};

class ReportRepository {
public:
    explicit ReportRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Per local day, the summed value of each metric (dim "").
    QMap<QDate, QHash<QString, double>> series(const QStringList &metrics, const ReportRange &r);
    /// Totals of each metric over the range.
    QHash<QString, double> totals(const QStringList &metrics, const ReportRange &r);
    /// DAU, and WAU / MAU over the 7 / 30 days ending each day.
    QMap<QDate, ActiveDay> activeUsers(const ReportRange &r);
    /// Distinct active users over the whole range.
    qint64 distinctActive(const ReportRange &r);
    /// The `limit` dims with the highest value of `metric` in the range.
    QList<Ranked> top(const QString &metric, const ReportRange &r, int limit);
    /// Values of `metric` for the given dims.
    QHash<QString, double> valuesFor(const QString &metric, const QStringList &dims, const ReportRange &r);
    /// Weekly cohorts of the accounts that signed up in the range.
    QList<Cohort> cohorts(const ReportRange &r);
    ResponseTimes responseTimes(const ReportRange &r);

    /// Whether the zone has distinct-user counters (a configured report zone); without,
    /// activeUsers, distinctActive and cohorts scan active_hours (exact, slower).
    bool counted(const QString &tz);

private:
    GapCounts gapCounts(const QString &tz, QDate from, QDate to);
    QMap<QDate, ActiveDay> scannedActiveUsers(const ReportRange &r);
    QList<Cohort> countedCohorts(const ReportRange &r);
    QList<Cohort> scannedCohorts(const ReportRange &r);

    pqxx::transaction_base &m_tx;
    QHash<QString, bool> m_counted;
};

} // namespace Analytics
