// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// A fresh test database with the analytics schema, the service on the real PostgreSQL
// event store, and helpers that deliver bus events the way the bus does (typed payloads
// from contracts/events, increasing ids) and client events the way the routes do.

#include "analyticsservice.h"
#include "postgreseventstore.h"
#include "reportservice.h"
#include "testdb.h"

#include "community/contracts/events/auth.h"
#include "community/contracts/events/content.h"
#include "community/contracts/events/users.h"
#include "community/database.h"
#include "community/host/migrator.h"

#include <QJsonArray>
#include <QtTest>

namespace Analytics::Test {

namespace ContentEvents = Community::Contracts::Events::Content;
namespace AuthEvents = Community::Contracts::Events::Auth;
namespace UsersEvents = Community::Contracts::Events::Users;

inline QDateTime utc(int y, int m, int d, int h, int min = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min), Qt::UTC);
}

class Fixture {
public:
    std::unique_ptr<Community::Test::TestDb> tdb;
    std::unique_ptr<Community::Db::Database> db;
    PostgresEventStore store;
    std::unique_ptr<AnalyticsService> service;
    std::unique_ptr<ReportService> reports;
    QList<Community::Events::Event> delivered;   ///< every bus event, in order (for replays)
    qint64 nextBusId = 1;

    bool open(AnalyticsConfig cfg = {})
    {
        tdb = std::make_unique<Community::Test::TestDb>();
        db = std::make_unique<Community::Db::Database>(tdb->config(4));
        if (!db->open())
            return false;
        auto set = Community::loadMigrations(QStringLiteral("analytics"), QStringLiteral(ANALYTICS_MIGRATIONS_DIR));
        if (!set || !Community::Migrator(*db).migrate({*set}))
            return false;
        service = std::make_unique<AnalyticsService>(*db, store, cfg);
        reports = std::make_unique<ReportService>(*db);
        return bool(service->syncReportZones());
    }

    void close()
    {
        service.reset();
        reports.reset();
        if (db)
            db->close();
        db.reset();
        tdb.reset();
    }

    bool partitions(QDate first, QDate last)
    {
        return bool(db->transact<void>([&](pqxx::work &tx) -> Community::Result<void> {
            store.ensurePartitions(tx, first, last);
            return {};
        }));
    }

    /// Delivers a bus event (as the bus would: a new id, its time, its actor).
    template<typename E>
    bool deliver(const E &event, const QDateTime &at, qint64 actorId = 0)
    {
        Community::Events::Event e;
        e.id = nextBusId++;
        e.type = event.typeName();
        e.aggregate = event.aggregate();
        e.payload = event.toJson();
        e.createdAt = at;
        e.actorId = actorId;
        e.actorKind = actorId ? QStringLiteral("user") : QString();
        delivered.append(e);
        auto r = service->applyFact(e);
        if (!r)
            qWarning() << r.error().message << r.error().logDetail;
        return bool(r);
    }

    bool signup(qint64 userId, const QDateTime &at)
    {
        return deliver(AuthEvents::AccountRegistered{userId, QStringLiteral("u%1").arg(userId), QStringLiteral("user"),
                                                     QStringLiteral("register")},
                       at);
    }

    bool post(qint64 postId, qint64 communityId, qint64 authorId, const QDateTime &at)
    {
        ContentEvents::PostChanged p;
        p.postId = postId;
        p.communityId = communityId;
        p.authorId = authorId;
        p.createdAt = at;
        return deliver(p, at);
    }

    bool comment(qint64 commentId, qint64 postId, qint64 communityId, qint64 authorId, const QDateTime &at)
    {
        ContentEvents::CommentChanged c;
        c.commentId = commentId;
        c.postId = postId;
        c.communityId = communityId;
        c.authorId = authorId;
        return deliver(c, at);
    }

    bool vote(qint64 postId, qint64 userId, const QDateTime &at)
    {
        ContentEvents::VoteChanged v;
        v.targetType = QStringLiteral("post");
        v.targetId = postId;
        v.postId = postId;
        v.userId = userId;
        v.value = 1;
        return deliver(v, at);
    }

    /// Client events of one sender, as the routes hand them over after validation.
    Community::Result<IngestResult> client(qint64 userId, const QList<RawEvent> &events, const QString &address = QStringLiteral("192.0.2.7"))
    {
        ParsedBatch batch;
        batch.events = events;
        const QDateTime now = events.isEmpty() ? QDateTime::currentDateTimeUtc() : events.last().at;
        return service->ingest(Sender{userId, address, false}, batch, now);
    }

    static RawEvent event(const QString &type, const QString &id, const QDateTime &at)
    {
        RawEvent e;
        e.type = type;
        e.key = id;
        e.at = at;
        return e;
    }

    QJsonObject report(const QString &name, QDate from, QDate to, const QString &tz = QStringLiteral("UTC"))
    {
        auto r = reports->run(ReportRequest{name, ReportRange{from, to, tz}, 10});
        if (!r)
            qWarning() << r.error().message << r.error().logDetail;
        return r ? r->json : QJsonObject();
    }

    qint64 scalar(const std::string &sql)
    {
        auto r = db->transact<qint64>([&](pqxx::work &tx) -> Community::Result<qint64> { return tx.exec(sql)[0][0].as<qint64>(); });
        return r ? *r : -1;
    }
};

/// The distinct-user counters summed over shards, as sorted text (rows that net to zero
/// left out: incremental upkeep may leave them, a rebuild does not write them).
inline QString countersOf(Fixture &f)
{
    auto r = f.db->transact<QString>([](pqxx::work &tx) -> Community::Result<QString> {
        QStringList lines;
        for (const char *sql : {"SELECT zone || ' ' || day || ' ' || gap || ' ' || sum(n) FROM analytics.active_gaps"
                                " GROUP BY zone, day, gap HAVING sum(n) <> 0 ORDER BY 1",
                                "SELECT zone || ' ' || signup_day || ' ' || day || ' ' || gap || ' ' || sum(n)"
                                " FROM analytics.cohort_gaps GROUP BY zone, signup_day, day, gap HAVING sum(n) <> 0 ORDER BY 1",
                                "SELECT zone || ' ' || day || ' ' || sum(n) FROM analytics.signup_days GROUP BY zone, day"
                                " HAVING sum(n) <> 0 ORDER BY 1",
                                "SELECT zone || ' ' || day || ' ' || count(*) FROM analytics.active_days GROUP BY zone, day ORDER BY 1"}) {
            for (const auto &row : tx.exec(sql))
                lines << QString::fromStdString(row[0].as<std::string>());
            lines << QStringLiteral("--");
        }
        return lines.join(u'\n');
    });
    return r.value_or(QString());
}

/// A report's series as "date:field=value" strings for the given fields (compact comparisons).
inline QStringList seriesOf(const QJsonObject &report, const QStringList &fields)
{
    QStringList out;
    for (const QJsonValue &v : report.value(QStringLiteral("series")).toArray()) {
        const QJsonObject row = v.toObject();
        QStringList cells;
        for (const QString &f : fields)
            cells << f + QLatin1Char('=') + QString::number(row.value(f).toDouble());
        out << row.value(QStringLiteral("date")).toString() + QLatin1Char(' ') + cells.join(QLatin1Char(','));
    }
    return out;
}

} // namespace Analytics::Test
