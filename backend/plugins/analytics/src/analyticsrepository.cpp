// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "analyticsrepository.h"

#include "sqlarray.h"

#include <pqxx/pqxx>

#include <QRandomGenerator>

namespace Analytics {

namespace {

void upsertCounts(pqxx::transaction_base &tx, const char *table, const char *bucketExpr,
                  const QMap<RollupDelta::Key, double> &rows, int shard)
{
    if (rows.isEmpty())
        return;
    SqlArray bucket, metric, dim, value;
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        bucket.add(std::get<0>(it.key()));
        metric.add(std::get<1>(it.key()));
        dim.add(std::get<2>(it.key()));
        value.add(it.value());
    }
    const std::string t = table;
    const std::string col = t == "analytics.hourly" ? "hour" : "day";
    tx.exec_params("INSERT INTO " + t + " (" + col + ", metric, dim, shard, value) SELECT " + bucketExpr
                       + ", v.m, v.d, $5, v.x FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[]) AS v(b, m, d, x)"
                         " ON CONFLICT (metric, " + col + ", dim, shard) DO UPDATE SET value = " + t + ".value + EXCLUDED.value",
                   bucket.str(), metric.str(), dim.str(), value.str(), shard);
}

} // namespace

void AnalyticsRepository::addRollups(const RollupDelta &delta, int shard, bool counters)
{
    upsertCounts(m_tx, "analytics.hourly", "'epoch'::timestamptz + v.b * interval '1 second'", delta.hourly(), shard);
    upsertCounts(m_tx, "analytics.daily", "('epoch'::timestamptz + v.b * interval '1 second') AT TIME ZONE 'UTC'",
                 delta.daily(), shard);
    if (delta.activeHours().isEmpty())
        return;
    SqlArray hour, user;
    for (auto it = delta.activeHours().cbegin(); it != delta.activeHours().cend(); ++it) {
        hour.add(it.key().first);
        user.add(it.key().second);
    }
    const std::string insert = "INSERT INTO analytics.active_hours (hour, user_id)"
                               " SELECT 'epoch'::timestamptz + v.h * interval '1 second', v.u FROM unnest($1::bigint[], $2::bigint[])"
                               " AS v(h, u) ON CONFLICT DO NOTHING";
    if (!counters) {
        m_tx.exec_params(insert, hour.str(), user.str());
        return;
    }
    // Only an (hour, user) pair new to active_hours can add a user-day to a zone's set.
    m_tx.exec_params("WITH ins AS (" + insert + " RETURNING hour, user_id)"
                     " SELECT analytics.mark_active(coalesce(array_agg(extract(epoch FROM hour)::bigint), '{}'),"
                     "  coalesce(array_agg(user_id), '{}'), $3::smallint) FROM ins",
                     hour.str(), user.str(), shard);
}

void AnalyticsRepository::clearRollups()
{
    m_tx.exec("TRUNCATE analytics.hourly, analytics.daily, analytics.active_hours, analytics.accounts, analytics.reports,"
              " analytics.active_days, analytics.active_gaps, analytics.cohort_gaps, analytics.signup_days");
}

void AnalyticsRepository::rebuildCounters()
{
    m_tx.exec("SELECT analytics.rebuild_zone(zone) FROM analytics.report_zones ORDER BY zone");
}

QStringList AnalyticsRepository::syncZones(const QStringList &zones)
{
    SqlArray wanted;
    for (const QString &z : zones)
        wanted.add(z);
    for (const char *table : {"active_days", "active_gaps", "cohort_gaps", "signup_days", "report_zones"})
        m_tx.exec_params(std::string("DELETE FROM analytics.") + table + " WHERE zone <> ALL($1::text[])", wanted.str());
    QStringList added;
    for (const auto &row : m_tx.exec_params("INSERT INTO analytics.report_zones (zone) SELECT unnest($1::text[])"
                                            " ON CONFLICT DO NOTHING RETURNING zone",
                                            wanted.str())) {
        added << QString::fromStdString(row[0].as<std::string>());
        m_tx.exec_params("SELECT analytics.rebuild_zone($1)", row[0].as<std::string>());
    }
    return added;
}

