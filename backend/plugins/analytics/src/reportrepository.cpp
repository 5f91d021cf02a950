// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reportrepository.h"

#include "activecounts.h"
#include "sqlarray.h"

#include <pqxx/pqxx>

namespace Analytics {

namespace {

std::string day(QDate d)
{
    return d.toString(Qt::ISODate).toStdString();
}

QDate dateOf(const pqxx::field &f)
{
    return QDate::fromString(QString::fromStdString(f.as<std::string>()), Qt::ISODate);
}

std::string textArray(const QStringList &items)
{
    SqlArray a;
    for (const QString &s : items)
        a.add(s);
    return a.str();
}

bool utc(const ReportRange &r)
{
    return r.tz == QLatin1String("UTC");
}

// $1 from, $2 to (local days), $3 zone: the range's bounds as timestamptz.
constexpr const char *kStart = "(($1::date)::timestamp AT TIME ZONE $3)";
constexpr const char *kEnd = "(($2::date + 1)::timestamp AT TIME ZONE $3)";

/// Rows (local day, metric, dim, value) of the metrics in the range; daily table in UTC.
std::string bucketQuery(bool daily, const std::string &dimFilter)
{
    if (daily)
        return "SELECT day::text AS d, metric, dim, value FROM analytics.daily"
               " WHERE metric = ANY($4::text[]) AND day BETWEEN $1::date AND $2::date AND " + dimFilter
               + " AND $3::text IS NOT NULL";
    return std::string("SELECT (hour AT TIME ZONE $3)::date::text AS d, metric, dim, value FROM analytics.hourly"
                       " WHERE metric = ANY($4::text[]) AND hour >= ") + kStart + " AND hour < " + kEnd + " AND "
        + dimFilter;
}

} // namespace

QMap<QDate, QHash<QString, double>> ReportRepository::series(const QStringList &metrics, const ReportRange &r)
{
    QMap<QDate, QHash<QString, double>> out;
    const auto rows = m_tx.exec_params("SELECT d, metric, sum(value) FROM (" + bucketQuery(utc(r), "dim = ''")
                                           + ") b GROUP BY d, metric",
                                       day(r.from), day(r.to), r.tz.toStdString(), textArray(metrics));
    for (const auto &row : rows)
        out[dateOf(row[0])][QString::fromStdString(row[1].as<std::string>())] = row[2].as<double>();
    return out;
}

QHash<QString, double> ReportRepository::totals(const QStringList &metrics, const ReportRange &r)
{
    QHash<QString, double> out;
    for (const auto &byDay : series(metrics, r))
        for (auto it = byDay.cbegin(); it != byDay.cend(); ++it)
            out[it.key()] += it.value();
    return out;
}

bool ReportRepository::counted(const QString &tz)
{
    auto it = m_counted.find(tz);
    if (it == m_counted.end())
        it = m_counted.insert(tz, !m_tx.exec_params("SELECT 1 FROM analytics.report_zones WHERE zone = $1", tz.toStdString()).empty());
    return it.value();
}

GapCounts ReportRepository::gapCounts(const QString &tz, QDate from, QDate to)
{
    GapCounts g;
    for (const auto &row : m_tx.exec_params("SELECT day::text, gap, sum(n)::bigint FROM analytics.active_gaps"
                                            " WHERE zone = $3 AND day BETWEEN $1::date AND $2::date GROUP BY day, gap",
                                            day(from), day(to), tz.toStdString()))
        g.add(dateOf(row[0]), row[1].as<int>(), row[2].as<qint64>());
    return g;
}

QMap<QDate, ActiveDay> ReportRepository::activeUsers(const ReportRange &r)
{
    if (!counted(r.tz))
        return scannedActiveUsers(r);
    const GapCounts g = gapCounts(r.tz, r.from.addDays(-29), r.to);
    QMap<QDate, ActiveDay> out;
    for (QDate d = r.from; d <= r.to; d = d.addDays(1))
        out.insert(d, ActiveDay{g.distinct(d, d), g.distinct(d.addDays(-6), d), g.distinct(d.addDays(-29), d)});
    return out;
}

QMap<QDate, ActiveDay> ReportRepository::scannedActiveUsers(const ReportRange &r)
{
    // A user counts on day D for a window of L days when active on a day in (D - L, D].
    // Each user's active days become merged intervals [first, last + L) per window, and a
    // running sum of +1/-1 at the interval ends gives the count per day: linear in the
    // user-days, instead of joining every day with every user-day of its window.
    const std::string sql = std::string(
        "WITH ud AS (SELECT DISTINCT user_id, (hour AT TIME ZONE $3)::date AS d FROM analytics.active_hours"
        "  WHERE hour >= (($1::date - 29)::timestamp AT TIME ZONE $3) AND hour < ") + kEnd + "),"
        " w AS (SELECT unnest(ARRAY[1, 7, 30]) AS len),"
        " g AS (SELECT w.len, ud.user_id, ud.d, CASE WHEN lag(ud.d) OVER (PARTITION BY w.len, ud.user_id ORDER BY ud.d)"
        "  > ud.d - w.len THEN 0 ELSE 1 END AS starts FROM ud CROSS JOIN w),"
        " grp AS (SELECT len, user_id, d, sum(starts) OVER (PARTITION BY len, user_id ORDER BY d) AS k FROM g),"
        " iv AS (SELECT len, min(d) AS s, max(d) + len AS e FROM grp GROUP BY len, user_id, k),"
        " delta AS (SELECT len, s AS day, 1 AS x FROM iv UNION ALL SELECT len, e, -1 FROM iv),"
        " days AS (SELECT generate_series($1::date - 29, $2::date, interval '1 day')::date AS day),"
        " per AS (SELECT w.len, days.day, coalesce(sum(delta.x), 0) AS x FROM w CROSS JOIN days"
        "  LEFT JOIN delta ON delta.len = w.len AND delta.day = days.day GROUP BY w.len, days.day),"
        " run AS (SELECT len, day, sum(x) OVER (PARTITION BY len ORDER BY day) AS n FROM per)"
        " SELECT day::text, max(n) FILTER (WHERE len = 1)::bigint, max(n) FILTER (WHERE len = 7)::bigint,"
        "  max(n) FILTER (WHERE len = 30)::bigint FROM run WHERE day >= $1::date GROUP BY day ORDER BY day";
    QMap<QDate, ActiveDay> out;
    for (const auto &row : m_tx.exec_params(sql, day(r.from), day(r.to), r.tz.toStdString()))
        out.insert(dateOf(row[0]), ActiveDay{row[1].as<qint64>(), row[2].as<qint64>(), row[3].as<qint64>()});
    return out;
}

qint64 ReportRepository::distinctActive(const ReportRange &r)
{
    if (counted(r.tz))
        return gapCounts(r.tz, r.from, r.to).distinct(r.from, r.to);
    return m_tx.exec_params(std::string("SELECT count(DISTINCT user_id) FROM analytics.active_hours WHERE hour >= ") + kStart
                                + " AND hour < " + kEnd,
                            day(r.from), day(r.to), r.tz.toStdString())[0][0].as<qint64>();
}

QList<Ranked> ReportRepository::top(const QString &metric, const ReportRange &r, int limit)
{
    const auto rows = m_tx.exec_params("SELECT dim, sum(value) AS v FROM (" + bucketQuery(utc(r), "dim <> ''")
                                           + ") b GROUP BY dim ORDER BY v DESC, dim LIMIT $5",
                                       day(r.from), day(r.to), r.tz.toStdString(), textArray({metric}), limit);
    QList<Ranked> out;
    for (const auto &row : rows)
        out.append({QString::fromStdString(row[0].as<std::string>()), row[1].as<double>()});
    return out;
}

QHash<QString, double> ReportRepository::valuesFor(const QString &metric, const QStringList &dims, const ReportRange &r)
{
    QHash<QString, double> out;
    if (dims.isEmpty())
        return out;
    const auto rows = m_tx.exec_params("SELECT dim, sum(value) FROM (" + bucketQuery(utc(r), "dim = ANY($5::text[])")
                                           + ") b GROUP BY dim",
                                       day(r.from), day(r.to), r.tz.toStdString(), textArray({metric}), textArray(dims));
    for (const auto &row : rows)
        out.insert(QString::fromStdString(row[0].as<std::string>()), row[1].as<double>());
    return out;
}

QList<Cohort> ReportRepository::cohorts(const ReportRange &r)
{
    return counted(r.tz) ? countedCohorts(r) : scannedCohorts(r);
}

namespace {

QDate monday(QDate d)
{
    return d.addDays(1 - d.dayOfWeek());
}

} // namespace

QList<Cohort> ReportRepository::countedCohorts(const ReportRange &r)
{
    QMap<QDate, qint64> sizes;
    for (const auto &row : m_tx.exec_params("SELECT day::text, sum(n)::bigint FROM analytics.signup_days"
                                            " WHERE zone = $3 AND day BETWEEN $1::date AND $2::date GROUP BY day",
                                            day(r.from), day(r.to), r.tz.toStdString()))
        sizes[monday(dateOf(row[0]))] += row[1].as<qint64>();
    QHash<QDate, GapCounts> byWeek;
    for (const auto &row : m_tx.exec_params("SELECT signup_day::text, day::text, gap, sum(n)::bigint FROM analytics.cohort_gaps"
                                            " WHERE zone = $3 AND signup_day BETWEEN $1::date AND $2::date"
                                            "  AND day BETWEEN $1::date AND $2::date GROUP BY 1, 2, 3",
                                            day(r.from), day(r.to), r.tz.toStdString()))
        byWeek[monday(dateOf(row[0]))].add(dateOf(row[1]), row[2].as<int>(), row[3].as<qint64>());
    QList<Cohort> out;
    for (auto it = sizes.cbegin(); it != sizes.cend(); ++it) {
        if (it.value() <= 0)
            continue;
        // Week k of a cohort: its Monday to Sunday, clipped to the range.
        Cohort c{it.key(), it.value(), QList<qint64>(it.key().daysTo(r.to) / 7 + 1, 0)};
        const GapCounts &g = byWeek[it.key()];
        for (qsizetype k = 0; k < c.retained.size(); ++k) {
            const QDate week = it.key().addDays(7 * k);
            c.retained[k] = g.distinct(std::max(week, r.from), std::min(week.addDays(6), r.to));
        }
        out.append(c);
    }
    return out;
}

QList<Cohort> ReportRepository::scannedCohorts(const ReportRange &r)
{
    const std::string cohortSql = std::string(
        "WITH c AS (SELECT user_id, date_trunc('week', signed_up_at AT TIME ZONE $3)::date AS cw FROM analytics.accounts"
        "  WHERE signed_up_at >= ") + kStart + " AND signed_up_at < " + kEnd + "),"
        " a AS (SELECT DISTINCT h.user_id, date_trunc('week', h.hour AT TIME ZONE $3)::date AS aw"
        "  FROM analytics.active_hours h JOIN c USING (user_id) WHERE h.hour >= " + kStart + " AND h.hour < " + kEnd + ")"
        " SELECT c.cw::text, -1 AS k, count(*) FROM c GROUP BY c.cw"
        " UNION ALL SELECT c.cw::text, (a.aw - c.cw) / 7, count(*) FROM c JOIN a ON a.user_id = c.user_id AND a.aw >= c.cw"
        "  GROUP BY c.cw, a.aw ORDER BY 1, 2";
    QList<Cohort> out;
    for (const auto &row : m_tx.exec_params(cohortSql, day(r.from), day(r.to), r.tz.toStdString())) {
        const QDate week = dateOf(row[0]);
        const int k = row[1].as<int>();
        if (k < 0) {
            Cohort c{week, row[2].as<qint64>(), {}};
            // One column per week from the signup week to the range's last week.
            const qint64 weeks = week.daysTo(r.to) / 7 + 1;
            c.retained = QList<qint64>(weeks, 0);
            out.append(c);
        } else if (!out.isEmpty() && k < out.last().retained.size()) {
            out.last().retained[k] = row[2].as<qint64>();
        }
    }
    return out;
}

ResponseTimes ReportRepository::responseTimes(const ReportRange &r)
{
    const auto row = m_tx.exec_params(
        std::string("SELECT count(*), coalesce(avg(s), 0), coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY s), 0)"
                    " FROM (SELECT extract(epoch FROM resolved_at - opened_at)::float8 AS s FROM analytics.reports"
                    "  WHERE resolved_at IS NOT NULL AND opened_at >= ") + kStart + " AND opened_at < " + kEnd + ") x",
        day(r.from), day(r.to), r.tz.toStdString())[0];
    return {row[0].as<qint64>(), row[1].as<double>(), row[2].as<double>()};
}

} // namespace Analytics
