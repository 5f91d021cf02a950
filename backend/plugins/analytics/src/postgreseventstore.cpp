// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "postgreseventstore.h"

#include "sqlarray.h"

#include <pqxx/pqxx>

#include <QSet>
#include <cstdlib>
#include <QTimeZone>

namespace Analytics {

namespace {

std::string partitionName(QDate day)
{
    return "events_" + day.toString(QStringLiteral("yyyyMMdd")).toStdString();
}

std::string dayLiteral(QDate day)
{
    return day.toString(Qt::ISODate).toStdString();
}

qint64 micros(const QDateTime &t)
{
    return t.toMSecsSinceEpoch() * 1000;
}

} // namespace

QList<RawEvent> PostgresEventStore::insertNew(pqxx::transaction_base &tx, const QList<RawEvent> &events, QDate rawFrom)
{
    if (events.isEmpty())
        return {};
    SqlArray at, type, server, user, ip, target, community, dim, num, weight, key;
    for (const RawEvent &e : events) {
        at.add(micros(e.at));
        type.add(e.type);
        server.add(e.server);
        user.addOrNull(e.userId);
        ip.addOrNull(e.ipHash);
        target.addOrNull(e.targetId);
        community.addOrNull(e.communityId);
        dim.addOrNull(e.dim);
        e.num >= 0 ? num.add(e.num) : num.null();
        weight.add(e.weight);
        key.add(e.key);
    }
    // One statement: the dedup keys, the raw rows of the new events, and back only the
    // positions of the new ones (no keys sent back and matched here).
    const auto r = tx.exec_params(
        "WITH v AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::bool[], $4::bigint[], $5::text[], $6::bigint[],"
        "   $7::bigint[], $8::text[], $9::bigint[], $10::real[], $11::text[])"
        "   WITH ORDINALITY AS v(at, type, server, u, ip, t, c, d, n, w, k, i)),"
        " fresh AS (INSERT INTO analytics.seen (key) SELECT k FROM v ON CONFLICT DO NOTHING RETURNING key),"
        " fv AS (SELECT v.* FROM v JOIN fresh ON fresh.key = v.k),"
        " raw AS (INSERT INTO analytics.events (occurred_at, type, source, user_id, ip_hash, target_id, community_id, dim,"
        "   num, weight, key)"
        "  SELECT 'epoch'::timestamptz + fv.at * interval '1 microsecond', fv.type,"
        "   CASE WHEN fv.server THEN 'server' ELSE 'client' END, fv.u, fv.ip, fv.t, fv.c, fv.d, fv.n, fv.w, fv.k"
        "  FROM fv WHERE fv.at >= $12)"
        " SELECT coalesce(array_agg(i ORDER BY i), '{}')::text FROM fv",
        at.str(), type.str(), server.str(), user.str(), ip.str(), target.str(), community.str(), dim.str(), num.str(),
        weight.str(), key.str(), micros(rawFrom.startOfDay(QTimeZone::utc())));
    QList<RawEvent> fresh;
    const std::string positions = r[0][0].as<std::string>();
    const char *p = positions.c_str();
    while (*p) {
        if (*p >= '0' && *p <= '9') {
            char *end = nullptr;
            const qsizetype i = qsizetype(std::strtoll(p, &end, 10));
            fresh.append(events.at(i - 1));
            p = end;
        } else {
            ++p;
        }
    }
    return fresh;
}

void PostgresEventStore::ensurePartitions(pqxx::transaction_base &tx, QDate first, QDate last)
{
    const QList<QDate> existing = partitions(tx);
    for (QDate d = first; d <= last; d = d.addDays(1)) {
        if (existing.contains(d))
            continue;
        // Names and bounds come from dates we format ourselves, never from input.
        tx.exec("CREATE TABLE IF NOT EXISTS analytics." + partitionName(d) + " PARTITION OF analytics.events FOR VALUES FROM ('"
                + dayLiteral(d) + " 00:00:00+00') TO ('" + dayLiteral(d.addDays(1)) + " 00:00:00+00')");
    }
}

QList<QDate> PostgresEventStore::dropPartitionsBefore(pqxx::transaction_base &tx, QDate day)
{
    QList<QDate> dropped;
    for (const QDate &d : partitions(tx)) {
        if (d >= day)
            continue;
        tx.exec("DROP TABLE IF EXISTS analytics." + partitionName(d));
        dropped.append(d);
    }
    return dropped;
}

QList<QDate> PostgresEventStore::partitions(pqxx::transaction_base &tx)
{
    QList<QDate> out;
    const auto rows = tx.exec("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                              " WHERE i.inhparent = 'analytics.events'::regclass ORDER BY c.relname");
    for (const auto &row : rows) {
        const QString name = QString::fromStdString(row[0].as<std::string>());
        const QDate d = QDate::fromString(name.mid(7), QStringLiteral("yyyyMMdd"));
        if (d.isValid())
            out.append(d);
    }
    return out;
}

void PostgresEventStore::pruneKeys(pqxx::transaction_base &tx, int hours)
{
    tx.exec_params("DELETE FROM analytics.seen WHERE at < now() - $1 * interval '1 hour' AND key LIKE 'c:%'", hours);
}

void PostgresEventStore::anonymiseUser(pqxx::transaction_base &tx, qint64 userId)
{
    tx.exec_params("UPDATE analytics.events SET user_id = NULL, key = 'anon:' || md5(key) WHERE user_id = $1", userId);
}

void PostgresEventStore::deleteServerFacts(pqxx::transaction_base &tx)
{
    tx.exec("DELETE FROM analytics.events WHERE source = 'server'");
    tx.exec("DELETE FROM analytics.seen WHERE key LIKE 'b:%'");
}

void PostgresEventStore::scanClient(pqxx::transaction_base &tx, int chunk,
                                    const std::function<void(const QList<RawEvent> &)> &sink)
{
    // A cursor: one sequential pass over the partitions, fetched in chunks.
    tx.exec("DECLARE analytics_scan NO SCROLL CURSOR FOR"
            " SELECT (extract(epoch FROM occurred_at) * 1000)::bigint, type, coalesce(user_id, 0), coalesce(ip_hash, ''),"
            " coalesce(target_id, 0), coalesce(community_id, 0), coalesce(dim, ''), coalesce(num, -1), weight, key"
            " FROM analytics.events WHERE source = 'client'");
    const std::string fetch = "FETCH " + std::to_string(chunk) + " FROM analytics_scan";
    for (;;) {
        const auto rows = tx.exec(fetch);
        if (rows.empty())
            break;
        QList<RawEvent> out;
        out.reserve(qsizetype(rows.size()));
        for (const auto &r : rows) {
            RawEvent e;
            e.at = QDateTime::fromMSecsSinceEpoch(r[0].as<qint64>(), Qt::UTC);
            e.type = QString::fromStdString(r[1].as<std::string>());
            e.userId = r[2].as<qint64>();
            e.ipHash = QString::fromStdString(r[3].as<std::string>());
            e.targetId = r[4].as<qint64>();
            e.communityId = r[5].as<qint64>();
            e.dim = QString::fromStdString(r[6].as<std::string>());
            e.num = r[7].as<qint64>();
            e.weight = r[8].as<double>();
            e.key = QString::fromStdString(r[9].as<std::string>());
            out.append(e);
        }
        sink(out);
    }
    tx.exec("CLOSE analytics_scan");
}

LiveFigures PostgresEventStore::live(pqxx::transaction_base &tx)
{
    const auto r = tx.exec("SELECT count(DISTINCT user_id), count(DISTINCT ip_hash) FILTER (WHERE user_id IS NULL),"
                           " count(*) FILTER (WHERE received_at > now() - interval '1 minute')"
                           " FROM analytics.events WHERE occurred_at > now() - interval '5 minutes'"
                           "  AND received_at > now() - interval '5 minutes'")[0];
    return {r[0].as<qint64>(), r[1].as<qint64>(), r[2].as<qint64>()};
}

} // namespace Analytics