void AnalyticsRepository::addAccount(qint64 userId, const QDateTime &signedUpAt, int shard)
{
    m_tx.exec_params("SELECT analytics.add_account($1, 'epoch'::timestamptz + $2 * interval '1 millisecond', $3::smallint)",
                     userId, signedUpAt.toMSecsSinceEpoch(), shard);
}

void AnalyticsRepository::reportOpened(qint64 reportId, qint64 communityId, const QDateTime &at)
{
    m_tx.exec_params("INSERT INTO analytics.reports (report_id, opened_at, community_id)"
                     " VALUES ($1, 'epoch'::timestamptz + $2 * interval '1 millisecond', nullif($3, 0))"
                     " ON CONFLICT (report_id) DO UPDATE SET opened_at = EXCLUDED.opened_at,"
                     "  community_id = EXCLUDED.community_id",
                     reportId, at.toMSecsSinceEpoch(), communityId);
}

void AnalyticsRepository::reportResolved(qint64 reportId, qint64 moderatorId, const QString &resolution,
                                         const QDateTime &at)
{
    // The first resolution is the first response; a later one does not move it.
    m_tx.exec_params("INSERT INTO analytics.reports (report_id, resolved_at, moderator_id, resolution)"
                     " VALUES ($1, 'epoch'::timestamptz + $2 * interval '1 millisecond', nullif($3, 0), $4)"
                     " ON CONFLICT (report_id) DO UPDATE SET"
                     "  resolved_at = coalesce(analytics.reports.resolved_at, EXCLUDED.resolved_at),"
                     "  moderator_id = coalesce(analytics.reports.moderator_id, EXCLUDED.moderator_id),"
                     "  resolution = coalesce(analytics.reports.resolution, EXCLUDED.resolution)",
                     reportId, at.toMSecsSinceEpoch(), moderatorId, resolution.toStdString());
}

void AnalyticsRepository::pseudonymise(qint64 userId)
{
    const qint64 alias = -m_tx.exec("SELECT nextval('analytics.pseudonyms')")[0][0].as<qint64>();
    m_tx.exec_params("SELECT pg_advisory_xact_lock(1634625900, hashint8($1))", userId);
    m_tx.exec_params("UPDATE analytics.active_hours SET user_id = $2 WHERE user_id = $1", userId, alias);
    // The counters do not change: the alias has exactly the account's days and signup.
    m_tx.exec_params("UPDATE analytics.active_days SET user_id = $2 WHERE user_id = $1", userId, alias);
    m_tx.exec_params("UPDATE analytics.accounts SET user_id = $2 WHERE user_id = $1", userId, alias);
    m_tx.exec_params("UPDATE analytics.reports SET moderator_id = $2 WHERE moderator_id = $1", userId, alias);
    m_tx.exec_params("DELETE FROM analytics.optouts WHERE user_id = $1", userId);
}

bool AnalyticsRepository::optedOut(qint64 userId)
{
    return !m_tx.exec_params("SELECT 1 FROM analytics.optouts WHERE user_id = $1", userId).empty();
}

void AnalyticsRepository::setOptOut(qint64 userId, bool out)
{
    if (out)
        m_tx.exec_params("INSERT INTO analytics.optouts (user_id) VALUES ($1) ON CONFLICT DO NOTHING", userId);
    else
        m_tx.exec_params("DELETE FROM analytics.optouts WHERE user_id = $1", userId);
}

QByteArray AnalyticsRepository::saltFor(QDate day)
{
    QByteArray fresh(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(fresh.data()), fresh.size() / 4);
    const std::string d = day.toString(Qt::ISODate).toStdString();
    m_tx.exec_params("INSERT INTO analytics.salts (day, salt) VALUES ($1::date, decode($2, 'hex')) ON CONFLICT DO NOTHING", d,
                     fresh.toHex().toStdString());
    const auto r = m_tx.exec_params("SELECT encode(salt, 'hex') FROM analytics.salts WHERE day = $1::date", d);
    return QByteArray::fromHex(QByteArray::fromStdString(r[0][0].as<std::string>()));
}

void AnalyticsRepository::pruneSalts(QDate today)
{
    m_tx.exec_params("DELETE FROM analytics.salts WHERE day < $1::date", today.addDays(-1).toString(Qt::ISODate).toStdString());
}

} // namespace Analytics
